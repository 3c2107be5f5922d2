import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { corsCheck } from '../cors/cors-check';
import { validatePreflightResponse } from '../cors/preflight-response';
import { mergePlans, planOverride } from './plan';
import { assertRuleScoped, namesOtherOriginOfHost, overrideRules } from './dnr';
import { A, B, hdrs, msg, obs, sentPreflight } from '../cors/test-helpers';
import type { HeaderList, Observation } from '../cors/types';
import { URL_B, applySet, subjectOf } from './subject.test-helper';

describe('planOverride: the scenarios of the lab', () => {
  it('missing Allow-Origin on a simple GET: Allow-Origin set to the page origin on the actual response only', () => {
    const o = obs({ url: URL_B, method: 'GET', request: msg(undefined, hdrs(['origin', A])), response: msg(200, hdrs(['content-type', 'text/plain'])), error: 'net::ERR_FAILED' });
    const a = planOverride(subjectOf(o));
    expect(a.ok).toBe(true);
    if (!a.ok) return;
    expect(a.plan.preflight).toEqual([]);
    // The credentials mode is unknown and nothing shows credentials: no Allow-Credentials "in case".
    expect(a.plan.credentialsAssumed).toBe(false);
    expect(a.plan.mechanism).toBe('headers');
    expect(a.plan.actual).toEqual([{ name: 'access-control-allow-origin', value: A }]);
    expect(a.plan.server.credentials).toBe(false);
    expect(a.plan.pageOrigin).toBe(A);
    expect(a.plan.targetOrigin).toBe(B);
  });

  it('credentials with `*`: the page origin and Allow-Credentials: true, never `*`', () => {
    const o = obs({
      url: URL_B, method: 'GET',
      request: msg(undefined, hdrs(['origin', A], ['cookie', 'sid=1'])),
      response: msg(200, hdrs(['access-control-allow-origin', '*'])), error: 'net::ERR_FAILED',
    });
    const a = planOverride(subjectOf(o));
    if (!a.ok) throw new Error(a.why);
    expect(a.plan.actual).toEqual([{ name: 'access-control-allow-origin', value: A }, { name: 'access-control-allow-credentials', value: 'true' }]);
  });

  it('header not allowed by the preflight: Allow-Headers merged with what the server sent', () => {
    const pre = msg(204, hdrs(['access-control-allow-origin', A], ['access-control-allow-methods', 'PUT, GET, POST'], ['access-control-allow-headers', 'X-Other']));
    const o = obs({ url: URL_B, method: 'PUT', preflight: sentPreflight('PUT', 'x-custom-header', pre), error: 'net::ERR_FAILED' });
    const a = planOverride(subjectOf(o));
    if (!a.ok) throw new Error(a.why);
    // Allow-Origin was right: set again only to keep the rule exact (the server fix keeps it).
    expect(a.plan.preflight).toEqual([{ name: 'access-control-allow-origin', value: A, scope: true }, { name: 'access-control-allow-headers', value: 'X-Other, x-custom-header' }]);
    // The request itself was never sent: its response must carry the origin too.
    expect(a.plan.actualPredicted).toBe(true);
    expect(a.plan.actual).toEqual([{ name: 'access-control-allow-origin', value: A }]);
    expect(a.plan.server.headers).toEqual(['X-Other', 'x-custom-header']);
    expect(a.plan.server.methods).toEqual(['PUT', 'GET', 'POST']);
  });

  it('a non-2xx preflight (401, 404, 405, 500), bare or with correct headers, needs a rescue: the whole 204 answer', () => {
    const good = (st: number) => msg(st, hdrs(['access-control-allow-origin', A], ['access-control-allow-methods', 'PUT'], ['access-control-allow-headers', 'x-custom-header']));
    const bare = (st: number) => msg(st, hdrs(['content-type', 'text/plain']));
    for (const st of [401, 404, 405, 500]) {
      for (const r of [good(st), bare(st)]) {
        const a = planOverride(subjectOf(obs({ url: URL_B, method: 'PUT', preflight: sentPreflight('PUT', 'x-custom-header', r), error: 'net::ERR_FAILED' })));
        if (!a.ok) throw new Error(a.why);
        expect(a.plan.mechanism).toBe('rescue');
        expect(a.plan.mechanismWhy).toMatch(/status or a redirect/);
        expect(a.plan.preflight).toEqual([
          { name: 'access-control-allow-origin', value: A },
          { name: 'access-control-allow-methods', value: 'PUT' },
          { name: 'access-control-allow-headers', value: 'x-custom-header' },
        ]);
        // The answer passes the preflight check as a 204.
        expect(validatePreflightResponse(msg(204, a.plan.preflight.map((l) => [l.name, l.value] as [string, string])), A, false, 'PUT', ['x-custom-header'])).toBeNull();
        expect(overrideRules(a.plan, { preflight: 1, actual: 2 })).toEqual([]);
      }
    }
  });

  it('a redirected preflight needs a rescue; a network error and an allowed exchange are refused', () => {
    const redirected = msg(302, hdrs(['location', `${B}/next`], ['access-control-allow-origin', A]));
    const r1 = planOverride(subjectOf(obs({ url: URL_B, method: 'PUT', preflight: sentPreflight('PUT', 'x-custom-header', redirected), error: 'net::ERR_FAILED' })));
    expect(r1.ok ? r1.plan.mechanism : r1.reason).toBe('rescue');
    const r2 = planOverride(subjectOf(obs({ url: URL_B, method: 'GET', error: 'net::ERR_CONNECTION_REFUSED' })));
    expect(r2.ok ? 'ok' : r2.reason).toBe('cannot');
    const r3 = planOverride(subjectOf(obs({ url: URL_B, method: 'GET', request: msg(undefined, hdrs(['origin', A])), response: msg(200, hdrs(['access-control-allow-origin', '*'])) })));
    expect(r3.ok ? 'ok' : r3.reason).toBe('not-blocked');
  });

  it('Expose-Headers when asked, merged with the server list', () => {
    const o = obs({ url: URL_B, method: 'GET', request: msg(undefined, hdrs(['origin', A])), response: msg(200, hdrs(['access-control-expose-headers', 'X-A'])), error: 'net::ERR_FAILED' });
    const a = planOverride(subjectOf(o), ['x-jwt-token', 'bad header']);
    if (!a.ok) throw new Error(a.why);
    expect(a.plan.actual).toContainEqual({ name: 'access-control-expose-headers', value: 'X-A, x-jwt-token' });
  });
});

