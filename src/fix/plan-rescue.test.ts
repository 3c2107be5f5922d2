import { describe, expect, it } from 'vitest';
import { mergePlans, planOverride } from './plan';
import { redirectChain } from './redirect-chain';
import { A, hdrs, msg, obs, sentPreflight } from '../cors/test-helpers';
import type { Message, Observation } from '../cors/types';
import { URL_B, subjectOf } from './subject.test-helper';

/** The plans only a rescue can apply: redirect chains, near-miss servers, merged mechanisms, its own preflight answer. */
const C = 'http://127.0.0.1:40001';

describe('planOverride: redirect chains (rescue)', () => {
  const get = (redirects: Observation['redirects'], response: Message | null, extra: Partial<Observation> = {}) =>
    subjectOf(obs({ url: URL_B, method: 'GET', request: msg(undefined, hdrs(['origin', A])), redirects, response, error: 'net::ERR_FAILED', ...extra }));

  it('a same-origin redirect without Allow-Origin: a rescue gives the target\'s responses, redirects included, the page origin; no hops', () => {
    const a = planOverride(get([{ statusCode: 302, location: '/next', headers: hdrs(['location', '/next']) }], null));
    if (!a.ok) throw new Error(a.why);
    expect(a.plan.mechanism).toBe('rescue');
    expect(a.plan.mechanismWhy).toMatch(/redirect/);
    expect(a.plan.actual).toEqual([{ name: 'access-control-allow-origin', value: A }]);
    expect(a.plan.hops).toBeUndefined();
  });

  it('B → C: the hops on C get Allow-Origin: null (the tainted origin), with credentials Allow-Credentials too', () => {
    const redirect = { statusCode: 302, location: `${C}/next`, headers: hdrs(['location', `${C}/next`], ['access-control-allow-origin', A]) };
    const a = planOverride(get([redirect], msg(200, hdrs(['access-control-allow-origin', A]))));
    if (!a.ok) throw new Error(a.why);
    expect(a.plan.mechanism).toBe('rescue');
    expect(a.plan.hops).toEqual({ origins: [C], headers: [{ name: 'access-control-allow-origin', value: 'null' }] });
    // The target's own redirect was right: Allow-Origin kept only to stay exact.
    expect(a.plan.actual).toEqual([]);
    const withCookie = planOverride(
      subjectOf(obs({ url: URL_B, method: 'GET', request: msg(undefined, hdrs(['origin', A], ['cookie', 'a=1'])), redirects: [redirect], response: msg(200, hdrs(['access-control-allow-origin', A])), error: 'net::ERR_FAILED' })),
    );
    if (!withCookie.ok) throw new Error(withCookie.why);
    expect(withCookie.plan.hops?.headers).toEqual([{ name: 'access-control-allow-origin', value: 'null' }, { name: 'access-control-allow-credentials', value: 'true' }]);
  });

  it('declined with the reason: a preflighted request redirected to another origin, a redirect to a URL with credentials or to ftp:', () => {
    const pre = msg(204, hdrs(['access-control-allow-origin', A], ['access-control-allow-methods', 'PUT']));
    const preflighted = subjectOf(obs({ url: URL_B, method: 'PUT', preflight: sentPreflight('PUT', null, pre), redirects: [{ statusCode: 307, location: `${C}/next`, headers: hdrs(['location', `${C}/next`], ['access-control-allow-origin', A]) }], response: msg(200, hdrs(['access-control-allow-origin', A])), error: 'net::ERR_FAILED' }));
    const p = planOverride(preflighted);
    expect(p.ok ? 'ok' : p.why).toMatch(/preflighted request was redirected to another origin/);
    for (const location of [`http://u:p@localhost:34255/next`, 'ftp://127.0.0.1/x']) {
      const a = planOverride(get([{ statusCode: 302, location, headers: hdrs(['location', location], ['access-control-allow-origin', A]) }], null));
      expect(a.ok ? 'ok' : a.reason, location).toBe('cannot');
      expect(a.ok ? null : a.serverFix, location).toBeTruthy();
    }
    // The chain itself refuses them too, whatever the findings say.
    expect(redirectChain(URL_B, A, [{ statusCode: 302, location: 'http://u:p@localhost:1/', headers: [] }], null, false)).toMatchObject({ ok: false, why: expect.stringMatching(/credentials/) });
    expect(redirectChain(URL_B, A, [{ statusCode: 302, location: 'ftp://127.0.0.1/x', headers: [] }], null, false)).toMatchObject({ ok: false, why: expect.stringMatching(/ftp: URL/) });
    // A preflighted request redirected within the target is followed (Chrome preflights again with the page's origin).
    expect(redirectChain(URL_B, A, [{ statusCode: 307, location: '/next', headers: [] }], null, true)).toMatchObject({ ok: true, hops: [] });
  });
});

