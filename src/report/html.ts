import { describeFinding, type TextRun } from '../cors/describe';
import type { Finding, HeaderList, Message } from '../cors/types';
import type { Exchange } from '../traffic/exchange';
import { credentialsRuns, hasPreflightMessages, httpUrl, isoTime, modeRuns, partition, reasonOf, statusText, verdictLabel, visibleControls } from './format';
import type { SessionReport } from './schema';
import { originLabel, summarize, VERDICT_ORDER, type ReportSummary } from './summary';
import { pictureHtml, PICTURE_CSS } from '../picture';

/**
 * The session report as ONE self-contained HTML file, to attach to a bug or print.
 *
 * Safety: every value from the report goes through `esc` (text and attributes alike), an `href`
 * is written only for an http(s) URL, and the page carries a CSP that allows no script, no
 * fetch and no external style, so even a bug here cannot run code or call home.
 */

/** The page's Content-Security-Policy: inline style only. */
export const HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes for HTML text and quoted attribute values alike. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A header name or value: escaped, control characters made visible. */
function val(text: string): string {
  return esc(visibleControls(text));
}

/** Prose (a finding's detail or fix): escaped, line breaks kept (the CSS keeps them). */
function prose(text: string): string {
  return esc(visibleControls(text, true));
}

/** Rendered runs: code runs as <code>, every run escaped. */
function runs(rs: readonly TextRun[]): string {
  return rs.map((r) => (r.code ? `<code>${prose(r.text)}</code>` : prose(r.text))).join('');
}

function link(url: string, label: string): string {
  const href = httpUrl(url);
  return href ? `<a href="${esc(href)}" rel="noreferrer">${esc(label)}</a>` : val(url);
}

const CSS = `
:root { color-scheme: light; --line: #d0d7de; --muted: #57606a; --blocked: #fbe9e9; --blocked-ink: #a40e26; --warn: #fff4d6; --warn-ink: #7a4d00; --ok: #e6f4ea; --ok-ink: #1a6b32; --other: #eef1f4; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 72rem; padding: 1.5rem; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; background: #fff; }
h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .75rem; padding-bottom: .25rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 0 0 .5rem; word-break: break-all; }
h4 { font-size: .9rem; margin: .75rem 0 .25rem; }
code, .mono, table.headers td, table.headers th { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12.5px; }
table { border-collapse: collapse; }
th, td { text-align: left; vertical-align: top; padding: .2rem .6rem .2rem 0; }
table.counts td.n { text-align: right; }
table.counts th, table.counts td { border-bottom: 1px solid var(--line); padding: .25rem .75rem .25rem 0; }
table.headers { width: 100%; }
table.headers th { width: 1%; font-weight: 600; white-space: nowrap; color: #0a3069; }
table.headers td { word-break: break-all; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .5rem 0; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; word-break: break-all; }
.summary { display: flex; flex-wrap: wrap; gap: 2rem; }
.badge { display: inline-block; padding: 0 .45rem; border-radius: .6rem; font-size: 12px; font-weight: 600; border: 1px solid currentColor; }
.v-blocked, .s-error { background: var(--blocked); color: var(--blocked-ink); }
.v-allowed { background: var(--ok); color: var(--ok-ink); }
.s-warning { background: var(--warn); color: var(--warn-ink); }
.v-other { background: var(--other); color: #24292f; }
article.exchange { border: 1px solid var(--line); border-left: 4px solid var(--blocked-ink); border-radius: 6px; padding: 1rem; margin: 0 0 1.25rem; }
.finding { border-radius: 6px; padding: .6rem .8rem; margin: .6rem 0; border: 1px solid var(--line); }
.finding.s-error { border-color: #f0b4bd; }
.finding.s-warning { border-color: #e9c46a; }
.finding h4 { margin-top: 0; }
.finding p { margin: .3rem 0; white-space: pre-wrap; color: #1f2328; }
.fix { font-family: ui-monospace, Menlo, Consolas, monospace; background: #fff; border: 1px dashed var(--line); padding: .3rem .5rem; white-space: pre-wrap; word-break: break-all; }
.pair { display: grid; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); gap: .5rem 1.5rem; }
.empty { color: var(--muted); font-style: italic; }
details.exchange { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 .5rem; }
details.exchange > summary { cursor: pointer; padding: .4rem .75rem; word-break: break-all; }
details.exchange > .body { padding: 0 .75rem .75rem; }
footer { margin-top: 2rem; color: var(--muted); font-size: 12px; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; color: #000; background: #fff; }
  /* Print every exchange: closed <details> are opened where the browser supports ::details-content (Chrome 131+). */
  details::details-content { content-visibility: visible; display: block; }
  details.exchange > summary { list-style: none; font-weight: 600; }
  article.exchange, .finding, details.exchange { break-inside: avoid; }
  .badge, .finding, .v-blocked, .v-allowed, .s-error, .s-warning, .v-other { background: #fff !important; }
  a[href] { color: #000; }
  a[href]::after { content: " <" attr(href) ">"; font-size: 9pt; }
}
`;

