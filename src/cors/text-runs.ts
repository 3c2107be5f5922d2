/**
 * Text as runs: every view (panel, HTML, Markdown, plain text) renders prose from these, so a
 * value seen on the wire goes into a run whole and no view parses marks out of a string.
 */

/** A run of rendered text; `code` runs are header lines, values and names, shown as code. */
export interface TextRun {
  text: string;
  code: boolean;
}

export const text = (s: string): TextRun => ({ text: s, code: false });
export const code = (s: string): TextRun => ({ text: s, code: true });

/** Runs from parts: a string is plain text, a run is kept as it is. Empty parts are dropped. */
export function runs(...parts: Array<string | TextRun | readonly TextRun[]>): TextRun[] {
  const out: TextRun[] = [];
  for (const p of parts) {
    if (typeof p === 'string') {
      if (p !== '') out.push(text(p));
    } else if (Array.isArray(p)) out.push(...(p as readonly TextRun[]).filter((r) => r.text !== ''));
    else if ((p as TextRun).text !== '') out.push(p as TextRun);
  }
  return out;
}

/** The same runs with neighbouring text runs joined: they read the same (a code run is never joined). */
export function joinedText(rs: readonly TextRun[]): TextRun[] {
  const out: TextRun[] = [];
  for (const r of rs) {
    const last = out[out.length - 1];
    if (last && !last.code && !r.code) out[out.length - 1] = text(last.text + r.text);
    else out.push(r);
  }
  return out;
}

/** Runs as one line of plain text (code runs without their marks): for search and titles. */
export function plainText(rs: readonly TextRun[]): string {
  return rs.map((r) => r.text).join('');
}

/** Runs with code marked by backticks: the catalogue's own notation, for plain-text outputs only. */
export function markedText(rs: readonly TextRun[]): string {
  return rs.map((r) => (r.code ? `\`${r.text}\`` : r.text)).join('');
}
