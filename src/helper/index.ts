import { describeFinding, findingProse } from '../cors/describe';
import { convertHar } from '../har/convert';
import type { Confidence } from '../har/notes';
import type { Exchange } from '../traffic/exchange';
import { CdpNetworkLog, type ChromeCorsError } from './cdp-entries';

/**
 * CORS Lens for test suites: attach to a page over the DevTools Protocol, record its cross-origin
 * exchanges, and fail a test with the reason and the fix instead of "Failed to fetch".
 *
 *   const cors = await recordCors(await context.newCDPSession(page));   // Playwright
 *   const cors = await recordCors(client);                               // chrome-remote-interface, Puppeteer's CDPSession...
 *   ... run the test ...
 *   cors.expectNoCorsFailures();
 *
 * Any object with `on(event, listener)` and `send(method, params)` works: Playwright's and
 * Puppeteer's CDPSession, chrome-remote-interface's client.
 */

/* eslint-disable @typescript-eslint/no-explicit-any -- each client types its events its own way (Playwright: overloads per event) */
export interface CdpSessionLike {
  on(event: any, listener: (params: any) => void): unknown;
  send(method: any, params?: any): Promise<unknown>;
  off?(event: any, listener: (params: any) => void): unknown;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export interface CorsFailure {
  exchange: Exchange;
  /** Chrome's own error for the request (Network.loadingFailed.corsErrorStatus), when it named one. */
  chrome: ChromeCorsError | null;
  confidence: Confidence;
}

export interface CorsRecorder {
  /** Every cross-origin exchange so far, paired and diagnosed. */
  exchanges(): Exchange[];
  /** The exchanges the browser blocked for CORS (or that Chrome named a CORS error for). */
  failures(): CorsFailure[];
  /** Throws an Error naming each blocked request, why, and the server-side fix; does nothing when none. */
  expectNoCorsFailures(opts?: { ignore?: (ex: Exchange) => boolean }): void;
  /** Forget what was recorded so far. */
  clear(): void;
  /** Stop listening (the session stays the caller's). */
  stop(): void;
}

const EVENTS = ['requestWillBeSent', 'requestWillBeSentExtraInfo', 'responseReceived', 'responseReceivedExtraInfo', 'loadingFinished', 'loadingFailed'] as const;

export async function recordCors(session: CdpSessionLike): Promise<CorsRecorder> {
  const log = new CdpNetworkLog();
  const listeners = EVENTS.map((name) => {
    const fn = (p: unknown) => {
      try {
        (log[name] as (e: unknown) => void).call(log, p);
      } catch {
        // A malformed event from a client is dropped, never thrown into the test.
      }
    };
    session.on(`Network.${name}`, fn);
    return [`Network.${name}`, fn] as const;
  });
  await session.send('Network.enable', {});

  const analyse = () => {
    const { entries, requestIdOf } = log.entries();
    const conversion = convertHar({ creator: 'CORS Lens (DevTools Protocol)', browser: 'Chrome', pages: new Map(), entries, skipped: [], failuresRecorded: true, wireHeaders: true });
    // Exchange ids are `har-<entry index>` of the request's first hop.
    const chromeOf = (ex: Exchange) => {
      const id = requestIdOf.get(Number(ex.id.slice(4)));
      return id === undefined ? null : log.chromeError(id);
    };
    return { conversion, chromeOf };
  };

  const failures = (): CorsFailure[] => {
    const { conversion, chromeOf } = analyse();
    return conversion.exchanges
      .map((exchange) => ({ exchange, chrome: chromeOf(exchange), confidence: conversion.confidence.get(exchange.id) ?? { level: 'high' as const, reasons: [] } }))
      .filter((f) => f.exchange.verdict === 'blocked' || f.chrome !== null);
  };

  return {
    exchanges: () => analyse().conversion.exchanges,
    failures,
    expectNoCorsFailures(opts = {}) {
      const found = failures().filter((f) => !opts.ignore?.(f.exchange));
      if (found.length > 0) throw new Error(describeFailures(found));
    },
    clear: () => log.clear(),
    stop() {
      for (const [event, fn] of listeners) session.off?.(event, fn);
    },
  };
}

/** Attach to a Playwright page (its context opens the DevTools Protocol session). */
export async function recordCorsOnPage(page: { context(): { newCDPSession(page: unknown): Promise<CdpSessionLike> } }): Promise<CorsRecorder> {
  return recordCors(await page.context().newCDPSession(page));
}

function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex -- a hostile header must not rewrite the test report
  return s.replace(/[\u0000-\u001f\u007f]+/g, ' ');
}

export function describeFailures(found: readonly CorsFailure[]): string {
  const lines = [`CORS Lens: ${found.length} request(s) failed CORS`];
  for (const { exchange: ex, chrome, confidence } of found) {
    const f = ex.findings.find((x) => x.severity === 'error');
    lines.push('', `${ex.method} ${oneLine(ex.url)}`);
    if (chrome) lines.push(`  Chrome: ${chrome.corsError}${chrome.failedParameter ? ` (${oneLine(chrome.failedParameter)})` : ''}`);
    if (f) {
      const w = findingProse(f);
      const spec = describeFinding(f).spec;
      lines.push(`  ${oneLine(w.title)}${f.chromeCorsError && f.chromeCorsError !== chrome?.corsError ? ` [${f.chromeCorsError}]` : ''}`);
      lines.push(`  Why: ${oneLine(w.detail)}`);
      lines.push(`  Fix: ${oneLine(w.fix)}`);
      if (spec) lines.push(`  Spec: ${spec}`);
    }
    if (confidence.level !== 'high') lines.push(`  Confidence: ${confidence.level}: ${confidence.reasons.join('; ')}`);
  }
  return lines.join('\n');
}

export type { ChromeCorsError } from './cdp-entries';
