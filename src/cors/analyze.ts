/**
 * The engine's entry point: one observed exchange in, the verdict, the
 * findings (errors first) and the inferences out.
 */
import { isLocalAddressHost } from './address-space';
import { catalogueEntry, makeFinding } from './catalogue';
import { baseParams, firstHit, type ExchangeContext, type Hit } from './evaluate';
import { getHeader, hasHeader, splitList } from './header-list';
import { normalizeMethod } from './methods';
import { urlFacts } from './origin';
import { preflightReasonsFor } from './preflight-required';
import { corsUnsafeRequestHeaders, sortedLowercaseSet, type UnsafeHeader } from './request-headers';
import { decideCredentials, decideMode, type ModeDecision } from './inference';
import { likelyCauses } from './likely-cause';
import type { InferenceNote } from './inference-rules';
import { note } from './reasons';
import type { Analysis, Credentials, Finding, Inferred, Observation, ReasonValues } from './types';
import { warningsFor } from './warnings';

/** How Chrome reports every CORS failure to webRequest. */
export const CORS_FAILURE_ERROR = 'net::ERR_FAILED';
/** Chrome's error string when its local network access check refuses a request. */
export const LOCAL_NETWORK_ERROR = 'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS';

/** Network errors that happen after the request was sent to the server. */
const AFTER_SENT: ReadonlySet<string> = new Set([
  'net::ERR_EMPTY_RESPONSE', 'net::ERR_CONNECTION_CLOSED', 'net::ERR_INVALID_HTTP_RESPONSE',
  'net::ERR_CONTENT_LENGTH_MISMATCH', 'net::ERR_INCOMPLETE_CHUNKED_ENCODING', 'net::ERR_INVALID_CHUNKED_ENCODING',
  'net::ERR_RESPONSE_HEADERS_TOO_BIG', 'net::ERR_HTTP2_PROTOCOL_ERROR', 'net::ERR_CONTENT_DECODING_FAILED',
  'net::ERR_RESPONSE_HEADERS_MULTIPLE_CONTENT_LENGTH', 'net::ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION',
  'net::ERR_TOO_MANY_REDIRECTS', 'net::ERR_UNSAFE_REDIRECT', 'net::ERR_INVALID_REDIRECT',
]);

/** The serialized origin the request was made from; "null" when opaque or unknown. */
function requestOrigin(o: Observation): string {
  if (o.initiatorOrigin) return o.initiatorOrigin;
  return getHeader(o.request?.headers, 'origin') ?? getHeader(o.preflight?.request?.headers, 'origin') ?? 'null';
}

function buildContext(o: Observation, unsafe: readonly UnsafeHeader[]): ExchangeContext {
  const method = normalizeMethod(String(o.method));
  const pfHeaders = o.preflight?.request?.headers;
  const acrm = getHeader(pfHeaders, 'access-control-request-method');
  const acrh = getHeader(pfHeaders, 'access-control-request-headers');
  let names: string[];
  if (acrh !== null) names = [...new Set(splitList(acrh).map((n) => n.toLowerCase()))].sort();
  else if (pfHeaders) names = [];
  else names = sortedLowercaseSet(unsafe);
  return {
    o,
    origin: requestOrigin(o),
    target: urlFacts(String(o.url)),
    method,
    preflightMethod: acrm ?? method,
    preflightHeaderNames: names,
  };
}

/** Whether a preflight was needed, and why, in the product's words. */
function preflightInfo(ctx: ExchangeContext, unsafe: readonly UnsafeHeader[]): Analysis['preflight'] {
  const { o } = ctx;
  const reasons = preflightReasonsFor(ctx.method, unsafe);
  const sent = o.preflight?.observed === 'sent';
  if (sent) {
    // The browser sent one: its Access-Control-Request-* headers say what for.
    if (ctx.preflightMethod !== ctx.method && !reasons.some((r) => r.startsWith('method '))) {
      reasons.unshift(`method ${ctx.preflightMethod} is not CORS-safelisted`);
    }
    for (const name of ctx.preflightHeaderNames) {
      if (unsafe.some((u) => u.name === name)) continue;
      reasons.push(name === 'content-type'
        ? 'header content-type is not CORS-safelisted with the value sent (only application/x-www-form-urlencoded, multipart/form-data and text/plain are)'
        : `header ${name} is not CORS-safelisted`);
    }
    if (reasons.length === 0) {
      reasons.push(`${ctx.o.browser === 'firefox' ? 'Firefox' : 'Chrome'} sent a preflight although the method and headers are CORS-safelisted (an XMLHttpRequest upload listener or a streamed request body also requires one)`);
    }
  }
  return { required: sent || reasons.length > 0, reasons };
}

