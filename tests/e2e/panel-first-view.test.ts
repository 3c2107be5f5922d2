import { describeFinding, plainText } from '../../src/cors/describe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startLab } from '../../lab/server.mjs';
import { exportReport, launch, waitFor, type Launched } from './browser';
import { openRealPanel, screenshot, setDevtoolsTheme, sizeDevtools, undockDevtools, type RealPanel } from './devtools';
import { changedLines, measure, openScenario, type FirstView } from './first-view';
import type { Exchange } from '../../src/traffic/exchange';

/**
 * The panel as a first-time user reads it: the real DevTools window at 1000×800, six failing
 * lab requests, light and dark. Without scrolling the detail shows the headline, whether the
 * request reached the server, the fix and the header rows that decided it (present or
 * "(missing)"); nothing in the headline or the status column is cut; no backtick shows.
 * The screenshots are kept in test-artifacts/ (docs/panel-*.png are copies of them).
 */

const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts');
const DOCS = join(import.meta.dirname, '../../docs');
const WIDTH = 1000;
const HEIGHT = 800;

interface Expected {
  /** Words the headline must hold: every blocker. */
  headline: string[];
  reached: 'yes' | 'no';
  /** [side, header, missing]: the rows that decided the verdict. */
  decisive: Array<[side: 'preflight' | 'request', header: string, missing: boolean]>;
  /** Rows shown but not decisive here (a highlight would mislead). */
  notDecisive?: string[];
  /** A side whose status must be in view, when no header row is at fault. */
  status?: [side: 'preflight' | 'request', text: string];
  /** The fix is a status only: the preflight already has the right headers. */
  statusFix?: string;
}

const SCENARIOS: Record<string, Expected> = {
  'seed-no-options-handler': {
    headline: ['Preflight failed', 'status 405', 'Access-Control-Allow-Origin'],
    reached: 'no',
    decisive: [['preflight', 'access-control-allow-origin', true]],
    notDecisive: ['content-type', 'allow'],
  },
  'seed-gin-other-header': {
    headline: ['Preflight failed', 'x-other-header', 'Access-Control-Allow-Headers'],
    reached: 'no',
    decisive: [['preflight', 'access-control-allow-headers', false], ['preflight', 'access-control-request-headers', false]],
    notDecisive: ['access-control-allow-origin', 'content-type'],
  },
  'seed-put-real-missing-acao': {
    headline: ['Response refused', 'Access-Control-Allow-Origin'],
    reached: 'yes',
    decisive: [['request', 'access-control-allow-origin', true]],
    notDecisive: ['content-type', 'x-custom-header'],
  },
  'rule-wildcard-origin-not-allowed': {
    headline: ['Response refused', 'Access-Control-Allow-Origin: *', 'credentials'],
    reached: 'yes',
    decisive: [['request', 'access-control-allow-origin', false]],
  },
  'seed-express-example-com-get': {
    headline: ['Response refused', 'https://example.com'],
    reached: 'yes',
    decisive: [['request', 'access-control-allow-origin', false], ['request', 'origin', false]],
    notDecisive: ['vary', 'content-type'],
  },
  'rule-preflight-invalid-status': {
    headline: ['Preflight failed', 'status 404'],
    reached: 'no',
    decisive: [],
    notDecisive: ['access-control-allow-origin', 'access-control-allow-headers'],
    status: ['preflight', '404'],
    statusFix: '204',
  },
};

/** Scenarios whose Try fix block is kept as a screenshot too: one sets a line apart for scope, one for a rescue. */
const TRY_FIX_SHOTS = ['seed-gin-other-header', 'rule-preflight-invalid-status'];

let lab: Awaited<ReturnType<typeof startLab>>;
let l: Launched;
let page: Page;
let tabId: number;
let p: RealPanel;
const exchanges = new Map<string, Exchange>();

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  lab = await startLab();
  l = await launch({ devtools: true });
  page = await l.context.newPage();
  await page.goto(`${lab.originA}/`);
  tabId = await l.tabIdOf(lab.originA);
  await waitFor(async () => (await l.request('cors-lens/status', {})).tabs.includes(tabId), 'capture of the lab tab', 150_000);
  for (const s of Object.keys(SCENARIOS)) await page.evaluate((id) => (window as unknown as { corsLab: { run(id: string): Promise<unknown> } }).corsLab.run(id), s);
  const report = await waitFor(async () => {
    const r = await exportReport(l, tabId);
    return Object.keys(SCENARIOS).every((s) => r.exchanges.some((e) => e.url.includes(`s=${s}`) && e.verdict === 'blocked')) ? r : null;
  }, 'the six blocked exchanges', 30_000);
  for (const s of Object.keys(SCENARIOS)) exchanges.set(s, report.exchanges.find((e) => e.url.includes(`s=${s}`))!);
  p = await openRealPanel(l, tabId);
  await undockDevtools(p);
  await sizeDevtools(p, WIDTH, HEIGHT);
}, 300_000);

