import { findingProse } from '../../src/cors/describe';
/**
 * The inferences scored against the truth: the lab page records what each call
 * really used (its init), Chrome's own verdicts come over the DevTools Protocol,
 * and every inferred field of the extension's report is compared with them.
 * An "unknown" counts as a failure unless the scenario declares the field
 * undecidable (nothing an extension sees tells the cases apart).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startLab } from '../../lab/server.mjs';
import type { InferredField, ResolvedCall, ResolvedScenario } from '../../lab/scenarios.mjs';
import { analyzeExchange } from '../../src/cors/analyze';
import type { Message, Observation } from '../../src/cors/types';
import type { SessionReport } from '../../src/report/schema';
import type { Exchange } from '../../src/traffic/exchange';
import { customHeaderNames, exportReport, launch, recordChromeVerdicts, waitFor, type ChromeVerdict, type Launched } from './browser';

type Lab = Awaited<ReturnType<typeof startLab>>;
interface Init { url: string; api: 'fetch' | 'xhr'; method: string; credentials: string; mode: string; headers: Record<string, string> }
interface Row { ex: Exchange; chrome: ChromeVerdict | undefined; init: Init; scenario: ResolvedScenario; call: ResolvedCall; subject: boolean }

const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts');
const SAFELISTED_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

let lab: Lab;
let l: Launched;
let page: Page;
let report: SessionReport;
let rows: Row[] = [];

const scenarioOf = (url: string): string | null => {
  try {
    return new URL(url).searchParams.get('s');
  } catch {
    return null;
  }
};

/** Whether the page's own request needs a preflight: a plain reading of the init, apart from the engine. */
function needsPreflight(init: Init): boolean {
  if (!['GET', 'HEAD', 'POST'].includes(init.method)) return true;
  return Object.entries(init.headers).some(([n, v]) =>
    n === 'content-type' ? !SAFELISTED_TYPES.includes(v.split(';')[0]!.trim().toLowerCase()) : !['accept', 'accept-language', 'content-language'].includes(n));
}

/** The exchange as the engine would see it from a browser that sends no Sec-Fetch-* headers (http to a non-local host). */
function withoutFetchMetadata(ex: Exchange): Observation {
  const strip = (m: Message): Message => ({ ...m, headers: m.headers.filter(([n]) => !n.startsWith('sec-fetch-')) });
  const neverSent = ex.preflight?.observed === 'sent' && ex.response === null && ex.redirects.length === 0 && ex.error !== null && ex.request.headers.every(([n]) => n === 'origin');
  return {
    url: ex.url, method: ex.method, initiatorOrigin: ex.initiatorOrigin, mode: null,
    // Headers the capture never saw (a same-origin request it learnt of at its redirect) are no evidence.
    request: neverSent || ex.request.headers.length === 0 ? null : strip(ex.request),
    redirects: ex.redirects,
    preflight: ex.preflight ? { observed: ex.preflight.observed, request: ex.preflight.request, response: ex.preflight.finalResponse ?? ex.preflight.response, error: ex.preflight.error } : null,
    response: ex.finalResponse ?? ex.response,
    error: ex.error,
  };
}

const undecided = (r: Row, field: InferredField): boolean => (r.call.undecided ?? r.scenario.undecided ?? []).includes(field);

beforeAll(async () => {
  lab = await startLab();
  l = await launch({ devtools: true });
  page = await l.context.newPage();
  await page.goto(`${lab.originA}/`);
  const tabId = await l.tabIdOf(lab.originA);
  await waitFor(async () => (await l.request('cors-lens/status', {})).tabs.includes(tabId), 'capture of the lab tab', 90_000);
  const { verdicts } = await recordChromeVerdicts(page);
  await page.evaluate(() => (window as unknown as { corsLab: { runAll(): Promise<unknown> } }).corsLab.runAll());
  const inits = await page.evaluate(() => (window as unknown as { corsLab: { initLog: Init[] } }).corsLab.initLog);
  const chromeSaw = [...verdicts.values()].filter((v) => scenarioOf(v.url) !== null && (!v.url.startsWith(lab.originA) || !v.finalUrl.startsWith(lab.originA)));
  // Every request Chrome finished is in the report once the worker has handled its last event.
  await waitFor(async () => (await exportReport(l, tabId)).exchanges.filter((e) => e.verdict !== 'unknown').length >= chromeSaw.length, 'every exchange settled', 20_000);
  report = await exportReport(l, tabId);

  // Match each exchange with the call that made it (method, URL, the page's x-* headers, in order) and with Chrome's verdict.
  const key = (method: string, url: string, custom: string) => `${method} ${url} ${custom}`;
  const pool = <T,>(items: T[], k: (t: T) => string) => {
    const m = new Map<string, T[]>();
    for (const t of items) m.set(k(t), [...(m.get(k(t)) ?? []), t]);
    return m;
  };
  const exCustom = (ex: Exchange) => {
    const sent = customHeaderNames(ex.request.headers.map(([n]) => n));
    if (sent || !ex.preflight) return sent;
    return customHeaderNames((ex.preflight.request.headers.find(([n]) => n === 'access-control-request-headers')?.[1] ?? '').split(','));
  };
  const initPool = pool(inits, (i) => key(i.method, i.url, customHeaderNames(Object.keys(i.headers))));
  const chromePool = pool(chromeSaw, (c) => key(c.method, c.url, c.customHeaders));
  const byId = new Map(lab.scenarios.map((s) => [s.id, s]));
  const callCursor = new Map<string, number>();
  rows = [];
  for (const ex of report.exchanges) {
    const k = key(ex.method, ex.url, exCustom(ex));
    const init = initPool.get(k)?.shift();
    const scenario = byId.get(scenarioOf(ex.url) ?? '');
    if (!init || !scenario) continue;
    // The call of the scenario this init was made for: the next one with this method and these headers.
    const from = callCursor.get(k) ?? 0;
    const idx = scenario.calls.findIndex((c, i) => i >= from && c.url === init.url && (c.method ?? 'GET').toUpperCase() === init.method && customHeaderNames(Object.keys(c.headers ?? {})) === customHeaderNames(Object.keys(init.headers)));
    callCursor.set(k, idx + 1);
    const call = scenario.calls[idx] ?? scenario.calls[0]!;
    rows.push({ ex, chrome: chromePool.get(k)?.shift(), init, scenario, call, subject: !call.setup && !call.expect });
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, 'inference-export.json'), JSON.stringify(report, null, 2));
}, 240_000);

