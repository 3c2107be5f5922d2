import { useEffect, useState } from 'preact/hooks';
import type { ChromeVerdictView } from '../shared/protocol';
import type { Exchange } from '../traffic/exchange';
import type { OverrideApi } from './override-client';

const POLL_MS = 2_000;

/** The last verdict Chrome itself gave for this exchange's URL and method, if the debugger saw it. */
export function chromeVerdictFor(verdicts: readonly ChromeVerdictView[], ex: Pick<Exchange, 'url' | 'method'>): ChromeVerdictView | undefined {
  return verdicts.filter((v) => v.url === ex.url && v.method.toUpperCase() === ex.method.toUpperCase()).at(-1);
}

/**
 * While a rescue keeps the debugger attached to the tab, Chrome's own verdict
 * (Network.loadingFailed.corsErrorStatus) beside CORS Lens's.
 */
export function ChromeVerdict({ api, tabId, ex }: { api: OverrideApi; tabId: number; ex: Exchange }) {
  const [verdicts, setVerdicts] = useState<ChromeVerdictView[]>([]);
  useEffect(() => {
    let live = true;
    const load = () =>
      void api.request({ action: 'verdicts', tabId }).then(
        (a) => live && 'verdicts' in a && a.verdicts && setVerdicts(a.verdicts),
        () => {},
      );
    load();
    const t = setInterval(load, POLL_MS);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [api, tabId]);
  const v = chromeVerdictFor(verdicts, ex);
  const chrome = !v ? 'not seen while the debugger was attached' : v.corsError ? `blocked (${v.corsError}${v.failedParameter ? `: ${v.failedParameter}` : ''})` : v.errorText ? `failed (${v.errorText})` : 'allowed';
  return (
    <p class="chrome-verdict" data-chrome-verdict={v ? (v.corsError ? 'blocked' : v.errorText ? 'failed' : 'allowed') : 'unseen'}>
      <strong>Chrome's own verdict:</strong> {chrome}. <strong>CORS Lens:</strong> {ex.verdict}.
    </p>
  );
}
