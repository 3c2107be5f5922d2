import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startLab } from '../../lab/server.mjs';
import { customHeaderNames, launch, recordChromeVerdicts, stopServiceWorker, waitFor, type ChromeVerdict, type Launched, exportReport } from './browser';
import { settled } from '../shared/wait';
import type { SessionReport } from '../../src/report/schema';
import type { Exchange } from '../../src/traffic/exchange';

type Lab = Awaited<ReturnType<typeof startLab>>;
const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts');

let lab: Lab;
let l: Launched;
let page: Page;
let tabId: number;
let report: SessionReport;
let chromeSaw: ChromeVerdict[];

const scenarioOf = (url: string): string | null => {
  try {
    return new URL(url).searchParams.get('s');
  } catch {
    return null;
  }
};

const exportSession = (): Promise<SessionReport> => exportReport(l, tabId);

beforeAll(async () => {
  lab = await startLab();
  l = await launch({ devtools: true });
  page = await l.context.newPage();
  await page.goto(`${lab.originA}/`);
  tabId = await l.tabIdOf(lab.originA);
  // DevTools opened on the tab (as a user would) and its devtools page asked the worker to record it.
  await waitFor(async () => (await l.request('cors-lens/status', {})).tabs.includes(tabId), 'capture of the lab tab', 90_000);
  const { verdicts } = await recordChromeVerdicts(page);
  await page.evaluate(() => (window as unknown as { corsLab: { runAll(): Promise<unknown> } }).corsLab.runAll());
  // The last events may still be on their way to the worker: export once the session has settled.
  await settled(async () => (await exportSession()).exchanges.map((e) => `${e.id}:${e.verdict}:${e.response?.statusCode ?? e.error}`), 'the recorded exchanges');
  report = await exportSession();
  // Cross-origin at any point: a same-origin request redirected to another origin becomes a CORS request.
  chromeSaw = [...verdicts.values()].filter((v) => scenarioOf(v.url) !== null && (!v.url.startsWith(lab.originA) || !v.finalUrl.startsWith(lab.originA)));
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, 'capture-export.json'), JSON.stringify(report, null, 2));
  writeFileSync(join(ARTIFACTS, 'chrome-verdicts.json'), JSON.stringify(chromeSaw, null, 2));
});

afterAll(async () => {
  await l?.close();
  await lab?.close();
});

/** The x-* headers an exchange carried: as sent, or as its preflight announced them when it was never sent. */
function exchangeCustomHeaders(ex: Exchange): string {
  const sent = customHeaderNames(ex.request.headers.map(([n]) => n));
  if (sent || !ex.preflight) return sent;
  const announced = ex.preflight.request.headers.find(([n]) => n === 'access-control-request-headers')?.[1] ?? '';
  return customHeaderNames(announced.split(','));
}

/** Chrome's requests and the extension's exchanges, matched by method, URL and custom headers, in order. */
function matchUp(): Array<{ chrome: ChromeVerdict; exchange: Exchange | undefined }> {
  const pool = new Map<string, Exchange[]>();
  for (const ex of report.exchanges) {
    const k = `${ex.method} ${ex.url} ${exchangeCustomHeaders(ex)}`;
    pool.set(k, [...(pool.get(k) ?? []), ex]);
  }
  return chromeSaw.map((c) => ({ chrome: c, exchange: pool.get(`${c.method} ${c.url} ${c.customHeaders}`)?.shift() }));
}