describe('overrideRules', () => {
  const pre = msg(204, hdrs(['access-control-allow-origin', A], ['access-control-allow-headers', 'X-Other']));
  const a = planOverride(subjectOf(obs({ url: URL_B, method: 'PUT', preflight: sentPreflight('PUT', 'x-custom-header', pre), error: 'net::ERR_FAILED' })));
  if (!a.ok) throw new Error(a.why);

  it('one rule for OPTIONS and one for the rest, both anchored to the target origin and one initiator', () => {
    const rules = overrideRules(a.plan, { preflight: 7, actual: 8 }, { tabId: 3 });
    expect(rules.map((r) => r.id)).toEqual([7, 8]);
    expect(rules[0]!.condition).toMatchObject({ urlFilter: `|${B}/`, requestDomains: ['localhost'], initiatorDomains: ['127.0.0.1'], requestMethods: ['options'], tabIds: [3], resourceTypes: ['xmlhttprequest'] });
    expect(rules[1]!.condition.excludedRequestMethods).toEqual(['options']);
    for (const r of rules) for (const h of r.action.responseHeaders) expect(h.operation).toBe('set');
  });

  it('every rule sets the exact page origin, and leaves alone a response that reflects another origin of the page host', () => {
    const rules = overrideRules(a.plan, { preflight: 7, actual: 8 }, { tabId: 3 });
    for (const r of rules) {
      expect(r.action.responseHeaders).toContainEqual({ header: 'access-control-allow-origin', operation: 'set', value: A });
      expect(r.condition.excludedResponseHeaders).toEqual([
        { header: 'access-control-allow-origin', values: ['*://127.0.0.1', '*://127.0.0.1:*', '*://*.127.0.0.1', '*://*.127.0.0.1:*'], excludedValues: [A] },
      ]);
    }
    // A rule that would carry only Allow-Headers (or Allow-Credentials) is refused.
    const [r] = rules;
    expect(() => assertRuleScoped({ ...r!, action: { type: 'modifyHeaders', responseHeaders: [{ header: 'access-control-allow-headers', operation: 'set', value: 'x' }] } }, a.plan)).toThrow(/exact Allow-Origin/);
  });

  it('assertRuleScoped refuses a rule for all sites or all origins', () => {
    const [r] = overrideRules(a.plan, { preflight: 1, actual: 2 });
    expect(() => assertRuleScoped({ ...r!, condition: { ...r!.condition, initiatorDomains: [] } }, a.plan)).toThrow();
    expect(() => assertRuleScoped({ ...r!, condition: { ...r!.condition, urlFilter: '*' } }, a.plan)).toThrow();
    expect(() => assertRuleScoped({ ...r!, action: { type: 'modifyHeaders', responseHeaders: [{ header: 'access-control-allow-origin', operation: 'set', value: '*' }] } }, a.plan)).toThrow();
  });

  it('mergePlans unions the header lists of two plans for one origin pair', () => {
    const pre2 = msg(204, hdrs(['access-control-allow-origin', A], ['access-control-allow-headers', 'X-Other']));
    const b = planOverride(subjectOf(obs({ url: URL_B, method: 'PUT', preflight: sentPreflight('PUT', 'x-b', pre2), error: 'net::ERR_FAILED' })));
    if (!b.ok) throw new Error(b.why);
    const m = mergePlans(a.plan, b.plan);
    expect(m.preflight).toContainEqual({ name: 'access-control-allow-headers', value: 'X-Other, x-custom-header, x-b' });
    expect(m.preflight.filter((l) => l.name === 'access-control-allow-origin')).toHaveLength(1);
  });
});

