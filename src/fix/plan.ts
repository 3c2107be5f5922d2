/**
 * Local override: the response headers that would make a blocked exchange pass the browser's
 * CORS checks for exactly one page origin, and the mechanism that can apply them
 * (docs/override.md).
 *
 * Header rules (declarativeNetRequest) change headers, never a status or a redirect, and cannot
 * follow one request along its redirect chain: a preflight answered with a non-2xx status or a
 * redirect, or a redirected actual request, needs a rescue (chrome.debugger, Fetch domain). A
 * network error, a redirect to a URL with credentials or a Local Network Access refusal is no
 * header at all: declined, with the server fix.
 * @see https://fetch.spec.whatwg.org/#http-cors-protocol
 */
import { findingProse } from '../cors/describe';
import { getHeader, parseTokenList } from '../cors/header-list';
import { isCorsSafelistedMethod, normalizeMethod } from '../cors/methods';
import { isCorsNonWildcardRequestHeaderName } from '../cors/request-headers';
import type { Finding, Message } from '../cors/types';
import { HEADERS_WHY, REDIRECT_WHY, RESCUE_WHY, SHADOWED_WHY, remedyOf } from './mechanism';
import { namesOtherOriginOfHost } from './dnr';
import { CREDENTIALS, EXPOSE, HEADERS, METHODS, ORIGIN, assertPlanSafe, httpOrigin, union, type HeaderLine, type Mechanism, type OverrideAnswer, type OverridePlan, type OverrideSubject, type RedirectHops, type ServerCors } from './plan-types';
import { redirectChain } from './redirect-chain';

export * from './plan-types';
export { mechanismOf } from './mechanism';
export { mergePlans } from './merge';

/** Findings that say the request was sent with credentials (so Allow-Credentials is needed, not assumed). */
const NEEDS_CREDENTIALS: ReadonlySet<string> = new Set([
  'wildcard-origin-with-credentials',
  'invalid-allow-credentials',
  'preflight-wildcard-origin-with-credentials',
  'preflight-invalid-allow-credentials',
]);

