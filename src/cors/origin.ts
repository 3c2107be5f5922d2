/**
 * The few facts about a URL the CORS rules need, parsed once per URL.
 * A small bounded cache keeps the engine fast when the same endpoints repeat,
 * as they do in a real session.
 */

export interface UrlFacts {
  /** Scheme without the colon, lower-case ("https"). */
  scheme: string;
  /** ASCII serialization of the URL's origin; "null" for an opaque origin. */
  origin: string;
  /** Path, without query or fragment ("/api/data"). */
  path: string;
  /** Whether the URL includes credentials (a username or password). */
  hasCredentials: boolean;
  /** The URL as parsed (absolute). */
  href: string;
}

const CACHE_LIMIT = 512;
const cache = new Map<string, UrlFacts | null>();

function remember(key: string, facts: UrlFacts | null): UrlFacts | null {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, facts);
  return facts;
}

/**
 * Parse `input` (relative to `base` when given) with the URL Standard's parser,
 * returning null when it does not parse. Never throws.
 * @see https://url.spec.whatwg.org/#concept-url-origin
 */
export function urlFacts(input: string, base?: string): UrlFacts | null {
  const key = base === undefined ? input : `${base}\u0000${input}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let u: URL;
  try {
    u = base === undefined ? new URL(input) : new URL(input, base);
  } catch {
    return remember(key, null);
  }
  const scheme = u.protocol.slice(0, -1);
  return remember(key, {
    scheme,
    origin: u.origin,
    path: u.pathname || '/',
    hasCredentials: u.username !== '' || u.password !== '',
    href: u.href,
  });
}

/**
 * Whether `scheme` is an HTTP(S) scheme.
 * @see https://fetch.spec.whatwg.org/#http-scheme
 */
export function isHttpScheme(scheme: string): boolean {
  return scheme === 'http' || scheme === 'https';
}
