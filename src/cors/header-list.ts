/**
 * Reading a header list the way the Fetch Standard does: names are lower-cased
 * by the capture, duplicates are combined with ", ", values are trimmed of HTTP
 * whitespace. Shared by every rule; no rule reads headers any other way.
 */
import type { HeaderList } from './types';

/**
 * Whether `c` (a UTF-16 code unit) is HTTP whitespace: HT, LF, CR or SP.
 * @see https://fetch.spec.whatwg.org/#http-whitespace
 */
function isHttpWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * Strip leading and trailing HTTP whitespace (a value is "normalized" this way).
 * @see https://fetch.spec.whatwg.org/#concept-header-value-normalize
 */
export function normalizeHeaderValue(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isHttpWhitespace(value.charCodeAt(start))) start++;
  while (end > start && isHttpWhitespace(value.charCodeAt(end - 1))) end--;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

/**
 * "Get" a header: all values of `name`, normalized and combined with ", ", or
 * null when absent. Chrome reads `Access-Control-*` headers the same way
 * (`HttpResponseHeaders::GetNormalizedHeader`), so two `Access-Control-Allow-Origin`
 * lines become one value with a comma, which then fails as multiple values.
 * @see https://fetch.spec.whatwg.org/#concept-header-list-get
 */
export function getHeader(headers: HeaderList | null | undefined, name: string): string | null {
  if (!headers) return null;
  let out: string | null = null;
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i]!;
    if (h[0] !== name) continue;
    const v = normalizeHeaderValue(String(h[1]));
    out = out === null ? v : `${out}, ${v}`;
  }
  return out;
}

/**
 * Whether the list contains a header called `name` (lower-case).
 * @see https://fetch.spec.whatwg.org/#header-list-contains
 */
export function hasHeader(headers: HeaderList | null | undefined, name: string): boolean {
  if (!headers) return false;
  for (let i = 0; i < headers.length; i++) if (headers[i]![0] === name) return true;
  return false;
}

/** tchar of RFC 9110 §5.6.2, as a lookup table over ASCII. */
const TCHAR: Uint8Array = (() => {
  const t = new Uint8Array(128);
  for (let c = 0x30; c <= 0x39; c++) t[c] = 1;
  for (let c = 0x41; c <= 0x5a; c++) t[c] = 1;
  for (let c = 0x61; c <= 0x7a; c++) t[c] = 1;
  for (const ch of "!#$%&'*+-.^_`|~") t[ch.charCodeAt(0)] = 1;
  return t;
})();

/**
 * Whether `s` is a non-empty token (the grammar of methods and header names).
 * @see https://fetch.spec.whatwg.org/#concept-method
 */
export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || TCHAR[c] !== 1) return false;
  }
  return true;
}

/**
 * Split a combined value on commas into trimmed elements, dropping empty ones
 * (the `#rule` of HTTP allows empty list elements). Quotes are not special:
 * the lists read here (`#method`, `#field-name`) contain tokens only.
 * @see https://fetch.spec.whatwg.org/#concept-header-list-get-decode-split
 */
export function splitList(value: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i <= value.length; i++) {
    if (i === value.length || value.charCodeAt(i) === 0x2c) {
      const item = normalizeHeaderValue(value.slice(start, i));
      if (item.length > 0) out.push(item);
      start = i + 1;
    }
  }
  return out;
}

/**
 * Parse a header value as a comma-separated list of tokens, as Chrome's
 * `ParseAccessControlAllowList` does: null (failure) when any element is not a token.
 * @see https://fetch.spec.whatwg.org/#cors-preflight-fetch-0 (steps 7.1-7.3: extracting header list values; failure is a network error)
 */
export function parseTokenList(value: string | null): string[] | null {
  if (value === null) return [];
  const items = splitList(value);
  for (const item of items) if (!isToken(item)) return null;
  return items;
}

/** Length of `s` in bytes once UTF-8 encoded (header values are byte sequences on the wire). */
export function byteLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 2; // 4 bytes for the pair, counted as 2 code units already
        i++;
        continue;
      }
      n += 2;
    } else n += 2;
  }
  return n;
}
