import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startBurstLab, type BurstLab, type BurstRunOptions, type BurstRunResult } from '../../lab/burst.mjs';
import { exportReport, launch, stopServiceWorker, waitFor, type Launched } from './browser';
import type { SessionReport } from '../../src/report/schema';
import type { Exchange } from '../../src/traffic/exchange';

/**
 * Reliability: the capture survives Chrome stopping its service worker mid-traffic, and a burst of
 * traffic in three tabs at once, with the session cap lowered.
 *
 * How to test by hand: `node lab/burst.mjs`, open the printed page with DevTools › CORS, run
 * `burst.run({ n: 500, preflightEvery: 3, blockEvery: 5 })` in its console, and stop the worker from
 * chrome://serviceworker-internals meanwhile: the panel keeps every request.
 */

const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts');

/** A small seeded generator (mulberry32): the stop times are random but the same on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How long a change may wait before it is written to storage.session (FLUSH_MS in src/background/store.ts), plus one write. */
const LOSS_WINDOW_MS = 150 + 100;
/** An event dispatched to the worker just before the stop may reach the server a few ms after the stop was confirmed. */
const STOP_SLACK_MS = 15;

/**
 * Stops the extension's worker as Chrome does, and says when the stop was sent (stopServiceWorker in
 * browser.ts, with the DevTools Protocol session kept open so the stop is sent the moment it is asked).
 */
async function workerStopper(l: Launched): Promise<{ stop(): Promise<number>; close(): Promise<void> }> {
  const cdp = await l.context.newCDPSession(l.automation);
  let running: string | null = null;
  cdp.on('ServiceWorker.workerVersionUpdated', (e) => {
    for (const v of e.versions) if (v.scriptURL.includes(l.extensionId) && v.runningStatus === 'running') running = v.versionId;
  });
  await cdp.send('ServiceWorker.enable');
  return {
    async stop() {
      const versionId = await waitFor(async () => running, 'running worker version', 5_000);
      await cdp.send('ServiceWorker.stopWorker', { versionId });
      return Date.now();
    },
    close: () => cdp.detach(),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function runBurst(page: Page, o: BurstRunOptions): Promise<BurstRunResult> {
  return page.evaluate((opts) => (window as unknown as { burst: { run(o: object): Promise<BurstRunResult> } }).burst.run(opts), o);
}

const exportOf = (l: Launched, tabId: number): Promise<SessionReport> => exportReport(l, tabId);

const idOf = (ex: Exchange): number | null => {
  try {
    const i = new URL(ex.url).searchParams.get('i');
    return i === null ? null : Number(i);
  } catch {
    return null;
  }
};

describe('the capture when Chrome stops the service worker mid-traffic', () => {
  let burst: BurstLab;
  let l: Launched;
  let page: Page;
  let tabId: number;

  beforeAll(async () => {
    burst = await startBurstLab();
    l = await launch({ devtools: true });
    page = await l.context.newPage();
    await page.goto(burst.pageUrl);
    tabId = await l.tabIdOf(burst.pageOrigin);
    await waitFor(async () => (await l.request('cors-lens/status', {})).tabs.includes(tabId), 'capture of the burst tab');
  });

  afterAll(async () => {
    await l?.close();
    await burst?.close();
  });

  it('keeps every exchange the server saw, in order and paired right, across seeded worker stops', async () => {
    const N = 500;
    const nonce = 'evict';
    const rand = seeded(20261123);
    const stops: Array<{ at: number; workerBackAfterMs: number }> = [];
    const stopper = await workerStopper(l);
    const t0 = Date.now();
    const running = runBurst(page, { n: N, nonce, preflightEvery: 3, blockEvery: 5, paceMs: 8 });
    // Four stops at seeded moments within the run (about 10 s at one request per ~20 ms).
    const plan = Array.from({ length: 4 }, () => 300 + Math.floor(rand() * 7000)).sort((a, b) => a - b);
    for (const at of plan) {
      const wait = t0 + at - Date.now();
      if (wait > 0) await sleep(wait);
      const before = (await l.request('cors-lens/status', {})).startedAt;
      const stoppedAt = await stopper.stop();
      const back = await waitFor(async () => {
        const s = await l.request('cors-lens/status', {});
        return s.startedAt !== before && s.ready && s.tabs.includes(tabId) ? s : null;
      }, 'worker back', 10_000);
      stops.push({ at: stoppedAt - t0, workerBackAfterMs: back.startedAt - stoppedAt });
    }
    const result = await running;
    await stopper.close();
    await sleep(400);
    const report = await exportOf(l, tabId);
    const served = burst.log.filter((e) => e.server === 'Q' && e.run === nonce && e.method !== 'OPTIONS');
    const got = report.exchanges.map(idOf).filter((i): i is number => i !== null);
    const have = new Set(got);
    /** Time from a server arrival to the stop that followed it (≤ 0), or since the last stop (> 0). */
    const sinceStop = (t: number): number => {
      const d = stops.map((s) => t - t0 - s.at);
      const before = d.filter((x) => x <= STOP_SLACK_MS && x >= -LOSS_WINDOW_MS);
      return before.length > 0 ? Math.max(...before) : Math.min(...d.filter((x) => x > STOP_SLACK_MS));
    };
    // A request is "at risk" when its preflight or itself reached the server within the window an
    // abrupt stop can lose: it may be missing, lack its response, or lack its preflight.
    const atRisk = new Set(served.filter((e) => sinceStop(e.t) <= STOP_SLACK_MS).map((e) => e.i!));
    for (const e of burst.log) if (e.server === 'Q' && e.run === nonce && e.method === 'OPTIONS' && sinceStop(e.t) <= STOP_SLACK_MS) atRisk.add(e.i!);
    const lost = served.filter((e) => !have.has(e.i!)).map((e) => ({ i: e.i!, at: e.t - t0, sinceStop: sinceStop(e.t) }));
    const damaged = report.exchanges.filter((e) => !exact(e)).map((e) => ({ i: idOf(e)!, verdict: e.verdict, preflight: e.preflight?.observed ?? null, response: e.response?.statusCode ?? null, error: e.error }));
    const safe = got.filter((i) => !atRisk.has(i));
    const numbers = { N, result, stops, atRisk: atRisk.size, lost, damaged, exported: got.length, order: report.exchanges.map((e) => `${idOf(e)}@${e.startedAt}`) };
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'reliability-eviction.json'), JSON.stringify(numbers, null, 2));
    console.log(`eviction: ${N} requests, ${stops.length} stops (worker back after ${stops.map((s) => s.workerBackAfterMs).join('/')} ms), ${atRisk.size} at risk, ${lost.length} lost ${JSON.stringify(lost.map((x) => x.i))}, ${damaged.length} incomplete ${JSON.stringify(damaged)}`);

    expect(served.length).toBe(N);
    // What the product guarantees: an abrupt stop loses at most the changes of the last unwritten
    // window before it; everything after the stop (the worker is woken by the next event) is kept.
    for (const x of lost) expect(atRisk.has(x.i), `request ${x.i} lost ${x.sinceStop} ms after a stop`).toBe(true);
    for (const x of damaged) expect(atRisk.has(x.i), `request ${x.i} incomplete: ${JSON.stringify(x)}`).toBe(true);
    // In order (the page sent them one after the other), each once.
    expect(safe).toEqual([...safe].sort((a, b) => a - b));
    expect(new Set(got).size).toBe(got.length);
  });
});

