import { useEffect, useState } from 'preact/hooks';
import { displayHeaderName, mechanismOf } from '../fix/plan';
import type { OverrideView } from '../shared/protocol';
import { defaultOverrideApi, remaining, useOverrides, type OverrideApi } from './override-client';

interface Props {
  tabId: number;
  api?: OverrideApi | null;
  now?: () => number;
}

function headerSummary(o: OverrideView): string {
  const names = new Set([...o.preflight, ...o.actual].map((h) => displayHeaderName(h.name)));
  return [...names].join(', ');
}

/** The active local overrides, always visible while any is on, each with its own off switch and one for all. */
export function Overrides({ tabId, api = defaultOverrideApi(), now = Date.now }: Props) {
  const [notice, setNotice] = useState<string | null>(null);
  const [list, setList] = useOverrides(api, setNotice);
  const [, tick] = useState(0);
  useEffect(() => {
    if (list.length === 0) return undefined;
    const t = setInterval(() => tick((n) => n + 1), 10_000);
    return () => clearInterval(t);
  }, [list.length]);
  if (!api) return null;
  if (list.length === 0) {
    return notice ? (
      <section class="override-banner" role="region" aria-label="Local overrides">
        <span role="status">{notice}</span>{' '}
        <button type="button" onClick={() => setNotice(null)}>
          Dismiss
        </button>
      </section>
    ) : null;
  }
  const act = (req: Parameters<OverrideApi['request']>[0]) =>
    void api.request(req).then((a) => 'overrides' in a && setList(a.overrides), () => {});
  return (
    <section class="override-banner" role="region" aria-label="Local overrides">
      <ul>
        {list.map((o) => (
          <li key={o.id} data-override={o.id}>
            <strong>Local override active</strong> for {o.pageOrigin} → {o.targetOrigin}
            {o.onlyThisTab ? (o.tabId === tabId ? ' (this tab only)' : ` (tab ${o.tabId} only)`) : ''}
            {mechanismOf(o) === 'rescue' ? (
              <span class="badge override" data-uses-debugger="true">
                {' '}
                uses the debugger: this is why Chrome says it is being debugged
              </span>
            ) : (
              ''
            )}
            : sets {headerSummary(o)}. Expires in{' '}
            {remaining(o.expiresAt, now())}.{' '}
            <button type="button" onClick={() => act({ action: 'remove', id: o.id })} aria-label={`Turn off override ${o.pageOrigin} → ${o.targetOrigin}`}>
              Turn off
            </button>
          </li>
        ))}
      </ul>
      {notice && <span role="status">{notice}</span>}
      {list.length > 1 && (
        <button type="button" onClick={() => act({ action: 'clear' })} aria-label="Turn off all overrides">
          Turn all off
        </button>
      )}
    </section>
  );
}
