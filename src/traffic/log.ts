import type { ExchangeRecord } from './record';

/** How far the order queue may run ahead of its live part before it is compacted. */
const COMPACT_AFTER = 4096;

/**
 * The bounded log of one tab's records: at most `cap`, the oldest dropped first and counted.
 * Only the records: what else a record holds on to (its preflight, its analysis, its storage key)
 * is let go by whoever gets the dropped records back from `add`.
 */
export class ExchangeLog {
  readonly cap: number;
  /** Records the cap pushed out since the last clear. */
  dropped: number;
  private records = new Map<string, ExchangeRecord>();
  /**
   * Record ids, oldest first, from `head` on: the cap drops from here. Taking the oldest with
   * `records.keys().next()` made every drop walk the holes V8 leaves at the front of a Map until it
   * rehashes, a cost that grows with the cap (docs/performance.md); this queue drops in constant time.
   */
  private order: string[] = [];
  private head = 0;

  constructor(cap: number, dropped = 0) {
    this.cap = cap;
    this.dropped = dropped;
  }

  get size(): number {
    return this.records.size;
  }

  get(id: string): ExchangeRecord | undefined {
    return this.records.get(id);
  }

  ids(): IterableIterator<string> {
    return this.records.keys();
  }

  values(): IterableIterator<ExchangeRecord> {
    return this.records.values();
  }

  /** Put a record in (a new one goes last). Returns the oldest records the cap pushed out. */
  add(rec: ExchangeRecord): ExchangeRecord[] {
    this.restore(rec);
    const out: ExchangeRecord[] = [];
    while (this.records.size > this.cap && this.head < this.order.length) {
      const oldest = this.delete(this.order[this.head++]!);
      if (!oldest) continue;
      out.push(oldest);
      this.dropped++;
    }
    if (this.head > COMPACT_AFTER && this.head * 2 > this.order.length) {
      this.order.splice(0, this.head);
      this.head = 0;
    }
    return out;
  }

  /** Put a record back as it was stored: no cap, nothing dropped. */
  restore(rec: ExchangeRecord): void {
    if (!this.records.has(rec.id)) this.order.push(rec.id);
    this.records.set(rec.id, rec);
  }

  delete(id: string): ExchangeRecord | undefined {
    const rec = this.records.get(id);
    if (rec) this.records.delete(id);
    return rec;
  }

  /** The records among the last `n` put in that are still here, oldest first. */
  recent(n: number): ExchangeRecord[] {
    const out: ExchangeRecord[] = [];
    for (let i = Math.max(this.head, this.order.length - n); i < this.order.length; i++) {
      const r = this.records.get(this.order[i]!);
      if (r) out.push(r);
    }
    return out;
  }

  /** Empty it, the count of dropped records too. Returns what it held. */
  clear(): ExchangeRecord[] {
    const all = [...this.records.values()];
    this.records.clear();
    this.order = [];
    this.head = 0;
    this.dropped = 0;
    return all;
  }
}
