import { findingProse } from './describe';
/**
 * The inference rules, one case each: the evidence that decides the credentials
 * mode, the request's mode and whether the request reached the server; the
 * undecided case (default first, alternative named); and the likely causes.
 */
import { describe, expect, it } from 'vitest';
import { analyzeExchange } from './analyze';
import { INFERENCE_RULES } from './inference-rules';
import { nearMissDifference } from './likely-cause';
import { A, B, hdrs, msg, obs, sentPreflight } from './test-helpers';

const acao = (v: string) => hdrs(['access-control-allow-origin', v]);
const put = msg(undefined, hdrs(['origin', A], ['x-custom-header', 'lab']));
const get = msg(undefined, hdrs(['origin', A]));
const failed = { error: 'net::ERR_FAILED' };
const goodPreflight = (...extra: Array<[string, string]>) =>
  msg(204, hdrs(['access-control-allow-origin', A], ['access-control-allow-methods', 'PUT'], ['access-control-allow-headers', 'x-custom-header'], ...extra));
const noMode = { mode: null } as const;

describe('the rule list', () => {
  it('has unique ids, a field, evidence and a spec link for each rule', () => {
    const ids = INFERENCE_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of INFERENCE_RULES) {
      expect(r.id.startsWith(r.field === 'reachedServer' ? 'reached-' : `${r.field}-`), r.id).toBe(true);
      expect(r.evidence.length).toBeGreaterThan(20);
      expect(r.spec).toMatch(/^https:\/\//);
    }
  });
});

