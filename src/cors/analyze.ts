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
import type { Analysis, Credentials, Finding, Observation } from './types';
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

const UNKNOWN_CREDENTIALS = 'unknown: the browser does not tell an extension the credentials mode, and the response satisfies both modes';

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
      reasons.push('Chrome sent a preflight although the method and headers are CORS-safelisted (an XMLHttpRequest upload listener or a streamed request body also requires one)');
    }
  }
  return { required: sent || reasons.length > 0, reasons };
}

function reachedServer(o: Observation): boolean {
  if (o.response) return true;
  if (o.redirects.length > 0) return true;
  if (o.error !== null && o.error !== CORS_FAILURE_ERROR) return o.request !== null && AFTER_SENT.has(o.error);
  return false;
}

function cookieCredentials(o: Observation): Credentials | null {
  return hasHeader(o.request?.headers, 'cookie')
    ? { value: 'include', inferred: true, why: 'credentials: include, inferred from the Cookie header' }
    : null;
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

function whyInclude(hit: Hit): string {
  if (hit.id === 'wildcard-origin-with-credentials' || hit.id === 'preflight-wildcard-origin-with-credentials') {
    return 'inferred: only credentials mode include explains why Chrome rejected `*`';
  }
  const entry = catalogueEntry(hit.id);
  return `inferred: only credentials mode include explains why Chrome failed the request (${entry.chromeCorsError ?? entry.id})`;
}

function notCors(ctx: ExchangeContext, preflight: Analysis['preflight'], why: string): Analysis {
  return {
    verdict: 'not-cors',
    findings: [],
    credentials: cookieCredentials(ctx.o) ?? { value: null, inferred: false, why },
    reachedServer: reachedServer(ctx.o),
    preflight,
  };
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
  const reached = reachedServer(o);
  const cookie = cookieCredentials(o);

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
    return {
      verdict: 'blocked',
      findings: [makeFinding('local-network-access-permission-denied', { ...baseParams(ctx, target, null), stage: lnaStage }, '', lnaStage)],
      credentials: cookie ?? { value: null, inferred: false, why: 'the request was stopped before any CORS rule applied' },
      reachedServer: reached,
      preflight,
    };
  }

  // A failure that is not CORS: another error string, on the request or its preflight.
  const pfError = o.preflight?.error ?? null;
  const netError = o.error !== null && o.error !== CORS_FAILURE_ERROR ? o.error
    : pfError !== null && pfError !== CORS_FAILURE_ERROR && !o.preflight?.response ? pfError : null;
  if (netError !== null) {
    const stage = o.error === netError ? 'actual' : 'preflight';
    return {
      verdict: 'failed-before-cors',
      findings: [makeFinding('network-error', { ...baseParams(ctx, target, null), error: netError }, null, stage)],
      credentials: cookie ?? { value: null, inferred: false, why: 'the request failed before any CORS rule applied' },
      reachedServer: reached,
      preflight,
    };
  }

  // Requests that are not CORS requests.
  const crossOrigin = target === null || target.origin !== origin || origin === 'null';
  const leavesOrigin = crossOrigin || o.redirects.some((r) => urlFacts(r.location, target?.href)?.origin !== origin);
  if (o.mode === 'no-cors') {
    // Main fetch: a no-cors request may only follow redirects (Chrome: NoCorsRedirectModeNotFollow).
    if (o.error === CORS_FAILURE_ERROR && o.redirects.length > 0) {
      const r = o.redirects[0]!;
      return {
        verdict: 'blocked',
        findings: [makeFinding('no-cors-redirect-mode-not-follow', { ...baseParams(ctx, target, null), status: r.statusCode, location: r.location }, '')],
        credentials: cookie ?? { value: null, inferred: false, why: 'not relevant: a no-cors request' },
        reachedServer: reached,
        preflight,
      };
    }
    return notCors(ctx, preflight, 'not a CORS request (mode no-cors): the response is opaque to the page');
  }
  if (o.mode === 'navigate') return notCors(ctx, preflight, 'not a CORS request (a navigation)');
  // Main fetch: data:, blob: and about: URLs are scheme fetches, never CORS.
  if (target && (target.scheme === 'data' || target.scheme === 'blob' || target.scheme === 'about')) {
    return notCors(ctx, preflight, `not a CORS request (a ${target.scheme}: URL)`);
  }
  if (o.mode === 'same-origin' && crossOrigin && target !== null && !(o.error === null && o.response !== null)) {
    // Main fetch: mode "same-origin" to another origin is a network error.
    return {
      verdict: 'blocked',
      findings: [makeFinding('disallowed-by-mode', baseParams(ctx, target, null), '')],
      credentials: cookie ?? { value: null, inferred: false, why: 'not relevant: the request was stopped before sending' },
      reachedServer: reached,
      preflight,
    };
  }
  if (!leavesOrigin) return notCors(ctx, preflight, 'not a CORS request: same origin');

  // A CORS request: evaluate the rules under the credentials mode(s) the browser may have used.
  const blockedByBrowser = o.error === CORS_FAILURE_ERROR;
  const allowedByBrowser = o.error === null && o.response !== null;
  let credentials: Credentials;
  let errors: Finding[] = [];
  let verdict: Analysis['verdict'];
  let include: boolean | null;

  if (cookie) {
    // The Cookie header proves credentials mode "include".
    credentials = cookie;
    include = true;
    const hit = firstHit(ctx, true);
    if (blockedByBrowser) {
      verdict = 'blocked';
      errors = [hit ? toFinding(hit) : makeFinding('unexplained-cors-failure', baseParams(ctx, target, true), null)];
    } else if (allowedByBrowser) {
      verdict = 'allowed';
      errors = hit ? [demote(hit)] : [];
    } else {
      verdict = 'unknown';
      errors = hit && hit.stage === 'preflight' ? [toFinding(hit)] : [];
    }
  } else {
    // Unknown: "include" fails on everything "omit" fails on, and more.
    const omitHit = firstHit(ctx, false);
    if (blockedByBrowser) {
      verdict = 'blocked';
      if (omitHit) {
        credentials = { value: null, inferred: true, why: 'the failure happens whatever the credentials mode' };
        include = null;
        const f = toFinding(omitHit);
        // Both modes fail; if they fail on different rules, say which one Chrome reports with credentials.
        const incHit = firstHit(ctx, true);
        if (incHit && incHit.id !== omitHit.id) f.values.alternativeWithCredentials = incHit.id;
        errors = [f];
      } else {
        const incHit = firstHit(ctx, true);
        if (incHit) {
          credentials = { value: 'include', inferred: true, why: whyInclude(incHit) };
          include = true;
          errors = [toFinding(incHit)];
        } else {
          credentials = { value: null, inferred: true, why: 'no credentials mode explains the failure' };
          include = null;
          errors = [makeFinding('unexplained-cors-failure', baseParams(ctx, target, null), null)];
        }
      }
    } else if (allowedByBrowser) {
      verdict = 'allowed';
      if (omitHit) {
        // Neither mode explains why the browser let it through: keep the browser's word.
        credentials = { value: null, inferred: true, why: 'the browser allowed a response the rules reject under either credentials mode' };
        include = null;
        errors = [demote(omitHit)];
      } else {
        const incHit = firstHit(ctx, true);
        if (incHit) {
          const entry = catalogueEntry(incHit.id);
          credentials = { value: 'omit-or-same-origin', inferred: true, why: `inferred: with credentials mode include Chrome would have failed it (${entry.chromeCorsError ?? entry.id}), and it did not` };
          include = false;
        } else {
          credentials = { value: null, inferred: true, why: UNKNOWN_CREDENTIALS };
          include = null;
        }
      }
    } else {
      verdict = 'unknown';
      credentials = { value: null, inferred: true, why: 'the request has not finished' };
      include = null;
      errors = omitHit && omitHit.stage === 'preflight' ? [toFinding(omitHit)] : [];
    }
  }

  const warnings = warningsFor(ctx, include);
  return {
    verdict,
    // Errors first: `errors` holds at most one finding, an error (or a demoted one, when the browser allowed it).
    findings: errors.length === 0 ? warnings : [...errors, ...warnings],
    credentials,
    reachedServer: reached,
    preflight,
  };
}
