/**
 * The shape of one catalogue entry and the values its templates quote.
 */
import type { Severity, Stage } from './types';

export const SPEC = 'https://fetch.spec.whatwg.org/';

/** The values seen in one exchange, quoted by the detail and fix templates. */
export interface FindingParams {
  /** The origin the browser sent and compared (`null` after a tainting redirect). */
  origin: string;
  /** The URL whose response is at fault. */
  url: string;
  /** Its path, as a server route ("/api/data"). */
  path: string;
  /** The request's method (normalized). */
  method: string;
  /** The credentials mode, as inferred. */
  credentials: 'include' | 'omit-or-same-origin' | null;
  /** The value of the header at fault as received; null when it was absent. */
  received?: string | null;
  /** `Access-Control-Allow-Credentials` as received. */
  allowCredentials?: string | null;
  /** The request header at fault. */
  header?: string;
  /** Every header name the preflight asked for (lower-case, sorted). */
  requestedHeaders?: readonly string[];
  allowMethods?: string | null;
  allowHeaders?: string | null;
  status?: number;
  location?: string;
  /** The browser's error string (`net::ERR_CONNECTION_REFUSED`). */
  error?: string;
  /** Where the browser stopped the exchange, when a rule's wording depends on it. */
  stage?: 'preflight' | 'actual' | 'redirect';
  /** A note where Chrome departs from the spec, added to the detail. */
  note?: string;
  /** Which part of an almost-matching origin differs ("the port: 5173 here, 3000 allowed"). */
  difference?: string;
  /** The shared-cache headers seen (`Age: 120, X-Cache: HIT`). */
  cacheHeaders?: string;
}

export interface CatalogueEntry {
  /** Stable kebab-case id. */
  id: string;
  severity: Severity;
  /** Where the rule applies; the CORS check also runs on redirects (stage `redirect`). */
  stage: Stage;
  /** Chrome's `Network.CorsError` name, or null. */
  chromeCorsError: string | null;
  /** Firefox's console reason (`CORSMissingAllowOrigin`...), or null. */
  firefoxReason: string | null;
  /** Fetch Standard URL with anchor. */
  spec: string;
  /** One line. */
  title: string;
  /** False for rules an HTTP response alone cannot trigger (listed so Chrome's name is known). */
  reachable: boolean;
  /** The entry a browser-contradicted error is reported as, when not itself. */
  demotesTo?: string;
  detail(p: FindingParams): string;
  fix(p: FindingParams): string;
}

/**
 * `Name: value` in code quotes, or "no `Name` header".
 * @see https://fetch.spec.whatwg.org/#concept-header
 */
export function quoteHeader(name: string, value: string | null | undefined): string {
  return value === null || value === undefined ? `no \`${name}\` header` : `\`${name}: ${value}\``;
}

/**
 * "the OPTIONS response of /path" / "the GET response of /path".
 * @see https://fetch.spec.whatwg.org/#concept-response
 */
export function responseOf(method: string, path: string): string {
  return `the ${method} response of ${path}`;
}

/**
 * The `Access-Control-Allow-Origin` line naming the request's origin.
 * @see https://fetch.spec.whatwg.org/#http-access-control-allow-origin
 */
export function allowOriginLine(p: FindingParams): string {
  return `\`Access-Control-Allow-Origin: ${p.origin}\``;
}

/**
 * " and `Access-Control-Allow-Credentials: true`" when credentials are included.
 * @see https://fetch.spec.whatwg.org/#http-access-control-allow-credentials
 */
export function credentialsLine(p: FindingParams): string {
  return p.credentials === 'include' ? ' and `Access-Control-Allow-Credentials: true`' : '';
}

/**
 * The detail text followed by the Chrome-vs-spec note, when there is one.
 * @see https://fetch.spec.whatwg.org/#http-cors-protocol
 */
export function withNote(text: string, p: FindingParams): string {
  return p.note ? `${text} ${p.note}` : text;
}

function tokens(value: string | null | undefined): string[] {
  if (!value) return [];
  return value.split(',').map((t) => t.trim()).filter((t) => t.length > 0);
}

/**
 * `Access-Control-Allow-Methods` that also allows `p.method` (existing entries kept).
 * @see https://fetch.spec.whatwg.org/#http-access-control-allow-methods
 */
export function allowMethodsLine(p: FindingParams): string {
  const existing = tokens(p.allowMethods).filter((m) => m !== '*' || p.credentials !== 'include');
  const list = existing.includes(p.method) ? existing : [...existing, p.method];
  return `\`Access-Control-Allow-Methods: ${list.join(', ')}\``;
}

/**
 * `Access-Control-Allow-Headers` that also allows every requested header (existing entries kept).
 * @see https://fetch.spec.whatwg.org/#http-access-control-allow-headers
 */
export function allowHeadersLine(p: FindingParams): string {
  const existing = tokens(p.allowHeaders).filter((h) => h !== '*' || p.credentials !== 'include');
  const lower = existing.map((h) => h.toLowerCase());
  const list = [...existing];
  for (const h of p.requestedHeaders ?? []) if (!lower.includes(h)) list.push(h);
  return `\`Access-Control-Allow-Headers: ${list.join(', ')}\``;
}

const SAFELISTED_METHODS = ['GET', 'HEAD', 'POST'];

/**
 * Every header line a preflight answer for `p` needs and lacks, so that fixing
 * one failure does not uncover the next (a bare 404 also needs the methods and headers).
 * @see https://fetch.spec.whatwg.org/#cors-preflight-fetch-0
 */
export function preflightFixLines(p: FindingParams, includeOrigin: boolean): string[] {
  const lines: string[] = [];
  if (includeOrigin) lines.push(allowOriginLine(p));
  if (p.credentials === 'include' && p.allowCredentials !== 'true') lines.push('`Access-Control-Allow-Credentials: true`');
  const methods = tokens(p.allowMethods);
  const methodOk = SAFELISTED_METHODS.includes(p.method) || methods.includes(p.method) || (p.credentials !== 'include' && methods.includes('*'));
  if (!methodOk) lines.push(allowMethodsLine(p));
  const allowed = tokens(p.allowHeaders).map((h) => h.toLowerCase());
  const wildcard = p.credentials !== 'include' && allowed.includes('*');
  const missing = (p.requestedHeaders ?? []).filter((h) => !allowed.includes(h) && !(wildcard && h !== 'authorization'));
  if (missing.length > 0) lines.push(allowHeadersLine(p));
  return lines;
}

/**
 * "a, b and c": formatting only.
 * @see https://fetch.spec.whatwg.org/#http-cors-protocol
 */
export function joinAnd(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * The fix for a preflight: add the missing lines, and answer with 204 if the status is not ok.
 * @see https://fetch.spec.whatwg.org/#cors-preflight-fetch-0
 */
export function preflightFix(p: FindingParams, includeOrigin: boolean): string {
  const lines = preflightFixLines(p, includeOrigin);
  const statusOk = p.status !== undefined && p.status >= 200 && p.status <= 299;
  if (!statusOk) {
    const withLines = lines.length > 0 ? ` with ${joinAnd(lines)}` : '';
    return `Answer OPTIONS ${p.path} with status 204${withLines} (it was ${p.status ?? 'not answered'}).`;
  }
  if (lines.length === 0) return `Check the OPTIONS response of ${p.path}.`;
  return `Add ${joinAnd(lines)} to the OPTIONS response of ${p.path}.`;
}
