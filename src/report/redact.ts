import type { Finding, HeaderList, Message, ReasonValues } from '../cors/types';
import type { Exchange } from '../traffic/exchange';

/**
 * The one redaction step every output goes through: the JSON, HTML and Markdown exports, the
 * export API, Copy as Markdown, Copy as curl and the re-export of an opened report. docs/privacy.md
 * lists the defaults; keep the two in step (a unit test compares them).
 */

/** Header names whose values are credentials in common APIs: a developer would not want them in a bug tracker. */
export const DEFAULT_REDACTED: readonly string[] = [
  'cookie', 'set-cookie', 'authorization', 'proxy-authorization',
  'x-api-key', 'api-key', 'apikey', 'x-auth-token', 'x-access-token', 'x-refresh-token', 'x-session-token',
  'x-csrf-token', 'x-xsrf-token', 'x-csrftoken', 'csrf-token',
  'x-amz-security-token', 'x-goog-api-key', 'x-goog-iam-authorization-token',
  'ocp-apim-subscription-key', 'x-functions-key', 'private-token', 'x-vault-token', 'dpop',
  'x-hub-signature', 'x-hub-signature-256', 'cf-access-jwt-assertion', 'cf-access-token',
];

/** Query (and fragment) parameter names that carry secrets: OAuth, signed URLs (S3, GCS, Azure SAS), API keys. */
export const DEFAULT_REDACTED_PARAMS: readonly string[] = [
  'access_token', 'id_token', 'refresh_token', 'token', 'auth_token', 'oauth_token', 'oauth_signature',
  'code', 'code_verifier', 'client_secret', 'client_assertion', 'assertion',
  'key', 'api_key', 'apikey', 'api-key', 'sig', 'signature',
  'x-amz-signature', 'x-amz-credential', 'x-amz-security-token', 'x-goog-signature', 'x-goog-credential',
  'password', 'passwd', 'pwd', 'secret', 'session', 'sessionid', 'jwt',
];

/** Request and response headers whose value is a URL, so its secret parameters are redacted too. */
const URL_HEADERS: ReadonlySet<string> = new Set(['referer', 'location', 'content-location']);

/** What to hide: lower-case header names and lower-case query parameter names. Both empty: include secrets. */
export interface Redaction {
  headers: ReadonlySet<string>;
  params: ReadonlySet<string>;
}

export const NO_REDACTION: Redaction = { headers: new Set(), params: new Set() };

/** The marker keeps the length: "was a token sent at all, and how long" often matters when debugging. */
export function redactionMarker(value: string): string {
  return `[redacted: ${value.length} chars]`;
}

/** An RFC 9110 field-name token; anything else cannot be a header the browser sent. */
const FIELD_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;

/**
 * The names to redact: the defaults plus the ones the user added (the saved "Also redact" list),
 * trimmed, lower-cased (the capture lower-cases header names), deduplicated and sorted. Entries
 * that cannot be names (empty, spaces, a colon) are dropped rather than silently never matching.
 */
export function redactionNames(extra: readonly string[], defaults: readonly string[] = DEFAULT_REDACTED): string[] {
  const out = new Set<string>();
  for (const raw of [...defaults, ...extra]) {
    const name = raw.trim().toLowerCase();
    if (FIELD_NAME.test(name)) out.add(name);
  }
  return [...out].sort();
}

/**
 * The redaction for a choice: `redact` false includes every secret; otherwise the default header
 * and parameter names plus the user's own names, which may be either.
 */
export function redactionPolicy(redact: boolean, extra: readonly string[] = []): Redaction {
  if (!redact) return NO_REDACTION;
  return { headers: new Set(redactionNames(extra)), params: new Set(redactionNames(extra, DEFAULT_REDACTED_PARAMS)) };
}

/** Values shorter than this are not scrubbed from free text: "1" or "yes" would blank unrelated words. */
const MIN_SCRUBBED_LENGTH = 8;

function paramName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' ')).toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
}

/** `a=1&token=s3cret` → `a=1&token=[redacted: 6 chars]`; the text is otherwise kept byte for byte. */
function redactParams(part: string, params: ReadonlySet<string>, seen: string[]): string {
  return part
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0 || !params.has(paramName(pair.slice(0, eq)))) return pair;
      const value = pair.slice(eq + 1);
      if (value === '') return pair;
      if (value.length >= MIN_SCRUBBED_LENGTH) seen.push(value);
      return `${pair.slice(0, eq + 1)}${redactionMarker(value)}`;
    })
    .join('&');
}

/**
 * A URL with the values of secret parameters replaced, in the query and in the fragment (OAuth's
 * implicit flow puts `access_token` there). Not parsed with `URL`: what was captured is shown as
 * captured, only the secret values change.
 */
export function redactUrl(url: string, params: ReadonlySet<string>, seen: string[] = []): string {
  if (params.size === 0) return url;
  const hash = url.indexOf('#');
  const beforeHash = hash < 0 ? url : url.slice(0, hash);
  const q = beforeHash.indexOf('?');
  let out = q < 0 ? beforeHash : `${beforeHash.slice(0, q + 1)}${redactParams(beforeHash.slice(q + 1), params, seen)}`;
  if (hash >= 0) out += `#${redactParams(url.slice(hash + 1), params, seen)}`;
  return out;
}