// ---- Properties: whatever the server answered, an override that is offered makes the exchange pass.

const ORIGINS = [A, 'http://other.example', '*', 'null', `${A}, https://example.com`];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];
const HEADERS = ['x-custom-header', 'x-a', 'authorization', 'content-type', 'x-other'];

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
const serverHeaders = fc.record({
  origin: maybe(fc.constantFrom(...ORIGINS)),
  credentials: maybe(fc.constantFrom('true', 'false', 'TRUE')),
  methods: maybe(fc.oneof(fc.subarray(METHODS).map((m) => m.join(', ')), fc.constant('*'), fc.constant('P U T'))),
  headers: maybe(fc.oneof(fc.subarray(HEADERS).map((h) => h.join(',')), fc.constant('*'), fc.constant('x y'))),
});

function headersOf(s: { origin: string | null; credentials: string | null; methods: string | null; headers: string | null }): HeaderList {
  const h: HeaderList = [['content-type', 'text/plain']];
  if (s.origin !== null) h.push(['access-control-allow-origin', s.origin]);
  if (s.credentials !== null) h.push(['access-control-allow-credentials', s.credentials]);
  if (s.methods !== null) h.push(['access-control-allow-methods', s.methods]);
  if (s.headers !== null) h.push(['access-control-allow-headers', s.headers]);
  return h;
}

