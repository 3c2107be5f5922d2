/**
 * The server set-ups of lab/README.md (what the lab serves and the end-to-end
 * suite holds to Chrome), each as the Observation the capture would build.
 */
import { describe, expect, it } from 'vitest';
import { findingProse } from './describe';
import { analyzeExchange } from './analyze';
import { A, B, hdrs, msg, obs, sentPreflight } from './test-helpers';

const failed = { error: 'net::ERR_FAILED' };
const jsonAuth = msg(undefined, hdrs(['origin', A], ['content-type', 'application/json'], ['authorization', 'Bearer abc']));
const goPreflight = msg(204, hdrs(
  ['access-control-allow-origin', '*'],
  ['access-control-allow-methods', 'POST, GET, OPTIONS, PUT, DELETE'],
  ['access-control-allow-headers', 'Content-Type, Authorization, X-Requested-With, Accept, Accept-Encoding'],
  ['access-control-max-age', '86400'],
));

describe('server set-ups the lab serves', () => {
  it('1. Go middleware, * and a JSON POST with Authorization: allowed, Max-Age above Chrome\'s cap', () => {
    const a = analyzeExchange(obs({
      url: `${B}/go`, method: 'POST', preflight: sentPreflight('POST', 'authorization,content-type', goPreflight),
      request: jsonAuth, response: msg(200, hdrs(['access-control-allow-origin', '*'])),
    }));
    expect(a.verdict).toBe('allowed');
    expect(a.preflight.reasons).toEqual([
      'content-type application/json is not one of the three safelisted types',
      'header authorization is not CORS-safelisted',
    ]);
    expect(a.findings.map((f) => f.id)).toEqual(['max-age-above-chrome-cap']);
    expect(a.credentials.value).toBe('omit-or-same-origin');
  });

  it('1b. the same with credentials: include: PreflightWildcardOriginNotAllowed, include inferred', () => {
    const a = analyzeExchange(obs({ url: `${B}/go`, method: 'POST', preflight: sentPreflight('POST', 'authorization,content-type', goPreflight), ...failed }));
    expect(a.findings[0]!.chromeCorsError).toBe('PreflightWildcardOriginNotAllowed');
    expect(a.credentials).toEqual({ value: 'include', inferred: true, why: 'only credentials explain why Chrome rejected `Access-Control-Allow-Origin: *`', rule: 'credentials-wildcard-rejected', values: { browser: 'Chrome' } });
    expect(a.reachedServer).toBe(false);
  });

  it('2. no OPTIONS handler (405): PreflightMissingAllowOriginHeader', () => {
    const a = analyzeExchange(obs({ url: `${B}/no-options`, method: 'POST', preflight: sentPreflight('POST', 'authorization,content-type', msg(405, hdrs(['allow', 'GET, POST']))), ...failed }));
    expect(a.findings[0]!.chromeCorsError).toBe('PreflightMissingAllowOriginHeader');
    expect(findingProse(a.findings[0]!).fix).toContain('Answer OPTIONS /no-options with status 204');
  });

  it('3. Gin, simple GET with *: allowed, nothing to say', () => {
    const a = analyzeExchange(obs({ url: `${B}/gin`, method: 'GET', request: msg(undefined, hdrs(['origin', A])), response: msg(200, hdrs(['access-control-allow-origin', '*'])) }));
    expect(a.verdict).toBe('allowed');
    expect(a.findings).toEqual([]);
    expect(a.preflight).toEqual({ required: false, reasons: [] });
  });

  const ginPreflight = msg(204, hdrs(['access-control-allow-origin', '*'], ['access-control-allow-headers', 'Content-Type,X-Custom-Header']));
  it('4. Gin preflight allowing X-Custom-Header: allowed; another header: HeaderDisallowedByPreflightResponse', () => {
    const ok = analyzeExchange(obs({
      url: `${B}/gin4`, method: 'POST', preflight: sentPreflight('POST', 'x-custom-header', ginPreflight),
      request: msg(undefined, hdrs(['origin', A], ['x-custom-header', '1'])), response: msg(200, hdrs(['access-control-allow-origin', '*'])),
    }));
    expect(ok.verdict).toBe('allowed');
    const ko = analyzeExchange(obs({ url: `${B}/gin4`, method: 'POST', preflight: sentPreflight('POST', 'x-other', ginPreflight), ...failed }));
    expect(ko.findings[0]).toMatchObject({ chromeCorsError: 'HeaderDisallowedByPreflightResponse', failedParameter: 'x-other' });
    expect(findingProse(ko.findings[0]!).fix).toBe('Add `Access-Control-Allow-Headers: Content-Type, X-Custom-Header, x-other` to the OPTIONS response of /gin4.');
  });

  it('5. gin-contrib/cors: reflected origin with credentials, exposed header, 1 h Max-Age', () => {
    const a = analyzeExchange(obs({
      url: 'http://127.0.0.1:34255/gc', method: 'PUT',
      preflight: sentPreflight('PUT', null, msg(204, hdrs(
        ['access-control-allow-origin', A], ['access-control-allow-credentials', 'true'],
        ['access-control-allow-methods', 'GET,PUT'], ['access-control-max-age', '3600'], ['vary', 'Origin'],
      ))),
      request: msg(undefined, hdrs(['origin', A], ['cookie', 'sid=1'])),
      response: msg(200, hdrs(['access-control-allow-origin', A], ['access-control-allow-credentials', 'true'], ['access-control-expose-headers', 'X-jwt-token'], ['vary', 'Origin'])),
    }));
    expect(a.verdict).toBe('allowed');
    expect(a.findings.map((f) => f.id)).toEqual(['reflected-origin-with-credentials']);
  });

  it('6. Express allowing only https://example.com: AllowOriginMismatch', () => {
    const a = analyzeExchange(obs({ url: `${B}/express`, method: 'GET', request: msg(undefined, hdrs(['origin', A])), response: msg(200, hdrs(['access-control-allow-origin', 'https://example.com'], ['vary', 'Origin'])), ...failed }));
    expect(a.findings[0]).toMatchObject({ chromeCorsError: 'AllowOriginMismatch', failedParameter: 'https://example.com' });
    expect(a.reachedServer).toBe(true);
  });

  it('7. CORS headers only in the GET handler, called with a custom header: PreflightMissingAllowOriginHeader', () => {
    const a = analyzeExchange(obs({ url: `${B}/route`, method: 'GET', preflight: sentPreflight('GET', 'x-custom', msg(204, hdrs(['allow', 'GET,HEAD']))), ...failed }));
    expect(a.findings[0]!.chromeCorsError).toBe('PreflightMissingAllowOriginHeader');
    expect(a.preflight.reasons).toEqual(['header x-custom is not CORS-safelisted']);
  });

  const phpPreflight = msg(200, hdrs(['access-control-allow-origin', A], ['access-control-allow-methods', 'GET'], ['access-control-allow-headers', 'X-Requested-With']));
  it('8. PHP preflight allowing only GET: PUT → MethodDisallowed; GET → MissingAllowOrigin on the real response', () => {
    const put = analyzeExchange(obs({ url: `${B}/php`, method: 'PUT', preflight: sentPreflight('PUT', 'x-requested-with', phpPreflight), ...failed }));
    expect(put.findings[0]).toMatchObject({ chromeCorsError: 'MethodDisallowedByPreflightResponse', failedParameter: 'PUT' });
    const get = analyzeExchange(obs({
      url: `${B}/php`, method: 'GET', preflight: sentPreflight('GET', 'x-requested-with', phpPreflight),
      request: msg(undefined, hdrs(['origin', A], ['x-requested-with', 'XMLHttpRequest'])), response: msg(200, []), ...failed,
    }));
    expect(get.findings[0]).toMatchObject({ chromeCorsError: 'MissingAllowOriginHeader', stage: 'actual' });
    expect(get.reachedServer).toBe(true);
  });

  it('9. preflight fine, real response without Allow-Origin: MissingAllowOriginHeader after reaching the server', () => {
    const a = analyzeExchange(obs({
      url: `${B}/nine`, method: 'PUT',
      preflight: sentPreflight('PUT', 'x-custom-header', msg(204, hdrs(['access-control-allow-origin', A], ['access-control-allow-methods', 'PUT'], ['access-control-allow-headers', 'X-Custom-Header']))),
      request: msg(undefined, hdrs(['origin', A], ['x-custom-header', '1'])), response: msg(200, []), ...failed,
    }));
    expect(a.findings[0]).toMatchObject({ chromeCorsError: 'MissingAllowOriginHeader', stage: 'actual' });
    expect(findingProse(a.findings[0]!).fix).toBe(`Add \`Access-Control-Allow-Origin: ${A}\` to the PUT response of /nine.`);
    expect(a.reachedServer).toBe(true);
  });
});