describe('credentials mode', () => {
  it('a PUT sent after a preflight without Allow-Credentials: not included, and no credentials hedge on its failure', () => {
    const a = analyzeExchange(obs({ url: `${B}/x`, method: 'PUT', preflight: sentPreflight('PUT', 'x-custom-header', goodPreflight()), request: put, response: msg(200, hdrs(['content-type', 'application/json'])), ...failed }));
    expect(a.credentials).toEqual({ value: 'omit-or-same-origin', inferred: true, rule: 'credentials-preflight-passed', why: 'the preflight had no `Access-Control-Allow-Credentials` and Chrome sent the PUT', values: { browser: 'Chrome', case: 'no-allow-credentials', method: 'PUT' } });
    expect(a.findings[0]!.chromeCorsError).toBe('MissingAllowOriginHeader');
    expect(findingProse(a.findings[0]!).detail).not.toMatch(/credentials/i);
  });

  it('a preflight answered * and followed by the request: not included', () => {
    const a = analyzeExchange(obs({ url: `${B}/x`, method: 'PUT', preflight: sentPreflight('PUT', 'x-custom-header', msg(204, [...acao('*'), ['access-control-allow-headers', '*'], ['access-control-allow-methods', 'PUT']])), request: put, response: msg(200, acao('*')) }));
    expect(a.credentials).toMatchObject({ value: 'omit-or-same-origin', rule: 'credentials-preflight-passed' });
    expect(a.credentials.why).toBe('the preflight answered `Access-Control-Allow-Origin: *` and Chrome sent the PUT');
  });

  it('* accepted on the response, or on a redirect Chrome followed: not included', () => {
    expect(analyzeExchange(obs({ url: `${B}/x`, method: 'GET', request: get, response: msg(200, acao('*')) })).credentials)
      .toMatchObject({ value: 'omit-or-same-origin', rule: 'credentials-wildcard-accepted', why: 'Chrome accepted `Access-Control-Allow-Origin: *`' });
    const followed = analyzeExchange(obs({ url: `${B}/x`, method: 'GET', request: get, redirects: [{ statusCode: 302, location: `${B}/y`, headers: acao('*') }], response: msg(200, hdrs(['content-type', 'text/plain'])), ...failed }));
    expect(followed.credentials).toMatchObject({ value: 'omit-or-same-origin', rule: 'credentials-wildcard-accepted' });
    expect(followed.findings[0]!.chromeCorsError).toBe('MissingAllowOriginHeader');
  });

  it('an exact origin accepted without Allow-Credentials: not included', () => {
    expect(analyzeExchange(obs({ url: `${B}/x`, method: 'GET', request: get, response: msg(200, acao(A)) })).credentials)
      .toMatchObject({ value: 'omit-or-same-origin', rule: 'credentials-accepted-without-allow-credentials' });
  });

  it('* rejected, Allow-Credentials rejected, Allow-Headers * rejected: included', () => {
    expect(analyzeExchange(obs({ url: `${B}/x`, method: 'GET', request: get, response: msg(200, acao('*')), ...failed })).credentials)
      .toMatchObject({ value: 'include', rule: 'credentials-wildcard-rejected' });
    expect(analyzeExchange(obs({ url: `${B}/x`, method: 'GET', request: get, response: msg(200, acao(A)), ...failed })).credentials)
      .toMatchObject({ value: 'include', rule: 'credentials-allow-credentials-rejected' });
    const star = analyzeExchange(obs({ url: `${B}/x`, method: 'PUT', preflight: sentPreflight('PUT', 'x-custom-header', msg(204, [...acao(A), ['access-control-allow-credentials', 'true'], ['access-control-allow-methods', 'PUT'], ['access-control-allow-headers', '*']])), ...failed }));
    expect(star.credentials).toMatchObject({ value: 'include', rule: 'credentials-fails-only-with-credentials' });
    expect(star.findings[0]).toMatchObject({ chromeCorsError: 'HeaderDisallowedByPreflightResponse', failedParameter: 'x-custom-header' });
  });

  it('stopped at a preflight that fails only with credentials, although the response would fail anyway: included', () => {
    const a = analyzeExchange(obs({ url: `${B}/x`, method: 'PUT', preflight: sentPreflight('PUT', 'x-custom-header', goodPreflight()), ...failed }));
    expect(a.credentials).toMatchObject({ value: 'include', rule: 'credentials-allow-credentials-rejected' });
    expect(a.findings[0]!.chromeCorsError).toBe('PreflightInvalidAllowCredentials');
  });

  it('a Cookie header: included', () => {
    const a = analyzeExchange(obs({ url: `${B}/x`, method: 'GET', request: msg(undefined, hdrs(['origin', A], ['cookie', 'a=1'])), response: msg(200, [...acao(A), ['access-control-allow-credentials', 'true']]) }));
    expect(a.credentials).toMatchObject({ value: 'include', rule: 'credentials-cookie-sent' });
  });

  it('a Sec-Fetch-Storage-Access header: included where the browser said nothing, or the same either way', () => {
    const sent = msg(undefined, hdrs(['origin', A], ['sec-fetch-storage-access', 'none']));
    // Firefox: a response that fails only with credentials completes with no error event.
    const silent = analyzeExchange(obs({ url: `${B}/x`, method: 'GET', request: sent, response: msg(200, acao(A)), error: null }));
    expect(silent.credentials).toMatchObject({ value: 'include', rule: 'credentials-storage-access-sent' });
    const same = analyzeExchange(obs({ url: `${B}/x`, method: 'GET', request: sent, response: msg(200, []), ...failed }));
    expect(same.credentials).toMatchObject({ value: 'include', rule: 'credentials-storage-access-sent' });
    expect(findingProse(same.findings[0]!).detail).not.toContain('If this request sends credentials');
    // A failure the browser reported keeps the rule that names it.
    const star = analyzeExchange(obs({ url: `${B}/x`, method: 'GET', request: sent, response: msg(200, acao('*')), ...failed }));
    expect(star.credentials).toMatchObject({ value: 'include', rule: 'credentials-wildcard-rejected' });
  });

  it('names the browser that reported it, and the failure by that browser\'s name', () => {
    const sent = { url: `${B}/x`, method: 'PUT', preflight: sentPreflight('PUT', 'x-custom-header', goodPreflight()), request: put, response: msg(200, hdrs(['content-type', 'application/json'])), ...failed };
    expect(analyzeExchange(obs({ ...sent, browser: 'firefox' })).credentials.why).toBe('the preflight had no `Access-Control-Allow-Credentials` and Firefox sent the PUT');
    const rejected = analyzeExchange(obs({ url: `${B}/x`, method: 'GET', request: get, response: msg(200, acao(A)), ...failed, browser: 'firefox' }));
    expect(rejected.credentials.why).toBe('only credentials explain why Firefox failed it (CORSMissingAllowCredentials)');
    const undecided = analyzeExchange(obs({ url: `${B}/x`, method: 'PUT', preflight: sentPreflight('PUT', 'x-custom-header', msg(204, [...acao('*'), ['access-control-allow-methods', 'PUT']])), ...failed, browser: 'firefox' }));
    expect(undecided.credentials.why).toContain('what Firefox did fits both modes');
    expect(undecided.credentials.why).toContain('Firefox reports CORSNotSupportingCredentials instead');
    expect(findingProse(undecided.findings[0]!).detail).toContain('Chrome reports PreflightWildcardOriginNotAllowed instead (Firefox: CORSNotSupportingCredentials)');
  });

  it('nothing decides: the default case first, labelled, and the credentialed case named', () => {
    const a = analyzeExchange(obs({ url: `${B}/x`, method: 'PUT', preflight: sentPreflight('PUT', 'x-custom-header', msg(204, [...acao('*'), ['access-control-allow-methods', 'PUT']])), ...failed }));
    expect(a.credentials).toMatchObject({ value: null, rule: 'credentials-undecided' });
    expect(a.credentials.why).toContain('shown as the default of fetch() and XMLHttpRequest (not included)');
    expect(a.credentials.why).toContain('if this request sends credentials, Chrome reports PreflightWildcardOriginNotAllowed instead');
    expect(a.findings[0]!.chromeCorsError).toBe('HeaderDisallowedByPreflightResponse');
    expect(findingProse(a.findings[0]!).detail).toContain('Assumed: credentials not included');
    expect(findingProse(a.findings[0]!).detail).toContain('If this request sends credentials, Chrome reports PreflightWildcardOriginNotAllowed instead');
  });

  it('the same failure either way: undecided, no alternative to name', () => {
    const a = analyzeExchange(obs({ url: `${B}/x`, method: 'GET', request: get, response: msg(200, []), ...failed }));
    expect(a.credentials).toMatchObject({ value: null, rule: 'credentials-undecided' });
    expect(findingProse(a.findings[0]!).detail).not.toContain('If this request sends credentials');
  });
});

