/**
 * Running the rules over one exchange under one credentials mode, in Chrome's
 * order, and returning the first failure: the one Chrome reports.
 */
import { findingIdForChromeError } from './catalogue';
import type { FindingParams } from './catalogue-entry';
import { corsCheck, type CorsCheckFailure } from './cors-check';
import { getHeader } from './header-list';
import { isHttpScheme, urlFacts, type UrlFacts } from './origin';
import { validatePreflightResponse } from './preflight-response';
import { checkRedirectLocation, taintsOrigin } from './redirects';
import type { Observation, Stage } from './types';

/** Everything about an exchange that does not depend on the credentials mode, computed once. */
export interface ExchangeContext {
  o: Observation;
  /** The request's origin, serialized ("null" when opaque or unknown). */
  origin: string;
  /** The requested URL, parsed; null when it does not parse. */
  target: UrlFacts | null;
  /** The method, normalized. */
  method: string;
  /** The method the preflight asked for (`Access-Control-Request-Method`, else the method). */
  preflightMethod: string;
  /** The header names the preflight asked for (lower-case, sorted). */
  preflightHeaderNames: readonly string[];
}

/**
 * A rule that failed: the catalogue id, Chrome's failedParameter, and the
 * values to quote (built only when the finding is shown: most hits are not).
 */
export interface Hit {
  id: string;
  stage: Stage;
  failedParameter: string | null;
  params: () => FindingParams;
  /** For a redirect hit: the index of the redirect whose response or location failed. */
  hop?: number;
}

/**
 * The values every finding quotes, for a URL and a credentials mode.
 * @see https://fetch.spec.whatwg.org/#concept-request-origin
 */
export function baseParams(ctx: ExchangeContext, url: UrlFacts | null, include: boolean | null, origin = ctx.origin): FindingParams {
  return {
    origin,
    url: url?.href ?? ctx.o.url,
    path: url?.path ?? ctx.o.url,
    method: ctx.method,
    credentials: include === null ? null : include ? 'include' : 'omit-or-same-origin',
  };
}

function checkHit(ctx: ExchangeContext, f: CorsCheckFailure, url: UrlFacts | null, include: boolean, origin: string, status: number | undefined, stage: Stage, hop?: number): Hit {
  const params = (): FindingParams => {
    const p = baseParams(ctx, url, include, origin);
    p.received = f.error === 'InvalidAllowCredentials' ? f.allowCredentials : f.allowOrigin;
    p.allowCredentials = f.allowCredentials;
    if (status !== undefined) p.status = status;
    return p;
  };
  return { id: findingIdForChromeError(stage === 'preflight' ? `Preflight${f.error}` : f.error), stage, failedParameter: f.failedParameter, params, ...(hop === undefined ? {} : { hop }) };
}

/**
 * The preflight's first failure, or null when it passed, was not sent, or has
 * no response yet.
 * @see https://fetch.spec.whatwg.org/#cors-preflight-fetch-0
 */
export function preflightHit(ctx: ExchangeContext, include: boolean): Hit | null {
  const pf = ctx.o.preflight;
  if (!pf || pf.observed !== 'sent' || !pf.response) return null;
  const res = pf.response;
  const f = validatePreflightResponse(res, ctx.origin, include, ctx.preflightMethod, ctx.preflightHeaderNames);
  if (!f) return null;
  let id = findingIdForChromeError(f.error);
  if (f.authorizationNotCoveredByWildcard) id = 'authorization-not-covered-by-wildcard';
  const params = (): FindingParams => {
    const p = baseParams(ctx, ctx.target, include);
    p.method = ctx.preflightMethod;
    p.received =
      f.error === 'InvalidAllowMethodsPreflightResponse' ? f.allowMethods
        : f.error === 'InvalidAllowHeadersPreflightResponse' ? f.allowHeaders
          : f.error === 'PreflightInvalidAllowCredentials' ? f.allowCredentials
            : f.allowOrigin;
    p.allowCredentials = f.allowCredentials;
    p.allowMethods = f.allowMethods;
    p.allowHeaders = f.allowHeaders;
    p.requestedHeaders = ctx.preflightHeaderNames;
    if (res.statusCode !== undefined) p.status = res.statusCode;
    const location = getHeader(res.headers, 'location');
    if (location !== null) p.location = location;
    if (f.error === 'HeaderDisallowedByPreflightResponse') p.header = f.failedParameter;
    if (f.methodCaseDiffersFromSpec) p.methodCaseDiffersFromSpec = true;
    return p;
  };
  return { id, stage: 'preflight', failedParameter: f.failedParameter, params };
}

