import { HeaderDictionary } from '../traffic/compact';
import type { CaptureEvent } from '../traffic/events';
import type { ExchangeRecord, IgnoredRequest, SessionState } from '../traffic/session';
import type { PreflightCacheEntry } from '../traffic/preflight-cache';
import type { PendingPreflight } from '../traffic/pairing';
import { TabSession } from '../traffic/session';
import type { Exchange } from '../traffic/exchange';
import type { SessionCounters, StorageHealth } from '../shared/protocol';

/**
 * The per-tab sessions, persisted to storage.session incrementally, in compact form, so a
 * worker Chrome stopped resumes with nothing lost (docs/reliability.md).
 *
 * Two paces. What an exchange is made of (its record, the preflights waiting for their request,
 * the dictionary lines they use) is written right after the event that changed it, or as soon as
 * the write in flight is answered: Chrome can stop the worker between any two events, and a write
 * already sent is nearly always carried out by the browser even when the worker is gone. Measured
 * over 4 seeded stops in 500 requests: a 150 ms batch lost 8-13 exchanges; this (with TabSession
 * keeping responses whose request it missed) loses 0 and leaves 0-2 per run incomplete, requests
 * whose events the browser was handing the stopping worker. The rest (preflight-cache model,
 * counters, the same-origin requests remembered for redirects) and the broadcast to panels go at most every FLUSH_MS: losing
 * them costs a count or a cache annotation, never an exchange.
 *
 * Keys: `x:<tab>:<id>` one record; `p:<tab>:<id>` one preflight waiting for its request;
 * `c:<tab>:<origin> <url>` one entry of the preflight-cache model;
 * `m:<tab>` the session's other state; `d:<n>` a chunk of the header dictionary; `t:<line>` its
 * lines written since the last batch, from that line on; `scope` what was being captured.
 */
const FLUSH_MS = 150;
const DICT_CHUNK = 512;

/**
 * Records and session state are stored as JSON strings: storage.session counts a value by its
 * in-memory form, about 2 KB for a record as an object and a quarter of that as a string
 * (measured: 2,400 records took 5.0 MB as objects), and its quota is 10 MB.
 * Entries written as objects by an earlier version are still read.
 */
function parseStored(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return null;
  }
}

function isCacheEntry(e: unknown): e is PreflightCacheEntry {
  const c = e as Partial<PreflightCacheEntry> | null;
  return !!c && typeof c === 'object' && typeof c.url === 'string' && typeof c.origin === 'string' && typeof c.expiresAt === 'number' && Array.isArray(c.methods) && Array.isArray(c.headerNames);
}

function isIgnoredEntry(e: unknown): e is [string, IgnoredRequest] {
  if (!Array.isArray(e) || typeof e[0] !== 'string') return false;
  const r = e[1] as Partial<IgnoredRequest> | null;
  return !!r && typeof r === 'object' && typeof r.url === 'string' && typeof r.startedAt === 'number' && Array.isArray(r.redirects);
}

export type ChangeListener = (tabId: number, changed: Exchange[], removed: string[], counters: SessionCounters) => void;

export class SessionStore {
  private sessions = new Map<number, TabSession>();
  private dict = new HeaderDictionary();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private lastFlush = 0;
  private writeQueued = false;
  /** Changes came while a write was in flight: send them when it is answered. */
  private writeDue = false;
  /** Writes sent and not yet answered: `flush` waits for them. */
  private writes = new Set<Promise<void>>();
  /** Changes written but not yet broadcast, per tab. */
  private unsent = new Map<number, { changed: Set<string>; removed: Set<string> }>();
  /** Dictionary lines stored in whole chunks (`d:<n>`); those after it are in tail keys. */
  private chunked = 0;
  /** The tail keys (`t:<first line>`) in storage, with the line after their last. */
  private tailKeys: Array<{ key: string; end: number }> = [];
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
   * with every batch, 5.7 of the 9.5 MB the stress page made the worker write.
   */
  private cacheWritten = new Map<number, Map<string, PreflightCacheEntry | null>>();
  /** Tabs whose other state may have changed since it was last written. */
  private metaDue = new Set<number>();
  /** Storage entries that could not be read back, shown to the user rather than breaking the worker. */
  discarded = 0;
  /** Records a write could not store (quota): a restarted worker would not have them. */
  unpersisted = 0;
  cap: number;
  onChange: ChangeListener = () => {};
  /** Whether a panel shows this tab: only then are changed exchanges analysed and broadcast. */
  wantsExchanges: (tabId: number) => boolean = () => true;
  /** The session state last written per tab: rewritten only when it changes. */
  private metaWritten = new Map<number, string>();

