// The oracle: runs every lab scenario in real headless Chromium and records what Chrome itself
// decided for each request (DevTools Protocol: Network.loadingFailed's errorText and
// corsErrorStatus, whether a preflight was sent), then compares it with the scenario's `expect`.
//
//   node lab/oracle.mjs [--write] [--only <id,id,...>] [--nonce <n>]
//
// Prints a table; exits 1 if any expectation does not match Chrome. --write saves the record to
// lab/chrome-verdicts.json (origins replaced by {A}, {B}, {BSameSite}, {C}, {refused} so the
// file does not change from run to run). CHROME_PATH overrides /usr/bin/chromium.

import { chromium } from 'playwright-core';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { startLab } from './server.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));

/**
 * @typedef {import('./scenarios.mjs').Expect} Expect
 * @typedef {import('./scenarios.mjs').ResolvedScenario} ResolvedScenario
 * @typedef {import('./scenarios.mjs').ResolvedCall} ResolvedCall
 * @typedef {{
 *   requestId: string, url: string, method: string, headers: Record<string,string>, order: number,
 *   redirects: string[], status: number|null, finished: boolean, errorText: string|null,
 *   corsError: string|null, failedParameter: string|null,
 *   preflights: Array<{ requestId: string, url: string, status: number|null, errorText: string|null, done: boolean }>,
 * }} Seen
 * @typedef {{
 *   call: number, setup?: boolean, url: string, method: string,
 *   verdict: string, corsError: string|null, failedParameter: string|null, errorText: string|null, status: number|null,
 *   preflight: boolean, preflights: number, preflightStatus: number|null, preflightErrorText: string|null, redirects: string[], reachedServer: boolean, seenByNetwork?: false,
 *   expect: Expect, mismatches: string[],
 * }} RequestRecord
 * @typedef {{
 *   id: string, group: string, title: string, expect: Expect, requests: RequestRecord[],
 *   serverLog: string[], preflightsAtServer: number, expectPreflights?: number,
 *   page: { ok: boolean, status?: number, error?: string, detail: string },
 *   match: boolean, mismatches: string[],
 * }} ScenarioRecord
 */

const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** @param {string} url @returns {string|null} */
function sParam(url) {
  try { return new URL(url).searchParams.get('s'); } catch { return null; }
}

/** @param {() => boolean} probe @param {number} timeoutMs */
async function until(probe, timeoutMs) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (probe()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return probe();
}

/**
 * Start the lab, run every scenario in headless Chromium, and record Chrome's verdicts.
 * @param {{ executablePath?: string, only?: string[], nonce?: string }} [opts]
 * @returns {Promise<{ browser: string, origins: import('./scenarios.mjs').LabOrigins, scenarios: ScenarioRecord[] }>}
 */
