import { useMemo, useState } from 'preact/hooks';
import { displayHeaderName, mechanismOf, planOverride, type OverridePlan } from '../fix/plan';
import { serverSnippets } from '../fix/snippets';
import { originOf } from '../cors/origin';
import type { Exchange } from '../traffic/exchange';
import type { OverrideRequest } from '../shared/protocol';
import { FixDiff } from './FixDiff';
import { ChromeVerdict } from './ChromeVerdict';
import { inFirefox } from './FirefoxReason';
import { changedByOverride, defaultOverrideApi, remaining, useOverrides, type OverrideApi } from './override-client';
import { APART_WHY, lineText, tryFixLines, type TryFixResponse } from './try-fix-lines';

interface Props {
  ex: Exchange;
  tabId: number;
  api?: OverrideApi | null;
  now?: () => number;
}

const MINUTES = [5, 15, 30, 60, 120];

/** Before the click: which mechanism Try fix will use, and why. */
function MechanismNote({ plan }: { plan: OverridePlan }) {
  const rescue = mechanismOf(plan) === 'rescue';
  return (
    <p class="override-mechanism" data-mechanism={mechanismOf(plan)}>
      <strong>{rescue ? 'Uses the debugger (rescue):' : 'Uses header rules:'}</strong> {plan.mechanismWhy}
      {rescue ? ' Chrome shows its "is debugging this browser" bar while it is on.' : ''}
    </p>
  );
}

/**
 * One response's lines: what the override changes (exactly the server fix's added and changed
 * lines), then what it sets without changing it, each with why.
 */
function ResponseLines({ title, which, r }: { title: string; which: 'preflight' | 'actual'; r: TryFixResponse }) {
  if (r.applied.length === 0 && r.apart.length === 0) return null;
  const statusOnly = r.applied.length === 1 && r.applied[0]!.name === ':status';
  return (
    <div class="try-fix-response" data-response={which}>
      <h4>{title}</h4>
      {r.applied.length > 0 ? <pre class="override-lines">{r.applied.map(lineText).join('\n')}</pre> : <p class="muted">Nothing here changes.</p>}
      {statusOnly && <p class="muted">Only the status changes: the headers your server sends are already right.</p>}
      {(['scope', 'rescue', 'same'] as const).map((reason) => {
        const set = r.apart.filter((a) => a.reason === reason);
        return (
          set.length > 0 && (
            <div key={reason} class="override-apart" data-reason={reason}>
              <p class="muted">
                Also set, unchanged: {set.length === 1 ? 'this line is' : 'these lines are'} {APART_WHY[reason]}
              </p>
              <pre>{set.map(lineText).join('\n')}</pre>
            </div>
          )
        );
      })}
    </div>
  );
}

/**
 * "Try fix": what a local override would change for this exchange (or why it cannot): exactly the
 * server fix's added and changed lines, the server fix as a diff with snippets, and a button that
 * turns the override on. The fix in words is the answer's, above: not repeated here.
 */