const scenario = fc.record({
  method: fc.constantFrom(...METHODS),
  requested: fc.subarray(['x-custom-header', 'x-a', 'authorization']),
  include: fc.boolean(),
  preflightStatus: fc.constantFrom(200, 204, 204, 404),
  pre: serverHeaders,
  act: serverHeaders,
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function observe(s: Scenario): Observation {
  const preflighted = s.method !== 'GET' && s.method !== 'POST' ? true : s.requested.length > 0;
  const cookie: HeaderList = s.include ? [['cookie', 'sid=1']] : [];
  const reqHeaders: HeaderList = [['origin', A], ['sec-fetch-mode', 'cors'], ...cookie, ...s.requested.map((h): [string, string] => [h, 'v'])];
  const actual = msg(200, headersOf(s.act));
  if (!preflighted) {
    const blocked = corsCheck(200, actual.headers, A, s.include) !== null;
    return obs({ url: URL_B, method: s.method, request: { headers: reqHeaders }, response: actual, error: blocked ? 'net::ERR_FAILED' : null });
  }
  const pre = msg(s.preflightStatus, headersOf(s.pre));
  const preFailed = validatePreflightResponse(pre, A, s.include, s.method, [...s.requested].sort()) !== null;
  const preflight = sentPreflight(s.method, s.requested.length > 0 ? [...s.requested].sort().join(',') : null, pre);
  if (preFailed) return obs({ url: URL_B, method: s.method, preflight, error: 'net::ERR_FAILED' });
  const blocked = corsCheck(200, actual.headers, A, s.include) !== null;
  return obs({ url: URL_B, method: s.method, preflight, request: { headers: reqHeaders }, response: actual, error: blocked ? 'net::ERR_FAILED' : null });
}

describe('planOverride properties', () => {
  it('an offered override makes the preflight and the response pass the checks, under the credentials mode the engine inferred', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const o = observe(s);
        const subject = subjectOf(o);
        const a = planOverride(subject);
        if (!a.ok) return;
        // Allow-Credentials is added only when credentials are known (or shown by the failure): never "in case".
        const include = subject.credentials.value === 'include' || a.plan.findingIds.some((id) => id.includes('credentials'));
        if (o.preflight?.response) {
          // A rescue answers a preflight that needs anything itself (204, only its lines); header rules edit the server's answer.
          const rescue = a.plan.mechanism === 'rescue';
          const st = o.preflight.response.statusCode;
          // Rescue for a failed status, or for a server naming another origin of the page's host (a rule leaves those alone).
          const shadowed = namesOtherOriginOfHost(o.preflight.response, A) || namesOtherOriginOfHost(o.response, A);
          expect(rescue).toBe(st === undefined || st < 200 || st > 299 || shadowed);
          const fixed = applySet(rescue && a.plan.preflight.length > 0 ? msg(204, []) : o.preflight.response, a.plan.preflight);
          expect(validatePreflightResponse(fixed, A, include, s.method, [...s.requested].sort())).toBeNull();
        }
        // The actual response: as the server sent it, or (never sent) as the server would send it.
        const fixedActual = applySet(o.response ?? msg(200, headersOf(s.act)), a.plan.actual);
        expect(corsCheck(200, fixedActual.headers, A, include)).toBeNull();
      }),
      { numRuns: 600 },
    );
  });

  it('rules are always scoped to one initiator and one target origin, and never `*` with credentials (or at all)', () => {
    fc.assert(
      fc.property(scenario, fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }), (s, tabId) => {
        const a = planOverride(subjectOf(observe(s)));
        if (!a.ok) return;
        const rules = overrideRules(a.plan, { preflight: 1, actual: 2 }, { tabId });
        for (const r of rules) {
          expect(r.condition.initiatorDomains).toEqual(['127.0.0.1']);
          expect(r.condition.requestDomains).toEqual(['localhost']);
          expect(r.condition.urlFilter).toBe(`|${B}/`);
          expect(r.condition.resourceTypes).toContain('xmlhttprequest');
          for (const h of r.action.responseHeaders) {
            if (h.header === 'access-control-allow-origin') expect(h.value).toBe(A);
            if (h.header === 'access-control-allow-methods' || h.header === 'access-control-allow-headers') {
              if (s.include) expect(h.value.split(',').map((x) => x.trim())).not.toContain('*');
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('merged lists keep every token the server sent (that was valid) and add the missing ones once', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const o = observe(s);
        const subject = subjectOf(o);
        const a = planOverride(subject);
        if (!a.ok || !o.preflight?.response) return;
        const line = a.plan.preflight.find((l) => l.name === 'access-control-allow-headers');
        if (!line) return;
        const tokens = line.value.split(',').map((t) => t.trim().toLowerCase());
        expect(new Set(tokens).size).toBe(tokens.length);
        // Unless credentials are known to be omitted, lists never rely on `*`.
        const literal = s.include || subject.credentials.value !== 'omit-or-same-origin';
        for (const h of s.requested) expect(tokens.includes(h) || (!literal && tokens.includes('*') && h !== 'authorization')).toBe(true);
        // A rescue answers the preflight itself: the server's list is not kept, nothing else is offered.
        if (a.plan.mechanism === 'rescue') return;
        const sent = s.pre.headers;
        if (sent !== null && sent !== 'x y') for (const t of sent.split(',').filter((x) => x && (x !== '*' || !literal))) expect(tokens).toContain(t);
      }),
      { numRuns: 300 },
    );
  });
});
