import { useEffect, useState } from 'preact/hooks';
import { pageBrowser } from '../shared/page-browser';
import { OVERRIDES_CHANGED, type OverrideAnswer, type OverrideRequest, type OverrideView, type OverridesChanged } from '../shared/protocol';

/** The panel's way to the worker's local overrides; injected so tests run without `chrome`. */
export interface OverrideApi {
  request(req: OverrideRequest): Promise<OverrideAnswer | { error: string }>;
  /** Calls back with the active overrides (and why one ended by itself) whenever the worker says they changed. */
  subscribe(cb: (overrides: OverrideView[], notice?: string) => void): () => void;
}

/** The real one, or null where there is no extension runtime (unit tests, a plain page). */
export function chromeOverrideApi(): OverrideApi | null {
  const runtime = pageBrowser()?.runtime;
  if (!runtime?.sendMessage) return null;
  return {
    request: (req) => runtime.sendMessage({ type: 'cors-lens/override', ...req }) as Promise<OverrideAnswer | { error: string }>,
    subscribe(cb) {
      const listener = (m: unknown) => {
        if (typeof m === 'object' && m !== null && (m as OverridesChanged).type === OVERRIDES_CHANGED) cb((m as OverridesChanged).overrides, (m as OverridesChanged).notice);
        // Not answering: other listeners (the worker) answer requests.
        return undefined;
      };
      runtime.onMessage.addListener(listener);
      return () => runtime.onMessage.removeListener(listener);
    },
  };
}

let shared: OverrideApi | null | undefined;
export function defaultOverrideApi(): OverrideApi | null {
  if (shared === undefined) shared = chromeOverrideApi();
  return shared;
}

/** The active overrides, kept current (asked once, then pushed by the worker); `onNotice` hears why one ended by itself. */
export function useOverrides(api: OverrideApi | null, onNotice?: (notice: string) => void): [OverrideView[], (list: OverrideView[]) => void] {
  const [list, setList] = useState<OverrideView[]>([]);
  useEffect(() => {
    if (!api) return undefined;
    let live = true;
    void api.request({ action: 'list' }).then((a) => {
      if (live && 'overrides' in a) setList(a.overrides);
    }, () => {});
    const off = api.subscribe((o, notice) => {
      if (!live) return;
      setList(o);
      if (notice && onNotice) onNotice(notice);
    });
    return () => {
      live = false;
      off();
    };
  }, [api]);
  return [list, setList];
}

/** "12 min", "40 s": how long until an override expires. */
export function remaining(expiresAt: number, now: number): string {
  const s = Math.max(0, Math.round((expiresAt - now) / 1000));
  return s >= 60 ? `${Math.round(s / 60)} min` : `${s} s`;
}

/** Whether an override changed this exchange's headers (the capture saw final headers differ). */
export function changedByOverride(ex: { finalResponse?: unknown; preflight: null | { finalResponse?: unknown } }): boolean {
  return ex.finalResponse !== undefined || ex.preflight?.finalResponse !== undefined;
}