/**
 * The first failure of the exchange under one credentials mode, in Chrome's
 * order: scheme, preflight, each redirect (CORS check, then its location),
 * then the CORS check on the final response. Null when nothing fails (or the
 * exchange has not got that far).
 * @see https://fetch.spec.whatwg.org/#main-fetch
 * @see https://fetch.spec.whatwg.org/#concept-http-fetch
 */
export function firstHit(ctx: ExchangeContext, include: boolean): Hit | null {
  const { o, origin, target } = ctx;
  let corsFlag = target !== null && target.origin !== origin;
  // Main fetch: a CORS request to a scheme other than HTTP(S) fails (Chrome: CorsDisabledScheme).
  if (corsFlag && target && !isHttpScheme(target.scheme)) {
    return { id: 'cors-disabled-scheme', stage: 'actual', failedParameter: '', params: () => baseParams(ctx, target, include) };
  }
  // CORS-preflight fetch, when one was sent.
  const pre = preflightHit(ctx, include);
  if (pre) return pre;
  // HTTP fetch / HTTP-redirect fetch, for each redirect followed.
  let current = target;
  let tainted = false;
  for (const [hop, r] of o.redirects.entries()) {
    const here = tainted ? 'null' : origin;
    // HTTP fetch step 4.4: a CORS check on the redirect response when response tainting is "cors".
    if (corsFlag) {
      const f = corsCheck(r.statusCode, r.headers, here, include);
      if (f) return checkHit(ctx, f, current, include, here, r.statusCode, 'redirect', hop);
    }
    const loc = urlFacts(r.location, current?.href);
    if (!loc) return null;
    // HTTP-redirect fetch steps 6, 9 and 10: the location's scheme and credentials.
    const locErr = checkRedirectLocation(loc, origin, tainted, corsFlag);
    if (locErr) {
      const from = current;
      const params = (): FindingParams => ({ ...baseParams(ctx, from, include, here), location: r.location, status: r.statusCode });
      const id = locErr === 'CorsDisabledScheme' ? 'cors-disabled-scheme' : 'redirect-contains-credentials';
      return { id, stage: 'redirect', failedParameter: '', params, hop };
    }
    // Redirect-taint: a redirect from a cross-origin URL to another origin taints the origin.
    if (current && taintsOrigin(current.origin, loc.origin, origin)) tainted = true;
    // Main fetch: once the request goes cross-origin, its response tainting stays "cors".
    if (loc.origin !== origin) corsFlag = true;
    current = loc;
  }
  // HTTP fetch step 4.4: the CORS check on the final response.
  if (corsFlag && o.response) {
    const here = tainted ? 'null' : origin;
    const f = corsCheck(o.response.statusCode, o.response.headers, here, include);
    if (f) return checkHit(ctx, f, current, include, here, o.response.statusCode, 'actual');
  }
  return null;
}

/**
 * The origin the final response is checked against ("null" once a redirect tainted it), and its URL.
 * @see https://fetch.spec.whatwg.org/#concept-http-redirect-fetch
 */
export function finalOriginAndUrl(ctx: ExchangeContext): { origin: string; url: UrlFacts | null; corsFlag: boolean } {
  let current = ctx.target;
  let tainted = false;
  let corsFlag = current !== null && current.origin !== ctx.origin;
  for (const r of ctx.o.redirects) {
    const loc = urlFacts(r.location, current?.href);
    if (!loc) break;
    if (current && taintsOrigin(current.origin, loc.origin, ctx.origin)) tainted = true;
    if (loc.origin !== ctx.origin) corsFlag = true;
    current = loc;
  }
  return { origin: tainted ? 'null' : ctx.origin, url: current, corsFlag };
}
