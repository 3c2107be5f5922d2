import { describeFinding, type TextRun } from '../cors/describe';
import type { Finding, HeaderList, Message } from '../cors/types';
import type { Exchange } from '../traffic/exchange';
import { credentialsRuns, hasPreflightMessages, httpUrl, isoTime, modeRuns, partition, statusText, verdictLabel, visibleControls } from './format';
import { esc } from './html';
import type { SessionReport } from './schema';
import { originLabel, summarize, VERDICT_ORDER } from './summary';
import { pictureMarkdown } from '../picture';

/**
 * The session report (or one exchange) as GitHub-flavoured Markdown for an issue tracker.
 *
 * Hostile values stay inert: prose is backslash-escaped (no emphasis, links or HTML), values sit
 * in code spans or fenced blocks whose fence is longer than any backtick run they hold, table
 * cells escape `|` (GFM splits rows before inline parsing, even inside code spans), and no value
 * can start a new line: line breaks become `<br>` in prose and control pictures (␊) elsewhere.
 */

/** Inline prose: markdown punctuation escaped, HTML-significant characters as entities. */
export function mdText(text: string, breaks: 'br' | 'space' = 'br'): string {
  return visibleControls(text.replace(/\r\n?/g, '\n'), true)
    .replace(/[\\`*_[\]~|#!{}]/g, (c) => `\\${c}`)
    .replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'))
    .replace(/\t/g, ' ')
    .replace(/\n/g, breaks === 'br' ? '<br>' : ' ');
}

function longestRun(text: string, ch: string): number {
  let best = 0;
  let run = 0;
  for (const c of text) {
    run = c === ch ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
}

/** A code span holding the text literally; `inTable` escapes `|` as GFM tables require. */
export function mdCode(text: string, inTable = false): string {
  let body = visibleControls(text);
  // An empty code span does not exist in Markdown; a lone space is one (and shows as nothing).
  if (body === '') return '` `';
  const fence = '`'.repeat(longestRun(body, '`') + 1);
  // CommonMark strips one space on each side when both are there: pad so content is kept.
  if (body.startsWith('`') || body.endsWith('`') || body.startsWith(' ') || body.endsWith(' ')) body = ` ${body} `;
  if (inTable) body = body.replace(/\|/g, '\\|');
  return `${fence}${body}${fence}`;
}

/** A fenced code block whose fence no line of the content can close. */
export function mdFence(lines: readonly string[], info = ''): string {
  const body = lines.join('\n');
  const fence = '`'.repeat(Math.max(3, longestRun(body, '`') + 1));
  return `${fence}${info}\n${body}\n${fence}`;
}

/** One GFM table; `cells` are already escaped for a cell. */
function table(head: readonly string[], align: readonly ('l' | 'r')[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(align.map((a) => (a === 'r' ? '---:' : '---'))), ...rows.map(line)].join('\n');
}

const code = (s: string) => mdCode(s, true);

function headerLines(prefix: string, headers: HeaderList): string[] {
  return headers.map(([n, v]) => `${prefix} ${visibleControls(n)}: ${visibleControls(v)}`);
}

function responseLines(m: Message | null, label = ''): string[] {
  if (!m) return ['< (no response)'];
  return [`< ${m.statusCode ?? '(no status)'}${label}`, ...headerLines('<', m.headers)];
}

function exchangeBlock(requestLine: string, req: Message, res: Message | null, final?: Message): string {
  const lines = [`> ${visibleControls(requestLine)}`, ...headerLines('>', req.headers), '', ...responseLines(res)];
  if (final) lines.push('', ...responseLines(final, ' (after local override)'));
  return mdFence(lines);
}

function specLink(spec: string): string {
  const href = httpUrl(spec);
  // The URL serializer percent-encodes spaces, < and >: the autolink cannot be broken out of.
  return href ? `<${href}>` : mdCode(spec);
}

/** Rendered runs: code runs as code spans, the rest as escaped text. */
function mdRuns(rs: readonly TextRun[], inTable = false): string {
  return rs.map((r) => (r.code ? mdCode(r.text, inTable) : mdText(r.text))).join('');
}

function findingMarkdown(f: Finding): string {
  const t = describeFinding(f);
  const facts = [`${f.stage} stage`, `id ${mdCode(f.id)}`];
  if (f.chromeCorsError) facts.unshift(`Chrome: ${mdCode(f.chromeCorsError)}`);
  if (f.failedParameter !== null) facts.push(`failed parameter: ${mdCode(f.failedParameter)}`);
  return [
    `**${f.severity === 'error' ? 'Error' : 'Warning'}: ${mdText(t.title, 'space')}**`,
    '',
    `- ${facts.join(' · ')}`,
    `- ${mdRuns(t.detail)}`,
    `- Fix: ${mdRuns(t.fix)}`,
    ...(t.spec ? [`- Spec: ${specLink(t.spec)}`] : []),
  ].join('\n');
}

/** "Copy as Markdown" for one exchange; `headingLevel` places it inside a larger document. */
export function exchangeMarkdown(ex: Exchange, headingLevel = 3): string {
  const h = '#'.repeat(Math.min(6, Math.max(1, headingLevel)));
  const out: string[] = [];
  out.push(`${h} ${mdText(verdictLabel(ex.verdict), 'space')}: ${mdCode(ex.method)} ${mdCode(ex.url)}`, '');
  out.push(pictureMarkdown(ex), '');
  const rows: string[][] = [
    ['Initiator', ex.initiatorOrigin === null ? 'unknown' : code(ex.initiatorOrigin)],
    ['Target origin', code(originLabel(ex.url))],
    ['Type', mdText(ex.resourceType, 'space')],
    ['Mode', mdRuns(modeRuns(ex), true)],
    ['Credentials', mdRuns(credentialsRuns(ex.credentials), true)],
    ['Reached server', ex.reachedServer ? 'yes' : 'no'],
    ['Status', code(statusText(ex))],
    ['Started', isoTime(ex.startedAt)],
  ];
  if (ex.error !== null) rows.push(['Error', code(ex.error)]);
  out.push(table(['Field', 'Value'], ['l', 'l'], rows), '');
  for (const f of ex.findings) out.push(findingMarkdown(f), '');
  const p = ex.preflight;
  if (p) {
    const facts = [p.observed, p.required ? 'required' : 'not required'];
    if (p.cacheExpiresAt !== undefined) facts.push(`cached until ${isoTime(p.cacheExpiresAt)}`);
    out.push(`**Preflight** (${mdText(facts.join(', '), 'space')})`, '');
    for (const r of p.reasons) out.push(`- ${mdText(r)}`);
    if (p.error !== null) out.push(`- Error: ${mdCode(p.error)}`);
    if (p.reasons.length > 0 || p.error !== null) out.push('');
    if (hasPreflightMessages(p)) {
      out.push(exchangeBlock(`OPTIONS ${ex.url}`, p.request, p.response, p.finalResponse), '');
    }
  }
  ex.redirects.forEach((r, i) => {
    out.push(`**Redirect ${i + 1}**: ${r.statusCode} → ${mdCode(r.location)}`, '');
    out.push(mdFence([`< ${r.statusCode}`, ...headerLines('<', r.headers)]), '');
  });
  out.push('**Request**', '', exchangeBlock(`${ex.method} ${ex.url}`, ex.request, ex.response, ex.finalResponse), '');
  return out.join('\n');
}

/** The whole session for an issue tracker: summary, blocked exchanges in full, the rest folded. */
export function renderMarkdown(report: SessionReport): string {
  const s = summarize(report.exchanges);
  const { blocked, other } = partition(report.exchanges);
  const out: string[] = ['# CORS Lens session report', ''];
  const redacted = report.redacted.length
    ? `${report.redacted.map(code).join(', ')} (values replaced by ${code('[redacted: N chars]')})`
    : 'nothing: header values are as captured';
  out.push(
    table(['Field', 'Value'], ['l', 'l'], [
      ['Tab', code(report.tab.url)],
      ['Exported', code(report.exportedAt)],
      ['Browser', mdText(report.browser, 'space')],
      ['Redacted', redacted],
    ]),
    '',
    '## Summary',
    '',
    table(['Verdict', 'Exchanges'], ['l', 'r'], VERDICT_ORDER.map((v) => [mdText(verdictLabel(v)), String(s.byVerdict[v])])),
    '',
  );
  if (s.byFinding.length > 0) {
    out.push(
      table(
        ['Finding', 'Chrome error', 'Severity', 'Exchanges'],
        ['l', 'l', 'l', 'r'],
        s.byFinding.map((f) => [`${mdText(f.title)} (${code(f.id)})`, f.chromeCorsError === null ? '—' : code(f.chromeCorsError), f.severity === 'error' ? 'error' : 'warning', String(f.exchanges)]),
      ),
      '',
    );
  }
  if (s.origins.length > 0) {
    out.push(
      table(
        ['Initiator', 'Target', 'Exchanges', 'Blocked'],
        ['l', 'l', 'r', 'r'],
        s.origins.map((o) => [o.initiator === null ? 'unknown' : code(o.initiator), code(o.target), String(o.exchanges), String(o.blocked)]),
      ),
      '',
    );
  }
  out.push(`## Blocked (${blocked.length})`, '');
  if (blocked.length === 0) out.push('Nothing was blocked.', '');
  for (const ex of blocked) out.push(exchangeMarkdown(ex, 3));
  out.push(`## Other exchanges (${other.length})`, '');
  for (const ex of other) {
    // <summary> is HTML, not Markdown: escaped as HTML, on one line.
    const label = `${verdictLabel(ex.verdict)} · ${ex.method} ${ex.url} · ${statusText(ex)}`;
    out.push(`<details><summary>${esc(visibleControls(label))}</summary>`, '', exchangeMarkdown(ex, 4), '</details>', '');
  }
  return out.join('\n');
}
