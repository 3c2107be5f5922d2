/**
 * Redirects and CORS: what a redirect may not do, and how it taints the origin.
 */
import { isHttpScheme, type UrlFacts } from './origin';
import type { HeaderList } from './types';
import { hasHeader } from './header-list';

/**
 * A redirect status: 301, 302, 303, 307 or 308.
 * @see https://fetch.spec.whatwg.org/#redirect-status
 */
export function isRedirectStatus(status: number | undefined): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/**
 * Whether a response is a redirect the browser would follow: a redirect status
 * with a `Location` header (Chrome's `HttpResponseHeaders::IsRedirect`).
 * A preflight may not be one.
 * @see https://fetch.spec.whatwg.org/#cors-preflight-fetch-0 (steps 6 and 8: fetched without following redirects, a redirect is no ok status)
 */
export function isFollowedRedirect(status: number | undefined, headers: HeaderList): boolean {
  return isRedirectStatus(status) && hasHeader(headers, 'location');
}

export type RedirectLocationError = 'CorsDisabledScheme' | 'RedirectContainsCredentials';

/**
 * Checks on a redirect's location URL, in Chrome's order
 * (`network::cors::CheckRedirectLocation`).
 * `requestOrigin` is the request's origin serialized; `tainted` whether a
 * previous redirect already tainted it; `corsFlag` whether the request is
 * already cross-origin at this hop.
 * @see https://fetch.spec.whatwg.org/#concept-http-redirect-fetch
 */
export function checkRedirectLocation(
  location: UrlFacts,
  requestOrigin: string,
  tainted: boolean,
  corsFlag: boolean,
): RedirectLocationError | null {
  // Step 6: a location URL whose scheme is not an HTTP(S) scheme is a network error.
  if (!isHttpScheme(location.scheme)) return 'CorsDisabledScheme';
  // Step 9: mode "cors", location includes credentials, and the request's origin
  // is tainted or is not same origin with the location: network error.
  if (location.hasCredentials && (tainted || requestOrigin !== location.origin)) return 'RedirectContainsCredentials';
  // Step 10: response tainting "cors" (the CORS flag) and a location with credentials: network error.
  if (location.hasCredentials && corsFlag) return 'RedirectContainsCredentials';
  return null;
}

/**
 * Whether following a redirect from `current` to `location` taints the
 * request's origin, so that it is serialized as `null` from then on (the
 * `Origin: null` seen after a cross-origin redirect).
 * @see https://fetch.spec.whatwg.org/#concept-request-tainted-origin (a redirect-taint other than "same-origin")
 */
export function taintsOrigin(currentOrigin: string, locationOrigin: string, requestOrigin: string): boolean {
  // A URL of the URL list is not same origin with the one before it, and the request's
  // origin is not same origin with that one either.
  return currentOrigin !== locationOrigin && requestOrigin !== currentOrigin;
}
