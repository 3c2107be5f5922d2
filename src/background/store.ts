import { browser } from '../shared/browser';
import { HeaderDictionary } from '../traffic/compact';
import type { CaptureEvent } from '../traffic/events';
import type { PreflightCacheEntry } from '../traffic/preflight-cache';
import { ChangeTracker } from '../traffic/changes';
import { TabSession } from '../traffic/session';
import type { SessionCounters, StorageHealth } from '../shared/protocol';
import { Broadcast } from './broadcast';
import { DictionaryEntries } from './entries';
import { seed } from './seeds';
import { storageKey } from './stored';
import { WriteQueue } from './write-queue';

/** The batch of what is not an exchange: at most one per window. */
const BATCH_MS = 150;

/**
 * The per-tab sessions, persisted to storage.session incrementally, in compact form, so a worker
 * the browser stopped resumes with nothing lost (docs/reliability.md; the keys: stored.ts).
 *
 * Two paces. What an exchange is made of (its record, the preflights waiting for their request,
 * the dictionary lines they use) is written right after the event that changed it, or as soon as
 * the write in flight is answered (write-queue.ts): the browser can stop the worker between any two
 * events, and a write already sent is nearly always carried out even when the worker is gone. The
 * rest (preflight-cache model, counters, the same-origin requests remembered for redirects) goes
 * with a batch at most every BATCH_MS: losing it costs a count or a cache annotation, never an
 * exchange. The panels are told apart from both (broadcast.ts).
 */
export class SessionStore {
  private sessions = new Map<number, TabSession>();
  private changes = new Map<number, ChangeTracker>();
  private entries = new DictionaryEntries(new HeaderDictionary());
  private queue = new WriteQueue(() => this.writeExchanges());
  /** The panels' updates: the worker sets who listens (`onChange`) and which tabs a panel shows. */
  readonly broadcast = new Broadcast(
    (tabId) => this.sessions.get(tabId),
    (s) => this.counters(s),
  );
  private timer: ReturnType<typeof setTimeout> | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private lastFlush = 0;
  /** The `p:` keys in storage: a preflight claimed before its key was written needs no removal. */
  private waitingKeys = new Set<string>();
  /**
   * Keys emptied by a write (a dropped record, a preflight its request claimed: the write that
   * stores the claimant empties it), removed by the next batch: a `remove` call beside each write
   * doubled the browser's work per write.
   */
  private tombstones = new Set<string>();
  /**
   * Per tab, the preflight-cache entries in storage by key. Entries are replaced, not changed, so
   * identity tells what to write: as one value the model (up to 1,024 entries) was rewritten whole
   * with every batch, most of what the stress page made the worker write.
   */
  private cacheWritten = new Map<number, Map<string, PreflightCacheEntry | null>>();
  /** Tabs whose other state may have changed since it was last written. */
  private metaDue = new Set<number>();
  /** The session state last written per tab: rewritten only when it changes. */
  private metaWritten = new Map<number, string>();
  private warnedFull = false;
  /** Storage entries that could not be read back, shown to the user rather than breaking the worker. */
  discarded = 0;
  /** Records a write could not store (quota): a restarted worker would not have them. */
  unpersisted = 0;
  cap: number;

  constructor(cap: number) {
    this.cap = cap;
  }

  /** Rebuild sessions from storage.session after the worker was (re)started. Returns the stored capture scope. */
  async restore(): Promise<unknown> {
    const s = await seed(this.cap, this.discarded);
    this.discarded += s.bad.length;
    this.entries = new DictionaryEntries(s.dict, s.chunked, s.tailKeys);
    for (const k of s.waitingKeys) this.waitingKeys.add(k);
    for (const [tabId, keys] of s.cacheKeys) this.cacheWritten.set(tabId, new Map(keys));
    for (const session of s.sessions) this.adopt(session);
    return s.scope;
  }

  private adopt(s: TabSession): TabSession {
    const changes = new ChangeTracker();
    s.observer = changes;
    this.sessions.set(s.tabId, s);
    this.changes.set(s.tabId, changes);
    return s;
  }

