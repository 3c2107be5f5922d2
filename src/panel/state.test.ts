import { describe, expect, it } from 'vitest';
import { applyMessage, blockedCount, emptyState, exchangesOf } from './state';
import { blockedPut, counters, exchange, snapshot } from './testing';

describe('applyMessage', () => {
  it('a snapshot replaces everything, oldest first', () => {
    const a = exchange({ startedAt: 20 });
    const b = exchange({ startedAt: 10 });
    const s = applyMessage(emptyState(), snapshot([a, b], { preserveLog: true, capturing: false }));
    expect(s.order).toEqual([b.id, a.id]);
    expect(s.connected).toBe(true);
    expect(s.preserveLog).toBe(true);
    expect(s.capturing).toBe(false);
  });

  it('an update appends new exchanges at the bottom, replaces changed ones in place and drops removed ones', () => {
    const a = exchange();
    const b = exchange();
    let s = applyMessage(emptyState(), snapshot([a, b]));
    const a2 = { ...a, verdict: 'blocked' as const };
    const c = exchange();
    s = applyMessage(s, { type: 'update', changed: [a2, c], removed: [b.id], counters: counters(3, 1) });
    expect(s.order).toEqual([a.id, c.id]);
    expect(s.byId.get(a.id)).toBe(a2);
    expect(s.counters).toEqual(counters(3, 1));
    expect(exchangesOf(s)).toEqual([a2, c]);
    expect(blockedCount(exchangesOf(s))).toBe(1);
  });

  it('an exchange that started before those shown (seen late, after a worker restart) takes its place in start order', () => {
    const a = exchange({ startedAt: 10 });
    const b = exchange({ startedAt: 30 });
    let s = applyMessage(emptyState(), snapshot([a, b]));
    const early = exchange({ startedAt: 20 });
    const late = exchange({ startedAt: 40 });
    s = applyMessage(s, { type: 'update', changed: [late, early], removed: [], counters: counters(4) });
    expect(s.order).toEqual([a.id, early.id, b.id, late.id]);
  });

  it('does not mutate the previous state', () => {
    const a = exchange();
    const s1 = applyMessage(emptyState(), snapshot([a]));
    const s2 = applyMessage(s1, { type: 'update', changed: [exchange()], removed: [a.id], counters: counters(2) });
    expect(s1.order).toEqual([a.id]);
    expect(s1.byId.has(a.id)).toBe(true);
    expect(s2.order).toHaveLength(1);
  });

  it('cleared empties the list and keeps preserve-log', () => {
    let s = applyMessage(emptyState(), snapshot([blockedPut()], { preserveLog: true }));
    s = applyMessage(s, { type: 'cleared', counters: counters(0) });
    expect(s.order).toEqual([]);
    expect(s.byId.size).toBe(0);
    expect(s.preserveLog).toBe(true);
  });

  it('shows Preserve log at once, before the worker answers', () => {
    expect(applyMessage(emptyState(), { type: 'local/preserve-log', on: true }).preserveLog).toBe(true);
  });
});
