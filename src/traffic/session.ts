import type { Message, PreflightObserved, Redirect } from '../cors/types';
import { accessControlRequestHeaders, corsUnsafeRequestHeaderNames } from '../cors/request-headers';
import { preflightReasons } from '../cors/preflight-required';
import type { CaptureEvent, ErrorEvent, HeadersEvent, SendEvent } from './events';
import type { Exchange } from './exchange';
import { headerValue, originOf, sameHeaders } from './headers';
import { claimFailedPreflight, claimPreflight, pairingKey, preflightMethodOf, type PendingPreflight } from './pairing';
import { validatePreflightResponse } from '../cors/preflight-response';
import { isCorsSafelistedMethod } from '../cors/methods';
import { cacheEntryFor, cacheFromEntries, preflightCacheMatch, rememberPreflight, type PreflightCache, type PreflightCacheEntry } from './preflight-cache';
import { buildExchange } from './build-exchange';
import { LATE_PREFLIGHT_LOOKBACK, requestForLatePreflight } from './firefox-order';

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

/** Would the browser have rejected this preflight's answer under this credentials mode? */
function preflightFailed(p: PendingPreflight, origin: string, method: string, include: boolean): boolean {
  if (p.error !== null) return true;
  const response = p.finalResponse ?? p.response;
  if (!response) return false;
  const names = p.requestHeaderNames.split(',').filter((n) => n.length > 0);
  return validatePreflightResponse(response, origin, include, method, names) !== null;
}

