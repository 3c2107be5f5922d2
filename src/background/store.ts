import { HeaderDictionary } from '../traffic/compact';
import type { CaptureEvent } from '../traffic/events';
import type { ExchangeRecord, SessionState } from '../traffic/session';
import { TabSession } from '../traffic/session';
import type { Exchange } from '../traffic/exchange';
import type { SessionCounters } from '../shared/protocol';

/**
 * The per-tab sessions, persisted to storage.session incrementally: only new or
 * changed records, batched, in compact form, so a worker Chrome stopped resumes
 * with nothing lost (DESIGN.md §2).
 *
 * Keys: `x:<tab>:<id>` one record; `m:<tab>` the session's small state; `d:<n>` a
 * chunk of the header dictionary; `scope` what was being captured.
 */
const FLUSH_MS = 150;
const DICT_CHUNK = 512;

export type ChangeListener = (tabId: number, changed: Exchange[], removed: string[], counters: SessionCounters) => void;

export class SessionStore {
  private sessions = new Map<number, TabSession>();
  private dict = new HeaderDictionary();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private lastFlush = 0;
  /** Storage entries that could not be read back, shown to the user rather than breaking the worker. */
  discarded = 0;
  cap: number;
  onChange: ChangeListener = () => {};

  constructor(cap: number) {
    this.cap = cap;
  }

  /** Rebuild sessions from storage.session after the worker was (re)started. */
  async restore(): Promise<unknown> {
    const all = await chrome.storage.session.get(null);
    const chunks = Object.keys(all).filter((k) => /^d:\d+$/.test(k)).sort((a, b) => Number(a.slice(2)) - Number(b.slice(2)));
    const lines: string[] = [];
    for (const k of chunks) {
      const c = all[k];
      if (Array.isArray(c) && c.every((l) => typeof l === 'string')) lines.push(...(c as string[]));
      else this.discarded++;
    }
    this.dict = new HeaderDictionary(lines);
    const byTab = new Map<number, ExchangeRecord[]>();
    for (const [k, v] of Object.entries(all)) {
      const m = /^x:(\d+):(.+)$/.exec(k);
      if (!m) continue;
      const rec = this.dict.decodeRecord(v);
      if (!rec) {
        this.discarded++;
        continue;
      }
      const list = byTab.get(Number(m[1])) ?? [];
      list.push(rec);
      byTab.set(Number(m[1]), list);
    }
    const tabs = new Set<number>(byTab.keys());
    for (const k of Object.keys(all)) if (/^m:\d+$/.test(k)) tabs.add(Number(k.slice(2)));
    for (const tabId of tabs) {
      const meta = all[`m:${tabId}`] as Partial<SessionState> | undefined;
      const records = (byTab.get(tabId) ?? []).sort((a, b) => a.startedAt - b.startedAt || Number(a.id) - Number(b.id));
      const state: SessionState = {
        tabId,
        records,
        waiting: (Array.isArray(meta?.waiting) ? meta.waiting : []).map((p) => this.dict.decodePreflight(p)).filter((p) => p !== null),
        cache: Array.isArray(meta?.cache) ? meta.cache : [],
        ignored: Array.isArray(meta?.ignored) ? meta.ignored : [],
        dropped: typeof meta?.dropped === 'number' ? meta.dropped : 0,
        skipped: meta?.skipped && typeof meta.skipped === 'object' ? meta.skipped : {},
        preserveLog: meta?.preserveLog === true,
      };
      this.sessions.set(tabId, new TabSession(tabId, this.cap, state));
    }
    return all.scope;
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

  /** The hot path: one browser event into its tab's session; the rest waits for the batch. */
  handle(ev: CaptureEvent): void {
    if (ev.tabId < 0) return;
    this.session(ev.tabId).handle(ev);
    this.schedule();
  }

  counters(s: TabSession): SessionCounters {
    return { captured: s.size, dropped: s.dropped, skipped: { ...s.skipped } as Record<string, number> };
  }

  clear(tabId: number): void {
    this.sessions.get(tabId)?.clear();
    this.schedule();
  }

  /** A closed tab frees its session, in memory and in storage. */
  async drop(tabId: number): Promise<void> {
    const s = this.sessions.get(tabId);
    if (!s) return;
    this.sessions.delete(tabId);
    const keys = s.exchanges().map((e) => `x:${tabId}:${e.id}`);
    keys.push(`m:${tabId}`);
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
    const set: Record<string, unknown> = {};
    const remove: string[] = [];
    for (const [tabId, s] of this.sessions) {
      if (!s.dirty) continue;
      const { changed, removed } = s.drainChanges();
      const exchanges: Exchange[] = [];
      for (const id of changed) {
        const rec = s.record(id);
        const ex = s.exchange(id);
        if (!rec || !ex) continue;
        exchanges.push(ex);
        set[`x:${tabId}:${id}`] = this.dict.encodeRecord(rec);
      }
      for (const id of removed) remove.push(`x:${tabId}:${id}`);
      const meta = s.meta();
      set[`m:${tabId}`] = { ...meta, waiting: meta.waiting.map((p) => this.dict.encodePreflight(p)) };
      this.onChange(tabId, exchanges, removed, this.counters(s));
    }
    // Only the dictionary's tail chunks changed.
    const lines = this.dict.lines;
    for (let c = Math.floor(this.dict.persisted / DICT_CHUNK); c * DICT_CHUNK < lines.length; c++) {
      set[`d:${c}`] = lines.slice(c * DICT_CHUNK, (c + 1) * DICT_CHUNK);
    }
    this.dict.persisted = lines.length;
    if (remove.length > 0) await chrome.storage.session.remove(remove);
    if (Object.keys(set).length > 0) await chrome.storage.session.set(set);
  }
}
