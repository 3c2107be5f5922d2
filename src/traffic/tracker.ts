import type { Message } from '../cors/types';
import { preflightNeed } from '../cors/preflight-required';
import { isCorsSafelistedMethod } from '../cors/methods';
import { getHeader } from '../cors/header-list';
import { originOf } from '../cors/origin';
import type { CaptureEvent, ErrorEvent, HeadersEvent, SendEvent } from './events';
import { firstHeaderValue, sameHeaders } from './headers';
import { pairingKey, preflightMethodOf, type PendingPreflight } from './pairing';
import { cacheEntryFor, cacheFromEntries, preflightCacheMatch, rememberPreflight, type PreflightCache } from './preflight-cache';
import { newRecord, type ExchangeRecord, type IgnoredRequest, type SessionState, type SkipReason } from './record';
import type { ExchangeLog } from './log';
import type { SessionObserver } from './changes';
import { Preflights, preflightFailed } from './preflights';
import { leftOrigin, originRelation, rememberSameOrigin } from './same-origin';
import { claimLateRequest, rememberLatePreflight } from './firefox-pairing';

/**
 * Turns one tab's browser events into records: pairs each preflight with its request (first in
 * first out, pairing.ts), models the browser's preflight cache, and remembers same-origin requests
 * a redirect may still take to another origin. It tells its observer what changed.
 */
export class EventTracker {
  skipped: Partial<Record<SkipReason, number>>;
  readonly preflights: Preflights;
  readonly cache: PreflightCache;
  readonly ignored: Map<string, IgnoredRequest>;

  constructor(
    private readonly log: ExchangeLog,
    private readonly observer: SessionObserver,
    state?: SessionState,
  ) {
    this.skipped = { ...(state?.skipped ?? {}) };
    this.preflights = new Preflights(state?.waiting ?? []);
    this.cache = cacheFromEntries(state?.cache ?? []);
    this.ignored = new Map(state?.ignored ?? []);
    for (const r of state?.records ?? []) {
      log.restore(r);
      if (r.preflight) this.preflights.own(r.preflight, r.id);
    }
  }

