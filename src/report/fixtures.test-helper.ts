import type { Finding, FindingValues } from '../cors/types';
import type { Exchange } from '../traffic/exchange';

/** Hand-built exchanges, one per shape the report must carry. Shared by the report tests. */

const APP = 'https://app.example';
const API = 'https://api.example';
const T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z

export const EXPORTED_AT = '2026-01-01T00:05:00.000Z';
export const SESSION_COOKIE = 'session=3f9a1c2b7d8e4f60a1b2c3d4e5f6a7b8';
export const BEARER = 'Bearer eyJhbGciOiJIUzI1NiJ9.payload.signature';

/** The values every finding quotes, for a request from APP to `url`. */
export function seen(url: string, method = 'GET', over: Partial<FindingValues> = {}): FindingValues {
  return { origin: APP, url, path: new URL(url).pathname, method, credentials: null, ...over };
}

function finding(over: Partial<Finding> & Pick<Finding, 'id'>): Finding {
  return {
    severity: 'error',
    stage: 'actual',
    chromeCorsError: null,
    failedParameter: null,
    values: seen(`${API}/items`),
    ...over,
  };
}

function base(id: string, over: Partial<Exchange> = {}): Exchange {
  return {
    id,
    startedAt: T0 + Number(id) * 1000,
    url: `${API}/items/${id}`,
    method: 'GET',
    initiatorOrigin: APP,
    resourceType: 'xmlhttprequest',
    redirects: [],
    mode: 'cors',
    credentials: { value: 'omit-or-same-origin', inferred: true, why: 'no Cookie or Authorization header was sent' },
    preflight: null,
    request: { headers: [['origin', APP], ['sec-fetch-mode', 'cors'], ['accept', '*/*']] },
    response: { statusCode: 200, headers: [['content-type', 'application/json'], ['access-control-allow-origin', APP]] },
    error: null,
    reachedServer: true,
    verdict: 'allowed',
    findings: [],
    ...over,
  };
}

/** PUT with a custom header; the preflight's response has no Access-Control-Allow-Origin. */
export const blockedByPreflight: Exchange = base('1', {
  method: 'PUT',
  credentials: { value: 'include', inferred: true, why: 'the Cookie header was sent' },
  preflight: {
    required: true,
    reasons: ['method PUT is not a CORS-safelisted method', 'header x-api-key is not CORS-safelisted'],
    observed: 'sent',
    request: { headers: [['origin', APP], ['access-control-request-method', 'PUT'], ['access-control-request-headers', 'x-api-key']] },
    response: { statusCode: 204, headers: [['allow', 'GET, PUT']] },
    error: 'net::ERR_FAILED',
  },
  request: { headers: [['origin', APP], ['cookie', SESSION_COOKIE], ['x-api-key', 'k-123']] },
  response: null,
  error: 'net::ERR_FAILED',
  reachedServer: false,
  verdict: 'blocked',
  findings: [
    finding({
      id: 'preflight-missing-allow-origin',
      stage: 'preflight',
      chromeCorsError: 'PreflightMissingAllowOriginHeader',
      values: seen(`${API}/items/1`, 'PUT', { credentials: 'include', received: null, status: 204, requestedHeaders: ['x-api-key'] }),
    }),
  ],
});

/** A simple GET that passed, with a warning: the origin is echoed without Vary: Origin. */
export const allowedWithWarning: Exchange = base('2', {
  findings: [
    finding({
      id: 'allow-origin-without-vary',
      severity: 'warning',
      values: seen(`${API}/items/2`, 'GET', { received: APP }),
    }),
  ],
});

/** A request whose preflight came from the browser's preflight cache. */
export const cachedPreflight: Exchange = base('3', {
  method: 'DELETE',
  preflight: {
    required: true,
    reasons: ['method DELETE is not a CORS-safelisted method'],
    observed: 'cached',
    request: { headers: [] },
    response: null,
    error: null,
    cacheExpiresAt: T0 + 3000 + 7_200_000,
  },
  response: { statusCode: 204, headers: [['access-control-allow-origin', APP]] },
});

/** Redirected to another origin; the final response lacks ACAO. */
export const redirected: Exchange = base('4', {
  url: `${API}/old`,
  redirects: [{ statusCode: 302, location: 'https://cdn.example/new', headers: [['location', 'https://cdn.example/new'], ['access-control-allow-origin', APP]] }],
  response: { statusCode: 200, headers: [['content-type', 'text/plain']] },
  error: 'net::ERR_FAILED',
  verdict: 'blocked',
  findings: [
    finding({
      id: 'missing-allow-origin',
      chromeCorsError: 'MissingAllowOriginHeader',
      values: seen('https://cdn.example/new', 'GET', { received: null, status: 200 }),
    }),
  ],
});

