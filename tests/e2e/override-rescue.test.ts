import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST, launch, stopServiceWorker, waitFor } from './browser';
import { anyDebuggerAttached, debuggerAttached, distVariant, fetchFrom, openBench, override, run, sessionRules, type Bench } from './override-helpers';

/**
 * Rescue mode in real Chromium: a preflight no header rule can fix (a non-2xx status, a redirect)
 * is answered in the browser through chrome.debugger, and Chrome's own verdict (DevTools Protocol,
 * lab/oracle's method) turns from blocked to allowed. Off, expired or with no rescue left: blocked
 * again, and no debugger attached. The build under test is the shipped dist/, which holds the
 * `debugger` permission (Chrome refuses it as an optional permission: the first tests measure that
 * and the install warning it costs).
 */
let b: Bench;

beforeAll(async () => {
  b = await openBench();
});

afterEach(async () => {
  // A rescue answers every preflight of its origin pair: never let one outlive its test.
  await override(b, { action: 'clear' });
});

afterAll(async () => {
  await b?.close();
});

describe('the debugger permission cannot be optional', () => {
  it('Chrome refuses to grant `debugger` listed in optional_permissions, so a grant at the click is impossible', async () => {
    const optional = distVariant((m) => {
      m.permissions = (m.permissions as string[]).filter((p) => p !== 'debugger');
      m.optional_permissions = ['debugger'];
    });
    const l = await launch({ dist: optional.dir });
    try {
      const page = await l.context.newPage();
      await page.goto(`chrome-extension://${l.extensionId}/src/options/options.html`);
      // Playwright's evaluate counts as a user gesture: the request is made the way a click makes it.
      const answer = await page.evaluate(() => chrome.permissions.request({ permissions: ['debugger'] }).then(String, (e: unknown) => `refused: ${String(e)}`));
      console.log(`permissions.request({ permissions: ['debugger'] }) with debugger in optional_permissions: ${answer}`);
      expect(answer).toMatch(/refused: .*Only permissions specified in the manifest may be requested/);
      expect(await l.worker.evaluate(() => typeof chrome.debugger)).toBe('undefined');
    } finally {
      await l.close();
      optional.remove();
    }
  });
});

const RESCUES = [
  ['seed-no-options-handler', 'PreflightMissingAllowOriginHeader'],
  ['seed-auth-middleware-401-preflight', 'PreflightMissingAllowOriginHeader'],
  ['rule-preflight-invalid-status', 'PreflightInvalidStatus'],
  ['seed-preflight-500', 'PreflightInvalidStatus'],
  ['rule-preflight-disallowed-redirect', 'PreflightDisallowedRedirect'],
  ['redirect-missing-acao-on-redirect', 'MissingAllowOriginHeader'],
  ['redirect-cross-origin-acao-page', 'AllowOriginMismatch'],
  ['redirect-cross-origin-credentials', 'AllowOriginMismatch'],
] as const;

/** What the rescue cases measured, printed at the end for the report. */
const tally = { rescued: 0, offAgain: 0, cases: 0, expired: 0, expiryCases: 0 };
afterAll(() => {
  console.log(`rescue: ${tally.rescued}/${tally.cases} blocked→allowed by Chrome's verdict; ${tally.offAgain}/${tally.cases} blocked again after Turn off with no debugger attached; ${tally.expired}/${tally.expiryCases} blocked again after expiry`);
});

describe('the debugger permission held from installation', () => {
  it('costs one install warning, measured by Chrome: "Access the page debugger backend"', async () => {
    const m = JSON.parse(readFileSync(join(DIST, 'manifest.json'), 'utf8')) as { permissions: string[] };
    expect(m.permissions).toContain('debugger');
    const warnings = (manifest: object) => b.l.automation.evaluate((text) => chrome.management.getPermissionWarningsByManifest(text), JSON.stringify(manifest));
    const shipped = await warnings(m);
    const without = await warnings({ ...m, permissions: m.permissions.filter((p) => p !== 'debugger') });
    const extra = shipped.filter((w) => !without.includes(w));
    console.log(`install warnings: shipped ${JSON.stringify(shipped)}; without debugger ${JSON.stringify(without)}; debugger adds ${JSON.stringify(extra)}`);
    expect(extra).toEqual(['Access the page debugger backend']);
    expect(shipped.length).toBe(without.length + 1);
  });
});