/**
 * Whether the request itself (not its preflight) reached the server, and the rule that says so.
 * @see https://fetch.spec.whatwg.org/#http-network-fetch
 */
function reachedServer(o: Observation): { value: boolean; note: Inferred } {
  if (o.response) return { value: true, note: note('reached-response', o.response.statusCode !== undefined ? { status: o.response.statusCode } : {}) };
  if (o.redirects.length > 0) return { value: true, note: note('reached-response', { case: 'redirect', status: o.redirects[0]!.statusCode }) };
  if (o.error !== null && o.error !== CORS_FAILURE_ERROR && o.request !== null && AFTER_SENT.has(o.error)) {
    return { value: true, note: note('reached-error-after-sent', { error: o.error }) };
  }
  if (o.error !== null && o.request === null && o.preflight?.observed === 'sent' && o.preflight.response) {
    return { value: false, note: note('reached-stopped-by-preflight') };
  }
  if (o.error !== null) return { value: false, note: note('reached-failed-before-response', { error: o.error }) };
  return { value: false, note: note('reached-pending') };
}

/** Credentials as the analysis reports them: the value, and the reason as data with its text. */
function credentialsOf(value: Credentials['value'], inferred: boolean, n: InferenceNote): Credentials {
  return { value, inferred, why: n.why, rule: n.rule, values: n.values };
}

function cookieCredentials(o: Observation): Credentials | null {
  if (hasHeader(o.request?.headers, 'cookie')) return credentialsOf('include', true, note('credentials-cookie-sent'));
  if (hasHeader(o.request?.headers, 'sec-fetch-storage-access')) return credentialsOf('include', true, note('credentials-storage-access-sent'));
  return null;
}

/** Why the credentials mode does not matter here: a case of `credentials-not-cors` (reasons.ts words it). */
function notRelevant(o: Observation, why: ReasonValues): Credentials {
  return cookieCredentials(o) ?? credentialsOf(null, false, note('credentials-not-cors', why));
}

function toFinding(hit: Hit): Finding {
  return makeFinding(hit.id, hit.params(), hit.failedParameter, hit.stage);
}

/** An error the browser contradicted (it did not fail the request): reported as a warning. */
function demote(hit: Hit): Finding {
  const entry = catalogueEntry(hit.id);
  if (entry.demotesTo) return makeFinding(entry.demotesTo, hit.params(), null, hit.stage);
  const f = toFinding(hit);
  return { ...f, severity: 'warning', values: { ...f.values, contradicted: true } };
}

/** The parts of an analysis every path shares. */
interface Common {
  reached: { value: boolean; note: Inferred };
  preflight: Analysis['preflight'];
  mode: ModeDecision;
}

function finish(c: Common, verdict: Analysis['verdict'], findings: Finding[], credentials: Credentials): Analysis {
  return {
    verdict,
    findings,
    credentials,
    reachedServer: c.reached.value,
    preflight: c.preflight,
    mode: c.mode.mode,
    inferred: { mode: c.mode.note, reachedServer: c.reached.note },
  };
}

function notCors(ctx: ExchangeContext, c: Common, why: ReasonValues): Analysis {
  return finish(c, 'not-cors', [], notRelevant(ctx.o, why));
}

/**
 * Analyse one exchange: the verdict, the findings (errors first; the first
 * error is the reason Chrome blocked it and carries Chrome's CorsError), the
 * credentials mode (inferred), whether the request reached the server, and
 * whether a preflight was needed. Never throws; deterministic.
 * @see https://fetch.spec.whatwg.org/#main-fetch
 */
