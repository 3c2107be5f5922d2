/**
 * Request headers: which are CORS-safelisted, which make a request need a
 * preflight, and which the browser adds itself (and so never count).
 */
import { byteLength, splitList } from './header-list';
import { isForbiddenMethod } from './methods';
import { mimeTypeEssence } from './mime-type';
import { parseSingleRangeHeaderValue } from './range-header';
import type { HeaderList } from './types';

/** The three Content-Type essences a simple request may send. */
export const SAFELISTED_CONTENT_TYPES: readonly string[] = [
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
];

/** Why a header is not CORS-safelisted; null when it is. */
export type UnsafeHeaderReason =
  | 'name'
  | 'too-long'
  | 'unsafe-byte'
  | 'not-a-mime-type'
  | 'content-type-essence'
  | 'language-byte'
  | 'range-form';

/**
 * CORS-unsafe request-header byte: a byte < 0x20 other than HT, or one of
 * `"():<>?@[\]{}` and DEL.
 * @see https://fetch.spec.whatwg.org/#cors-unsafe-request-header-byte
 */
export function isCorsUnsafeRequestHeaderByte(c: number): boolean {
  if (c < 0x20) return c !== 0x09;
  switch (c) {
    case 0x22: case 0x28: case 0x29: case 0x3a: case 0x3c: case 0x3e: case 0x3f:
    case 0x40: case 0x5b: case 0x5c: case 0x5d: case 0x7b: case 0x7d: case 0x7f:
      return true;
    default:
      return false;
  }
}

function hasUnsafeByte(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (isCorsUnsafeRequestHeaderByte(value.charCodeAt(i))) return true;
  return false;
}

/** Bytes allowed in Accept-Language and Content-Language: 0-9 A-Z a-z SP * , - . ; = */
function isLanguageByte(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ||
    c === 0x20 || c === 0x2a || c === 0x2c || c === 0x2d || c === 0x2e || c === 0x3b || c === 0x3d;
}

/**
 * Chrome's extension of the safelist: client hints a page may set itself
 * (`network::cors::IsCorsSafelistedHeader`). The spec does not list them.
 */
const CHROME_SAFELISTED_CLIENT_HINTS: ReadonlySet<string> = new Set([
  'device-memory', 'dpr', 'width', 'viewport-width', 'rtt', 'downlink', 'ect', 'save-data',
]);

/**
 * The reason `name: value` is not a CORS-safelisted request-header, or null when it is.
 * `name` must be lower-case.
 * @see https://fetch.spec.whatwg.org/#cors-safelisted-request-header
 */
export function corsSafelistedRequestHeaderProblem(name: string, value: string): UnsafeHeaderReason | null {
  // Step 1: a value longer than 128 bytes is never safelisted.
  if (value.length > 128 || byteLength(value) > 128) return 'too-long';
  // Step 2: switch on the byte-lowercased name.
  switch (name) {
    case 'accept':
      // `accept`: no CORS-unsafe request-header byte.
      return hasUnsafeByte(value) ? 'unsafe-byte' : null;
    case 'accept-language':
    case 'content-language':
      // `accept-language`, `content-language`: only 0-9 A-Z a-z SP * , - . ; =
      for (let i = 0; i < value.length; i++) if (!isLanguageByte(value.charCodeAt(i))) return 'language-byte';
      return null;
    case 'content-type': {
      // `content-type`: 1. no CORS-unsafe request-header byte;
      if (hasUnsafeByte(value)) return 'unsafe-byte';
      // 2-3. it parses as a MIME type;
      const essence = mimeTypeEssence(value);
      if (essence === null) return 'not-a-mime-type';
      // 4. whose essence is one of the three.
      return SAFELISTED_CONTENT_TYPES.includes(essence) ? null : 'content-type-essence';
    }
    case 'range': {
      // `range`: a single range header value whose start is not null.
      const range = parseSingleRangeHeaderValue(value);
      return range === null || range[0] === null ? 'range-form' : null;
    }
    default:
      // Chrome also safelists a few client hints.
      return CHROME_SAFELISTED_CLIENT_HINTS.has(name) ? null : 'name';
  }
}

/**
 * Whether `name: value` is a CORS-safelisted request-header (`name` lower-case).
 * @see https://fetch.spec.whatwg.org/#cors-safelisted-request-header
 */
export function isCorsSafelistedRequestHeader(name: string, value: string): boolean {
  return corsSafelistedRequestHeaderProblem(name, value) === null;
}

/**
 * A CORS non-wildcard request-header name: `Authorization` is never covered by
 * `Access-Control-Allow-Headers: *`.
 * @see https://fetch.spec.whatwg.org/#cors-non-wildcard-request-header-name
 */
export function isCorsNonWildcardRequestHeaderName(name: string): boolean {
  return name.toLowerCase() === 'authorization';
}

const FORBIDDEN_NAMES: ReadonlySet<string> = new Set([
  'accept-charset', 'accept-encoding', 'access-control-request-headers', 'access-control-request-method',
  'connection', 'content-length', 'cookie', 'cookie2', 'date', 'dnt', 'expect', 'host', 'keep-alive',
  'origin', 'referer', 'set-cookie', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'via',
]);

const METHOD_OVERRIDE_NAMES: ReadonlySet<string> = new Set(['x-http-method', 'x-http-method-override', 'x-method-override']);

