/**
 * One case per exchange of traces/chromium-156-webrequest-and-cdp.txt, built by
 * hand from its webRequest (WR) lines, held to Chrome's own verdict
 * (CDP Network.loadingFailed corsErrorStatus).
 */
import { describe, expect, it } from 'vitest';
import { findingProse } from './describe';
import { analyzeExchange } from './analyze';
import { A, B, hdrs, msg, obs, sentPreflight } from './test-helpers';
import type { Observation } from './types';

const fullPreflight = msg(204, hdrs(
  ['access-control-allow-origin', A],
  ['access-control-allow-methods', 'PUT, GET, POST'],
  ['access-control-allow-headers', 'x-custom, content-type'],
));
const putJson = msg(undefined, hdrs(['X-Custom', '1'], ['Content-Type', 'application/json'], ['Origin', A]));

interface TraceCase {
  name: string;
  o: Observation;
  verdict: string;
  corsError: string | null;
  failedParameter?: string;
  reachedServer: boolean;
  credentials?: string | null;
}

const cases: TraceCase[] = [
  {
    name: 'a: preflighted PUT, preflight and response correct',
    o: obs({
      url: `${B}/a?s=a`, method: 'PUT',
      preflight: sentPreflight('PUT', 'content-type,x-custom', fullPreflight),
      request: putJson,
      response: msg(200, hdrs(['access-control-allow-origin', A])),
    }),
    verdict: 'allowed', corsError: null, reachedServer: true,
  },
  {
    name: 'b404: preflight 404 without CORS headers',
    o: obs({
      url: `${B}/b404?s=b404`, method: 'PUT',
      preflight: sentPreflight('PUT', 'content-type,x-custom', msg(404, [])),
      error: 'net::ERR_FAILED',
    }),
    verdict: 'blocked', corsError: 'PreflightMissingAllowOriginHeader', failedParameter: '', reachedServer: false,
  },
  {
    name: 'b405: preflight 405 without CORS headers',
    o: obs({
      url: `${B}/b405?s=b405`, method: 'PUT',
      preflight: sentPreflight('PUT', 'content-type,x-custom', msg(405, [])),
      error: 'net::ERR_FAILED',
    }),
    verdict: 'blocked', corsError: 'PreflightMissingAllowOriginHeader', failedParameter: '', reachedServer: false,
  },
  {
    name: 'c: Allow-Headers lacks x-custom',
    o: obs({
      url: `${B}/c?s=c`, method: 'PUT',
      preflight: sentPreflight('PUT', 'content-type,x-custom', msg(204, hdrs(
        ['access-control-allow-origin', A],
        ['access-control-allow-methods', 'PUT, GET, POST'],
        ['access-control-allow-headers', 'content-type'],
      ))),
      error: 'net::ERR_FAILED',
    }),
    verdict: 'blocked', corsError: 'HeaderDisallowedByPreflightResponse', failedParameter: 'x-custom', reachedServer: false,
  },
  {
    name: 'c2: preflight 200 with Allow-Methods only',
    o: obs({
      url: `${B}/c2?s=c2`, method: 'PUT',
      preflight: sentPreflight('PUT', 'x-custom', msg(200, hdrs(['access-control-allow-methods', 'PUT']))),
      error: 'net::ERR_FAILED',
    }),
    verdict: 'blocked', corsError: 'PreflightMissingAllowOriginHeader', failedParameter: '', reachedServer: false,
  },
  {
    name: 'd: simple GET, no Allow-Origin',
    o: obs({
      url: `${B}/d?s=d`, method: 'GET',
      request: msg(undefined, hdrs(['Origin', A])),
      response: msg(200, []),
      error: 'net::ERR_FAILED',
    }),
    verdict: 'blocked', corsError: 'MissingAllowOriginHeader', failedParameter: '', reachedServer: true,
  },
  {
    name: 'e: credentials include (cross-site, no cookie sent) with Allow-Origin *',
    o: obs({
      url: `${B}/e?s=e`, method: 'GET',
      request: msg(undefined, hdrs(['Origin', A])),
      response: msg(200, hdrs(['access-control-allow-origin', '*'])),
      error: 'net::ERR_FAILED',
    }),
    verdict: 'blocked', corsError: 'WildcardOriginNotAllowed', failedParameter: '', reachedServer: true, credentials: 'include',
  },
  {
    name: 'eSameSite: cookie sent, Allow-Origin *',
    o: obs({
      url: 'http://127.0.0.1:34255/e?s=eSameSite', method: 'GET',
      request: msg(undefined, hdrs(['Origin', A], ['Cookie', 'sidLax=abc; sidNone=xyz'])),
      response: msg(200, hdrs(['access-control-allow-origin', '*'])),
      error: 'net::ERR_FAILED',
    }),
    verdict: 'blocked', corsError: 'WildcardOriginNotAllowed', failedParameter: '', reachedServer: true, credentials: 'include',
  },
  {
    name: 'f: Allow-Origin names another origin',
    o: obs({
      url: `${B}/f?s=f`, method: 'GET',
      request: msg(undefined, hdrs(['Origin', A])),
      response: msg(200, hdrs(['access-control-allow-origin', 'http://example.com'])),
      error: 'net::ERR_FAILED',
    }),
    verdict: 'blocked', corsError: 'AllowOriginMismatch', failedParameter: 'http://example.com', reachedServer: true,
  },
  {
    name: 'g: preflight answered 302 (with correct CORS headers)',
    o: obs({
      url: `${B}/g?s=g`, method: 'PUT',
      preflight: sentPreflight('PUT', 'content-type,x-custom', msg(302, hdrs(
        ['location', '/a'],
        ['access-control-allow-origin', A],
        ['access-control-allow-methods', 'PUT, GET, POST'],
        ['access-control-allow-headers', 'x-custom, content-type'],
      ))),
      error: 'net::ERR_FAILED',
    }),
    verdict: 'blocked', corsError: 'PreflightDisallowedRedirect', failedParameter: '', reachedServer: false,
  },
  {
    name: 'g2: simple GET redirected within origin B, Allow-Origin on both',
    o: obs({
      url: `${B}/g2?s=g2`, method: 'GET',
      request: msg(undefined, hdrs(['Origin', A])),
      redirects: [{ statusCode: 302, location: `${B}/d-ok`, headers: hdrs(['location', '/d-ok'], ['access-control-allow-origin', A]) }],
      response: msg(200, hdrs(['access-control-allow-origin', A])),
    }),
    verdict: 'allowed', corsError: null, reachedServer: true,
  },
  {
    name: 'b404acao: preflight 404 with correct CORS headers',
    o: obs({
      url: `${B}/b404acao?s=b404acao`, method: 'PUT',
      preflight: sentPreflight('PUT', 'content-type,x-custom', msg(404, fullPreflight.headers)),
      error: 'net::ERR_FAILED',
    }),
    verdict: 'blocked', corsError: 'PreflightInvalidStatus', failedParameter: '', reachedServer: false,
  },
  {
    name: 'm: Allow-Methods lacks PUT',
    o: obs({
      url: `${B}/m?s=m`, method: 'PUT',
      preflight: sentPreflight('PUT', 'content-type', msg(204, hdrs(
        ['access-control-allow-origin', A],
        ['access-control-allow-methods', 'GET, POST'],
        ['access-control-allow-headers', 'x-custom, content-type'],
      ))),
      error: 'net::ERR_FAILED',
    }),
    verdict: 'blocked', corsError: 'MethodDisallowedByPreflightResponse', failedParameter: 'PUT', reachedServer: false,
  },
  {
    name: 'credNoAcac: credentials include, exact origin, no Allow-Credentials',
    o: obs({
      url: `${B}/credNoAcac?s=credNoAcac`, method: 'GET',
      request: msg(undefined, hdrs(['Origin', A])),
      response: msg(200, hdrs(['access-control-allow-origin', A])),
      error: 'net::ERR_FAILED',
    }),
    verdict: 'blocked', corsError: 'InvalidAllowCredentials', failedParameter: '', reachedServer: true, credentials: 'include',
  },
  {
    name: 'credPreStar: credentials include, preflight Allow-Origin *',
    o: obs({
      url: `${B}/credPreStar?s=credPreStar`, method: 'PUT',
      preflight: sentPreflight('PUT', 'x-custom', msg(204, hdrs(
        ['access-control-allow-origin', '*'],
        ['access-control-allow-methods', 'PUT, GET, POST'],
        ['access-control-allow-headers', 'x-custom, content-type'],
      ))),
      error: 'net::ERR_FAILED',
    }),
    verdict: 'blocked', corsError: 'PreflightWildcardOriginNotAllowed', failedParameter: '', reachedServer: false, credentials: 'include',
  },
  {
    name: 'refused: connection refused is not a CORS failure',
    o: obs({
      url: 'http://127.0.0.1:59999/x?s=refused', method: 'GET',
      request: msg(undefined, hdrs(['Origin', A])),
      error: 'net::ERR_CONNECTION_REFUSED',
    }),
    verdict: 'failed-before-cors', corsError: null, reachedServer: false,
  },
  ...[38, 39, 40].map((id): TraceCase => ({
    name: `par: parallel PUT ${id}, text/plain + x-custom`,
    o: obs({
      url: `${B}/par?s=par`, method: 'PUT',
      preflight: sentPreflight('PUT', 'x-custom', fullPreflight),
      request: msg(undefined, hdrs(['X-Custom', '1'], ['Content-Type', 'text/plain;charset=UTF-8'], ['Origin', A])),
      response: msg(200, hdrs(['access-control-allow-origin', A])),
    }),
    verdict: 'allowed', corsError: null, reachedServer: true,
  })),
  {
    name: 'h1: preflight with Max-Age 600',
    o: obs({
      url: `${B}/h?s=h`, method: 'PUT',
      preflight: sentPreflight('PUT', 'content-type,x-custom', msg(204, [...fullPreflight.headers, ['access-control-max-age', '600']])),
      request: putJson,
      response: msg(200, hdrs(['access-control-allow-origin', A])),
    }),
    verdict: 'allowed', corsError: null, reachedServer: true,
  },
  {
    name: 'h2: same request within Max-Age: preflight cached',
    o: obs({
      url: `${B}/h?s=h`, method: 'PUT',
      preflight: { observed: 'cached', request: null, response: null, error: null },
      request: putJson,
      response: msg(200, hdrs(['access-control-allow-origin', A])),
    }),
    verdict: 'allowed', corsError: null, reachedServer: true,
  },
];

