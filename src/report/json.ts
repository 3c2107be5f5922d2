import type { Exchange } from '../traffic/exchange';
import { DEFAULT_REDACTED_PARAMS, redactExchange, redactUrl, type Redaction } from './redact';
import { REPORT_SCHEMA, REPORT_VERSION, type SessionReport } from './schema';
import { originOf } from '../cors/origin';

export interface ReportInput {
  exchanges: readonly Exchange[];
  tab: { id: number; url: string };
  browser: string;
  /** ISO-8601; handed in because the core has no clock. */
  exportedAt: string;
  /**
   * What to hide: a redaction policy, or just the lower-case header names (then the default secret
   * URL parameters go too unless the list is empty, which includes every secret).
   */
  redact: readonly string[] | Redaction;
}

/** The session report, schema `cors-lens/session` version 2. */
export function buildReport(input: ReportInput): SessionReport {
  const r: Redaction = isPolicy(input.redact)
    ? input.redact
    : { headers: new Set(input.redact.map((n) => n.toLowerCase())), params: new Set(input.redact.length ? DEFAULT_REDACTED_PARAMS : []) };
  const origin = originOf(input.tab.url);
  return {
    schema: REPORT_SCHEMA,
    version: REPORT_VERSION,
    exportedAt: input.exportedAt,
    browser: input.browser,
    tab: { id: input.tab.id, url: redactUrl(input.tab.url, r.params), origin },
    redacted: [...r.headers].sort(),
    exchanges: input.exchanges.map((ex) => redactExchange(ex, r)),
  };
}

function isPolicy(x: readonly string[] | Redaction): x is Redaction {
  return !Array.isArray(x);
}

/** `cors-session-<host>-<yyyymmdd-hhmmss>.<ext>`, in UTC so two machines name one moment alike. */
export function reportFileName(tabUrl: string, exportedAt: string, ext: string): string {
  let host = 'tab';
  try {
    host = new URL(tabUrl).host.replace(/[^a-zA-Z0-9.-]+/g, '_') || 'tab';
  } catch {
    host = 'tab';
  }
  const t = new Date(exportedAt);
  const stamp = Number.isNaN(t.getTime())
    ? exportedAt.replace(/[^0-9]+/g, '').slice(0, 14).replace(/^(\d{8})(?=\d)/, '$1-') || 'undated'
    : t.toISOString().replace(/\.\d+Z$/, '').replace(/[-:]/g, '').replace('T', '-');
  return `cors-session-${host}-${stamp}.${ext}`;
}
