import type { Exchange } from '../traffic/exchange';
import type { Finding } from '../cors/types';
import type { TextRun } from '../cors/describe';
import { findingCell } from './answer';
import { preflightCacheCell } from './preflight-cache';

/** What one row of the table shows: plain strings, computed once per exchange. */
export interface Row {
  id: string;
  name: string;
  /** Path and query, shown first: with two origins in play the host comes second. */
  path: string;
  host: string;
  /** Full URL, for the tooltip. */
  url: string;
  method: string;
  status: string;
  /** The status is a failure (an error, a 4xx/5xx): only then is it shown in red. */
  statusBad: boolean;
  preflight: string;
  verdict: string;
  finding: string;
  time: string;
  /** Severity class of the row: the verdict, or "warning" for an allowed exchange with warnings. */
  tone: 'blocked' | 'warning' | 'allowed' | 'other';
}

/** `host/path?query`: the Network panel shows the last path segment; with two origins in play the host matters. */
export function nameOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}${u.search}`;
  } catch {
    return url;
  }
}

function splitUrl(url: string): { path: string; host: string } {
  try {
    const u = new URL(url);
    return { path: `${u.pathname}${u.search}`, host: u.host };
  } catch {
    return { path: url, host: '' };
  }
}

export function statusCell(ex: Exchange): string {
  if (ex.response?.statusCode !== undefined) return String(ex.response.statusCode);
  // As the Network panel says it: a CORS block is a "CORS error", anything else "(failed) net::...".
  if (ex.error) return ex.verdict === 'blocked' ? 'CORS error' : `(failed) ${ex.error}`;
  return '(pending)';
}

/** sent 204 / cached / missing / none. */
export function preflightCell(ex: Exchange): string {
  const p = ex.preflight;
  if (!p) return 'none';
  if (p.observed !== 'sent') return preflightCacheCell(ex) ?? p.observed;
  if (p.response?.statusCode !== undefined) return `sent ${p.response.statusCode}`;
  return p.error ? `sent (${p.error})` : 'sent';
}

export const VERDICT_LABEL: Record<Exchange['verdict'], string> = {
  allowed: 'allowed',
  blocked: 'blocked',
  'not-cors': 'not CORS',
  'failed-before-cors': 'failed before CORS',
  unknown: 'unknown',
};

/** The finding a row is about: the first error (the reason for a block), else the first warning. */
export function leadFinding(ex: Exchange): Finding | undefined {
  return ex.findings.find((f) => f.severity === 'error') ?? ex.findings[0];
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Local wall-clock time with milliseconds, like the Network panel's waterfall tooltips. */
export function timeCell(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

function toneOf(ex: Exchange): Row['tone'] {
  if (ex.verdict === 'blocked') return 'blocked';
  if (ex.findings.some((f) => f.severity === 'warning')) return 'warning';
  if (ex.verdict === 'allowed') return 'allowed';
  return 'other';
}

const rowCache = new WeakMap<Exchange, Row>();

/** Exchanges are replaced, never mutated, on update: the row of an unchanged exchange is reused. */
export function rowOf(ex: Exchange): Row {
  const cached = rowCache.get(ex);
  if (cached) return cached;
  const row: Row = {
    id: ex.id,
    name: nameOf(ex.url),
    ...splitUrl(ex.url),
    url: ex.url,
    method: ex.method,
    status: statusCell(ex),
    statusBad: ex.response?.statusCode !== undefined ? ex.response.statusCode >= 400 : ex.error !== null,
    preflight: preflightCell(ex),
    verdict: VERDICT_LABEL[ex.verdict] ?? ex.verdict,
    finding: findingCell(ex),
    time: timeCell(ex.startedAt),
    tone: toneOf(ex),
  };
  rowCache.set(ex, row);
  return row;
}

/** "in 1 h 59 min", "expired 3 s ago": relative to `now`, which the caller passes in. */
export function expiryText(expiresAt: number, now: number): string {
  const delta = Math.round((expiresAt - now) / 1000);
  const span = (s: number) => (s >= 3600 ? `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min` : s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`);
  return delta >= 0 ? `in ${span(delta)}` : `expired ${span(-delta)} ago`;
}

/** What "Copy fix" copies: the exact header line when the fix names one, else the whole fix as plain text. */
export function fixToCopy(fix: readonly TextRun[]): string {
  return fix.find((s) => s.code)?.text ?? fix.map((s) => s.text).join('');
}

/** Names of the Fetch Standard sections the catalogue links to, as the standard titles them. */
const SPEC_SECTIONS: Record<string, string> = {
  'concept-cors-check': 'CORS check',
  'cors-preflight-fetch-0': 'CORS-preflight fetch',
  'cors-protocol-and-credentials': 'CORS protocol and credentials',
  'cors-protocol-and-http-caches': 'CORS protocol and HTTP caches',
  'concept-network-error': 'network error',
  'main-fetch': 'main fetch',
  'concept-http-redirect-fetch': 'HTTP-redirect fetch',
  'cors-non-wildcard-request-header-name': 'CORS non-wildcard request-header name',
  'http-cors-protocol': 'CORS protocol',
};

/** "Fetch Standard: CORS check" rather than a raw anchor; other documents by their host and section. */
export function specLinkText(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  const anchor = u.hash.slice(1);
  const header = /^http-(access-control-[a-z-]+)$/.exec(anchor);
  const section = SPEC_SECTIONS[anchor] ?? (header ? `the ${header[1]!.replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase())} header` : anchor.replace(/^concept-/, '').replace(/-\d+$/, '').replace(/-/g, ' '));
  const draft = u.pathname.split('/').filter(Boolean)[0] ?? '';
  const doc = u.host === 'fetch.spec.whatwg.org' ? 'Fetch Standard' : u.host === 'wicg.github.io' && draft ? `WICG draft: ${draft.replace(/-/g, ' ')}` : u.host;
  return section ? `${doc}: ${section}` : doc;
}
