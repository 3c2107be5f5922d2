import { describeFinding, plainText } from '../../src/cors/describe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { openRealPanel, type Remote } from './devtools';
import { startLab } from '../../lab/server.mjs';
import { launch, waitFor, type Launched, exportReport } from './browser';
import { settled } from '../shared/wait';
import type { SessionReport } from '../../src/report/schema';
import type { Exchange } from '../../src/traffic/exchange';
import { fixToCopy } from '../../src/panel/format';

/**
 * The CORS panel where users see it: DevTools (opened by --auto-open-devtools-for-tabs) on the lab
 * page, its CORS panel shown through DevTools' own InspectorView, and the panel's iframe driven over
 * the DevTools Protocol. Then the same panel popped out into a tab, for light and dark screenshots.
 *
 * How to test by hand: `npm start`, open DevTools on the lab page, click the CORS tab, "Run all".
 */

type Lab = Awaited<ReturnType<typeof startLab>>;
const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts');
const run = promisify(execFile);

let lab: Lab;
let l: Launched;
let page: Page;
let tabId: number;
let report: SessionReport;
let devtools: Remote;
let panel: Remote;

async function openPanel(): Promise<void> {
  const real = await openRealPanel(l, tabId);
  devtools = real.devtools;
  panel = real.panel;
}

/** The panel's own DOM, read inside the panel (the Exchange detail and rows are plain DOM). */
const inPanel = <T>(body: string) => panel.eval<T>(`(async () => { ${body} })()`);
/**
 * The filter typed in. Preact renders a state change in a microtask queued by the input event, so
 * the `await` after it resumes once the filtered rows are drawn.
 */
const setFilter = (text: string) =>
  inPanel(`const i = document.querySelector('[aria-label="Filter"]'); i.value = ${JSON.stringify(text)}; i.dispatchEvent(new Event('input', { bubbles: true })); await Promise.resolve();`);
/** Click the first row and wait for its detail to be drawn. */
async function openFirstRow(): Promise<void> {
  await inPanel(`const row = document.querySelector('[role=row][data-id]'); window.__want = row.dataset.id; row.click();`);
  await waitFor(() => inPanel<boolean>(`return document.querySelector('.detail')?.dataset.id === window.__want;`), 'the detail of the first row');
}
const counts = () =>
  inPanel<{ shown: number; total: number }>(`const c = document.querySelector('[data-testid=counters]'); return { shown: Number(c.dataset.shown), total: Number(c.dataset.total) };`);

const exportSession = (): Promise<SessionReport> => exportReport(l, tabId);

const headerOf = (headers: Array<[string, string]>, name: string) => headers.find(([n]) => n === name)?.[1];
const byScenario = (id: string): Exchange[] => report.exchanges.filter((e) => new URL(e.url).searchParams.get('s') === id);

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  lab = await startLab();
  l = await launch({ devtools: true });
  page = await l.context.newPage();
  await page.goto(`${lab.originA}/`);
  tabId = await l.tabIdOf(lab.originA);
  await waitFor(async () => (await l.request('cors-lens/status', {})).tabs.includes(tabId), 'capture of the lab tab', 150_000);
  await page.evaluate(() => (window as unknown as { corsLab: { runAll(): Promise<unknown> } }).corsLab.runAll());
  // The last events may still be on their way to the worker: export once the session has settled.
  await settled(async () => (await exportSession()).exchanges.map((e) => `${e.id}:${e.verdict}:${e.response?.statusCode ?? e.error}`), 'the recorded exchanges');
  report = await exportSession();
  await openPanel();
  // Every lab scenario, one after the other, in a browser with DevTools open: minutes on a shared machine.
}, 300_000);

afterAll(async () => {
  await l?.close();
  await lab?.close();
});

