import type { Finding } from '../cors/types';
import { codeSpans } from './format';
import { FirefoxReason } from './FirefoxReason';

/** Text with its `code` spans as <code>: both stay text nodes, never HTML. */
function Rich({ text }: { text: string }) {
  return <>{codeSpans(text).map((s, i) => (s.code ? <code key={i}>{s.text}</code> : s.text))}</>;
}

/** Each finding: title, Chrome's error name, the value at fault, the explanation, the fix and the spec step. */
export function Findings({ findings }: { findings: Finding[] }) {
  if (findings.length === 0) return <p class="muted findings-none">No CORS findings for this exchange.</p>;
  return (
    <ol class="findings" aria-label="Findings">
      {findings.map((f) => (
        <li key={f.id} class={`finding ${f.severity}`} data-finding={f.id}>
          <div class="finding-head">
            <span class={`badge ${f.severity}`}>{f.severity}</span>
            <strong class="finding-title">{f.title}</strong>
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
          <FirefoxReason finding={f} />
          <p class="finding-detail">
            <Rich text={f.detail} />
          </p>
          <p class="fix">
            <span class="label">Fix</span> <Rich text={f.fix} />
          </p>
          <a href={f.spec} target="_blank" rel="noreferrer">
            Fetch Standard: {f.spec.replace(/^https:\/\/fetch\.spec\.whatwg\.org\//, '')}
          </a>
        </li>
      ))}
    </ol>
  );
}
