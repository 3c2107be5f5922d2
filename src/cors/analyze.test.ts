/**
 * analyzeExchange: one case per reachable catalogue entry, then the verdict
 * rules, the credentials inference, redirects and reachedServer.
 */
import { describe, expect, it } from 'vitest';
import { findingProse } from './describe';
import { analyzeExchange } from './analyze';
import { catalogue } from './catalogue';
import { A, B, hdrs, msg, obs, sentPreflight } from './test-helpers';
import type { Observation } from './types';

const acao = (v: string) => hdrs(['access-control-allow-origin', v]);
const get = msg(undefined, hdrs(['origin', A], ['sec-fetch-mode', 'cors']));
const withCookie = msg(undefined, hdrs(['origin', A], ['cookie', 'sid=1']));
const okPreflight = (...extra: Array<[string, string]>) => msg(204, hdrs(['access-control-allow-origin', A], ...extra));
const failed = { error: 'net::ERR_FAILED' };

interface EntryCase { id: string; o: Observation; failedParameter?: string | null; verdict?: string; severity?: string }

/** One exchange per reachable entry that makes the engine report it. */
const entryCases: EntryCase[] = [
  { id: 'missing-allow-origin', o: obs({ url: `${B}/d`, method: 'GET', request: get, response: msg(200, []), ...failed }), failedParameter: '' },
  { id: 'wildcard-origin-with-credentials', o: obs({ url: `${B}/e`, method: 'GET', request: withCookie, response: msg(200, acao('*')), ...failed }), failedParameter: '' },
  { id: 'multiple-allow-origin-values', o: obs({ url: `${B}/x`, method: 'GET', request: get, response: msg(200, acao(`${A}, http://b.test`)), ...failed }), failedParameter: `${A}, http://b.test` },
  { id: 'invalid-allow-origin-value', o: obs({ url: `${B}/x`, method: 'GET', request: get, response: msg(200, acao('127.0.0.1')), ...failed }), failedParameter: '127.0.0.1' },
  { id: 'allow-origin-mismatch', o: obs({ url: `${B}/f`, method: 'GET', request: get, response: msg(200, acao('http://example.com')), ...failed }), failedParameter: 'http://example.com' },
  { id: 'invalid-allow-credentials', o: obs({ url: `${B}/x`, method: 'GET', request: withCookie, response: msg(200, [...acao(A), ['access-control-allow-credentials', 'yes']]), ...failed }), failedParameter: 'yes' },
  { id: 'preflight-missing-allow-origin', o: obs({ url: `${B}/x`, method: 'PUT', preflight: sentPreflight('PUT', null, msg(405, [])), ...failed }), failedParameter: '' },
  { id: 'preflight-wildcard-origin-with-credentials', o: obs({ url: `${B}/x`, method: 'PUT', preflight: sentPreflight('PUT', null, msg(204, [...acao('*'), ['access-control-allow-methods', 'PUT']])), ...failed }), failedParameter: '' },
  { id: 'preflight-multiple-allow-origin-values', o: obs({ url: `${B}/x`, method: 'PUT', preflight: sentPreflight('PUT', null, msg(204, [...acao(A), ...acao(A)])), ...failed }), failedParameter: `${A}, ${A}` },
  { id: 'preflight-invalid-allow-origin-value', o: obs({ url: `${B}/x`, method: 'PUT', preflight: sentPreflight('PUT', null, msg(204, acao('localhost'))), ...failed }), failedParameter: 'localhost' },
  { id: 'preflight-allow-origin-mismatch', o: obs({ url: `${B}/x`, method: 'PUT', preflight: sentPreflight('PUT', null, msg(204, acao('https://example.com'))), ...failed }), failedParameter: 'https://example.com' },
  { id: 'preflight-invalid-allow-credentials', o: obs({ url: `${B}/x`, method: 'PUT', request: null, preflight: sentPreflight('PUT', null, okPreflight(['access-control-allow-methods', 'PUT'])), ...failed }), failedParameter: '' },
  { id: 'preflight-invalid-status', o: obs({ url: `${B}/x`, method: 'PUT', preflight: sentPreflight('PUT', null, msg(404, okPreflight(['access-control-allow-methods', 'PUT']).headers)), ...failed }), failedParameter: '' },
  { id: 'preflight-redirect', o: obs({ url: `${B}/x`, method: 'PUT', preflight: sentPreflight('PUT', null, msg(307, hdrs(['location', '/y']))), ...failed }), failedParameter: '' },
  { id: 'invalid-allow-methods', o: obs({ url: `${B}/x`, method: 'PUT', preflight: sentPreflight('PUT', null, okPreflight(['access-control-allow-methods', 'PUT GET'])), ...failed }), failedParameter: '' },
  { id: 'invalid-allow-headers', o: obs({ url: `${B}/x`, method: 'PUT', preflight: sentPreflight('PUT', 'x-a', okPreflight(['access-control-allow-methods', 'PUT'], ['access-control-allow-headers', 'x-a; x-b'])), ...failed }), failedParameter: '' },
  { id: 'method-not-allowed-by-preflight', o: obs({ url: `${B}/m`, method: 'DELETE', preflight: sentPreflight('DELETE', null, okPreflight(['access-control-allow-methods', 'GET, POST'])), ...failed }), failedParameter: 'DELETE' },
  { id: 'header-not-allowed-by-preflight', o: obs({ url: `${B}/c`, method: 'GET', preflight: sentPreflight('GET', 'x-api-key', okPreflight()), ...failed }), failedParameter: 'x-api-key' },
  { id: 'authorization-not-covered-by-wildcard', o: obs({ url: `${B}/x`, method: 'GET', preflight: sentPreflight('GET', 'authorization', okPreflight(['access-control-allow-headers', '*'])), ...failed }), failedParameter: 'authorization' },
  { id: 'disallowed-by-mode', o: obs({ url: `${B}/x`, method: 'GET', mode: 'same-origin', ...failed }), failedParameter: '' },
  { id: 'invalid-response', o: obs({ url: `${B}/x`, method: 'GET', request: get, response: msg(0, acao(A)), ...failed }), failedParameter: '' },
  { id: 'cors-disabled-scheme', o: obs({ url: 'ftp://localhost/x', method: 'GET', ...failed }), failedParameter: '' },
  {
    id: 'redirect-contains-credentials',
    o: obs({ url: `${B}/r`, method: 'GET', request: get, redirects: [{ statusCode: 302, location: 'http://user:pw@localhost:34255/s', headers: acao(A) }], ...failed }),
    failedParameter: '',
  },
  { id: 'no-cors-redirect-mode-not-follow', o: obs({ url: `${B}/r`, method: 'GET', mode: 'no-cors', redirects: [{ statusCode: 302, location: `${B}/s`, headers: [] }], ...failed }), failedParameter: '' },
  { id: 'local-network-access-permission-denied', o: obs({ url: `${B}/x`, method: 'GET', request: get, error: 'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS' }), failedParameter: '' },
  {
    id: 'local-network-access-permission-denied',
    // As webRequest shows it: the preflight died with a bare net::ERR_FAILED before any answer.
    o: obs({ url: `${B}/x`, method: 'PUT', preflight: { observed: 'sent', request: { headers: [['access-control-request-method', 'PUT']] }, response: null, error: 'net::ERR_FAILED' }, error: 'net::ERR_FAILED' }),
    failedParameter: '',
  },
  { id: 'invalid-allow-origin-value', o: obs({ url: `${B}/x`, method: 'GET', request: get, response: msg(200, acao('http://a\uFFFD')), ...failed }), failedParameter: '' },
  { id: 'network-error', o: obs({ url: `${B}/x`, method: 'GET', request: get, error: 'net::ERR_NAME_NOT_RESOLVED' }), failedParameter: null, verdict: 'failed-before-cors' },
  { id: 'unexplained-cors-failure', o: obs({ url: `${B}/x`, method: 'GET', request: withCookie, response: msg(200, [...acao(A), ['access-control-allow-credentials', 'true']]), ...failed }), failedParameter: null },
  // warnings
  { id: 'allow-origin-without-vary', o: obs({ url: `${B}/x`, method: 'GET', request: get, response: msg(200, acao(A)) }), verdict: 'allowed', severity: 'warning' },
  { id: 'max-age-above-chrome-cap', o: obs({ url: `${B}/x`, method: 'PUT', preflight: sentPreflight('PUT', null, okPreflight(['access-control-allow-methods', 'PUT'], ['access-control-max-age', '86400'])), request: get, response: msg(200, acao('*')) }), verdict: 'allowed', severity: 'warning' },
  { id: 'max-age-unparsable', o: obs({ url: `${B}/x`, method: 'PUT', preflight: sentPreflight('PUT', null, okPreflight(['access-control-allow-methods', 'PUT'], ['access-control-max-age', '1h'])), request: get, response: msg(200, acao('*')) }), verdict: 'allowed', severity: 'warning' },
  { id: 'wildcard-relied-on-for-authorization', o: obs({ url: `${B}/x`, method: 'GET', preflight: sentPreflight('GET', 'authorization', okPreflight(['access-control-allow-headers', '*'])), request: get, response: msg(200, acao('*')) }), verdict: 'allowed', severity: 'warning' },
  { id: 'reflected-origin-with-credentials', o: obs({ url: `${B}/x`, method: 'GET', request: withCookie, response: msg(200, [...acao(A), ['access-control-allow-credentials', 'true'], ['vary', 'Origin']]) }), verdict: 'allowed', severity: 'warning' },
  // likely causes, after the error they explain
  { id: 'cause-error-path-without-cors', o: obs({ url: `${B}/x`, method: 'GET', request: get, response: msg(401, hdrs(['www-authenticate', 'Bearer'])), ...failed }), severity: 'warning' },
  { id: 'cause-preflight-auth', o: obs({ url: `${B}/x`, method: 'PUT', preflight: sentPreflight('PUT', null, msg(401, [])), ...failed }), severity: 'warning' },
  { id: 'cause-no-options-route', o: obs({ url: `${B}/x`, method: 'PUT', preflight: sentPreflight('PUT', null, msg(405, hdrs(['allow', 'GET']))), ...failed }), severity: 'warning' },
  { id: 'cause-near-miss-origin', o: obs({ url: `${B}/x`, method: 'GET', request: get, response: msg(200, acao('http://127.0.0.1:3000')), ...failed }), severity: 'warning' },
  { id: 'cause-shared-cache', o: obs({ url: `${B}/x`, method: 'GET', request: get, response: msg(200, [...acao('https://other.example'), ['age', '120'], ['x-cache', 'HIT']]), ...failed }), severity: 'warning' },
  { id: 'null-origin-allowed', o: obs({ url: `${B}/x`, method: 'GET', initiatorOrigin: 'null', request: get, response: msg(200, acao('null')) }), verdict: 'allowed', severity: 'warning' },
];

