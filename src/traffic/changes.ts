import type { PendingPreflight } from './pairing';

/**
 * What a session tells about itself as it changes. The session keeps no account of what was
 * stored or sent: whoever persists or broadcasts it listens here (the worker's store does).
 */
export interface SessionObserver {
  /** An exchange was made or changed. */
  changed(id: string): void;
  /** An exchange was dropped (by the cap, or cleared). */
  removed(id: string): void;
  /** A preflight started waiting for its request, or got its answer while waiting. */
  waiting(requestId: string): void;
  /** A preflight stopped waiting: its request claimed it, or it expired. */
  waitingGone(requestId: string): void;
}

export const NO_OBSERVER: SessionObserver = { changed() {}, removed() {}, waiting() {}, waitingGone() {} };

export interface SessionChanges {
  changed: string[];
  removed: string[];
  /** Preflights that started waiting or got their answer while waiting. */
  waiting: PendingPreflight[];
  /** requestIds of preflights that stopped waiting (claimed by their request, or expired). */
  waitingGone: string[];
}

/**
 * The changes of one session since they were last taken, so the store writes (and the panels get)
 * just those. Waiting preflights are tracked like records: the store writes each under its own key
 * (rewriting the whole list at every write was a large share of the worker's time on the stress
 * page, with hundreds of preflights waiting).
 */
export class ChangeTracker implements SessionObserver {
  private changedIds = new Set<string>();
  private removedIds = new Set<string>();
  private waitingIds = new Set<string>();
  private goneIds = new Set<string>();

  changed(id: string): void {
    this.changedIds.add(id);
    // Dropped and made again before the changes were taken (a late event after a clear): changed, not removed.
    this.removedIds.delete(id);
  }

  removed(id: string): void {
    this.changedIds.delete(id);
    this.removedIds.add(id);
  }

  waiting(requestId: string): void {
    this.waitingIds.add(requestId);
  }

  waitingGone(requestId: string): void {
    this.waitingIds.delete(requestId);
    this.goneIds.add(requestId);
  }

  get dirty(): boolean {
    return this.changedIds.size > 0 || this.removedIds.size > 0 || this.waitingIds.size > 0 || this.goneIds.size > 0;
  }

  /** What changed since the last call; `stillWaiting` gives the preflights that still wait. */
  take(stillWaiting: (requestId: string) => PendingPreflight | undefined): SessionChanges {
    const waiting: PendingPreflight[] = [];
    for (const id of this.waitingIds) {
      const p = stillWaiting(id);
      if (p) waiting.push(p);
    }
    const out = { changed: [...this.changedIds], removed: [...this.removedIds], waiting, waitingGone: [...this.goneIds] };
    this.changedIds.clear();
    this.removedIds.clear();
    this.waitingIds.clear();
    this.goneIds.clear();
    return out;
  }
}
