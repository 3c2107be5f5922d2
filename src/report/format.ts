import { reasonRuns } from '../cors/reasons';
import { runs, type TextRun } from '../cors/text-runs';
import type { Credentials, Verdict } from '../cors/types';
import type { Exchange } from '../traffic/exchange';

/** Shared wording and value formatting for the HTML and Markdown renderings. */

export const VERDICT_LABEL: Record<Verdict, string> = {
  blocked: 'Blocked',
  allowed: 'Allowed',
  'not-cors': 'Not CORS',
  'failed-before-cors': 'Failed before CORS',
  unknown: 'Unknown',
};

export function verdictLabel(v: string): string {
  return Object.hasOwn(VERDICT_LABEL, v) ? VERDICT_LABEL[v as Verdict] : v;
}

/** ISO-8601 in UTC, or an em dash for a time that is not one. */
export function isoTime(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? '—' : d.toISOString();
}

/** The URL to put in an `href`, only for http(s) URLs; null for anything else (javascript:, data:...). */
export function httpUrl(text: string): string | null {
  if (!/^https?:\/\//i.test(text.trim())) return null;
  try {
    const u = new URL(text.trim());
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/**
 * Control characters made visible as Unicode control pictures (NUL → ␀, LF → ␊), and bidi
 * controls as `<U+202E>`, so a hostile header can neither hide nor reorder what a reader sees.
 * `keepLines` leaves line feeds (and tabs) alone, for prose.
 */
export function visibleControls(text: string, keepLines = false): string {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  return text.replace(/[\u0000-\u001f\u007f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    if (keepLines && (c === '\n' || c === '\t')) return c;
    if (code === 0x7f) return '\u2421';
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    return `<U+${code.toString(16).toUpperCase()}>`;
  });
}

/**
 * "include (inferred: the request carried a Cookie header)", as runs: the reason rendered from its
 * rule and values (src/cors/reasons.ts), so a value it quotes stays one run.
 */
export function credentialsRuns(c: Credentials): TextRun[] {
  // Undecided: the findings assume fetch()'s default, and the value says so (docs/inference.md).
  const value = c.value ?? (c.rule === 'credentials-undecided' ? 'not included (assumed)' : 'unknown');
  if (!c.why) return runs(c.inferred ? `${value} (inferred)` : value);
  // A stored reason may already be worded as an inference ("inferred: only ... explains ...").
  const prefix = c.inferred && c.value !== null && !/^inferred\b/i.test(c.why) ? 'inferred: ' : '';
  return runs(`${value} (${prefix}`, reasonRuns(c), ')');
}

/** The request's mode, with the rule that decided it when the browser did not say (Sec-Fetch-Mode). */
export function modeRuns(ex: Exchange): TextRun[] {
  const value = ex.mode ?? 'unknown';
  const note = ex.inferred?.mode;
  return note && note.rule !== 'mode-sec-fetch-mode' ? runs(`${value} (`, reasonRuns(note), ')') : runs(value);
}

/** The response whose headers decided the verdict: the overridden one when a local override rewrote it. */
export function statusText(ex: Exchange): string {
  const r = ex.finalResponse ?? ex.response;
  if (r?.statusCode !== undefined) return String(r.statusCode);
  return r ? '(no status)' : 'no response';
}

/** The finding that explains a block: the first error (docs/report.md). */
export function reasonOf(ex: Exchange): Exchange['findings'][number] | undefined {
  return ex.findings.find((f) => f.severity === 'error');
}

/** Whether a preflight has any headers worth showing (a cached or missing one usually has none). */
export function hasPreflightMessages(p: NonNullable<Exchange['preflight']>): boolean {
  return p.request.headers.length > 0 || p.response !== null || p.finalResponse !== undefined;
}

/** Blocked exchanges first, in capture order; the rest after, in capture order. */
export function partition(exchanges: readonly Exchange[]): { blocked: Exchange[]; other: Exchange[] } {
  const blocked: Exchange[] = [];
  const other: Exchange[] = [];
  for (const ex of exchanges) (ex.verdict === 'blocked' ? blocked : other).push(ex);
  return { blocked, other };
}
