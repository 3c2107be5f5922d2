import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab } from '../../lab/server.mjs';
import { launchFirefox, waitFor, type Firefox } from './bidi';
import type { SessionReport } from '../../src/report/schema';

type Lab = Awaited<ReturnType<typeof startLab>>;

let lab: Lab;
let ff: Firefox;
let page: string;
let tabId: number;

const exportSession = async (extra: Record<string, unknown> = {}): Promise<SessionReport> => {
  const r = await ff.request('cors-lens/export', { tabId, ...extra });
  if (!('exchanges' in r)) throw new Error(`export failed: ${JSON.stringify(r)}`);
  return r;
};
const run = (id: string, nonce: string) => ff.evaluate<{ ok: boolean; detail: string }>(page, `window.corsLab.run(${JSON.stringify(id)}, { nonce: ${JSON.stringify(nonce)} })`);
const byScenario = (r: SessionReport, id: string, nonce: string) => r.exchanges.filter((e) => e.url.includes(`s=${id}`) && e.url.includes(`run=${nonce}`));

beforeAll(async () => {
  lab = await startLab();
  // --devtools: Firefox opens a toolbox on each tab; CORS Lens's devtools page asks the worker to record it.
  ff = await launchFirefox({ devtools: true });
  page = ff.first;
  await ff.navigate(page, `${lab.originA}/`);
  tabId = await ff.tabIdOf(lab.originA);
  await ff.evaluate(page, 'window.corsLab.ready');
});

afterAll(async () => {
  await ff?.close();
  await lab?.close();
});

describe('Firefox ESR with the DevTools toolbox open', () => {
  it('records the tab its toolbox inspects, without capture all', async () => {
    await waitFor(async () => (await ff.request('cors-lens/status', {})).tabs.includes(tabId), 'capture of the inspected tab', 30_000);
    const status = await ff.request('cors-lens/status', {});
    expect(status.captureAll).toBe(false);
    expect(status.listening).toBe(true);
    await run('seed-gin-custom-header', 'tb1');
    await run('rule-header-disallowed', 'tb1');
    const r = await waitFor(async () => {
      const x = await exportSession();
      return byScenario(x, 'rule-header-disallowed', 'tb1')[0]?.verdict === 'blocked' ? x : null;
    }, 'the toolbox tab’s exchanges');
    expect(byScenario(r, 'seed-gin-custom-header', 'tb1').map((e) => [e.verdict, e.preflight?.observed])).toEqual([['allowed', 'sent']]);
    expect(byScenario(r, 'rule-header-disallowed', 'tb1')[0]!.findings[0]!.id).toBe('header-not-allowed-by-preflight');
  });

  it('exports the session as JSON, HTML and Markdown, secrets redacted', async () => {
    await run('mode-cookie-credentials-allowed', 'tb2');
    const json = await waitFor(async () => {
      const x = await exportSession();
      return byScenario(x, 'mode-cookie-credentials-allowed', 'tb2').length > 0 ? x : null;
    }, 'the credentialed exchange');
    expect(json.schema).toBe('cors-lens/session');
    expect(json.browser).toContain('Firefox');
    const cookie = json.exchanges.flatMap((e) => e.request.headers).find(([n]) => n === 'cookie');
    if (cookie) expect(cookie[1]).toMatch(/^\[redacted: \d+ chars\]$/);
    for (const format of ['html', 'markdown'] as const) {
      const r = (await ff.request('cors-lens/export', { tabId, format })) as unknown as { format: string; fileName: string; text: string };
      expect(r.format).toBe(format);
      expect(r.fileName).toMatch(/^cors-session-127\.0\.0\.1_\d+-\d{8}-\d{6}\.(html|md)$/);
      expect(r.text).toContain('rule-header-disallowed');
    }
  });

  it('shows the session in the panel opened as a tab, with Firefox’s own reason', async () => {
    const panel = await ff.newTab(`${ff.base}/src/panel/panel.html?tabId=${tabId}`);
    await waitFor(() => ff.evaluate<boolean>(panel, `document.body.innerText.includes('rule-header-disallowed')`), 'the panel’s rows');
    const reason = await ff.evaluate<string | null>(panel, `(async () => {
      const row = [...document.querySelectorAll('[role=row]')].find((r) => r.textContent.includes('rule-header-disallowed'));
      row.click();
      for (let i = 0; i < 50 && !document.querySelector('.firefox-reason'); i++) await new Promise((r) => setTimeout(r, 100));
      return document.querySelector('.firefox-reason')?.textContent ?? null;
    })()`);
    expect(reason).toContain('(Reason: header ‘x-custom-header’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response)');
    await ff.send('browsingContext.close', { context: panel });
  });

  it('a local override makes Firefox accept the blocked exchange', async () => {
    await run('rule-missing-allow-origin', 'tb3');
    const before = await waitFor(async () => byScenario(await exportSession(), 'rule-missing-allow-origin', 'tb3')[0], 'the blocked exchange');
    expect(before.verdict).toBe('blocked');
    let added = await ff.request('cors-lens/override', { action: 'add', tabId, exchangeId: before.id });
    // Where Firefox does not show the worker the tab's URL, the override cannot tell the page from a
    // frame and asks first; confirming is the user's click on "Add anyway".
    if ('reason' in added && added.reason === 'confirm') added = await ff.request('cors-lens/override', { action: 'add', tabId, exchangeId: before.id, confirmInitiator: true });
    expect('ok' in added && added.ok, JSON.stringify(added)).toBe(true);
    try {
      const result = await run('rule-missing-allow-origin', 'tb3');
      expect(result.ok, result.detail).toBe(true);
      const after = await waitFor(async () => byScenario(await exportSession(), 'rule-missing-allow-origin', 'tb3')[1], 'the overridden exchange');
      // Firefox applies declarativeNetRequest before webRequest listeners: the headers seen are the overridden ones.
      expect(after.verdict).toBe('allowed');
      expect((after.finalResponse ?? after.response)?.headers.some(([n]) => n === 'access-control-allow-origin')).toBe(true);
    } finally {
      await ff.request('cors-lens/override', { action: 'clear' });
    }
    expect((await run('rule-missing-allow-origin', 'tb4')).ok).toBe(false);
  });
});