  session(tabId: number): TabSession {
    return this.sessions.get(tabId) ?? this.adopt(new TabSession(tabId, this.cap));
  }

  peek(tabId: number): TabSession | undefined {
    return this.sessions.get(tabId);
  }

  tabs(): number[] {
    return [...this.sessions.keys()];
  }

  /** The hot path: one browser event into its tab's session, written before the task ends. */
  handle(ev: CaptureEvent): void {
    if (ev.tabId < 0) return;
    this.session(ev.tabId).handle(ev);
    this.changed();
  }

  /** Something changed: write the exchanges at the end of this task (or when the write in flight is answered), the rest with the next batch. */
  changed(): void {
    this.queue.soon();
    this.schedule();
  }

  /**
   * Send the changed records, the waiting preflights and the new dictionary lines to storage, in
   * one write (write-queue.ts sends it). The price is per write, not per byte (npm run bench;
   * docs/performance.md), and batching on a timer instead lost exchanges at every abrupt stop:
   * losing what the user came to see is the worse of the two.
   */
  private writeExchanges(): void {
    const set: Record<string, unknown> = {};
    const waitingSent: Array<[number, string]> = [];
    for (const [tabId, s] of this.sessions) {
      const tracker = this.changes.get(tabId);
      if (!tracker?.dirty) continue;
      const { changed, removed, waiting, waitingGone } = tracker.take((id) => s.stillWaiting(id));
      this.metaDue.add(tabId);
      this.broadcast.touched(tabId);
      for (const id of changed) {
        const rec = s.record(id);
        if (!rec) continue;
        const k = storageKey.record(tabId, id);
        set[k] = this.entries.dict.recordText(rec);
        this.tombstones.delete(k);
        this.broadcast.changed(tabId, id);
      }
      for (const id of removed) {
        if (s.record(id)) continue;
        const k = storageKey.record(tabId, id);
        set[k] = '';
        this.tombstones.add(k);
        this.broadcast.removed(tabId, id);
      }
      for (const p of waiting) {
        const k = storageKey.waiting(tabId, p.requestId);
        set[k] = this.entries.dict.preflightText(p);
        this.waitingKeys.add(k);
        this.tombstones.delete(k);
        waitingSent.push([tabId, p.requestId]);
      }
      for (const id of waitingGone) {
        const k = storageKey.waiting(tabId, id);
        if (!this.waitingKeys.delete(k)) continue;
        set[k] = '';
        this.tombstones.add(k);
      }
    }
    const tail = this.entries.writeNewLines(set);
    if (Object.keys(set).length === 0) return;
    this.queue.track(
      browser.storage.session.set(set).catch((e: unknown) => {
        // Over the quota: memory keeps the session; storage lags behind.
        this.entries.refused(tail);
        // Waiting preflights go again with the next write (records are counted as not kept instead).
        for (const [tabId, requestId] of waitingSent) {
          this.waitingKeys.delete(storageKey.waiting(tabId, requestId));
          if (this.sessions.get(tabId)?.stillWaiting(requestId)) this.changes.get(tabId)?.waiting(requestId);
        }
        this.unpersisted += Object.keys(set).filter((k) => k.startsWith('x:')).length;
        this.warnFull(e);
      }),
    );
  }

  /** Once: the panel shows the count (`unpersisted`); the console needs to say it one time. */
  private warnFull(e: unknown): void {
    if (this.warnedFull) return;
    this.warnedFull = true;
    console.warn('CORS Lens: storage.session is full; new exchanges are kept in memory only', e);
  }

  counters(s: TabSession): SessionCounters {
    return { captured: s.size, dropped: s.dropped, skipped: { ...s.skipped } as Record<string, number>, storage: this.health() };
  }

  health(): StorageHealth {
    return { discarded: this.discarded, unpersisted: this.unpersisted };
  }

  clear(tabId: number): void {
    this.sessions.get(tabId)?.clear();
    this.changed();
  }

