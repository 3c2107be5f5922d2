#!/usr/bin/env node
// `npm start`: build the extension, start the CORS lab, open Chromium with the extension and
// DevTools on the lab page. With no display, run headless through the lab, print what the
// extension captured, and write the session report to reports/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { startLab } from '../lab/server.mjs';

const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'dist');
const chrome = process.env.CHROME_PATH ?? '/usr/bin/chromium';
if (!existsSync(chrome)) {
  console.error(`No Chromium at ${chrome}. Install it with: sudo apt-get install -y chromium (or set CHROME_PATH).`);
  process.exit(1);
}

execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
const lab = await startLab(process.env.LAB_PORT_A ? { ports: { a: Number(process.env.LAB_PORT_A), b: Number(process.env.LAB_PORT_B ?? 0), c: Number(process.env.LAB_PORT_C ?? 0) } } : {});
const headed = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY) && !process.argv.includes('--headless');
console.log(`CORS lab: ${lab.originA}/  (endpoints on ${lab.originB})`);

const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'cors-lens-start-')), {
  executablePath: chrome,
  headless: !headed,
  ignoreDefaultArgs: ['--disable-extensions'],
  viewport: null,
  args: [
    `--disable-extensions-except=${dist}`, `--load-extension=${dist}`, '--auto-open-devtools-for-tabs',
    '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic',
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
  ],
});
const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
const extensionId = new URL(worker.url()).host;
const page = context.pages()[0] ?? (await context.newPage());
await page.goto(`${lab.originA}/`);

if (headed) {
  console.log('Chromium is open on the lab with DevTools: pick the CORS tab, then press "Run all". Close the browser to stop.');
  context.on('close', () => lab.close().then(() => process.exit(0)));
} else {
  const automation = await context.newPage();
  await automation.goto(`chrome-extension://${extensionId}/src/options/options.html`);
  const ask = (m) => automation.evaluate((msg) => chrome.runtime.sendMessage(msg), m);
  const tabId = await automation.evaluate(async (prefix) => (await chrome.tabs.query({})).find((t) => t.url?.startsWith(prefix))?.id, lab.originA);
  for (let i = 0; i < 100 && !(await ask({ type: 'cors-lens/status' })).tabs.includes(tabId); i++) await new Promise((r) => setTimeout(r, 100));
  await page.bringToFront();
  await page.evaluate(() => window.corsLab.runAll());
  await new Promise((r) => setTimeout(r, 500));
  const report = await ask({ type: 'cors-lens/export', tabId });
  const rows = report.exchanges.map((e) => ({
    scenario: new URL(e.url).searchParams.get('s') ?? '',
    method: e.method,
    path: new URL(e.url).pathname,
    status: e.response?.statusCode ?? e.error ?? '',
    preflight: e.preflight ? `${e.preflight.observed}${e.preflight.response?.statusCode ? ' ' + e.preflight.response.statusCode : ''}` : 'none',
    verdict: e.verdict,
    finding: e.findings.find((f) => f.severity === 'error')?.chromeCorsError ?? e.findings[0]?.id ?? '',
  }));
  console.table(rows);
  mkdirSync(join(root, 'reports'), { recursive: true });
  const file = join(root, 'reports', `cors-session-${new URL(lab.originA).host.replace(':', '_')}-${new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}.json`);
  writeFileSync(file, JSON.stringify(report, null, 2));
  console.log(`${report.exchanges.length} exchanges captured; ${rows.filter((r) => r.verdict === 'blocked').length} blocked. Report: ${file}`);
  await context.close();
  await lab.close();
}