function badge(verdict: string): string {
  const cls = verdict === 'blocked' ? 'v-blocked' : verdict === 'allowed' ? 'v-allowed' : 'v-other';
  return `<span class="badge ${cls}">${esc(verdictLabel(verdict))}</span>`;
}

function headersTable(headers: HeaderList): string {
  if (headers.length === 0) return '<p class="empty">no headers seen</p>';
  const rows = headers.map(([n, v]) => `<tr><th scope="row">${val(n)}</th><td>${val(v)}</td></tr>`);
  return `<table class="headers"><tbody>${rows.join('')}</tbody></table>`;
}

/** A request and its response, side by side (stacked when narrow). */
function messagePair(title: string, requestLine: string, request: Message, response: Message | null, final?: Message): string {
  const res = response
    ? `<h4>Response${response.statusCode !== undefined ? ` <span class="mono">${esc(String(response.statusCode))}</span>` : ''}</h4>${headersTable(response.headers)}`
    : '<h4>Response</h4><p class="empty">no response</p>';
  const overridden = final
    ? `<div><h4>Response after local override${final.statusCode !== undefined ? ` <span class="mono">${esc(String(final.statusCode))}</span>` : ''}</h4>${headersTable(final.headers)}</div>`
    : '';
  return (
    `<h4>${esc(title)}</h4><div class="pair">` +
    `<div><h4>Request <span class="mono">${requestLine}</span></h4>${headersTable(request.headers)}</div>` +
    `<div>${res}</div>${overridden}</div>`
  );
}

function findingBlock(f: Finding): string {
  const t = describeFinding(f);
  const chrome = f.chromeCorsError ? ` · Chrome: <code>${val(f.chromeCorsError)}</code>` : '';
  const param = f.failedParameter !== null ? ` · failed parameter: <code>${val(f.failedParameter)}</code>` : '';
  return (
    `<section class="finding s-${f.severity === 'error' ? 'error' : 'warning'}">` +
    `<h4><span class="badge s-${f.severity === 'error' ? 'error' : 'warning'}">${esc(f.severity)}</span> ${esc(t.title)}</h4>` +
    `<div class="mono">${val(f.id)} · ${esc(f.stage)} stage${chrome}${param}</div>` +
    `<p>${runs(t.detail)}</p>` +
    `<p><strong>Fix:</strong></p><div class="fix">${runs(t.fix)}</div>` +
    (t.spec ? `<p>Spec: ${link(t.spec, t.spec)}</p>` : '') +
    '</section>'
  );
}

function exchangeBody(ex: Exchange): string {
  const out: string[] = [pictureHtml(ex)];
  out.push('<dl class="meta">');
  const meta: Array<[string, string | readonly TextRun[]]> = [
    ['Started', isoTime(ex.startedAt)],
    ['Initiator', ex.initiatorOrigin ?? '—'],
    ['Target origin', originLabel(ex.url)],
    ['Type', ex.resourceType],
    ['Mode', modeRuns(ex)],
    ['Credentials', credentialsRuns(ex.credentials)],
    ['Reached server', ex.reachedServer ? 'yes' : 'no'],
    ['Status', statusText(ex)],
  ];
  if (ex.error !== null) meta.push(['Error', ex.error]);
  for (const [k, v] of meta) out.push(`<dt>${esc(k)}</dt><dd>${typeof v === 'string' ? val(v) : runs(v)}</dd>`);
  out.push('</dl>');
  for (const f of ex.findings) out.push(findingBlock(f));
  const p = ex.preflight;
  if (p) {
    const facts = [`${p.observed}`, p.required ? 'required' : 'not required'];
    if (p.cacheExpiresAt !== undefined) facts.push(`cached until ${isoTime(p.cacheExpiresAt)}`);
    out.push(`<h4>Preflight (${esc(facts.join(', '))})</h4>`);
    if (p.reasons.length > 0) out.push(`<ul>${p.reasons.map((r) => `<li>${prose(r)}</li>`).join('')}</ul>`);
    if (p.error !== null) out.push(`<p>Error: <code>${val(p.error)}</code></p>`);
    if (hasPreflightMessages(p)) {
      out.push(messagePair('Preflight headers', `OPTIONS ${val(ex.url)}`, p.request, p.response, p.finalResponse));
    }
  }
  ex.redirects.forEach((r, i) => {
    out.push(`<h4>Redirect ${i + 1}: <span class="mono">${esc(String(r.statusCode))}</span> → <span class="mono">${val(r.location)}</span></h4>`);
    out.push(headersTable(r.headers));
  });
  out.push(messagePair('Request headers', `${val(ex.method)} ${val(ex.url)}`, ex.request, ex.response, ex.finalResponse));
  return out.join('');
}

