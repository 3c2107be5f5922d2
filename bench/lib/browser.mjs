// A minimal DevTools-Protocol client over Chromium's --remote-debugging-pipe (fd 3 in, fd 4 out), and
// the launch recipe of tests/e2e/browser.ts without Playwright: Playwright attaches to every page it
// controls and enables the Network domain there, which alone slows a page by about 1.58x (docs/platform.md).
// Here nothing attaches to a measured tab: tabs are created with Target.createTarget and left alone.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium';

/** Playwright 1.65's chromiumSwitches (minus --disable-extensions), so conditions match docs/platform.md. */
const PLAYWRIGHT_SWITCHES = [
  '--disable-field-trial-config',
  '--disable-background-networking',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-back-forward-cache',
  '--disable-breakpad',
  '--disable-component-extensions-with-background-pages',
  '--disable-component-update',
  '--no-default-browser-check',
  '--disable-default-apps',
  '--disable-dev-shm-usage',
  '--allow-pre-commit-input',
  '--disable-hang-monitor',
  '--disable-ipc-flooding-protection',
  '--disable-popup-blocking',
  '--disable-prompt-on-repost',
  '--disable-renderer-backgrounding',
  '--force-color-profile=srgb',
  '--metrics-recording-only',
  '--no-first-run',
  '--password-store=basic',
  '--use-mock-keychain',
  '--no-service-autorun',
  '--disable-search-engine-choice-screen',
  '--unsafely-disable-devtools-self-xss-warnings',
  '--headless',
  '--hide-scrollbars',
  '--mute-audio',
];

/** The e2e recipe's own switches (tests/e2e/browser.ts). */
const E2E_SWITCHES = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-sync'];

export class Cdp {
  /** @param {import('node:stream').Writable} out @param {import('node:stream').Readable} input */
  constructor(out, input) {
    this.out = out;
    this.nextId = 1;
    /** @type {Map<number, {resolve: (v: any) => void, reject: (e: Error) => void, method: string}>} */
    this.pending = new Map();
    /** @type {Set<(msg: any) => void>} */
    this.listeners = new Set();
    this.closed = false;
    let buf = '';
    input.setEncoding('utf8');
    input.on('data', (chunk) => {
      buf += chunk;
      let i;
      while ((i = buf.indexOf('\0')) >= 0) {
        const text = buf.slice(0, i);
        buf = buf.slice(i + 1);
        this.dispatch(JSON.parse(text));
      }
    });
    input.on('close', () => {
      this.closed = true;
      for (const p of this.pending.values()) p.reject(new Error(`browser closed during ${p.method}`));
      this.pending.clear();
    });
    out.on('error', () => {});
  }

  /** @param {any} msg */
  dispatch(msg) {
    if (msg.id !== undefined) {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message}`));
      else p.resolve(msg.result);
      return;
    }
    for (const l of this.listeners) l(msg);
  }

  /** @param {string} method @param {object} [params] @param {string} [sessionId] @returns {Promise<any>} */
  send(method, params = {}, sessionId) {
    if (this.closed) return Promise.reject(new Error(`browser closed before ${method}`));
    const id = this.nextId++;
    const msg = { id, method, params, ...(sessionId ? { sessionId } : {}) };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method });
      this.out.write(JSON.stringify(msg) + '\0');
    });
  }

  /** @param {(msg: any) => void} fn @returns {() => void} */
  on(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * Evaluate an expression in a target (attach, evaluate, detach). Attaching is only ever done to
   * extension and tool targets, never to a tab being measured.
   * @param {string} targetId @param {string} expression
   */
  async evalIn(targetId, expression) {
    const { sessionId } = await this.send('Target.attachToTarget', { targetId, flatten: true });
    try {
      return await this.evalSession(sessionId, expression);
    } finally {
      await this.send('Target.detachFromTarget', { sessionId }).catch(() => {});
    }
  }

  /** @param {string} sessionId @param {string} expression */
  async evalSession(sessionId, expression) {
    const r = await this.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }, sessionId);
    if (r.exceptionDetails) throw new Error(`evaluate failed: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    return r.result.value;
  }