describe('analyzeExchange on the Chromium 156 traces', () => {
  it.each(cases)('$name', (c) => {
    const a = analyzeExchange(c.o);
    expect(a.verdict).toBe(c.verdict);
    expect(a.reachedServer).toBe(c.reachedServer);
    const firstError = a.findings.find((f) => f.severity === 'error');
    if (c.corsError === null) {
      expect(firstError?.chromeCorsError ?? null).toBeNull();
    } else {
      expect(a.findings[0]?.severity).toBe('error');
      expect(a.findings[0]?.chromeCorsError).toBe(c.corsError);
      expect(a.findings[0]?.failedParameter).toBe(c.failedParameter);
    }
    if (c.credentials !== undefined) expect(a.credentials.value).toBe(c.credentials);
  });

  it('b404: explains the preflight with the reasons from Access-Control-Request-*', () => {
    const a = analyzeExchange(cases[1]!.o);
    expect(a.preflight.required).toBe(true);
    expect(a.preflight.reasons[0]).toBe('method PUT is not CORS-safelisted');
    expect(a.preflight.reasons).toContain('header x-custom is not CORS-safelisted');
    expect(findingProse(a.findings[0]!).fix).toBe(
      'Answer OPTIONS /b404 with status 204 (it was 404), and add `Access-Control-Allow-Origin: http://127.0.0.1:32943`, `Access-Control-Allow-Methods: PUT` and `Access-Control-Allow-Headers: content-type, x-custom` to that response.',
    );
  });

  it('a: reasons name the method, the header and the content-type', () => {
    const a = analyzeExchange(cases[0]!.o);
    expect(a.preflight).toEqual({
      required: true,
      reasons: [
        'method PUT is not CORS-safelisted',
        'header x-custom is not CORS-safelisted',
        'content-type application/json is not one of the three safelisted types',
      ],
    });
  });

  it('c: the fix is the exact Allow-Headers line for the OPTIONS response of the path', () => {
    const f = analyzeExchange(cases[3]!.o).findings[0]!;
    expect(f.id).toBe('header-not-allowed-by-preflight');
    expect(findingProse(f).fix).toBe('Add `Access-Control-Allow-Headers: content-type, x-custom` to the OPTIONS response of /c.');
    expect(findingProse(f).detail).toContain('`x-custom`');
  });

  it('e: the credentials inference says why', () => {
    expect(analyzeExchange(cases[6]!.o).credentials).toEqual({
      value: 'include', inferred: true, why: 'only credentials explain why Chrome rejected `Access-Control-Allow-Origin: *`', rule: 'credentials-wildcard-rejected', values: { browser: 'Chrome' },
    });
    expect(analyzeExchange(cases[7]!.o).credentials).toEqual({
      value: 'include', inferred: true, why: 'the request carried a Cookie header', rule: 'credentials-cookie-sent', values: {},
    });
  });

  it('f: the detail quotes the value received and the origin sent', () => {
    const f = analyzeExchange(cases[8]!.o).findings[0]!;
    expect(findingProse(f).detail).toContain('`Access-Control-Allow-Origin: http://example.com`');
    expect(findingProse(f).detail).toContain(`\`Origin: ${A}\``);
    expect(findingProse(f).fix).toBe(`Change it to \`Access-Control-Allow-Origin: ${A}\` on the GET response of /f (add this origin to the server's allow-list).`);
  });

  it('refused: a network-error finding, never labelled CORS', () => {
    const a = analyzeExchange(cases[15]!.o);
    expect(a.findings).toHaveLength(1);
    expect(a.findings[0]!.id).toBe('network-error');
    expect(a.findings[0]!.chromeCorsError).toBeNull();
    expect(findingProse(a.findings[0]!).detail).toContain('net::ERR_CONNECTION_REFUSED');
  });

  it('h2: a cached preflight is still required, with reasons from the request', () => {
    const a = analyzeExchange(cases[cases.length - 1]!.o);
    expect(a.preflight.required).toBe(true);
    expect(a.preflight.reasons).toContain('header x-custom is not CORS-safelisted');
  });

  it('a: an allowed exchange without Allow-Credentials was not credentialed; only the Vary warning', () => {
    const a = analyzeExchange(cases[0]!.o);
    expect(a.findings.map((f) => f.id)).toEqual(['allow-origin-without-vary']);
    expect(a.credentials).toEqual({
      value: 'omit-or-same-origin',
      inferred: true,
      why: 'the preflight had no `Access-Control-Allow-Credentials` and Chrome sent the PUT',
      rule: 'credentials-preflight-passed',
      values: { browser: 'Chrome', case: 'no-allow-credentials', method: 'PUT' },
    });
  });
});
