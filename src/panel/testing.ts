import type { Exchange } from '../traffic/exchange';
import type { Finding } from '../cors/types';
import type { SessionCounters, ToPanelMessage } from '../shared/protocol';

/** Builders for tests of the panel (not bundled: only tests import this file). */
export function finding(over: Partial<Finding> = {}): Finding {
  return {
    id: 'missing-allow-origin',
    severity: 'error',
    stage: 'actual',
    chromeCorsError: 'MissingAllowOriginHeader',
    failedParameter: null,
    spec: 'https://fetch.spec.whatwg.org/#concept-cors-check',
    title: 'No Access-Control-Allow-Origin header',
    detail: 'The response from http://127.0.0.1:9002 carried no Access-Control-Allow-Origin header.',
    fix: 'Access-Control-Allow-Origin: http://127.0.0.1:9001',
    ...over,
  };
}

let seq = 0;
export function exchange(over: Partial<Exchange> = {}): Exchange {
  seq += 1;
  return {
    id: `ex-${seq}`,
    startedAt: 1_700_000_000_000 + seq,
    url: `http://127.0.0.1:9002/api/thing?s=${seq}`,
    method: 'GET',
    initiatorOrigin: 'http://127.0.0.1:9001',
    resourceType: 'xmlhttprequest',
    redirects: [],
    mode: 'cors',
    credentials: { value: 'omit-or-same-origin', inferred: true, why: 'no Cookie header was sent' },
    preflight: null,
    request: { headers: [['origin', 'http://127.0.0.1:9001'], ['accept', '*/*']] },
    response: { statusCode: 200, headers: [['access-control-allow-origin', '*'], ['content-type', 'application/json']] },
    error: null,
    reachedServer: true,
    verdict: 'allowed',
    findings: [],
    ...over,
  };
}

/** A PUT with X-Custom-Header whose preflight said no: the classic block. */
export function blockedPut(over: Partial<Exchange> = {}): Exchange {
  return exchange({
    method: 'PUT',
    url: 'http://127.0.0.1:9002/gin?s=custom-header',
    preflight: {
      required: true,
      reasons: ['method PUT is not CORS-safelisted', 'header x-custom-header is not CORS-safelisted'],
      observed: 'sent',
      request: {
        headers: [
          ['origin', 'http://127.0.0.1:9001'],
          ['access-control-request-method', 'PUT'],
          ['access-control-request-headers', 'x-custom-header'],
          ['sec-fetch-mode', 'cors'],
        ],
      },
      response: { statusCode: 204, headers: [['access-control-allow-origin', '*'], ['access-control-allow-headers', 'Content-Type']] },
      error: null,
    },
    request: { headers: [['x-custom-header', '1']] },
    response: null,
    error: 'net::ERR_FAILED',
    reachedServer: false,
    verdict: 'blocked',
    findings: [
      finding({
        id: 'header-not-allowed-by-preflight',
        stage: 'preflight',
        chromeCorsError: 'HeaderDisallowedByPreflightResponse',
        failedParameter: 'x-custom-header',
        spec: 'https://fetch.spec.whatwg.org/#cors-preflight-fetch-0',
        title: 'Header x-custom-header not allowed by the preflight',
        detail: 'Access-Control-Allow-Headers was "Content-Type", which does not list x-custom-header.',
        fix: 'Access-Control-Allow-Headers: Content-Type, X-Custom-Header',
      }),
    ],
    ...over,
  });
}

export const counters = (captured = 0, dropped = 0): SessionCounters => ({ captured, dropped, skipped: {} });

export function snapshot(exchanges: Exchange[], over: Partial<Extract<ToPanelMessage, { type: 'snapshot' }>> = {}): ToPanelMessage {
  return { type: 'snapshot', protocol: 1, tabId: 7, exchanges, counters: counters(exchanges.length), preserveLog: false, capturing: true, ...over };
}