/** The server's list as tokens, or [] when absent or unparsable (then it is replaced, not merged). */
function tokensOf(headers: Message | null, name: string): { tokens: string[]; valid: boolean } {
  const parsed = parseTokenList(getHeader(headers?.headers, name));
  return parsed === null ? { tokens: [], valid: false } : { tokens: parsed, valid: true };
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

/** The lines every response of `responses` needs, united (a null response: predicted). */
function linesForAll(responses: ReadonlyArray<Message | null>, origin: string, include: boolean): HeaderLine[] {
  let out: HeaderLine[] = [];
  for (const r of responses) for (const l of corsCheckLines(r, origin, include, r === null)) if (!out.some((o) => o.name === l.name)) out = [...out, l];
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

function cannotBecause(errors: readonly Finding[], subject: OverrideSubject): string | null {
  for (const f of errors) {
    const { remedy, why } = remedyOf(f);
    if (remedy === 'server') return why ?? `${f.id} is not caused by a missing or wrong header`;
  }
  const pageOrigin = httpOrigin(subject.initiatorOrigin);
  if (pageOrigin === null || pageOrigin !== subject.initiatorOrigin) return 'the page has no http(s) origin to allow';
  if (httpOrigin(subject.url) === null) return 'the target is not an http(s) URL';
  const p = subject.preflight;
  if (p && p.observed === 'sent' && p.error !== null) return `the preflight failed (${p.error})`;
  return null;
}

export interface PlanOptions {
  /**
   * Whether this browser's header rules leave alone a response naming another origin of the page's
   * host (`excludedResponseHeaders`: Chrome; Firefox refuses it). Then such a server needs a rescue.
   */
  rulesLeaveOtherOriginsOfHost?: boolean;
}

/**
 * The preflight's lines. Header rules: only what is wrong or missing. A rescue whose preflight
 * failed answers it itself (204): the exact origin and the server's own lists merged with what is
 * needed, so the fix never narrows them. Fills `server`'s lists.
 * @see https://fetch.spec.whatwg.org/#cors-preflight-fetch-0
 */
function preflightLines(
  p: NonNullable<OverrideSubject['preflight']>,
  c: { pageOrigin: string; withCredentials: boolean; include: boolean; rescue: boolean; preflightRescue: boolean; server: ServerCors; method: string },
): HeaderLine[] {
  // A preflight that was not sent (answered from the cache) passed: it needs nothing.
  const sent = p.observed === 'sent' && p.response !== null;
  const r = sent ? p.response : null;
  const method = normalizeMethod(getHeader(p.request.headers, 'access-control-request-method') ?? c.method);
  const requested = (parseTokenList(getHeader(p.request.headers, 'access-control-request-headers')) ?? []).map((h) => h.toLowerCase());
  // Step 7.3-7.5 of the preflight fetch: the method and every requested header must be allowed.
  const m = tokensOf(r, METHODS);
  const serverMethods = m.tokens.filter((t) => t !== '*' || !c.include);
  const methodOk = isCorsSafelistedMethod(method) || serverMethods.includes(method) || (!c.include && m.tokens.includes('*'));
  c.server.methods = union(serverMethods, isCorsSafelistedMethod(method) ? [] : [method], false);
  const h = tokensOf(r, HEADERS);
  const serverHeaders = h.tokens.filter((t) => t !== '*' || !c.include);
  const allowed = new Set(h.tokens.map((t) => t.toLowerCase()));
  const wildcard = !c.include && allowed.has('*');
  const missing = requested.filter((x) => !allowed.has(x) && !(wildcard && !isCorsNonWildcardRequestHeaderName(x)));
  c.server.headers = union(serverHeaders.filter((t) => t !== '*'), requested, true);
  const headers = union(serverHeaders, missing, true);
  if (!sent) return [];
  const fix: HeaderLine[] = [...corsCheckLines(r, c.pageOrigin, c.withCredentials, false)];
  if (!m.valid || !methodOk) fix.push({ name: METHODS, value: union(serverMethods, [method], false).join(', ') });
  if (!h.valid || missing.length > 0) fix.push({ name: HEADERS, value: headers.join(', ') });
  if (!c.rescue || (!c.preflightRescue && fix.length === 0)) return fix;
  const answer = corsCheckLines(null, c.pageOrigin, c.withCredentials, true);
  if (c.server.methods.length > 0) answer.push({ name: METHODS, value: c.server.methods.join(', ') });
  if (headers.length > 0) answer.push({ name: HEADERS, value: headers.join(', ') });
  return answer;
}

/**
 * The headers that make `subject` pass, or why an override cannot.
 * `expose` lists response headers the page wants to read (Access-Control-Expose-Headers).
 * @see https://fetch.spec.whatwg.org/#cors-preflight-fetch-0
 */
export function planOverride(subject: OverrideSubject, expose: readonly string[] = [], opts: PlanOptions = {}): OverrideAnswer {
  const errors = subject.findings.filter((f) => f.severity === 'error');
  const serverFix = errors[0] ? findingProse(errors[0]).fix : null;
  const cannot = (why: string): OverrideAnswer => ({ ok: false, reason: 'cannot', why: `A local override cannot fix this: ${why}. Fix it on the server.`, serverFix });
  // A request that failed before any CORS check (a network error, Local Network Access) is declined with its reason.
  const declined = errors.find((f) => remedyOf(f).remedy === 'server');
  if (subject.verdict !== 'blocked' && declined) return cannot(remedyOf(declined).why ?? declined.id);
  if (subject.verdict !== 'blocked' || errors.length === 0) {
    return { ok: false, reason: 'not-blocked', why: 'The browser did not block this exchange: there is nothing to override.', serverFix };
  }
  const refused = cannotBecause(errors, subject);
  if (refused !== null) return cannot(refused);
  const pageOrigin = subject.initiatorOrigin as string;
  const targetOrigin = httpOrigin(subject.url) as string;
  const p = subject.preflight;
  const sent = p !== null && p.observed === 'sent' && p.response !== null;
  const status = p?.response?.statusCode;
  // The preflight itself failed in a way no header can change: a non-2xx status or a redirect.
  const preflightRescue = errors.some((f) => remedyOf(f).remedy === 'rescue') || (sent && (status === undefined || status < 200 || status > 299));
  if (preflightRescue && !sent) return cannot('the preflight that failed was not seen, so its answer cannot be rebuilt');
  // A redirected request: only a rescue follows it, response by response.
  const chain = subject.redirects.length > 0 ? redirectChain(subject.url, pageOrigin, subject.redirects, subject.response, p !== null && p.required) : null;
  if (chain && !chain.ok) return cannot(chain.why);
  // A server naming another origin of the page's host: a header rule leaves such a response alone (dnr.ts).
  const targetResponses = chain?.ok ? chain.target : [subject.response];
  const shadowed = opts.rulesLeaveOtherOriginsOfHost !== false && [sent ? p!.response : null, ...targetResponses].some((r) => namesOtherOriginOfHost(r, pageOrigin));
  const rescue = preflightRescue || chain !== null || shadowed;

  // Allow-Credentials only when the request is known (or shown by its failure) to carry
  // credentials: never added "in case". Unknown credentials still keep `*` out of the lists,
  // which is right either way.
  const withCredentials = subject.credentials.value === 'include' || errors.some((f) => NEEDS_CREDENTIALS.has(f.id));
  const include = subject.credentials.value !== 'omit-or-same-origin';
  const server: ServerCors = { origin: pageOrigin, credentials: subject.credentials.value === 'include', methods: [], headers: [], expose: [], preflight: p !== null };
  const preflight = p ? preflightLines(p, { pageOrigin, withCredentials, include, rescue, preflightRescue, server, method: subject.method }) : [];

  // The actual request: its response is known when it was sent, else predicted (it must carry the origin too).
  const actualPredicted = subject.response === null;
  const actual = linesForAll(targetResponses, pageOrigin, withCredentials);
  const wanted = expose.map((x) => x.trim()).filter((x) => x.length > 0 && parseTokenList(x) !== null);
  const exposeLines: HeaderLine[] = [];
  if (wanted.length > 0) {
    const current = tokensOf(subject.response, EXPOSE).tokens;
    server.expose = union(current.filter((t) => t !== '*' || !include), wanted, true);
    exposeLines.push({ name: EXPOSE, value: server.expose.join(', ') });
  }
  // A redirect chain's later hops: the request's Origin is `null` there, so only `null` matches it
  // (each hop is told apart by the request's network id, never by its Origin: docs/override.md).
  const hops: RedirectHops | undefined =
    chain?.ok && chain.hops.length > 0
      ? { origins: chain.hopOrigins, headers: [{ name: ORIGIN, value: 'null' }, ...(withCredentials ? [{ name: CREDENTIALS, value: 'true' }] : []), ...exposeLines] }
      : undefined;
  const finalOnTarget = !chain?.ok || chain.hops.length === 0;
  if (finalOnTarget) actual.push(...exposeLines);
  const credentialsAssumed = subject.credentials.value === null && withCredentials;
  const mechanism: Mechanism = rescue ? 'rescue' : 'headers';
  const plan: OverridePlan = {
    pageOrigin,
    targetOrigin,
    mechanism,
    mechanismWhy: !rescue ? HEADERS_WHY : chain ? REDIRECT_WHY : preflightRescue ? RESCUE_WHY : SHADOWED_WHY,
    preflight: exact(preflight, pageOrigin),
    actual: exact(actual, pageOrigin),
    ...(hops ? { hops } : {}),
    actualPredicted,
    credentialsAssumed,
    server,
    findingIds: errors.map((f) => f.id),
  };
  assertPlanSafe(plan);
  return { ok: true, plan };
}
