// Page-load overhead in real headless Chromium (docs/platform.md, docs/budgets.md): each configuration in a fresh
// browser and profile, alternating within each round; both lab pages timed inside the page; nothing
// attached to the measured tab; CPU seconds of the browser's process tree per page.

import { launchBrowser, sleep, waitFor, workerEval } from './lib/browser.mjs';
import { cpuDelta, cpuTree } from './lib/proc.mjs';
import { expectedServerRequests } from '../lab/perf-pages.mjs';

/**
 * @typedef {{ id: string, label: string, ext: string | null, devtools: boolean, captureAll?: boolean, mirrorScope?: 'tab' | 'all' }} Config
 */

/** @type {Config[]} */
export const CONFIGS = [
  { id: 'none', label: 'no extension', ext: null, devtools: false },
  { id: 'idle', label: 'CORS Lens installed, nothing inspected', ext: 'lens', devtools: false },
  { id: 'devtools', label: 'DevTools open, no extension', ext: null, devtools: true },
  { id: 'devtools+lens', label: 'DevTools open, CORS Lens capturing', ext: 'lens', devtools: true },
  { id: 'devtools+mirror', label: "DevTools open, empty extension with CORS Lens's listeners (tab filter)", ext: 'mirror', devtools: true, mirrorScope: 'tab' },
  { id: 'lens-all', label: 'CORS Lens, capture all tabs', ext: 'lens', devtools: false, captureAll: true },
];
/** With --extra: the mirror unfiltered, no DevTools (own code of capture-all, with less noise than DevTools). */
export const EXTRA_CONFIGS = /** @type {Config[]} */ ([
  { id: 'mirror-all', label: "empty extension with CORS Lens's listeners, every tab", ext: 'mirror', devtools: false, mirrorScope: 'all' },
  { id: 'idle-optional', label: 'CORS Lens with webRequest and host access as optional permissions (not granted), nothing inspected', ext: 'lensOptional', devtools: false },
  { id: 'idle-optional-all', label: 'CORS Lens with webRequest, declarativeNetRequest and host access optional (not granted), nothing inspected', ext: 'lensOptionalAll', devtools: false },
  // Other listener sets (bench/lib/build.mjs LISTENER_VARIANTS), against `devtools`: where the floor lies.
  { id: 'devtools+mirror-no-headers', label: 'DevTools open, empty extension: onSendHeaders (extraHeaders) + onErrorOccurred', ext: 'mirror-no-headers', devtools: true, mirrorScope: 'tab' },
  { id: 'devtools+mirror-xh-response', label: 'DevTools open, empty extension: extraHeaders on onHeadersReceived instead of onSendHeaders', ext: 'mirror-xh-response', devtools: true, mirrorScope: 'tab' },
  { id: 'devtools+mirror-no-script', label: "DevTools open, empty extension: CORS Lens's listeners without the script type", ext: 'mirror-no-script', devtools: true, mirrorScope: 'tab' },
  // With --lens-ref <git ref>: CORS Lens as committed there, to measure a change in the same rounds.
  { id: 'devtools+lens-ref', label: 'DevTools open, CORS Lens as of --lens-ref, capturing', ext: 'lensRef', devtools: true },
]);

