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

  it('continues requests to another target origin, and an OPTIONS without Access-Control-Request-Method', () => {
    expect(rescueAction([plan], preflight(A, 'http://localhost:87021/api'))).toEqual({ kind: 'continue' });
    expect(rescueAction([plan], preflight(A, 'http://127.0.0.1:8702/api'))).toEqual({ kind: 'continue' });
    expect(rescueAction([plan], { url: `${B}/api`, method: 'OPTIONS', headers: { origin: A } })).toEqual({ kind: 'continue' });
  });

  it('adds the headers to the actual response at the response stage, keeping its status and other headers', () => {
    const a = rescueAction([plan], { url: `${B}/api`, method: 'PUT', headers: { origin: A }, responseStatusCode: 404, responseHeaders: [{ name: 'Content-Type', value: 'text/plain' }, { name: 'Access-Control-Allow-Origin', value: '*' }] });
    expect(a).toEqual({ kind: 'add-headers', headers: [{ name: 'Content-Type', value: 'text/plain' }, { name: 'access-control-allow-origin', value: A }] });
  });

  it('continues the actual request at the request stage, a redirect, a failed response and other initiators', () => {
    expect(rescueAction([plan], { url: `${B}/api`, method: 'PUT', headers: { origin: A } })).toEqual({ kind: 'continue' });
    expect(rescueAction([plan], { url: `${B}/api`, method: 'GET', headers: { origin: A }, responseStatusCode: 302, responseHeaders: [] })).toEqual({ kind: 'continue' });
    expect(rescueAction([plan], { url: `${B}/api`, method: 'GET', headers: { origin: A }, responseErrorReason: 'Failed' })).toEqual({ kind: 'continue' });
    expect(rescueAction([plan], { url: `${B}/api`, method: 'GET', headers: { origin: 'http://127.0.0.1:1' }, responseStatusCode: 200, responseHeaders: [] })).toEqual({ kind: 'continue' });
    expect(rescueAction([plan], { url: `${B}/api`, method: 'GET', headers: {}, responseStatusCode: 200, responseHeaders: [] })).toEqual({ kind: 'continue' });
  });

  it('patterns cover the target origins only, at both stages', () => {
    expect(rescuePatterns([plan, plan])).toEqual([
      { urlPattern: `${B}/*`, requestStage: 'Request' },
      { urlPattern: `${B}/*`, requestStage: 'Response' },
    ]);
  });

  it('withHeaders replaces same-named headers whatever their case', () => {
    expect(withHeaders([{ name: 'ACCESS-CONTROL-ALLOW-ORIGIN', value: 'x' }, { name: 'a', value: '1' }], [{ name: 'access-control-allow-origin', value: A }])).toEqual([
      { name: 'a', value: '1' },
      { name: 'access-control-allow-origin', value: A },
    ]);
  });
});
