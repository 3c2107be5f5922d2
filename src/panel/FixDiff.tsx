import { displayHeaderName } from '../fix/plan';
import type { DiffRow } from '../fix/diff';

const MARK: Record<DiffRow['state'], string> = { added: '+', changed: '~', kept: ' ' };
const WORD: Record<DiffRow['state'], string> = { added: 'added', changed: 'changed', kept: 'kept' };

/** One response of the server fix as a diff: added, changed and kept lines marked (text only, never HTML). */
export function FixDiff({ title, rows }: { title: string; rows: DiffRow[] }) {
  if (rows.length === 0) return null;
  return (
    <div class="fix-diff">
      <h4>{title}</h4>
      <table class="fix-diff-rows">
        <tbody>
          {rows.map((r) => (
            <tr key={r.name} data-diff={r.state}>
              <td class="mark" aria-label={WORD[r.state]}>
                {MARK[r.state]}
              </td>
              <td>
                {r.name === ':status' ? 'Status' : displayHeaderName(r.name)}: {r.after}
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