afterAll(async () => {
  await l?.close();
  await lab?.close();
});

const sideOf = (v: FirstView, side: 'preflight' | 'request') => (side === 'preflight' ? 'Preflight (OPTIONS)' : v.sideStatus.find((s) => s.side?.startsWith('Request'))?.side);

function check(scenario: string, v: FirstView): void {
  const want = SCENARIOS[scenario]!;
  const ex = exchanges.get(scenario)!;
  // The DevTools window is the size a user's would be, and the panel fills it but for DevTools' tab bar.
  expect(v.viewport.width).toBe(WIDTH);
  expect(v.viewport.height).toBeGreaterThan(HEIGHT - 60);
  // The list keeps only the room its one row needs: the detail gets the rest.
  expect(v.listHeight).toBeLessThanOrEqual(60);

  expect(v.headline.inView, 'headline in view').toBe(true);
  expect(v.headline.clipped, `headline cut: ${v.headline.text}`).toBe(false);
  for (const w of want.headline) expect(v.headline.text).toContain(w);
  expect(v.reached).toMatchObject({ value: want.reached, inView: true });
  expect(v.reached.text).toContain(want.reached === 'yes' ? `The ${ex.method} reached the server` : `The ${ex.method} never reached the server`);

  const lead = ex.findings.find((f) => f.severity === 'error')!;
  expect(v.fix?.inView, 'fix in view').toBe(true);
  expect(v.fix!.text).toBe(`Fix ${plainText(describeFinding(lead).fix)}`);

  for (const [side, header, missing] of want.decisive) {
    const row = v.rows.find((r) => r.side === sideOf(v, side) && r.header === header && r.decisive);
    expect(row, `${side} ${header} highlighted`).toBeTruthy();
    expect(row!.inView, `${side} ${header} in view`).toBe(true);
    expect(row!.missing, `${side} ${header} missing`).toBe(missing);
    if (missing) expect(row!.value).toBe('(missing)');
  }
  const decisive = v.rows.filter((r) => r.decisive).map((r) => `${r.side}|${r.header}`);
  expect(decisive.sort()).toEqual(want.decisive.map(([s, h]) => `${sideOf(v, s)}|${h}`).sort());
  for (const h of want.notDecisive ?? []) expect(v.rows.filter((r) => r.header === h && r.decisive)).toEqual([]);
  if (want.status) expect(v.sideStatus.find((s) => s.side === sideOf(v, want.status![0]))).toMatchObject({ text: `→ ${want.status[1]}`, inView: true });

  // A request Chrome never sent has no header table at all.
  if (want.reached === 'no') expect(v.rows.filter((r) => r.side?.startsWith('Request'))).toEqual([]);
  expect(v.clippedStatus).toEqual([]);
  expect(v.clippedText).toEqual([]);
  expect(v.hiddenHosts).toEqual([]);
  expect(v.backticks).toEqual([]);

  // Try fix changes exactly the server fix's added and changed lines, per response (a rescue's status
  // included); a line it also sets that the server already sends is shown apart, with its reason.
  expect(v.tryFix, 'Try fix offered').not.toBeNull();
  const changed = (side: string) => (v.serverFix[side] ?? []).filter((r) => r.state !== 'kept').map((r) => r.line);
  for (const side of ['preflight', 'actual']) {
    expect(v.tryFix![side]?.applied ?? [], `Try fix on the ${side} response`).toEqual(changed(side));
    for (const a of v.tryFix![side]?.apart ?? []) {
      expect(['scope', 'rescue', 'same']).toContain(a.reason);
      expect(v.serverFix[side]?.find((r) => r.line.split(':')[0] === a.line.split(':')[0])?.state, `${a.line} is kept by the server fix`).toBe('kept');
    }
  }
  // The answer's fix says the same: the CORS header lines it quotes that the failing response lacks are
  // the server fix's added and changed header lines there (for a status-only fix, none on either side,
  // and the status line is what both change).
  const stage = lead.stage === 'preflight' ? 'preflight' : 'actual';
  const stageResponse = stage === 'preflight' ? ex.preflight?.response : ex.response;
  const quoted = changedLines(v.fix!.codes, stageResponse?.headers ?? []).filter((c) => /^access-control-/i.test(c));
  const lower = (xs: string[]) => xs.map((x) => x.toLowerCase()).sort();
  expect(lower(quoted), 'the fix in words and the diff').toEqual(lower(changed(stage).filter((l) => !l.startsWith('Status:'))));
  if (want.statusFix) {
    expect(quoted).toEqual([]);
    expect(v.tryFix!.preflight!.applied).toEqual([`Status: ${want.statusFix}`]);
    expect(v.fix!.text).toContain(`with status ${want.statusFix}`);
  }
}