function exchangeTitle(ex: Exchange): string {
  return `${badge(ex.verdict)} <span class="mono">${val(ex.method)}</span> <span class="mono">${val(ex.url)}</span>`;
}

function summaryHtml(s: ReportSummary): string {
  const verdicts = VERDICT_ORDER.map((v) => `<tr><td>${badge(v)}</td><td class="n">${s.byVerdict[v]}</td></tr>`).join('');
  const findings = s.byFinding.length
    ? `<table class="counts"><thead><tr><th>Finding</th><th>Chrome error</th><th>Severity</th><th>Exchanges</th></tr></thead><tbody>${s.byFinding
        .map(
          (f) =>
            `<tr><td>${esc(f.title)}<br><span class="mono">${val(f.id)}</span></td><td><code>${val(f.chromeCorsError ?? '—')}</code></td>` +
            `<td>${esc(f.severity)}</td><td class="n">${f.exchanges}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '<p class="empty">no findings</p>';
  const origins = s.origins.length
    ? `<table class="counts"><thead><tr><th>Initiator</th><th></th><th>Target</th><th>Exchanges</th><th>Blocked</th></tr></thead><tbody>${s.origins
        .map(
          (o) =>
            `<tr><td class="mono">${val(o.initiator ?? '(unknown)')}</td><td>→</td><td class="mono">${val(o.target)}</td>` +
            `<td class="n">${o.exchanges}</td><td class="n">${o.blocked}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '<p class="empty">no exchanges</p>';
  return (
    '<section id="summary"><h2>Summary</h2><div class="summary">' +
    `<div><h4>By verdict (${s.total} exchanges)</h4><table class="counts"><tbody>${verdicts}</tbody></table></div>` +
    `<div><h4>By finding</h4>${findings}</div>` +
    `<div><h4>Origins</h4>${origins}</div>` +
    '</div></section>'
  );
}

/** The whole session as one self-contained HTML page: no script, no external resource. */
export function renderHtml(report: SessionReport): string {
  const { blocked, other } = partition(report.exchanges);
  const out: string[] = [];
  out.push(
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${esc(HTML_CSP)}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>CORS Lens session: ${val(originLabel(report.tab.url))} at ${val(report.exportedAt)}</title>`,
    `<style>${CSS}${PICTURE_CSS}</style></head><body>`,
    '<header><h1>CORS Lens session report</h1><dl class="meta">',
    `<dt>Tab</dt><dd class="mono">${val(report.tab.url)}</dd>`,
    `<dt>Exported</dt><dd>${val(report.exportedAt)}</dd>`,
    `<dt>Browser</dt><dd>${val(report.browser)}</dd>`,
    `<dt>Redacted</dt><dd>${
      report.redacted.length
        ? `values of <span class="mono">${report.redacted.map(val).join(', ')}</span> replaced by <code>[redacted: N chars]</code>`
        : 'nothing: header values are as captured'
    }</dd>`,
    '</dl></header>',
    summaryHtml(summarize(report.exchanges)),
    `<section id="blocked"><h2>Blocked (${blocked.length})</h2>`,
  );
  if (blocked.length === 0) out.push('<p class="empty">Nothing was blocked.</p>');
  for (const ex of blocked) {
    const reason = reasonOf(ex);
    out.push(
      `<article class="exchange"><h3>${exchangeTitle(ex)}</h3>`,
      reason ? '' : '<p class="empty">No rule explains this block (the engine found no error).</p>',
      exchangeBody(ex),
      '</article>',
    );
  }
  out.push(`</section><section id="other"><h2>Other exchanges (${other.length})</h2>`);
  if (other.length === 0) out.push('<p class="empty">None.</p>');
  for (const ex of other) {
    const first = ex.findings[0];
    const note = first ? ` · ${esc(describeFinding(first).title)}` : '';
    out.push(
      `<details class="exchange"><summary>${exchangeTitle(ex)} · <span class="mono">${val(statusText(ex))}</span>${note}</summary>`,
      `<div class="body">${exchangeBody(ex)}</div></details>`,
    );
  }
  out.push(
    '</section>',
    `<footer>Schema <span class="mono">${esc(report.schema)}</span> version ${esc(String(report.version))}. Rules: <a href="https://fetch.spec.whatwg.org/#http-cors-protocol" rel="noreferrer">Fetch Standard, CORS protocol</a>.</footer>`,
    '</body></html>\n',
  );
  return out.join('');
}