afterAll(async () => {
  await l?.close();
  await lab?.close();
});

interface Score { agree: number; total: number; undecided: number; failures: string[] }
const score = (): Score => ({ agree: 0, total: 0, undecided: 0, failures: [] });
const line = (name: string, s: Score) => `${name.padEnd(32)} ${s.agree}/${s.total}${s.undecided ? ` (+${s.undecided} undecidable, default shown first)` : ''}`;

describe('inference scored against what the page really did', () => {
  it('every exchange is matched with the call that made it and Chrome\u2019s verdict', () => {
    expect(rows.length).toBe(report.exchanges.length);
    expect(rows.filter((r) => !r.chrome).map((r) => r.ex.url)).toEqual([]);
    expect(rows.length).toBeGreaterThan(60);
  });

  it('prints the oracle agreement and the inference agreement per field; every decidable field agrees', () => {
    const oracle = score();
    const credentials = score();
    const mode = score();
    const modeNoMetadata = score();
    const reached = score();
    const preflight = score();
    const labelFailures: string[] = [];
    for (const r of rows) {
      const { ex, chrome: c, init } = r;
      const name = `${scenarioOf(ex.url)} ${ex.method}${r.call.setup ? ' (setup)' : ''}`;
      // Oracle: the first error names Chrome's CorsError (as the capture suite holds it).
      if (c) {
        oracle.total++;
        const first = ex.findings.find((f) => f.severity === 'error');
        const ours = c.corsError ? first?.chromeCorsError ?? null : null;
        const blockedRight = c.corsError ? ex.verdict === 'blocked' : ex.verdict !== 'blocked' && ex.findings.every((f) => f.chromeCorsError === null);
        if (ours === c.corsError && (c.corsError ? (first?.failedParameter ?? '') === (c.failedParameter ?? '') : true) && blockedRight) oracle.agree++;
        else oracle.failures.push(`${name}: Chrome ${c.corsError} vs ${ours} (${ex.verdict})`);
      }
      // Credentials: where CORS applied (a request that failed before CORS, or is not CORS, does not depend on it).
      if (ex.credentials.rule !== 'credentials-not-cors') {
        const truth = init.credentials === 'include' ? 'include' : 'omit-or-same-origin';
        if (undecided(r, 'credentials')) {
          credentials.undecided++;
          // Declared undecidable: the engine must not guess, and must show the default case first, labelled.
          if (ex.credentials.value !== null) labelFailures.push(`${name}: declared undecidable, yet inferred ${ex.credentials.value} (${ex.credentials.rule}): the declaration or the rule is wrong`);
          else if (ex.credentials.rule !== 'credentials-undecided' || !/default of fetch\(\) and XMLHttpRequest \(not included\)/.test(ex.credentials.why)) labelFailures.push(`${name}: ${ex.credentials.why}`);
          const alt = /Chrome reports (\w+) instead/.exec(ex.credentials.why)?.[1];
          const first = ex.findings.find((f) => f.severity === 'error');
          if (alt && first && !findingProse(first).detail.includes(`If this request sends credentials, Chrome reports ${alt} instead`)) labelFailures.push(`${name}: the finding does not name the alternative ${alt}`);
        } else {
          credentials.total++;
          if (ex.credentials.value === truth) credentials.agree++;
          else credentials.failures.push(`${name}: inferred ${ex.credentials.value} (${ex.credentials.rule}: ${ex.credentials.why}), the page used ${init.credentials}`);
        }
      }
      // Mode, as reported (Sec-Fetch-Mode when Chrome sends it), and from the other evidence alone.
      mode.total++;
      if (ex.mode === init.mode) mode.agree++;
      else mode.failures.push(`${name}: ${ex.mode} (${ex.inferred?.mode.rule}), the page used ${init.mode}`);
      const bare = analyzeExchange(withoutFetchMetadata(ex));
      if (bare.mode === init.mode) { modeNoMetadata.total++; modeNoMetadata.agree++; }
      else if (bare.mode === null && undecided(r, 'mode')) modeNoMetadata.undecided++;
      else { modeNoMetadata.total++; modeNoMetadata.failures.push(`${name}: ${bare.mode} (${bare.inferred.mode.rule}), the page used ${init.mode}`); }
      // Reached the server: the lab servers' log for this URL and method, in order (requests of one scenario share a URL).
      reached.total++;
      const u = new URL(ex.url);
      const logged = lab.log.filter((e) => e.method === ex.method && e.path === u.pathname && e.query === u.search && customHeaderNames(Object.keys(e.headers)) === customHeaderNames(Object.keys(init.headers))).length;
      const claimed = rows.filter((o) => o.ex.method === ex.method && o.ex.url === ex.url && customHeaderNames(Object.keys(o.init.headers)) === customHeaderNames(Object.keys(init.headers)) && o.ex.reachedServer).length;
      if (claimed === logged) reached.agree++;
      else reached.failures.push(`${name}: ${ex.reachedServer} (${ex.inferred?.reachedServer.rule}); server saw ${logged}, extension claims ${claimed}`);
      // Preflight: sent (Chrome sent one), cached (needed, none sent), none (not needed).
      preflight.total++;
      const truthPf = c?.preflight ? 'sent' : needsPreflight(init) ? 'cached' : 'none';
      const ourPf = ex.preflight?.observed ?? 'none';
      if (ourPf === truthPf) preflight.agree++;
      else preflight.failures.push(`${name}: ${ourPf} (${ex.inferred?.preflight?.rule}), truth ${truthPf}`);
    }
    const text = [
      `oracle agreement: ${oracle.agree}/${oracle.total}`,
      'inference agreement (inferred vs what the page and the servers really did):',
      `  ${line('credentials', credentials)}`,
      `  ${line('mode', mode)}`,
      `  ${line('mode without Sec-Fetch-Mode', modeNoMetadata)}`,
      `  ${line('reachedServer', reached)}`,
      `  ${line('preflight sent/cached/none', preflight)}`,
      ...[oracle, credentials, mode, modeNoMetadata, reached, preflight].flatMap((s) => s.failures.map((f) => `  ✗ ${f}`)),
      ...labelFailures.map((f) => `  ✗ label: ${f}`),
    ].join('\n');
    console.log(text);
    writeFileSync(join(ARTIFACTS, 'inference.txt'), `${text}\n`);
    expect(oracle.failures).toEqual([]);
    expect(credentials.failures).toEqual([]);
    expect(mode.failures).toEqual([]);
    expect(modeNoMetadata.failures).toEqual([]);
    expect(reached.failures).toEqual([]);
    expect(preflight.failures).toEqual([]);
    expect(labelFailures).toEqual([]);
    // Every decidable credentials rule is exercised by some scenario.
    const rules = new Set(rows.map((r) => r.ex.credentials.rule));
    for (const rule of ['credentials-cookie-sent', 'credentials-storage-access-sent', 'credentials-preflight-passed', 'credentials-wildcard-accepted', 'credentials-accepted-without-allow-credentials',
      'credentials-wildcard-rejected', 'credentials-allow-credentials-rejected', 'credentials-fails-only-with-credentials', 'credentials-undecided']) {
      expect(rules, rule).toContain(rule);
    }
  });

  it('a PUT sent after a preflight without Allow-Credentials: not included, said plainly, no hedge', () => {
    const r = rows.find((x) => scenarioOf(x.ex.url) === 'seed-put-real-missing-acao')!;
    expect(r.ex.credentials).toMatchObject({ value: 'omit-or-same-origin', rule: 'credentials-preflight-passed' });
    expect(r.ex.credentials.why).toBe('the preflight had no `Access-Control-Allow-Credentials` and Chrome sent the PUT');
    expect(r.ex.findings[0]!.chromeCorsError).toBe('MissingAllowOriginHeader');
    for (const f of r.ex.findings) expect(findingProse(f).detail).not.toMatch(/PreflightInvalidAllowCredentials|If th(e|is) request (was made with|sends) credentials/);
  });

  it('names the likely cause of each cause scenario, right after the error it explains', () => {
    const named: string[] = [];
    const missing: string[] = [];
    for (const s of lab.scenarios.filter((x) => x.cause)) {
      const r = rows.find((x) => x.scenario.id === s.id && x.subject);
      const ids = r?.ex.findings.map((f) => f.id) ?? [];
      if (ids[1] === s.cause && r?.ex.findings[0]?.severity === 'error') named.push(s.id);
      else missing.push(`${s.id}: ${ids.join(', ')}`);
    }
    const causes = new Set(lab.scenarios.map((s) => s.cause).filter(Boolean));
    console.log(`likely causes named: ${named.length}/${named.length + missing.length} scenarios, ${causes.size} causes`);
    expect(missing).toEqual([]);
    expect(causes.size).toBe(5);
  });
});
