/**
 * One storage write in flight at a time, the next sent the moment it is answered. `soon` asks for a
 * write at the end of the current task; a write asked for while one is in flight is made when that
 * one is answered, carrying whatever came meanwhile. So at a request every few ms the writes keep
 * pace one event each, and in a burst each carries what arrived during one storage round trip: an
 * abrupt stop loses at most that (docs/reliability.md).
 */
export class WriteQueue {
  private inFlight = new Set<Promise<void>>();
  private queued = false;
  /** Asked for while a write was in flight: made when it is answered. */
  private due = false;

  /** `write` builds and sends one write, handing its promise to `track`. */
  constructor(private readonly write: () => void) {}

  /** Write at the end of this task (or when the write in flight is answered). */
  soon(): void {
    if (this.queued) return;
    this.queued = true;
    // A resolved promise rather than queueMicrotask, the same microtask: in the worker queueMicrotask
    // goes through a Web API binding, and this runs for every event.
    void Promise.resolve().then(() => {
      this.queued = false;
      this.now();
    });
  }

  /** Write now, unless a write is in flight: then when it is answered. */
  now(): void {
    if (this.inFlight.size > 0) {
      this.due = true;
      return;
    }
    this.due = false;
    this.write();
  }

  /** A write was sent: `settled` waits for it, and the next one waits until it is answered. */
  track(write: Promise<void>): void {
    const w = write.catch((e: unknown) => console.warn('CORS Lens: persist failed', e));
    this.inFlight.add(w);
    void w.finally(() => {
      this.inFlight.delete(w);
      if (this.inFlight.size === 0 && this.due) this.now();
    });
  }

  /** Every write sent so far has been answered. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }
}
