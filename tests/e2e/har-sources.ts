import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { CDPSession } from 'playwright-core';
import type { SessionReport } from '../../src/report/schema';
import type { Exchange } from '../../src/traffic/exchange';
import { customHeaderNames, waitFor, type ChromeVerdict, type Launched } from './browser';

/** Shared by the HAR tests: getting a HAR out of the real DevTools, running the built CLI, comparing with Chrome. */

export const CLI = resolve(import.meta.dirname, '../../dist-cli/cors-lens.mjs');
const exec = promisify(execFile);

export function assertCli(): void {
  if (!existsSync(CLI)) throw new Error(`No built command line at ${CLI}: run npm run build first.`);
}

/** Run the built `cors-lens` as a user would; never rejects on a non-zero exit. */
export async function runCli(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const r = await exec(process.execPath, [CLI, ...args], { maxBuffer: 256 * 1024 * 1024 });
    return { stdout: r.stdout, stderr: r.stderr, code: 0 };
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string; code?: number | string };
    return { stdout: x.stdout ?? '', stderr: x.stderr ?? '', code: typeof x.code === 'number' ? x.code : -1 };
  }
}

/** A target reached through the browser session (Target.sendMessageToTarget), to evaluate in it. */
async function evaluateIn<T>(browser: CDPSession, targetId: string, expression: string): Promise<T> {
  const { sessionId } = await browser.send('Target.attachToTarget', { targetId, flatten: false });
  const reply = new Promise<{ result?: { result: { value: T }; exceptionDetails?: { text: string; exception?: { description?: string } } }; error?: { message: string } }>((res) => {
    const on = (e: { sessionId: string; message: string }) => {
      if (e.sessionId !== sessionId) return;
      const m = JSON.parse(e.message) as { id?: number };
      if (m.id === 1) {
        browser.off('Target.receivedMessageFromTarget', on);
        res(m as never);
      }
    };
    browser.on('Target.receivedMessageFromTarget', on);
  });
  await browser.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: 1, method: 'Runtime.evaluate', params: { expression, awaitPromise: true, returnByValue: true } }) });
  // Stays attached: DevTools lists its extension frames only while someone is attached to it.
  const m = await reply;
  if (m.error) throw new Error(m.error.message);
  if (m.result?.exceptionDetails) throw new Error(m.result.exceptionDetails.exception?.description ?? m.result.exceptionDetails.text);
  return m.result!.result.value;
}

/**
 * The extension's DevTools page for a tab, inside the real DevTools: the frame where
 * `chrome.devtools.network` lives. DevTools lists its extension frames once something attached
 * to it, so each DevTools window is first asked to show the CORS panel (DevTools' own call).
 */
export async function devtoolsPageOf(l: Launched, browser: CDPSession, tabId: number): Promise<string> {
  return waitFor(async () => {
    const targets = (await browser.send('Target.getTargets')).targetInfos;
    for (const f of targets.filter((t) => t.type === 'iframe' && t.url === `chrome-extension://${l.extensionId}/src/devtools/devtools.html`)) {
      if ((await evaluateIn<number>(browser, f.targetId, 'chrome.devtools.inspectedWindow.tabId')) === tabId) return f.targetId;
    }
    for (const d of targets.filter((t) => t.url.startsWith('devtools://'))) {
      await evaluateIn(browser, d.targetId, `import('./ui/legacy/legacy.js').then((UI) => UI.InspectorView.InspectorView.instance().showPanel('chrome-extension://${l.extensionId}CORS')).then(() => true)`).catch(() => {});
    }
    return null;
  }, 'the extension\u2019s DevTools page in DevTools', 90_000);
}

/** `chrome.devtools.network.getHAR()`, called in the extension's DevTools page, as a HAR file's text. */
export async function getHar(browser: CDPSession, devtoolsPage: string): Promise<{ text: string; entries: number }> {
  const text = await evaluateIn<string>(browser, devtoolsPage, 'new Promise((r) => chrome.devtools.network.getHAR((log) => r(JSON.stringify({ log }))))');
  return { text, entries: (JSON.parse(text) as { log: { entries: unknown[] } }).log.entries.length };
}

