import { describeFinding, type TextRun } from '../cors/describe';
import { sameRuns } from './runs';
import type { Finding } from '../cors/types';
import { specLinkText } from './format';
import { Rich } from './Rich';
import { FirefoxReason } from './FirefoxReason';

interface Props {
  findings: Finding[];
  /** The fix the answer above already shows: not repeated under its finding. */
  shownFix?: readonly TextRun[] | null;
}

/** Each finding: title, Chrome's error name, the value at fault, the explanation, its fix (unless shown above) and the spec step. */
export function Findings({ findings, shownFix = null }: Props) {
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
          <FirefoxReason finding={f} />
          <p class="finding-detail">
            <Rich runs={t.detail} />
          </p>
          {!(shownFix && sameRuns(t.fix, shownFix)) && (
            <p class="fix">
              <span class="label">Fix</span> <Rich runs={t.fix} />
            </p>
          )}
          {t.spec && (
            <a href={t.spec} target="_blank" rel="noreferrer" title={t.spec}>
              {specLinkText(t.spec)}
            </a>
          )}
        </li>
      ))}
    </ol>
  );
}