describe('every reachable catalogue entry is reported', () => {
  it('covers all reachable entries', () => {
    const covered = new Set(entryCases.map((c) => c.id));
    expect(catalogue.filter((e) => e.reachable && !covered.has(e.id)).map((e) => e.id)).toEqual([]);
  });

  it.each(entryCases)('$id', (c) => {
    const a = analyzeExchange(c.o);
    const severity = c.severity ?? 'error';
    expect(a.verdict).toBe(c.verdict ?? 'blocked');
    const f = a.findings.find((x) => x.id === c.id);
    expect(f, JSON.stringify(a.findings.map((x) => x.id))).toBeDefined();
    expect(f!.severity).toBe(severity);
    if (severity === 'error') {
      expect(a.findings[0]!.id).toBe(c.id);
      expect(f!.failedParameter).toBe(c.failedParameter);
      expect(f!.chromeCorsError).toBe(catalogue.find((e) => e.id === c.id)!.chromeCorsError);
    }
    expect(findingProse(f!).detail.length).toBeGreaterThan(20);
    expect(findingProse(f!).fix.length).toBeGreaterThan(10);
    expect(findingProse(f!).detail).not.toMatch(/undefined|\[object/);
    expect(findingProse(f!).fix).not.toMatch(/undefined|\[object/);
  });
});

describe('verdicts', () => {
  it('same origin is not CORS, even with a cookie', () => {
    const a = analyzeExchange(obs({ url: `${A}/x`, method: 'PUT', request: withCookie, response: msg(200, []) }));
    expect(a.verdict).toBe('not-cors');
    expect(a.findings).toEqual([]);
  });

  it.each(['no-cors', 'navigate'] as const)('mode %s is not CORS', (mode) => {
    const a = analyzeExchange(obs({ url: `${B}/x`, method: 'GET', mode, request: get, response: msg(200, []) }));
    expect(a.verdict).toBe('not-cors');
  });

  it.each(['data:text/plain,x', 'blob:http://localhost:34255/1234', 'about:blank'])('%s is a scheme fetch, not CORS', (url) => {
    expect(analyzeExchange(obs({ url, method: 'GET', ...failed })).verdict).toBe('not-cors');
  });

  it('mode same-origin to the same origin is not CORS', () => {
    expect(analyzeExchange(obs({ url: `${A}/x`, method: 'GET', mode: 'same-origin', request: get, response: msg(200, []) })).verdict).toBe('not-cors');
  });

  it('a simple POST blocked after it reached the server', () => {
    const a = analyzeExchange(obs({
      url: `${B}/form`, method: 'POST',
      request: msg(undefined, hdrs(['origin', A], ['content-type', 'application/x-www-form-urlencoded'])),
      response: msg(201, []), ...failed,
    }));
    expect(a.verdict).toBe('blocked');
    expect(a.reachedServer).toBe(true);
    expect(a.preflight).toEqual({ required: false, reasons: [] });
    expect(findingProse(a.findings[0]!).detail).toContain('the server did receive and process the request');
  });

  it('pending: unknown, with the preflight failure when there is one', () => {
    const pending = analyzeExchange(obs({ url: `${B}/x`, method: 'GET', request: get }));
    expect(pending.verdict).toBe('unknown');
    expect(pending.findings).toEqual([]);
    expect(pending.reachedServer).toBe(false);
    const pf = analyzeExchange(obs({ url: `${B}/x`, method: 'PUT', preflight: sentPreflight('PUT', null, msg(404, [])) }));
    expect(pf.verdict).toBe('unknown');
    expect(pf.findings[0]!.chromeCorsError).toBe('PreflightMissingAllowOriginHeader');
  });

  it('a network error on the preflight fails before CORS', () => {
    const a = analyzeExchange(obs({
      url: `${B}/x`, method: 'PUT',
      preflight: { observed: 'sent', request: { headers: [['access-control-request-method', 'PUT']] }, response: null, error: 'net::ERR_CONNECTION_REFUSED' },
      ...failed,
    }));
    expect(a.verdict).toBe('failed-before-cors');
    expect(a.findings[0]!.stage).toBe('preflight');
  });

  it('the browser allowed what the rules reject: keep its word, demote to a warning', () => {
    const a = analyzeExchange(obs({ url: `${B}/x`, method: 'GET', request: get, response: msg(200, []) }));
    expect(a.verdict).toBe('allowed');
    expect(a.findings[0]).toMatchObject({ id: 'missing-allow-origin', severity: 'warning' });
    expect(findingProse(a.findings[0]!).detail).toMatch(/^Chrome did not block this request/);
  });

  it('a reached-server flag for errors after sending', () => {
    expect(analyzeExchange(obs({ url: `${B}/x`, method: 'GET', request: get, error: 'net::ERR_EMPTY_RESPONSE' })).reachedServer).toBe(true);
    expect(analyzeExchange(obs({ url: `${B}/x`, method: 'GET', request: get, error: 'net::ERR_CONNECTION_REFUSED' })).reachedServer).toBe(false);
  });
});

describe('credentials inference', () => {
  it('Allow-Credentials missing but allowed → omit-or-same-origin, inferred', () => {
    const a = analyzeExchange(obs({ url: `${B}/x`, method: 'GET', request: get, response: msg(200, acao(A)) }));
    expect(a.credentials.value).toBe('omit-or-same-origin');
    expect(a.credentials.inferred).toBe(true);
  });
  it('both modes consistent → unknown', () => {
    const a = analyzeExchange(obs({ url: `${B}/x`, method: 'GET', request: get, response: msg(200, [...acao(A), ['access-control-allow-credentials', 'true'], ['vary', 'origin']]) }));
    expect(a.credentials).toMatchObject({ value: null, inferred: true, rule: 'credentials-undecided' });
    expect(a.credentials.why).toMatch(/^not decided: .*default of fetch\(\) and XMLHttpRequest \(not included\)$/);
  });
  it('failure under both modes → unknown, findings as fetch() by default', () => {
    const a = analyzeExchange(obs({ url: `${B}/x`, method: 'GET', request: get, response: msg(200, []), ...failed }));
    expect(a.credentials.value).toBeNull();
  });
  it('Authorization says nothing about credentials mode', () => {
    const a = analyzeExchange(obs({
      url: `${B}/x`, method: 'GET',
      preflight: sentPreflight('GET', 'authorization', okPreflight(['access-control-allow-headers', 'authorization'])),
      request: msg(undefined, hdrs(['origin', A], ['authorization', 'Bearer t'])), response: msg(200, acao('*')),
    }));
    expect(a.verdict).toBe('allowed');
    expect(a.credentials.value).toBe('omit-or-same-origin');
  });
  it('Allow-Methods * is a wildcard only without credentials: a failure infers include', () => {
    const a = analyzeExchange(obs({
      url: `${B}/x`, method: 'DELETE',
      preflight: sentPreflight('DELETE', null, okPreflight(['access-control-allow-methods', '*'], ['access-control-allow-credentials', 'true'])),
      ...failed,
    }));
    expect(a.findings[0]).toMatchObject({ chromeCorsError: 'MethodDisallowedByPreflightResponse', failedParameter: 'DELETE' });
    expect(a.credentials).toMatchObject({ value: 'include', inferred: true });
  });
});

describe('redirects', () => {
  it('a cross-origin redirect makes the Origin null, so the original origin mismatches', () => {
    const a = analyzeExchange(obs({
      url: `${B}/r`, method: 'GET', request: msg(undefined, hdrs(['origin', 'null'])),
      redirects: [{ statusCode: 302, location: 'http://127.0.0.2:9000/final', headers: acao(A) }],
      response: msg(200, acao(A)), ...failed,
    }));
    expect(a.findings[0]).toMatchObject({ chromeCorsError: 'AllowOriginMismatch', failedParameter: A, stage: 'actual' });
    expect(findingProse(a.findings[0]!).detail).toContain('`Origin: null`');
    expect(findingProse(a.findings[0]!).detail).toContain('tainted');
  });

  it('the redirect response itself must pass the CORS check', () => {
    const a = analyzeExchange(obs({
      url: `${B}/r`, method: 'GET', request: get,
      redirects: [{ statusCode: 301, location: `${B}/s`, headers: [] }], ...failed,
    }));
    expect(a.findings[0]).toMatchObject({ chromeCorsError: 'MissingAllowOriginHeader', stage: 'redirect' });
    expect(a.reachedServer).toBe(true);
  });

  it('a same-origin request redirected cross-origin becomes CORS (untainted)', () => {
    const a = analyzeExchange(obs({
      url: `${A}/start`, method: 'GET', request: get,
      redirects: [{ statusCode: 302, location: `${B}/end`, headers: [] }],
      response: msg(200, []), ...failed,
    }));
    expect(a.verdict).toBe('blocked');
    expect(a.findings[0]).toMatchObject({ chromeCorsError: 'MissingAllowOriginHeader', stage: 'actual' });
    expect(findingProse(a.findings[0]!).fix).toContain(`Access-Control-Allow-Origin: ${A}`);
  });

  it('a same-origin redirect chain stays not CORS', () => {
    const a = analyzeExchange(obs({ url: `${A}/a`, method: 'GET', request: get, redirects: [{ statusCode: 302, location: '/b', headers: [] }], response: msg(200, []) }));
    expect(a.verdict).toBe('not-cors');
  });
});

describe('explanations quote the values seen', () => {
  it('preflight 404 on a POST JSON endpoint (Go middleware without OPTIONS)', () => {
    const a = analyzeExchange(obs({
      url: `${B}/api/data?x=1`, method: 'POST',
      preflight: sentPreflight('POST', 'authorization,content-type', msg(405, [])),
      ...failed,
    }));
    expect(findingProse(a.findings[0]!).fix).toBe(
      `Answer OPTIONS /api/data with status 204 (it was 405), and add \`Access-Control-Allow-Origin: ${A}\` and \`Access-Control-Allow-Headers: authorization, content-type\` to that response.`,
    );
    expect(a.preflight.reasons).toEqual([
      'header authorization is not CORS-safelisted',
      'header content-type is not CORS-safelisted with the value sent (only application/x-www-form-urlencoded, multipart/form-data and text/plain are)',
    ]);
  });

  it('the trailing slash is pointed out', () => {
    const a = analyzeExchange(obs({ url: `${B}/x`, method: 'GET', request: get, response: msg(200, acao(`${A}/`)), ...failed }));
    expect(findingProse(a.findings[0]!).detail).toContain('trailing slash');
  });

  it('method case: Chrome and the spec differ, and the detail says so', () => {
    const a = analyzeExchange(obs({ url: `${B}/x`, method: 'patch', preflight: sentPreflight('patch', null, okPreflight(['access-control-allow-methods', 'patch'])), ...failed }));
    expect(a.findings[0]).toMatchObject({ chromeCorsError: 'MethodDisallowedByPreflightResponse', failedParameter: 'patch' });
    expect(findingProse(a.findings[0]!).detail).toContain('Chrome upper-cases the method');
  });
});
