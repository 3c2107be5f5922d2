/**
 * Local override: the response headers that would make a blocked exchange pass
 * the browser's CORS checks for exactly one page origin, and the mechanism that can
 * apply them (docs/override.md).
 *
 * Header rules (declarativeNetRequest) change headers, never a status or a redirect,
 * so a preflight answered with a non-2xx status or a redirect needs a rescue: the
 * preflight is answered in the browser (chrome.debugger, Fetch domain). A network
 * error, a redirect to a URL with credentials or a Local Network Access refusal is
 * no header at all: declined, with the server fix.
 * @see https://fetch.spec.whatwg.org/#http-cors-protocol
 */
import { catalogueEntryOrNull } from '../cors/catalogue';
import { findingProse } from '../cors/describe';
import { getHeader, parseTokenList } from '../cors/header-list';
import { isCorsSafelistedMethod, normalizeMethod } from '../cors/methods';
import { isCorsNonWildcardRequestHeaderName } from '../cors/request-headers';
import { originOf } from '../cors/origin';
import type { Credentials, Finding, Message, PreflightObserved, Redirect, Verdict } from '../cors/types';

/** What an override is computed from: an exchange as the report carries it (structurally). */
export interface OverrideSubject {
  url: string;
  method: string;
  initiatorOrigin: string | null;
  resourceType: string;
  redirects: readonly Redirect[];
  credentials: Credentials;
  preflight: null | { required: boolean; observed: PreflightObserved; request: Message; response: Message | null; error: string | null };
  response: Message | null;
  error: string | null;
  verdict: Verdict;
  findings: readonly Finding[];
}

/** One response header the override sets (name lower-case, as DNR and the capture use). */
export interface HeaderLine {
  name: string;
  value: string;
  /**
   * True when the server's own line was not at fault and the override sets it only to stay
   * exact (Allow-Origin: the page's origin, so no other initiator passes): the server fix keeps it.
   */
  scope?: boolean;
}

/**
 * How the override applies its headers. `headers`: declarativeNetRequest session rules, no extra
 * permission. `rescue`: the optional debugger permission; the tab's requests to the target are
 * paused, the page origin's preflights answered 204, its actual responses given the headers.
 */
export type Mechanism = 'headers' | 'rescue';

/** What the server must answer, in library terms: the input of the server snippets. */
export interface ServerCors {
  origin: string;
  credentials: boolean;
  /** Every method to allow ([] when only safelisted methods are used). */
  methods: string[];
  /** Every request header to allow. */
  headers: string[];
  expose: string[];
  /** Whether the target answers preflights for this page. */
  preflight: boolean;
}

export interface OverridePlan {
  pageOrigin: string;
  targetOrigin: string;
  /** Absent in plans stored by an older version: `headers`. */
  mechanism?: Mechanism;
  /** Why this mechanism, in the user's words. */
  mechanismWhy?: string;
  /**
   * Headers set on OPTIONS (preflight) responses; empty when the preflight needs nothing.
   * For a rescue, the whole answer (status 204) to the page origin's preflights.
   */
  preflight: HeaderLine[];
  /** Headers set on every other response; empty when the actual response needs nothing. */
  actual: HeaderLine[];
  /** True when the actual request was never sent, so its headers were predicted, not read. */
  actualPredicted: boolean;
  /** True when the credentials mode is unknown and the plan assumes "include" (it works either way). */
  credentialsAssumed: boolean;
  server: ServerCors;
  /** The error findings the plan answers. */
  findingIds: string[];
}

export type OverrideAnswer =
  | { ok: true; plan: OverridePlan }
  | { ok: false; reason: 'not-blocked' | 'cannot'; why: string; serverFix: string | null };

/** What can fix a finding locally, from its catalogue entry (the one place that says so). */
function remedyOf(f: Finding): { remedy: 'headers' | 'rescue' | 'server'; why: string | null } {
  const e = catalogueEntryOrNull(f.id);
  if (!e) return { remedy: 'server', why: `${f.id} is not a rule this version knows how to fix locally` };
  return { remedy: e.remedy, why: e.whyNotHeaders ?? null };
}

