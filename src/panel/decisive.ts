import type { Exchange } from '../traffic/exchange';
import { catalogueEntryOrNull } from '../cors/catalogue';
import type { Finding, HeaderList } from '../cors/types';

/**
 * Which header rows decided a finding: its catalogue entry's decisive headers (a response header
 * the rule reads is shown as a `(missing)` row when absent). Taken from the finding's id, never
 * from its prose: a word in an explanation is not evidence.
 */
interface Evidence {
  /** Response headers the rule reads. */
  response: readonly string[];
  /** Request headers (of the same stage's request) the rule compares them with. */
  request: readonly string[];
}

/** The catalogue entry's decisive headers; for an id this version does not know, the header Chrome named. */
export function evidenceOf(f: Finding): Evidence {
  const known = catalogueEntryOrNull(f.id)?.decisive;
  if (known) return known;
  const param = f.failedParameter?.toLowerCase().trim();
  return { response: [], request: param && /^[a-z0-9-]+$/.test(param) ? [param] : [] };
}

/** Decisive header names per message of one exchange. */
export interface Decisive {
  preflightRequest: Set<string>;
  preflightResponse: Set<string>;
  request: Set<string>;
  response: Set<string>;
}

/** The rows that decided the exchange's findings, per message (a preflight finding points at the preflight). */
export function decisiveOf(ex: Exchange): Decisive {
  const d: Decisive = { preflightRequest: new Set(), preflightResponse: new Set(), request: new Set(), response: new Set() };
  for (const f of ex.findings) {
    const e = evidenceOf(f);
    const pre = f.stage === 'preflight' && ex.preflight !== null;
    // A redirect's headers are not shown as a table: its finding points at no row.
    if (f.stage === 'redirect') continue;
    for (const h of e.response) (pre ? d.preflightResponse : d.response).add(h);
    for (const h of e.request) (pre ? d.preflightRequest : d.request).add(h);
  }
  return d;
}

/** All decisive names, for the copy and filter code that does not care which message. */
export function decisiveNames(ex: Exchange): Set<string> {
  const d = decisiveOf(ex);
  return new Set([...d.preflightRequest, ...d.preflightResponse, ...d.request, ...d.response]);
}

export interface HeaderRow {
  name: string;
  value: string;
  decisive: boolean;
  /** A decisive response header the response did not carry, shown as `(missing)`. */
  missing: boolean;
}

/** CORS headers before the rest: Accept or User-Agent is never what decided a CORS verdict. */
function rank(name: string, decisive: Set<string>): number {
  if (decisive.has(name)) return 0;
  if (name === 'origin' || name.startsWith('access-control-')) return 1;
  if (name === 'vary' || name === 'cookie' || name === 'authorization' || name.startsWith('sec-fetch-')) return 2;
  return 3;
}

/**
 * A message's rows as shown: decisive rows first, then other CORS headers, then the rest (each
 * group in the order received); a decisive response header that is absent becomes a `(missing)` row.
 */
export function headerRows(headers: HeaderList, decisive: Set<string>, isResponse: boolean): HeaderRow[] {
  const rows: HeaderRow[] = headers.map(([name, value]) => ({ name, value, decisive: decisive.has(name), missing: false }));
  if (isResponse) {
    const present = new Set(headers.map(([n]) => n));
    for (const name of decisive) if (!present.has(name)) rows.push({ name, value: '', decisive: true, missing: true });
  }
  return rows
    .map((r, i) => ({ r, i, k: rank(r.name, decisive) }))
    .sort((a, b) => a.k - b.k || a.i - b.i)
    .map((x) => x.r);
}

/**
 * Whether Chrome never sent this request: it was stopped by its preflight, so whatever request
 * headers the exchange holds were put there by the engine, not seen on the wire.
 */
export function neverSent(ex: Exchange): boolean {
  return !ex.reachedServer && ex.response === null && ex.findings.some((f) => f.severity === 'error' && f.stage === 'preflight');
}