/** Ratios reported, with their budget (docs/budgets.md). */
export const COMPARISONS = [
  { id: 'not-inspecting', config: 'idle', baseline: 'none', budget: { realistic: 1.02, stress: 1.02 } },
  { id: 'inspecting', config: 'devtools+lens', baseline: 'devtools', budget: { realistic: 1.15, stress: 1.30 } },
  { id: 'own-code', config: 'devtools+lens', baseline: 'devtools+mirror', budget: { realistic: 1.03, stress: 1.03 } },
  { id: 'listener-floor', config: 'devtools+mirror', baseline: 'devtools', budget: null },
  { id: 'capture-all', config: 'lens-all', baseline: 'none', budget: null },
  { id: 'devtools-alone', config: 'devtools', baseline: 'none', budget: null },
  { id: 'mirror-all', config: 'mirror-all', baseline: 'none', budget: null },
  { id: 'own-code-all', config: 'lens-all', baseline: 'mirror-all', budget: { realistic: 1.03, stress: 1.03 } },
  { id: 'not-inspecting-optional', config: 'idle-optional', baseline: 'none', budget: { realistic: 1.02, stress: 1.02 } },
  { id: 'not-inspecting-optional-all', config: 'idle-optional-all', baseline: 'none', budget: { realistic: 1.02, stress: 1.02 } },
  { id: 'floor-no-headers', config: 'devtools+mirror-no-headers', baseline: 'devtools', budget: null },
  { id: 'floor-xh-response', config: 'devtools+mirror-xh-response', baseline: 'devtools', budget: null },
  { id: 'floor-no-script', config: 'devtools+mirror-no-script', baseline: 'devtools', budget: null },
  { id: 'own-code-ref', config: 'devtools+lens-ref', baseline: 'devtools+mirror', budget: null },
  { id: 'change', config: 'devtools+lens', baseline: 'devtools+lens-ref', budget: null },
];

export const PAGES = /** @type {const} */ (['realistic', 'stress']);

/**
 * Open an extension page, evaluate there, close it.
 * @param {import('./lib/browser.mjs').Cdp} cdp @param {string} url @param {string} expression
 */
export async function inExtensionPage(cdp, url, expression) {
  const { targetId } = await cdp.send('Target.createTarget', { url });
  try {
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
    await waitFor(() => cdp.evalSession(sessionId, `document.readyState === 'complete' && typeof chrome.runtime?.sendMessage === 'function'`), 'extension page');
    return await cdp.evalSession(sessionId, expression);
  } finally {
    await cdp.send('Target.closeTarget', { targetId }).catch(() => {});
  }
}

/** The extension id of the (only) loaded extension. @param {import('./lib/browser.mjs').Cdp} cdp */
export async function extensionIdOf(cdp) {
  const t = await waitFor(async () => (await cdp.targets()).find((x) => x.type === 'service_worker' && x.url.startsWith('chrome-extension://')), 'extension worker');
  return new URL(t.url).host;
}

/** The chrome.tabs id of the tab whose URL contains `needle` (asked in the extension's worker). @param {import('./lib/browser.mjs').Cdp} cdp @param {string} needle */
export async function tabIdOf(cdp, needle) {
  return waitFor(() => workerEval(cdp, `(async () => (await chrome.tabs.query({})).find((t) => (t.url || '').includes(${JSON.stringify(needle)}))?.id)()`), `tab ${needle}`);
}

/**
 * One browser: set the configuration up, then the realistic page and the stress page in one tab.
 * @param {{ lab: any, config: Config, paths: Record<string, string>, tag: string, timeoutMs?: number }} o
 */