  constructor(cap: number) {
    this.cap = cap;
  }

  /** Rebuild sessions from storage.session after the worker was (re)started. */
  async restore(): Promise<unknown> {
    const all = await chrome.storage.session.get(null);
    const bad: string[] = [];
    const last = Math.max(-1, ...Object.keys(all).filter((k) => /^d:\d+$/.test(k)).map((k) => Number(k.slice(2))));
    const lines: string[] = [];
    for (let c = 0; c <= last; c++) {
      const chunk = all[`d:${c}`];
      if (Array.isArray(chunk) && chunk.every((l) => typeof l === 'string')) {
        lines.push(...(chunk as string[]));
        // A short chunk before the last one would shift every later line: pad it.
        if (c < last) while (lines.length < (c + 1) * DICT_CHUNK) lines.push('');
        continue;
      }
      // A lost or unreadable chunk keeps its place, so the other lines keep their numbers;
      // the headers that used it are left out (an empty line decodes to nothing).
      if (chunk !== undefined) {
        this.discarded++;
        bad.push(`d:${c}`);
      }
      while (lines.length < (c + 1) * DICT_CHUNK) lines.push('');
    }
    // Lines written since the last full chunks: `t:<first line>` holds them, in order.
    this.chunked = lines.length;
    const tails = Object.keys(all).filter((k) => /^t:\d+$/.test(k)).sort((a, b) => Number(a.slice(2)) - Number(b.slice(2)));
    for (const k of tails) {
      const tail = all[k];
      if (!Array.isArray(tail) || !tail.every((l) => typeof l === 'string')) {
        this.discarded++;
        bad.push(k);
        continue;
      }
      const start = Number(k.slice(2));
      this.tailKeys.push({ key: k, end: start + tail.length });
      while (lines.length < start) lines.push('');
      (tail as string[]).forEach((l, i) => (lines[start + i] = l));
    }
    this.dict = new HeaderDictionary(lines);
    const byTab = new Map<number, ExchangeRecord[]>();
    /** Keys emptied by a write whose batch did not come (see `tombstones`): dropped, not counted. */
    const stale: string[] = [];
    for (const [k, v] of Object.entries(all)) {
      const m = /^x:(\d+):(.+)$/.exec(k);
      if (!m) continue;
      if (v === '') {
        stale.push(k);
        continue;
      }
      const rec = this.decode(v);
      if (!rec) {
        this.discarded++;
        bad.push(k);
        continue;
      }
      const list = byTab.get(Number(m[1])) ?? [];
      list.push(rec);
      byTab.set(Number(m[1]), list);
    }
    // Preflights waiting for their request. One its request claimed (the removal of its key was not
    // carried out before a stop) is left out: the record that owns it has it.
    const waitingByTab = new Map<number, PendingPreflight[]>();
    const owned = new Set<string>();
    for (const list of byTab.values()) for (const r of list) if (r.preflight) owned.add(r.preflight.requestId);
    for (const [k, v] of Object.entries(all)) {
      const m = /^p:(\d+):(.+)$/.exec(k);
      if (!m) continue;
      if (v === '') {
        stale.push(k);
        continue;
      }
      const p = this.decodePreflight(parseStored(v));
      if (!p) {
        this.discarded++;
        bad.push(k);
      } else if (owned.has(p.requestId)) {
        stale.push(k);
      } else {
        this.waitingKeys.add(k);
        const list = waitingByTab.get(Number(m[1])) ?? [];
        list.push(p);
        waitingByTab.set(Number(m[1]), list);
      }
    }
    const cacheByTab = new Map<number, PreflightCacheEntry[]>();
    for (const [k, v] of Object.entries(all)) {
      const m = /^c:(\d+):/.exec(k);
      if (!m) continue;
      const e = parseStored(v);
      if (!isCacheEntry(e)) {
        this.discarded++;
        bad.push(k);
        continue;
      }
      const tabId = Number(m[1]);
      const list = cacheByTab.get(tabId) ?? [];
      list.push(e);
      cacheByTab.set(tabId, list);
      let written = this.cacheWritten.get(tabId);
      if (!written) this.cacheWritten.set(tabId, (written = new Map()));
      written.set(k, e);
    }
    const tabs = new Set<number>([...byTab.keys(), ...waitingByTab.keys(), ...cacheByTab.keys()]);
    for (const k of Object.keys(all)) if (/^m:\d+$/.test(k)) tabs.add(Number(k.slice(2)));
    for (const tabId of tabs) {
      const stored = parseStored(all[`m:${tabId}`]);
      const meta = (stored && typeof stored === 'object' ? stored : undefined) as Partial<SessionState> | undefined;
      if (stored !== undefined && meta === undefined) {
        this.discarded++;
        bad.push(`m:${tabId}`);
        if (!byTab.has(tabId) && !waitingByTab.has(tabId) && !cacheByTab.has(tabId)) continue;
      }
      const waiting = (waitingByTab.get(tabId) ?? []).sort((a, b) => a.startedAt - b.startedAt);
      const records = (byTab.get(tabId) ?? []).sort((a, b) => a.startedAt - b.startedAt || Number(a.id) - Number(b.id));
      const state: SessionState = {
        tabId,
        records,
        waiting,
        cache: (cacheByTab.get(tabId) ?? []).sort((a, b) => a.expiresAt - b.expiresAt),
        ignored: Array.isArray(meta?.ignored) ? meta.ignored.filter(isIgnoredEntry) : [],
        dropped: typeof meta?.dropped === 'number' ? meta.dropped : 0,
        skipped: meta?.skipped && typeof meta.skipped === 'object' ? meta.skipped : {},
        preserveLog: meta?.preserveLog === true,
      };
      this.sessions.set(tabId, new TabSession(tabId, this.cap, state));
    }
    if (stale.length > 0) await chrome.storage.session.remove(stale);
    // Unreadable entries go (they would be counted again at every start); the count stays, for the user.
    if (bad.length > 0) {
      console.warn(`CORS Lens: ${bad.length} stored entries could not be read and were dropped`);
      await chrome.storage.session.remove(bad.filter((k) => !k.startsWith('d:')));
      const repaired: Record<string, unknown> = { health: { discarded: this.discarded } };
      for (const k of bad.filter((x) => x.startsWith('d:'))) repaired[k] = new Array<string>(DICT_CHUNK).fill('');
      await chrome.storage.session.set(repaired);
    }
    return all.scope;
  }