export function analyzeExchange(o: Observation): Analysis {
  const unsafe = o.request ? corsUnsafeRequestHeaders(o.request.headers) : [];
  const ctx = buildContext(o, unsafe);
  const preflight = preflightInfo(ctx, unsafe);
  const { target, origin } = ctx;
  const crossOrigin = target === null || target.origin !== origin || origin === 'null';
  const leavesOrigin = crossOrigin || o.redirects.some((r) => urlFacts(r.location, target?.href)?.origin !== origin);
  const c: Common = {
    reached: reachedServer(o),
    preflight,
    mode: decideMode(o, { crossOrigin: crossOrigin && target !== null, leavesOrigin: leavesOrigin && target !== null }, () => firstHit(ctx, false) !== null),
  };
  const mode = c.mode.mode;

  // Chrome's local network access check: reported as a CorsError, but decided by the
  // address spaces and a permission, not by headers (measured: the error arrives on the
  // request, or on its preflight when there is one).
  // webRequest reports the preflight's failure as a bare net::ERR_FAILED with no response; into a
  // private address that is only ever this check (a CORS failure of a preflight needs its answer).
  const preflightDiedLocally =
    o.preflight?.error === CORS_FAILURE_ERROR && !o.preflight.response && target !== null && isLocalAddressHost(new URL(target.href).hostname);
  const lnaStage =
    o.error === LOCAL_NETWORK_ERROR ? 'actual'
    : o.error === CORS_FAILURE_ERROR && (o.preflight?.error === LOCAL_NETWORK_ERROR || preflightDiedLocally) ? 'preflight'
    : null;
  if (lnaStage !== null) {
    const f = makeFinding('local-network-access-permission-denied', { ...baseParams(ctx, target, null), stage: lnaStage }, '', lnaStage);
    return finish(c, 'blocked', [f], notRelevant(o, { case: 'stopped-before-cors' }));
  }

  // A failure that is not CORS: another error string, on the request or its preflight.
  const pfError = o.preflight?.error ?? null;
  const netError = o.error !== null && o.error !== CORS_FAILURE_ERROR ? o.error
    : pfError !== null && pfError !== CORS_FAILURE_ERROR && !o.preflight?.response ? pfError : null;
  if (netError !== null) {
    const stage = o.error === netError ? 'actual' : 'preflight';
    const f = makeFinding('network-error', { ...baseParams(ctx, target, null), error: netError }, null, stage);
    return finish(c, 'failed-before-cors', [f], notRelevant(o, { case: 'failed-before-cors' }));
  }

  // Requests that are not CORS requests.
  if (mode === 'no-cors') {
    // Main fetch: a no-cors request may only follow redirects (Chrome: NoCorsRedirectModeNotFollow).
    if (o.error === CORS_FAILURE_ERROR && o.redirects.length > 0) {
      const r = o.redirects[0]!;
      const f = makeFinding('no-cors-redirect-mode-not-follow', { ...baseParams(ctx, target, null), status: r.statusCode, location: r.location }, '');
      return finish(c, 'blocked', [f], notRelevant(o, { case: 'no-cors-redirect' }));
    }
    return notCors(ctx, c, { case: 'no-cors' });
  }
  if (mode === 'navigate') return notCors(ctx, c, { case: 'navigate' });
  // Main fetch: data:, blob: and about: URLs are scheme fetches, never CORS.
  if (target && (target.scheme === 'data' || target.scheme === 'blob' || target.scheme === 'about')) {
    return notCors(ctx, c, { case: 'scheme', scheme: target.scheme });
  }
  if (mode === 'same-origin' && crossOrigin && target !== null && !(o.error === null && o.response !== null)) {
    // Main fetch: mode "same-origin" to another origin is a network error.
    return finish(c, 'blocked', [makeFinding('disallowed-by-mode', baseParams(ctx, target, null), '')], notRelevant(o, { case: 'stopped-before-sending' }));
  }
  if (!leavesOrigin) return notCors(ctx, c, { case: 'same-origin' });

  // A CORS request: the credentials mode from every observable, then the first failure under it.
  const d = decideCredentials(ctx);
  const credentials = credentialsOf(d.include === null ? null : d.include ? 'include' : 'omit-or-same-origin', true, d.note);
  const blockedByBrowser = o.error === CORS_FAILURE_ERROR;
  const allowedByBrowser = o.error === null && o.response !== null;
  let errors: Finding[] = [];
  let verdict: Analysis['verdict'];
  if (blockedByBrowser) {
    verdict = 'blocked';
    if (d.primary) {
      const f = toFinding(d.primary);
      if (d.alternative) f.values.alternativeWithCredentials = d.alternative.id;
      errors = [f];
    } else {
      errors = [makeFinding('unexplained-cors-failure', baseParams(ctx, target, d.include), null)];
    }
  } else if (allowedByBrowser) {
    verdict = 'allowed';
    errors = d.primary ? [demote(d.primary)] : [];
  } else {
    verdict = 'unknown';
    errors = d.primary && d.primary.stage === 'preflight' ? [toFinding(d.primary)] : [];
  }
  const warnings = warningsFor(ctx, d.include);
  const causes = errors[0] && errors[0].severity === 'error' ? likelyCauses(ctx, errors[0], d.include) : [];
  // Errors first: `errors` holds at most one finding, an error (or a demoted one, when the browser allowed it).
  return finish(c, verdict, [...errors, ...causes, ...warnings], credentials);
}

