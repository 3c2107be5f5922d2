/**
 * Inference from every observable: the engine runs the rules under each
 * credentials mode and keeps the one consistent with how far the browser got
 * (which stages it passed, where it stopped). The rule ids are those of
 * `inference-rules.ts`.
 */
import { catalogueEntry } from './catalogue';
import { firstHit, type ExchangeContext, type Hit } from './evaluate';
import { getHeader, hasHeader } from './header-list';
import type { InferenceNote } from './inference-rules';
import { isCorsSafelistedMethod, normalizeMethod } from './methods';
import { corsUnsafeRequestHeaders } from './request-headers';
import type { Observation, RequestMode } from './types';

/** How Chrome reports every CORS failure to webRequest. */
const CORS_FAILURE = 'net::ERR_FAILED';
/** Chrome's error when it cancels a request, as it does at a same-origin request's redirect to another origin. */
const ABORTED = 'net::ERR_ABORTED';

/**
 * How far the browser demonstrably got. Positions: 0 the preflight, 1 + i the
 * i-th redirect, 1 + redirects.length the final response.
 */
export interface Progress {
  outcome: 'allowed' | 'blocked' | 'pending';
  /** Every position below this one was passed. */
  passedBelow: number;
  /** Where a blocked request stopped, when the evidence says. */
  stoppedAt: number | null;
}

/** @see https://fetch.spec.whatwg.org/#main-fetch */
export function progressOf(o: Observation): Progress {
  const n = o.redirects.length;
  const preflightSent = o.preflight?.observed === 'sent';
  const outcome = o.error === CORS_FAILURE ? 'blocked' : o.error === null && o.response !== null ? 'allowed' : 'pending';
  let passedBelow: number;
  if (outcome === 'allowed') passedBelow = Number.POSITIVE_INFINITY;
  else if (o.response !== null) passedBelow = 1 + n;
  else if (n > 0) passedBelow = n;
  else if (o.request !== null) passedBelow = 1;
  else passedBelow = 0;
  let stoppedAt: number | null = null;
  if (outcome === 'blocked') {
    if (o.response !== null) stoppedAt = 1 + n;
    else if (n > 0) stoppedAt = n;
    else if (preflightSent && o.request === null && o.preflight?.response) stoppedAt = 0;
  }
  return { outcome, passedBelow, stoppedAt };
}

function position(o: Observation, hit: Hit): number {
  if (hit.stage === 'preflight') return 0;
  if (hit.stage === 'redirect') return 1 + (hit.hop ?? 0);
  return 1 + o.redirects.length;
}

/** Whether a first failure under one mode (or none) fits what the browser did. */
function fits(o: Observation, p: Progress, hit: Hit | null): boolean {
  if (p.outcome === 'allowed') return hit === null;
  if (hit === null) return p.outcome === 'pending';
  const pos = position(o, hit);
  if (pos < p.passedBelow) return false;
  return p.outcome === 'pending' || p.stoppedAt === null || pos === p.stoppedAt;
}

export interface CredentialsDecision {
  /** The mode decided; null when the evidence does not decide it (or contradicts both). */
  include: boolean | null;
  note: InferenceNote;
  /** The first failure to report: under the decided mode, else under the default (not included). */
  primary: Hit | null;
  /** The mode `primary` was evaluated under. */
  primaryInclude: boolean;
  /** Undecided only: the first failure with credentials, when it differs from the primary. */
  alternative: Hit | null;
}

/** The browser that reported the exchange, by name: Chrome unless the capture says Firefox. */
function who(o: Observation): string {
  return o.browser === 'firefox' ? 'Firefox' : 'Chrome';
}

/** A failure by the name that browser gives it: Chrome's CorsError, Firefox's console reason. */
function reasonName(o: Observation, hit: Hit): string {
  const e = catalogueEntry(hit.id);
  return (o.browser === 'firefox' ? e.firefoxReason : e.chromeCorsError) ?? e.id;
}

const WILDCARD_IDS: ReadonlySet<string> = new Set(['wildcard-origin-with-credentials', 'preflight-wildcard-origin-with-credentials']);
const ALLOW_CREDENTIALS_IDS: ReadonlySet<string> = new Set(['invalid-allow-credentials', 'preflight-invalid-allow-credentials']);