describe.each(['light', 'dark'] as const)('the detail at first view, real DevTools %s', (theme) => {
  beforeAll(async () => {
    // DevTools' own Settings > Appearance, switched while the panel is open: the panel must follow.
    await setDevtoolsTheme(p, theme === 'dark' ? 'dark' : 'default');
    await waitFor(async () => (await p.inPanel<string>('return document.documentElement.dataset.theme;')) === theme, `the panel to turn ${theme}`);
  });

  for (const scenario of Object.keys(SCENARIOS)) {
    it(scenario, async () => {
      await openScenario(p, scenario, exchanges.get(scenario)!.id);
      const v = await measure(p);
      const png = await screenshot(p);
      const name = `panel-${scenario}-${theme}.png`;
      writeFileSync(join(ARTIFACTS, name), png);
      writeFileSync(join(ARTIFACTS, name.replace(/\.png$/, '.json')), JSON.stringify(v, null, 1));
      check(scenario, v);
      if (TRY_FIX_SHOTS.includes(scenario)) {
        // Try fix, scrolled into view: what it changes, and what it sets apart with why.
        await p.inPanel(`document.querySelector('.try-fix').scrollIntoView({ block: 'start' }); await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));`);
        writeFileSync(join(ARTIFACTS, `panel-try-fix-${scenario}-${theme}.png`), await screenshot(p));
        if (process.env.UPDATE_DOCS) copyFileSync(join(ARTIFACTS, `panel-try-fix-${scenario}-${theme}.png`), join(DOCS, `panel-try-fix-${scenario}-${theme}.png`));
      }
      if (process.env.UPDATE_DOCS) {
        copyFileSync(join(ARTIFACTS, name), join(DOCS, name));
        // The README's picture: a request whose preflight did not allow its header.
        if (name === 'panel-seed-gin-other-header-light.png') copyFileSync(join(ARTIFACTS, name), join(DOCS, 'panel-blocked.png'));
      }
    });
  }
});

describe('DevTools theme, switched while the panel is open', () => {
  it('the panel follows to dark and back, live (no reload), and its colours change with it', async () => {
    await p.inPanel(`window.__sameDocument = true;`);
    const state = () => p.inPanel<{ theme: string; bg: string; same: boolean }>(
      `return { theme: document.documentElement.dataset.theme, bg: getComputedStyle(document.body).backgroundColor, same: window.__sameDocument === true };`,
    );
    // The panel registers its handler with DevTools asynchronously after it loads; on a loaded
    // machine a switch made before that lands is missed. Toggle until the panel follows once, then
    // hold it to following every switch.
    let flip: 'dark' | 'default' = 'dark';
    await waitFor(async () => {
      await setDevtoolsTheme(p, flip);
      const followed = await waitFor(async () => ((await state()).theme === (flip === 'dark' ? 'dark' : 'light') ? true : null), 'a first switch', 3_000).catch(() => false);
      flip = flip === 'dark' ? 'default' : 'dark';
      return followed ? true : null;
    }, 'the panel to follow a first theme switch', 60_000);
    // Start from light, so that each switch below is a change.
    await setDevtoolsTheme(p, 'default');
    await waitFor(async () => ((await state()).theme === 'light' ? true : null), 'the panel to start light');
    const seen: Array<{ theme: string; bg: string }> = [];
    for (const [setting, theme] of [['dark', 'dark'], ['default', 'light'], ['dark', 'dark'], ['default', 'light']] as const) {
      await setDevtoolsTheme(p, setting);
      const s = await waitFor(async () => {
        const now = await state();
        return now.theme === theme ? now : null;
      }, `the panel to turn ${theme}`);
      expect(s.same, 'the same document: followed, not reloaded').toBe(true);
      seen.push({ theme: s.theme, bg: s.bg });
    }
    expect(seen[0]!.bg).not.toBe(seen[1]!.bg);
    expect(seen[2]!.bg).toBe(seen[0]!.bg);
    expect(seen[3]!.bg).toBe(seen[1]!.bg);
  });
});
