import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { startLab } from '../../lab/server.mjs';
import { CHROME, DIST, assertBrowser, exportReport, launch, waitFor, type Launched } from './browser';

type Lab = Awaited<ReturnType<typeof startLab>>;

let lab: Lab;
let l: Launched;
let page: Page;
let tabId: number;

const TOKEN = 'tok-0123456789abcdef';
const API_KEY = 'key-fedcba9876543210';
const TENANT = 'tenant-secret-4242';

beforeAll(async () => {
  lab = await startLab();
  l = await launch({ devtools: false });
  page = await l.context.newPage();
  await page.goto(`${lab.originA}/`);
  tabId = await l.tabIdOf(lab.originA);
  await l.request('cors-lens/capture', { scope: tabId, on: true });
  // A page sends a key, a tenant secret, and a token in its URL: the request really goes out.
  const status = await page.evaluate(
    async ([url, key, tenant]) => (await fetch(url!, { method: 'PUT', headers: { 'X-Api-Key': key!, 'X-Tenant': tenant! }, body: 'a' })).status,
    [`${lab.originB}/s/cache-reflected-headers-miss?access_token=${TOKEN}&page=2`, API_KEY, TENANT],
  );
  expect(status).toBe(200);
  await waitFor(async () => (await exportReport(l, tabId)).exchanges.some((e) => e.url.includes('cache-reflected-headers-miss') && e.response), 'the exchange captured');
}, 60_000);

afterAll(async () => {
  await l?.close();
  await lab?.close();
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? filesUnder(join(dir, d.name)) : [join(dir, d.name)]));
}

describe('hardening, in the built extension', () => {
  it('ships no hook that keeps copied text in the DOM or on window', () => {
    const text = filesUnder(DIST).filter((f) => /\.(js|html)$/.test(f)).map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(text).toContain('clipboard'); // the scan reads the panel's code at all
    for (const hook of ['__corsLensLastCopy', 'lastCopy', 'data-last-copy']) expect(text).not.toContain(hook);
  });

  it('the export API honours the saved "Also redact" list and redacts X-Api-Key and ?access_token= of a real exchange', async () => {
    await l.automation.evaluate(() => chrome.storage.local.set({ redactExtra: ['x-tenant'] }));
    for (const format of ['json', 'html', 'markdown'] as const) {
      const r = await l.request('cors-lens/export', format === 'json' ? { tabId } : { tabId, format });
      const text = JSON.stringify(r);
      expect(text).toContain('cache-reflected-headers-miss');
      for (const secret of [TOKEN, API_KEY, TENANT]) expect(text, `${format}: ${secret}`).not.toContain(secret);
    }
    const report = await exportReport(l, tabId);
    const ex = report.exchanges.find((e) => e.url.includes('cache-reflected-headers-miss') && e.response)!;
    expect(ex.url).toContain(`access_token=[redacted: ${TOKEN.length} chars]&page=2`);
    expect(ex.request.headers).toContainEqual(['x-api-key', `[redacted: ${API_KEY.length} chars]`]);
    expect(ex.request.headers).toContainEqual(['x-tenant', `[redacted: ${TENANT.length} chars]`]);
    expect(report.redacted).toEqual(expect.arrayContaining(['x-api-key', 'x-tenant']));
    // The explicit choice still includes them.
    expect(JSON.stringify(await l.request('cors-lens/export', { tabId, redact: false }))).toContain(API_KEY);
    await l.automation.evaluate(() => chrome.storage.local.remove('redactExtra'));
  });

  it('"Open report…" refuses a 500 MB file and JSON nested 2 million deep, and the session on screen stays', async () => {
    const panel = await l.context.newPage();
    await panel.goto(`chrome-extension://${l.extensionId}/src/panel/panel.html?tabId=${tabId}`);
    const rows = () => panel.locator('[role=row][data-id]').count();
    await waitFor(async () => (await rows()) > 0, 'the live session in the panel');
    const before = await rows();
    const dir = mkdtempSync(join(tmpdir(), 'cors-lens-import-'));
    try {
      // Sparse: 500 MB on paper, nothing written; the panel must refuse it from its size.
      const big = join(dir, 'huge.json');
      const fd = openSync(big, 'w');
      ftruncateSync(fd, 500 * 1024 * 1024);
      closeSync(fd);
      expect(statSync(big).size).toBe(500 * 1024 * 1024);
      const input = panel.locator('input[aria-label="Open a saved JSON report or a HAR file"]');
      const status = panel.locator('.menu-status');
      await input.setInputFiles(big);
      await waitFor(async () => /Not opened: .*500 MB, more than the 128 MB/.test((await status.textContent()) ?? ''), 'the size refusal');
      const deep = join(dir, 'deep.json');
      writeFileSync(deep, `${'['.repeat(2_000_000)}${']'.repeat(2_000_000)}`);
      await input.setInputFiles(deep);
      await waitFor(async () => /Not opened: .*nests more than 64 levels/.test((await status.textContent()) ?? ''), 'the nesting refusal');
      expect(await rows()).toBe(before);
      expect(await panel.locator('.banner.imported').count()).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await panel.close();
    }
  });
});

