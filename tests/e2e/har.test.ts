import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLab } from '../../lab/server.mjs';
import { assertBrowser, CHROME, launch, recordChromeVerdicts, waitFor, type ChromeVerdict, type Launched } from './browser';
import { assertCli, devtoolsPageOf, fullAgreement, getHar, matchUp, runCli, scenarioOf, verdictAgreement } from './har-sources';
import type { SessionReport } from '../../src/report/schema';

/**
 * HARs that real Chromium wrote for the lab, analysed by the built `cors-lens` command, and its
 * verdicts compared with Chrome's own (the DevTools Protocol's corsErrorStatus, recorded on the
 * same page at the same time):
 * - `chrome.devtools.network.getHAR()` called in the extension's DevTools page, in the real DevTools;
 * - Playwright's `recordHar` (playwright-core's launchPersistentContext).
 */

type Lab = Awaited<ReturnType<typeof startLab>>;
const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts');
const BASE_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let lab: Lab;

/** Chrome's verdicts for the lab's cross-origin requests (a same-origin request redirected away counts). */
function crossOrigin(verdicts: Map<string, ChromeVerdict>): ChromeVerdict[] {
  return [...verdicts.values()].filter((v) => scenarioOf(v.url) !== null && (!v.url.startsWith(lab.originA) || !v.finalUrl.startsWith(lab.originA)));
}

/** Run all scenarios and wait until Chrome has settled every request it started. */
async function runAll(page: import('playwright-core').Page, verdicts: Map<string, ChromeVerdict>): Promise<void> {
  await page.evaluate(() => (window as unknown as { corsLab: { runAll(): Promise<unknown> } }).corsLab.runAll());
  let last = -1;
  await waitFor(async () => {
    const n = verdicts.size;
    const stable = n === last;
    last = n;
    return stable;
  }, 'Chrome to report every request', 10_000);
}

async function analyze(file: string, extra: string[] = []): Promise<{ report: SessionReport; stderr: string }> {
  const r = await runCli(['analyze', file, '--format', 'json', ...extra]);
  expect(r.stderr).not.toMatch(/could not be analysed/);
  expect(r.code, r.stderr).toBe(0);
  return { report: JSON.parse(r.stdout) as SessionReport, stderr: r.stderr };
}

beforeAll(async () => {
  assertBrowser();
  assertCli();
  mkdirSync(ARTIFACTS, { recursive: true });
  lab = await startLab();
});

afterAll(async () => {
  await lab?.close();
});

describe('a HAR from chrome.devtools.network.getHAR() in the real DevTools', () => {
  let l: Launched;
  let file: string;
  let chromeSaw: ChromeVerdict[];
  let report: SessionReport;

  beforeAll(async () => {
    l = await launch({ devtools: true });
    const page = await l.context.newPage();
    await page.goto(`${lab.originA}/`);
    const tabId = await l.tabIdOf(lab.originA);
    // DevTools opened on the tab and loaded the extension's DevTools page (slow on a loaded machine).
    await waitFor(async () => (await l.request('cors-lens/status', {})).tabs.includes(tabId), 'capture of the lab tab', 90_000);
    const browser = await l.context.browser()!.newBrowserCDPSession();
    const devtoolsPage = await devtoolsPageOf(l, browser, tabId);
    const { verdicts } = await recordChromeVerdicts(page);
    await runAll(page, verdicts);
    chromeSaw = crossOrigin(verdicts);
    const har = await getHar(browser, devtoolsPage);
    expect(har.entries).toBeGreaterThan(chromeSaw.length);
    file = join(ARTIFACTS, 'lab-gethar.har');
    writeFileSync(file, har.text);
    report = (await analyze(file)).report;
    writeFileSync(join(ARTIFACTS, 'lab-gethar.report.json'), JSON.stringify(report, null, 2));
  }, 300_000);

  afterAll(async () => {
    await l?.close();
  });

  it('lists every cross-origin request Chrome made, once', () => {
    const pairs = matchUp(report, chromeSaw);
    expect(pairs.filter((p) => !p.exchange).map((p) => `${p.chrome.method} ${p.chrome.url}`)).toEqual([]);
    expect(report.exchanges.length).toBe(chromeSaw.length);
    expect(report.schema).toBe('cors-lens/session');
  });

  it('agrees with Chrome\u2019s own CORS error on every request (name and failed parameter)', () => {
    const a = fullAgreement(matchUp(report, chromeSaw));
    console.log(`getHAR oracle agreement: ${a.agree}/${a.total}`);
    writeFileSync(join(ARTIFACTS, 'har-oracle-gethar.txt'), `getHAR oracle agreement: ${a.agree}/${a.total}\n${a.disagreements.join('\n')}\n`);
    expect(a.disagreements).toEqual([]);
    expect(a.total).toBeGreaterThan(60);
  });

  it('pairs the preflights Chrome sent with their requests', () => {
    for (const { chrome: c, exchange } of matchUp(report, chromeSaw)) {
      if (c.preflight) expect(exchange?.preflight?.observed, `${c.method} ${c.url}`).toBe('sent');
    }
  });

  it('gives the same verdicts for the sanitized export (no Cookie, Set-Cookie, Authorization), and says what it lacks', async () => {
    // Chrome's "Export HAR (sanitized)" leaves out exactly these three headers; the rest of the file is the same.
    const har = JSON.parse(readFileSync(file, 'utf8')) as { log: { entries: Array<{ request: { headers: Array<{ name: string }> }; response: { headers: Array<{ name: string }> } }> } };
    const secret = new Set(['cookie', 'set-cookie', 'authorization']);
    for (const e of har.log.entries) {
      e.request.headers = e.request.headers.filter((h) => !secret.has(h.name.toLowerCase()));
      e.response.headers = e.response.headers.filter((h) => !secret.has(h.name.toLowerCase()));
    }
    const sanitized = join(ARTIFACTS, 'lab-gethar-sanitized.har');
    writeFileSync(sanitized, JSON.stringify(har));
    const { report: r, stderr } = await analyze(sanitized);
    const a = fullAgreement(matchUp(r, chromeSaw));
    console.log(`getHAR (sanitized) oracle agreement: ${a.agree}/${a.total}`);
    expect(stderr).toMatch(/no request in the HAR carries a Cookie header/i);
    // Without cookies the credentials mode of the cookie scenarios is a guess; the verdicts still match Chrome's.
    expect(verdictAgreement(matchUp(r, chromeSaw)).disagreements).toEqual([]);
  });

  it('fails a build with --fail-on blocked, one line per blocked exchange with its fix', async () => {
    const r = await runCli(['analyze', file, '--fail-on', 'blocked']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines.length).toBe(report.exchanges.filter((e) => e.verdict === 'blocked').length);
    const header = lines.find((x) => x.includes('s=rule-header-disallowed'));
    expect(header).toMatch(/^BLOCKED PUT .*HeaderDisallowedByPreflightResponse.*Fix: .*Access-Control-Allow-Headers/);
  });
});

