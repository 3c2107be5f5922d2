/**
 * Whether a request needs a CORS-preflight, and why, in the product's words.
 */
import { byteLength } from './header-list';
import { isCorsSafelistedMethod, normalizeMethod } from './methods';
import { mimeTypeEssence } from './mime-type';
import { corsUnsafeRequestHeaders, sortedLowercaseSet, type UnsafeHeader } from './request-headers';
import type { HeaderList } from './types';

export { accessControlRequestHeaders } from './request-headers';

function shown(value: string): string {
  return value.length > 60 ? `${value.slice(0, 57)}...` : value;
}

/**
 * One human reason for one CORS-unsafe header.
 * @see https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names
 */
export function unsafeHeaderReason(u: UnsafeHeader, totalBytes: number): string {
  switch (u.reason) {
    case 'name':
      return `header ${u.name} is not CORS-safelisted`;
    case 'too-long':
      return `header ${u.name} is ${byteLength(u.value)} bytes long, over the 128-byte limit for a CORS-safelisted value`;
    case 'unsafe-byte':
      return `header ${u.name} value "${shown(u.value)}" contains a CORS-unsafe byte (one of "():<>?@[\\]{}, DEL or a control character)`;
    case 'language-byte':
      return `header ${u.name} value "${shown(u.value)}" contains a character other than 0-9 A-Z a-z space * , - . ; =`;
    case 'not-a-mime-type':
      return `content-type "${shown(u.value)}" is not a valid MIME type`;
    case 'content-type-essence':
      return `content-type ${mimeTypeEssence(u.value) ?? u.value} is not one of the three safelisted types`;
    case 'range-form':
      return `header range value "${shown(u.value)}" is not a single "bytes=start-" or "bytes=start-end" range`;
    case 'total-too-long':
      return `header ${u.name} counts towards safelisted values totalling ${totalBytes} bytes, over the 1,024-byte limit`;
  }
}

/**
 * Why a request with this method and these (wire) headers needs a
 * CORS-preflight; an empty array means it needs none. Browser-added headers
 * (`user-agent`, `sec-*`, `origin`, `cookie`...) are ignored.
 * @see https://fetch.spec.whatwg.org/#main-fetch (step 12: use-CORS-preflight, or the unsafe-request flag with an unsafe method or header)
 */
export function preflightReasons(method: string, headers: HeaderList): string[] {
  return preflightReasonsFor(method, corsUnsafeRequestHeaders(headers));
}

/**
 * Whether a request needs a CORS-preflight, and its CORS-unsafe request-header names (joined with
 * ",", what Chrome sends as `Access-Control-Request-Headers`), from one pass over its headers and
 * without wording the reasons: the capture asks this for every request it sees.
 * @see https://fetch.spec.whatwg.org/#main-fetch (step 12)
 * @see https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names
 */
export function preflightNeed(method: string, headers: HeaderList): { required: boolean; unsafeNames: string[] } {
  const unsafe = corsUnsafeRequestHeaders(headers);
  return { required: unsafe.length > 0 || !isCorsSafelistedMethod(normalizeMethod(method)), unsafeNames: sortedLowercaseSet(unsafe) };
}

/** `preflightReasons` given the CORS-unsafe headers already computed. */
export function preflightReasonsFor(method: string, unsafe: readonly UnsafeHeader[]): string[] {
  const reasons: string[] = [];
  // The method is not a CORS-safelisted method (after normalizing)...
  const m = normalizeMethod(method);
  if (!isCorsSafelistedMethod(m)) reasons.push(`method ${m} is not CORS-safelisted`);
  // ...or the CORS-unsafe request-header names are not empty.
  if (unsafe.length > 0) {
    let total = 0;
    for (const u of unsafe) if (u.reason === 'total-too-long') total += byteLength(u.value);
    const seen = new Set<string>();
    for (const u of unsafe) {
      const reason = unsafeHeaderReason(u, total);
      if (seen.has(reason)) continue;
      seen.add(reason);
      reasons.push(reason);
    }
  }
  return reasons;
}