export async function recordChromeVerdicts(opts = {}) {
  const executablePath = opts.executablePath ?? process.env.CHROME_PATH ?? '/usr/bin/chromium';
  const lab = await startLab();
  const browser = await chromium.launch({ executablePath, headless: true, args: LAUNCH_ARGS });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    /** @type {Map<string, Seen>} */
    const seen = new Map();
    /** @type {Map<string, string>} preflight requestId → actual requestId */
    const preflightOf = new Map();
    /** @type {Map<string, Seen['preflights']>} actual requestId → its preflights */
    const preflights = new Map();
    let order = 0;
    cdp.on('Network.requestWillBeSent', (e) => {
      if (e.initiator?.type === 'preflight' && e.initiator.requestId) {
        // The preflight's requestWillBeSent can arrive before its request's (they come from
        // different processes), so preflights are kept apart and joined by the request's id.
        preflightOf.set(e.requestId, e.initiator.requestId);
        const list = preflights.get(e.initiator.requestId) ?? [];
        list.push({ requestId: e.requestId, url: e.request.url, status: null, errorText: null, done: false });
        preflights.set(e.initiator.requestId, list);
        return;
      }
      const known = seen.get(e.requestId);
      if (known && e.redirectResponse) { known.redirects.push(e.request.url); return; }
      const list = preflights.get(e.requestId) ?? [];
      preflights.set(e.requestId, list);
      seen.set(e.requestId, {
        requestId: e.requestId, url: e.request.url, method: e.request.method, headers: e.request.headers ?? {}, order: order++,
        redirects: [], status: null, finished: false, errorText: null, corsError: null, failedParameter: null, preflights: list,
      });
    });
    /** @param {string} id */
    const preflightEntry = (id) => {
      const actualId = preflightOf.get(id);
      return actualId ? preflights.get(actualId)?.find((p) => p.requestId === id) : undefined;
    };
    cdp.on('Network.responseReceived', (e) => {
      const p = preflightEntry(e.requestId);
      if (p) { p.status = e.response.status; return; }
      const s = seen.get(e.requestId);
      if (s) s.status = e.response.status;
    });
    cdp.on('Network.loadingFinished', (e) => {
      const p = preflightEntry(e.requestId);
      if (p) { p.done = true; return; }
      const s = seen.get(e.requestId);
      if (s) s.finished = true;
    });
    cdp.on('Network.loadingFailed', (e) => {
      const p = preflightEntry(e.requestId);
      if (p) { p.done = true; p.errorText = e.errorText; return; }
      const s = seen.get(e.requestId);
      if (!s) return;
      s.finished = true;
      s.errorText = e.errorText;
      if (e.corsErrorStatus) { s.corsError = e.corsErrorStatus.corsError; s.failedParameter = e.corsErrorStatus.failedParameter || null; }
    });
    /** @type {Array<{ requestId: string|null, url: string, corsError: string, failedParameter: string|null, order: number }>} */
    const issues = [];
    cdp.on('Audits.issueAdded', (e) => {
      const d = e.issue.details?.corsIssueDetails;
      if (!d) return;
      issues.push({ requestId: d.request?.requestId ?? null, url: d.request?.url ?? '', corsError: d.corsErrorStatus.corsError, failedParameter: d.corsErrorStatus.failedParameter || null, order: order++ });
    });
    await cdp.send('Network.enable');
    await cdp.send('Audits.enable');
    await page.goto(`${lab.originA}/`);
    await page.waitForFunction(() => document.documentElement.getAttribute('data-ready') === 'true');
    const version = browser.version();

    /** @type {ScenarioRecord[]} */
    const records = [];
    for (const scenario of lab.scenarios) {
      if (opts.only && !opts.only.includes(scenario.id)) continue;
      const before = order;
      const result = await page.evaluate(([id, nonce]) => /** @type {any} */ (window).corsLab.run(id, { nonce }), /** @type {[string, string|undefined]} */ ([scenario.id, opts.nonce]));
      /** @returns {Seen[]} */
      const mine = () => [...seen.values()].filter((s) => s.order >= before && sParam(s.url) === scenario.id).sort((a, b) => a.order - b.order);
      const networkCalls = scenario.calls.filter((c) => (c.expect ?? scenario.expect).seenByNetwork !== false).length;
      await until(() => {
        const m = mine();
        return m.length >= networkCalls && m.every((s) => s.finished && s.preflights.every((p) => p.done));
      }, 3000);
      await new Promise((r) => setTimeout(r, 20));
      const rendererIssues = issues.filter((i) => i.order >= before && i.requestId === null && sParam(i.url) === scenario.id);
      records.push(judge(scenario, mine(), rendererIssues, lab.log.filter((l) => l.scenario === scenario.id), result));
    }
    return { browser: version, origins: lab.origins, scenarios: records };
  } finally {
    await browser.close().catch(() => {});
    await lab.close();
  }
}

/**
 * @param {ResolvedScenario} scenario
 * @param {Seen[]} requests the requests Chrome made for this scenario, in order
 * @param {Array<{ url: string, corsError: string, failedParameter: string|null }>} rendererIssues CORS issues Blink raised without a network request
 * @param {import('./server.mjs').LogEntry[]} log the lab servers' log for this scenario
 * @param {{ ok: boolean, status?: number, error?: string, detail: string }} page
 * @returns {ScenarioRecord}
 */