  /** One stored record, or null when it is not one (any shape may be found: a bug, a foreign writer). */
  private decode(v: unknown): ExchangeRecord | null {
    try {
      const rec = this.dict.decodeRecord(parseStored(v));
      if (!rec || typeof rec.startedAt !== 'number' || !Array.isArray(rec.request?.headers ?? [])) return null;
      return rec;
    } catch {
      return null;
    }
  }

  private decodePreflight(p: unknown): PendingPreflight | null {
    try {
      const d = this.dict.decodePreflight(p);
      return d && typeof d.requestId === 'string' && typeof d.key === 'string' && typeof d.startedAt === 'number' ? d : null;
    } catch {
      return null;
    }
  }

  session(tabId: number): TabSession {
    let s = this.sessions.get(tabId);
    if (!s) {
      s = new TabSession(tabId, this.cap);
      this.sessions.set(tabId, s);
    }
    return s;
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
    if (!this.writeQueued) {
      this.writeQueued = true;
      queueMicrotask(() => {
        this.writeQueued = false;
        this.writeExchanges();
      });
    }
    this.schedule();
  }

  /**
   * Send the changed records, the waiting preflights and the new dictionary lines to storage. One
   * write in flight at a time, the next sent the moment it is answered: at a request every few ms the
   * writes keep pace one event each; in a burst they carry what came meanwhile (a write per event
   * made a 10,000-request burst take twice as long), so an abrupt stop loses at most what arrived
   * during one storage round trip. The price is per write, not per byte (npm run bench): about 2,500
   * writes per stress page, most of the 0.75 CPU s the extension's process spends over the bare
   * listeners; own code measured 1.05-1.14 realistic / 1.08 stress over them, against 1.10 / 1.00 with
   * 150 ms batches, which lost 8-13 requests per 4 abrupt stops (a 16 ms minimum gap: 3-5). Losing
   * what the user came to see is the worse of the two.
   */
  private writeExchanges(): void {
    if (this.writes.size > 0) {
      this.writeDue = true;
      return;
    }
    this.writeDue = false;
    const set: Record<string, unknown> = {};
    const waitingSent: Array<[number, string]> = [];
    for (const [tabId, s] of this.sessions) {
      if (!s.dirty) continue;
      const { changed, removed, waiting, waitingGone } = s.drainChanges();
      this.metaDue.add(tabId);
      let unsent = this.unsent.get(tabId);
      if (!unsent) this.unsent.set(tabId, (unsent = { changed: new Set(), removed: new Set() }));
      for (const id of changed) {
        const rec = s.record(id);
        if (!rec) continue;
        set[`x:${tabId}:${id}`] = JSON.stringify(this.dict.encodeRecord(rec));
        this.tombstones.delete(`x:${tabId}:${id}`);
        unsent.changed.add(id);
      }
      for (const id of removed) {
        if (s.record(id)) continue;
        set[`x:${tabId}:${id}`] = '';
        this.tombstones.add(`x:${tabId}:${id}`);
        unsent.changed.delete(id);
        unsent.removed.add(id);
      }
      for (const p of waiting) {
        const k = `p:${tabId}:${p.requestId}`;
        set[k] = JSON.stringify(this.dict.encodePreflight(p));
        this.waitingKeys.add(k);
        this.tombstones.delete(k);
        waitingSent.push([tabId, p.requestId]);
      }
      for (const id of waitingGone) {
        const k = `p:${tabId}:${id}`;
        if (!this.waitingKeys.delete(k)) continue;
        set[k] = '';
        this.tombstones.add(k);
      }
    }
    // Only the dictionary's new lines, under a key of their own: rewriting the tail chunk (up to
    // DICT_CHUNK lines) at every write made each write tens of KB. The batch folds them into chunks.
    const lines = this.dict.lines;
    const from = this.dict.persisted;
    const tail = { key: `t:${from}`, end: lines.length };
    if (lines.length > from) {
      set[tail.key] = lines.slice(from);
      this.tailKeys.push(tail);
    }
    this.dict.persisted = lines.length;
    if (Object.keys(set).length === 0) return;
    this.track(
      chrome.storage.session.set(set).catch((e: unknown) => {
        // Over the quota: memory keeps the session; storage lags behind. The dictionary's unwritten
        // lines are written again next time, so what storage holds stays readable.
        this.dict.persisted = Math.min(this.dict.persisted, from);
        // Not stored: the retry writes the same key with more lines, and folding must not take it for this one.
        this.tailKeys = this.tailKeys.filter((t) => t !== tail);
        // Waiting preflights go again with the next write (records are counted as not kept instead).
        for (const [tabId, requestId] of waitingSent) {
          this.waitingKeys.delete(`p:${tabId}:${requestId}`);
          this.sessions.get(tabId)?.rewriteWaiting(requestId);
        }
        this.unpersisted += Object.keys(set).filter((k) => k.startsWith('x:')).length;
        this.warnFull(e);
      }),
    );
  }

