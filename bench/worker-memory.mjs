// The worker's memory with the session at its cap (capture-all mode, a page making more requests
// than the cap), storage.session use, the export as the worker does it, and the real panel page fed
// that session: time to first render and per-keystroke filter time.

import { launchBrowser, sleep, waitFor, workerEval, extensionWorker } from './lib/browser.mjs';
import { extensionIdOf, inExtensionPage, tabIdOf } from './pageload.mjs';

/** @param {import('./lib/browser.mjs').Cdp} cdp */
async function workerHeap(cdp) {
  const w = await extensionWorker(cdp);
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: w.targetId, flatten: true });
  try {
    await cdp.send('HeapProfiler.enable', {}, sessionId);
    await cdp.send('HeapProfiler.collectGarbage', {}, sessionId);
    await cdp.send('HeapProfiler.collectGarbage', {}, sessionId);
    const h = await cdp.send('Runtime.getHeapUsage', {}, sessionId);
    await cdp.send('HeapProfiler.disable', {}, sessionId).catch(() => {});
    return { usedMB: h.usedSize / 2 ** 20, totalMB: h.totalSize / 2 ** 20 };
  } finally {
    await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => {});
  }
}

/** Wait until storage.session stops growing (the store's batched writes are done). @param {import('./lib/browser.mjs').Cdp} cdp */
async function settledBytes(cdp) {
  let last = -1;
  let stable = 0;
  const end = Date.now() + 30_000;
  while (Date.now() < end) {
    const b = await workerEval(cdp, 'chrome.storage.session.getBytesInUse(null)');
    if (b === last) {
      if (++stable >= 2) return b;
    } else stable = 0;
    last = b;
    await sleep(500);
  }
  return last;
}

/** The panel page watches itself: when the table first shows the session (rows and the total). */
const FIRST_RENDER = (/** @type {number} */ min) => `(() => {
  const check = () => {
    if (window.__firstRender) return;
    const c = document.querySelector('[data-testid=counters]');
    const rows = document.querySelectorAll('.grid-row:not(.grid-head)').length;
    if (c && Number(c.getAttribute('data-total')) >= ${min} && rows > 0) {
      window.__firstRender = performance.now();
      window.__rows = rows;
      requestAnimationFrame(() => { window.__firstFrame = performance.now(); });
    }
  };
  const obs = new MutationObserver(check);
  document.addEventListener('DOMContentLoaded', () => { obs.observe(document, { subtree: true, childList: true, attributes: true }); check(); });
})()`;

/** Type `query` into the filter box one key at a time; each keystroke timed to the DOM updated (layout forced). */
const TYPE = (/** @type {string} */ query) => `(async () => {
  const input = document.querySelector('input[aria-label=Filter]');
  if (!input) return { error: 'no filter box' };
  const counters = () => document.querySelector('[data-testid=counters]')?.getAttribute('data-shown');
  const out = [];
  const q = ${JSON.stringify(query)};
  for (let i = 1; i <= q.length; i++) {
    const t0 = performance.now();
    input.value = q.slice(0, i);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((r) => setTimeout(r, 0));
    void document.body.offsetHeight;
    out.push({ text: q.slice(0, i), ms: performance.now() - t0, shown: Number(counters()) });
    await new Promise((r) => setTimeout(r, 20));
  }
  input.value = '';
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await new Promise((r) => setTimeout(r, 50));
  return out;
})()`;

/**
 * @param {{ lab: any, lens: string, n: number, queries: string[], log: (s: string) => void }} o
 */
export async function workerMemory({ lab, lens, n, queries, log }) {
  const browser = await launchBrowser({ extension: lens });
  /** @type {any} */
  const out = { requests: n };
  try {
    const { cdp } = browser;
    const id = await extensionIdOf(cdp);
    const options = `chrome-extension://${id}/src/options/options.html`;
    await sleep(1000);
    out.heapEmptyMB = (await workerHeap(cdp)).usedMB;
    out.captureAll = await waitFor(() => inExtensionPage(cdp, options, `chrome.runtime.sendMessage({ type: 'cors-lens/capture', scope: 'all', on: true })`), 'capture all');
    const run = `mem${Date.now().toString(36)}`;
    await cdp.send('Target.createTarget', { url: lab.perf.launcherUrl(`${run}-gate`, lab.perf.pageUrl('bulk', { run, key: `${run}-result`, n, batch: 1000 })) });
    const tabId = await tabIdOf(cdp, `key=${run}-gate`);
    await sleep(500);
    const t0 = Date.now();
    lab.perf.release(`${run}-gate`);
    out.page = await lab.perf.result(`${run}-result`, 240_000);
    out.pageSeconds = (Date.now() - t0) / 1000;
    log(`  bulk page: ${n} requests in ${out.pageSeconds.toFixed(1)} s (${out.page.ok} ok, ${out.page.failed} failed)`);
    out.storageBytes = await settledBytes(cdp);
    out.storageMB = out.storageBytes / 2 ** 20;
    const heap = await workerHeap(cdp);
    out.heapMB = heap.usedMB;
    out.heapTotalMB = heap.totalMB;
    const status = await inExtensionPage(cdp, options, `chrome.runtime.sendMessage({ type: 'cors-lens/status' })`);
    out.kept = status?.sessions?.[tabId] ?? null;
    out.storageHealth = status?.storage ?? null;
    // The export as the worker builds it (every kept exchange), timed in an extension page.
    out.export = await inExtensionPage(cdp, options, `(async () => {
      const t0 = performance.now();
      const r = await chrome.runtime.sendMessage({ type: 'cors-lens/export', tabId: ${tabId} });
      const t1 = performance.now();
      const text = JSON.stringify(r, null, 2);
      return { exchanges: r.exchanges?.length ?? null, ms: t1 - t0, stringifyMs: performance.now() - t1, mb: text.length / 2 ** 20 };
    })()`);
    log(`  worker heap ${out.heapMB.toFixed(1)} MB with ${out.kept} kept, storage.session ${out.storageMB.toFixed(2)} MB`);

    // The panel page, popped out (panel.html?tabId=N), fed the worker's snapshot of that session.
    const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
    await cdp.send('Page.enable', {}, sessionId);
    await cdp.send('Page.addScriptToEvaluateOnNewDocument', { source: FIRST_RENDER(Math.min(out.kept ?? 1, 10_000)) }, sessionId);
    await cdp.send('Page.navigate', { url: `chrome-extension://${id}/src/panel/panel.html?tabId=${tabId}` }, sessionId);
    const first = await waitFor(() => cdp.evalSession(sessionId, `window.__firstFrame ? { render: window.__firstRender, frame: window.__firstFrame, rows: window.__rows } : null`), 'panel first render', 60_000);
    out.panel = { firstRenderMs: first.render, firstFrameMs: first.frame, rowsInDom: first.rows, keystrokes: {} };
    await sleep(300);
    for (const q of queries) out.panel.keystrokes[q] = await cdp.evalSession(sessionId, TYPE(q));
    const ph = await cdp.send('Runtime.getHeapUsage', {}, sessionId);
    out.panel.heapMB = ph.usedSize / 2 ** 20;
    await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => {});
  } catch (e) {
    out.error = String(e instanceof Error ? e.message : e);
  } finally {
    await browser.close();
    lab.clearLog();
  }
  return out;
}
