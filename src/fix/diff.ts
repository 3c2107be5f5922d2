/**
 * The server fix as a diff of what the server sent: each CORS line marked added, changed or
 * kept, so nothing that was not at fault changes silently. The override (Try fix) applies the
 * added and changed lines; a `scope` line (Allow-Origin set to the exact page origin only so
 * the override reaches no other origin) is kept on the server side.
 * @see https://fetch.spec.whatwg.org/#http-responses
 */
import { getHeader } from '../cors/header-list';
import type { Message } from '../cors/types';
import type { HeaderLine } from './plan';

export type DiffState = 'added' | 'changed' | 'kept';

export interface DiffRow {
  name: string;
  state: DiffState;
  /** What the server sent (null: absent). */
  before: string | null;
  /** What the fixed response carries. */
  after: string;
}

/** Response headers whose lines the server fix shows even when kept. */
const CORS_PREFIX = 'access-control-';

/**
 * The rows of one response's fix. `lines` are the plan's lines for it; `replacesStatus` is the
 * status a rescue answers with (the server's own status then shows as changed).
 */
export function serverDiff(server: Message | null, lines: readonly HeaderLine[], replacesStatus?: number): DiffRow[] {
  const rows: DiffRow[] = [];
  const status = server?.statusCode;
  if (replacesStatus !== undefined && status !== replacesStatus) rows.push({ name: ':status', state: 'changed', before: status === undefined ? null : String(status), after: String(replacesStatus) });
  const touched = new Set(lines.map((l) => l.name));
  for (const l of lines) {
    const before = getHeader(server?.headers, l.name) ?? null;
    if (l.scope && before !== null) rows.push({ name: l.name, state: 'kept', before, after: before });
    else if (before === null) rows.push({ name: l.name, state: 'added', before, after: l.value });
    else if (before === l.value) rows.push({ name: l.name, state: 'kept', before, after: before });
    else rows.push({ name: l.name, state: 'changed', before, after: l.value });
  }
  // A rescue replaces the whole answer, so the server's other lines are not kept there.
  if (replacesStatus === undefined) {
    const seen = new Set<string>();
    for (const [name] of server?.headers ?? []) {
      if (!name.startsWith(CORS_PREFIX) || touched.has(name) || seen.has(name)) continue;
      seen.add(name);
      rows.push({ name, state: 'kept', before: getHeader(server?.headers, name) ?? '', after: getHeader(server?.headers, name) ?? '' });
    }
  }
  return rows;
}

/** The lines the override applies for a diff: its added and changed rows (never a kept one). */
export function appliedLines(rows: readonly DiffRow[]): Array<{ name: string; value: string }> {
  return rows.filter((r) => r.state !== 'kept' && r.name !== ':status').map((r) => ({ name: r.name, value: r.after }));
}
