import { describeFinding, type TextRun } from '../cors/describe';
import type { Finding } from '../cors/types';

/** Rendered runs, code runs as <code>: both stay text nodes, never HTML. */
function Rich({ runs }: { runs: readonly TextRun[] }) {
  return <>{runs.map((r, i) => (r.code ? <code key={i}>{r.text}</code> : r.text))}</>;
}

/** "#concept-cors-check" → "concept cors check": the spec section, readable. */
function specLabel(spec: string): string {
  const anchor = spec.replace(/^https:\/\/fetch\.spec\.whatwg\.org\/#?/, '');
  return anchor === spec ? spec : `Fetch Standard: ${anchor.replace(/-0$/, '').replace(/-/g, ' ')}`;
}

/** Each finding: title, Chrome's error name, the value at fault, the explanation, the fix and the spec step. */
export function Findings({ findings }: { findings: Finding[] }) {
  if (findings.length === 0) return <p class="muted findings-none">No CORS findings for this exchange.</p>;
  return (
    <ol class="findings" aria-label="Findings">
      {findings.map((f) => ({ f, t: describeFinding(f) })).map(({ f, t }) => (
        <li key={f.id} class={`finding ${f.severity}`} data-finding={f.id}>
          <div class="finding-head">
            <span class={`badge ${f.severity}`}>{f.severity}</span>
            <strong class="finding-title">{t.title}</strong>
            {f.chromeCorsError && (
              <code class="chrome-error" title="Chrome's Network.CorsError name">
                {f.chromeCorsError}
              </code>
            )}
            {f.failedParameter && (
              <span class="muted">
                at fault: <code>{f.failedParameter}</code>
              </span>
            )}
          </div>
          <p class="finding-detail">
            <Rich runs={t.detail} />
          </p>
          <p class="fix">
            <span class="label">Fix</span> <Rich runs={t.fix} />
          </p>
          {t.spec && (
            <a href={t.spec} target="_blank" rel="noreferrer">
              {specLabel(t.spec)}
            </a>
          )}
        </li>
      ))}
    </ol>
  );
}