/** Captured exactly as the burst page and server made it: every third preflighted, every fifth refused by the CORS check. */
function exact(ex: Exchange): boolean {
  const i = idOf(ex)!;
  const pf = ex.preflight;
  if (i % 3 === 0) {
    if (ex.method !== 'PUT' || pf?.observed !== 'sent' || pf.response?.statusCode !== 204) return false;
    if (pf.request.headers.find(([n]) => n === 'access-control-request-headers')?.[1] !== 'x-burst') return false;
  } else if (pf !== null) return false;
  if (i % 5 === 0) return ex.verdict === 'blocked' && ex.findings[0]?.chromeCorsError === 'MissingAllowOriginHeader' && ex.response?.statusCode === 200;
  return ex.verdict === 'allowed' && ex.response?.statusCode === 200;
}

describe('probe: capture-all, worker stopped, no DevTools', () => {
  it('wakes?', async () => {
    const burst = await startBurstLab();
    const l = await launch({ devtools: false });
    try {
      await l.request('cors-lens/capture', { scope: 'all', on: true });
      const page = await l.context.newPage();
      await page.goto(burst.pageUrl);
      const tabId = await l.tabIdOf(burst.pageOrigin);
      await runBurst(page, { n: 5, nonce: 'pre' });
      await sleep(300);
      const startedBefore = (await l.request('cors-lens/status', {})).startedAt;
      await l.automation.close();
      await stopServiceWorker({ ...l, automation: page } as Launched);
      const cdp = await l.context.newCDPSession(page);
      const states: string[] = [];
      cdp.on('ServiceWorker.workerVersionUpdated', (e) => { for (const v of e.versions) states.push(`${Date.now() % 100000} ${v.runningStatus}`); });
      await cdp.send('ServiceWorker.enable');
      await sleep(1000);
      const t = Date.now();
      await runBurst(page, { n: 50, from: 100, nonce: 'post', paceMs: 20 });
      console.log('burst took', Date.now() - t);
      await sleep(1500);
      console.log('states', states);
      const auto = await l.context.newPage();
      await auto.goto(`chrome-extension://${l.extensionId}/src/options/options.html`);
      const l2 = { ...l, automation: auto, request: (type: string, body: object) => auto.evaluate((m) => chrome.runtime.sendMessage(m), { type, ...body }) } as unknown as Launched;
      const st = await l2.request('cors-lens/status', {});
      const rep = await exportReport(l2, tabId);
      console.log('startedBefore', startedBefore, 'now', st.startedAt, 'wokeAt-offset', st.startedAt - t, 'exchanges', rep.exchanges.map(idOf).join(','));
    } finally {
      await l.close();
      await burst.close();
    }
  });
});