export const scenarioOf = (url: string): string | null => {
  try {
    return new URL(url).searchParams.get('s');
  } catch {
    return null;
  }
};

function exchangeCustomHeaders(ex: Exchange): string {
  const sent = customHeaderNames(ex.request.headers.map(([n]) => n));
  if (sent || !ex.preflight) return sent;
  const announced = ex.preflight.request.headers.find(([n]) => n === 'access-control-request-headers')?.[1] ?? '';
  return customHeaderNames(announced.split(','));
}

/**
 * Chrome's requests and the report's exchanges, matched by method, URL and the page's x-* headers,
 * in order; by method and URL alone where the HAR kept no headers (a request stopped by its preflight).
 */
export function matchUp(report: SessionReport, chrome: readonly ChromeVerdict[]): Array<{ chrome: ChromeVerdict; exchange: Exchange | undefined }> {
  const left = [...report.exchanges];
  const take = (pred: (e: Exchange) => boolean) => {
    const i = left.findIndex(pred);
    return i < 0 ? undefined : left.splice(i, 1)[0];
  };
  const exact = chrome.map((c) => take((e) => e.method === c.method && e.url === c.url && exchangeCustomHeaders(e) === c.customHeaders));
  const byUrl = chrome.map((c, i) => exact[i] ?? take((e) => e.method === c.method && e.url === c.url));
  // Playwright writes a redirect the browser refused to follow as two unlinked entries: the
  // exchange is the redirect target's, for the same scenario.
  return chrome.map((c, i) => ({ chrome: c, exchange: byUrl[i] ?? take((e) => e.method === c.method && scenarioOf(e.url) === scenarioOf(c.url)) }));
}

export interface Agreement {
  agree: number;
  total: number;
  disagreements: string[];
}

/** Full agreement: blocked exactly when Chrome named a CORS error, with Chrome's name and failed parameter. */
export function fullAgreement(pairs: ReturnType<typeof matchUp>): Agreement {
  let agree = 0;
  const disagreements: string[] = [];
  for (const { chrome: c, exchange } of pairs) {
    const first = exchange?.findings.find((f) => f.severity === 'error');
    const ours = c.corsError ? first?.chromeCorsError ?? null : null;
    const oursParam = c.corsError ? (first?.failedParameter ?? '') : '';
    const blockedRight = c.corsError
      ? exchange?.verdict === 'blocked'
      : exchange !== undefined && exchange.verdict !== 'blocked' && exchange.findings.every((f) => f.chromeCorsError === null);
    if (ours === c.corsError && oursParam === (c.failedParameter ?? '') && blockedRight) agree++;
    else disagreements.push(`${scenarioOf(c.url)} ${c.method}: Chrome ${c.corsError}(${c.failedParameter ?? ''}) vs ours ${ours}(${oursParam}) verdict ${exchange?.verdict ?? 'missing'}`);
  }
  return { agree, total: pairs.length, disagreements };
}

/** Verdict agreement: blocked by CORS exactly when Chrome named a CORS error. */
export function verdictAgreement(pairs: ReturnType<typeof matchUp>): Agreement {
  let agree = 0;
  const disagreements: string[] = [];
  for (const { chrome: c, exchange } of pairs) {
    const ok = exchange !== undefined && (c.corsError !== null) === (exchange.verdict === 'blocked');
    if (ok) agree++;
    else disagreements.push(`${scenarioOf(c.url)} ${c.method}: Chrome ${c.corsError ?? `no CORS error (${c.errorText ?? 'ok'})`} vs ours ${exchange?.verdict ?? 'missing'}`);
  }
  return { agree, total: pairs.length, disagreements };
}