describe('request mode without Sec-Fetch-Mode', () => {
  it('Sec-Fetch-Mode, when sent, is the answer', () => {
    const a = analyzeExchange(obs({ url: `${B}/x`, method: 'GET', ...noMode, request: msg(undefined, hdrs(['sec-fetch-mode', 'no-cors'])), response: msg(200, []) }));
    expect(a.mode).toBe('no-cors');
    expect(a.inferred.mode.rule).toBe('mode-sec-fetch-mode');
  });
  it('a preflight, an unsafe method or header, an Origin on a GET: cors', () => {
    expect(analyzeExchange(obs({ url: `${B}/x`, method: 'PUT', ...noMode, preflight: sentPreflight('PUT', null, null) })).inferred.mode.rule).toBe('mode-preflight-sent');
    const unsafe = analyzeExchange(obs({ url: `${B}/x`, method: 'PUT', ...noMode, request: put, response: msg(200, acao(A)) }));
    expect([unsafe.mode, unsafe.inferred.mode.rule]).toEqual(['cors', 'mode-unsafe-request']);
    const origin = analyzeExchange(obs({ url: `${B}/x`, method: 'GET', ...noMode, request: get, response: msg(200, acao(A)) }));
    expect([origin.mode, origin.inferred.mode.rule]).toEqual(['cors', 'mode-origin-on-get']);
  });
  it('a GET without Origin, or an accepted POST that fails the CORS check: no-cors, not a CORS request', () => {
    const noOrigin = analyzeExchange(obs({ url: `${B}/x`, method: 'GET', ...noMode, request: msg(undefined, []), response: msg(200, []) }));
    expect([noOrigin.mode, noOrigin.inferred.mode.rule, noOrigin.verdict]).toEqual(['no-cors', 'mode-no-origin-on-get', 'not-cors']);
    const post = analyzeExchange(obs({ url: `${B}/x`, method: 'POST', ...noMode, request: get, response: msg(200, []) }));
    expect([post.mode, post.inferred.mode.rule, post.verdict]).toEqual(['no-cors', 'mode-accepted-failing-cors-check', 'not-cors']);
  });
  it('a POST failed after a response that fails the CORS check: cors', () => {
    const a = analyzeExchange(obs({ url: `${B}/x`, method: 'POST', ...noMode, request: get, response: msg(200, []), ...failed }));
    expect([a.mode, a.inferred.mode.rule, a.verdict]).toEqual(['cors', 'mode-cors-failure', 'blocked']);
  });
  it('an allowed POST whose answer passes the check: undecided, analysed as cors', () => {
    const a = analyzeExchange(obs({ url: `${B}/x`, method: 'POST', ...noMode, request: get, response: msg(200, acao('*')) }));
    expect([a.mode, a.inferred.mode.rule, a.verdict]).toEqual([null, 'mode-undecided', 'allowed']);
  });
});

