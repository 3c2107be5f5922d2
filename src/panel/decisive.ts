import type { Exchange } from '../traffic/exchange';
import type { Finding, HeaderList } from '../cors/types';

/**
 * Which header rows decided a finding, per catalogue entry: the response header the rule reads
 * (shown as a `(missing)` row when absent) and the request header it answers. Taken from the
 * finding's id and failedParameter, never from its prose: a word in an explanation is not evidence.
 */
interface Evidence {
  /** Response headers the rule reads. */
  response: string[];
  /** Request headers (of the same stage's request) the rule compares them with. */
  request: string[];
}

const ALLOW_ORIGIN: Evidence = { response: ['access-control-allow-origin'], request: ['origin'] };

/** Keyed by catalogue id; the CORS-check entries also run on the preflight, as `preflight-<id>`. */
const EVIDENCE: Record<string, Evidence> = {
  // Absent, so the Origin it should have named is context, not the fault.
  'missing-allow-origin': { response: ['access-control-allow-origin'], request: [] },
  'wildcard-origin-with-credentials': { response: ['access-control-allow-origin'], request: [] },
  'multiple-allow-origin-values': ALLOW_ORIGIN,
  'invalid-allow-origin-value': ALLOW_ORIGIN,
  'allow-origin-mismatch': ALLOW_ORIGIN,
  'invalid-allow-credentials': { response: ['access-control-allow-credentials'], request: [] },
  // The status decides: it is in the headline and the response's heading, no header row is at fault.
  'preflight-invalid-status': { response: [], request: [] },
  'preflight-redirect': { response: ['location'], request: [] },
  'invalid-allow-methods': { response: ['access-control-allow-methods'], request: ['access-control-request-method'] },
  'method-not-allowed-by-preflight': { response: ['access-control-allow-methods'], request: ['access-control-request-method'] },
  'invalid-allow-headers': { response: ['access-control-allow-headers'], request: ['access-control-request-headers'] },
  'header-not-allowed-by-preflight': { response: ['access-control-allow-headers'], request: ['access-control-request-headers'] },
  'authorization-not-covered-by-wildcard': { response: ['access-control-allow-headers'], request: ['access-control-request-headers'] },
  'preflight-missing-allow-external': { response: ['access-control-allow-private-network'], request: ['access-control-request-private-network'] },
  'preflight-invalid-allow-external': { response: ['access-control-allow-private-network'], request: ['access-control-request-private-network'] },
  'redirect-contains-credentials': { response: ['location'], request: [] },
  'allow-origin-without-vary': { response: ['access-control-allow-origin', 'vary'], request: [] },
  'max-age-above-chrome-cap': { response: ['access-control-max-age'], request: [] },
  'max-age-unparsable': { response: ['access-control-max-age'], request: [] },
  'wildcard-relied-on-for-authorization': { response: ['access-control-allow-headers'], request: ['access-control-request-headers'] },
  'reflected-origin-with-credentials': { response: ['access-control-allow-origin', 'access-control-allow-credentials'], request: ['origin'] },
  'null-origin-allowed': { response: ['access-control-allow-origin'], request: ['origin'] },
};

/** Entries no header row decides (mode, scheme, network, local network access): nothing to highlight. */
export const NO_HEADER_EVIDENCE = [
  'disallowed-by-mode', 'invalid-response', 'cors-disabled-scheme', 'no-cors-redirect-mode-not-follow', 'insecure-local-network',
  'invalid-local-network-access', 'local-network-access-permission-denied', 'network-error', 'unexplained-cors-failure',
];

/** The catalogue ids this table knows (a test checks it covers the whole catalogue). */
export function knownEvidenceIds(): string[] {
  return [...Object.keys(EVIDENCE), ...NO_HEADER_EVIDENCE];
}

export function evidenceOf(f: Finding): Evidence {
  const known = EVIDENCE[f.id] ?? EVIDENCE[f.id.replace(/^preflight-/, '')];
  if (known) return known;
  // An entry this table does not know: the request header Chrome named as failedParameter, if any.
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
