import { analyzeExchange, CORS_FAILURE_ERROR } from '../cors/analyze';
import type { Inferred, Message, Observation, RequestMode } from '../cors/types';
import type { Exchange } from './exchange';
import { headerValue } from './headers';
import type { ExchangeRecord } from './session';

const MODES: ReadonlySet<string> = new Set(['cors', 'no-cors', 'navigate', 'same-origin']);

function modeOf(request: Message | null): RequestMode | null {
  const mode = headerValue(request?.headers, 'sec-fetch-mode');
  return mode !== null && MODES.has(mode) ? (mode as RequestMode) : null;
}

/** What the browser judged: the headers after any override, else the server's. */
function judged(response: Message | null, finalResponse: Message | null): Message | null {
  return finalResponse ?? response;
}

/** Firefox's name for a CORS block in webRequest's onErrorOccurred; other NS_ERROR_* are network errors. */
export const FIREFOX_CORS_FAILURE_ERROR = 'NS_ERROR_DOM_BAD_URI';

/**
 * What Firefox reported for a request whose redirect its CORS check refused (measured); a redirect it
 * refuses before CORS (to a data: URL) fails with another code, such as NS_ERROR_CORRUPTED_CONTENT.
 */
const FIREFOX_REDIRECT_ABORTS: ReadonlySet<string> = new Set(['NS_ERROR_UNEXPECTED', 'NS_ERROR_NET_ON_RECEIVING_FROM']);

/** The error as the engine reads it: Firefox's CORS block is Chrome's net::ERR_FAILED. */
function engineError(rec: ExchangeRecord, error: string | null): string | null {
  return rec.browser === 'firefox' && error === FIREFOX_CORS_FAILURE_ERROR ? CORS_FAILURE_ERROR : error;
}

/**
 * Firefox reports a request's headers even when its failed preflight kept it from being sent
 * (docs/firefox.md): the engine must see it as never sent, as Chrome reports it.
 */
function sentRequest(rec: ExchangeRecord): Message | null {
  const stoppedByPreflight = rec.browser === 'firefox' && rec.preflight?.error != null && rec.response === null && rec.redirects.length === 0;
  return stoppedByPreflight ? null : rec.request;
}

export function observationOf(rec: ExchangeRecord): Observation {
  const p = rec.preflight;
  return {
    url: rec.url,
    method: rec.method,
    initiatorOrigin: rec.initiatorOrigin,
    // A request stopped by its preflight never sent its Sec-Fetch-Mode; only mode "cors" sends preflights.
    mode: modeOf(rec.request) ?? (rec.preflight ? 'cors' : null),
    request: sentRequest(rec),
    redirects: rec.redirects,
    preflight: p
      ? { observed: 'sent', request: p.request, response: judged(p.response, p.finalResponse), error: engineError(rec, p.error) }
      : rec.preflightObserved
        ? { observed: rec.preflightObserved, request: null, response: null, error: null }
        : null,
    response: judged(rec.response, rec.finalResponse),
    error: engineError(rec, rec.error),
    ...(rec.browser === 'firefox' ? { browser: 'firefox' as const } : {}),
  };
}

/** The credentials rules that read what was sent, not what the browser did: valid where Firefox is silent. */
const PROVEN_INCLUDE: ReadonlySet<string> = new Set(['credentials-cookie-sent', 'credentials-storage-access-sent']);

/**
 * Firefox completes a request whose response fails the CORS check with no error event (it blocks
 * only the page's read), so "no error" is no verdict there: the rules judge. A failure the rules
 * find whatever the credentials mode (or with the Cookie header that proves "include") is a block;
 * one that only "include" would explain stays unproven, and the browser's silence stands.
 */