/** Why the mode is not "include": `incHit` is a failure under include at a stage the browser passed. */
function notIncluded(ctx: ExchangeContext, incHit: Hit): InferenceNote {
  const { o } = ctx;
  const sent = o.request !== null || o.response !== null || o.redirects.length > 0;
  if (incHit.stage === 'preflight') {
    const h = o.preflight?.response?.headers;
    const acac = getHeader(h, 'access-control-allow-credentials');
    const what = incHit.id === 'preflight-wildcard-origin-with-credentials' ? 'answered `Access-Control-Allow-Origin: *`'
      : incHit.id === 'preflight-invalid-allow-credentials'
        ? acac === null ? 'had no `Access-Control-Allow-Credentials`' : `said \`Access-Control-Allow-Credentials: ${acac}\``
        : `fails with credentials (${reasonName(o, incHit)})`;
    return { rule: 'credentials-preflight-passed', why: `the preflight ${what} and ${who(o)} ${sent ? `sent the ${ctx.method}` : 'went on'}` };
  }
  const where = incHit.stage === 'redirect' ? 'followed a redirect answered with' : 'accepted';
  if (WILDCARD_IDS.has(incHit.id)) return { rule: 'credentials-wildcard-accepted', why: `${who(o)} ${where} \`Access-Control-Allow-Origin: *\`` };
  if (ALLOW_CREDENTIALS_IDS.has(incHit.id)) {
    return { rule: 'credentials-accepted-without-allow-credentials', why: `${who(o)} ${where} an answer without \`Access-Control-Allow-Credentials: true\`` };
  }
  return { rule: 'credentials-accepted-without-allow-credentials', why: `with credentials ${who(o)} would have failed it (${reasonName(o, incHit)}), and it did not` };
}

/** Why the mode is "include": only `incHit` explains where the browser stopped. */
function included(o: Observation, incHit: Hit): InferenceNote {
  if (WILDCARD_IDS.has(incHit.id)) return { rule: 'credentials-wildcard-rejected', why: `only credentials explain why ${who(o)} rejected \`Access-Control-Allow-Origin: *\`` };
  if (ALLOW_CREDENTIALS_IDS.has(incHit.id)) {
    return { rule: 'credentials-allow-credentials-rejected', why: `only credentials explain why ${who(o)} failed it (${reasonName(o, incHit)})` };
  }
  return { rule: 'credentials-fails-only-with-credentials', why: `only credentials explain why ${who(o)} failed it (${reasonName(o, incHit)})` };
}

const undecidedWhy = (o: Observation) => `not decided: what ${who(o)} did fits both modes; shown as the default of fetch() and XMLHttpRequest (not included)`;

/**
 * The credentials mode of a CORS request, from every observable, and the first
 * failure to report.
 * @see https://fetch.spec.whatwg.org/#cors-protocol-and-credentials
 */
export function decideCredentials(ctx: ExchangeContext): CredentialsDecision {
  const { o } = ctx;
  const p = progressOf(o);
  const incHit = firstHit(ctx, true);
  if (hasHeader(o.request?.headers, 'cookie')) {
    return { include: true, note: { rule: 'credentials-cookie-sent', why: 'the request carried a Cookie header' }, primary: incHit, primaryInclude: true, alternative: null };
  }
  const omitHit = firstHit(ctx, false);
  const omitFits = fits(o, p, omitHit);
  const incFits = fits(o, p, incHit);
  if (incFits && !omitFits && incHit) {
    return { include: true, note: included(o, incHit), primary: incHit, primaryInclude: true, alternative: null };
  }
  // After what the browser did, so that a failure it reported keeps the rule that names it; decisive
  // where the browser says nothing (Firefox reports no error for a response that fails the CORS check).
  if (hasHeader(o.request?.headers, 'sec-fetch-storage-access')) {
    return { include: true, note: { rule: 'credentials-storage-access-sent', why: 'the request carried a Sec-Fetch-Storage-Access header, sent only with credentials' }, primary: incHit, primaryInclude: true, alternative: null };
  }
  if (omitFits && !incFits && incHit) {
    return { include: false, note: notIncluded(ctx, incHit), primary: omitHit, primaryInclude: false, alternative: null };
  }
  if (omitFits && incFits) {
    const differs = incHit !== null && (omitHit === null || incHit.id !== omitHit.id);
    const alt = differs && incHit ? incHit : null;
    const why = alt ? `${undecidedWhy(o)}; if this request sends credentials, ${who(o)} reports ${reasonName(o, alt)} instead` : undecidedWhy(o);
    return { include: null, note: { rule: 'credentials-undecided', why }, primary: omitHit, primaryInclude: false, alternative: alt };
  }
  return {
    include: null,
    note: { rule: 'credentials-contradicted', why: `unknown: neither credentials mode explains what ${who(o)} did` },
    primary: omitHit ?? incHit,
    primaryInclude: omitHit === null && incHit !== null,
    alternative: null,
  };
}