describe('a HAR from Playwright\u2019s recordHar', () => {
  let chromeSaw: ChromeVerdict[];
  let report: SessionReport;
  let stderr: string;

  beforeAll(async () => {
    const profile = mkdtempSync(join(tmpdir(), 'cors-lens-har-'));
    const file = join(ARTIFACTS, 'lab-recordhar.har');
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROME, headless: true, args: BASE_ARGS, recordHar: { path: file } });
    try {
      const page = await context.newPage();
      await page.goto(`${lab.originA}/`);
      const { verdicts } = await recordChromeVerdicts(page);
      await runAll(page, verdicts);
      chromeSaw = crossOrigin(verdicts);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
    ({ report, stderr } = await analyze(file));
    writeFileSync(join(ARTIFACTS, 'lab-recordhar.report.json'), JSON.stringify(report, null, 2));
  }, 300_000);

  it('lists every cross-origin request Chrome made, once', () => {
    const pairs = matchUp(report, chromeSaw);
    expect(pairs.filter((p) => !p.exchange).map((p) => `${p.chrome.method} ${p.chrome.url}`)).toEqual([]);
    expect(report.exchanges.length).toBe(chromeSaw.length);
  });

  it('blocks exactly what Chrome blocked; names Chrome\u2019s error only where the HAR holds the headers', () => {
    const pairs = matchUp(report, chromeSaw);
    const v = verdictAgreement(pairs);
    const full = fullAgreement(pairs);
    console.log(`recordHar oracle agreement: verdicts ${v.agree}/${v.total}, Chrome's error name ${full.agree}/${full.total}`);
    writeFileSync(join(ARTIFACTS, 'har-oracle-recordhar.txt'), `recordHar verdicts ${v.agree}/${v.total}; error names ${full.agree}/${full.total}\n${v.disagreements.join('\n')}\n--- names\n${full.disagreements.join('\n')}\n`);
    expect(v.disagreements).toEqual([]);
    expect(v.total).toBeGreaterThan(60);
    // Where the name is not Chrome's, the HAR lacked what decides it, and the verdict says so.
    for (const { chrome: c, exchange } of pairs) {
      if (!c.corsError || !exchange) continue;
      const first = exchange.findings.find((f) => f.severity === 'error');
      if (first?.chromeCorsError !== c.corsError) expect(exchange.response === null || exchange.preflight?.observed !== 'sent', `${c.url}`).toBe(true);
    }
    expect(stderr).toMatch(/Playwright.s recorder writes no preflight/);
  });
});
