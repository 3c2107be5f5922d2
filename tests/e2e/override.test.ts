import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startLab } from '../../lab/server.mjs';
import { launch, recordChromeVerdicts, stopServiceWorker, waitFor, type ChromeVerdict, type Launched } from './browser';
import type { SessionReport } from '../../src/report/schema';
import type { Exchange } from '../../src/traffic/exchange';
import type { OverrideAnswer } from '../../src/shared/protocol';
import { openBench, override as overrideIn, run as runIn, sessionRules as sessionRulesIn, withoutDebuggerDist } from './override-helpers';

/**
 * Local override in real Chromium: "Try fix" adds declarativeNetRequest session rules, and
 * Chrome's own verdict (DevTools Protocol) for the same request turns from blocked to allowed;
 * turned off, it is blocked again. How to test by hand: npm start, open DevTools on the lab page,
 * run rule-missing-allow-origin, open it in the CORS panel, click "Try fix", run it again.
 */
type Lab = Awaited<ReturnType<typeof startLab>>;

let lab: Lab;
let l: Launched;
let page: Page;
let tabId: number;
let verdicts: Map<string, ChromeVerdict>;
let runs = 0;

async function exportSession(): Promise<SessionReport> {
  const r = await l.request('cors-lens/export', { tabId });
  if ('error' in r) throw new Error(String(r.error));
  return r as SessionReport;
}

/** Runs a lab scenario with a fresh nonce; answers Chrome's verdict and the extension's exchange for its subject request. */
async function run(id: string): Promise<{ chrome: ChromeVerdict; exchange: Exchange; nonce: string }> {
  const nonce = `ov${++runs}-${Date.now()}`;
  await page.evaluate(([s, n]) => (window as unknown as { corsLab: { run(id: string, o: { nonce: string }): Promise<unknown> } }).corsLab.run(s!, { nonce: n! }), [id, nonce]);
  const match = (url: string) => url.includes(`s=${id}`) && url.includes(`run=${nonce}`);
  const chrome = await waitFor(async () => [...verdicts.values()].filter((v) => match(v.url)).at(-1), `Chrome's verdict for ${id}`);
  // Complete, not just present (as override-helpers' run): the error once it failed, else a
  // response judged as Chrome judged it (an override's final headers come with onCompleted).
  const exchange = await waitFor(async () => {
    const ex = (await exportSession()).exchanges.filter((e) => match(e.url)).at(-1);
    if (!ex) return undefined;
    if (chrome.errorText !== null) return ex.error !== null ? ex : undefined;
    return ex.response !== null && ex.verdict !== 'blocked' ? ex : undefined;
  }, `the exchange for ${id}, complete (Chrome: ${chrome.corsError ?? chrome.errorText ?? 'allowed'})`);
  return { chrome, exchange, nonce };
}

async function override(req: Parameters<Launched['request']>[1] & object): Promise<OverrideAnswer> {
  const a = await l.request('cors-lens/override', req as never);
  if ('error' in a) throw new Error(a.error);
  return a;
}

const sessionRules = () => l.automation.evaluate(() => chrome.declarativeNetRequest.getSessionRules());
const overridden = (ex: Exchange) => ex.finalResponse !== undefined || ex.preflight?.finalResponse !== undefined;

beforeAll(async () => {
  lab = await startLab();
  l = await launch();
  page = await l.context.newPage();
  await page.goto(`${lab.originA}/`);
  await page.evaluate(() => (window as unknown as { corsLab: { ready: Promise<void> } }).corsLab.ready);
  tabId = await l.tabIdOf(lab.originA);
  // Recorded through the capture API: the same capture as an open DevTools, without waiting for its front-end.
  await l.request('cors-lens/capture', { scope: tabId, on: true });
  await waitFor(async () => (await l.request('cors-lens/status', {})).tabs.includes(tabId), 'capture of the lab tab');
  ({ verdicts } = await recordChromeVerdicts(page));
});

afterAll(async () => {
  await l?.close();
  await lab?.close();
});

