/**
 * Validating the response to a CORS-preflight request.
 */
import { corsCheck, type CorsCheckError } from './cors-check';
import { getHeader, parseTokenList } from './header-list';
import { isCorsSafelistedMethod } from './methods';
import { isFollowedRedirect } from './redirects';
import type { Message } from './types';
import { isCorsNonWildcardRequestHeaderName } from './request-headers';

export type PreflightError =
  | 'PreflightDisallowedRedirect'
  | 'PreflightInvalidStatus'
  | 'PreflightWildcardOriginNotAllowed'
  | 'PreflightMissingAllowOriginHeader'
  | 'PreflightMultipleAllowOriginValues'
  | 'PreflightInvalidAllowOriginValue'
  | 'PreflightAllowOriginMismatch'
  | 'PreflightInvalidAllowCredentials'
  | 'InvalidAllowMethodsPreflightResponse'
  | 'InvalidAllowHeadersPreflightResponse'
  | 'MethodDisallowedByPreflightResponse'
  | 'HeaderDisallowedByPreflightResponse';

export interface PreflightFailure {
  error: PreflightError;
  failedParameter: string;
  allowOrigin: string | null;
  allowCredentials: string | null;
  allowMethods: string | null;
  allowHeaders: string | null;
  /** HeaderDisallowedByPreflightResponse for `authorization` only because `*` does not cover it. */
  authorizationNotCoveredByWildcard?: boolean;
  /** MethodDisallowedByPreflightResponse where the spec (byte-exact match) would have allowed it. */
  methodCaseDiffersFromSpec?: boolean;
}

/** The CORS check's errors as Chrome names them when the preflight fails them. */
const PREFLIGHT_VERSION: Readonly<Record<CorsCheckError, PreflightError>> = {
  InvalidResponse: 'PreflightInvalidStatus',
  WildcardOriginNotAllowed: 'PreflightWildcardOriginNotAllowed',
  MissingAllowOriginHeader: 'PreflightMissingAllowOriginHeader',
  MultipleAllowOriginValues: 'PreflightMultipleAllowOriginValues',
  InvalidAllowOriginValue: 'PreflightInvalidAllowOriginValue',
  AllowOriginMismatch: 'PreflightAllowOriginMismatch',
  InvalidAllowCredentials: 'PreflightInvalidAllowCredentials',
};

/**
 * An ok status is 200 to 299.
 * @see https://fetch.spec.whatwg.org/#ok-status
 */
export function isOkStatus(status: number | undefined): boolean {
  return status !== undefined && status >= 200 && status <= 299;
}

/**
 * Validate a CORS-preflight response for a request with `method` (normalized)
 * and CORS-unsafe request-header names `requestHeaderNames` (lower-case,
 * sorted), in Chrome's order: redirect; Allow-Origin and Allow-Credentials
 * (the CORS check); status; parsing Allow-Methods then Allow-Headers; method;
 * headers. Returns the first failure or null.
 * Chrome checks Allow-Origin before the status (measured: a bare 404 is
 * PreflightMissingAllowOriginHeader), where the spec checks them together.
 * @see https://fetch.spec.whatwg.org/#cors-preflight-fetch-0
 */
export function validatePreflightResponse(
  response: Message,
  origin: string,
  credentialsInclude: boolean,
  method: string,
  requestHeaderNames: readonly string[],
): PreflightFailure | null {
  const headers = response.headers;
  const allowMethods = getHeader(headers, 'access-control-allow-methods');
  const allowHeaders = getHeader(headers, 'access-control-allow-headers');
  const fail = (error: PreflightError, failedParameter = ''): PreflightFailure => ({
    error,
    failedParameter,
    allowOrigin: getHeader(headers, 'access-control-allow-origin'),
    allowCredentials: getHeader(headers, 'access-control-allow-credentials'),
    allowMethods,
    allowHeaders,
  });
  // Steps 6 and 8: the preflight goes through HTTP-network-or-cache fetch, which follows no
  // redirect, and a redirect is no ok status: a network error (Chrome checks it first).
  if (isFollowedRedirect(response.statusCode, headers)) return fail('PreflightDisallowedRedirect');
  // Step 7: a CORS check for request and response (Chrome: before the status)...
  const access = corsCheck(response.statusCode, headers, origin, credentialsInclude);
  if (access) return fail(PREFLIGHT_VERSION[access.error], access.failedParameter);
  // Step 7 (cont.): ...and response's status is an ok status.
  if (!isOkStatus(response.statusCode)) return fail('PreflightInvalidStatus');
  // Step 7.1: methods: extracting `Access-Control-Allow-Methods` as a list of tokens.
  const methods = parseTokenList(allowMethods);
  // Steps 7.2-7.3: headerNames likewise; either failing to parse is a network error (methods first, as in Chrome).
  if (methods === null) return fail('InvalidAllowMethodsPreflightResponse');
  const headerNamesRaw = parseTokenList(allowHeaders);
  if (headerNamesRaw === null) return fail('InvalidAllowHeadersPreflightResponse');
  // Step 7.4: (if methods is null and the use-CORS-preflight flag is set, methods is « method »: not observable here.)
  // Step 7.5: the method must be in methods, be safelisted, or be covered by `*`
  // without credentials. Chrome upper-cases the method before its byte-exact lookup
  // (`PreflightResult::EnsureAllowedCrossOriginMethod`); the spec does not.
  const chromeMethod = asciiUpper(method);
  if (!(methods.includes(chromeMethod) || isCorsSafelistedMethod(chromeMethod) || (!credentialsInclude && methods.includes('*')))) {
    const f = fail('MethodDisallowedByPreflightResponse', method);
    if (methods.includes(method)) f.methodCaseDiffersFromSpec = true;
    return f;
  }
  // Steps 7.6-7.7: header names compare case-insensitively.
  if (requestHeaderNames.length === 0) return null;
  const headerNames = headerNamesRaw.map(asciiLower);
  const wildcard = !credentialsInclude && headerNames.includes('*');
  for (const name of requestHeaderNames) {
    if (headerNames.includes(name)) continue;
    // Steps 7.6-7.7: `*` without credentials covers every name but a CORS non-wildcard one (`Authorization`).
    if (wildcard && !isCorsNonWildcardRequestHeaderName(name)) continue;
    const f = fail('HeaderDisallowedByPreflightResponse', name);
    if (wildcard) f.authorizationNotCoveredByWildcard = true;
    return f;
  }
  return null;
}

function asciiUpper(s: string): string {
  return s.replace(/[a-z]+/g, (m) => m.toUpperCase());
}

function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}