function judge(scenario, requests, rendererIssues, log, page) {
  const unused = [...requests];
  const unusedLog = log.filter((l) => l.method !== 'OPTIONS');
  /** @type {RequestRecord[]} */
  const out = [];
  scenario.calls.forEach((call, i) => {
    const method = (call.method ?? 'GET').toUpperCase();
    const names = Object.keys(call.headers ?? {}).map((k) => k.toLowerCase());
    const fits = (/** @type {Record<string,string>} */ h) => { const have = Object.keys(h).map((k) => k.toLowerCase()); return names.every((n) => have.includes(n)); };
    /** @type {Expect} */
    const expect = call.expect ?? scenario.expect;
    /** @type {Seen|undefined} */
    let seenReq;
    if (expect.seenByNetwork === false) {
      const issue = rendererIssues.shift();
      if (issue) {
        seenReq = { requestId: '', url: issue.url, method, headers: {}, order: -1, redirects: [], status: null, finished: true, errorText: null, corsError: issue.corsError, failedParameter: issue.failedParameter, preflights: [] };
      }
    } else {
      const idx = unused.findIndex((r) => r.method === method && fits(r.headers));
      seenReq = idx >= 0 ? unused.splice(idx, 1)[0] : unused.shift();
    }
    const logIdx = unusedLog.findIndex((l) => l.method === method && fits(l.headers));
    const reached = logIdx >= 0;
    if (reached) unusedLog.splice(logIdx, 1);
    const verdict = seenReq ? verdictOf(call, seenReq) : 'not-seen';
    /** @type {RequestRecord} */
    const rec = {
      call: i, ...(call.setup ? { setup: true } : {}), url: call.url, method,
      verdict, corsError: seenReq?.corsError ?? null, failedParameter: seenReq?.failedParameter ?? null, errorText: seenReq?.errorText ?? null,
      status: seenReq?.status ?? null, preflight: (seenReq?.preflights.length ?? 0) > 0, preflights: seenReq?.preflights.length ?? 0,
      preflightStatus: seenReq?.preflights[0]?.status ?? null, preflightErrorText: seenReq?.preflights[0]?.errorText ?? null,
      redirects: seenReq?.redirects ?? [], reachedServer: reached, ...(expect.seenByNetwork === false ? { seenByNetwork: false } : {}), expect, mismatches: [],
    };
    if (rec.corsError !== expect.chromeCorsError) rec.mismatches.push(`corsError ${rec.corsError} ≠ expected ${expect.chromeCorsError}`);
    if ((rec.failedParameter ?? undefined) !== expect.failedParameter) rec.mismatches.push(`failedParameter ${short(rec.failedParameter)} ≠ expected ${short(expect.failedParameter ?? null)}`);
    if (rec.verdict !== expect.verdict) rec.mismatches.push(`verdict ${rec.verdict} ≠ expected ${expect.verdict}`);
    if (expect.errorText !== undefined && rec.errorText !== expect.errorText) rec.mismatches.push(`errorText ${rec.errorText} ≠ expected ${expect.errorText}`);
    if (expect.errorText === undefined && rec.errorText !== null) rec.mismatches.push(`errorText ${rec.errorText}, expected none`);
    if (expect.reachedServer !== undefined && rec.reachedServer !== expect.reachedServer) rec.mismatches.push(`reachedServer ${rec.reachedServer} ≠ expected ${expect.reachedServer}`);
    if (expect.preflight !== undefined && rec.preflight !== expect.preflight) rec.mismatches.push(`preflight ${rec.preflight} ≠ expected ${expect.preflight}`);
    out.push(rec);
  });
  const preflightsAtServer = log.filter((l) => l.method === 'OPTIONS').length;
  const mismatches = out.flatMap((r) => r.mismatches.map((m) => `#${r.call}: ${m}`));
  if (scenario.expectPreflights !== undefined && preflightsAtServer !== scenario.expectPreflights) mismatches.push(`${preflightsAtServer} OPTIONS at the server ≠ expected ${scenario.expectPreflights}`);
  const networkCalls = scenario.calls.filter((c) => (c.expect ?? scenario.expect).seenByNetwork !== false).length;
  if (requests.length !== networkCalls) mismatches.push(`Chrome made ${requests.length} network requests, expected ${networkCalls}`);
  return {
    id: scenario.id, group: scenario.group, title: scenario.title, expect: scenario.expect, requests: out,
    serverLog: log.map((l) => `${l.server} ${l.method} ${l.path}${l.origin === null ? '' : ` origin=${l.origin}`}${l.headers.cookie ? ` cookie=${l.headers.cookie}` : ''}`),
    preflightsAtServer, ...(scenario.expectPreflights === undefined ? {} : { expectPreflights: scenario.expectPreflights }),
    page: { ok: page.ok, ...(page.status === undefined ? {} : { status: page.status }), ...(page.error === undefined ? {} : { error: page.error }), detail: page.detail },
    match: mismatches.length === 0, mismatches,
  };
}

/** Chrome's verdict for one request, from its events and what the page asked for. @param {ResolvedCall} call @param {Seen} s */
function verdictOf(call, s) {
  if (s.corsError) return 'blocked';
  if (s.requestId === '') return 'unknown';
  if (s.errorText) return s.errorText === 'net::ERR_FAILED' ? 'blocked' : 'failed-before-cors';
  if (!s.finished) return 'unfinished';
  if (call.mode === 'no-cors') return 'not-cors';
  const start = new URL(s.url).origin;
  const final = new URL(s.redirects.at(-1) ?? s.url).origin;
  const pageOrigin = new URL(call.url).origin;
  if ((call.target ?? 'B') === 'A' && start === pageOrigin && final === pageOrigin) return 'not-cors';
  return 'allowed';
}

