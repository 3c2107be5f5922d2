/**
 * Waiting in tests: always for a condition, never for a fixed time. Shared by the Chromium drivers
 * (tests/e2e), the Firefox driver (tests/firefox) and the unit tests.
 */

export interface WaitOptions {
  /** Give up after this long (ms). */
  timeoutMs?: number;
  /** Ask again after this long (ms). */
  intervalMs?: number;
}

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Ask `probe` until it answers something truthy, and return that. A probe that throws is asked again
 * (its last error is in the timeout's message): a page still loading, a worker restarting.
 */
export async function waitFor<T>(probe: () => Promise<T> | T, what: string, timeoutMs = 15_000, intervalMs = 100): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() >= end) break;
    await pause(intervalMs);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** `waitFor` for a yes-or-no condition. */
export async function pollUntil(condition: () => Promise<boolean> | boolean, what: string, o: WaitOptions = {}): Promise<void> {
  await waitFor(condition, what, o.timeoutMs, o.intervalMs);
}

/**
 * Wait until what `probe` answers stops changing: the same (as JSON) for `quietMs` on end. For "the
 * writes in flight have landed" where no single answer says "done": a count that has settled.
 */
export async function settled<T>(probe: () => Promise<T> | T, what: string, quietMs = 300, o: WaitOptions = {}): Promise<T> {
  const end = Date.now() + (o.timeoutMs ?? 15_000);
  let value = await probe();
  let since = Date.now();
  while (Date.now() - since < quietMs) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} to settle`);
    await pause(o.intervalMs ?? 50);
    const next = await probe();
    if (JSON.stringify(next) !== JSON.stringify(value)) {
      value = next;
      since = Date.now();
    }
  }
  return value;
}

/**
 * "Does not happen": ask `probe` for `ms` and fail as soon as it answers something truthy. The one
 * wait with a fixed length, since its condition is that time passes with nothing seen.
 */
export async function quietFor(probe: () => Promise<unknown> | unknown, what: string, ms: number, intervalMs = 50): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) throw new Error(`${what} happened: ${JSON.stringify(v)}`);
    if (Date.now() >= end) return;
    await pause(Math.min(intervalMs, Math.max(0, end - Date.now())));
  }
}