  private warnedFull = false;

  /** Once: the panel shows the count (`unpersisted`); the console needs to say it one time. */
  private warnFull(e: unknown): void {
    if (this.warnedFull) return;
    this.warnedFull = true;
    console.warn('CORS Lens: storage.session is full; new exchanges are kept in memory only', e);
  }

  private track(write: Promise<void>): void {
    const w = write.catch((e: unknown) => console.warn('CORS Lens: persist failed', e));
    this.writes.add(w);
    void w.finally(() => {
      this.writes.delete(w);
      if (this.writes.size === 0 && this.writeDue) this.writeExchanges();
    });
  }

  /** Every write sent so far has been answered. */
  private async settled(): Promise<void> {
    while (this.writes.size > 0) await Promise.all([...this.writes]);
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
    const keys = s.exchanges().map((e) => `x:${tabId}:${e.id}`);
    for (const k of [...this.waitingKeys]) {
      if (!k.startsWith(`p:${tabId}:`)) continue;
      keys.push(k);
      this.waitingKeys.delete(k);
    }
    keys.push(`m:${tabId}`, ...(this.cacheWritten.get(tabId)?.keys() ?? []));
    this.cacheWritten.delete(tabId);
    this.unsent.delete(tabId);
    this.metaWritten.delete(tabId);
    this.metaDue.delete(tabId);
    await this.settled();
    await chrome.storage.session.remove(keys);
  }