/** @param {string|null} v */
function short(v) {
  if (v === null) return 'none';
  return JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…(${v.length} chars)` : v);
}

/** Replace this run's origins by placeholders and cut very long strings, so the saved record is stable. @param {unknown} value @param {import('./scenarios.mjs').LabOrigins} origins @returns {unknown} */
function stable(value, origins) {
  const pairs = /** @type {Array<[string,string]>} */ ([[origins.BSameSite, '{BSameSite}'], [origins.A, '{A}'], [origins.B, '{B}'], [origins.C, '{C}'], [origins.refused, '{refused}'],
    [new URL(origins.B).host, '{Bhost}'], [new URL(origins.A).host, '{Ahost}']]);
  if (typeof value === 'string') {
    let v = value;
    for (const [from, to] of pairs) v = v.split(from).join(to);
    return v.length > 300 ? `${v.slice(0, 120)}…(${v.length} chars)` : v;
  }
  if (Array.isArray(value)) return value.map((v) => stable(v, origins));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stable(v, origins)]));
  return value;
}

/** @param {ScenarioRecord[]} records */
function table(records) {
  const rows = [['scenario', 'expected', "Chrome's corsError", 'failedParameter', 'preflight', 'server', 'match']];
  for (const r of records) {
    r.requests.forEach((q, i) => {
      const exp = `${q.expect.verdict}${q.expect.chromeCorsError ? ` ${q.expect.chromeCorsError}` : ''}`;
      const got = q.corsError ?? (q.errorText ? `(${q.errorText})` : `(${q.verdict})`);
      const fp = q.failedParameter === null ? '' : q.failedParameter.length > 40 ? `${q.failedParameter.slice(0, 40)}…` : q.failedParameter;
      const name = r.requests.length > 1 ? `${r.id} #${i}${q.setup ? ' setup' : ''}` : r.id;
      rows.push([name, exp, got, fp, q.preflight ? `yes ${q.preflightStatus ?? ''}`.trim() : 'no', q.reachedServer ? 'reached' : '-', q.mismatches.length === 0 ? 'ok' : 'MISMATCH']);
    });
    if (r.mismatches.some((m) => !m.startsWith('#'))) rows.push([`${r.id}`, '', '', '', '', '', `MISMATCH: ${r.mismatches.filter((m) => !m.startsWith('#')).join('; ')}`]);
  }
  const widths = rows[0]?.map((_, c) => Math.min(48, Math.max(...rows.map((row) => (row[c] ?? '').length)))) ?? [];
  return rows.map((row) => row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' | ')).join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const arg = (/** @type {string} */ name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  const only = arg('--only')?.split(',');
  const t0 = Date.now();
  const rec = await recordChromeVerdicts({ ...(only ? { only } : {}), ...(arg('--nonce') ? { nonce: arg('--nonce') } : {}) });
  console.log(`${rec.browser}, ${rec.scenarios.length} scenarios, ${Date.now() - t0} ms`);
  console.log(table(rec.scenarios));
  const bad = rec.scenarios.filter((s) => !s.match);
  for (const s of bad) console.log(`\n✗ ${s.id}\n  ${s.mismatches.join('\n  ')}\n  server: ${s.serverLog.join(' | ')}\n  page: ${s.page.detail}`);
  if (args.includes('--write')) {
    // Compact: each request's own expectation lives in lab/scenarios.mjs; keep what Chrome did.
    const compact = rec.scenarios.map((s) => ({
      ...s,
      requests: s.requests.map(({ expect: _e, mismatches, ...r }) => (mismatches.length ? { ...r, mismatches } : r)),
    }));
    const out = {
      note: 'Recorded by `node lab/oracle.mjs --write`: what Chromium itself reported (DevTools Protocol: Network.loadingFailed errorText and corsErrorStatus, preflights by initiator.type "preflight"; Audits CorsIssue for requests Blink refused before the network) for every lab scenario, and what the lab servers received. Origins are written as {A} (page, http://127.0.0.1:PA), {B} (http://localhost:PB), {BSameSite} (http://127.0.0.1:PB), {C} (http://127.0.0.1:PC), {refused} (a closed port).',
      browser: rec.browser,
      scenarios: stable(compact, rec.origins),
    };
    await writeFile(join(HERE, 'chrome-verdicts.json'), `${JSON.stringify(out, null, 2)}\n`);
    console.log('\nwrote lab/chrome-verdicts.json');
  }
  console.log(`\n${rec.scenarios.length - bad.length}/${rec.scenarios.length} scenarios match Chrome.`);
  process.exit(bad.length ? 1 : 0);
}