/** An <img> in no-cors mode: CORS does not apply. */
export const notCors: Exchange = base('5', {
  url: 'https://img.example/logo.png',
  resourceType: 'image',
  mode: 'no-cors',
  request: { headers: [['sec-fetch-mode', 'no-cors']] },
  response: { statusCode: 200, headers: [['content-type', 'image/png']] },
  verdict: 'not-cors',
  credentials: { value: 'include', inferred: true, why: 'no-cors requests include credentials by default' },
});

/** DNS failure: the request never got as far as CORS. */
export const failedBeforeCors: Exchange = base('6', {
  url: 'https://nowhere.invalid/x',
  response: null,
  error: 'net::ERR_NAME_NOT_RESOLVED',
  reachedServer: false,
  verdict: 'failed-before-cors',
  mode: null,
  credentials: { value: null, inferred: true, why: 'not observed' },
});

/** Credentialed request answered with `*`, rewritten by a local override, plus a warning. */
export const wildcardWithCredentials: Exchange = base('7', {
  method: 'POST',
  credentials: { value: 'include', inferred: true, why: 'inferred: only credentials mode include explains why Chrome rejected *' },
  request: { headers: [['origin', APP], ['authorization', BEARER], ['content-type', 'text/plain']] },
  response: { statusCode: 200, headers: [['access-control-allow-origin', '*'], ['set-cookie', 'id=abcdef0123456789; Secure']] },
  finalResponse: { statusCode: 200, headers: [['access-control-allow-origin', APP], ['access-control-allow-credentials', 'true']] },
  preflight: {
    required: false,
    reasons: [],
    observed: 'missing',
    request: { headers: [] },
    response: null,
    finalResponse: { statusCode: 204, headers: [['access-control-allow-origin', APP]] },
    error: null,
  },
  error: 'net::ERR_FAILED',
  verdict: 'blocked',
  findings: [
    finding({
      id: 'wildcard-origin-with-credentials',
      chromeCorsError: 'WildcardOriginNotAllowed',
      failedParameter: '*',
      // A value quoted from the exchange that is also a secret: redaction must reach it.
      values: seen(`${API}/items/7`, 'GET', { credentials: 'include', received: '*', header: BEARER }),
    }),
    finding({ id: 'null-origin-allowed', severity: 'warning', chromeCorsError: null }),
  ],
});

/** Verdict unknown (e.g. the tab closed mid-flight), with an unknown older Chrome error name. */
export const unknownVerdict: Exchange = base('8', {
  response: null,
  reachedServer: false,
  verdict: 'unknown',
  findings: [finding({ id: 'insecure-private-network', chromeCorsError: 'InsecurePrivateNetwork', stage: 'preflight' })],
});

export const realisticExchanges: readonly Exchange[] = [
  blockedByPreflight,
  allowedWithWarning,
  cachedPreflight,
  redirected,
  notCors,
  failedBeforeCors,
  wildcardWithCredentials,
  unknownVerdict,
];

/** Values chosen to break HTML, Markdown tables, code spans and terminals. */
export const HOSTILE = [
  '<script>alert(1)</script>',
  '</table></details><img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  "' onmouseover='alert(1)",
  '``` ` `` |a|b| \\| \\',
  'line1\nline2\r\n| x | y |',
  'nul\u0000byte and \u202Eevil bidi',
  'ünïcödé 🚀 日本語',
  '[click](javascript:alert(1)) <https://evil.example> @everyone',
];

export const hostile: Exchange = base('9', {
  url: `${API}/${HOSTILE[0]}?q=${HOSTILE[4]}`,
  method: 'GET<script>',
  initiatorOrigin: HOSTILE[2]!,
  resourceType: HOSTILE[8]!,
  request: { headers: HOSTILE.map((h, i) => [i === 0 ? h : `x-evil-${i}`, h]) },
  response: { statusCode: 200, headers: HOSTILE.map((h) => [h, h]) },
  redirects: [{ statusCode: 301, location: HOSTILE[1]!, headers: [[HOSTILE[5]!, HOSTILE[3]!]] }],
  verdict: 'blocked',
  error: HOSTILE[5]!,
  findings: [
    finding({
      id: 'allow-origin-mismatch',
      chromeCorsError: HOSTILE[4]!,
      failedParameter: HOSTILE[1]!,
      values: { origin: HOSTILE[2]!, url: HOSTILE.join(' '), path: HOSTILE[0]!, method: HOSTILE[5]!, credentials: null, received: HOSTILE[4]!, header: HOSTILE[8]! },
    }),
    // An id this version does not know (a report from a newer CORS Lens): shown by its id.
    finding({ id: 'script-alert-1', chromeCorsError: HOSTILE[0]!, values: seen(`${API}/x`) }),
  ],
});

