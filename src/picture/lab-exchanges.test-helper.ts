import { expand, originVars, scenarios, type Call, type Expect, type Reply, type Scenario } from '../../lab/scenarios.mjs';
import type { HeaderList, Message } from '../cors/types';
import { buildExchange } from '../traffic/build-exchange';
import type { Exchange } from '../traffic/exchange';
import type { ExchangeRecord } from '../traffic/record';

/**
 * The lab's scenarios (lab/scenarios.mjs) as the exchanges the capture would record: each call
 * the page makes, answered by what the lab server is written to answer, with the preflight,
 * redirect and error the scenario's expectation (Chrome's, recorded by lab/oracle.mjs) says
 * happened. The engine then judges each record as it does in the extension (buildExchange).
 * Requests Blink refuses before the network (seenByNetwork: false) are left out: no extension
 * ever sees them.
 */

export const ORIGINS = {
  A: 'http://127.0.0.1:41001',
  B: 'http://localhost:41002',
  BSameSite: 'http://127.0.0.1:41002',
  C: 'http://127.0.0.1:41003',
  refused: 'http://127.0.0.1:9',
  unsafe: 'http://127.0.0.1:6000',
  ftp: 'ftp://127.0.0.1',
} as const;
const VARS = originVars(ORIGINS);
const T0 = 1_790_000_000_000;
const SAFE_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

export interface LabExchange {
  scenario: Scenario;
  call: Call;
  /** Index among the scenario's calls. */
  index: number;
  expect: Expect;
  ex: Exchange;
}

function reply(r: Reply | undefined, vars: Record<string, string | undefined>): Message {
  const headers: HeaderList = [];
  for (const [name, value] of r?.headers ?? []) {
    const v = expand(value, vars);
    if (v !== null) headers.push([name.toLowerCase(), v]);
  }
  return { statusCode: r?.status ?? 404, headers };
}

/** The request headers `fetch` would send for this call, and the names a preflight would ask for. */
function requestOf(call: Call, url: string, sameOrigin: boolean): { headers: HeaderList; acrh: string } {
  const method = call.method ?? 'GET';
  const headers: HeaderList = [];
  if (!sameOrigin || !['GET', 'HEAD'].includes(method)) headers.push(['origin', ORIGINS.A]);
  headers.push(['sec-fetch-mode', call.mode ?? 'cors']);
  const own = Object.entries(call.headers ?? {}).map(([n, v]) => [n.toLowerCase(), v] as [string, string]);
  if (call.body !== undefined && !own.some(([n]) => n === 'content-type')) own.push(['content-type', 'text/plain;charset=UTF-8']);
  headers.push(...own);
  if (call.credentials === 'include' && url.startsWith(ORIGINS.BSameSite)) headers.push(['cookie', 'lab_sid=1']);
  const unsafe = own
    .filter(([n, v]) => n !== 'content-type' || !SAFE_TYPES.includes(v.split(';')[0]!.trim().toLowerCase()))
    .map(([n]) => n)
    .sort();
  return { headers, acrh: unsafe.join(',') };
}

function maxAgeOf(m: Message): number {
  const v = m.headers.find(([n]) => n === 'access-control-max-age')?.[1];
  return v === undefined ? 5 : Math.min(Number(v), 7200);
}

function recordOf(s: Scenario, call: Call, index: number, exp: Expect): ExchangeRecord {
  const target = call.target ?? 'B';
  const url = `${ORIGINS[target]}${call.path ?? `/s/${s.id}`}?s=${s.id}`;
  const method = call.method ?? 'GET';
  const startedAt = T0 + index * 1000;
  const { headers, acrh } = requestOf(call, url, target === 'A');
  const vars = { ...VARS, origin: ORIGINS.A, originIfLocal: ORIGINS.A, acrm: method, acrh: acrh || undefined, query: `?s=${s.id}` };
  const rec: ExchangeRecord = {
    id: `${s.id}#${index}`,
    tabId: 1,
    startedAt,
    url,
    currentUrl: url,
    method,
    initiatorOrigin: ORIGINS.A,
    resourceType: 'xmlhttprequest',
    request: { headers },
    redirects: [],
    response: null,
    finalResponse: null,
    error: exp.errorText ?? null,
    preflight: null,
    preflightObserved: null,
    cacheExpiresAt: null,
  };
  const preflightAnswer = reply(s.server.preflight, vars);
  const lna = exp.chromeCorsError === 'LocalNetworkAccessPermissionDenied';
  if (exp.preflight) {
    const req: HeaderList = [['origin', ORIGINS.A], ['access-control-request-method', method]];
    if (acrh) req.push(['access-control-request-headers', acrh]);
    rec.preflight = {
      requestId: `${rec.id}-p`,
      key: url,
      requestHeaderNames: acrh,
      startedAt,
      request: { headers: req },
      response: lna ? null : preflightAnswer,
      finalResponse: null,
      error: lna ? 'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS' : null,
    };
    if (!lna) rec.cacheExpiresAt = startedAt + maxAgeOf(preflightAnswer) * 1000;
  } else if (index > 0 && s.group === 'cache') {
    // The earlier call's answer is still in the preflight cache.
    rec.preflightObserved = 'cached';
    rec.cacheExpiresAt = T0 + maxAgeOf(preflightAnswer) * 1000;
  }
  if (exp.reachedServer === false) {
    // Stopped by its preflight, or before the network: the request itself was never sent.
    if (exp.preflight || target === 'unsafe') rec.request = null;
    return rec;
  }
  const first = reply(s.server.actual, vars);
  const location = first.headers.find(([n]) => n === 'location')?.[1];
  if (location === undefined || first.statusCode! < 300 || first.statusCode! >= 400) {
    rec.response = first;
    return rec;
  }
  // The capture records every 3xx with a Location as a hop, followed or not (src/traffic/session.ts).
  rec.redirects = [{ statusCode: first.statusCode!, location, headers: first.headers }];
  const next = new URL(location, url).href;
  const followed = s.server.next?.actual !== undefined && /^https?:/.test(next) && !/^[a-z]+:\/\/[^/]*@/i.test(next) && call.mode !== 'same-origin';
  if (followed) {
    rec.currentUrl = next;
    rec.response = reply(s.server.next!.actual, vars);
  }
  return rec;
}

/** Every call of every lab scenario an extension can see, as an exchange. */
export function labExchanges(): LabExchange[] {
  const out: LabExchange[] = [];
  for (const s of scenarios) {
    s.calls.forEach((call, index) => {
      if (call.setup) return;
      const exp = call.expect ?? s.expect;
      if (exp.seenByNetwork === false) return;
      out.push({ scenario: s, call, index, expect: exp, ex: buildExchange(recordOf(s, call, index, exp)) });
    });
  }
  return out;
}
