import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLab } from '../../lab/server.mjs';
import { assertBrowser, CHROME } from './browser';
import { recordCors, recordCorsOnPage, type CorsRecorder } from '../../src/helper';
import { pollUntil, settled } from '../shared/wait';

/**
 * An example of the test-suite helper, as a Playwright user's test would use it: attach to the
 * page, run the test, and let `expectNoCorsFailures()` fail it with the reason and the fix
 * instead of "TypeError: Failed to fetch".
 */

type Lab = Awaited<ReturnType<typeof startLab>>;
type CorsLab = { corsLab: { run(id: string, o?: object): Promise<{ ok: boolean }>; runAll(o?: object): Promise<unknown> } };

let lab: Lab;
let context: BrowserContext;
let page: Page;
let profile: string;

beforeAll(async () => {
  assertBrowser();
  lab = await startLab();
  profile = mkdtempSync(join(tmpdir(), 'cors-lens-helper-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROME,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await context.newPage();
  await page.goto(`${lab.originA}/`);
}, 120_000);

afterAll(async () => {
  await context?.close();
  rmSync(profile, { recursive: true, force: true });
  await lab?.close();
});

const run = (id: string) => page.evaluate(([id, nonce]) => (window as unknown as CorsLab).corsLab.run(id!, { nonce }), [id, `${id}-${Math.random()}`]);

/** Wait until the recorder has a settled exchange for this scenario (the page's promise settles first). */
async function settledFor(cors: CorsRecorder, id: string): Promise<void> {
  await pollUntil(() => cors.exchanges().some((e) => e.url.includes(`s=${id}`) && e.verdict !== 'unknown'), `a settled exchange for ${id}`, { timeoutMs: 10_000, intervalMs: 20 });
}

describe('recordCorsOnPage + expectNoCorsFailures (Playwright)', () => {
  it('passes a test whose requests the server allows', async () => {
    const cors = await recordCorsOnPage(page);
    await run('seed-gin-simple-get');
    await settledFor(cors, 'seed-gin-simple-get');
    expect(() => cors.expectNoCorsFailures()).not.toThrow();
    cors.stop();
  });

  it('fails a test with the finding, Chrome\u2019s own error and the fix', async () => {
    const cors = await recordCorsOnPage(page);
    const result = await run('rule-header-disallowed');
    expect(result.ok).toBe(false); // all the page itself learns: "Failed to fetch"
    await settledFor(cors, 'rule-header-disallowed');
    let message = '';
    try {
      cors.expectNoCorsFailures();
    } catch (e) {
      message = (e as Error).message;
    }
    console.log(message);
    expect(message).toMatch(/^CORS Lens: 1 request\(s\) failed CORS/);
    expect(message).toContain('Chrome: HeaderDisallowedByPreflightResponse (x-custom-header)');
    expect(message).toMatch(/Why: The preflight .*x-custom-header/);
    expect(message).toMatch(/Fix: .*Access-Control-Allow-Headers: .*x-custom-header/);
    // Ignoring a known failure lets the test pass.
    expect(() => cors.expectNoCorsFailures({ ignore: (ex) => ex.url.includes('rule-header-disallowed') })).not.toThrow();
    cors.stop();
  });

  it('names Chrome\u2019s own CORS error for every lab request (any CDP session: here Playwright\u2019s)', async () => {
    const cors = await recordCors(await context.newCDPSession(page));
    await page.evaluate((nonce) => (window as unknown as CorsLab).corsLab.runAll({ nonce }), `all-${Math.random()}`);
    // Every exchange decided, and no more coming.
    await settled(() => [cors.exchanges().length, cors.exchanges().every((e) => e.verdict !== 'unknown')], 'the recorded exchanges', 200);
    const failures = cors.failures();
    const named = failures.filter((f) => f.chrome !== null);
    const agree = named.filter((f) => {
      const first = f.exchange.findings.find((x) => x.severity === 'error');
      return f.exchange.verdict === 'blocked' && first?.chromeCorsError === f.chrome!.corsError && (first.failedParameter ?? '') === f.chrome!.failedParameter;
    });
    const disagree = named.filter((f) => !agree.includes(f)).map((f) => `${f.exchange.url}: Chrome ${f.chrome!.corsError}(${f.chrome!.failedParameter}) vs ${f.exchange.findings[0]?.chromeCorsError}(${f.exchange.findings[0]?.failedParameter})`);
    const blockedWithoutChrome = failures.filter((f) => f.chrome === null).map((f) => f.exchange.url);
    console.log(`helper oracle agreement: ${agree.length}/${named.length} Chrome-named CORS errors; blocked without a Chrome error: ${blockedWithoutChrome.length}`);
    expect(disagree).toEqual([]);
    expect(blockedWithoutChrome).toEqual([]);
    expect(named.length).toBeGreaterThan(30);
    cors.stop();
  });
});
