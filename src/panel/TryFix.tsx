import { useMemo, useState } from 'preact/hooks';
import { displayHeaderName, planOverride } from '../fix/plan';
import { serverSnippets } from '../fix/snippets';
import type { Exchange } from '../traffic/exchange';
import { changedByOverride, defaultOverrideApi, remaining, useOverrides, type OverrideApi } from './override-client';

interface Props {
  ex: Exchange;
  tabId: number;
  api?: OverrideApi | null;
  now?: () => number;
}

const MINUTES = [5, 15, 30, 60, 120];

/**
 * "Try fix": what a local override would add for this exchange (or why it cannot), the same
 * headers as the server-side fix with snippets, and a button that turns the override on.
 */
export function TryFix({ ex, tabId, api = defaultOverrideApi(), now = Date.now }: Props) {
  const answer = useMemo(() => planOverride(ex), [ex]);
  const [overrides, setOverrides] = useOverrides(api);
  const [onlyThisTab, setOnlyThisTab] = useState(false);
  const [minutes, setMinutes] = useState(30);
  const [message, setMessage] = useState<string | null>(null);
  const [snippet, setSnippet] = useState(0);
  const changed = changedByOverride(ex);
  const target = (() => {
    try {
      return new URL(ex.url).origin;
    } catch {
      return null;
    }
  })();
  const active = overrides.find((o) => o.pageOrigin === ex.initiatorOrigin && o.targetOrigin === target);

  const mark = changed && (
    <p class="override-changed" role="note">
      <span class="badge override">changed by local override</span> The browser judged this exchange on the headers after the override; the server's own
      headers are shown below it.
    </p>
  );
  if (!answer.ok) {
    if (answer.reason === 'not-blocked') return mark || null;
    return (
      <section class="try-fix cannot" aria-label="Local override" data-override-state="cannot">
        {mark}
        <p>
          <strong>No local override:</strong> {answer.why}
        </p>
        {answer.serverFix && (
          <p class="fix">
            <span class="label">Server fix</span> {answer.serverFix}
          </p>
        )}
      </section>
    );
  }
  const plan = answer.plan;
  const snippets = serverSnippets(plan);
  const shown = snippets[snippet] ?? snippets[0]!;
  const add = () => {
    if (!api) return;
    setMessage('Turning on…');
    void api.request({ action: 'add', tabId, exchangeId: ex.id, onlyThisTab, minutes }).then(
      (a) => {
        if ('error' in a) setMessage(a.error);
        else if (!a.ok) setMessage(a.why);
        else {
          setOverrides(a.overrides);
          setMessage('Override on: run the request again (reload the page) to try it.');
        }
      },
      (e: unknown) => setMessage(String(e)),
    );
  };
  const lines = (title: string, hs: Array<{ name: string; value: string }>) =>
    hs.length > 0 && (
      <div>
        <h4>{title}</h4>
        <pre class="override-lines">{hs.map((h) => `${displayHeaderName(h.name)}: ${h.value}`).join('\n')}</pre>
      </div>
    );
  return (
    <section class="try-fix" aria-label="Local override" data-override-state={active ? 'active' : 'available'}>
      {mark}
      <div class="try-fix-head">
        {api && !active && (
          <>
            <button type="button" class="primary" onClick={add} aria-label="Try fix">
              Try fix
            </button>
            <label class="check">
              <input type="checkbox" checked={onlyThisTab} onChange={(e) => setOnlyThisTab((e.target as HTMLInputElement).checked)} /> only this tab
            </label>
            <label>
              for{' '}
              <select value={minutes} onChange={(e) => setMinutes(Number((e.target as HTMLSelectElement).value))} aria-label="Override duration">
                {MINUTES.map((m) => (
                  <option key={m} value={m}>
                    {m} min
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
        {active && (
          <span>
            Local override active for {active.pageOrigin} → {active.targetOrigin}, {remaining(active.expiresAt, now())} left.
          </span>
        )}
        <span class="muted">
          Adds these headers, in this browser only, to responses from {plan.targetOrigin} to pages of {plan.pageOrigin}
          {plan.credentialsAssumed ? ' (Allow-Credentials too: the credentials mode is unknown, and it is harmless without)' : ''}.
        </span>
        <span role="status" aria-live="polite">
          {message}
        </span>
      </div>
      {lines('On the OPTIONS (preflight) response', plan.preflight)}
      {lines(`On the ${ex.method} response${plan.actualPredicted ? ' (never sent: predicted)' : ''}`, plan.actual)}
      <h4>The server fix: what your responses must contain</h4>
      <div class="snippet-tabs" role="tablist">
        {snippets.map((s, i) => (
          <button key={s.kind} type="button" role="tab" aria-selected={i === snippet} onClick={() => setSnippet(i)}>
            {s.title}
          </button>
        ))}
      </div>
      <pre class="snippet" data-snippet={shown.kind}>
        {shown.code}
      </pre>
    </section>
  );
}
