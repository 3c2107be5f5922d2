import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { startLab } from '../../lab/server.mjs';
import { RAW_CASES, startBurstLab, type BurstLab } from '../../lab/burst.mjs';
import { exportReport, launch, waitFor, type Launched } from './browser';
import { quietFor, settled } from '../shared/wait';
import { renderHtml } from '../../src/report/html';
import type { SessionReport } from '../../src/report/schema';

/**
 * Security: hostile headers (the lab's hostile-* scenarios, and a raw socket server's bytes Node's
 * http refuses to write) run nothing in the panel or in the HTML report, and the engine explains
 * them; and the extension itself sends nothing to the network: with DevTools open and the lab run,
 * every request the browser makes goes to a lab origin (or stays inside the browser).
 *
 * Payloads call `__ran(...)` (exposed to every page of the profile) or `alert(...)` (a dialog): any
 * call, dialog, page error or CSP violation fails the test.
 */

type Lab = Awaited<ReturnType<typeof startLab>>;
const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts');

let lab: Lab;
let burst: BurstLab;
let l: Launched;
const ran: string[] = [];
const dialogs: string[] = [];
const pageErrors: string[] = [];
/** What a payload did, if anything: for `quietFor`, which fails the moment something happens. */
const hostileRan = () => (ran.length + dialogs.length + pageErrors.length > 0 ? { ran, dialogs, pageErrors } : null);
const requests: Array<{ url: string; from: string }> = [];
let reports: SessionReport[] = [];
let workerCdp: CDPSession;

/** Watch a page for anything a payload could make happen. */
function guard(p: Page, name: string): void {
  p.on('dialog', (d) => {
    dialogs.push(`${name}: ${d.message()}`);
    void d.dismiss();
  });
  p.on('pageerror', (e) => pageErrors.push(`${name}: ${e.message}`));
  p.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) pageErrors.push(`${name}: ${m.text()}`);
  });
}

/** The worker's own network requests, through the DevTools Protocol (Playwright's request events cover pages only). */
async function watchWorkerNetwork(): Promise<CDPSession> {
  const browser = await l.context.browser()!.newBrowserCDPSession();
  const { targetInfos } = await browser.send('Target.getTargets');
  const sw = targetInfos.find((t) => t.type === 'service_worker' && t.url.includes(l.extensionId));
  if (!sw) throw new Error('no worker target');
  const { sessionId } = await browser.send('Target.attachToTarget', { targetId: sw.targetId, flatten: false });
  browser.on('Target.receivedMessageFromTarget', (e) => {
    if (e.sessionId !== sessionId) return;
    const m = JSON.parse(e.message) as { method?: string; params?: { request?: { url: string } } };
    if (m.method === 'Network.requestWillBeSent' && m.params?.request) requests.push({ url: m.params.request.url, from: 'worker' });
  });
  await browser.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: 1, method: 'Network.enable', params: {} }) });
  return browser;
}

beforeAll(async () => {
  lab = await startLab();
  burst = await startBurstLab();
  l = await launch({ devtools: true });
  await l.context.exposeFunction('__ran', (what: string) => ran.push(String(what)));
  l.context.on('request', (r) => requests.push({ url: r.url(), from: r.frame()?.url() ?? 'worker' }));
  workerCdp = await watchWorkerNetwork();

  const labPage = await l.context.newPage();
  guard(labPage, 'lab page');
  await labPage.goto(`${lab.originA}/`);
  const rawPage = await l.context.newPage();
  guard(rawPage, 'raw page');
  await rawPage.goto(burst.pageUrl);
  const tabs = [await l.tabIdOf(lab.originA), await l.tabIdOf(burst.pageOrigin)];
  await waitFor(async () => {
    const s = await l.request('cors-lens/status', {});
    return tabs.every((t) => s.tabs.includes(t));
  }, 'capture of both tabs');
  await labPage.evaluate(() => (window as unknown as { corsLab: { runAll(o: object): Promise<unknown> } }).corsLab.runAll({ nonce: 'sec', group: 'hostile' }));
  await labPage.evaluate(() => (window as unknown as { corsLab: { runAll(o: object): Promise<unknown> } }).corsLab.runAll({ nonce: 'sec-all' }));
  await rawPage.evaluate((cases) => (window as unknown as { burst: { raw(c: string[], n: string): Promise<unknown> } }).burst.raw(cases, 'sec'), Object.keys(RAW_CASES));
  // The last events may still be on their way to the worker: export once both sessions have settled.
  await settled(async () => (await Promise.all(tabs.map((t) => exportReport(l, t)))).map((r) => r.exchanges.map((e) => `${e.id}:${e.verdict}:${e.response?.statusCode ?? e.error}`)), 'the recorded exchanges');
  reports = await Promise.all(tabs.map((t) => exportReport(l, t)));
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, 'reliability-hostile-export.json'), JSON.stringify(reports[1], null, 2));
});