describe('planOverride: a server naming another origin of the page\'s host', () => {
  it('needs a rescue where header rules leave such answers alone (Chrome), header rules where they cannot (Firefox)', () => {
    const otherPort = A.replace(/:\d+$/, ':1');
    for (const value of [otherPort, A.replace('http:', 'https:'), `${A}/`]) {
      const s = subjectOf(obs({ url: URL_B, method: 'GET', request: msg(undefined, hdrs(['origin', A])), response: msg(200, hdrs(['access-control-allow-origin', value])), error: 'net::ERR_FAILED' }));
      const chrome = planOverride(s);
      if (!chrome.ok) throw new Error(chrome.why);
      expect(chrome.plan.mechanism, value).toBe('rescue');
      expect(chrome.plan.mechanismWhy).toMatch(/another origin of this page's host/);
      expect(chrome.plan.actual).toEqual([{ name: 'access-control-allow-origin', value: A }]);
      const firefox = planOverride(s, [], { rulesLeaveOtherOriginsOfHost: false });
      expect(firefox.ok && firefox.plan.mechanism, value).toBe('headers');
    }
    // Another host altogether is not left alone by the rule: header rules.
    const elsewhere = subjectOf(obs({ url: URL_B, method: 'GET', request: msg(undefined, hdrs(['origin', A])), response: msg(200, hdrs(['access-control-allow-origin', 'https://example.com'])), error: 'net::ERR_FAILED' }));
    const a = planOverride(elsewhere);
    expect(a.ok && a.plan.mechanism).toBe('headers');
  });

  it('a rescue for the actual response lets a passing preflight through (no answer of its own)', () => {
    const pre = msg(204, hdrs(['access-control-allow-origin', A], ['access-control-allow-methods', 'PUT']));
    const s = subjectOf(obs({ url: URL_B, method: 'PUT', preflight: sentPreflight('PUT', null, pre), response: msg(200, hdrs(['access-control-allow-origin', A.replace(/:\d+$/, ':1')])), error: 'net::ERR_FAILED' }));
    const a = planOverride(s);
    if (!a.ok) throw new Error(a.why);
    expect(a.plan.mechanism).toBe('rescue');
    expect(a.plan.preflight).toEqual([]);
  });
});

describe('mergePlans: a header-rule fix and a rescue for one origin pair', () => {
  it('a rescue that does not answer the preflight adds the header-rule side\'s preflight lines to the server\'s answer', () => {
    const pre = msg(204, hdrs(['access-control-allow-origin', A], ['access-control-allow-methods', 'PUT, GET'], ['access-control-allow-headers', 'X-Other']));
    const headers = planOverride(subjectOf(obs({ url: URL_B, method: 'PUT', preflight: sentPreflight('PUT', 'x-custom-header', pre), error: 'net::ERR_FAILED' })));
    const shadowed = planOverride(subjectOf(obs({ url: URL_B, method: 'GET', request: msg(undefined, hdrs(['origin', A])), response: msg(200, hdrs(['access-control-allow-origin', A.replace(/:\d+$/, ':1')])), error: 'net::ERR_FAILED' })));
    if (!headers.ok || !shadowed.ok) throw new Error('no plan');
    expect([headers.plan.mechanism, shadowed.plan.mechanism]).toEqual(['headers', 'rescue']);
    for (const m of [mergePlans(headers.plan, shadowed.plan), mergePlans(shadowed.plan, headers.plan)]) {
      expect(m.mechanism).toBe('rescue');
      expect(m.mechanismWhy).toMatch(/another origin of this page's host/);
      expect(m.preflight).toEqual([]);
      expect(m.preflightAdd).toEqual(headers.plan.preflight);
    }
    // With a rescue that answers the preflight, the answer carries both sides' lists.
    const failing = planOverride(subjectOf(obs({ url: URL_B, method: 'DELETE', preflight: sentPreflight('DELETE', null, msg(401, hdrs(['access-control-allow-methods', 'PUT, GET, DELETE']))), error: 'net::ERR_FAILED' })));
    if (!failing.ok) throw new Error(failing.why);
    const m = mergePlans(headers.plan, failing.plan);
    expect(m.preflightAdd).toBeUndefined();
    expect(m.preflight.find((l) => l.name === 'access-control-allow-methods')?.value).toBe('PUT, GET, DELETE');
    expect(m.preflight.find((l) => l.name === 'access-control-allow-headers')?.value).toMatch(/x-custom-header/);
  });
});

describe('planOverride: a rescue never narrows the server\'s lists', () => {
  it('the 204 answer re-sends the server\'s Allow-Methods and Allow-Headers merged with what is needed', () => {
    const pre = msg(401, hdrs(['access-control-allow-methods', 'GET, DELETE'], ['access-control-allow-headers', 'X-Trace']));
    const a = planOverride(subjectOf(obs({ url: URL_B, method: 'PUT', preflight: sentPreflight('PUT', 'x-custom-header', pre), error: 'net::ERR_FAILED' })));
    if (!a.ok) throw new Error(a.why);
    expect(a.plan.mechanism).toBe('rescue');
    expect(a.plan.preflight).toEqual([
      { name: 'access-control-allow-origin', value: A },
      { name: 'access-control-allow-methods', value: 'GET, DELETE, PUT' },
      { name: 'access-control-allow-headers', value: 'X-Trace, x-custom-header' },
    ]);
    expect(a.plan.server.methods).toEqual(['GET', 'DELETE', 'PUT']);
    expect(a.plan.server.headers).toEqual(['X-Trace', 'x-custom-header']);
  });
});

