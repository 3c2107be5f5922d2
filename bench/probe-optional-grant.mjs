// Probe (not part of `npm run bench` or `npm test`): can `webRequest` be an optional permission that
// the panel requests at the first capture? It answers with what headless Chromium does:
//   1. control: `webRequest` + host access required: a worker listener sees a tab's requests;
//   2. optional, granted in this browser session (the grant made prompt-free by seeding the profile's
//      Preferences, as a user's "Allow" would record it): does the listener see requests?
//   3. after chrome.runtime.reload() (the extension restarts, its DevTools panel would close);
//   4. after a disable + enable from chrome://extensions;
//   5. after a browser restart on the same profile;
//   6. granted in the session to an extension that already holds declarativeNetRequest.
// usage: node bench/probe-optional-grant.mjs        (about 30 s; loopback only)

import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROME } from './lib/browser.mjs';

const { chromium } = createRequire(import.meta.url)('playwright-core');
const work = mkdtempSync(join(tmpdir(), 'cors-lens-probe-grant-'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Chromium's id for an unpacked extension without a key: sha256 of its path, hex digits mapped to a-p. */
const extensionId = (dir) => [...createHash('sha256').update(realpathSync(dir)).digest('hex').slice(0, 32)].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');

/** @param {string} name @param {boolean} optional @param {string[]} held permissions required besides storage */
function extension(name, optional, held = []) {
  const dir = join(work, name);
  mkdirSync(dir);
  const perms = { permissions: ['storage', ...held, 'webRequest'], host_permissions: ['<all_urls>'] };
  if (optional) Object.assign(perms, { permissions: ['storage', ...held], optional_permissions: ['webRequest'], optional_host_permissions: ['<all_urls>'] });
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ manifest_version: 3, name, version: '0.1.0', background: { service_worker: 'sw.js' }, ...perms }));
  writeFileSync(join(dir, 'sw.js'), `
self.seen = [];
self.listen = () => { if (chrome.webRequest && !chrome.webRequest.onSendHeaders.hasListeners()) chrome.webRequest.onSendHeaders.addListener((d) => { self.seen.push(new URL(d.url).pathname); }, { urls: ['<all_urls>'] }); return !!chrome.webRequest; };
self.listen();
self.granted = () => chrome.permissions.contains({ permissions: ['webRequest'], origins: ['<all_urls>'] });
`);
  // permissions.request() needs a page and a user gesture (Playwright's evaluate gives one).
  writeFileSync(join(dir, 'page.html'), '<script src="page.js"></script>');
  writeFileSync(join(dir, 'page.js'), "window.request = () => chrome.permissions.request({ permissions: ['webRequest'], origins: ['<all_urls>'] });");
  return dir;
}

/** A profile whose Preferences record the optional permissions as granted by the user: request() then resolves without a prompt. */
function seededProfile(dir) {
  const profile = join(work, `profile-${Math.random().toString(36).slice(2)}`);
  mkdirSync(join(profile, 'Default'), { recursive: true });
  const set = { api: ['webRequest'], explicit_host: ['<all_urls>'], manifest_permissions: [], scriptable_host: [] };
  const prefs = { extensions: { ui: { developer_mode: true }, settings: { [extensionId(dir)]: { runtime_granted_permissions: set, granted_permissions: set } } } };
  writeFileSync(join(profile, 'Default', 'Preferences'), JSON.stringify(prefs));
  return profile;
}

async function launch(dir, profile) {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROME, headless: true, ignoreDefaultArgs: ['--disable-extensions'],
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', `--disable-extensions-except=${dir}`, `--load-extension=${dir}`],
  });
  return { context, worker: await workerOf(context) };
}

async function workerOf(context, timeout = 15_000) {
  const w = context.serviceWorkers().find((x) => x.url().startsWith('chrome-extension://')) ?? (await context.waitForEvent('serviceworker', { timeout }));
  for (let i = 0; i < 50; i++) {
    try {
      await w.evaluate(() => 1);
      return w;
    } catch {
      await sleep(100);
    }
  }
  return w;
}

/** Ask for the optional permissions from an extension page (the seeded profile answers without a prompt). */
async function grant(context, dir) {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId(dir)}/page.html`);
  const granted = await Promise.race([page.evaluate(() => window.request()), sleep(8000).then(() => 'prompt (no answer in 8 s)')]);
  await page.close();
  return granted;
}

/** Load a page of the probe's own server in a new tab: how many of its requests did the worker's listener see? */
async function seenBy(context, worker, base, path) {
  await worker.evaluate(() => { self.listen(); self.seen = []; });
  const tab = await context.newPage();
  await tab.goto(`${base}${path}`);
  await tab.evaluate(() => fetch('./fetch').then((r) => r.text()));
  await sleep(500);
  await tab.close();
  return worker.evaluate(() => self.seen.length);
}

const server = createServer((q, s) => s.end('<p>probe</p>')).listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const base = `http://127.0.0.1:${/** @type {any} */ (server.address()).port}`;
const rows = [];
try {
  {
    const dir = extension('required', false);
    const b = await launch(dir, join(work, 'profile-required'));
    rows.push(['webRequest + host access required', await seenBy(b.context, b.worker, base, '/a')]);
    await b.context.close();
  }
  const dir = extension('optional', true);
  const profile = seededProfile(dir);
  let b = await launch(dir, profile);
  rows.push(['optional, not granted', await seenBy(b.context, b.worker, base, '/b')]);
  rows.push([`optional, granted in this session (request() answered ${await grant(b.context, dir)})`, await seenBy(b.context, b.worker, base, '/c')]);
  const next = b.context.waitForEvent('serviceworker', { timeout: 15_000 });
  await b.worker.evaluate(() => setTimeout(() => chrome.runtime.reload(), 50)).catch(() => {});
  b.worker = await next;
  rows.push([`after chrome.runtime.reload() (granted: ${await b.worker.evaluate(() => self.granted())})`, await seenBy(b.context, b.worker, base, '/d')]);
  const ui = await b.context.newPage();
  await ui.goto('chrome://extensions');
  const id = extensionId(dir);
  const again = b.context.waitForEvent('serviceworker', { timeout: 15_000 });
  await ui.evaluate((x) => new Promise((r) => chrome.management.setEnabled(x, false, r)), id);
  await ui.evaluate((x) => new Promise((r) => chrome.management.setEnabled(x, true, r)), id);
  b.worker = await again;
  await workerOf(b.context);
  rows.push([`after disable + enable (granted: ${await b.worker.evaluate(() => self.granted())})`, await seenBy(b.context, b.worker, base, '/e')]);
  await b.context.close();
  b = await launch(dir, profile);
  rows.push([`after a browser restart (granted: ${await b.worker.evaluate(() => self.granted())})`, await seenBy(b.context, b.worker, base, '/f')]);
  await b.context.close();
  {
    // The one in-session grant that works: the extension already held declarativeNetRequest.
    const held = extension('optional-dnr-held', true, ['declarativeNetRequest']);
    const d = await launch(held, seededProfile(held));
    rows.push([`optional, declarativeNetRequest held, granted (answered ${await grant(d.context, held)})`, await seenBy(d.context, d.worker, base, '/g')]);
    await d.context.close();
  }
} finally {
  server.close();
  rmSync(work, { recursive: true, force: true });
}
console.log(`${'case'.padEnd(72)} requests the worker saw (page, fetch, favicon)`);
for (const [what, n] of rows) console.log(`${String(what).padEnd(72)} ${n}`);
