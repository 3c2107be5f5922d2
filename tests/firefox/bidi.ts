import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { GECKO_ID } from '../../scripts/firefox-manifest';
import type { Requests, ResponseOf } from '../../src/shared/protocol';
import { waitFor } from '../shared/wait';

/**
 * Firefox ESR driven over WebDriver BiDi, which Firefox has built in: no geckodriver (none installs
 * without a download), no Playwright (its Firefox speaks a protocol this Firefox lacks).
 */
export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const DIST_FIREFOX = process.env.CORS_LENS_DIST_FIREFOX ? resolve(process.env.CORS_LENS_DIST_FIREFOX) : resolve(import.meta.dirname, '../../dist-firefox');

export function assertFirefox(): void {
  if (!existsSync(FIREFOX)) throw new Error(`No Firefox at ${FIREFOX}. Install it with: apt-get install -y firefox-esr (or set FIREFOX_PATH).`);
  if (!existsSync(join(DIST_FIREFOX, 'manifest.json'))) throw new Error(`No Firefox build in ${DIST_FIREFOX}: run npm run build:firefox first.`);
}

type Json = Record<string, unknown>;
export interface BidiEvent { method: string; params: Json }

/** Preferences for a quiet, reproducible test profile: English console text, no traffic beyond loopback. */
function userJs(uuid: string): string {
  const prefs: Record<string, string | number | boolean> = {
    'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: uuid }),
    'intl.locale.requested': 'en-US',
    'intl.accept_languages': 'en-US',
    'devtools.toolbox.host': 'window',
    'devtools.toolbox.selectedTool': 'webconsole',
    'browser.safebrowsing.malware.enabled': false,
    'browser.safebrowsing.phishing.enabled': false,
    'browser.safebrowsing.downloads.enabled': false,
    'network.captive-portal-service.enabled': false,
    'network.connectivity-service.enabled': false,
    'app.normandy.enabled': false,
    'app.update.enabled': false,
    'extensions.update.enabled': false,
    'extensions.getAddons.cache.enabled': false,
    'services.settings.server': 'http://127.0.0.1:9/',
    'toolkit.telemetry.enabled': false,
    'datareporting.healthreport.uploadEnabled': false,
    'datareporting.policy.dataSubmissionEnabled': false,
    'browser.newtabpage.enabled': false,
    'browser.startup.page': 0,
    'network.dns.disablePrefetch': true,
    'network.prefetch-next': false,
  };
  return Object.entries(prefs).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`).join('\n') + '\n';
}

export interface Firefox {
  uuid: string;
  /** moz-extension://<uuid> */
  base: string;
  events: BidiEvent[];
  on(listener: (e: BidiEvent) => void): void;
  send<T = Json>(method: string, params?: Json): Promise<T>;
  /** A new tab's browsing context. */
  newTab(url?: string): Promise<string>;
  navigate(context: string, url: string): Promise<void>;
  /** Evaluate an async expression in a page; its value travels as JSON. */
  evaluate<T>(context: string, expression: string): Promise<T>;
  /** An extension page speaking the runtime-message API. */
  request<K extends keyof Requests>(type: K, body: Requests[K]['request']): Promise<ResponseOf<K>>;
  tabIdOf(urlPrefix: string): Promise<number>;
  automation: string;
  /** The tab Firefox opened at start; with --devtools, the one its toolbox inspects. */
  first: string;
  close(): Promise<void>;
}

export async function launchFirefox(opts: { devtools?: boolean; install?: boolean } = {}): Promise<Firefox> {
  assertFirefox();
  const profile = mkdtempSync(join(tmpdir(), 'cors-lens-ff-'));
  const uuid = randomUUID();
  writeFileSync(join(profile, 'user.js'), userJs(uuid));
  const args = ['--headless', '--no-remote', '--remote-debugging-port=0', '--remote-allow-system-access', '--profile', profile];
  if (opts.devtools) args.push('--devtools');
  const child: ChildProcess = spawn(FIREFOX, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, MOZ_HEADLESS: '1', LANG: 'en_US.UTF-8' } });
  const wsUrl = await new Promise<string>((res, rej) => {
    let buf = '';
    const timer = setTimeout(() => rej(new Error(`Firefox did not start WebDriver BiDi:\n${buf.slice(-2000)}`)), 60_000);
    child.stderr!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(buf);
      if (m) {
        clearTimeout(timer);
        res(m[1]!);
      }
    });
    child.once('exit', (code) => rej(new Error(`Firefox exited (${code}):\n${buf.slice(-2000)}`)));
  });
  child.stderr!.resume();
  const ws = new WebSocket(`${wsUrl}/session`);
  await new Promise<void>((res, rej) => {
    ws.once('open', () => res());
    ws.once('error', rej);
  });
  let nextId = 1;
  const pending = new Map<number, { res(v: Json): void; rej(e: Error): void; method: string }>();
  const events: BidiEvent[] = [];
  const listeners: Array<(e: BidiEvent) => void> = [];
  ws.on('message', (data: Buffer) => {
    const msg = JSON.parse(data.toString()) as Json;
    if (typeof msg.id === 'number') {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      if (!p) return;
      if (msg.type === 'error') p.rej(new Error(`${p.method}: ${String(msg.error)}: ${String(msg.message)}`));
      else p.res(msg.result as Json);
    } else if (typeof msg.method === 'string') {
      const e = { method: msg.method, params: msg.params as Json };
      events.push(e);
      for (const l of listeners) l(e);
    }
  });
  const send = <T = Json>(method: string, params: Json = {}): Promise<T> =>
    new Promise<T>((res, rej) => {
      const id = nextId++;
      pending.set(id, { res: res as (v: Json) => void, rej, method });
      ws.send(JSON.stringify({ id, method, params }));
    });
  await send('session.new', { capabilities: { alwaysMatch: { acceptInsecureCerts: true } } });
  if (opts.install !== false) await send('webExtension.install', { extensionData: { type: 'path', path: DIST_FIREFOX } });
  await send('session.subscribe', { events: ['log.entryAdded', 'network.beforeRequestSent', 'network.responseCompleted', 'network.fetchError'] });
  const base = `moz-extension://${uuid}`;

  const navigate = async (context: string, url: string) => {
    await send('browsingContext.navigate', { context, url, wait: 'complete' });
  };
  const evaluate = async <T>(context: string, expression: string): Promise<T> => {
    const r = await send<{ type: string; result?: { value?: unknown }; exceptionDetails?: { text?: string } }>('script.evaluate', {
      expression: `(async () => JSON.stringify(await (async () => (${expression}))()))()`,
      target: { context },
      awaitPromise: true,
    });
    if (r.type !== 'success') throw new Error(`evaluate failed: ${r.exceptionDetails?.text ?? JSON.stringify(r)}`);
    const v = r.result?.value;
    return (typeof v === 'string' ? JSON.parse(v) : undefined) as T;
  };
  const newTab = async (url?: string) => {
    const { context } = await send<{ context: string }>('browsingContext.create', { type: 'tab' });
    if (url) await navigate(context, url);
    return context;
  };
  const tree = await send<{ contexts: Array<{ context: string }> }>('browsingContext.getTree', {});
  const first = tree.contexts[0]!.context;
  // With --devtools only the first tab has a toolbox: keep it for the page under test.
  const automation = opts.devtools ? (await send<{ context: string }>('browsingContext.create', { type: 'tab' })).context : first;
  const ff: Firefox = {
    uuid,
    base,
    events,
    on: (l) => listeners.push(l),
    send,
    newTab,
    navigate,
    evaluate,
    automation,
    first,
    request: (type, body) => evaluate(automation, `chrome.runtime.sendMessage(${JSON.stringify({ type, ...body })})`),
    async tabIdOf(urlPrefix) {
      const id = await evaluate<number | null>(automation, `chrome.tabs.query({}).then((tabs) => tabs.find((t) => (t.url ?? '').startsWith(${JSON.stringify(urlPrefix)}))?.id ?? null)`);
      if (id === null) throw new Error(`no tab at ${urlPrefix}`);
      return id;
    },
    async close() {
      await send('browser.close').catch(() => {});
      ws.close();
      await new Promise<void>((res) => {
        if (child.exitCode !== null) return res();
        const t = setTimeout(() => {
          child.kill('SIGKILL');
          res();
        }, 10_000);
        child.once('exit', () => {
          clearTimeout(t);
          res();
        });
      });
      rmSync(profile, { recursive: true, force: true });
    },
  };
  if (opts.install !== false) {
    await navigate(automation, `${base}/src/options/options.html`);
    await waitFor(async () => (await ff.request('cors-lens/status', {})).ready, 'worker ready');
  }
  return ff;
}

export { waitFor } from '../shared/wait';