function analyzeFirefox(obs: Observation) {
  const analysis = analyzeExchange(obs);
  // Firefox fails a request whose redirect the CORS check refused with whatever error the aborted
  // channel had (measured: NS_ERROR_UNEXPECTED, NS_ERROR_NET_ON_RECEIVING_FROM): a CORS block when the
  // rules find one on a redirect, a network error otherwise.
  if (obs.error !== null && FIREFOX_REDIRECT_ABORTS.has(obs.error) && obs.redirects.length > 0) {
    const asBlocked = analyzeExchange({ ...obs, error: CORS_FAILURE_ERROR });
    return asBlocked.findings[0]?.stage === 'redirect' ? asBlocked : analysis;
  }
  // Nor does it report a redirect it refused to follow (to a scheme CORS does not cover, say): that request just stops.
  if (obs.error !== null || (obs.response === null && obs.redirects.length === 0) || analysis.verdict === 'blocked') return analysis;
  const asBlocked = analyzeExchange({ ...obs, error: CORS_FAILURE_ERROR });
  const first = asBlocked.findings[0];
  if (asBlocked.verdict !== 'blocked' || !first || first.severity !== 'error' || first.id === 'unexplained-cors-failure') return analysis;
  // Blocked where the rules fail without credentials (decided so, or fetch()'s default when nothing
  // decides), or with them where a header only credentials bring (Cookie, Sec-Fetch-Storage-Access) proves them.
  if (PROVEN_INCLUDE.has(analysis.credentials.rule ?? '')) return { ...asBlocked, credentials: analysis.credentials };
  const withoutCredentials = asBlocked.credentials.value === 'omit-or-same-origin' || asBlocked.credentials.rule === 'credentials-undecided';
  if (withoutCredentials) return asBlocked;
  // Only credentials mode "include" fails it, and nothing shows the mode: say so, as a warning.
  return {
    ...analysis,
    credentials: { value: null, inferred: true, why: 'unknown: Firefox shows an extension neither the credentials mode nor an error' },
    findings: [
      { ...first, severity: 'warning' as const, values: { ...first.values, onlyWithCredentialsInFirefox: true } },
      ...analysis.findings,
    ],
  };
}

/** The report's view of a record: the capture's facts plus the engine's verdict. */
export function buildExchange(rec: ExchangeRecord): Exchange {
  const obs = observationOf(rec);
  const analysis = rec.browser === 'firefox' ? analyzeFirefox(obs) : analyzeExchange(obs);
  const p = rec.preflight;
  const preflightShown = p !== null || analysis.preflight.required;
  return {
    id: rec.id,
    startedAt: rec.startedAt,
    url: rec.url,
    method: rec.method,
    initiatorOrigin: rec.initiatorOrigin,
    resourceType: rec.resourceType,
    redirects: rec.redirects,
    mode: analysis.mode,
    credentials: analysis.credentials,
    preflight: preflightShown
      ? {
          required: analysis.preflight.required,
          reasons: analysis.preflight.reasons,
          observed: p ? 'sent' : (rec.preflightObserved ?? 'missing'),
          request: p?.request ?? { headers: [] },
          response: p?.response ?? null,
          ...(p?.finalResponse ? { finalResponse: p.finalResponse } : {}),
          error: p?.error ?? null,
          ...(rec.cacheExpiresAt !== null ? { cacheExpiresAt: rec.cacheExpiresAt } : {}),
        }
      : null,
    // A request its preflight stopped was never sent: its headers are unknown, bar the Origin.
    request: rec.request ?? { headers: originHeader(p?.request ?? null) },
    response: rec.response,
    ...(rec.finalResponse ? { finalResponse: rec.finalResponse } : {}),
    error: rec.error,
    reachedServer: analysis.reachedServer,
    verdict: analysis.verdict,
    findings: analysis.findings,
    inferred: { ...analysis.inferred, ...(preflightShown ? { preflight: preflightNote(p !== null, rec.preflightObserved, analysis.preflight.required) } : {}) },
  };
}

/** The rule behind `preflight.observed` (`src/cors/inference-rules.ts`). */
function preflightNote(sent: boolean, observed: ExchangeRecord['preflightObserved'], required: boolean): Inferred {
  if (sent) return { rule: 'preflight-sent', why: 'an OPTIONS request for this URL and method was paired with it' };
  if (observed === 'cached') return { rule: 'preflight-cached', why: 'an unexpired earlier answer for this origin and URL covers its method and headers' };
  if (required) return { rule: 'preflight-missing', why: 'none was seen, and no earlier answer seen covers it' };
  return { rule: 'preflight-not-required', why: 'its method and headers are CORS-safelisted' };
}

function originHeader(preflightRequest: Message | null): Message['headers'] {
  const origin = headerValue(preflightRequest?.headers, 'origin');
  return origin === null ? [] : [['origin', origin]];
}
