import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, Worker } from 'playwright-core';
import { startBurstLab, type BurstLab, type BurstRunResult } from '../../lab/burst.mjs';
import { launch, launchPlain, stopServiceWorker, waitFor, type Launched } from './browser';
import { pollUntil } from '../shared/wait';

/**
 * A burst: about 10,000 cross-origin requests in about 10 s from three tabs at once, recorded in
 * "capture all tabs" mode with the session cap lowered to 2,000, while a panel is open on each tab.
 *
 * How to test by hand: set the cap on the options page, open three tabs on `node lab/burst.mjs`'s page,
 * run `burst.run({ n: 3400, concurrency: 8 })` in each, and watch the panels' counters.
 */

const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts');
const CAP = 2_000;
const PER_TAB = 3_400;

let burst: BurstLab;
let l: Launched;
const workerProblems: string[] = [];

function watch(worker: Worker): void {
  worker.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') workerProblems.push(`${m.type()}: ${m.text()}`);
  });
}

/** The worker's own uncaught errors and rejections, which console events may not carry. */
async function hookErrors(worker: Worker): Promise<void> {
  await worker.evaluate(() => {
    const g = globalThis as unknown as { __problems: string[] };
    g.__problems = [];
    self.addEventListener('error', (e) => g.__problems.push(`error: ${(e as ErrorEvent).message}`));
    self.addEventListener('unhandledrejection', (e) => g.__problems.push(`rejection: ${String((e as PromiseRejectionEvent).reason)}`));
  });
}

beforeAll(async () => {
  burst = await startBurstLab();
  l = await launch({ devtools: false });
  // The cap is read when the worker starts: store it, then let Chrome restart the worker.
  await l.automation.evaluate((cap) => Promise.all([chrome.storage.local.set({ settings: { cap } }), chrome.storage.session.set({ captureAll: true })]), CAP);
  const before = (await l.request('cors-lens/status', {})).startedAt;
  await stopServiceWorker(l);
  await waitFor(async () => {
    const s = await l.request('cors-lens/status', {});
    return s.ready && s.startedAt !== before && s.captureAll;
  }, 'worker restarted with the new settings');
  const worker = l.context.serviceWorkers().find((w) => w.url().includes(l.extensionId))!;
  watch(worker);
  await hookErrors(worker);
});

afterAll(async () => {
  await l?.close();
  await burst?.close();
});

/**
 * The same burst in a browser without CORS Lens: how long this machine takes anyway, so the time with
 * CORS Lens reads as a ratio (no timing assertion: the machines are noisy).
 */
async function baselineMs(): Promise<number> {
  const plain = await launchPlain();
  try {
    const pages: Page[] = [];
    for (let k = 0; k < 3; k++) {
      const p = await plain.context.newPage();
      await p.goto(`${burst.pageUrl}&tab=${k}`);
      pages.push(p);
    }
    const t0 = Date.now();
    await Promise.all(
      pages.map((p, k) =>
        p.evaluate(
          (o) => (window as unknown as { burst: { run(o: object): Promise<BurstRunResult> } }).burst.run(o),
          { n: PER_TAB, concurrency: 8, nonce: `base${k}`, preflightEvery: 10, blockEvery: 7 },
        ),
      ),
    );
    return Date.now() - t0;
  } finally {
    await plain.close();
  }
}

