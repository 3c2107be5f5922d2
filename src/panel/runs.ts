import type { TextRun } from '../cors/describe';

/**
 * The panel's own wording as text runs, never as backtick-marked strings: a value seen on the
 * wire goes into a run whole, so a backtick or markup in it stays text and cannot open, close or
 * split a code span (docs/panel.md).
 */
export type Runs = readonly TextRun[];

export const text = (s: string): TextRun => ({ text: s, code: false });
export const code = (s: string): TextRun => ({ text: s, code: true });

/** Runs from parts: a string is plain text, a run is kept as it is. Empty parts are dropped. */
export function runs(...parts: Array<string | TextRun | Runs>): TextRun[] {
  const out: TextRun[] = [];
  for (const p of parts) {
    if (typeof p === 'string') {
      if (p !== '') out.push(text(p));
    } else if (Array.isArray(p)) out.push(...(p as Runs).filter((r) => r.text !== ''));
    else if ((p as TextRun).text !== '') out.push(p as TextRun);
  }
  return out;
}

/** "a, b and c" over runs. */
export function joinAndRuns(items: readonly Runs[]): TextRun[] {
  const out: TextRun[] = [];
  items.forEach((item, i) => {
    if (i > 0) out.push(text(i === items.length - 1 ? ' and ' : ', '));
    out.push(...item);
  });
  return out;
}

/** Whether two run lists read the same and mark the same code. */
export function sameRuns(a: Runs, b: Runs): boolean {
  return a.length === b.length && a.every((r, i) => r.text === b[i]!.text && r.code === b[i]!.code);
}

/** Runs as one line of plain text (code runs without marks): the table's cells, titles, comparisons. */
export function plain(rs: Runs): string {
  return rs.map((r) => r.text).join('');
}

const GUARD = '\uE000';

/**
 * An inference note ("only credentials explain why Chrome rejected `Access-Control-Allow-Origin: *`")
 * as runs. The note marks its code with backticks and may quote values seen on the wire (a header
 * value, the method): each of those `wire` values is guarded before the note is split, so a backtick
 * inside one stays in its run and never ends it.
 */
export function noteRuns(note: string, wire: readonly string[]): TextRun[] {
  let s = note.replaceAll(GUARD, '');
  const quoted = [...new Set(wire.filter((v) => v.includes('`')))].sort((a, b) => b.length - a.length);
  for (const v of quoted) s = s.split(v).join(v.replaceAll('`', GUARD));
  return s
    .split('`')
    .map((part, i) => ({ text: part.replaceAll(GUARD, '`'), code: i % 2 === 1 }))
    .filter((r) => r.text !== '');
}
