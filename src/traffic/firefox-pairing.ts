import type { PendingPreflight } from './pairing';
import type { ExchangeRecord } from './record';
import type { ExchangeLog } from './log';
import { LATE_PREFLIGHT_LOOKBACK, requestForLatePreflight } from './firefox-order';
import { preflightFailed } from './preflights';
import { cacheEntryFor, rememberPreflight, type PreflightCache } from './preflight-cache';

/**
 * Firefox reports a preflight after the request it was sent for (docs/firefox.md): these two hooks
 * let the event tracker pair it backwards. Chromium's events never reach them.
 */

/** A preflight reported after its request takes that request (see firefox-order.ts). Returns the record, or null. */
export function claimLateRequest(log: ExchangeLog, p: PendingPreflight): ExchangeRecord | null {
  const rec = requestForLatePreflight(log.recent(LATE_PREFLIGHT_LOOKBACK), p);
  if (!rec) return null;
  rec.preflight = p;
  rec.preflightObserved = 'sent';
  rec.cacheExpiresAt = null;
  rec.startedAt = Math.min(rec.startedAt, p.startedAt);
  return rec;
}

/** A late-paired preflight's answer, if the rules accept it, is what the browser's preflight cache now holds. */
export function rememberLatePreflight(rec: ExchangeRecord | undefined, p: PendingPreflight, cache: PreflightCache, now: number): void {
  if (!rec || rec.browser !== 'firefox' || !p.response) return;
  if (preflightFailed(p, rec.initiatorOrigin, rec.method, false)) return;
  const entry = cacheEntryFor(rec.initiatorOrigin, rec.url, rec.method, p.finalResponse ?? p.response, now);
  rememberPreflight(cache, entry, now);
  rec.cacheExpiresAt = entry.expiresAt;
}