  /** @returns {Promise<any[]>} */
  async targets() {
    return (await this.send('Target.getTargets')).targetInfos;
  }
}

/**
 * @typedef {{ extension?: string | null, devtools?: boolean, extraArgs?: string[] }} LaunchOptions
 * @typedef {{ cdp: Cdp, pid: number, profile: string, startedAt: number, close(): Promise<void>, stderrTail(): string }} Browser
 */

/** @param {LaunchOptions} opts @returns {Promise<Browser>} */
export async function launchBrowser(opts = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'cors-lens-bench-profile-'));
  const args = [...PLAYWRIGHT_SWITCHES, ...E2E_SWITCHES, `--user-data-dir=${profile}`, '--remote-debugging-pipe', '--no-startup-window'];
  if (opts.extension) args.push(`--disable-extensions-except=${opts.extension}`, `--load-extension=${opts.extension}`);
  else args.push('--disable-extensions');
  if (opts.devtools) args.push('--auto-open-devtools-for-tabs');
  args.push(...(opts.extraArgs ?? []));
  const child = spawn(CHROME, args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const cdp = new Cdp(/** @type {any} */ (child.stdio[3]), /** @type {any} */ (child.stdio[4]));
  const startedAt = Date.now();
  await cdp.send('Browser.getVersion');
  const pid = /** @type {number} */ (child.pid);
  return {
    cdp,
    pid,
    profile,
    startedAt,
    stderrTail: () => stderr,
    async close() {
      const timer = setTimeout(() => { try { child.kill('SIGKILL'); } catch { /* gone */ } }, 5000);
      await cdp.send('Browser.close').catch(() => {});
      await exited;
      clearTimeout(timer);
      for (let i = 0; i < 5; i++) {
        try {
          rmSync(profile, { recursive: true, force: true });
          break;
        } catch {
          await sleep(200);
        }
      }
    },
  };
}

/** @param {number} ms */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @template T
 * @param {() => Promise<T>} probe @param {string} what @param {number} [timeoutMs]
 * @returns {Promise<NonNullable<T>>}
 */
export async function waitFor(probe, what, timeoutMs = 15_000) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    try {
      const v = await probe();
      if (v) return /** @type {NonNullable<T>} */ (v);
    } catch (e) {
      last = e;
    }
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/**
 * Evaluate in the extension's service worker, finding its target afresh each time (the worker's first
 * target can go away right after launch) and giving up on one attempt after `attemptMs`.
 * @param {Cdp} cdp @param {string} expression @param {number} [timeoutMs] @param {number} [attemptMs]
 */
export async function workerEval(cdp, expression, timeoutMs = 20_000, attemptMs = 4_000) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    try {
      let w = await extensionWorker(cdp, 3000).catch(() => null);
      if (!w) {
        // A stopped worker (or one that went away because it was attached to while starting):
        // a tab event wakes it (CORS Lens and the mirror both listen to tabs.onUpdated).
        const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank' });
        await sleep(300);
        await cdp.send('Target.closeTarget', { targetId }).catch(() => {});
        w = await extensionWorker(cdp, Math.max(1000, Math.min(5000, end - Date.now())));
      }
      /** @type {Promise<never>} */
      const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('worker evaluation timed out')), attemptMs));
      return await Promise.race([cdp.evalIn(w.targetId, expression), timeout]);
    } catch (e) {
      last = e;
      await sleep(200);
    }
  }
  throw new Error(`could not evaluate in the extension worker: ${String(last)}`);
}

/** The extension's service worker target (the first chrome-extension:// service worker). @param {Cdp} cdp */
export async function extensionWorker(cdp, timeoutMs = 15_000) {
  const t = await waitFor(async () => (await cdp.targets()).find((x) => x.type === 'service_worker' && x.url.startsWith('chrome-extension://')), 'extension service worker', timeoutMs);
  return { targetId: /** @type {string} */ (t.targetId), extensionId: new URL(t.url).host };
}