export function TryFix({ ex, tabId, api = defaultOverrideApi(), now = Date.now }: Props) {
  // As the worker plans it: Firefox's rules cannot leave another origin of the page's host alone.
  const answer = useMemo(() => planOverride(ex, [], { rulesLeaveOtherOriginsOfHost: !inFirefox() }), [ex]);
  const [overrides, setOverrides] = useOverrides(api);
  const [onlyThisTab, setOnlyThisTab] = useState(true);
  const [minutes, setMinutes] = useState(30);
  const [message, setMessage] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<string | null>(null);
  const [snippet, setSnippet] = useState(0);
  const changed = changedByOverride(ex);
  const target = originOf(ex.url);
  const active = overrides.find((o) => o.pageOrigin === ex.initiatorOrigin && o.targetOrigin === target);

  const mark = changed && (
    <p class="override-changed" role="note">
      <span class="badge override">changed by local override</span> The browser judged this exchange on the headers after the override; the server's own
      headers are shown below it.
    </p>
  );
  if (!answer.ok) {
    if (answer.reason === 'not-blocked') {
      const rescueOn = active && mechanismOf(active) === 'rescue' && api;
      return mark || rescueOn ? (
        <>
          {mark}
          {rescueOn && <ChromeVerdict api={api} tabId={tabId} ex={ex} />}
        </>
      ) : null;
    }
    return (
      <section class="try-fix cannot" aria-label="Local override" data-override-state="cannot">
        {mark}
        <p>
          <strong>No local override:</strong> {answer.why}
        </p>
      </section>
    );
  }
  const plan = answer.plan;
  const snippets = serverSnippets(plan);
  const shown = snippets[snippet] ?? snippets[0]!;
  const rescue = mechanismOf(plan) === 'rescue';
  const send = (confirmInitiator: boolean) => {
    if (!api) return;
    setConfirm(null);
    setMessage('Turning on…');
    const req: OverrideRequest = { action: 'add', tabId, exchangeId: ex.id, onlyThisTab: rescue || onlyThisTab, minutes, confirmInitiator };
    void api
      .request(req)
      .then(
        (a) => {
          if ('error' in a) setMessage(a.error);
          else if (!a.ok) {
            if (a.reason === 'confirm') setConfirm(a.why);
            setMessage(a.reason === 'confirm' ? null : a.why);
          } else {
            setOverrides(a.overrides);
            setMessage(`${a.note ? `${a.note} ` : ''}Override on: run the request again (reload the page) to try it.`);
          }
        },
        (e: unknown) => setMessage(String(e)),
      );
  };
  const add = () => send(false);
  const lines = tryFixLines(ex, plan);
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
              <input type="checkbox" checked={rescue || onlyThisTab} disabled={rescue} onChange={(e) => setOnlyThisTab((e.target as HTMLInputElement).checked)} /> only this tab
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
          {rescue
            ? `Answers ${plan.pageOrigin}'s preflights to ${plan.targetOrigin} with 204 and these headers, and adds the headers to its responses, in this tab only.`
            : `Sets these headers, in this browser only, on responses from ${plan.targetOrigin} to ${plan.pageOrigin}; Allow-Origin is always its exact origin, so no other origin gains access.`}
        </span>
        <span role="status" aria-live="polite">
          {message}
        </span>
      </div>
      {confirm && (
        <p class="override-confirm" role="alertdialog" aria-label="Confirm override for a frame">
          {confirm}{' '}
          <button type="button" onClick={() => send(true)}>
            Add anyway
          </button>{' '}
          <button type="button" onClick={() => setConfirm(null)}>
            Cancel
          </button>
        </p>
      )}
      {!active && <MechanismNote plan={plan} />}
      {active && mechanismOf(active) === 'rescue' && api && <ChromeVerdict api={api} tabId={tabId} ex={ex} />}
      <p class="muted try-fix-compare">It changes exactly the lines the server fix below adds (+) or changes (~), no more.</p>
      <ResponseLines which="preflight" title={rescue ? 'The OPTIONS (preflight) request, answered in the browser' : 'On the OPTIONS (preflight) response'} r={lines.preflight} />
      <ResponseLines which="actual" title={`On the ${ex.method} response${plan.actualPredicted ? ' (never sent: predicted)' : ''}${ex.redirects.length > 0 ? ` from ${plan.targetOrigin}, redirects included` : ''}`} r={lines.actual} />
      {plan.hops && plan.hops.headers.length > 0 && (
        <div class="try-fix-response" data-response="hops">
          <h4>{`On the same request's later responses (${plan.hops.origins.join(', ') || plan.targetOrigin}), asked with Origin null after the cross-origin redirect`}</h4>
          <pre class="override-lines">{plan.hops.headers.map((h) => `${displayHeaderName(h.name)}: ${h.value}`).join('\n')}</pre>
        </div>
      )}
      <h4>The server fix: what your responses must contain</h4>
      <FixDiff which="preflight" title="OPTIONS (preflight) response" rows={lines.preflight.rows} />
      <FixDiff which="actual" title={`${ex.method} response`} rows={lines.actual.rows} />
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