/** Findings that say the request was sent with credentials (so Allow-Credentials is needed, not assumed). */
const NEEDS_CREDENTIALS: ReadonlySet<string> = new Set([
  'wildcard-origin-with-credentials',
  'invalid-allow-credentials',
  'preflight-wildcard-origin-with-credentials',
  'preflight-invalid-allow-credentials',
]);

const ORIGIN = 'access-control-allow-origin';
const CREDENTIALS = 'access-control-allow-credentials';
const METHODS = 'access-control-allow-methods';
const HEADERS = 'access-control-allow-headers';
const EXPOSE = 'access-control-expose-headers';

/** The origin of an http(s) URL: a header rule can only be made for those. */
function httpOrigin(url: string | null): string | null {
  const origin = url === null ? null : originOf(url);
  return origin !== null && (origin.startsWith('http://') || origin.startsWith('https://')) ? origin : null;
}

/** The server's list as tokens, or [] when absent or unparsable (then it is replaced, not merged). */
function tokensOf(headers: Message | null, name: string): { tokens: string[]; valid: boolean } {
  const parsed = parseTokenList(getHeader(headers?.headers, name));
  return parsed === null ? { tokens: [], valid: false } : { tokens: parsed, valid: true };
}

/** `a` followed by the items of `b` it lacks (compared case-insensitively when asked). */
function union(a: readonly string[], b: readonly string[], ci: boolean): string[] {
  const key = (s: string) => (ci ? s.toLowerCase() : s);
  const seen = new Set(a.map(key));
  const out = [...a];
  for (const x of b) {
    if (seen.has(key(x))) continue;
    seen.add(key(x));
    out.push(x);
  }
  return out;
}

/**
 * The Allow-Origin / Allow-Credentials lines a response needs to pass the CORS check.
 * @see https://fetch.spec.whatwg.org/#concept-cors-check
 */
function corsCheckLines(response: Message | null, origin: string, include: boolean, predicted: boolean): HeaderLine[] {
  const out: HeaderLine[] = [];
  const values = (response?.headers ?? []).filter(([n]) => n === ORIGIN).map(([, v]) => v.trim());
  // Step 2-4: exactly one value, `*` only without credentials, else byte-equal to the origin.
  const originOk = values.length === 1 && (values[0] === origin || (values[0] === '*' && !include));
  // Never `*`: the page's origin is right with and without credentials.
  if (predicted || !originOk) out.push({ name: ORIGIN, value: origin });
  // Step 5: with credentials, Allow-Credentials must be exactly `true`.
  if (include && (predicted || getHeader(response?.headers, CREDENTIALS) !== 'true')) out.push({ name: CREDENTIALS, value: 'true' });
  return out;
}

/**
 * A rule matches the page's host on every port and scheme (and its subdomains): so every
 * response it touches gets Allow-Origin set to the exact page origin, which every other
 * initiator then fails. Marked `scope` when the server's own line was not at fault.
 */
function exact(lines: HeaderLine[], origin: string): HeaderLine[] {
  if (lines.length === 0 || lines.some((l) => l.name === ORIGIN)) return lines;
  return [{ name: ORIGIN, value: origin, scope: true }, ...lines];
}

/**
 * The headers that make `subject` pass, or why an override cannot.
 * `expose` lists response headers the page wants to read (Access-Control-Expose-Headers).
 * @see https://fetch.spec.whatwg.org/#cors-preflight-fetch-0
 */
