import type { PendingPreflight } from './pairing';
import type { ExchangeRecord } from './record';
import { accessControlRequestHeaders } from '../cors/request-headers';
import { preflightReasons } from '../cors/preflight-required';

/**
 * Firefox reports a preflighted request in the opposite order to Chrome (docs/firefox.md): the
 * request's onSendHeaders comes first (and comes even when the request is never sent, because its
 * preflight failed), then the preflight's, with a requestId a little above the request's. So in
 * Firefox a preflight claims a request already recorded, instead of waiting to be claimed.
 */

/** How far back a preflight looks for its request: it follows its request within a few events. */
export const LATE_PREFLIGHT_LOOKBACK = 256;

function idNumber(id: string): number | null {
  return /^\d+$/.test(id) ? Number(id) : null;
}

/** A request recorded in Firefox that its preflight, if one comes, has not reached yet. */
export function awaitsPreflight(r: ExchangeRecord, key: string): boolean {
  return (
    r.browser === 'firefox' &&
    r.preflightKey === key &&
    r.preflight === null &&
    r.request !== null &&
    r.response === null &&
    r.error === null &&
    r.redirects.length === 0
  );
}

/**
 * The request a Firefox preflight was sent for, among recent records (oldest first): one whose
 * headers announce exactly what the preflight asks for, else the oldest that needs a preflight at
 * all (Firefox sends preflights in the order its requests were made). Never a request made after
 * the preflight: requestIds grow.
 */
export function requestForLatePreflight(recent: readonly ExchangeRecord[], p: PendingPreflight): ExchangeRecord | null {
  const pid = idNumber(p.requestId);
  let fallback: ExchangeRecord | null = null;
  for (const r of recent) {
    if (!awaitsPreflight(r, p.key)) continue;
    const rid = idNumber(r.id);
    if (pid !== null && rid !== null && rid > pid) continue;
    const headers = r.request!.headers;
    if (accessControlRequestHeaders(headers) === p.requestHeaderNames) return r;
    if (fallback === null && preflightReasons(r.method, headers).length > 0) fallback = r;
  }
  return fallback;
}
