/**
 * The CORS check: may this origin read this response?
 */
import { getHeader } from './header-list';
import { urlFacts } from './origin';
import type { HeaderList } from './types';

/** Chrome's names for the ways a CORS check fails on an actual response. */
export type CorsCheckError =
  | 'InvalidResponse'
  | 'WildcardOriginNotAllowed'
  | 'MissingAllowOriginHeader'
  | 'MultipleAllowOriginValues'
  | 'InvalidAllowOriginValue'
  | 'AllowOriginMismatch'
  | 'InvalidAllowCredentials';

export interface CorsCheckFailure {
  error: CorsCheckError;
  /** What Chrome reports as `failedParameter`. */
  failedParameter: string;
  /** `Access-Control-Allow-Origin` as received (null when absent). */
  allowOrigin: string | null;
  /** `Access-Control-Allow-Credentials` as received (null when absent). */
  allowCredentials: string | null;
}

/**
 * The CORS check, in Chrome's order (`network::cors::CheckAccessInternal`):
 * returns the first failure, or null when the response may be shared.
 * `origin` is the serialized request origin ("null" once tainted by a redirect).
 * `statusCode` 0 is a response that is not HTTP at all (InvalidResponse).
 * @see https://fetch.spec.whatwg.org/#concept-cors-check
 */
export function corsCheck(
  statusCode: number | undefined,
  headers: HeaderList,
  origin: string,
  credentialsInclude: boolean,
): CorsCheckFailure | null {
  const allowOrigin = getHeader(headers, 'access-control-allow-origin');
  const allowCredentials = getHeader(headers, 'access-control-allow-credentials');
  const fail = (error: CorsCheckError, failedParameter = ''): CorsCheckFailure =>
    ({ error, failedParameter, allowOrigin, allowCredentials });
  // Chrome only: a response without a status code is not a response to check.
  if (statusCode === 0) return fail('InvalidResponse');
  // Step 1: let origin be the result of getting `Access-Control-Allow-Origin`.
  // Step 3: `*` matches any origin when credentials mode is not "include"...
  if (allowOrigin === '*') {
    return credentialsInclude ? fail('WildcardOriginNotAllowed') : null;
  }
  // Step 2: if origin is null, return failure.
  if (allowOrigin === null) return fail('MissingAllowOriginHeader');
  // Step 4: if the request's origin, serialized, is not origin, return failure.
  if (allowOrigin !== origin) {
    // Chrome tells apart why it is not the origin: a list, a non-URL, or another origin.
    if (allowOrigin.includes(',') || allowOrigin.includes(' ')) return fail('MultipleAllowOriginValues', allowOrigin);
    if (allowOrigin === 'null') return fail('AllowOriginMismatch', allowOrigin);
    if (urlFacts(allowOrigin) === null) return fail('InvalidAllowOriginValue', allowOrigin);
    return fail('AllowOriginMismatch', allowOrigin);
  }
  // Step 5: if credentials mode is not "include", return success.
  if (!credentialsInclude) return null;
  // Steps 6-8: `Access-Control-Allow-Credentials` must be exactly `true` (case-sensitive), else failure.
  if (allowCredentials !== 'true') return fail('InvalidAllowCredentials', allowCredentials ?? '');
  // Step 7: success.
  return null;
}
