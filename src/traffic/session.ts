import type { CaptureEvent } from './events';
import type { Exchange } from './exchange';
import type { PendingPreflight } from './pairing';
import type { PreflightCacheEntry } from './preflight-cache';
import type { ExchangeRecord, SessionState, SkipReason } from './record';
import { buildExchange } from './build-exchange';
import { NO_OBSERVER, type SessionObserver } from './changes';
import { ExchangeLog } from './log';
import { EventTracker } from './tracker';

/**
 * One tab's captured exchanges: the event tracker (tracker.ts) pairs preflights with their
 * requests into records, the bounded log (log.ts) keeps at most `cap` of them, and each record is
 * analysed into the `Exchange` the panel and the report show, once per change. It keeps no account
 * of storage: it tells its `observer` what changed (changes.ts), and whoever persists listens.
 */
export class TabSession {
  readonly tabId: number;
  preserveLog: boolean;
  /** Told of every change; the worker's store sets it. */
  observer: SessionObserver = NO_OBSERVER;
  private log: ExchangeLog;
  private tracker: EventTracker;
  /** Analyses, made when asked for and forgotten when their record changes. */
  private built = new Map<string, Exchange>();

  constructor(tabId: number, cap: number, state?: SessionState) {
    this.tabId = tabId;
    this.preserveLog = state?.preserveLog ?? false;
    this.log = new ExchangeLog(cap, state?.dropped ?? 0);
    const built = this.built;
    const outer = (): SessionObserver => this.observer;
    this.tracker = new EventTracker(
      this.log,
      {
        changed: (id) => {
          built.delete(id);
          outer().changed(id);
        },
        removed: (id) => {
          built.delete(id);
          outer().removed(id);
        },
        waiting: (id) => outer().waiting(id),
        waitingGone: (id) => outer().waitingGone(id),
      },
      state,
    );
  }

  get size(): number {
    return this.log.size;
  }

  get dropped(): number {
    return this.log.dropped;
  }

  get skipped(): Partial<Record<SkipReason, number>> {
    return this.tracker.skipped;
  }

  /** Feed one browser event. Never throws: a malformed event is counted and skipped. */
  handle(ev: CaptureEvent): void {
    this.tracker.handle(ev);
  }

  /** The exchange as the report and the panel show it (analysed once per change). */
  exchange(id: string): Exchange | undefined {
    let ex = this.built.get(id);
    if (ex) return ex;
    const rec = this.log.get(id);
    if (!rec) return undefined;
    ex = buildExchange(rec);
    this.built.set(id, ex);
    return ex;
  }

  /**
   * All exchanges in the order they started. Not always the order they were first seen: after a
   * worker restart the browser may hand over a request's response before the request itself, and an
   * earlier request's start after it. Stable, so equal start times keep the order of arrival.
   */
  exchanges(): Exchange[] {
    const out: Exchange[] = [];
    for (const id of this.log.ids()) out.push(this.exchange(id)!);
    return out.sort((a, b) => a.startedAt - b.startedAt);
  }

  record(id: string): ExchangeRecord | undefined {
    return this.log.get(id);
  }

  /** Forget every exchange (navigation without "preserve log", or the user's Clear). The preflight cache stays: the browser's does. */
  clear(): void {
    this.tracker.clear();
  }

  /** The preflight, if no request claimed it and it has not expired. */
  stillWaiting(requestId: string): PendingPreflight | undefined {
    return this.tracker.preflights.stillWaiting(requestId);
  }

  /** The preflight-cache model's entries (each replaced, never changed, when the browser would renew it). */
  cacheEntries(): IterableIterator<PreflightCacheEntry> {
    return this.tracker.cache.values();
  }

  /** The small part of the state: not per exchange, per waiting preflight or per cache entry (those have keys of their own). */
  meta(): Omit<SessionState, 'records' | 'waiting' | 'cache'> {
    return { tabId: this.tabId, ignored: [...this.tracker.ignored], dropped: this.log.dropped, skipped: this.tracker.skipped, preserveLog: this.preserveLog };
  }

  /** Everything a TabSession resumes from, as one value. */
  state(): SessionState {
    return { ...this.meta(), records: [...this.log.values()], waiting: this.tracker.preflights.waitingList(), cache: [...this.tracker.cache.values()] };
  }
}
