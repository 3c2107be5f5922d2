import type { HeaderList } from '../cors/types';

/** First value of a header (names are lower-cased by the capture). */
export function headerValue(headers: HeaderList | null | undefined, name: string): string | null {
  if (!headers) return null;
  for (const [n, v] of headers) if (n === name) return v;
  return null;
}

export function sameHeaders(a: HeaderList | null | undefined, b: HeaderList | null | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x[0] !== y[0] || x[1] !== y[1]) return false;
  }
  return true;
}

/** A host the URL parser keeps as it is: lower-case ASCII labels, the last not a number, or a canonical IPv4 address. */
const CANONICAL_HOST = /^(?:(?:[a-z0-9-]+\.)*[a-z][a-z0-9-]*|(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d))$/;

/**
 * The origin of an http(s) URL already in the form the browser serialises (as every webRequest URL
 * and initiator is), by slicing, or undefined when only the URL parser can tell. It runs for every
 * event: `new URL` was a twentieth of the worker's time on the stress page.
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

/** The serialised origin of a URL, or null when it does not parse or has an opaque origin. */
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
