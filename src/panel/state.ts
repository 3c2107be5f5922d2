import type { Exchange } from '../traffic/exchange';
import type { SessionCounters, ToPanelMessage } from '../shared/protocol';

/** What the panel shows; changed only by `applyMessage`, so tests drive it from recorded messages. */
export interface PanelState {
  connected: boolean;
  /** Whether the worker is recording this tab (DevTools open on it, or capture-all). */
  capturing: boolean;
  /** Exchange ids, oldest first: the table shows the newest at the bottom. */
  order: string[];
  byId: Map<string, Exchange>;
  counters: SessionCounters;
  preserveLog: boolean;
}

export const emptyState = (): PanelState => ({
  connected: false,
  capturing: false,
  order: [],
  byId: new Map(),
  counters: { captured: 0, dropped: 0, skipped: {} },
  preserveLog: false,
});

/** Actions of the panel's own: shown at once, before the worker confirms. */
export type LocalAction = { type: 'local/preserve-log'; on: boolean };

export function applyMessage(state: PanelState, msg: ToPanelMessage | LocalAction): PanelState {
  switch (msg.type) {
    case 'local/preserve-log':
      return { ...state, preserveLog: msg.on };
    case 'snapshot': {
      // Stable sort by start time: the worker's order is kept between equal times.
      const sorted = msg.exchanges.slice().sort((a, b) => a.startedAt - b.startedAt);
      return {
        connected: true,
        capturing: msg.capturing,
        order: sorted.map((e) => e.id),
        byId: new Map(sorted.map((e) => [e.id, e])),
        counters: msg.counters,
        preserveLog: msg.preserveLog,
      };
    }
    case 'update': {
      const byId = new Map(state.byId);
      let order = state.order;
      if (msg.removed.length > 0) {
        const gone = new Set(msg.removed);
        for (const id of gone) byId.delete(id);
        order = order.filter((id) => !gone.has(id));
      }
      const added: string[] = [];
      for (const ex of msg.changed) {
        if (!byId.has(ex.id)) added.push(ex.id);
        byId.set(ex.id, ex);
      }
      if (added.length > 0) {
        const last = order.length > 0 ? byId.get(order[order.length - 1]!)?.startedAt ?? -Infinity : -Infinity;
        order = [...order, ...added];
        // One that started before those shown (seen late, after a worker restart): back in start order.
        if (added.some((id) => byId.get(id)!.startedAt < last)) order = order.slice().sort((x, y) => byId.get(x)!.startedAt - byId.get(y)!.startedAt);
      }
      return { ...state, order, byId, counters: msg.counters };
    }
    case 'cleared':
      return { ...state, order: [], byId: new Map(), counters: msg.counters };
  }
}

/** The exchanges in table order. */
export function exchangesOf(state: PanelState): Exchange[] {
  const out: Exchange[] = [];
  for (const id of state.order) {
    const ex = state.byId.get(id);
    if (ex) out.push(ex);
  }
  return out;
}

export function blockedCount(exchanges: readonly Exchange[]): number {
  let n = 0;
  for (const ex of exchanges) if (ex.verdict === 'blocked') n++;
  return n;
}
