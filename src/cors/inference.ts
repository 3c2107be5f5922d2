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
import { note } from './reasons';
import { corsUnsafeRequestHeaders } from './request-headers';
import type { Observation, ReasonValues, RequestMode } from './types';

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
function who(o: Observation): 'Chrome' | 'Firefox' {
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
  const browser = who(o);
  const sent = o.request !== null || o.response !== null || o.redirects.length > 0;
  if (incHit.stage === 'preflight') {
    const acac = getHeader(o.preflight?.response?.headers, 'access-control-allow-credentials');
    const answer: ReasonValues = incHit.id === 'preflight-wildcard-origin-with-credentials' ? { case: 'wildcard' }
      : incHit.id === 'preflight-invalid-allow-credentials'
        ? acac === null ? { case: 'no-allow-credentials' } : { case: 'allow-credentials', value: acac }
        : { case: 'other', failure: reasonName(o, incHit) };
    return note('credentials-preflight-passed', { browser, ...answer, ...(sent ? { method: ctx.method } : {}) });
  }
  const where: ReasonValues = incHit.stage === 'redirect' ? { case: 'redirect' } : {};
  if (WILDCARD_IDS.has(incHit.id)) return note('credentials-wildcard-accepted', { browser, ...where });
  if (ALLOW_CREDENTIALS_IDS.has(incHit.id)) return note('credentials-accepted-without-allow-credentials', { browser, ...where });
  return note('credentials-accepted-without-allow-credentials', { browser, case: 'other', failure: reasonName(o, incHit) });
}

/** Why the mode is "include": only `incHit` explains where the browser stopped. */
function included(o: Observation, incHit: Hit): InferenceNote {
  const browser = who(o);
  if (WILDCARD_IDS.has(incHit.id)) return note('credentials-wildcard-rejected', { browser });
  const failure = reasonName(o, incHit);
  if (ALLOW_CREDENTIALS_IDS.has(incHit.id)) return note('credentials-allow-credentials-rejected', { browser, failure });
  return note('credentials-fails-only-with-credentials', { browser, failure });
}

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
    return { include: true, note: note('credentials-cookie-sent'), primary: incHit, primaryInclude: true, alternative: null };
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
    return { include: true, note: note('credentials-storage-access-sent'), primary: incHit, primaryInclude: true, alternative: null };
  }
  if (omitFits && !incFits && incHit) {
    return { include: false, note: notIncluded(ctx, incHit), primary: omitHit, primaryInclude: false, alternative: null };
  }
  if (omitFits && incFits) {
    const differs = incHit !== null && (omitHit === null || incHit.id !== omitHit.id);
    const alt = differs && incHit ? incHit : null;
    const reason = note('credentials-undecided', { browser: who(o), ...(alt ? { alternative: reasonName(o, alt) } : {}) });
    return { include: null, note: reason, primary: omitHit, primaryInclude: false, alternative: alt };
  }
  return {
    include: null,
    note: note('credentials-contradicted', { browser: who(o) }),
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
    return { mode: observed, note: note('mode-sec-fetch-mode', { mode: observed }) };
  }
  if (o.preflight?.observed === 'sent') return { mode: 'cors', note: note('mode-preflight-sent') };
  const method = normalizeMethod(String(o.method));
  if (o.request && reach.leavesOrigin) {
    const unsafe = corsUnsafeRequestHeaders(o.request.headers);
    if (!isCorsSafelistedMethod(method) || unsafe.length > 0) {
      const what: ReasonValues = !isCorsSafelistedMethod(method) ? { method } : { header: unsafe[0]!.name };
      return { mode: 'cors', note: note('mode-unsafe-request', what) };
    }
    if (method === 'GET' || method === 'HEAD') {
      const origin = getHeader(o.request.headers, 'origin');
      if (origin !== null) return { mode: 'cors', note: note('mode-origin-on-get', { method, origin }) };
      return { mode: 'no-cors', note: note('mode-no-origin-on-get', { method }) };
    }
  }
  if (reach.leavesOrigin && o.error === CORS_FAILURE && (o.response !== null || o.redirects.length > 0) && failsCorsCheckEitherWay()) {
    return { mode: 'cors', note: note('mode-cors-failure', { browser: who(o) }) };
  }
  if (reach.leavesOrigin && o.error === null && o.response !== null && failsCorsCheckEitherWay()) {
    return { mode: 'no-cors', note: note('mode-accepted-failing-cors-check', { browser: who(o) }) };
  }
  if (!reach.crossOrigin && reach.leavesOrigin && o.error === ABORTED && o.response === null) {
    return { mode: 'same-origin', note: note('mode-same-origin-redirect-refused', { browser: who(o) }) };
  }
  return { mode: null, note: note('mode-undecided') };
}
