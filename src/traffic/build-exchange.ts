import { analyzeExchange } from '../cors/analyze';
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

export function observationOf(rec: ExchangeRecord): Observation {
  const p = rec.preflight;
  return {
    url: rec.url,
    method: rec.method,
    initiatorOrigin: rec.initiatorOrigin,
    // A request stopped by its preflight never sent its Sec-Fetch-Mode; only mode "cors" sends preflights.
    mode: modeOf(rec.request) ?? (rec.preflight ? 'cors' : null),
    request: rec.request,
    redirects: rec.redirects,
    preflight: p
      ? { observed: 'sent', request: p.request, response: judged(p.response, p.finalResponse), error: p.error }
      : rec.preflightObserved
        ? { observed: rec.preflightObserved, request: null, response: null, error: null }
        : null,
    response: judged(rec.response, rec.finalResponse),
    error: rec.error,
  };
}

/** The report's view of a record: the capture's facts plus the engine's verdict. */
export function buildExchange(rec: ExchangeRecord): Exchange {
  const obs = observationOf(rec);
  const analysis = analyzeExchange(obs);
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