/**
 * A forbidden request-header: a page cannot set it, the browser does.
 * Lower-case `name`.
 * @see https://fetch.spec.whatwg.org/#forbidden-request-header
 */
export function isForbiddenRequestHeader(name: string, value: string): boolean {
  // Step 1: one of the listed names.
  if (FORBIDDEN_NAMES.has(name)) return true;
  // Step 2: starts with `proxy-` or `sec-`.
  if (name.startsWith('proxy-') || name.startsWith('sec-')) return true;
  // Step 3: a method-override header naming a forbidden method.
  if (METHOD_OVERRIDE_NAMES.has(name)) {
    for (const m of splitList(value)) if (isForbiddenMethod(m)) return true;
  }
  return false;
}

/**
 * Headers that Chrome's network stack adds on its own, below the CORS layer,
 * and which chrome.webRequest therefore shows on the wire although the page
 * never set them. They never cause a preflight.
 */
const CHROME_ADDED: ReadonlySet<string> = new Set([
  'user-agent', 'priority',
  // Added by the HTTP cache when it revalidates (Chrome skips them: `is_revalidating`).
  'if-modified-since', 'if-none-match',
]);

/**
 * Whether a header seen on the wire was added by the browser rather than set by
 * the page: forbidden request-headers (`sec-*`, `proxy-*`, `origin`, `cookie`,
 * `referer`, `host`...), plus those Chrome's network stack adds itself
 * (`user-agent`, `priority`, revalidation headers). `all` is the whole list, for
 * DevTools' "Disable cache", which adds `Pragma: no-cache` and
 * `Cache-Control: no-cache` together: that exact pair is treated as browser-added.
 * @see https://fetch.spec.whatwg.org/#forbidden-request-header
 */
export function isBrowserAddedHeader(name: string, value: string, all?: HeaderList): boolean {
  if (isForbiddenRequestHeader(name, value) || CHROME_ADDED.has(name)) return true;
  if (all && ((name === 'pragma' && value === 'no-cache') || (name === 'cache-control' && value === 'no-cache'))) {
    let pragma = false;
    let cacheControl = false;
    for (const [n, v] of all) {
      if (n === 'pragma' && v === 'no-cache') pragma = true;
      else if (n === 'cache-control' && v === 'no-cache') cacheControl = true;
    }
    return pragma && cacheControl;
  }
  return false;
}

/** One header the page set that makes the request CORS-unsafe, and why. */
export interface UnsafeHeader {
  name: string;
  value: string;
  reason: UnsafeHeaderReason | 'total-too-long';
}

/**
 * The page-set headers that make a request need a preflight, in wire order,
 * each with its reason. Browser-added headers are skipped, as Chrome's
 * `CorsUnsafeNotForbiddenRequestHeaderNames` skips forbidden ones.
 * @see https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names
 */
export function corsUnsafeRequestHeaders(headers: HeaderList): UnsafeHeader[] {
  // Step 1-3: unsafeNames, potentillyUnsafeNames, safelistValueSize.
  const unsafe: UnsafeHeader[] = [];
  let potentiallyUnsafe: UnsafeHeader[] | null = null;
  let safelistValueSize = 0;
  // Step 4: for each header of headers...
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i]!;
    const name = String(h[0]).toLowerCase();
    const value = String(h[1]);
    if (isBrowserAddedHeader(name, value, headers)) continue;
    const problem = corsSafelistedRequestHeaderProblem(name, value);
    if (problem !== null) {
      // Step 4.1: not safelisted: append its name to unsafeNames.
      unsafe.push({ name, value, reason: problem });
    } else {
      // Step 4.2: otherwise to potentiallyUnsafeNames, adding its value's length.
      (potentiallyUnsafe ??= []).push({ name, value, reason: 'total-too-long' });
      safelistValueSize += byteLength(value);
    }
  }
  // Step 5: a total over 1,024 bytes makes every safelisted header unsafe too.
  if (safelistValueSize > 1024 && potentiallyUnsafe) unsafe.push(...potentiallyUnsafe);
  return unsafe;
}

/**
 * CORS-unsafe request-header names: lower-case, sorted, without duplicates.
 * Input is the header list as sent on the wire; browser-added headers never count.
 * @see https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names
 */
export function corsUnsafeRequestHeaderNames(headers: HeaderList): string[] {
  return sortedLowercaseSet(corsUnsafeRequestHeaders(headers));
}

/**
 * Convert header names to a sorted-lowercase set.
 * @see https://fetch.spec.whatwg.org/#convert-header-names-to-a-sorted-lowercase-set
 */
export function sortedLowercaseSet(unsafe: readonly UnsafeHeader[]): string[] {
  if (unsafe.length === 0) return [];
  if (unsafe.length === 1) return [unsafe[0]!.name];
  // Step 6: convert to a sorted-lowercase set.
  const names = [...new Set(unsafe.map((u) => u.name))];
  names.sort();
  return names;
}

/**
 * The `Access-Control-Request-Headers` value Chrome would send for these
 * headers: names lower-case, sorted, joined with "," (no space); "" when none.
 * @see https://fetch.spec.whatwg.org/#cors-preflight-fetch-0 (step 5)
 */
export function accessControlRequestHeaders(headers: HeaderList): string {
  return corsUnsafeRequestHeaderNames(headers).join(',');
}