  /** Feed one browser event. Never throws: a malformed event is counted and skipped. */
  handle(ev: CaptureEvent): void {
    try {
      switch (ev.kind) {
        case 'send':
          this.onSend(ev);
          break;
        case 'headers':
          this.onHeaders(ev);
          break;
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
          const rec = this.log.get(ev.requestId);
          if (rec?.response && !sameHeaders(rec.response.headers, ev.headers)) {
            rec.finalResponse = { statusCode: ev.statusCode, headers: ev.headers };
            this.observer.changed(rec.id);
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

  /** Forget every record (the preflight cache stays: the browser's does). */
  clear(): void {
    for (const rec of this.log.clear()) this.forget(rec);
    this.skipped = {};
  }

  private onHeaders(ev: HeadersEvent): void {
    const response: Message = { statusCode: ev.statusCode, headers: ev.headers };
    const p = this.preflights.get(ev.requestId);
    if (p) {
      p.response = response;
      const owner = this.preflights.ownerOf(p.requestId);
      rememberLatePreflight(owner === undefined ? undefined : this.log.get(owner), p, this.cache, ev.timeStamp);
      this.touchPreflight(p);
      return;
    }
    const location = firstHeaderValue(ev.headers, 'location');
    const redirect = ev.statusCode >= 300 && ev.statusCode < 400 && location !== null;
    const rec = this.log.get(ev.requestId);
    if (!rec) {
      if (redirect) this.ignored.get(ev.requestId)?.redirects.push({ statusCode: ev.statusCode, location, headers: ev.headers });
      else this.onUnsentResponse(ev, response);
      return;
    }
    if (redirect) rec.redirects.push({ statusCode: ev.statusCode, location, headers: ev.headers });
    else rec.response = response;
    this.observer.changed(rec.id);
  }

  private onSend(ev: SendEvent): void {
    const requestedMethod = preflightMethodOf(ev.method, ev.headers);
    const existing = this.log.get(ev.requestId);
    if (requestedMethod !== null && !existing) {
      if (!this.crossOrigin(ev, true)) return;
      const p: PendingPreflight = {
        requestId: ev.requestId,
        key: pairingKey(ev, requestedMethod),
        requestHeaderNames: getHeader(ev.headers, 'access-control-request-headers') ?? '',
        startedAt: ev.timeStamp,
        request: { headers: ev.headers },
        response: null,
        finalResponse: null,
        error: null,
      };
      if (ev.browser === 'firefox') {
        const rec = claimLateRequest(this.log, p);
        if (rec) {
          this.preflights.own(p, rec.id);
          this.observer.changed(rec.id);
          return;
        }
      }
      for (const old of this.preflights.expire(ev.timeStamp)) {
        this.observer.waitingGone(old.requestId);
        this.skip('orphan-preflight');
      }
      this.preflights.wait(p);
      this.observer.waiting(p.requestId);
      return;
    }
    if (existing?.request === null) {
      // Its response or error came first (events out of order after a worker restart): this is the
      // request itself, not a redirect, and keeps the preflight it may have claimed.
      existing.request = { headers: ev.headers };
      existing.startedAt = Math.min(existing.startedAt, ev.timeStamp);
      if (!existing.preflight) this.attachPreflight(existing, ev);
      this.observer.changed(existing.id);
      return;
    }
    if (existing) {
      // The same requestId again: the browser followed a redirect. A cross-origin redirect of a
      // preflighted request brings a new preflight: the newest one governs what happens next.
      existing.currentUrl = ev.url;
      existing.request = { headers: ev.headers };
      this.attachPreflight(existing, ev);
      this.observer.changed(existing.id);
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
    const rec = this.continued(ev, before);
    rec.request = { headers: ev.headers };
    this.attachPreflight(rec, ev);
    this.add(rec);
  }

  /**
   * A response whose request was not seen: its onSendHeaders went to a worker the browser stopped
   * a moment later (after an abrupt stop the next worker gets the response, or gets a request's
   * events out of order, response and error before the request; docs/reliability.md), or capture
   * began while it was in flight. The exchange is kept, with its request headers unknown; a later
   * onSendHeaders fills them in. OPTIONS is left out: without its request headers a preflight
   * cannot be told from a page's OPTIONS.
   */
  private onUnsentResponse(ev: HeadersEvent, response: Message): void {
    // Counts nothing: its onSendHeaders, if it came, was counted already.
    if (ev.method === 'OPTIONS' || this.ignored.has(ev.requestId) || originRelation(ev) !== 'cross') return;
    const rec = newRecord(ev);
    rec.response = response;
    // A method that needs a preflight had one sent before it: the oldest waiting for this URL and method.
    if (!isCorsSafelistedMethod(ev.method)) {
      const claimed = this.preflights.claim(pairingKey(ev, ev.method), null, true);
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
    const existing = this.log.get(ev.requestId);
    if (existing) {
      existing.error = ev.error;
      this.observer.changed(existing.id);
      return;
    }
    const before = this.ignored.get(ev.requestId);
    if (before) {
      this.ignored.delete(ev.requestId);
      // A same-origin request the browser refused to follow to another origin
      // (mode "same-origin", or a redirect it would not take) concerns CORS too.
      if (!leftOrigin(before, ev.initiator)) return;
    } else if (!this.crossOrigin(ev, false)) {
      // First sight of this request is its failure: it never sent headers, so
      // either its preflight stopped it or it failed before reaching the network.
      return;
    }
    const rec = this.continued(ev, before);
    rec.error = ev.error;
    // Credentials mode "omit" first: under "include" nearly any preflight without Allow-Credentials fails.
    const claimed = this.preflights.claimFailed(pairingKey(ev, ev.method), [
      (q) => preflightFailed(q, rec.initiatorOrigin, ev.method, false),
      (q) => preflightFailed(q, rec.initiatorOrigin, ev.method, true),
    ]);
    if (claimed) this.own(rec, claimed);
    this.add(rec);
  }

  /** A new record, carrying on from the same-origin request a redirect made cross-origin, if there was one. */
  private continued(ev: SendEvent | ErrorEvent, before: IgnoredRequest | undefined): ExchangeRecord {
    const rec = newRecord(ev);
    if (before) {
      rec.url = before.url;
      rec.startedAt = before.startedAt;
      rec.redirects = before.redirects;
    }
    return rec;
  }

  /** Pair a request that was just sent with its preflight, or explain why none was sent. */
  private attachPreflight(rec: ExchangeRecord, ev: SendEvent): void {
    const { required, unsafeNames } = preflightNeed(ev.method, ev.headers);
    const claimed = this.preflights.claim(pairingKey(ev, ev.method), unsafeNames.join(','), required);
    if (claimed) {
      if (rec.preflight) this.preflights.disown(rec.preflight.requestId);
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
    const hit = preflightCacheMatch(this.cache, rec.initiatorOrigin, ev.url, ev.method, unsafeNames, ev.timeStamp);
    rec.preflightObserved = hit ? 'cached' : 'missing';
    rec.cacheExpiresAt = hit ? hit.expiresAt : null;
  }

  private own(rec: ExchangeRecord, p: PendingPreflight): void {
    rec.preflight = p;
    rec.preflightObserved = 'sent';
    rec.startedAt = Math.min(rec.startedAt, p.startedAt);
    this.preflights.own(p, rec.id);
    this.observer.waitingGone(p.requestId);
  }

  /** Is this request cross-origin to the page that made it? Counts the reasons it cannot tell. */
  private crossOrigin(ev: { requestId: string; url: string; initiator?: string | undefined; timeStamp: number }, preflight: boolean): boolean {
    const relation = originRelation(ev);
    if (relation === 'cross') return true;
    if (relation !== 'same') return this.skip(relation);
    if (!preflight) rememberSameOrigin(this.ignored, ev);
    return false;
  }

  private skip(reason: SkipReason): false {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + 1;
    return false;
  }

  private add(rec: ExchangeRecord): void {
    const dropped = this.log.add(rec);
    this.observer.changed(rec.id);
    for (const old of dropped) this.forget(old);
  }

  private forget(rec: ExchangeRecord): void {
    this.observer.removed(rec.id);
    if (rec.preflight) this.preflights.release(rec.preflight.requestId);
  }

  private touchPreflight(p: PendingPreflight): void {
    const owner = this.preflights.ownerOf(p.requestId);
    const rec = owner === undefined ? undefined : this.log.get(owner);
    if (rec) this.observer.changed(rec.id);
    else this.observer.waiting(p.requestId);
  }
}