describe('the CORS panel inside the real DevTools', () => {
  it('lists every captured exchange of the lab scenarios', async () => {
    expect(report.exchanges.length).toBeGreaterThan(20);
    await waitFor(async () => (await counts()).total === report.exchanges.length, 'the panel to list the session');
    const names = await inPanel<string[]>(`return [...document.querySelectorAll('[role=row][data-id] .name')].map((c) => c.textContent);`);
    expect(names.length).toBeGreaterThan(5);
    expect(names.every((n) => n.includes('?s='))).toBe(true);
    // DevTools' default theme, read from chrome.devtools.panels.themeName inside the real panel.
    expect(await inPanel<string>(`return chrome.devtools.panels.themeName;`)).toBe('default');
    expect(await inPanel<string>(`return document.documentElement.dataset.theme;`)).toBe('light');
    const shot = await devtools.send<{ data: string }>('Page.captureScreenshot', { format: 'png' });
    writeFileSync(join(ARTIFACTS, 'panel-devtools-list.png'), Buffer.from(shot.data, 'base64'));
  });

  it('opens a blocked exchange: finding title, Chrome error name and fix', async () => {
    await setFilter('s=rule-header-disallowed');
    expect((await counts()).shown).toBe(1);
    await openFirstRow();
    const shot = await devtools.send<{ data: string }>('Page.captureScreenshot', { format: 'png' });
    writeFileSync(join(ARTIFACTS, 'panel-devtools-detail.png'), Buffer.from(shot.data, 'base64'));
    const detail = await inPanel<string>(`return document.querySelector('[aria-label="Exchange detail"]').textContent;`);
    const [ex] = byScenario('rule-header-disallowed');
    expect(ex?.verdict).toBe('blocked');
    const first = ex!.findings.find((f) => f.severity === 'error')!;
    // Chrome's own name for this block (lab/scenarios.mjs, checked against Chromium by lab/oracle.mjs).
    expect(first.chromeCorsError).toBe('HeaderDisallowedByPreflightResponse');
    const words = describeFinding(first);
    expect(detail).toContain(words.title);
    expect(detail).toContain('HeaderDisallowedByPreflightResponse');
    expect(detail).toContain(plainText(words.fix)); // code runs are shown as <code>
    expect(detail).not.toContain('`');
    await inPanel(`window.__testCopies = []; navigator.clipboard.writeText = async (t) => { window.__testCopies.push(t); };`);
    await inPanel(`document.querySelector('[aria-label="Copy fix"]').click();`);
    expect(await waitFor(() => inPanel<string>(`return window.__testCopies.at(-1);`), 'the fix copied')).toBe(fixToCopy(words.fix));
    // Only the rows that decided it: the preflight's Allow-Headers and the Request-Headers it answers.
    const decisive = await inPanel<string[]>(`return [...document.querySelectorAll('tr.decisive')].map((r) => r.dataset.header).sort();`);
    expect(decisive).toEqual(['access-control-allow-headers', 'access-control-request-headers']);
    // Keyboard: Escape closes the detail.
    await inPanel(`document.querySelector('[role=grid]').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));`);
    expect(await waitFor(() => inPanel<boolean>(`return document.querySelector('.detail') === null;`), 'the detail closed')).toBe(true);
  });

  it('filters to blocked only', async () => {
    await setFilter('');
    await inPanel(`document.querySelector('[data-toggle=blockedOnly]').click();`);
    await waitFor(() => inPanel<boolean>(`return document.querySelector('[data-toggle=blockedOnly]').getAttribute('aria-pressed') === 'true';`), 'blocked only on');
    const blocked = report.exchanges.filter((e) => e.verdict === 'blocked').length;
    expect(blocked).toBeGreaterThan(5);
    expect(await counts()).toEqual({ shown: blocked, total: report.exchanges.length });
    const verdicts = await inPanel<string[]>(`return [...document.querySelectorAll('[role=row][data-id] .verdict')].map((c) => c.textContent);`);
    expect(new Set(verdicts)).toEqual(new Set(['blocked']));
    await inPanel(`document.querySelector('[data-toggle=blockedOnly]').click();`);
  });

  it('copies a preflight as curl that makes the lab server see the same OPTIONS', async () => {
    const [ex] = byScenario('seed-gin-other-header');
    expect(ex?.preflight?.observed).toBe('sent');
    await setFilter('s=seed-gin-other-header');
    await openFirstRow();
    await inPanel(`window.__testCopies = []; navigator.clipboard.writeText = async (t) => { window.__testCopies.push(t); };`);
    await inPanel(`document.querySelector('[aria-label="Copy preflight as curl"]').click();`);
    const curl = await waitFor(() => inPanel<string>(`return window.__testCopies.at(-1);`), 'the curl copied');
    expect(curl).toMatch(/^curl -i -X OPTIONS '/);
    const browserSaw = lab.log.find((r) => r.method === 'OPTIONS' && r.scenario === 'seed-gin-other-header');
    expect(browserSaw).toBeTruthy();
    lab.clearLog();
    await run('bash', ['-c', `${curl} -sS -o /dev/null`]);
    const curlSaw = lab.log.find((r) => r.method === 'OPTIONS' && r.scenario === 'seed-gin-other-header');
    expect(curlSaw).toBeTruthy();
    for (const h of ['origin', 'access-control-request-method', 'access-control-request-headers']) {
      expect(curlSaw!.headers[h], h).toBe(browserSaw!.headers[h]);
      expect(curlSaw!.headers[h], h).toBe(headerOf(ex!.preflight!.request.headers, h));
    }
    expect(`${curlSaw!.path}${curlSaw!.query}`).toBe(`${browserSaw!.path}${browserSaw!.query}`);
    await setFilter('');
  });
});

describe('the CORS panel popped out into a tab', () => {
  let pop: Page;
  beforeAll(async () => {
    pop = await l.context.newPage();
    await pop.setViewportSize({ width: 1280, height: 760 });
    await pop.goto(`chrome-extension://${l.extensionId}/src/panel/panel.html?tabId=${tabId}`);
    await pop.locator('[role=row][data-id]').first().waitFor();
  });

  it('opens itself from the DevTools panel (Pop out)', async () => {
    const opened = l.context.waitForEvent('page', { timeout: 10_000 });
    await inPanel(`document.querySelector('[aria-label="Pop out into a tab"]').click();`);
    const tab = await opened;
    await tab.waitForLoadState();
    expect(tab.url()).toBe(`chrome-extension://${l.extensionId}/src/panel/panel.html?tabId=${tabId}`);
    await tab.close();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`follows the ${colorScheme} colour scheme (screenshots)`, async () => {
      // --auto-open-devtools-for-tabs opens DevTools on this tab too, and its frontend resets media
      // emulation when it attaches: (re)apply the scheme right before each screenshot.
      const shoot = async (name: string) => {
        // Re-applied on every try: the reset can land after any single emulateMedia.
        await waitFor(async () => {
          await pop.emulateMedia({ colorScheme });
          return (await pop.evaluate(() => document.documentElement.dataset.theme)) === colorScheme;
        }, `${colorScheme} theme`);
        await pop.screenshot({ path: join(ARTIFACTS, `panel-popout-${colorScheme}-${name}.png`) });
      };
      await pop.getByLabel('Filter').fill('');
      await pop.locator('[role=grid]').evaluate((g) => (g.scrollTop = 0));
      await shoot('list');
      await pop.getByLabel('Filter').fill('s=seed-put-real-missing-acao');
      await pop.locator('[role=row][data-id]').first().click();
      await pop.getByLabel('Exchange detail').waitFor();
      await shoot('detail');
      await pop.keyboard.press('Escape');
      await pop.getByLabel('Filter').fill('');
    });
  }

  it('moves with the keyboard and opens with Enter', async () => {
    await pop.locator('[role=grid]').focus();
    await pop.keyboard.press('Home');
    await pop.keyboard.press('ArrowDown');
    const selected = await pop.locator('[role=row][aria-selected=true]').getAttribute('data-id');
    expect(selected).toBe(report.exchanges.slice().sort((a, b) => a.startedAt - b.startedAt)[1]!.id);
    await pop.keyboard.press('Enter');
    expect(await pop.getByLabel('Exchange detail').getAttribute('data-id')).toBe(selected);
  });
});