const MODES: ReadonlySet<string> = new Set(['cors', 'no-cors', 'navigate', 'same-origin']);

/** The request's mode and the rule that decided it. */
export interface ModeDecision {
  mode: RequestMode | null;
  note: InferenceNote;
}

/** Where the request went, relative to the page. */
export interface Reach {
  /** The requested URL's origin differs from the page's. */
  crossOrigin: boolean;
  /** It, or a redirect it got, went to another origin. */
  leavesOrigin: boolean;
}

/**
 * The request's mode: `Sec-Fetch-Mode` when the browser sent it, else what the
 * other evidence decides.
 * @see https://fetch.spec.whatwg.org/#concept-request-mode
 */
export function decideMode(o: Observation, reach: Reach, failsCorsCheckEitherWay: () => boolean): ModeDecision {
  const sfm = getHeader(o.request?.headers, 'sec-fetch-mode');
  const observed = o.mode ?? (sfm !== null && MODES.has(sfm) ? (sfm as RequestMode) : null);
  if (observed !== null && (observed === sfm || o.preflight?.observed !== 'sent')) {
    return { mode: observed, note: { rule: 'mode-sec-fetch-mode', why: `the Sec-Fetch-Mode header said ${observed}` } };
  }
  if (o.preflight?.observed === 'sent') return { mode: 'cors', note: { rule: 'mode-preflight-sent', why: 'a preflight was sent for it (only CORS requests are preflighted)' } };
  const method = normalizeMethod(String(o.method));
  if (o.request && reach.leavesOrigin) {
    const unsafe = corsUnsafeRequestHeaders(o.request.headers);
    if (!isCorsSafelistedMethod(method) || unsafe.length > 0) {
      const what = !isCorsSafelistedMethod(method) ? `method ${method}` : `header ${unsafe[0]!.name}`;
      return { mode: 'cors', note: { rule: 'mode-unsafe-request', why: `a no-cors request cannot carry ${what}` } };
    }
    if (method === 'GET' || method === 'HEAD') {
      if (hasHeader(o.request.headers, 'origin')) return { mode: 'cors', note: { rule: 'mode-origin-on-get', why: `the ${method} carried an Origin header` } };
      return { mode: 'no-cors', note: { rule: 'mode-no-origin-on-get', why: `the cross-origin ${method} carried no Origin header` } };
    }
  }
  if (reach.leavesOrigin && o.error === CORS_FAILURE && (o.response !== null || o.redirects.length > 0) && failsCorsCheckEitherWay()) {
    return { mode: 'cors', note: { rule: 'mode-cors-failure', why: `${who(o)} failed it after a response that fails the CORS check` } };
  }
  if (reach.leavesOrigin && o.error === null && o.response !== null && failsCorsCheckEitherWay()) {
    return { mode: 'no-cors', note: { rule: 'mode-accepted-failing-cors-check', why: `${who(o)} accepted a response that fails the CORS check` } };
  }
  if (!reach.crossOrigin && reach.leavesOrigin && o.error === ABORTED && o.response === null) {
    return { mode: 'same-origin', note: { rule: 'mode-same-origin-redirect-refused', why: `${who(o)} refused to follow its redirect to another origin` } };
  }
  return { mode: null, note: { rule: 'mode-undecided', why: 'not decided: analysed as a CORS request, the mode of fetch() and XMLHttpRequest' } };
}