describe('local override in real Chromium', () => {
  for (const [id, corsError] of [
    ['rule-missing-allow-origin', 'MissingAllowOriginHeader'],
    ['rule-header-disallowed', 'HeaderDisallowedByPreflightResponse'],
    ['rule-wildcard-origin-not-allowed', 'WildcardOriginNotAllowed'],
  ] as const) {
    it(`${id}: blocked, allowed with the override (marked as overridden), blocked again once off`, async () => {
      const before = await run(id);
      expect(before.chrome.corsError).toBe(corsError);
      expect(before.exchange.verdict).toBe('blocked');

      const on = await override({ action: 'add', tabId, exchangeId: before.exchange.id });
      if (!on.ok) throw new Error(on.why);
      expect(on.added!.ruleIds.length).toBeGreaterThan(0);
      const rules = await sessionRules();
      expect(rules.length).toBe(on.added!.ruleIds.length);
      for (const r of rules) {
        expect(r.condition.initiatorDomains).toEqual(['127.0.0.1']);
        expect(r.condition.urlFilter).toBe(`|${lab.originB}/`);
        // Only this tab by default; every rule sets the exact page origin.
        expect(r.condition.tabIds).toEqual([tabId]);
        expect(r.action.responseHeaders).toContainEqual({ header: 'access-control-allow-origin', operation: 'set', value: lab.originA });
        expect(r.action.responseHeaders?.some((h) => h.header === 'access-control-allow-credentials')).toBe(corsError === 'WildcardOriginNotAllowed');
      }
      expect((await l.request('cors-lens/status', {})).listening).toBe(true);
      const badge = await l.automation.evaluate(() => chrome.action.getBadgeText({}));
      expect(badge).toBe('FIX');

      const after = await run(id);
      expect(after.chrome.errorText, `Chrome's verdict with the override: ${after.chrome.corsError}`).toBeNull();
      expect(after.chrome.corsError).toBeNull();
      expect(after.exchange.verdict).toBe('allowed');
      expect(overridden(after.exchange)).toBe(true);

      await override({ action: 'remove', id: on.added!.id });
      expect(await sessionRules()).toEqual([]);
      expect(await l.automation.evaluate(() => chrome.action.getBadgeText({}))).toBe('');
      const off = await run(id);
      expect(off.chrome.corsError).toBe(corsError);
      expect(off.exchange.verdict).toBe('blocked');
    });
  }

  it('"Try fix" in the panel turns the override on; the banner shows it and turns it off', async () => {
    const before = await run('rule-missing-allow-origin');
    expect(before.chrome.corsError).toBe('MissingAllowOriginHeader');
    const panel = await l.context.newPage();
    await panel.goto(`chrome-extension://${l.extensionId}/src/panel/panel.html?tabId=${tabId}`);
    await panel.locator(`[role=row][data-id="${before.exchange.id}"]`).click();
    await panel.getByLabel('Exchange detail').waitFor();
    // The server-side fix is shown with the override: the header lines as a diff, then the snippets.
    const added = await panel.locator('.fix-diff[data-response="actual"] tr[data-diff="added"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-line')));
    expect(added).toContain(`Access-Control-Allow-Origin: ${lab.originA}`);
    expect(await panel.locator('pre.snippet').textContent()).toContain(`origin: '${lab.originA}'`);
    await panel.locator('[aria-label="Try fix"]').click();
    await panel.locator('.override-banner').waitFor();
    expect(await panel.locator('.override-banner').textContent()).toContain(`${lab.originA} → ${lab.originB}`);

    const after = await run('rule-missing-allow-origin');
    expect(after.chrome.errorText).toBeNull();
    expect(overridden(after.exchange)).toBe(true);
    // The panel marks the overridden exchange in the table, and its detail diffs the headers.
    const row = panel.locator(`[role=row][data-id="${after.exchange.id}"]`);
    await row.locator('.overridden').waitFor();
    expect(await panel.locator(`[role=row][data-id="${before.exchange.id}"] .overridden`).count()).toBe(0);
    await row.click();
    await panel.locator('.override-changed').waitFor();
    expect(await panel.getByLabel('Exchange detail').textContent()).toContain('added by override');

    await panel.locator('.override-banner button', { hasText: 'Turn off' }).first().click();
    await panel.locator('.override-banner').waitFor({ state: 'detached' });
    expect(await sessionRules()).toEqual([]);
    await panel.close();
  });

  it('a 404 preflight needs a rescue: a build without the debugger permission adds nothing and the panel says why', async () => {
    // The Firefox build has no debugger; a Chrome build without it is the same case, measurable here.
    const dist = withoutDebuggerDist();
    const nb = await openBench({ dist: dist.dir });
    try {
      const before = await runIn(nb, 'rule-preflight-invalid-status');
      expect(before.chrome.corsError).toBe('PreflightInvalidStatus');
      const a = await overrideIn(nb, { action: 'add', tabId: nb.tabId, exchangeId: before.exchange.id });
      if (a.ok) throw new Error('added without the debugger permission');
      expect([a.reason, a.permission]).toEqual(['needs-permission', 'debugger']);
      expect(a.why).toMatch(/debugger/);
      expect(a.overrides).toEqual([]);
      expect(await sessionRulesIn(nb)).toEqual([]);
      const panel = await nb.l.context.newPage();
      await panel.goto(`chrome-extension://${nb.l.extensionId}/src/panel/panel.html?tabId=${nb.tabId}`);
      await panel.locator(`[role=row][data-id="${before.exchange.id}"]`).click();
      // Before the click: the mechanism and why.
      expect(await panel.locator('[data-mechanism=rescue]').textContent()).toMatch(/status or a redirect/);
      await panel.locator('[aria-label="Try fix"]').click();
      await panel.getByText(/does not hold the "debugger" permission/).waitFor();
      expect(await sessionRulesIn(nb)).toEqual([]);
      await panel.close();
    } finally {
      await nb.close();
      dist.remove();
    }
  });

  // A redirect to a URL with credentials or to ftp:, a network error, a Local Network Access refusal.
  for (const id of ['rule-redirect-contains-credentials', 'rule-cors-disabled-scheme', 'control-connection-refused', 'rule-local-network-access-denied']) {
    it(`${id}: declined with the reason and the server fix, nothing added`, async () => {
      const before = await run(id);
      expect(before.exchange.verdict).not.toBe('allowed');
      const a = await override({ action: 'add', tabId, exchangeId: before.exchange.id });
      if (a.ok) throw new Error('an override was added');
      expect(a.reason).toBe('cannot');
      expect(a.why).toMatch(/cannot fix this: .+/);
      if (id !== 'control-connection-refused') expect(a.serverFix, 'the server fix').toBeTruthy();
      console.log(`declined ${id}: ${a.why}`);
      // No debugger either: a command answers only while the extension is attached to the tab.
      expect(await l.automation.evaluate((t) => chrome.debugger.sendCommand({ tabId: t }, 'Runtime.evaluate', { expression: '1' }).then(() => true, () => false), tabId)).toBe(false);
      expect(await sessionRules()).toEqual([]);
    });
  }

  it('bad input: a gone exchange, a closed tab, an unknown override id: a clear answer, nothing left behind', async () => {
    const gone = await override({ action: 'add', tabId, exchangeId: 'no-such-exchange' });
    expect(gone.ok ? 'ok' : gone.reason).toBe('not-found');
    const before = await run('rule-missing-allow-origin');
    const closed = await override({ action: 'add', tabId: 987_654_321, exchangeId: before.exchange.id });
    expect(closed.ok ? 'ok' : closed.reason).toBe('not-found');
    expect(closed.ok ? '' : closed.why).toMatch(/is closed/);
    const unknown = await override({ action: 'remove', id: 'o-unknown' });
    expect(unknown.ok ? 'ok' : unknown.reason).toBe('not-found');
    // A tab that closes takes its ("only this tab") override with it.
    const other = await l.context.newPage();
    await other.goto(`${lab.originA}/`);
    await other.evaluate(() => (window as unknown as { corsLab: { ready: Promise<void> } }).corsLab.ready);
    const otherTab = (await l.automation.evaluate(async (a) => (await chrome.tabs.query({})).filter((t) => t.url?.startsWith(a)).map((t) => t.id!), lab.originA)).find((t) => t !== tabId)!;
    await l.request('cors-lens/capture', { scope: otherTab, on: true });
    await other.evaluate(() => (window as unknown as { corsLab: { run(id: string, o: object): Promise<unknown> } }).corsLab.run('rule-missing-allow-origin', { nonce: 'closing-tab' }));
    const ex = await waitFor(async () => {
      const r = await l.request('cors-lens/export', { tabId: otherTab });
      return 'exchanges' in r ? r.exchanges.find((e) => e.url.includes('closing-tab') && e.verdict === 'blocked') : undefined;
    }, 'the other tab\'s exchange');
    const on = await override({ action: 'add', tabId: otherTab, exchangeId: ex.id });
    if (!on.ok) throw new Error(on.why);
    expect((await sessionRules()).length).toBeGreaterThan(0);
    await other.close();
    await waitFor(async () => (await sessionRules()).length === 0, 'rules of the closed tab removed');
    expect((await override({ action: 'list' })).overrides).toEqual([]);
    expect(await sessionRules()).toEqual([]);
  });

  it('an override expires by itself (rules gone), and "clear" removes every rule', async () => {
    const before = await run('rule-missing-allow-origin');
    const on = await override({ action: 'add', tabId, exchangeId: before.exchange.id, minutes: 0.02 });
    expect(on.ok).toBe(true);
    expect((await sessionRules()).length).toBeGreaterThan(0);
    const t0 = Date.now();
    await waitFor(async () => (await sessionRules()).length === 0, 'expiry of the override', 10_000);
    const took = Date.now() - t0;
    expect(took).toBeLessThan(5_000);
    const list = await override({ action: 'list' });
    expect(list.overrides).toEqual([]);

    // Two overrides for one origin pair: the second is merged into the first, and says so.
    const first = await override({ action: 'add', tabId, exchangeId: before.exchange.id });
    const second = await override({ action: 'add', tabId, exchangeId: before.exchange.id, onlyThisTab: false });
    expect(first.ok && !first.merged).toBe(true);
    expect(second.ok && second.merged).toBe(true);
    expect(second.ok && second.note).toMatch(/already on/);
    expect((await override({ action: 'list' })).overrides.length).toBe(1);
    await override({ action: 'clear' });
    expect(await sessionRules()).toEqual([]);
    expect((await override({ action: 'list' })).overrides).toEqual([]);
  });

  it('survives a worker restart (rules repaired from storage), and one that expired while the worker was stopped is removed', async () => {
    const before = await run('rule-missing-allow-origin');
    const keep = await override({ action: 'add', tabId, exchangeId: before.exchange.id, minutes: 10 });
    if (!keep.ok) throw new Error(keep.why);
    // Simulate lost rules: the restarted worker must put them back.
    await l.automation.evaluate((ids) => chrome.declarativeNetRequest.updateSessionRules({ removeRuleIds: ids }), keep.added!.ruleIds);
    await stopServiceWorker(l);
    await waitFor(async () => (await l.request('cors-lens/status', {})).ready, 'restarted worker');
    await waitFor(async () => (await sessionRules()).length === keep.added!.ruleIds.length, 'repaired rules');
    expect((await override({ action: 'list' })).overrides.map((o) => o.id)).toEqual([keep.added!.id]);
    await override({ action: 'clear' });

    const short = await override({ action: 'add', tabId, exchangeId: before.exchange.id, minutes: 0.03 });
    if (!short.ok) throw new Error(short.why);
    await stopServiceWorker(l);
    // Let it expire while the worker is stopped: wait for the clock to pass its end, not a fixed time.
    await waitFor(async () => Date.now() > short.added!.expiresAt + 100 || undefined, 'the override\'s end time', 10_000);
    await waitFor(async () => (await sessionRules()).length === 0, 'expired rules removed', 10_000);
    expect((await override({ action: 'list' })).overrides).toEqual([]);
  });

  it('a new browser session starts with no override rules', async () => {
    const other = await launch();
    try {
      expect(await other.automation.evaluate(() => chrome.declarativeNetRequest.getSessionRules())).toEqual([]);
      const a = (await other.request('cors-lens/override', { action: 'list' })) as OverrideAnswer;
      expect(a.overrides).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