  /**
   * Throttled, leading edge: after a quiet spell the first change is written at once, then at most
   * one write per FLUSH_MS. A worker Chrome stops abruptly (update, crash, DevTools' "stop") loses at
   * most the changes of the last window; one stopped for idling (30 s without events) loses nothing.
   */
  schedule(): void {
    if (this.timer !== null) return;
    const wait = Math.max(0, this.lastFlush + FLUSH_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.lastFlush = Date.now();
      void this.flush();
    }, wait);
  }

  /** Broadcast and persist what changed. Serialised: one write at a time, in order. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.flushNow()).catch((e: unknown) => console.warn('CORS Lens: persist failed', e));
    return this.flushing;
  }

  private async flushNow(): Promise<void> {
    this.writeExchanges();
    const set: Record<string, unknown> = {};
    const metas = new Map<number, string>();
    const gone: string[] = [];
    const cacheSent: Array<[number, string]> = [];
    for (const [tabId, s] of this.sessions) {
      const unsent = this.unsent.get(tabId);
      this.unsent.delete(tabId);
      // Analysis runs only for someone looking: with no panel open, records are just stored.
      if (unsent && this.wantsExchanges(tabId)) {
        const exchanges: Exchange[] = [];
        for (const id of unsent.changed) {
          const ex = s.exchange(id);
          if (ex) exchanges.push(ex);
        }
        this.onChange(tabId, exchanges, [...unsent.removed], this.counters(s));
      }
      if (!this.metaDue.delete(tabId)) continue;
      let written = this.cacheWritten.get(tabId);
      if (!written) this.cacheWritten.set(tabId, (written = new Map()));
      const present = new Set<string>();
      for (const e of s.cacheEntries()) {
        const k = `c:${tabId}:${e.origin} ${e.url}`;
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
        set[`m:${tabId}`] = metaText;
        metas.set(tabId, metaText);
      }
    }
    // Fold the lines of chunks now full into their `d:` keys, then drop the tail keys they cover. A
    // chunk is written once, full: folding the partial last chunk at every batch rewrote up to
    // DICT_CHUNK lines each time (0.5 of the 4 MB the stress page made the worker write).
    const lines = this.dict.lines;
    const full = Math.floor(this.dict.persisted / DICT_CHUNK) * DICT_CHUNK;
    for (let c = Math.floor(this.chunked / DICT_CHUNK); (c + 1) * DICT_CHUNK <= full; c++) {
      set[`d:${c}`] = lines.slice(c * DICT_CHUNK, (c + 1) * DICT_CHUNK);
    }
    const folded = this.tailKeys.filter((t) => t.end <= full).map((t) => t.key);
    let stored = true;
    if (Object.keys(set).length > 0) {
      try {
        await chrome.storage.session.set(set);
      } catch (e) {
        // Over the quota: the tail keys stay until their chunks are stored; the cache entries are sent again.
        stored = false;
        // null: the key may hold an older entry; it is written again, and removed if the entry goes.
        for (const [tabId, k] of cacheSent) this.cacheWritten.get(tabId)?.set(k, null);
        this.warnFull(e);
      }
    }
    if (stored) {
      this.chunked = full;
      // Writes made meanwhile may have added tail keys: keep those.
      const foldedKeys = new Set(folded);
      this.tailKeys = this.tailKeys.filter((t) => !foldedKeys.has(t.key));
    }
    // Taken only now: a key emptied before this point had its '' sent before this call, and one
    // written again while the batch's set was awaited is no longer a tombstone.
    const emptied = [...this.tombstones];
    this.tombstones.clear();
    // Removing frees room: it goes whether or not the batch was stored.
    const remove = [...(stored ? folded : []), ...emptied, ...gone];
    if (remove.length > 0) await chrome.storage.session.remove(remove);
    if (!stored) return;
    await this.settled();
    for (const [tabId, text] of metas) this.metaWritten.set(tabId, text);
  }
}
