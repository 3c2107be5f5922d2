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

/** A host the URL parser keeps as it is: lower-case ASCII labels, the last not a number, or a canonical IPv4 address. */
const CANONICAL_HOST = /^(?:(?:[a-z0-9-]+\.)*[a-z][a-z0-9-]*|(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d))$/;

/**
 * The origin of an http(s) URL already in the form the browser serialises (as every webRequest URL
 * and initiator is), by slicing, or undefined when only the URL parser can tell. It runs for every
 * event, and `new URL` showed in the worker's profile on the stress page (docs/performance.md).
 */
function canonicalHttpOrigin(url: string): string | undefined {
  const scheme = url.startsWith('https://') ? 8 : url.startsWith('http://') ? 7 : 0;
  if (scheme === 0) return undefined;
  let end = scheme;
  while (end < url.length) {
    const c = url.charCodeAt(end);
    if (c === 47 /* / */ || c === 63 /* ? */ || c === 35 /* # */) break;
    end++;
  }
  const authority = url.slice(scheme, end);
  const colon = authority.lastIndexOf(':');
  const host = colon < 0 ? authority : authority.slice(0, colon);
  // Punycode labels are checked by the parser (an invalid one makes the URL invalid).
  if (!CANONICAL_HOST.test(host) || host.includes('xn--')) return undefined;
  if (colon >= 0) {
    const port = authority.slice(colon + 1);
    if (!/^[1-9]\d{0,4}$/.test(port) || Number(port) > 65535 || port === (scheme === 8 ? '443' : '80')) return undefined;
  }
  return url.slice(0, end);
}

/**
 * The serialised origin of a URL, or null when it does not parse or has an opaque origin. The one
 * reader of a URL's origin: the capture, the report and the fixes all ask it.
 * @see https://html.spec.whatwg.org/multipage/browsers.html#ascii-serialisation-of-an-origin
 */
export function originOf(url: string): string | null {
  const fast = canonicalHttpOrigin(url);
  if (fast !== undefined) return fast;
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}
