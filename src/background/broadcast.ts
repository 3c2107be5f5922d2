import type { Exchange } from '../traffic/exchange';
import type { TabSession } from '../traffic/session';
import type { SessionCounters } from '../shared/protocol';

export type ChangeListener = (tabId: number, changed: Exchange[], removed: string[], counters: SessionCounters) => void;

/** At most one update per tab per window: a panel redraws per update, not per exchange. */
const BROADCAST_MS = 150;

/**
 * The updates to the panels, apart from storage and on a timer of its own. The store tells it which
 * exchanges it wrote or dropped; every BROADCAST_MS at most (leading edge: after a quiet spell the
 * first change goes at once) each tab a panel shows gets them, analysed. With no panel open nothing
 * is analysed: records are just stored.
 */
export class Broadcast {
  onChange: ChangeListener = () => {};
  /** Whether a panel shows this tab: only then are its changed exchanges analysed and sent. */
  wantsExchanges: (tabId: number) => boolean = () => true;
  private unsent = new Map<number, { changed: Set<string>; removed: Set<string> }>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private last = 0;

  constructor(
    private readonly session: (tabId: number) => TabSession | undefined,
    private readonly counters: (s: TabSession) => SessionCounters,
  ) {}

  private of(tabId: number): { changed: Set<string>; removed: Set<string> } {
    let u = this.unsent.get(tabId);
    if (!u) this.unsent.set(tabId, (u = { changed: new Set(), removed: new Set() }));
    return u;
  }

  /** Something of this tab changed, its counters at least: its panels hear of it. */
  touched(tabId: number): void {
    this.of(tabId);
    this.schedule();
  }

  /** This exchange was written: its panels get it as it is now. */
  changed(tabId: number, id: string): void {
    this.of(tabId).changed.add(id);
    this.schedule();
  }

  removed(tabId: number, id: string): void {
    const u = this.of(tabId);
    u.changed.delete(id);
    u.removed.add(id);
    this.schedule();
  }

  /** The tab is gone: nothing of it is sent. */
  forget(tabId: number): void {
    this.unsent.delete(tabId);
  }

  /** Send every tab's unsent changes now. */
  send(): void {
    for (const [tabId, unsent] of [...this.unsent]) {
      this.unsent.delete(tabId);
      const s = this.session(tabId);
      if (!s || !this.wantsExchanges(tabId)) continue;
      const exchanges: Exchange[] = [];
      for (const id of unsent.changed) {
        const ex = s.exchange(id);
        if (ex) exchanges.push(ex);
      }
      this.onChange(tabId, exchanges, [...unsent.removed], this.counters(s));
    }
  }

  private schedule(): void {
    if (this.timer !== null) return;
    const wait = Math.max(0, this.last + BROADCAST_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.last = Date.now();
      this.send();
    }, wait);
  }
}