export function planOverride(subject: OverrideSubject, expose: readonly string[] = []): OverrideAnswer {
  const errors = subject.findings.filter((f) => f.severity === 'error');
  const serverFix = errors[0] ? findingProse(errors[0]).fix : null;
  const cannot = (why: string): OverrideAnswer => ({ ok: false, reason: 'cannot', why: `A local override cannot fix this: ${why}. Fix it on the server.`, serverFix });
  // A request that failed before any CORS check (a network error, Local Network Access) is declined with its reason.
  const declined = errors.find((f) => remedyOf(f).remedy === 'server');
  if (subject.verdict !== 'blocked' && declined) return cannot(remedyOf(declined).why ?? declined.id);
  if (subject.verdict !== 'blocked' || errors.length === 0) {
    return { ok: false, reason: 'not-blocked', why: 'The browser did not block this exchange: there is nothing to override.', serverFix };
  }
  let rescue = false;
  for (const f of errors) {
    const { remedy, why } = remedyOf(f);
    if (remedy === 'rescue') rescue = true;
    else if (remedy === 'server') return cannot(why ?? `${f.id} is not caused by a missing or wrong header`);
    if (f.stage === 'redirect') return cannot('the failing response is a redirect, and the override covers direct answers only');
  }
  if (subject.redirects.length > 0) return cannot('the request was redirected, and the override covers direct answers only');
  const pageOrigin = httpOrigin(subject.initiatorOrigin);
  if (pageOrigin === null || pageOrigin !== subject.initiatorOrigin) return cannot('the page has no http(s) origin to allow');
  const targetOrigin = httpOrigin(subject.url);
  if (targetOrigin === null) return cannot('the target is not an http(s) URL');
  const p = subject.preflight;
  const status = p?.response?.statusCode;
  if (p && p.observed === 'sent' && p.error !== null) return cannot(`the preflight failed (${p.error})`);
  if (p && p.observed === 'sent' && p.response && (status === undefined || status < 200 || status > 299)) rescue = true;
  if (rescue && !(p && p.observed === 'sent' && p.response)) return cannot('the preflight that failed was not seen, so its answer cannot be rebuilt');

  // Allow-Credentials only when the request is known (or shown by its failure) to carry
  // credentials: never added "in case". Unknown credentials still keep `*` out of the lists,
  // which is right either way.
  const withCredentials = subject.credentials.value === 'include' || errors.some((f) => NEEDS_CREDENTIALS.has(f.id));
  const include = subject.credentials.value !== 'omit-or-same-origin';
  const method = normalizeMethod(p ? (getHeader(p.request.headers, 'access-control-request-method') ?? subject.method) : subject.method);
  const requested = p ? (parseTokenList(getHeader(p.request.headers, 'access-control-request-headers')) ?? []).map((h) => h.toLowerCase()) : [];

  const preflight: HeaderLine[] = [];
  const server: ServerCors = { origin: pageOrigin, credentials: subject.credentials.value === 'include', methods: [], headers: [], expose: [], preflight: p !== null };
  if (p) {
    // A preflight that was not sent (answered from the cache) passed: it needs nothing.
    const sent = p.observed === 'sent' && p.response !== null;
    // A rescue answers the preflight itself: nothing of the server's answer is kept.
    const r = sent && !rescue ? p.response : null;
    if (sent) preflight.push(...corsCheckLines(r, pageOrigin, withCredentials, rescue));
    // Step 7.3-7.5 of the preflight fetch: the method and every requested header must be allowed.
    // A rescue repeats the server's own lists where they allow the request: nothing it did right changes.
    const lists = sent ? p.response : null;
    const m = tokensOf(lists, METHODS);
    const serverMethods = m.tokens.filter((t) => t !== '*' || !include);
    const methodOk = isCorsSafelistedMethod(method) || serverMethods.includes(method) || (!include && m.tokens.includes('*'));
    server.methods = union(serverMethods, isCorsSafelistedMethod(method) ? [] : [method], false);
    if (sent && (rescue ? !isCorsSafelistedMethod(method) : !m.valid || !methodOk)) preflight.push({ name: METHODS, value: union(serverMethods, [method], false).join(', ') });
    const h = tokensOf(lists, HEADERS);
    const serverHeaders = h.tokens.filter((t) => t !== '*' || !include);
    const allowed = new Set(h.tokens.map((t) => t.toLowerCase()));
    const wildcard = !include && allowed.has('*');
    const missing = requested.filter((x) => !allowed.has(x) && !(wildcard && !isCorsNonWildcardRequestHeaderName(x)));
    server.headers = union(serverHeaders.filter((t) => t !== '*'), requested, true);
    if (sent && (rescue ? requested.length > 0 : !h.valid || missing.length > 0)) preflight.push({ name: HEADERS, value: union(serverHeaders, missing, true).join(', ') });
  }

  // The actual request: its response is known when it was sent, else predicted (it must carry the origin too).
  const actualPredicted = subject.response === null;
  const actual = corsCheckLines(subject.response, pageOrigin, withCredentials, actualPredicted);
  const wanted = expose.map((x) => x.trim()).filter((x) => x.length > 0 && parseTokenList(x) !== null);
  if (wanted.length > 0) {
    const current = tokensOf(subject.response, EXPOSE).tokens;
    server.expose = union(current.filter((t) => t !== '*' || !include), wanted, true);
    actual.push({ name: EXPOSE, value: server.expose.join(', ') });
  }
  const credentialsAssumed = subject.credentials.value === null && withCredentials;
  const mechanism: Mechanism = rescue ? 'rescue' : 'headers';
  const plan: OverridePlan = {
    pageOrigin,
    targetOrigin,
    mechanism,
    mechanismWhy: rescue ? RESCUE_WHY : HEADERS_WHY,
    preflight: exact(preflight, pageOrigin),
    actual: exact(actual, pageOrigin),
    actualPredicted,
    credentialsAssumed,
    server,
    findingIds: errors.map((f) => f.id),
  };
  assertPlanSafe(plan);
  return { ok: true, plan };
}