describe('capture in real Chromium, DevTools open on the lab page', () => {
  it('lists every cross-origin request of every scenario exactly once', () => {
    const pairs = matchUp();
    const missing = pairs.filter((p) => !p.exchange).map((p) => `${p.chrome.method} ${p.chrome.url}`);
    expect(missing).toEqual([]);
    expect(report.exchanges.length).toBe(chromeSaw.length);
    const ids = report.exchanges.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('does not list same-origin requests (only those a redirect took to another origin)', () => {
    const sameOrigin = report.exchanges.filter((e) => e.url.startsWith(lab.originA));
    expect(sameOrigin.map((e) => scenarioOf(e.url)).sort()).toEqual(['control-same-origin-mode-redirected-away', 'redirect-same-origin-to-cross']);
    for (const e of sameOrigin) expect(e.redirects.length).toBe(1);
    expect(lab.log.some((r) => r.scenario === 'mode-same-origin-request')).toBe(true);
  });

  it('pairs each preflight Chrome sent with its request, and marks a cache hit as cached', () => {
    for (const { chrome: c, exchange } of matchUp()) {
      if (!exchange) continue;
      if (c.preflight) expect(exchange.preflight?.observed, `${c.method} ${c.url}`).toBe('sent');
      else if (exchange.preflight) expect(exchange.preflight.observed, `${c.method} ${c.url}`).not.toBe('sent');
    }
    const cached = report.exchanges.filter((e) => e.preflight?.observed === 'cached');
    expect(cached.length).toBeGreaterThan(0);
    for (const e of cached) expect(e.preflight!.cacheExpiresAt).toBeGreaterThan(e.startedAt);
  });

  it('pairs parallel preflights to one URL with the right requests', () => {
    const par = report.exchanges.filter((e) => (scenarioOf(e.url) ?? '').includes('parallel'));
    expect(par.length).toBeGreaterThanOrEqual(3);
    for (const e of par) {
      // The preflight announced exactly the headers its request then sent (or would have).
      const announced = e.preflight?.request.headers.find(([n]) => n === 'access-control-request-headers')?.[1] ?? '';
      const sent = e.request.headers.filter(([n]) => n.startsWith('x-')).map(([n]) => n).sort().join(',');
      if (e.response) expect(announced.split(',').filter((h) => h.startsWith('x-')).join(','), e.id).toBe(sent);
    }
    // The one request whose header the server refused is the one paired with the preflight that asked for it.
    const refused = par.filter((e) => e.verdict === 'blocked');
    expect(refused).toHaveLength(1);
    expect(refused[0]!.preflight?.request.headers.find(([n]) => n === 'access-control-request-headers')?.[1]).toContain('x-c');
    expect(refused[0]!.findings[0]?.failedParameter).toBe('x-c');
  });

  it('says whether the request reached the server, as the lab server saw it', () => {
    // Requests of one scenario share a URL, so compare counts per method and URL: the exchanges
    // marked reachedServer against what the lab server logged (its first hop, whatever the browser then did).
    const claimed = new Map<string, number>();
    const seen = new Map<string, number>();
    for (const ex of report.exchanges) {
      const k = `${ex.method} ${ex.url}`;
      claimed.set(k, (claimed.get(k) ?? 0) + (ex.reachedServer ? 1 : 0));
      const u = new URL(ex.url);
      seen.set(k, lab.log.filter((r) => r.method === ex.method && r.path === u.pathname && r.query === u.search).length);
    }
    const wrong = [...claimed].filter(([k, n]) => n !== seen.get(k)).map(([k, n]) => `${k}: extension ${n}, server ${seen.get(k)}`);
    expect(wrong).toEqual([]);
    expect([...claimed.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(30);
  });

  it('records Chrome\u2019s own CORS verdict next to each exchange (oracle agreement)', () => {
    let agree = 0;
    const disagreements: string[] = [];
    for (const { chrome: c, exchange } of matchUp()) {
      const first = exchange?.findings.find((f) => f.severity === 'error');
      const ours = c.corsError ? first?.chromeCorsError ?? null : null;
      const oursParam = c.corsError ? (first?.failedParameter ?? '') : '';
      // Where Chrome names no CORS error, the extension names none either (a refused connection is not CORS).
      const blockedRight = c.corsError
        ? exchange?.verdict === 'blocked'
        : exchange !== undefined && exchange.verdict !== 'blocked' && exchange.findings.every((f) => f.chromeCorsError === null);
      if (ours === c.corsError && oursParam === (c.failedParameter ?? '') && blockedRight) agree++;
      else disagreements.push(`${scenarioOf(c.url)} ${c.method}: Chrome ${c.corsError}(${c.failedParameter ?? ''}) vs ours ${ours}(${oursParam}) verdict ${exchange?.verdict}`);
    }
    console.log(`oracle agreement: ${agree}/${chromeSaw.length}`);
    writeFileSync(join(ARTIFACTS, 'oracle.txt'), `oracle agreement: ${agree}/${chromeSaw.length}\n${disagreements.join('\n')}\n`);
    expect(disagreements).toEqual([]);
  });

  it('keeps every exchange, and goes on capturing, when Chrome stops the service worker', async () => {
    const before = (await exportSession()).exchanges.length;
    await stopServiceWorker(l);
    // The DevTools page reconnects, which restarts the worker; it reloads the session from storage.session.
    await waitFor(async () => (await l.request('cors-lens/status', {})).tabs.includes(tabId), 'capture resumed');
    const after = await exportSession();
    expect(after.exchanges.length).toBe(before);
    await page.evaluate(() => (window as unknown as { corsLab: { run(id: string, o?: object): Promise<unknown> } }).corsLab.run('seed-gin-simple-get', { nonce: 'after-restart' }));
    await waitFor(async () => (await exportSession()).exchanges.length > before, 'capture after restart');
  });
});

describe('session life cycle', () => {
  it('starts a new session when the page navigates, unless Preserve log is on, and frees it when the tab closes', async () => {
    const p = await l.context.newPage();
    await p.goto(`${lab.originA}/?life`);
    const id = await l.tabIdOf(`${lab.originA}/?life`);
    await waitFor(async () => (await l.request('cors-lens/status', {})).tabs.includes(id), 'capture of the second tab', 90_000);
    const run = () => p.evaluate((n) => (window as unknown as { corsLab: { run(id: string, o: object): Promise<unknown> } }).corsLab.run('seed-gin-simple-get', { nonce: n }), String(Math.random()));
    const count = async () => (await exportReport(l, id)).exchanges.length;
    await run();
    await waitFor(async () => (await count()) === 1, 'one exchange');
    await p.reload();
    await waitFor(async () => (await count()) === 0, 'cleared by the navigation');

    // Preserve log, as a user ticks it in the panel.
    const panel = await l.context.newPage();
    await panel.goto(`chrome-extension://${l.extensionId}/src/panel/panel.html?tabId=${id}`);
    await panel.getByRole('checkbox', { name: 'Preserve log' }).check();
    await run();
    await waitFor(async () => (await count()) === 1, 'one exchange again');
    await p.reload();
    await p.evaluate(() => (window as unknown as { corsLab: { ready: Promise<unknown> } }).corsLab.ready);
    await run();
    await waitFor(async () => (await count()) === 2, 'kept across the navigation');
    await panel.close();

    await p.close();
    await waitFor(async () => !(id in (await l.request('cors-lens/status', {})).sessions), 'session freed');
  });
});

describe('capture scope', () => {
  it('registers no webRequest listener and captures nothing with DevTools closed', async () => {
    const b = await launch({ devtools: false });
    try {
      const p = await b.context.newPage();
      await p.goto(`${lab.originA}/`);
      const id = await b.tabIdOf(lab.originA);
      await p.evaluate(() => (window as unknown as { corsLab: { run(id: string, o?: object): Promise<unknown> } }).corsLab.run('seed-gin-simple-get', { nonce: 'closed' }));
      const status = await b.request('cors-lens/status', {});
      expect(status.listening).toBe(false);
      expect(await b.worker.evaluate(() => chrome.webRequest.onSendHeaders.hasListeners())).toBe(false);
      const r = await b.request('cors-lens/export', { tabId: id });
      expect('exchanges' in r ? r.exchanges.length : -1).toBe(0);

      // "Capture all tabs" records a tab with no DevTools.
      await b.request('cors-lens/capture', { scope: 'all', on: true });
      expect((await b.request('cors-lens/status', {})).listening).toBe(true);
      await p.evaluate(() => (window as unknown as { corsLab: { run(id: string, o?: object): Promise<unknown> } }).corsLab.run('seed-gin-simple-get', { nonce: 'all' }));
      await waitFor(async () => {
        const x = await b.request('cors-lens/export', { tabId: id });
        return 'exchanges' in x && x.exchanges.length === 1;
      }, 'capture-all exchange');
      await b.request('cors-lens/capture', { scope: 'all', on: false });
      expect((await b.request('cors-lens/status', {})).listening).toBe(false);
    } finally {
      await b.close();
    }
  });
});
