import type { Message, PreflightObserved, Redirect } from '../cors/types';
import { originOf } from '../cors/origin';
import type { ErrorEvent, HeadersEvent, SendEvent } from './events';
import { pairingKey, type PendingPreflight } from './pairing';
import type { PreflightCacheEntry } from './preflight-cache';

/** The capture's raw record of one exchange; serialisable, so a restarted worker resumes it. */
export interface ExchangeRecord {
  id: string;
  tabId: number;
  startedAt: number;
  url: string;
  currentUrl: string;
  method: string;
  initiatorOrigin: string;
  resourceType: string;
  request: Message | null;
  redirects: Redirect[];
  response: Message | null;
  /** Only when an override changed what the server sent. */
  finalResponse: Message | null;
  error: string | null;
  preflight: PendingPreflight | null;
  /** How the browser satisfied a required preflight it did not send. */
  preflightObserved: PreflightObserved | null;
  cacheExpiresAt: number | null;
  /** Set when Firefox reported it: its events come in another order and its errors have other names (docs/firefox.md). */
  browser?: 'firefox';
  /** Firefox only: the key its preflight, which comes after it, pairs on. */
  preflightKey?: string;
}

/** What is kept of a same-origin request, in case a redirect takes it to another origin. */
export interface IgnoredRequest {
  url: string;
  startedAt: number;
  redirects: Redirect[];
}

export type SkipReason = 'unparsable-url' | 'no-initiator' | 'extension-initiator' | 'orphan-preflight' | 'malformed-event';

/** Everything needed to resume a session after the worker was stopped. */
export interface SessionState {
  tabId: number;
  records: ExchangeRecord[];
  waiting: PendingPreflight[];
  cache: PreflightCacheEntry[];
  /** Same-origin requests still in flight, by requestId (a redirect may make them cross-origin). */
  ignored: Array<[string, IgnoredRequest]>;
  dropped: number;
  skipped: Partial<Record<SkipReason, number>>;
  preserveLog: boolean;
}

/** A new record for the event that first showed an exchange: nothing seen of it yet but the event. */
export function newRecord(ev: SendEvent | HeadersEvent | ErrorEvent): ExchangeRecord {
  return {
    id: ev.requestId,
    tabId: ev.tabId,
    startedAt: ev.timeStamp,
    url: ev.url,
    currentUrl: ev.url,
    method: ev.method,
    initiatorOrigin: originOf(ev.initiator ?? '')!,
    resourceType: ev.type,
    request: null,
    redirects: [],
    response: null,
    finalResponse: null,
    error: null,
    preflight: null,
    preflightObserved: null,
    cacheExpiresAt: null,
    ...(ev.browser === 'firefox' ? { browser: 'firefox' as const, preflightKey: pairingKey(ev, ev.method) } : {}),
  };
}