describe('who the worker answers', () => {
  it('leaves a message from a frame that is not one of its pages unanswered, and drops its port', async () => {
    // A blob: document the extension made has the extension's API, but its sender.url is not one of
    // the extension's pages: the worker must neither answer it nor keep its port (src/background/senders.ts).
    const heard = await l.automation.evaluate(async () => {
      const frame = document.createElement('iframe');
      frame.src = URL.createObjectURL(new Blob(['<p>not an extension page</p>'], { type: 'text/html' }));
      const loaded = new Promise((r) => frame.addEventListener('load', r, { once: true }));
      document.body.append(frame);
      await loaded;
      const api = (frame.contentWindow as unknown as { chrome: typeof chrome }).chrome;
      const answer = await api.runtime.sendMessage({ type: 'cors-lens/status' }).then((a: unknown) => ({ answered: a }), (e: unknown) => ({ refused: String(e) }));
      const port = api.runtime.connect({ name: 'cors-lens/panel:1' });
      // Bounded only so that a worker keeping the port fails the test instead of hanging it.
      const dropped = await new Promise<boolean>((r) => {
        port.onDisconnect.addListener(() => r(true));
        setTimeout(() => r(false), 10_000);
      });
      frame.remove();
      return { answer, dropped };
    });
    expect(heard.answer).not.toHaveProperty('answered.ready');
    expect(JSON.stringify(heard.answer)).not.toContain('protocol');
    expect(heard.dropped).toBe(true);
    // The same message from the extension's own page is answered.
    expect(await l.request('cors-lens/status', {})).toHaveProperty('ready');
  });
});

describe('declarativeNetRequestWithHostAccess', () => {
  it('would remove no install warning: Chrome gives both manifests the same warnings, so the permission stays', async () => {
    const m = JSON.parse(readFileSync(join(DIST, 'manifest.json'), 'utf8')) as { permissions: string[]; host_permissions: string[]; devtools_page?: string };
    const warnings = (manifest: object) => l.automation.evaluate((text) => chrome.management.getPermissionWarningsByManifest(text), JSON.stringify(manifest));
    const swapped = { ...m, permissions: m.permissions.map((x) => (x === 'declarativeNetRequest' ? 'declarativeNetRequestWithHostAccess' : x)) };
    const shipped = await warnings(m);
    expect(m.permissions).toContain('declarativeNetRequest');
    expect(shipped).toEqual(['Read and change all your data on all websites']);
    expect(await warnings(swapped)).toEqual(shipped);
    // The measurement can tell them apart: alone, without host access, only the plain permission warns.
    const bare = { ...m, host_permissions: [], devtools_page: undefined };
    expect(await warnings({ ...bare, permissions: ['declarativeNetRequest'] })).toEqual(['Block content on any page']);
    expect(await warnings({ ...bare, permissions: ['declarativeNetRequestWithHostAccess'] })).toEqual([]);
  });
});

describe('capture all tabs', () => {
  it('ends with the browser session', async () => {
    assertBrowser();
    const profile = mkdtempSync(join(tmpdir(), 'cors-lens-restart-'));
    const open = async () => {
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROME,
        headless: true,
        ignoreDefaultArgs: ['--disable-extensions'],
        args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--disable-extensions-except=${DIST}`, `--load-extension=${DIST}`],
      });
      const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
      const p = await context.newPage();
      await p.goto(`chrome-extension://${new URL(worker.url()).host}/src/options/options.html`);
      const status = () => p.evaluate(() => chrome.runtime.sendMessage({ type: 'cors-lens/status' }) as Promise<{ ready: boolean; captureAll: boolean; listening: boolean }>);
      await waitFor(async () => (await status()).ready, 'worker ready');
      return { context, p, status };
    };
    try {
      const first = await open();
      await first.p.evaluate(() => chrome.runtime.sendMessage({ type: 'cors-lens/capture', scope: 'all', on: true }));
      expect(await first.status()).toMatchObject({ captureAll: true, listening: true });
      expect(await first.p.evaluate(async () => (await chrome.storage.local.get('settings')).settings)).not.toHaveProperty('captureAll');
      await first.context.close();
      const second = await open();
      expect(await second.status()).toMatchObject({ captureAll: false, listening: false });
      expect(await second.p.evaluate(() => (document.getElementById('captureAll') as HTMLInputElement).checked)).toBe(false);
      await second.context.close();
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  }, 90_000);
});