describe('rescue mode (the shipped build)', () => {
  it('Try fix says it will use the debugger and why, turns the rescue on, and the request goes through', async () => {
    const before = await run(b, 'seed-no-options-handler');
    expect(before.chrome.corsError).toBe('PreflightMissingAllowOriginHeader');
    expect(await debuggerAttached(b)).toBe(false);

    const panel = await b.l.context.newPage();
    await panel.goto(`chrome-extension://${b.l.extensionId}/src/panel/panel.html?tabId=${b.tabId}`);
    await panel.locator(`[role=row][data-id="${before.exchange.id}"]`).click();
    // Before the click: which mechanism, and why.
    const note = panel.locator('[data-mechanism=rescue]');
    await note.waitFor();
    expect(await note.textContent()).toMatch(/debugger.*status or a redirect/s);
    const clicked = Date.now();
    await panel.locator('[aria-label="Try fix"]').click();
    await panel.locator('.override-banner [data-uses-debugger]').waitFor();
    expect(await debuggerAttached(b)).toBe(true);
    console.log(`rescue: click to debugger attached and banner shown in ${Date.now() - clicked} ms`);

    const after = await run(b, 'seed-no-options-handler');
    expect(after.chrome.errorText, `Chrome's verdict with the rescue: ${after.chrome.corsError}`).toBeNull();
    expect(after.exchange.verdict).not.toBe('blocked');
    // The server never saw that OPTIONS: it was answered in the browser.
    expect(b.lab.log.filter((e) => e.method === 'OPTIONS' && e.query.includes(after.nonce))).toEqual([]);
    // Chrome's own verdict, recorded while attached, is shown beside CORS Lens's.
    const v = await override(b, { action: 'verdicts', tabId: b.tabId });
    expect(v.ok && v.verdicts?.find((x) => x.url.includes(after.nonce))).toMatchObject({ corsError: null, errorText: null });

    await panel.locator('.override-banner button', { hasText: 'Turn off' }).first().click();
    await panel.locator('.override-banner').waitFor({ state: 'detached' });
    await waitFor(async () => !(await debuggerAttached(b)), 'debugger detached');
    const off = await run(b, 'seed-no-options-handler');
    expect(off.chrome.corsError).toBe('PreflightMissingAllowOriginHeader');
    await panel.close();
  });

  for (const [id, corsError] of RESCUES) {
    it(`${id}: blocked, allowed by Chrome's verdict during the rescue, blocked after Turn off with no debugger left`, async () => {
      tally.cases++;
      const before = await run(b, id);
      expect(before.chrome.corsError).toBe(corsError);
      const on = await override(b, { action: 'add', tabId: b.tabId, exchangeId: before.exchange.id });
      if (!on.ok) throw new Error(on.why);
      expect(on.added?.mechanism).toBe('rescue');
      expect(on.added?.ruleIds).toEqual([]);
      expect(await sessionRules(b)).toEqual([]);
      expect(await debuggerAttached(b)).toBe(true);

      const after = await run(b, id);
      expect(after.chrome.errorText, `Chrome's verdict with the rescue: ${after.chrome.corsError}`).toBeNull();
      expect(after.chrome.corsError).toBeNull();
      if (id.startsWith('redirect-')) {
        // The chain was followed as the server sent it: the redirect reached its target, asked with Origin null when it crossed origins.
        const hops = b.lab.log.filter((e) => e.query.includes(after.nonce) && e.path.endsWith('/next'));
        expect(hops.length, 'the redirect target was asked').toBe(1);
        expect(hops[0]!.origin).toBe(id.includes('cross-origin') ? 'null' : b.lab.originA);
        expect(after.chrome.finalUrl).toContain('/next');
      }
      tally.rescued++;

      await override(b, { action: 'remove', id: on.added!.id });
      expect(await debuggerAttached(b)).toBe(false);
      const off = await run(b, id);
      expect(off.chrome.corsError).toBe(corsError);
      tally.offAgain++;
    });
  }

  it('bad input: a gone exchange, a closed tab, two overrides for one origin pair: a clear answer, no rule and no debugger left', async () => {
    const gone = await override(b, { action: 'add', tabId: b.tabId, exchangeId: 'no-such-exchange' });
    expect(gone.ok ? 'ok' : gone.reason).toBe('not-found');
    const before = await run(b, 'seed-preflight-500');
    const closed = await override(b, { action: 'add', tabId: 987_654_321, exchangeId: before.exchange.id });
    expect(closed.ok ? 'ok' : closed.reason).toBe('not-found');
    expect(closed.ok ? '' : closed.why).toMatch(/is closed/);
    expect(await debuggerAttached(b)).toBe(false);
    expect(await sessionRules(b)).toEqual([]);
    console.log(`bad input: gone exchange -> ${gone.ok ? 'ok' : `${gone.reason}: ${gone.why}`}; closed tab -> ${closed.ok ? 'ok' : `${closed.reason}: ${closed.why}`}`);

    // Two overrides for one pair in one tab: merged into one, one attachment.
    const first = await override(b, { action: 'add', tabId: b.tabId, exchangeId: before.exchange.id });
    const second = await override(b, { action: 'add', tabId: b.tabId, exchangeId: before.exchange.id });
    expect(first.ok ? `ok merged=${first.merged === true}` : first.why).toBe('ok merged=false');
    expect(second.ok ? `ok merged=${second.merged === true}` : second.why).toBe('ok merged=true');
    expect(second.ok && second.note).toMatch(/already on/);
    expect((await override(b, { action: 'list' })).overrides.length).toBe(1);

    // The same pair from another tab: refused while the first is on; nothing attached there.
    const other = await b.l.context.newPage();
    await other.goto(`${b.lab.originA}/`);
    await other.evaluate(() => (window as unknown as { corsLab: { ready: Promise<void> } }).corsLab.ready);
    const otherTab = (await b.l.automation.evaluate(async (a) => (await chrome.tabs.query({})).filter((t) => t.url?.startsWith(a)).map((t) => t.id!), b.lab.originA)).find((t) => t !== b.tabId)!;
    await b.l.request('cors-lens/capture', { scope: otherTab, on: true });
    await waitFor(async () => (await b.l.request('cors-lens/status', {})).tabs.includes(otherTab), 'capture of the other tab');
    await other.evaluate(() => (window as unknown as { corsLab: { run(id: string, o: object): Promise<unknown> } }).corsLab.run('seed-preflight-500', { nonce: 'other-tab' }));
    const ex = await waitFor(async () => {
      const r = await b.l.request('cors-lens/export', { tabId: otherTab });
      return 'exchanges' in r ? r.exchanges.find((e) => e.url.includes('other-tab') && e.verdict === 'blocked' && e.error !== null) : undefined;
    }, "the other tab's exchange");
    const twice = await override(b, { action: 'add', tabId: otherTab, exchangeId: ex.id });
    expect(twice.ok ? 'ok' : twice.reason).toBe('exists');
    console.log(`bad input: same pair from another tab -> ${twice.ok ? 'ok' : `${twice.reason}: ${twice.why}`}`);
    expect(await debuggerAttached(b, otherTab)).toBe(false);

    // A rescue on a tab that then closes ends with it: no override, no attachment left.
    await override(b, { action: 'clear' });
    expect(await debuggerAttached(b)).toBe(false);
    const there = await override(b, { action: 'add', tabId: otherTab, exchangeId: ex.id });
    if (!there.ok) throw new Error(there.why);
    expect(await debuggerAttached(b, otherTab)).toBe(true);
    await other.close();
    await waitFor(async () => (await override(b, { action: 'list' })).overrides.length === 0, 'the closed tab\'s rescue ended');
    expect(await b.l.automation.evaluate(async (t) => (await chrome.debugger.getTargets()).filter((x) => x.tabId === t && x.attached).length, otherTab)).toBe(0);
    expect(await debuggerAttached(b)).toBe(false);
    expect(await sessionRules(b)).toEqual([]);
  });

  it('before the click, Try fix on a B → C redirect says it follows the chain and shows what the hops get', async () => {
    const before = await run(b, 'redirect-cross-origin-acao-page');
    const panel = await b.l.context.newPage();
    try {
      await panel.goto(`chrome-extension://${b.l.extensionId}/src/panel/panel.html?tabId=${b.tabId}`);
      await panel.locator(`[role=row][data-id="${before.exchange.id}"]`).click();
      const note = panel.locator('[data-mechanism=rescue]');
      await note.waitFor();
      expect(await note.textContent()).toMatch(/redirected.*debugger/s);
      const shown = (await panel.locator('.try-fix').textContent()) ?? '';
      expect(shown).toMatch(/asked with Origin null/);
      expect(shown).toContain('Access-Control-Allow-Origin: null');
      expect(await debuggerAttached(b)).toBe(false);
    } finally {
      await panel.close();
    }
  });

  it('a header-rule fix and a rescue for one origin pair merge into one rescue that fixes both, by Chrome\'s verdict', async () => {
    const headersCase = await run(b, 'rule-header-disallowed');
    const shadowCase = await run(b, 'cause-near-miss-port');
    expect([headersCase.chrome.corsError, shadowCase.chrome.corsError]).toEqual(['HeaderDisallowedByPreflightResponse', 'AllowOriginMismatch']);
    const first = await override(b, { action: 'add', tabId: b.tabId, exchangeId: headersCase.exchange.id });
    if (!first.ok) throw new Error(first.why);
    expect(first.added?.mechanism).toBe('headers');
    const second = await override(b, { action: 'add', tabId: b.tabId, exchangeId: shadowCase.exchange.id });
    if (!second.ok) throw new Error(second.why);
    expect([second.merged, second.added?.mechanism]).toEqual([true, 'rescue']);
    expect(await sessionRules(b)).toEqual([]);
    expect(await debuggerAttached(b)).toBe(true);
    const after = [await run(b, 'rule-header-disallowed'), await run(b, 'cause-near-miss-port')];
    console.log(`merged header-rule fix and rescue: ${after.filter((x) => x.chrome.errorText === null).length}/2 allowed by Chrome's verdict`);
    expect(after.map((x) => x.chrome.corsError ?? x.chrome.errorText)).toEqual([null, null]);
    await override(b, { action: 'clear' });
    expect(await debuggerAttached(b)).toBe(false);
  });

  it('a real 404 stays a 404 during a rescue: the status is kept, the request reached the server', async () => {
    const before = await run(b, 'seed-no-options-handler');
    const on = await override(b, { action: 'add', tabId: b.tabId, exchangeId: before.exchange.id });
    if (!on.ok) throw new Error(on.why);
    const url = `${b.lab.originB}/no-such-endpoint?s=real-404&run=${Date.now()}`;
    const put = await fetchFrom(b.page, url, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(put).toEqual({ status: 404, error: null });
    const get = await fetchFrom(b.page, url);
    expect(get).toEqual({ status: 404, error: null });
    expect(b.lab.log.filter((e) => e.path === '/no-such-endpoint').map((e) => e.method)).toEqual(['PUT', 'GET']);
    await override(b, { action: 'clear' });
    expect(await debuggerAttached(b)).toBe(false);
  });

  for (const id of ['seed-auth-middleware-401-preflight', 'redirect-cross-origin-acao-page']) {
    it(`${id}: survives a worker restart: the new worker enables Fetch again on its attachment, the rescue still works`, async () => {
      const before = await run(b, id);
      const on = await override(b, { action: 'add', tabId: b.tabId, exchangeId: before.exchange.id });
      if (!on.ok) throw new Error(on.why);
      await stopServiceWorker(b.l);
      await waitFor(async () => (await b.l.request('cors-lens/status', {})).ready, 'restarted worker');
      expect((await override(b, { action: 'list' })).overrides.map((o) => o.id)).toEqual([on.added!.id]);
      expect(await debuggerAttached(b)).toBe(true);
      const after = await run(b, id);
      expect(after.chrome.errorText, `after the restart: ${after.chrome.corsError}`).toBeNull();
      await override(b, { action: 'clear' });
      expect(await debuggerAttached(b)).toBe(false);
    });
  }

  for (const [id, corsError] of RESCUES) {
    it(`${id}: ends by itself when it expires: blocked again, no debugger attached`, async () => {
      tally.expiryCases++;
      const before = await run(b, id);
      const on = await override(b, { action: 'add', tabId: b.tabId, exchangeId: before.exchange.id, minutes: 0.05 });
      if (!on.ok) throw new Error(on.why);
      expect(await debuggerAttached(b)).toBe(true);
      const during = await run(b, id);
      expect(during.chrome.errorText).toBeNull();
      await waitFor(async () => !(await debuggerAttached(b)), 'expiry detaches the debugger', 15_000);
      expect((await override(b, { action: 'list' })).overrides).toEqual([]);
      const after = await run(b, id);
      expect(after.chrome.corsError).toBe(corsError);
      tally.expired++;
      // getTargets() cannot show it here: Playwright drives every page over the protocol, so it reports
      // the tab attached throughout; debuggerAttached asks the extension's own attachment instead.
      expect(await anyDebuggerAttached(b)).toBe(true);
    });
  }
});
