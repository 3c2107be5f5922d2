import type { DiffRow } from '../fix/diff';
import { lineText } from './try-fix-lines';

const MARK: Record<DiffRow['state'], string> = { added: '+', changed: '~', kept: ' ' };
const WORD: Record<DiffRow['state'], string> = { added: 'added', changed: 'changed', kept: 'kept' };

/** One response of the server fix as a diff: added, changed and kept lines marked (text only, never HTML). */
export function FixDiff({ title, rows, which }: { title: string; rows: DiffRow[]; which: 'preflight' | 'actual' }) {
  if (rows.length === 0) return null;
  return (
    <div class="fix-diff" data-response={which}>
      <h4>{title}</h4>
      <table class="fix-diff-rows">
        <tbody>
          {rows.map((r) => (
            <tr key={r.name} data-diff={r.state} data-line={lineText({ name: r.name, value: r.after })}>
              <td class="mark" aria-label={WORD[r.state]}>
                {MARK[r.state]}
              </td>
              <td>
                {lineText({ name: r.name, value: r.after })}
                {r.state === 'changed' && <span class="muted"> (was {r.before ?? 'absent'})</span>}
              </td>
              <td class="muted">{WORD[r.state]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