describe('reached the server', () => {
  it('names the rule', () => {
    expect(analyzeExchange(obs({ url: `${B}/x`, method: 'GET', request: get, response: msg(200, []), ...failed })).inferred.reachedServer.rule).toBe('reached-response');
    expect(analyzeExchange(obs({ url: `${B}/x`, method: 'PUT', preflight: sentPreflight('PUT', null, msg(404, [])), ...failed })).inferred.reachedServer)
      .toEqual({ rule: 'reached-stopped-by-preflight', why: 'its preflight failed and the request was never sent', values: {} });
    expect(analyzeExchange(obs({ url: `${B}/x`, method: 'GET', request: get, error: 'net::ERR_EMPTY_RESPONSE' })).inferred.reachedServer.rule).toBe('reached-error-after-sent');
    expect(analyzeExchange(obs({ url: `${B}/x`, method: 'GET', request: get, error: 'net::ERR_CONNECTION_REFUSED' })).inferred.reachedServer.rule).toBe('reached-failed-before-response');
    expect(analyzeExchange(obs({ url: `${B}/x`, method: 'GET', request: get })).inferred.reachedServer.rule).toBe('reached-pending');
  });
});

describe('likely causes', () => {
  const ids = (o: Parameters<typeof analyzeExchange>[0]) => analyzeExchange(o).findings.map((f) => f.id);
  it('an error status without CORS headers: the error path, right after the error', () => {
    for (const status of [401, 403, 429, 500]) {
      expect(ids(obs({ url: `${B}/x`, method: 'GET', request: get, response: msg(status, []), ...failed })).slice(0, 2)).toEqual(['missing-allow-origin', 'cause-error-path-without-cors']);
    }
    expect(ids(obs({ url: `${B}/x`, method: 'GET', request: get, response: msg(200, []), ...failed }))).toEqual(['missing-allow-origin']);
  });
  it('a preflight answered 401/403: authentication before CORS; 404/405: no OPTIONS route', () => {
    expect(ids(obs({ url: `${B}/x`, method: 'PUT', preflight: sentPreflight('PUT', null, msg(403, goodPreflight().headers)), ...failed }))).toContain('cause-preflight-auth');
    expect(ids(obs({ url: `${B}/x`, method: 'PUT', preflight: sentPreflight('PUT', null, msg(404, [])), ...failed }))).toContain('cause-no-options-route');
  });
  it('says which part of an almost-matching origin differs', () => {
    expect(nearMissDifference('http://127.0.0.1:3000', 'http://127.0.0.1:5173')).toBe('the port: 5173 here, 3000 allowed');
    expect(nearMissDifference('https://app.example', 'http://app.example')).toBe('the scheme: http here, https allowed; the port: 80 here, 443 allowed');
    expect(nearMissDifference('https://www.app.example', 'https://app.example')).toBe('`www.`: app.example here, www.app.example allowed');
    expect(nearMissDifference('https://app.example/', 'https://app.example')).toBe('a trailing slash (an origin has none)');
    expect(nearMissDifference('https://other.example', 'https://app.example')).toBeNull();
    expect(nearMissDifference('*', 'https://app.example')).toBeNull();
  });
  it('a shared cache answer for another origin without Vary: Origin; not when Vary lists Origin', () => {
    const cached = [...acao('https://other.example'), ['age', '60'] as [string, string], ['cf-cache-status', 'HIT'] as [string, string]];
    const f = analyzeExchange(obs({ url: `${B}/x`, method: 'GET', request: get, response: msg(200, cached), ...failed })).findings;
    expect(f[1]!.id).toBe('cause-shared-cache');
    expect(findingProse(f[1]!).detail).toContain('age: 60, cf-cache-status: HIT');
    expect(ids(obs({ url: `${B}/x`, method: 'GET', request: get, response: msg(200, [...cached, ['vary', 'Origin']]), ...failed }))).not.toContain('cause-shared-cache');
  });
});
