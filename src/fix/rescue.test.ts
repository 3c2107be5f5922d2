import { describe, expect, it } from 'vitest';
import { rescueAction, rescuePatterns, withHeaders, type RescuePlan } from './rescue';

const A = 'http://127.0.0.1:8701';
const B = 'http://localhost:8702';
const plan: RescuePlan = {
  pageOrigin: A,
  targetOrigin: B,
  preflight: [
    { name: 'access-control-allow-origin', value: A },
    { name: 'access-control-allow-methods', value: 'PUT' },
  ],
  actual: [{ name: 'access-control-allow-origin', value: A }],
};
const C = 'http://127.0.0.1:8703';
const chained: RescuePlan = { ...plan, hops: { origins: [C], headers: [{ name: 'access-control-allow-origin', value: 'null' }] } };
const preflight = (origin: string, url = `${B}/api`) => ({ url, method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'PUT' } });

describe('rescueAction', () => {
  it('answers the page origin\'s preflight with 204 and exactly the plan\'s headers', () => {
    expect(rescueAction([plan], preflight(A))).toEqual({ kind: 'answer-preflight', status: 204, headers: plan.preflight });
  });

  it('continues a preflight from any other origin: another port, a subdomain, another scheme, null', () => {
    for (const o of ['http://127.0.0.1:8703', 'http://x.127.0.0.1:8701', 'https://127.0.0.1:8701', 'null', `${A}/`, A.toUpperCase()]) {
      expect(rescueAction([plan], preflight(o)), o).toEqual({ kind: 'continue' });
    }
  });

  it('lets the server answer the preflight when the plan\'s preflight needs nothing, adding what a merged fix adds', () => {
    expect(rescueAction([{ ...plan, preflight: [] }], preflight(A))).toEqual({ kind: 'continue' });
    const served = { ...preflight(A), responseStatusCode: 204, responseHeaders: [{ name: 'Access-Control-Allow-Methods', value: 'PUT' }] };
    expect(rescueAction([{ ...plan, preflight: [] }], served)).toEqual({ kind: 'continue' });
    const add = [{ name: 'access-control-allow-headers', value: 'x-a' }];
    expect(rescueAction([{ ...plan, preflight: [], preflightAdd: add }], served)).toEqual({ kind: 'add-headers', headers: [{ name: 'Access-Control-Allow-Methods', value: 'PUT' }, ...add] });
    // From another origin: untouched.
    expect(rescueAction([{ ...plan, preflight: [], preflightAdd: add }], { ...served, headers: { Origin: 'http://127.0.0.1:1', 'Access-Control-Request-Method': 'PUT' } })).toEqual({ kind: 'continue' });
  });

  it('continues requests to another target origin, and an OPTIONS without Access-Control-Request-Method', () => {
    expect(rescueAction([plan], preflight(A, 'http://localhost:87021/api'))).toEqual({ kind: 'continue' });
    expect(rescueAction([plan], preflight(A, 'http://127.0.0.1:8702/api'))).toEqual({ kind: 'continue' });
    expect(rescueAction([plan], { url: `${B}/api`, method: 'OPTIONS', headers: { origin: A } })).toEqual({ kind: 'continue' });
  });

  it('adds the headers to the actual response at the response stage, keeping its status and other headers', () => {
    const a = rescueAction([plan], { url: `${B}/api`, method: 'PUT', headers: { origin: A }, responseStatusCode: 404, responseHeaders: [{ name: 'Content-Type', value: 'text/plain' }, { name: 'Access-Control-Allow-Origin', value: '*' }] });
    expect(a).toEqual({ kind: 'add-headers', headers: [{ name: 'Content-Type', value: 'text/plain' }, { name: 'access-control-allow-origin', value: A }] });
  });

  it('gives a redirect of the target the headers, status and Location kept; follows it only when the plan has hops', () => {
    const redirect = { url: `${B}/api`, method: 'GET', headers: { origin: A }, networkId: 'n1', responseStatusCode: 302, responseHeaders: [{ name: 'Location', value: `${C}/next` }] };
    expect(rescueAction([plan], redirect)).toEqual({ kind: 'add-headers', headers: [{ name: 'Location', value: `${C}/next` }, { name: 'access-control-allow-origin', value: A }] });
    expect(rescueAction([chained], redirect)).toEqual({ kind: 'add-headers', headers: [{ name: 'Location', value: `${C}/next` }, { name: 'access-control-allow-origin', value: A }], follow: chained });
  });

  it('a followed request\'s later hop with Origin null gets Allow-Origin: null; nothing else does', () => {
    const hop = { url: `${C}/next`, method: 'GET', headers: { Origin: 'null' }, networkId: 'n1', responseStatusCode: 200, responseHeaders: [{ name: 'Content-Type', value: 'text/plain' }] };
    expect(rescueAction([chained], hop, chained)).toEqual({ kind: 'add-headers', headers: [{ name: 'Content-Type', value: 'text/plain' }, ...chained.hops!.headers] });
    // Not followed (another request with Origin null: another page's, a sandbox): the server's own answer.
    expect(rescueAction([chained], hop)).toEqual({ kind: 'continue' });
    // A hop that redirects again is followed further.
    expect(rescueAction([chained], { ...hop, responseStatusCode: 307 }, chained)).toMatchObject({ kind: 'add-headers', follow: chained });
    // Its request stage, a failure, a preflight: untouched.
    expect(rescueAction([chained], { ...hop, responseStatusCode: undefined }, chained)).toEqual({ kind: 'continue' });
    expect(rescueAction([chained], { ...hop, responseStatusCode: undefined, responseErrorReason: 'Failed' }, chained)).toEqual({ kind: 'continue' });
    expect(rescueAction([chained], { ...hop, method: 'OPTIONS', headers: { Origin: 'null', 'Access-Control-Request-Method': 'PUT' } }, chained)).toEqual({ kind: 'continue' });
    // Followed but asked with another origin than null: the ordinary rules.
    expect(rescueAction([chained], { ...hop, headers: { Origin: 'http://127.0.0.1:1' } }, chained)).toEqual({ kind: 'continue' });
  });

  it('continues the actual request at the request stage, a failed response and other initiators', () => {
    expect(rescueAction([plan], { url: `${B}/api`, method: 'PUT', headers: { origin: A } })).toEqual({ kind: 'continue' });
    expect(rescueAction([plan], { url: `${B}/api`, method: 'GET', headers: { origin: A }, responseErrorReason: 'Failed' })).toEqual({ kind: 'continue' });
    expect(rescueAction([plan], { url: `${B}/api`, method: 'GET', headers: { origin: 'http://127.0.0.1:1' }, responseStatusCode: 200, responseHeaders: [] })).toEqual({ kind: 'continue' });
    expect(rescueAction([plan], { url: `${B}/api`, method: 'GET', headers: {}, responseStatusCode: 200, responseHeaders: [] })).toEqual({ kind: 'continue' });
  });

  it('patterns cover the target origins only, at both stages, and a chain\'s hop origins at the response stage only', () => {
    expect(rescuePatterns([plan, plan])).toEqual([
      { urlPattern: `${B}/*`, requestStage: 'Request' },
      { urlPattern: `${B}/*`, requestStage: 'Response' },
    ]);
    expect(rescuePatterns([plan, chained])).toEqual([
      { urlPattern: `${B}/*`, requestStage: 'Request' },
      { urlPattern: `${B}/*`, requestStage: 'Response' },
      { urlPattern: `${C}/*`, requestStage: 'Response' },
    ]);
  });

  it('withHeaders replaces same-named headers whatever their case', () => {
    expect(withHeaders([{ name: 'ACCESS-CONTROL-ALLOW-ORIGIN', value: 'x' }, { name: 'a', value: '1' }], [{ name: 'access-control-allow-origin', value: A }])).toEqual([
      { name: 'a', value: '1' },
      { name: 'access-control-allow-origin', value: A },
    ]);
  });
});