describe('a burst of 10,000 requests in three tabs, session cap 2,000', () => {
  it('caps each session, counts every drop, throws nothing, and the panel stays responsive', async () => {
    const pages: Page[] = [];
    const tabIds: number[] = [];
    const panels: Page[] = [];
    for (let k = 0; k < 3; k++) {
      const p = await l.context.newPage();
      await p.goto(`${burst.pageUrl}&tab=${k}`);
      pages.push(p);
      tabIds.push(await l.tabIdOf(`${burst.pageOrigin}/burst?api=${encodeURIComponent(burst.apiOrigin)}&raw=${encodeURIComponent(burst.rawOrigin)}&tab=${k}`));
    }
    for (const id of tabIds) {
      const panel = await l.context.newPage();
      await panel.goto(`chrome-extension://${l.extensionId}/src/panel/panel.html?tabId=${id}`);
      await panel.locator('[data-toggle=blockedOnly]').waitFor();
      panels.push(panel);
    }

    const withoutLensMs = await baselineMs();
    // Measured in the panel too: from the input event's time stamp (when the browser took the click)
    // to the toggle's new state in the DOM. The harness's round trip (CDP click, then polling) adds a
    // Node process starved by the same burst; both are reported, the panel's own answer is asserted.
    // (Not to the next animation frame: under this load headless Chromium, software compositing, ran
    // that frame up to 1.1 s after a DOM change made within 110 ms; a frame measure would time the
    // headless compositor more than the panel.)
    await panels[0]!.evaluate(() => {
      const w = window as unknown as { __clicks: number[]; __down: number | null };
      w.__clicks = [];
      w.__down = null;
      document.addEventListener('pointerdown', (e) => (w.__down = e.timeStamp), true);
      new MutationObserver(() => {
        if (w.__down !== null) w.__clicks.push(performance.now() - w.__down);
        w.__down = null;
      }).observe(document.querySelector('[data-toggle=blockedOnly]')!, { attributes: true, attributeFilter: ['aria-pressed'] });
    });
    const t0 = Date.now();
    const runs = pages.map((p, k) =>
      p.evaluate(
        (o) => (window as unknown as { burst: { run(o: object): Promise<BurstRunResult> } }).burst.run(o),
        { n: PER_TAB, concurrency: 8, nonce: `tab${k}`, preflightEvery: 10, blockEvery: 7 },
      ),
    );
    // Meanwhile, click a toggle in the first panel and time the answer.
    const clicks: number[] = [];
    let done = false;
    void Promise.all(runs).finally(() => (done = true));
    const panel = panels[0]!;
    const box = (await panel.locator('[data-toggle=blockedOnly]').boundingBox())!;
    while (!done) {
      // The user's view: from the click sent to the toggle drawn pressed (or unpressed).
      const was = await panel.locator('[data-toggle=blockedOnly]').getAttribute('aria-pressed');
      const t = Date.now();
      await panel.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await panel.waitForFunction((w) => document.querySelector('[data-toggle=blockedOnly]')?.getAttribute('aria-pressed') !== w, was, { polling: 10, timeout: 10_000 });
      clicks.push(Date.now() - t);
      // The next click when the burst has gone on by a hundred requests (or is over).
      const seen = burst.log.length;
      await pollUntil(() => done || burst.log.length >= seen + 100, 'the burst going on', { timeoutMs: 60_000, intervalMs: 10 });
    }
    const results = await Promise.all(runs);
    const ms = Date.now() - t0;
    const inPanel = await panel.evaluate(() => (window as unknown as { __clicks: number[] }).__clicks.map((x) => Math.round(x)));

    // Every request the server saw for a tab is either kept or counted as dropped.
    const served = [0, 1, 2].map((k) => burst.log.filter((e) => e.server === 'Q' && e.run === `tab${k}` && e.method !== 'OPTIONS').length);
    const counters = await Promise.all(
      panels.map((p, k) =>
        waitFor(async () => {
          const captured = Number((await p.locator('[data-counter=captured]').textContent())?.match(/\d+/)?.[0]);
          const dropped = Number((await p.locator('[data-counter=dropped]').textContent())?.match(/\d+/)?.[0]);
          return captured + dropped === served[k] ? { captured, dropped } : null;
        }, `panel ${k} counters to settle`, 15_000).catch(async () => ({
          captured: Number((await p.locator('[data-counter=captured]').textContent())?.match(/\d+/)?.[0]),
          dropped: Number((await p.locator('[data-counter=dropped]').textContent())?.match(/\d+/)?.[0]),
        })),
      ),
    );
    const status = await l.request('cors-lens/status', {});
    const storageBytes = await l.automation.evaluate(() => chrome.storage.session.getBytesInUse(null));
    const storageByKind = await l.automation.evaluate(async () => {
      const all = await chrome.storage.session.get(null);
      const out: Record<string, { n: number; bytes: number }> = {};
      for (const [k, v] of Object.entries(all)) {
        const kind = k.split(':')[0]!;
        out[kind] ??= { n: 0, bytes: 0 };
        out[kind].n++;
        out[kind].bytes += k.length + JSON.stringify(v).length;
      }
      return out;
    });
    const worker = l.context.serviceWorkers().find((w) => w.url().includes(l.extensionId))!;
    const uncaught = await worker.evaluate(() => (globalThis as unknown as { __problems: string[] }).__problems);
    const heap = await worker.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? null);
    const numbers = {
      requests: served.reduce((a, b) => a + b, 0),
      ms,
      withoutLensMs,
      results,
      served,
      sessions: tabIds.map((id) => status.sessions[id]),
      counters,
      clicksMs: clicks,
      clicksInPanelMs: inPanel,
      storageBytes,
      storageByKind,
      workerHeapBytes: heap,
      workerProblems,
      uncaught,
    };
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'reliability-burst.json'), JSON.stringify(numbers, null, 2));
    console.log(`burst: ${numbers.requests} requests in ${ms} ms (without CORS Lens ${withoutLensMs} ms, ${(ms / withoutLensMs).toFixed(2)}x); sessions ${numbers.sessions.join('/')}; counters ${JSON.stringify(counters)}; toggle answered ${inPanel.join('/')} ms after the click (in the panel; harness round trip ${clicks.join('/')} ms); storage.session ${(storageBytes / 1e6).toFixed(2)} MB; worker heap ${heap === null ? '?' : (heap / 1e6).toFixed(1)} MB`);

    expect(results.every((r) => r.sent === PER_TAB)).toBe(true);
    expect(served).toEqual([PER_TAB, PER_TAB, PER_TAB]);
    expect(workerProblems).toEqual([]);
    expect(uncaught).toEqual([]);
    for (const id of tabIds) expect(status.sessions[id]).toBe(CAP);
    for (let k = 0; k < 3; k++) {
      expect(counters[k]!.captured, `tab ${k}`).toBe(CAP);
      expect(counters[k]!.dropped, `tab ${k}`).toBe(served[k]! - CAP);
    }
    expect(clicks.length).toBeGreaterThan(0);
    expect(inPanel.length).toBe(clicks.length);
    expect(Math.max(...inPanel)).toBeLessThan(1_000);
    expect(storageBytes).toBeLessThan(8 * 1024 * 1024);
  // A guard, not a timing assertion: the burst runs twice (with and without CORS Lens), and the
  // ratio between the two is what is printed.
  }, 300_000);
});