afterAll(async () => {
  await workerCdp?.detach().catch(() => {});
  await l?.close();
  await lab?.close();
  await burst?.close();
});

describe('hostile headers', () => {
  it('are captured, and the engine explains each of them', () => {
    const hostile = reports[0]!.exchanges.filter((e) => e.url.includes('hostile-'));
    expect(hostile.length).toBeGreaterThanOrEqual(lab.scenarios.filter((s) => s.group === 'hostile').length * 2);
    const raw = reports[1]!.exchanges;
    const seen = raw.map((e) => new URL(e.url).pathname.replace('/raw/', ''));
    // Chrome refuses some of them outright (a NUL byte, an HTML header name): those still show as failed exchanges.
    expect(new Set(seen)).toEqual(new Set(Object.keys(RAW_CASES)));
    for (const e of [...hostile, ...raw]) {
      if (e.verdict === 'blocked') expect(e.findings[0]?.severity, e.url).toBe('error');
      expect(e.verdict, e.url).not.toBe('unknown');
    }
    const summary = raw.map((e) => `${new URL(e.url).pathname}: ${e.verdict} ${e.error ?? ''} ${e.findings[0]?.id ?? ''} (${e.response?.headers.length ?? 0} headers)`);
    console.log(`raw hostile cases:\n  ${summary.join('\n  ')}`);
  });

  it('run nothing in the panel (popped out into a tab), whatever row is opened', async () => {
    for (const [k, report] of reports.entries()) {
      const panel = await l.context.newPage();
      guard(panel, `panel ${k}`);
      await panel.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { __ran(s: string): void }).__ran(`csp ${e.violatedDirective}`)));
      await panel.goto(`chrome-extension://${l.extensionId}/src/panel/panel.html?tabId=${report.tab.id}`);
      await panel.locator('[role=row][data-id]').first().waitFor();
      if (k === 0) await panel.locator('input[type=search]').fill('hostile-');
      const rows = panel.locator('[role=row][data-id]');
      const n = await rows.count();
      expect(n).toBeGreaterThanOrEqual(k === 0 ? 20 : Object.keys(RAW_CASES).length);
      // Open each row's detail in turn: every header of every hostile response is rendered.
      let text = '';
      for (let r = 0; r < n; r++) {
        await rows.nth(r).click();
        text += await panel.locator('body').innerText();
      }
      await quietFor(hostileRan, 'a hostile payload running in the panel', 300);
      expect(text).toMatch(/<script>|<img/);
      await panel.close();
    }
    expect(ran).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('run nothing in the HTML report', async () => {
    for (const report of reports) {
      const html = renderHtml(report);
      const page = await l.context.newPage();
      guard(page, `report of tab ${report.tab.id}`);
      await page.addInitScript(() => {
        const ran = (s: string) => (window as unknown as { __ran(s: string): void }).__ran(s);
        window.addEventListener('error', (e) => ran(`onerror ${e.message}`));
        document.addEventListener('securitypolicyviolation', (e) => ran(`csp ${e.violatedDirective} ${e.blockedURI}`));
      });
      await page.goto('about:blank');
      await page.setContent(html, { waitUntil: 'load' });
      // Printing opens every <details>: render that too.
      await page.emulateMedia({ media: 'print' });
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
      await quietFor(hostileRan, 'a hostile payload running in the report', 200);
      expect(await page.locator('body').innerText()).toContain('<script>');
      expect(await page.locator('script').count()).toBe(0);
      expect(await page.locator('img, iframe, object, embed').count()).toBe(0);
      await page.close();
    }
    // A CSP violation would mean a payload became markup that tried to load or run: it did not.
    expect(ran).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

describe('data stays local', () => {
  it('every request the browser made went to a lab origin or stayed in the browser', () => {
    const labOrigins = [lab.originA, lab.originB, lab.originBSameSite, lab.originC, lab.refusedOrigin, lab.unsafeOrigin, burst.pageOrigin, burst.apiOrigin, burst.rawOrigin];
    const local = (u: string) =>
      labOrigins.some((o) => u.startsWith(`${o}/`)) || /^(chrome-extension|devtools|chrome|data|blob|about):/.test(u) || u.startsWith('ftp://127.0.0.1');
    const outside = requests.filter((r) => !local(r.url));
    const fromExtension = requests.filter((r) => r.from.startsWith('chrome-extension:') || r.from === 'worker').filter((r) => !r.url.startsWith('chrome-extension:'));
    console.log(`data stays local: ${requests.length} requests seen (lab servers logged ${lab.log.length + burst.log.length}), ${outside.length} outside the lab, ${fromExtension.length} from extension pages or the worker`);
    expect(requests.length).toBeGreaterThan(100);
    expect(outside).toEqual([]);
    expect(fromExtension).toEqual([]);
  });
});