export async function runOnce({ lab, config, paths, tag, timeoutMs = 120_000 }) {
  const ext = config.ext ? (paths[config.ext] ?? null) : null;
  const browser = await launchBrowser({ extension: ext, devtools: config.devtools });
  /** @type {any} */
  const out = { config: config.id, pages: {}, checks: {} };
  try {
    const { cdp, pid } = browser;
    const runR = `${tag}-r`;
    const runS = `${tag}-s`;
    const stressUrl = lab.perf.pageUrl('stress', { run: runS, key: `${runS}-result` });
    const realisticUrl = lab.perf.pageUrl('realistic', { run: runR, key: `${runR}-result`, then: lab.perf.launcherUrl(`${runS}-gate`, stressUrl) });
    if (config.captureAll) {
      await sleep(Math.max(0, 1500 - (Date.now() - browser.startedAt)));
      const id = await extensionIdOf(cdp);
      const answer = await waitFor(() => inExtensionPage(cdp, `chrome-extension://${id}/src/options/options.html`,
        `chrome.runtime.sendMessage({ type: 'cors-lens/capture', scope: 'all', on: true })`), 'capture all');
      out.checks.captureAll = answer;
    }
    await cdp.send('Target.createTarget', { url: lab.perf.launcherUrl(`${runR}-gate`, realisticUrl) });
    // Attaching to a service worker while it starts makes Chromium drop it (Inspector.targetCrashed).
    await sleep(Math.max(0, 1500 - (Date.now() - browser.startedAt)));
    if (config.ext === 'lensOptional' || config.ext === 'lensOptionalAll') {
      // Without webRequest granted, worker.ts's top-level chrome.webRequest use throws: there may be no worker to ask.
      await sleep(500);
      out.checks.worker = (await cdp.targets()).some((t) => t.type === 'service_worker') ? 'running' : 'not running';
    } else if (config.ext) {
      const tabId = await tabIdOf(cdp, `key=${runR}-gate`);
      if (config.ext.startsWith('mirror')) {
        out.checks.listening = await workerEval(cdp, `bench.apply(${config.mirrorScope === 'all' ? 'null' : `[${tabId}]`})`);
      } else if (config.devtools || config.captureAll) {
        out.checks.listening = await waitFor(() => workerEval(cdp, 'chrome.webRequest.onSendHeaders.hasListeners()'), 'CORS Lens listening');
      } else {
        await sleep(500);
        out.checks.listening = await workerEval(cdp, 'chrome.webRequest.onSendHeaders.hasListeners() || chrome.webRequest.onHeadersReceived.hasListeners() || chrome.webRequest.onErrorOccurred.hasListeners()');
      }
    }
    if (config.devtools) await waitFor(async () => (await cdp.targets()).some((t) => t.url.startsWith('devtools://')), 'DevTools window');
    // Let start-up work (extension, DevTools front-end) finish: the same wait for every configuration.
    await sleep(Math.max(1000, 2500 - (Date.now() - browser.startedAt)));

    for (const [page, run] of /** @type {const} */ ([['realistic', runR], ['stress', runS]])) {
      const before = cpuTree(pid);
      lab.perf.release(`${run}-gate`);
      const result = await lab.perf.result(`${run}-result`, timeoutMs);
      const cpu = cpuDelta(before, cpuTree(pid), pid);
      const seen = lab.log.filter((/** @type {any} */ e) => e.query.includes(`run=${run}`) && new URLSearchParams(e.query).get('run') === run);
      /** @type {Record<string, number>} */
      const byPath = {};
      for (const e of seen) {
        const k = `${e.method} ${e.path.replace(/\/\d+(\.\w+)?$/, '/*')}`;
        byPath[k] = (byPath[k] ?? 0) + 1;
      }
      out.pages[page] = { ms: result.ms, ok: result.ok, failed: result.failed, errors: result.errors, cpu, serverSaw: seen.length, serverExpected: expectedServerRequests(page), serverByPath: byPath };
      if (page === 'realistic') await sleep(300);
    }
    if (config.ext?.startsWith('mirror')) out.checks.events = await workerEval(cdp, 'bench.counts');
  } catch (e) {
    out.error = String(e instanceof Error ? e.message : e);
    out.targets = await browser.cdp.targets().then((ts) => ts.map((t) => `${t.type} ${t.url.slice(0, 80)}`), () => []);
    out.stderr = browser.stderrTail().split('\n').filter((l) => !/dbus|UPower|DBus/.test(l)).slice(-15).join('\n');
  } finally {
    await browser.close();
    lab.clearLog();
  }
  return out;
}

/**
 * The rounds: every configuration once per round, in order.
 * @param {{ lab: any, paths: Record<string, string>, rounds: number, configs: Config[], log: (s: string) => void }} o
 */