/** Whether a page (not an extension) made this request for another origin than its own, or why that cannot be told. */
function originRelation(ev: { url: string; initiator?: string | undefined }): 'cross' | 'same' | 'unparsable-url' | 'no-initiator' | 'extension-initiator' {
  const target = originOf(ev.url);
  if (target === null) return 'unparsable-url';
  if (!ev.initiator || ev.initiator === 'null') return 'no-initiator';
  if (ev.initiator.startsWith('chrome-extension:') || ev.initiator.startsWith('moz-extension:')) return 'extension-initiator';
  return target !== originOf(ev.initiator) ? 'cross' : 'same';
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

/** What is kept of a same-origin request, in case a redirect takes it to another origin. */
export interface IgnoredRequest {
  url: string;
  startedAt: number;
  redirects: Redirect[];
}

export interface SessionChanges {
  changed: string[];
  removed: string[];
  /** Preflights that started waiting or got their answer while waiting. */
  waiting: PendingPreflight[];
  /** requestIds of preflights that stopped waiting (claimed by their request, or expired). */
  waitingGone: string[];
}

/** An unclaimed preflight older than this is dropped: its request never showed up (aborted, or missed). */
const ORPHAN_PREFLIGHT_MS = 60_000;
/** Same-origin requests are remembered only briefly, in case a redirect makes them cross-origin. */
const IGNORED_MAX = 512;

/**
 * One tab's captured exchanges: pairs preflights with their requests, models the
 * preflight cache, keeps at most `cap` exchanges (oldest dropped first, counted),
 * and remembers what changed so the adapter can persist and broadcast just that.
 */
export class TabSession {
  readonly tabId: number;
  cap: number;
  preserveLog: boolean;
  dropped: number;
  skipped: Partial<Record<SkipReason, number>>;
  private records = new Map<string, ExchangeRecord>();
  /**
   * Record ids, oldest first, from `head` on: the cap drops from here. Taking the oldest with
   * `records.keys().next()` made every drop walk the holes V8 leaves at the front of a Map until it
   * rehashes (measured: 7 µs per drop at a 10,000 cap, against 0.3 µs with this queue).
   */
  private order: string[] = [];
  private head = 0;
  private built = new Map<string, Exchange>();
  private waiting: PendingPreflight[];
  /** preflight requestId → the pending preflight (waiting or claimed) */
  private preflights = new Map<string, PendingPreflight>();
  /** claimed preflight requestId → exchange id */
  private preflightOwner = new Map<string, string>();
  private cache: PreflightCache;
  private ignored: Map<string, IgnoredRequest>;
  private changed = new Set<string>();
  private removed = new Set<string>();
  /**
   * Waiting preflights that started waiting or got their answer, and those that stopped waiting:
   * the store writes each under its own key at once, like a record (rewriting the whole list at
   * every write cost a tenth of the worker's time on the stress page, hundreds of preflights waiting).
   */
  private waitingDirty = new Set<string>();
  private waitingGone = new Set<string>();

  constructor(tabId: number, cap: number, state?: SessionState) {
    this.tabId = tabId;
    this.cap = cap;
    this.preserveLog = state?.preserveLog ?? false;
    this.dropped = state?.dropped ?? 0;
    this.skipped = { ...(state?.skipped ?? {}) };
    this.waiting = state ? [...state.waiting] : [];
    this.cache = cacheFromEntries(state?.cache ?? []);
    this.ignored = new Map(state?.ignored ?? []);
    for (const p of this.waiting) this.preflights.set(p.requestId, p);
    for (const r of state?.records ?? []) this.restore(r);
  }

  get size(): number {
    return this.records.size;
  }

  /** Feed one browser event. Never throws: a malformed event is counted and skipped. */
  handle(ev: CaptureEvent): void {
    try {
      switch (ev.kind) {
        case 'send':
          this.onSend(ev);
          break;
        case 'headers': {
          const response: Message = { statusCode: ev.statusCode, headers: ev.headers };
          const p = this.preflights.get(ev.requestId);
          if (p) {
            p.response = response;
            this.rememberLatePreflight(p, ev.timeStamp);
            this.touchPreflight(p);
            break;
          }
          const location = headerValue(ev.headers, 'location');
          const redirect = ev.statusCode >= 300 && ev.statusCode < 400 && location !== null;
          const rec = this.records.get(ev.requestId);
          if (!rec) {
            if (redirect) this.ignored.get(ev.requestId)?.redirects.push({ statusCode: ev.statusCode, location, headers: ev.headers });
            else this.onUnsentResponse(ev, response);
            break;
          }
          if (redirect) {
            rec.redirects.push({ statusCode: ev.statusCode, location, headers: ev.headers });
          } else {
            rec.response = response;
          }
          this.touch(rec);
          break;
        }
        case 'completed': {
          if (!ev.headers) break;
          const p = this.preflights.get(ev.requestId);
          if (p) {
            if (p.response && !sameHeaders(p.response.headers, ev.headers)) {
              p.finalResponse = { statusCode: ev.statusCode, headers: ev.headers };
              this.touchPreflight(p);
            }
            break;
          }
          const rec = this.records.get(ev.requestId);
          if (rec?.response && !sameHeaders(rec.response.headers, ev.headers)) {
            rec.finalResponse = { statusCode: ev.statusCode, headers: ev.headers };
            this.touch(rec);
          }
          break;
        }
        case 'error':
          this.onError(ev);
          break;
      }
    } catch {
      this.skip('malformed-event');
    }
  }

  private onSend(ev: SendEvent): void {
    const requestedMethod = preflightMethodOf(ev.method, ev.headers);
    const existing = this.records.get(ev.requestId);
    if (requestedMethod !== null && !existing) {
      if (!this.crossOrigin(ev, true)) return;
      const p: PendingPreflight = {
        requestId: ev.requestId,
        key: pairingKey(ev, requestedMethod),
        requestHeaderNames: headerValue(ev.headers, 'access-control-request-headers') ?? '',
        startedAt: ev.timeStamp,
        request: { headers: ev.headers },
        response: null,
        finalResponse: null,
        error: null,
      };
      if (ev.browser === 'firefox' && this.claimLateRequest(p)) return;
      this.expireOrphans(ev.timeStamp);
      this.waiting.push(p);
      this.preflights.set(p.requestId, p);
      this.waitingDirty.add(p.requestId);
      return;
    }
    if (existing?.request === null) {
      // Its response or error came first (events out of order after a worker restart): this is the
      // request itself, not a redirect, and keeps the preflight it may have claimed.
      existing.request = { headers: ev.headers };
      existing.startedAt = Math.min(existing.startedAt, ev.timeStamp);
      if (!existing.preflight) this.attachPreflight(existing, ev);
      this.touch(existing);
      return;
    }
    if (existing) {
      // The same requestId again: the browser followed a redirect. A cross-origin redirect of a
      // preflighted request brings a new preflight: the newest one governs what happens next.
      existing.currentUrl = ev.url;
      existing.request = { headers: ev.headers };
      this.attachPreflight(existing, ev);
      this.touch(existing);
      return;
    }
    const before = this.ignored.get(ev.requestId);
    if (before) {
      // A same-origin request redirected to another origin is now a CORS request.
      if (originOf(ev.url) === originOf(ev.initiator ?? '')) return;
      this.ignored.delete(ev.requestId);
    } else if (!this.crossOrigin(ev, false)) {
      return;
    }
    const rec = this.create(ev);
    if (before) {
      rec.url = before.url;
      rec.startedAt = before.startedAt;
      rec.redirects = before.redirects;
    }
    rec.request = { headers: ev.headers };
    this.attachPreflight(rec, ev);
    this.add(rec);
  }

  /**
   * A response whose request was not seen: its onSendHeaders went to a worker Chrome stopped a moment
   * later (measured: after an abrupt stop the next worker gets the response, or gets a request's events
   * out of order, response and error before the request), or capture began while it was in flight.
   * The exchange is kept, with its request headers unknown; a later onSendHeaders fills them in.
   * OPTIONS is left out: without its request headers a preflight cannot be told from a page's OPTIONS.
   */
  private onUnsentResponse(ev: HeadersEvent, response: Message): void {
    // Counts nothing: its onSendHeaders, if it came, was counted already.
    if (ev.method === 'OPTIONS' || this.ignored.has(ev.requestId) || originRelation(ev) !== 'cross') return;
    const rec = this.create(ev);
    rec.response = response;
    // A method that needs a preflight had one sent before it: the oldest waiting for this URL and method.
    if (!isCorsSafelistedMethod(ev.method)) {
      const claimed = claimPreflight(this.waiting, pairingKey(ev, ev.method), null, true);
      if (claimed) this.own(rec, claimed);
    }
    this.add(rec);
  }

  private onError(ev: ErrorEvent): void {
    const p = this.preflights.get(ev.requestId);
    if (p) {
      p.error = ev.error;
      this.touchPreflight(p);
      return;
    }
    const existing = this.records.get(ev.requestId);
    if (existing) {
      existing.error = ev.error;
      this.touch(existing);
      return;
    }
    const before = this.ignored.get(ev.requestId);
    if (before) {
      this.ignored.delete(ev.requestId);
      // A same-origin request the browser refused to follow to another origin
      // (mode "same-origin", or a redirect it would not take) concerns CORS too.
      const page = originOf(ev.initiator ?? '');
      if (!before.redirects.some((r) => originOf(new URL(r.location, before.url).href) !== page)) return;
    } else if (!this.crossOrigin(ev, false)) {
      // First sight of this request is its failure: it never sent headers, so
      // either its preflight stopped it or it failed before reaching the network.
      return;
    }
    const rec = this.create(ev);
    if (before) {
      rec.url = before.url;
      rec.startedAt = before.startedAt;
      rec.redirects = before.redirects;
    }
    rec.error = ev.error;
    // Credentials mode "omit" first: under "include" nearly any preflight without Allow-Credentials fails.
    const claimed = claimFailedPreflight(this.waiting, pairingKey(ev, ev.method), [
      (p) => preflightFailed(p, rec.initiatorOrigin, ev.method, false),
      (p) => preflightFailed(p, rec.initiatorOrigin, ev.method, true),
    ]);
    if (claimed) this.own(rec, claimed);
    this.add(rec);
  }

  /** Firefox: a preflight reported after its request takes that request (see firefox-order.ts). */
  private claimLateRequest(p: PendingPreflight): boolean {
    const recent: ExchangeRecord[] = [];
    for (let i = Math.max(this.head, this.order.length - LATE_PREFLIGHT_LOOKBACK); i < this.order.length; i++) {
      const r = this.records.get(this.order[i]!);
      if (r) recent.push(r);
    }
    const rec = requestForLatePreflight(recent, p);
    if (!rec) return false;
    rec.preflight = p;
    rec.preflightObserved = 'sent';
    rec.cacheExpiresAt = null;
    rec.startedAt = Math.min(rec.startedAt, p.startedAt);
    this.preflights.set(p.requestId, p);
    this.preflightOwner.set(p.requestId, rec.id);
    this.touch(rec);
    return true;
  }

  /** Firefox: a late-paired preflight's answer, if the rules accept it, is what the browser's preflight cache now holds. */
  private rememberLatePreflight(p: PendingPreflight, now: number): void {
    const owner = this.preflightOwner.get(p.requestId);
    const rec = owner === undefined ? undefined : this.records.get(owner);
    if (!rec || rec.browser !== 'firefox' || !p.response) return;
    if (preflightFailed(p, rec.initiatorOrigin, rec.method, false)) return;
    const entry = cacheEntryFor(rec.initiatorOrigin, rec.url, rec.method, p.finalResponse ?? p.response, now);
    rememberPreflight(this.cache, entry, now);
    rec.cacheExpiresAt = entry.expiresAt;
  }

  /** Pair a request that was just sent with its preflight, or explain why none was sent. */
  private attachPreflight(rec: ExchangeRecord, ev: SendEvent): void {
    const required = preflightReasons(ev.method, ev.headers).length > 0;
    const claimed = claimPreflight(this.waiting, pairingKey(ev, ev.method), accessControlRequestHeaders(ev.headers), required);
    if (claimed) {
      if (rec.preflight) this.preflightOwner.delete(rec.preflight.requestId);
      this.own(rec, claimed);
      // The request was sent after its preflight: the preflight passed and is now cached.
      if (claimed.response) {
        const entry = cacheEntryFor(rec.initiatorOrigin, ev.url, ev.method, claimed.finalResponse ?? claimed.response, ev.timeStamp);
        rememberPreflight(this.cache, entry, ev.timeStamp);
        rec.cacheExpiresAt = entry.expiresAt;
      }
      return;
    }
    if (!required || rec.preflight) return;
    const hit = preflightCacheMatch(this.cache, rec.initiatorOrigin, ev.url, ev.method, corsUnsafeRequestHeaderNames(ev.headers), ev.timeStamp);
    rec.preflightObserved = hit ? 'cached' : 'missing';
    rec.cacheExpiresAt = hit ? hit.expiresAt : null;
  }

  private own(rec: ExchangeRecord, p: PendingPreflight): void {
    rec.preflight = p;
    rec.preflightObserved = 'sent';
    rec.startedAt = Math.min(rec.startedAt, p.startedAt);
    this.preflightOwner.set(p.requestId, rec.id);
    this.stoppedWaiting(p.requestId);
  }

  private stoppedWaiting(requestId: string): void {
    this.waitingDirty.delete(requestId);
    this.waitingGone.add(requestId);
  }

  private create(ev: SendEvent | HeadersEvent | ErrorEvent): ExchangeRecord {
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

  /** Is this request cross-origin to the page that made it? Counts the reasons it cannot tell. */
  private crossOrigin(ev: { requestId: string; url: string; initiator?: string | undefined; timeStamp: number }, preflight: boolean): boolean {
    const relation = originRelation(ev);
    if (relation === 'cross') return true;
    if (relation !== 'same') return this.skip(relation);
    if (!preflight) {
      this.ignored.set(ev.requestId, { url: ev.url, startedAt: ev.timeStamp, redirects: [] });
      if (this.ignored.size > IGNORED_MAX) this.ignored.delete(this.ignored.keys().next().value!);
    }
    return false;
  }

  private skip(reason: SkipReason): false {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + 1;
    return false;
  }

  private expireOrphans(now: number): void {
    while (this.waiting.length > 0 && now - this.waiting[0]!.startedAt > ORPHAN_PREFLIGHT_MS) {
      const p = this.waiting.shift()!;
      this.preflights.delete(p.requestId);
      this.stoppedWaiting(p.requestId);
      this.skip('orphan-preflight');
    }
  }

  private add(rec: ExchangeRecord): void {
    if (!this.records.has(rec.id)) this.order.push(rec.id);
    this.records.set(rec.id, rec);
    this.touch(rec);
    while (this.records.size > this.cap && this.head < this.order.length) {
      const oldest = this.order[this.head++]!;
      if (!this.records.has(oldest)) continue;
      this.forget(oldest);
      this.dropped++;
    }
    if (this.head > 4096 && this.head * 2 > this.order.length) {
      this.order.splice(0, this.head);
      this.head = 0;
    }
  }

  private forget(id: string): void {
    const rec = this.records.get(id);
    if (!rec) return;
    this.records.delete(id);
    this.built.delete(id);
    this.changed.delete(id);
    this.removed.add(id);
    if (rec.preflight) {
      this.preflights.delete(rec.preflight.requestId);
      this.preflightOwner.delete(rec.preflight.requestId);
    }
  }

  private restore(rec: ExchangeRecord): void {
    if (!this.records.has(rec.id)) this.order.push(rec.id);
    this.records.set(rec.id, rec);
    if (rec.preflight) {
      this.preflights.set(rec.preflight.requestId, rec.preflight);
      this.preflightOwner.set(rec.preflight.requestId, rec.id);
    }
  }

  private touch(rec: ExchangeRecord): void {
    this.built.delete(rec.id);
    this.changed.add(rec.id);
    // Dropped and made again before the changes were drained (a late event after a clear): changed, not removed.
    this.removed.delete(rec.id);
  }

  private touchPreflight(p: PendingPreflight): void {
    const owner = this.preflightOwner.get(p.requestId);
    const rec = owner === undefined ? undefined : this.records.get(owner);
    if (rec) this.touch(rec);
    else this.waitingDirty.add(p.requestId);
  }

  /** The exchange as the report and the panel show it (analysed once per change). */
  exchange(id: string): Exchange | undefined {
    let ex = this.built.get(id);
    if (ex) return ex;
    const rec = this.records.get(id);
    if (!rec) return undefined;
    ex = buildExchange(rec);
    this.built.set(id, ex);
    return ex;
  }

  /**
   * All exchanges in the order they started. Not always the order they were first seen: after a
   * worker restart Chrome may hand over a request's response before the request itself, and an
   * earlier request's start after it. Stable, so equal start times keep the order of arrival.
   */
  exchanges(): Exchange[] {
    const out: Exchange[] = [];
    for (const id of this.records.keys()) out.push(this.exchange(id)!);
    return out.sort((a, b) => a.startedAt - b.startedAt);
  }

  record(id: string): ExchangeRecord | undefined {
    return this.records.get(id);
  }

  /** Forget every exchange (navigation without "preserve log", or the user's Clear). The preflight cache stays: the browser's does. */
  clear(): void {
    for (const id of [...this.records.keys()]) this.forget(id);
    this.order = [];
    this.head = 0;
    this.dropped = 0;
    this.skipped = {};
  }

  /** What changed since the last call: ids to re-send and re-persist, ids to delete. */
  drainChanges(): SessionChanges {
    const waiting: PendingPreflight[] = [];
    for (const id of this.waitingDirty) {
      const p = this.stillWaiting(id);
      if (p) waiting.push(p);
    }
    const out = { changed: [...this.changed], removed: [...this.removed], waiting, waitingGone: [...this.waitingGone] };
    this.changed.clear();
    this.removed.clear();
    this.waitingDirty.clear();
    this.waitingGone.clear();
    return out;
  }

  get dirty(): boolean {
    return this.changed.size > 0 || this.removed.size > 0 || this.waitingDirty.size > 0 || this.waitingGone.size > 0;
  }

  /** A write of this waiting preflight failed: send it again with the next changes, if it still waits. */
  rewriteWaiting(requestId: string): void {
    if (this.stillWaiting(requestId)) this.waitingDirty.add(requestId);
  }

  /** The preflight, if no request claimed it and it has not expired. */
  private stillWaiting(requestId: string): PendingPreflight | undefined {
    return this.preflightOwner.has(requestId) ? undefined : this.preflights.get(requestId);
  }

  /** The preflight-cache model's entries (each replaced, never changed, when the browser would renew it). */
  cacheEntries(): IterableIterator<PreflightCacheEntry> {
    return this.cache.values();
  }

  /** The small part of the state: not per exchange, per waiting preflight or per cache entry (those have keys of their own). */
  meta(): Omit<SessionState, 'records' | 'waiting' | 'cache'> {
    return {
      tabId: this.tabId,
      ignored: [...this.ignored],
      dropped: this.dropped,
      skipped: this.skipped,
      preserveLog: this.preserveLog,
    };
  }

  /** Everything a TabSession resumes from, as one value. */
  state(): SessionState {
    return { ...this.meta(), records: [...this.records.values()], waiting: [...this.waiting], cache: [...this.cache.values()] };
  }
}
