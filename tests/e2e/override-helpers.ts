import type { CDPSession, Page } from 'playwright-core';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLab } from '../../lab/server.mjs';
import { DIST, exportReport, launch, recordChromeVerdicts, waitFor, type ChromeVerdict, type Launched } from './browser';
import type { Exchange } from '../../src/traffic/exchange';
import type { OverrideAnswer, OverrideRequest } from '../../src/shared/protocol';

/** The lab, a browser with the built extension, and the lab page open with DevTools (so it is recorded). */
export type Lab = Awaited<ReturnType<typeof startLab>>;

export interface Bench {
  lab: Lab;
  l: Launched;
  page: Page;
  tabId: number;
  verdicts: Map<string, ChromeVerdict>;
  /** The test's own DevTools Protocol session on the page (Chrome's verdicts). */
  oracle: CDPSession;
  close(): Promise<void>;
}

/**
 * A copy of the built extension whose manifest is changed by `edit` (e.g. the `debugger` permission
 * moved to optional_permissions, or dropped). Removed by the returned function.
 */
export function distVariant(edit: (manifest: Record<string, unknown>) => void): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'cors-lens-dist-'));
  cpSync(DIST, dir, { recursive: true });
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  edit(m);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The built extension without the `debugger` permission (as a browser without chrome.debugger runs it). */
export function withoutDebuggerDist(): { dir: string; remove(): void } {
  return distVariant((m) => {
    m.permissions = (m.permissions as string[]).filter((p) => p !== 'debugger');
  });
}

export async function openBench(opts: { dist?: string } = {}): Promise<Bench> {
  const lab = await startLab();
  // Recorded through the capture API rather than an open DevTools: the same capture, and no
  // waiting for DevTools' front-end to load (slow on a loaded machine).
  const l = await launch(opts);
  const page = await l.context.newPage();
  await page.goto(`${lab.originA}/`);
  await page.evaluate(() => (window as unknown as { corsLab: { ready: Promise<void> } }).corsLab.ready);
  const tabId = await l.tabIdOf(lab.originA);
  await l.request('cors-lens/capture', { scope: tabId, on: true });
  await waitFor(async () => (await l.request('cors-lens/status', {})).tabs.includes(tabId), 'capture of the lab tab');
  const { verdicts, session } = await recordChromeVerdicts(page);
  return {
    lab,
    l,
    page,
    tabId,
    verdicts,
    oracle: session,
    async close() {
      await l.close();
      await lab.close();
    },
  };
}

let runs = 0;

/** Runs a lab scenario with a fresh nonce; answers Chrome's verdict and the extension's exchange for its subject request. */
export async function run(b: Bench, id: string): Promise<{ chrome: ChromeVerdict; exchange: Exchange; nonce: string }> {
  const nonce = `ov${++runs}-${Date.now()}`;
  await b.page.evaluate(([s, n]) => (window as unknown as { corsLab: { run(id: string, o: { nonce: string }): Promise<unknown> } }).corsLab.run(s!, { nonce: n! }), [id, nonce]);
  const match = (url: string) => url.includes(`s=${id}`) && url.includes(`run=${nonce}`);
  const chrome = await waitFor(async () => [...b.verdicts.values()].filter((v) => match(v.url)).at(-1), `Chrome's verdict for ${id}`);
  // Complete, not just present: a failed request once its error arrived (onErrorOccurred, the last
  // event), an allowed one once its response is judged as Chrome judged it (with an override, that
  // needs the final headers of onCompleted, which come after the response's first headers).
  const exchange = await waitFor(async () => {
    const ex = (await exportReport(b.l, b.tabId)).exchanges.filter((e) => match(e.url)).at(-1);
    if (!ex) return undefined;
    if (chrome.errorText !== null) return ex.error !== null ? ex : undefined;
    return ex.response !== null && ex.verdict !== 'blocked' ? ex : undefined;
  }, `the exchange for ${id}, complete (Chrome: ${chrome.corsError ?? chrome.errorText ?? 'allowed'})`);
  return { chrome, exchange, nonce };
}

export async function override(b: Bench, req: OverrideRequest): Promise<OverrideAnswer> {
  const a = await b.l.request('cors-lens/override', req);
  if ('error' in a) throw new Error(a.error);
  return a;
}

export const sessionRules = (b: Bench) => b.l.automation.evaluate(() => chrome.declarativeNetRequest.getSessionRules());

/**
 * Whether the extension's debugger is attached to the tab. chrome.debugger.getTargets() counts any
 * client (the test's own DevTools Protocol session too), so ask the extension's attachment itself:
 * a command answers only while it is attached (an extension page shares its worker's attachment).
 */
export async function debuggerAttached(b: Bench, tabId = b.tabId): Promise<boolean> {
  return b.l.automation.evaluate(async (t) => {
    if (!chrome.debugger) return false;
    return chrome.debugger.sendCommand({ tabId: t }, 'Runtime.evaluate', { expression: '1' }).then(
      () => true,
      () => false,
    );
  }, tabId);
}

/** chrome.debugger.getTargets()'s `attached` for the tab: true while any client is attached. */
export async function anyDebuggerAttached(b: Bench, tabId = b.tabId): Promise<boolean> {
  return b.l.automation.evaluate(async (t) => (await chrome.debugger.getTargets()).some((x) => x.tabId === t && x.attached), tabId);
}

/** A fetch from the page (or a frame), outside the lab page's runner: the status the page reads, or its error. */
export async function fetchFrom(frame: { evaluate: Page['evaluate'] }, url: string, init: RequestInit = {}): Promise<{ status: number | null; error: string | null }> {
  return frame.evaluate(
    async ([u, i]) => {
      try {
        const r = await fetch(u as string, i as RequestInit);
        return { status: r.status, error: null };
      } catch (e) {
        return { status: null, error: String(e) };
      }
    },
    [url, init] as const,
  );
}