const HEADERS_WHY = 'Only headers are wrong or missing: session rules of declarativeNetRequest set them, with no extra permission.';
const RESCUE_WHY =
  'The preflight was answered with a status or a redirect no header rule can change: the debugger is attached to this tab (rescue mode, which needs the debugger permission) and its preflights from this page origin are answered 204 in the browser.';

/** The mechanism of a plan (plans stored by an older version have none: header rules). */
export function mechanismOf(plan: Pick<OverridePlan, 'mechanism'>): Mechanism {
  return plan.mechanism === 'rescue' ? 'rescue' : 'headers';
}

/** A plan for the same origin pair that asks for everything either asks for (lists merged). */
export function mergePlans(a: OverridePlan, b: OverridePlan): OverridePlan {
  if (a.pageOrigin !== b.pageOrigin || a.targetOrigin !== b.targetOrigin) throw new Error('cors-lens: plans for different origin pairs');
  const mergeLines = (x: HeaderLine[], y: HeaderLine[]): HeaderLine[] => {
    const out = x.map((l) => ({ ...l }));
    for (const l of y) {
      const have = out.find((o) => o.name === l.name);
      if (!have) out.push({ ...l });
      else if (have.scope && !l.scope) delete have.scope;
      if (!have) continue;
      if (l.name === METHODS || l.name === HEADERS || l.name === EXPOSE) {
        have.value = union(have.value.split(',').map((s) => s.trim()), l.value.split(',').map((s) => s.trim()), l.name !== METHODS).join(', ');
      }
    }
    return out;
  };
  const server: ServerCors = {
    origin: a.server.origin,
    credentials: a.server.credentials || b.server.credentials,
    methods: union(a.server.methods, b.server.methods, false),
    headers: union(a.server.headers, b.server.headers, true),
    expose: union(a.server.expose, b.server.expose, true),
    preflight: a.server.preflight || b.server.preflight,
  };
  const rescue = mechanismOf(a) === 'rescue' || mechanismOf(b) === 'rescue';
  const plan: OverridePlan = {
    pageOrigin: a.pageOrigin,
    targetOrigin: a.targetOrigin,
    mechanism: rescue ? 'rescue' : 'headers',
    mechanismWhy: rescue ? RESCUE_WHY : HEADERS_WHY,
    preflight: mergeLines(a.preflight, b.preflight),
    actual: mergeLines(a.actual, b.actual),
    actualPredicted: a.actualPredicted || b.actualPredicted,
    credentialsAssumed: a.credentialsAssumed || b.credentialsAssumed,
    server,
    findingIds: union(a.findingIds, b.findingIds, false),
  };
  // With credentials anywhere, both sides need Allow-Credentials once the origin is set.
  assertPlanSafe(plan);
  return plan;
}

function assertPlanSafe(plan: OverridePlan): void {
  for (const l of [...plan.preflight, ...plan.actual]) {
    if (l.name === ORIGIN && l.value !== plan.pageOrigin) throw new Error(`cors-lens: override would allow ${l.value}, not the page's origin`);
    if (/[\r\n\0]/.test(l.value)) throw new Error('cors-lens: header value with a line break');
  }
}

/** `Access-Control-Allow-Origin` for display. */
export function displayHeaderName(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
}
