import { findingProse } from '../../src/cors/describe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLab } from '../../lab/server.mjs';
import { launchFirefox, waitFor, type Firefox } from './bidi';
import { firefoxVerdicts, type FirefoxRequest } from './verdicts';
import { catalogueEntry } from '../../src/cors/catalogue';
import type { SessionReport } from '../../src/report/schema';
import type { Exchange } from '../../src/traffic/exchange';

type Lab = Awaited<ReturnType<typeof startLab>>;
const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts');

let lab: Lab;
let ff: Firefox;
let page: string;
let tabId: number;
let report: SessionReport;
let firefoxSaw: FirefoxRequest[];

const exportSession = async (): Promise<SessionReport> => {
  const r = await ff.request('cors-lens/export', { tabId });
  if (!('exchanges' in r)) throw new Error(`export failed: ${JSON.stringify(r)}`);
  return r;
};

/** The reason the extension gives in Firefox's words: its first error finding's firefoxReason, none when it did not find a block. */
function ourReason(ex: Exchange | undefined): string | null {
  if (!ex || ex.verdict === 'allowed' || ex.verdict === 'not-cors') return null;
  const first = ex.findings.find((f) => f.severity === 'error');
  return first ? catalogueEntry(first.id).firefoxReason : null;
}

beforeAll(async () => {
  lab = await startLab();
  ff = await launchFirefox();
  await ff.request('cors-lens/capture', { scope: 'all', on: true });
  page = await ff.newTab(`${lab.originA}/`);
  tabId = await ff.tabIdOf(lab.originA);
  await ff.evaluate(page, 'window.corsLab.ready');
  await ff.evaluate(page, 'window.corsLab.runAll()');
  // Events arrive in the order Firefox emitted them: once this last block's console line is in, every earlier one is.
  await ff.evaluate(page, `window.corsLab.run('rule-missing-allow-origin', { nonce: 'last' })`);
  await waitFor(async () => ff.events.some((e) => e.method === 'log.entryAdded' && String(e.params.text).includes('run=last')), 'the last console line');
  const { requests } = firefoxVerdicts(ff.events);
  firefoxSaw = requests.filter((r) => {
    const u = new URL(r.url);
    return u.searchParams.has('s') && u.searchParams.get('run') !== 'last' && (!r.url.startsWith(lab.originA) || !r.finalUrl.startsWith(lab.originA));
  });
  // The extension has recorded every request Firefox ended.
  await waitFor(async () => {
    report = await exportSession();
    const ids = new Set(report.exchanges.map((e) => e.id));
    return firefoxSaw.every((r) => ids.has(r.requestId));
  }, 'every request exported', 20_000).catch(() => undefined);
  report = await exportSession();
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, 'firefox-capture-export.json'), JSON.stringify(report, null, 2));
  writeFileSync(join(ARTIFACTS, 'firefox-verdicts.json'), JSON.stringify(firefoxSaw, null, 2));
  writeFileSync(join(ARTIFACTS, 'firefox-bidi-events.json'), JSON.stringify(ff.events, null, 1));
});

afterAll(async () => {
  await ff?.close();
  await lab?.close();
});

/** Reasons Firefox gives only under credentials mode "include". */
const BY_CREDENTIALS_MODE = new Set(['CORSNotSupportingCredentials', 'CORSMissingAllowCredentials']);

const scenarioOf = (url: string) => new URL(url).searchParams.get('s');

describe('capture in real Firefox ESR, capture all tabs', () => {
  it('lists every cross-origin request Firefox made, under its webRequest id', () => {
    const ids = new Set(report.exchanges.map((e) => e.id));
    expect(firefoxSaw.filter((r) => !ids.has(r.requestId)).map((r) => `${r.method} ${r.url}`)).toEqual([]);
    expect(firefoxSaw.length).toBeGreaterThan(60);
  });

  it('names Firefox, never Chrome, in what it inferred, and reads an unsent request as unsent', () => {
    const whys = report.exchanges.flatMap((e) => [e.credentials.why, ...Object.values(e.inferred ?? {}).map((n) => n?.why)].map((w) => `${scenarioOf(e.url)}: ${w ?? ''}`));
    expect(whys.filter((w) => w.includes('Chrome'))).toEqual([]);
    expect(whys.some((w) => w.includes('Firefox'))).toBe(true);
    const stopped = report.exchanges.filter((e) => e.preflight?.error && !e.response);
    expect(stopped.length).toBeGreaterThan(5);
    for (const e of stopped) expect(`${scenarioOf(e.url)}: ${e.inferred?.reachedServer?.rule}`).toBe(`${scenarioOf(e.url)}: reached-stopped-by-preflight`);
  });

  it('names the reason Firefox itself gave for each request (oracle agreement)', () => {
    const byId = new Map(report.exchanges.map((e) => [e.id, e]));
    const classes = new Map<string, { n: number; agree: number }>();
    const disagreements: string[] = [];
    let agree = 0;
    for (const r of firefoxSaw) {
      const ex = byId.get(r.requestId);
      const ours = ourReason(ex);
      // Where Firefox printed several reasons for one request, naming any of them agrees.
      const ok = ex !== undefined && (ours === r.reason || (ours !== null && r.reasons.includes(ours))) && (r.reason !== null || ex.verdict !== 'blocked');
      const c = classes.get(r.reason ?? 'no block') ?? { n: 0, agree: 0 };
      classes.set(r.reason ?? 'no block', c);
      c.n++;
      if (ok) {
        agree++;
        c.agree++;
      } else {
        disagreements.push(`${scenarioOf(r.url)} ${r.method}: Firefox ${r.reason ?? 'no block'} (${r.reasonText ?? r.errorText ?? r.status}) vs ours ${ours ?? 'none'} verdict ${ex?.verdict} ${ex?.findings.map((f) => f.id).join(',')}`);
      }
    }
    const lines = [
      `Firefox oracle agreement: ${agree}/${firefoxSaw.length} (${((100 * agree) / firefoxSaw.length).toFixed(1)}%)`,
      ...[...classes].sort().map(([k, c]) => `  ${k}: ${c.agree}/${c.n}`),
      ...disagreements.map((d) => `  ✗ ${d}`),
    ];
    console.log(lines.join('\n'));
    writeFileSync(join(ARTIFACTS, 'firefox-oracle.txt'), `${lines.join('\n')}\n`);
    expect(agree / firefoxSaw.length).toBeGreaterThanOrEqual(0.95);
    // Every class, those Firefox decides by the credentials mode included: webRequest shows neither the
    // mode nor an error there, but the Cookie or Sec-Fetch-Storage-Access header that only credentials
    // bring proves "include" (credentials-storage-access-sent, docs/inference.md).
    for (const [k, c] of classes) expect(`${k}: ${c.agree}/${c.n}`).toBe(`${k}: ${c.n}/${c.n}`);
    // Where neither header could prove it (a request to an untrustworthy URL carries no Sec-Fetch-*), the extension warns.
    for (const r of firefoxSaw.filter((x) => x.reason !== null && BY_CREDENTIALS_MODE.has(x.reason))) {
      const ex = byId.get(r.requestId)!;
      if (ourReason(ex) === r.reason) continue;
      expect(ex.request.headers.some(([n]) => n === 'cookie' || n === 'sec-fetch-storage-access'), r.url).toBe(false);
      const warning = ex.findings.find((f) => f.severity === 'warning' && catalogueEntry(f.id).firefoxReason === r.reason);
      expect(warning ? findingProse(warning).detail : undefined, r.url).toMatch(/Firefox blocks this if the request was made with credentials: 'include'/);
    }
  });
});
