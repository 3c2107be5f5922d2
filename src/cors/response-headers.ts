/**
 * Which response headers a page's script may read.
 */
import { getHeader, parseTokenList } from './header-list';
import type { HeaderList } from './types';

const SAFELISTED: ReadonlySet<string> = new Set([
  'cache-control', 'content-language', 'content-length', 'content-type', 'expires', 'last-modified', 'pragma',
]);

/**
 * A CORS-safelisted response-header name: readable without being exposed.
 * `Set-Cookie` and `Set-Cookie2` are never readable.
 * @see https://fetch.spec.whatwg.org/#cors-safelisted-response-header-name
 */
export function isCorsSafelistedResponseHeaderName(name: string, exposed: readonly string[] = []): boolean {
  const lower = name.toLowerCase();
  if (lower === 'set-cookie' || lower === 'set-cookie2') return false;
  return SAFELISTED.has(lower) || exposed.includes(lower);
}

/**
 * `Access-Control-Expose-Headers` as a list of lower-case names, or null when it
 * does not parse (then nothing beyond the safelist is exposed).
 * @see https://fetch.spec.whatwg.org/#http-access-control-expose-headers
 */
export function parseExposeHeaders(headers: HeaderList): string[] | null {
  const list = parseTokenList(getHeader(headers, 'access-control-expose-headers'));
  return list === null ? null : list.map((n) => n.toLowerCase());
}

/**
 * The response-header names a script can read from a CORS response: the
 * safelisted ones, those listed in `Access-Control-Expose-Headers`, and with `*`
 * (only when credentials mode is not "include") every name but `Set-Cookie`.
 * @see https://fetch.spec.whatwg.org/#main-fetch (step 14.1: CORS-exposed header-name list)
 */
export function exposedResponseHeaderNames(headers: HeaderList, credentialsInclude: boolean): string[] {
  const listed = parseExposeHeaders(headers) ?? [];
  // Step 14.1.2: `*` exposes all names when the credentials mode is not "include".
  const all = !credentialsInclude && listed.includes('*');
  const out = new Set<string>();
  for (const [name] of headers) {
    if (all ? name !== 'set-cookie' && name !== 'set-cookie2' : isCorsSafelistedResponseHeaderName(name, listed)) out.add(name);
  }
  return [...out].sort();
}
