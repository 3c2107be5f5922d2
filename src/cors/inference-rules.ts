/**
 * Every inference rule, in one list: what the browser does not tell an
 * extension (the credentials mode, sometimes the request's mode, whether the
 * request reached the server, why no preflight was seen), and the evidence
 * that decides it. `docs/inference.md` is this list in words; the engine
 * reports the id of the rule that decided each inferred field.
 */
import { SPEC } from './catalogue-entry';
import type { ReasonValues } from './types';

export type InferredField = 'credentials' | 'mode' | 'reachedServer' | 'preflight';

export interface InferenceRule {
  id: string;
  field: InferredField;
  /** What the rule reads. */
  evidence: string;
  /** What it concludes. */
  concludes: string;
  spec: string;
}

const FETCH_METADATA = 'https://w3c.github.io/webappsec-fetch-metadata/#sec-fetch-mode-header';
const STORAGE_ACCESS_HEADERS = 'https://privacycg.github.io/storage-access-headers/#sec-fetch-storage-access';

/** In the order the engine tries them, per field. */
export const INFERENCE_RULES = [
  // ── credentials mode ──
  {
    id: 'credentials-cookie-sent', field: 'credentials',
    evidence: 'a `Cookie` header on the cross-origin request (a page cannot set it; the browser adds it only when credentials are included)',
    concludes: 'include', spec: `${SPEC}#http-network-or-cache-fetch`,
  },
  {
    id: 'credentials-preflight-passed', field: 'credentials',
    evidence: 'the preflight answer fails with credentials (no `Access-Control-Allow-Credentials: true`, or `*` in Allow-Origin, -Methods or -Headers), yet the browser went on and sent the request',
    concludes: 'not included', spec: `${SPEC}#cors-preflight-fetch-0`,
  },
  {
    id: 'credentials-wildcard-accepted', field: 'credentials',
    evidence: 'the browser accepted a response (or followed a redirect) whose `Access-Control-Allow-Origin` is `*`',
    concludes: 'not included', spec: `${SPEC}#concept-cors-check`,
  },
  {
    id: 'credentials-accepted-without-allow-credentials', field: 'credentials',
    evidence: 'the browser accepted a response (or followed a redirect) without `Access-Control-Allow-Credentials: true`',
    concludes: 'not included', spec: `${SPEC}#concept-cors-check`,
  },
  {
    id: 'credentials-wildcard-rejected', field: 'credentials',
    evidence: 'the browser failed the request where an `Access-Control-Allow-Origin: *` answer is, and without credentials that answer passes (Chrome: WildcardOriginNotAllowed, PreflightWildcardOriginNotAllowed)',
    concludes: 'include', spec: `${SPEC}#cors-protocol-and-credentials`,
  },
  {
    id: 'credentials-allow-credentials-rejected', field: 'credentials',
    evidence: 'the browser failed the request where an answer lacks `Access-Control-Allow-Credentials: true`, and without credentials that answer passes (Chrome: InvalidAllowCredentials, PreflightInvalidAllowCredentials)',
    concludes: 'include', spec: `${SPEC}#cors-protocol-and-credentials`,
  },
  {
    id: 'credentials-fails-only-with-credentials', field: 'credentials',
    evidence: 'the browser failed the request where a rule fails only with credentials (`*` in Allow-Methods or Allow-Headers is a wildcard only without them)',
    concludes: 'include', spec: `${SPEC}#cors-preflight-fetch-0`,
  },
  {
    id: 'credentials-storage-access-sent', field: 'credentials',
    evidence: 'a `Sec-Fetch-Storage-Access` header on the request, where no failure the browser reported decides the mode (a page cannot set it; Chrome and Firefox send it only on a cross-site request whose credentials mode is "include", to a potentially trustworthy URL)',
    concludes: 'include', spec: STORAGE_ACCESS_HEADERS,
  },
  {
    id: 'credentials-undecided', field: 'credentials',
    evidence: 'what the browser did fits both modes (no Cookie, no Sec-Fetch-Storage-Access; the absence of a Cookie proves nothing: a cross-site request carries none even with credentials)',
    concludes: 'not decided: findings follow the default of fetch() and XMLHttpRequest (not included), the other case is named as the alternative',
    spec: `${SPEC}#concept-request-credentials-mode`,
  },
  {
    id: 'credentials-contradicted', field: 'credentials',
    evidence: 'neither mode explains what the browser did (the browser differs from the rules)',
    concludes: 'unknown', spec: `${SPEC}#concept-request-credentials-mode`,
  },
  {
    id: 'credentials-not-cors', field: 'credentials',
    evidence: 'the request is not a CORS request, or failed before any CORS rule applied',
    concludes: 'not relevant (a Cookie header still says include)', spec: `${SPEC}#main-fetch`,
  },
  // ── request mode ──
  {
    id: 'mode-sec-fetch-mode', field: 'mode',
    evidence: 'the `Sec-Fetch-Mode` request header (sent to potentially trustworthy URLs only: https, localhost, 127.0.0.1)',
    concludes: 'its value (observed, not inferred)', spec: FETCH_METADATA,
  },
  {
    id: 'mode-preflight-sent', field: 'mode',
    evidence: 'a preflight was sent for the request (only mode "cors" requests are preflighted)',
    concludes: 'cors', spec: `${SPEC}#cors-preflight-fetch-0`,
  },
  {
    id: 'mode-unsafe-request', field: 'mode',
    evidence: 'a method that is not CORS-safelisted, or a header that is not, on the request (fetch() refuses both in mode "no-cors"; XMLHttpRequest is always "cors")',
    concludes: 'cors', spec: `${SPEC}#dom-request`,
  },
  {
    id: 'mode-origin-on-get', field: 'mode',
    evidence: 'an `Origin` header on a cross-origin GET or HEAD (the browser adds it to those only when the response tainting is "cors")',
    concludes: 'cors', spec: `${SPEC}#append-a-request-origin-header`,
  },
  {
    id: 'mode-no-origin-on-get', field: 'mode',
    evidence: 'a cross-origin GET or HEAD sent without an `Origin` header',
    concludes: 'no-cors', spec: `${SPEC}#append-a-request-origin-header`,
  },
  {
    id: 'mode-cors-failure', field: 'mode',
    evidence: 'the browser failed the request with `net::ERR_FAILED` after a cross-origin response that fails the CORS check (a no-cors request is never checked)',
    concludes: 'cors', spec: `${SPEC}#concept-cors-check`,
  },
  {
    id: 'mode-accepted-failing-cors-check', field: 'mode',
    evidence: 'the browser accepted a cross-origin response that fails the CORS check under either credentials mode',
    concludes: 'no-cors', spec: `${SPEC}#concept-cors-check`,
  },
  {
    id: 'mode-same-origin-redirect-refused', field: 'mode',
    evidence: 'a same-origin request that Chrome cancelled (`net::ERR_ABORTED`) at its redirect to another origin, without following it',
    concludes: 'same-origin', spec: `${SPEC}#main-fetch`,
  },
  {
    id: 'mode-undecided', field: 'mode',
    evidence: 'none of the above (no `Sec-Fetch-Mode`, an `Origin` on a POST, a response that passes the CORS check)',
    concludes: 'not decided: analysed as "cors", the mode of fetch() and XMLHttpRequest', spec: `${SPEC}#concept-request-mode`,
  },
  // ── reached the server ──
  {
    id: 'reached-response', field: 'reachedServer',
    evidence: 'a response or a redirect arrived for the request',
    concludes: 'true', spec: `${SPEC}#http-network-fetch`,
  },
  {
    id: 'reached-error-after-sent', field: 'reachedServer',
    evidence: 'the request was sent and failed with an error that happens only after sending (empty response, connection closed, bad HTTP)',
    concludes: 'true', spec: `${SPEC}#http-network-fetch`,
  },
  {
    id: 'reached-stopped-by-preflight', field: 'reachedServer',
    evidence: 'the preflight failed and the request itself was never sent',
    concludes: 'false', spec: `${SPEC}#cors-preflight-fetch-0`,
  },
  {
    id: 'reached-failed-before-response', field: 'reachedServer',
    evidence: 'the request failed with no response (connection refused, unsafe port, local network access, a CORS failure decided before sending)',
    concludes: 'false', spec: `${SPEC}#main-fetch`,
  },
  {
    id: 'reached-pending', field: 'reachedServer',
    evidence: 'nothing has come back yet',
    concludes: 'false (so far)', spec: `${SPEC}#http-network-fetch`,
  },
  // ── preflight seen, cached or missing ──
  {
    id: 'preflight-sent', field: 'preflight',
    evidence: 'an OPTIONS request with `Access-Control-Request-Method` for the same tab, document, initiator, URL and method, paired first in first out',
    concludes: 'sent (observed)', spec: `${SPEC}#cors-preflight-fetch-0`,
  },
  {
    id: 'preflight-cached', field: 'preflight',
    evidence: 'none sent, one required, and an unexpired earlier answer for the same origin and URL covers the method and headers',
    concludes: 'cached', spec: `${SPEC}#concept-cache-match`,
  },
  {
    id: 'preflight-missing', field: 'preflight',
    evidence: 'none sent, one required, and no earlier answer seen covers it (sent before capture began, or the browser differs)',
    concludes: 'missing', spec: `${SPEC}#concept-cache-match`,
  },
  {
    id: 'preflight-not-required', field: 'preflight',
    evidence: 'none sent, and the method and headers are CORS-safelisted',
    concludes: 'none needed', spec: `${SPEC}#cors-safelisted-request-header`,
  },
] as const satisfies readonly InferenceRule[];

export type InferenceRuleId = (typeof INFERENCE_RULES)[number]['id'];

/**
 * Which rule decided an inferred field, and why: the rule and the values it quotes are the
 * reason (`reasons.ts` renders them); `why` is that rendering as text, code marked with backticks.
 */
export interface InferenceNote {
  rule: InferenceRuleId;
  why: string;
  values: ReasonValues;
}