/** A header list with secret values replaced; the same array when nothing changed. */
export function redactHeaders(headers: HeaderList, r: Redaction, seen: string[] = []): HeaderList {
  let out: HeaderList | null = null;
  for (let i = 0; i < headers.length; i++) {
    const [n, v] = headers[i]!;
    const name = n.toLowerCase();
    let value = v;
    if (r.headers.has(name)) {
      value = redactionMarker(v);
      if (v.length >= MIN_SCRUBBED_LENGTH) seen.push(v);
    } else if (URL_HEADERS.has(name)) value = redactUrl(v, r.params, seen);
    if (value !== v) {
      out ??= headers.slice();
      out[i] = [n, value];
    }
  }
  return out ?? headers;
}

function redactMessage<M extends Message | null | undefined>(m: M, r: Redaction, seen: string[]): M {
  if (!m) return m;
  const headers = redactHeaders(m.headers, r, seen);
  return (headers === m.headers ? m : { ...m, headers }) as M;
}

function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(redactionMarker(s));
  return out;
}

function scrubValue<T>(v: T, secrets: readonly string[]): T {
  if (typeof v === 'string') return scrub(v, secrets) as T;
  if (Array.isArray(v)) {
    const out = v.map((x) => scrubValue(x, secrets));
    return (out.some((x, i) => x !== v[i]) ? out : v) as T;
  }
  return v;
}

/**
 * A finding carries the values seen: a URL it quotes loses its secret parameters like every URL
 * field, and any value holding a redacted secret loses it too.
 */
function scrubFinding(f: Finding, secrets: readonly string[], r: Redaction): Finding {
  let values: Record<string, unknown> | null = null;
  for (const [k, v] of Object.entries(f.values)) {
    const url = (k === 'url' || k === 'location') && typeof v === 'string' ? redactUrl(v, r.params) : v;
    const w = scrubValue(url, secrets);
    if (w !== v) (values ??= { ...f.values })[k] = w;
  }
  const failedParameter = f.failedParameter === null ? null : scrub(f.failedParameter, secrets);
  if (values === null && failedParameter === f.failedParameter) return f;
  return { ...f, failedParameter, values: (values ?? f.values) as Finding['values'] };
}

/** A reason (the credentials', or an inferred field's) quotes values too: a redacted secret leaves its values and its text. */
function scrubReason<R extends { why: string; values?: ReasonValues | undefined }>(r: R, secrets: readonly string[]): R {
  const why = scrub(r.why, secrets);
  let values: Record<string, unknown> | null = null;
  for (const [k, v] of Object.entries(r.values ?? {})) {
    const w = scrubValue(v, secrets);
    if (w !== v) (values ??= { ...r.values })[k] = w;
  }
  if (values === null && why === r.why) return r;
  return { ...r, why, ...(values ? { values: values as ReasonValues } : {}) };
}

function asRedaction(r: Redaction | ReadonlySet<string>): Redaction {
  if ('headers' in r && 'params' in r) return r as Redaction;
  const headers = r as ReadonlySet<string>;
  // A bare set of header names (the report's `redacted` list) means "secrets hidden": parameters too.
  return { headers, params: headers.size === 0 ? new Set() : new Set(DEFAULT_REDACTED_PARAMS) };
}

/**
 * A copy of the exchange with secret header values and secret URL parameters replaced, in every
 * message and every URL field (request URL, redirect locations, Referer, Location); the original
 * is untouched.
 */
export function redactExchange(ex: Exchange, redaction: Redaction | ReadonlySet<string>): Exchange {
  const r = asRedaction(redaction);
  if (r.headers.size === 0 && r.params.size === 0) return ex;
  const seen: string[] = [];
  const out: Exchange = {
    ...ex,
    url: redactUrl(ex.url, r.params, seen),
    request: redactMessage(ex.request, r, seen),
    response: redactMessage(ex.response, r, seen),
    redirects: ex.redirects.map((d) => ({ ...d, location: redactUrl(d.location, r.params, seen), headers: redactHeaders(d.headers, r, seen) })),
    preflight: ex.preflight
      ? { ...ex.preflight, request: redactMessage(ex.preflight.request, r, seen), response: redactMessage(ex.preflight.response, r, seen) }
      : null,
  };
  if (ex.finalResponse) out.finalResponse = redactMessage(ex.finalResponse, r, seen);
  if (ex.preflight?.finalResponse && out.preflight) out.preflight.finalResponse = redactMessage(ex.preflight.finalResponse, r, seen);
  // Longest first, so a value that contains another is replaced whole.
  const secrets = [...new Set(seen)].sort((a, b) => b.length - a.length);
  out.findings = ex.findings.map((f) => scrubFinding(f, secrets, r));
  out.credentials = scrubReason(ex.credentials, secrets);
  if (ex.inferred) {
    const { mode, reachedServer, preflight } = ex.inferred;
    out.inferred = { mode: scrubReason(mode, secrets), reachedServer: scrubReason(reachedServer, secrets), ...(preflight ? { preflight: scrubReason(preflight, secrets) } : {}) };
  }
  return out;
}
