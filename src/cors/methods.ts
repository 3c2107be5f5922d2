/**
 * Methods: which are CORS-safelisted, which are normalized, which are forbidden.
 */

const NORMALIZED: ReadonlyMap<string, string> = new Map(
  ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'].map((m) => [m.toLowerCase(), m]),
);

/**
 * To normalize a method: if it is a byte-case-insensitive match for `DELETE`,
 * `GET`, `HEAD`, `OPTIONS`, `POST` or `PUT`, byte-uppercase it. Anything else
 * (`patch`, `Patch`) is left exactly as written.
 * @see https://fetch.spec.whatwg.org/#concept-method-normalize
 */
export function normalizeMethod(method: string): string {
  // A byte-case-insensitive match for one of the six is byte-uppercased...
  if (method.length > 7) return method;
  const upper = NORMALIZED.get(method.toLowerCase());
  // ...anything else is returned unchanged.
  return upper ?? method;
}

/**
 * A CORS-safelisted method is `GET`, `HEAD` or `POST` (byte-exact: pass a
 * normalized method).
 * @see https://fetch.spec.whatwg.org/#cors-safelisted-method
 */
export function isCorsSafelistedMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'POST';
}

/**
 * A forbidden method is a byte-case-insensitive match for `CONNECT`, `TRACE` or `TRACK`.
 * @see https://fetch.spec.whatwg.org/#forbidden-method
 */
export function isForbiddenMethod(method: string): boolean {
  if (method.length < 5 || method.length > 7) return false;
  const m = method.toUpperCase();
  return m === 'CONNECT' || m === 'TRACE' || m === 'TRACK';
}