export async function pageLoad({ lab, paths, rounds, configs, log }) {
  /** @type {Record<string, any[]>} */
  const runs = Object.fromEntries(configs.map((c) => [c.id, []]));
  for (let r = 0; r < rounds; r++) {
    for (const config of configs) {
      const t = Date.now();
      const res = await runOnce({ lab, config, paths, tag: `b${Date.now().toString(36)}${r}${config.id.replace(/\W/g, '')}` });
      runs[config.id]?.push(res);
      const p = res.pages;
      log(`  round ${r + 1}/${rounds} ${config.id.padEnd(16)} realistic ${p.realistic ? p.realistic.ms.toFixed(0).padStart(5) : '    –'} ms  stress ${p.stress ? p.stress.ms.toFixed(0).padStart(6) : '     –'} ms  (${((Date.now() - t) / 1000).toFixed(1)} s)${res.error ? `  ERROR ${res.error}` : ''}`);
    }
  }
  return runs;
}

/**
 * One browser with the mirror extension recording every event it gets, all tabs: the events per
 * request of both pages, and a trace of the lab's scenario page (the engine's corpus).
 * @param {{ lab: any, mirror: string }} o
 */
export async function recordEvents({ lab, mirror }) {
  const browser = await launchBrowser({ extension: mirror });
  try {
    const { cdp } = browser;
    await sleep(1000);
    await workerEval(cdp, 'bench.apply(null, true)');
    const tag = `rec${Date.now().toString(36)}`;
    /** @type {Record<string, any>} */
    const out = {};
    for (const page of /** @type {const} */ (['realistic', 'stress'])) {
      const run = `${tag}-${page}`;
      await cdp.send('Target.createTarget', { url: lab.perf.launcherUrl(`${run}-gate`, lab.perf.pageUrl(page, { run, key: `${run}-result` })) });
      await sleep(500);
      await workerEval(cdp, 'bench.take()');
      lab.perf.release(`${run}-gate`);
      out[page] = { result: await lab.perf.result(`${run}-result`, 60_000) };
      await sleep(500);
      out[page].events = await workerEval(cdp, 'bench.take()');
    }
    // The lab page, every scenario (the page is attached here: this run is not timed).
    const { targetId } = await cdp.send('Target.createTarget', { url: `${lab.originA}/` });
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
    await waitFor(() => cdp.evalSession(sessionId, `!!window.corsLab`), 'lab page');
    await workerEval(cdp, 'bench.take()');
    await cdp.evalSession(sessionId, `corsLab.ready.then(() => corsLab.runAll({ nonce: ${JSON.stringify(tag)} })).then((r) => r.length)`);
    await sleep(1000);
    out.lab = { events: await workerEval(cdp, 'bench.take()') };
    return out;
  } finally {
    await browser.close();
    lab.clearLog();
  }
}

/**
 * Events per request, from a recording: per fetch kind (s, sf, p, pf; see lab/perf-pages.mjs) the
 * events on the request and on its preflight, and per resource type.
 * @param {any[]} events CaptureEvents
 */
export function eventsPerRequest(events) {
  /** @type {Map<string, { url: string, type: string, method: string, preflight: boolean, n: number }>} */
  const byId = new Map();
  for (const ev of events) {
    let r = byId.get(ev.requestId);
    if (!r) {
      r = { url: ev.url, type: ev.type, method: ev.method, preflight: false, n: 0 };
      byId.set(ev.requestId, r);
    }
    r.n++;
    if (ev.kind === 'send' && ev.method === 'OPTIONS' && ev.headers.some((/** @type {[string, string]} */ [n]) => n === 'access-control-request-method')) r.preflight = true;
  }
  /** @type {Record<string, { requests: number, events: number }>} */
  const byKind = {};
  /** @type {Record<string, { requests: number, events: number }>} */
  const byType = {};
  let preflights = 0;
  for (const r of byId.values()) {
    const api = /\/perf\/api\/\d+\?k=(\w+)/.exec(r.url);
    const key = api ? `fetch ${api[1]}` : null;
    if (key) {
      const k = (byKind[key] ??= { requests: 0, events: 0 });
      if (!r.preflight) k.requests++;
      k.events += r.n;
    }
    if (r.preflight) preflights++;
    const t = (byType[r.preflight ? 'preflight' : r.type] ??= { requests: 0, events: 0 });
    t.requests++;
    t.events += r.n;
  }
  return { total: events.length, requests: byId.size, preflights, byKind, byType };
}