  /** A tab's session state (not its exchanges) changed, e.g. "preserve log". */
  stateChanged(tabId: number): void {
    this.metaDue.add(tabId);
    this.schedule();
  }

  /** A closed tab frees its session, in memory and in storage. */
  async drop(tabId: number): Promise<void> {
    const s = this.sessions.get(tabId);
    if (!s) return;
    this.sessions.delete(tabId);
    this.changes.delete(tabId);
    const keys = s.exchanges().map((e) => storageKey.record(tabId, e.id));
    for (const k of [...this.waitingKeys]) {
      if (!k.startsWith(`p:${tabId}:`)) continue;
      keys.push(k);
      this.waitingKeys.delete(k);
    }
    keys.push(storageKey.meta(tabId), ...(this.cacheWritten.get(tabId)?.keys() ?? []));
    this.cacheWritten.delete(tabId);
    this.broadcast.forget(tabId);
    this.metaWritten.delete(tabId);
    this.metaDue.delete(tabId);
    await this.queue.settled();
    await browser.storage.session.remove(keys);
  }

  /**
   * Throttled, leading edge: after a quiet spell the first batch is written at once, then at most
   * one per BATCH_MS. A worker stopped abruptly (update, crash, DevTools' "stop") loses at most the
   * batch of the last window; one stopped for idling (30 s without events) loses nothing.
   */
  schedule(): void {
    if (this.timer !== null) return;
    const wait = Math.max(0, this.lastFlush + BATCH_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.lastFlush = Date.now();
      void this.flush();
    }, wait);
  }

  /** Write (and tell the panels) everything changed so far. Serialised: one batch at a time, in order. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.flushNow()).catch((e: unknown) => console.warn('CORS Lens: persist failed', e));
    return this.flushing;
  }

  private async flushNow(): Promise<void> {
    this.queue.now();
    this.broadcast.send();
    const set: Record<string, unknown> = {};
    const metas = new Map<number, string>();
    const gone: string[] = [];
    const cacheSent: Array<[number, string]> = [];
    for (const [tabId, s] of this.sessions) {
      if (!this.metaDue.delete(tabId)) continue;
      let written = this.cacheWritten.get(tabId);
      if (!written) this.cacheWritten.set(tabId, (written = new Map()));
      const present = new Set<string>();
      for (const e of s.cacheEntries()) {
        const k = storageKey.cache(tabId, e);
        present.add(k);
        if (written.get(k) === e) continue;
        set[k] = JSON.stringify(e);
        written.set(k, e);
        cacheSent.push([tabId, k]);
      }
      for (const k of written.keys()) {
        if (present.has(k)) continue;
        written.delete(k);
        gone.push(k);
      }
      const metaText = JSON.stringify(s.meta());
      if (this.metaWritten.get(tabId) !== metaText) {
        set[storageKey.meta(tabId)] = metaText;
        metas.set(tabId, metaText);
      }
    }
    const fold = this.entries.fold(set);
    let stored = true;
    if (Object.keys(set).length > 0) {
      try {
        await browser.storage.session.set(set);
      } catch (e) {
        // Over the quota: the tail keys stay until their chunks are stored; the cache entries are sent again.
        stored = false;
        // null: the key may hold an older entry; it is written again, and removed if the entry goes.
        for (const [tabId, k] of cacheSent) this.cacheWritten.get(tabId)?.set(k, null);
        this.warnFull(e);
      }
    }
    if (stored) this.entries.folded(fold);
    // Taken only now: a key emptied before this point had its '' sent before this call, and one
    // written again while the batch's set was awaited is no longer a tombstone.
    const emptied = [...this.tombstones];
    this.tombstones.clear();
    // Removing frees room: it goes whether or not the batch was stored.
    const remove = [...(stored ? fold.folded : []), ...emptied, ...gone];
    if (remove.length > 0) await browser.storage.session.remove(remove);
    if (!stored) return;
    await this.queue.settled();
    for (const [tabId, text] of metas) this.metaWritten.set(tabId, text);
  }
}
