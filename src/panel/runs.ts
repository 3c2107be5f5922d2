import { text, type TextRun } from '../cors/text-runs';

/**
 * The panel's own wording as text runs, never as backtick-marked strings: a value seen on the
 * wire goes into a run whole, so a backtick or markup in it stays text and cannot open, close or
 * split a code span (docs/panel.md).
 */
export type Runs = readonly TextRun[];

export { code, runs, text } from '../cors/text-runs';

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
