import { chromium, type BrowserContext, type CDPSession, type Page, type Worker } from 'playwright-core';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Requests, ResponseOf } from '../../src/shared/protocol';
import type { SessionReport } from '../../src/report/schema';
import { waitFor } from '../shared/wait';

export const DIST = process.env.CORS_LENS_DIST ? resolve(process.env.CORS_LENS_DIST) : resolve(import.meta.dirname, '../../dist');
export const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium';

/** The suite never skips for want of a browser: it says how to get one. */
export function assertBrowser(): void {
  if (!existsSync(CHROME)) {
    throw new Error(`No Chromium at ${CHROME}. Install it with: apt-get install -y chromium (or set CHROME_PATH).`);
  }
  if (!existsSync(join(DIST, 'manifest.json'))) throw new Error(`No built extension in ${DIST}: run npm run build first.`);
}

export interface Launched {
  context: BrowserContext;
  extensionId: string;
  worker: Worker;
  /** An extension page, to speak the runtime-message API as any extension page can. */
  automation: Page;
  request<K extends keyof Requests>(type: K, body: Requests[K]['request']): Promise<ResponseOf<K>>;
  tabIdOf(urlPrefix: string): Promise<number>;
  close(): Promise<void>;
}

const BASE_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The same browser with no extension at all: a baseline for timings. */
export async function launchPlain(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  assertBrowser();
  const profile = mkdtempSync(join(tmpdir(), 'cors-lens-plain-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROME, headless: true, args: BASE_ARGS });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * dist: another built extension directory (e.g. a copy whose manifest holds more permissions).
 */
export async function launch(opts: { devtools?: boolean; dist?: string } = {}): Promise<Launched> {
  assertBrowser();
  const profile = mkdtempSync(join(tmpdir(), 'cors-lens-profile-'));
  const dist = opts.dist ?? DIST;
  const args = [...BASE_ARGS, `--disable-extensions-except=${dist}`, `--load-extension=${dist}`];
  if (opts.devtools) args.push('--auto-open-devtools-for-tabs');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROME,
    headless: true,
    ignoreDefaultArgs: ['--disable-extensions'],
    args,
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
  const extensionId = new URL(worker.url()).host;
  const automation = await context.newPage();
  await automation.goto(`chrome-extension://${extensionId}/src/options/options.html`);
  const launched: Launched = {
    context,
    extensionId,
    worker,
    automation,
    async request(type, body) {
      return (await automation.evaluate((m) => chrome.runtime.sendMessage(m), { type, ...body })) as never;
    },
    async tabIdOf(urlPrefix) {
      const id = await automation.evaluate(async (prefix) => {
        const tabs = await chrome.tabs.query({});
        return tabs.find((t) => t.url?.startsWith(prefix))?.id ?? null;
      }, urlPrefix);
      if (id === null) throw new Error(`no tab at ${urlPrefix}`);
      return id;
    },
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
  await waitFor(async () => (await launched.request('cors-lens/status', {})).ready, 'worker ready');
  return launched;
}

export { waitFor } from '../shared/wait';

export interface ChromeVerdict {
  url: string;
  /** After redirects. */
  finalUrl: string;
  method: string;
  errorText: string | null;
  corsError: string | null;
  failedParameter: string | null;
  preflight: boolean;
  /** The page's own x-* header names, lower-case and sorted: tells apart parallel requests to one URL. */
  customHeaders: string;
}

export function customHeaderNames(names: Iterable<string>): string {
  return [...names].map((n) => n.trim().toLowerCase()).filter((n) => n.startsWith('x-')).sort().join(',');
}

/** Chrome's own verdict for each request of a page, through the DevTools Protocol (the oracle). */
export async function recordChromeVerdicts(page: Page): Promise<{ verdicts: Map<string, ChromeVerdict>; session: CDPSession }> {
  const session = await page.context().newCDPSession(page);
  const verdicts = new Map<string, ChromeVerdict>();
  // A preflight's event can arrive before its request's: remember parents, join at the end.
  const preflighted = new Set<string>();
  session.on('Network.requestWillBeSent', (e) => {
    if (e.initiator?.type === 'preflight') {
      if (e.initiator.requestId) preflighted.add(e.initiator.requestId);
      const parent = e.initiator.requestId ? verdicts.get(e.initiator.requestId) : undefined;
      if (parent) parent.preflight = true;
      return;
    }
    const known = verdicts.get(e.requestId);
    if (known) known.finalUrl = e.request.url;
    else {
      verdicts.set(e.requestId, { url: e.request.url, finalUrl: e.request.url, method: e.request.method, errorText: null, corsError: null, failedParameter: null, preflight: preflighted.has(e.requestId), customHeaders: customHeaderNames(Object.keys(e.request.headers)) });
    }
  });
  session.on('Network.loadingFailed', (e) => {
    const v = verdicts.get(e.requestId);
    if (!v) return;
    v.errorText = e.errorText;
    v.corsError = e.corsErrorStatus?.corsError ?? null;
    v.failedParameter = e.corsErrorStatus?.failedParameter ?? null;
  });
  await session.send('Network.enable');
  return { verdicts, session };
}

/** Stop the extension's service worker the way Chrome does when it idles. */
export async function stopServiceWorker(l: Launched): Promise<void> {
  const cdp = await l.context.newCDPSession(l.automation);
  const versions: string[] = [];
  cdp.on('ServiceWorker.workerVersionUpdated', (e) => {
    for (const v of e.versions) if (v.runningStatus === 'running' && v.scriptURL.includes(l.extensionId)) versions.push(v.versionId);
  });
  await cdp.send('ServiceWorker.enable');
  await waitFor(async () => versions.length > 0, 'running worker version', 5_000);
  for (const versionId of new Set(versions)) await cdp.send('ServiceWorker.stopWorker', { versionId });
  await cdp.detach();
}

/** A tab's session report through the documented export API. */
export async function exportReport(l: Launched, tabId: number): Promise<SessionReport> {
  const r = await l.request('cors-lens/export', { tabId });
  if ('error' in r) throw new Error(r.error);
  if (!('exchanges' in r)) throw new Error('export without a format must answer the JSON report');
  return r;
}
