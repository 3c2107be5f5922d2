import { findingProse } from '../cors/describe';
import { esc } from '../report/html';
import { mdText } from '../report/markdown';
import { reasonOf, visibleControls } from '../report/format';
import type { SessionReport } from '../report/schema';
import type { Exchange } from '../traffic/exchange';
import type { Confidence, HarNote } from './notes';

/** The command line's renderings of a HAR's analysis, beside the export's own (JSON, Markdown, HTML). */

export type FailOn = 'blocked' | 'warning';

/** Does this exchange meet the `--fail-on` threshold? "warning" is the lower one: a block or any warning. */
export function failsOn(ex: Exchange, on: FailOn): boolean {
  if (ex.verdict === 'blocked') return true;
  return on === 'warning' && ex.findings.some((f) => f.severity === 'warning');
}

/** One line: control characters and bidi overrides made visible, so a hostile header cannot rewrite a terminal. */
function line(text: string): string {
  return visibleControls(text.replace(/\s*\n\s*/g, ' '));
}

/** One line per blocked exchange (and per warned one with `--fail-on warning`): method, URL, finding, fix, confidence. */
export function renderText(report: SessionReport, confidence: ReadonlyMap<string, Confidence>, on: FailOn = 'blocked'): string {
  const out: string[] = [];
  for (const ex of report.exchanges) {
    if (!failsOn(ex, on)) continue;
    const f = reasonOf(ex) ?? ex.findings[0];
    const c = confidence.get(ex.id);
    const label = ex.verdict === 'blocked' ? 'BLOCKED' : 'WARNING';
    const w = f ? findingProse(f) : null;
    const finding = f && w ? `${w.title}${f.chromeCorsError ? ` (${f.chromeCorsError})` : ''}: ${w.detail} Fix: ${w.fix}` : 'no finding';
    out.push(line(`${label} ${ex.method} ${ex.url} - ${finding} [confidence: ${c?.level ?? 'high'}]`));
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}

export function summaryLine(report: SessionReport): string {
  const blocked = report.exchanges.filter((e) => e.verdict === 'blocked').length;
  const warned = report.exchanges.filter((e) => e.verdict !== 'blocked' && e.findings.some((f) => f.severity === 'warning')).length;
  return `${report.exchanges.length} cross-origin exchange(s): ${blocked} blocked, ${warned} with warnings`;
}

export function notesText(notes: readonly HarNote[]): string {
  return notes.map((n) => `note: ${line(n.text)}`).join('\n');
}

function confidenceRows(report: SessionReport, confidence: ReadonlyMap<string, Confidence>): Array<{ ex: Exchange; c: Confidence }> {
  return report.exchanges.map((ex) => ({ ex, c: confidence.get(ex.id) ?? { level: 'high' as const, reasons: [] } })).filter((r) => r.c.level !== 'high');
}

/** A Markdown section to put after the report: what the HAR lacked and which verdicts are less sure. */
export function notesMarkdown(report: SessionReport, notes: readonly HarNote[], confidence: ReadonlyMap<string, Confidence>): string {
  const lines = ['', '## Read from a HAR', '', ...notes.map((n) => `- ${mdText(n.text, 'space')}`)];
  const rows = confidenceRows(report, confidence);
  if (rows.length > 0) {
    lines.push('', '### Less sure verdicts', '');
    for (const { ex, c } of rows) lines.push(`- ${mdText(`${ex.method} ${ex.url}`, 'space')}: **${c.level}**: ${mdText(c.reasons.join('; '), 'space')}`);
  }
  return `${lines.join('\n')}\n`;
}

const h = (text: string) => esc(visibleControls(text));

/** The same as HTML, escaped, to insert before the report's closing body tag. */
export function notesHtml(report: SessionReport, notes: readonly HarNote[], confidence: ReadonlyMap<string, Confidence>): string {
  const rows = confidenceRows(report, confidence);
  return [
    '<section class="har-notes"><h2>Read from a HAR</h2><ul>',
    ...notes.map((n) => `<li>${h(n.text)}</li>`),
    '</ul>',
    rows.length > 0 ? `<h3>Less sure verdicts</h3><ul>${rows.map(({ ex, c }) => `<li><code>${h(`${ex.method} ${ex.url}`)}</code>: <b>${c.level}</b>: ${h(c.reasons.join('; '))}</li>`).join('')}</ul>` : '',
    '</section>',
  ].join('');
}

export function withHtmlNotes(html: string, section: string): string {
  const at = html.lastIndexOf('</body>');
  return at < 0 ? html + section : html.slice(0, at) + section + html.slice(at);
}
