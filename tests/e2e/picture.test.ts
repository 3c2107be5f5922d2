import { describeFinding } from '../../src/cors/describe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startLab } from '../../lab/server.mjs';
import { exportReport, launch, waitFor, type Launched } from './browser';
import { openRealPanel, type Remote } from './devtools';
import type { SessionReport } from '../../src/report/schema';
import type { Exchange } from '../../src/traffic/exchange';
import { layoutOf } from '../../src/picture/layout';
import { sequenceOf } from '../../src/picture/sequence';

/**
 * The picture of an exchange in the real CORS panel inside DevTools, for the four stories it
 * must tell (a failed preflight, a request blocked after the server ran it, a preflight from the
 * cache, a redirect), each drawn from what the browser really did and checked against the model
 * computed from the exported exchange; then a hostile report opened in the panel (markup, a
 * 10 kB value, bidi controls), and light and dark screenshots.
 */

type Lab = Awaited<ReturnType<typeof startLab>>;
const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts');
const DOCS = join(import.meta.dirname, '../../docs');
const SCENARIOS = ['rule-header-disallowed', 'seed-put-real-missing-acao', 'cache-max-age', 'redirect-cross-origin-acao-page'];

let lab: Lab;
let l: Launched;
let tabId: number;
let report: SessionReport;
let panel: Remote;
let devtools: Remote;

interface Shown {
  texts: Array<{ text: string; inside: boolean }>;
  dashed: number;
  tags: string[];
  svgWidth: number;
  overflowX: number;
  asText: string;
  injected: number;
}

/** What the detail's picture shows, measured in the page that shows it. */
const MEASURE = `
  const fig = document.querySelector('[data-testid=picture]');
  if (!fig) return null;
  const svg = fig.querySelector('svg');
  const box = svg.getBoundingClientRect();
  const texts = [...svg.querySelectorAll('text')].map((t) => {
    const r = t.getBoundingClientRect();
    return { text: t.textContent, inside: r.left >= box.left - 0.5 && r.right <= box.right + 0.5 && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5 };
  });
  const body = document.querySelector('.detail-body');
  return {
    texts,
    dashed: svg.querySelectorAll('line.pic-dashed').length,
    tags: [...new Set([...svg.querySelectorAll('*')].map((e) => e.tagName.toLowerCase()))].sort(),
    svgWidth: box.width,
    overflowX: body.scrollWidth - body.clientWidth,
    asText: fig.querySelector('pre').textContent,
    injected: document.querySelectorAll('img, foreignObject, iframe, script:not([src]), [onerror], [onload]').length,
  };`;

let inPanel = <T>(body: string) => panel.eval<T>(`(async () => { ${body} })()`);
const byScenario = (id: string): Exchange[] => report.exchanges.filter((e) => new URL(e.url).searchParams.get('s') === id);

/** Opens one exchange's detail in the DevTools panel and measures its picture. */
async function showInDevtools(ex: Exchange): Promise<Shown> {
  const id = new URL(ex.url).searchParams.get('s')!;
  await waitFor(() => inPanel<boolean>(`return !!document.querySelector('[aria-label="Filter"]');`), 'the panel', 30_000);
  await inPanel(`const i = document.querySelector('[aria-label="Filter"]'); i.value = ${JSON.stringify(`s=${id}`)}; i.dispatchEvent(new Event('input', { bubbles: true }));`);
  await waitFor(() => inPanel<boolean>(`return !!document.querySelector('[role=row][data-id=${JSON.stringify(ex.id)}]');`), `the row of ${id}`);
  await inPanel(`document.querySelector('[role=row][data-id=${JSON.stringify(ex.id)}]').click();`);
  return waitFor(() => inPanel<Shown | null>(`if (document.querySelector('.detail')?.dataset.id !== ${JSON.stringify(ex.id)}) return null; ${MEASURE}`), `the picture of ${id}`);
}

/** The texts the model draws for this exchange (times, which the panel writes in local time, left out). */
function modelTexts(ex: Exchange): string[] {
  return layoutOf(sequenceOf(ex))
    .shapes.flatMap((s) => (s.s === 'text' ? [s.text] : []))
    .filter((t) => !t.startsWith('cache entry until'));
}

function expectDrawnInside(shown: Shown): void {
  expect(shown.tags).toEqual(['line', 'path', 'rect', 'text']);
  for (const t of shown.texts) expect(t.inside, `"${t.text}" inside the picture`).toBe(true);
  expect(shown.overflowX, 'no horizontal scrolling').toBeLessThanOrEqual(0);
  expect(shown.injected).toBe(0);
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  lab = await startLab();
  l = await launch({ devtools: true });
  const page = await l.context.newPage();
  await page.goto(`${lab.originA}/`);
  tabId = await l.tabIdOf(lab.originA);
  await waitFor(async () => (await l.request('cors-lens/status', {})).tabs.includes(tabId), 'capture of the lab tab', 120_000);
  for (const id of SCENARIOS) await page.evaluate((s) => (window as unknown as { corsLab: { run(id: string): Promise<unknown> } }).corsLab.run(s), id);
  // Every call of the four scenarios, finished (a verdict other than unknown) in the session.
  report = await waitFor(async () => {
    const r = await exportReport(l, tabId);
    const done = SCENARIOS.every((id) => {
      const exs = r.exchanges.filter((e) => new URL(e.url).searchParams.get('s') === id);
      return exs.length === (id === 'cache-max-age' ? 2 : 1) && exs.every((e) => e.verdict !== 'unknown');
    });
    return done ? r : null;
  }, 'the four scenarios captured', 120_000);
  ({ panel, devtools } = await openRealPanel(l, tabId));
  // A browser with DevTools open on a machine shared with other work: the waits above are conditions, this only bounds them.
}, 360_000);

afterAll(async () => {
  await l?.close();
  await lab?.close();
});

describe('the picture in the real DevTools panel', () => {
  it('a failed preflight: OPTIONS and its answer, ✗ where the browser stopped, the PUT never sent (dashed)', async () => {
    const [ex] = byScenario('rule-header-disallowed');
    expect(ex!.verdict).toBe('blocked');
    const shown = await showInDevtools(ex!);
    const texts = shown.texts.map((t) => t.text);
    expect(texts).toEqual(modelTexts(ex!));
    expect(texts.find((t) => t.startsWith('OPTIONS /s/rule-header-disallowed?s='))).toBeDefined();
    expect(texts).toContain('access-control-request-headers: x-custom-header');
    expect(texts).toContain(`✗ ${describeFinding(ex!.findings[0]!).title}`);
    expect(texts).toContain('Chrome: HeaderDisallowedByPreflightResponse');
    expect(texts.find((t) => /^PUT \/s\/rule-header-disallowed\?s=.*(never sent|…)$/.test(t))).toBeDefined();
    expect(shown.dashed).toBe(1);
    expect(shown.asText).toContain('(never happened): PUT /s/rule-header-disallowed?s=rule-header-disallowed never sent');
    expectDrawnInside(shown);
    const shot = await devtools.send<{ data: string }>('Page.captureScreenshot', { format: 'png' });
    writeFileSync(join(ARTIFACTS, 'picture-devtools-failed-preflight.png'), Buffer.from(shot.data, 'base64'));
  });

  it('blocked after reaching the server: the PUT went out, its 200 came back, then ✗', async () => {
    const [ex] = byScenario('seed-put-real-missing-acao');
    expect(ex!.reachedServer).toBe(true);
    const shown = await showInDevtools(ex!);
    const texts = shown.texts.map((t) => t.text);
    expect(texts).toEqual(modelTexts(ex!));
    const put = texts.findLastIndex((t) => t.startsWith('PUT /s/seed-put-real-missing-acao?s='));
    const answer = texts.indexOf('200');
    const stop = texts.indexOf('✗ No Access-Control-Allow-Origin header');
    expect(put).toBeGreaterThan(texts.findIndex((t) => t.startsWith('OPTIONS /s/seed-put-real-missing-acao?s=')));
    expect(answer).toBeGreaterThan(put);
    expect(stop).toBeGreaterThan(answer);
    expect(texts).toContain('the 200 answer is withheld');
    expect(shown.dashed).toBe(0);
    expectDrawnInside(shown);
  });

  it('a cached preflight: no OPTIONS arrow, the cache entry and when it expires', async () => {
    const [first, second] = byScenario('cache-max-age').sort((a, b) => a.startedAt - b.startedAt);
    expect(first!.preflight?.observed).toBe('sent');
    expect(second!.preflight?.observed).toBe('cached');
    const shown = await showInDevtools(second!);
    const texts = shown.texts.map((t) => t.text);
    expect(texts.filter((t) => !t.startsWith('cache entry until'))).toEqual(modelTexts(second!));
    expect(texts.some((t) => t.startsWith('OPTIONS'))).toBe(false);
    expect(texts).toContain('preflight answered from the preflight cache: no OPTIONS sent');
    // Max-Age 600: the entry runs out in about ten minutes, said in the panel's local time.
    expect(texts.find((t) => t.startsWith('cache entry until'))).toMatch(/^cache entry until \d\d:\d\d:\d\d\.\d{3} \(in (9|10) min \d+ s\)$/);
    expectDrawnInside(shown);
  });

  it('a redirect: the hop to another origin, the request that followed, then ✗', async () => {
    const [ex] = byScenario('redirect-cross-origin-acao-page');
    expect(ex!.redirects.length).toBe(1);
    const shown = await showInDevtools(ex!);
    const texts = shown.texts.map((t) => t.text);
    expect(texts).toEqual(modelTexts(ex!));
    // Long labels are cut to their arrow: match the start, which names the other origin.
    const next = `${lab.originC}/s/redirect-cross`;
    const hop = texts.findIndex((t) => t.startsWith(`302 → ${next}`));
    const followed = texts.findIndex((t) => t.startsWith(`GET ${next}`));
    const stop = texts.findIndex((t) => t.startsWith('✗ '));
    expect(hop, texts.join('\n')).toBeGreaterThan(0);
    expect(followed).toBeGreaterThan(hop);
    expect(stop).toBeGreaterThan(followed);
    expect(texts[stop]).toBe(`✗ ${describeFinding(ex!.findings.find((f) => f.severity === 'error')!).title}`);
    expectDrawnInside(shown);
  });
});

describe('the picture in the panel as a tab: hostile values, 1000 px, light and dark', () => {
  let pop: Page;
  const MARKUP = '<img src=x onerror="window.__pwned=1"><svg onload="window.__pwned=2"><foreignObject><iframe></iframe></foreignObject></svg>';
  const BIDI = 'allowed\u202Edesrever\u2066 \u200F end';
  const TEN_KB = `https://${'a'.repeat(10 * 1024)}.example`;

  beforeAll(async () => {
    pop = await l.context.newPage();
    await pop.setViewportSize({ width: 1000, height: 900 });
    await pop.goto(`chrome-extension://${l.extensionId}/src/panel/panel.html?tabId=${tabId}`);
    await pop.locator('[role=row][data-id]').first().waitFor();
  });

  /** A screenshot in the theme asked for, and the picture's ink in that theme (read in the same attempt). */
  const shoot = async (colorScheme: 'light' | 'dark', file: string): Promise<number> =>
    // DevTools attached to this tab resets media emulation: apply it again until a screenshot is taken in the theme.
    waitFor(async () => {
      await pop.emulateMedia({ colorScheme });
      const ink = () =>
        pop.evaluate(() => {
          const t = document.querySelector('[data-testid=picture] text.pic-title');
          const sum = (getComputedStyle(t!).fill.match(/\d+/g) ?? []).slice(0, 3).map(Number).reduce((a, b) => a + b, 0);
          return { theme: document.documentElement.dataset.theme, sum };
        });
      const before = await ink();
      if (before.theme !== colorScheme) return null;
      await pop.locator('[data-testid=picture]').screenshot({ path: file });
      const after = await ink();
      return after.theme === colorScheme ? after.sum + 1 : null;
    }, `a ${colorScheme} screenshot`, 30_000);

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`fits 1000 px without scrolling and follows the ${colorScheme} theme (screenshots)`, async () => {
      for (const id of ['rule-header-disallowed', 'seed-put-real-missing-acao']) {
        const [ex] = byScenario(id);
        await pop.getByLabel('Filter').fill(`s=${id}`);
        await pop.locator(`[role=row][data-id="${ex!.id}"]`).click();
        await pop.locator(`.detail[data-id="${ex!.id}"] [data-testid=picture]`).waitFor();
        const shown = await pop.evaluate(`(() => { ${MEASURE} })()`) as Shown;
        expectDrawnInside(shown);
        expect(shown.svgWidth).toBeLessThanOrEqual(1000);
        const docs = id === 'rule-header-disallowed' ? join(DOCS, `picture-${colorScheme}.png`) : join(ARTIFACTS, `picture-${colorScheme}-${id}.png`);
        // The ink follows the theme: dark text on light, light text on dark (sum of R, G, B, plus one).
        const ink = await shoot(colorScheme, docs);
        if (colorScheme === 'dark') expect(ink).toBeGreaterThan(450);
        else expect(ink).toBeLessThan(300);
      }
    });
  }

  it('keeps a hostile report inert and inside its box (markup, 10 kB, bidi controls)', async () => {
    const [base] = byScenario('rule-header-disallowed');
    const evil: Exchange = {
      ...base!,
      id: 'hostile-picture',
      initiatorOrigin: `${lab.originA}${MARKUP}`,
      preflight: {
        ...base!.preflight!,
        request: { headers: [['origin', lab.originA], ['access-control-request-method', `PUT${MARKUP}`], ['access-control-request-headers', `${BIDI}, x-custom-header`]] },
        response: { statusCode: 204, headers: [['access-control-allow-origin', TEN_KB], ['access-control-allow-headers', MARKUP], ['access-control-allow-methods', BIDI]] },
      },
      findings: [{ ...base!.findings[0]!, chromeCorsError: `${MARKUP} ${BIDI}` }],
    };
    const file = JSON.stringify({ ...report, exchanges: [evil] });
    await pop.getByLabel('Filter').fill('');
    await pop.getByLabel('Open a saved JSON report or a HAR file').setInputFiles({ name: 'hostile.json', mimeType: 'application/json', buffer: Buffer.from(file) });
    await pop.locator('[role=row][data-id="hostile-picture"]').click();
    await pop.locator('.detail[data-id="hostile-picture"] [data-testid=picture]').waitFor();
    const shown = (await pop.evaluate(`(() => { ${MEASURE} })()`)) as Shown;
    expectDrawnInside(shown);
    expect(await pop.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    const texts = shown.texts.map((t) => t.text);
    expect(texts.some((t) => t.includes('<img src=x onerror="window.__pwned=1">'))).toBe(true); // shown as text
    expect(texts.join('\n')).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200f]/);
    expect(texts.some((t) => t.includes('allowed<U+202E>desrever<U+2066>'))).toBe(true);
    const acao = texts.find((t) => t.startsWith('access-control-allow-origin: https://aaa'))!;
    expect(acao.endsWith('…')).toBe(true);
    expect(acao.length).toBeLessThan(80);
    await pop.locator('[data-testid=picture]').screenshot({ path: join(ARTIFACTS, 'picture-hostile.png') });
  });
});

describe('a preflight answered from the cache another tab of the site filled', () => {
  it('a second tab sees no preflight: its panel and its picture both say most likely from the preflight cache', async () => {
    // The first tab ran cache-max-age (Max-Age 600): Chrome's preflight cache, shared by the site's tabs, holds the answer.
    const url = `${lab.originA}/?tab=second`;
    const second = await l.context.newPage();
    await second.goto(url);
    const id = await l.tabIdOf(url);
    await waitFor(async () => (await l.request('cors-lens/status', {})).tabs.includes(id), 'capture of the second tab', 120_000);
    await second.evaluate(() => (window as unknown as { corsLab: { run(id: string): Promise<unknown> } }).corsLab.run('cache-max-age'));
    const exs = await waitFor(async () => {
      const r = await exportReport(l, id);
      const found = r.exchanges.filter((e) => new URL(e.url).searchParams.get('s') === 'cache-max-age');
      return found.length === 2 && found.every((e) => e.verdict !== 'unknown') ? found : null;
    }, 'the second tab\'s two PUTs', 60_000);
    for (const ex of exs) {
      expect(ex.verdict).toBe('allowed');
      // This tab's session never saw an OPTIONS, nor an earlier answer: not sent, not known cached.
      expect(ex.preflight?.observed).toBe('missing');
    }
    const [ex] = exs.sort((a, b) => a.startedAt - b.startedAt);
    expect(sequenceOf(ex!).steps.map((s) => s.kind)).toContain('preflight-likely-cached');

    const real = await openRealPanel(l, id);
    inPanel = <T>(body: string) => real.panel.eval<T>(`(async () => { ${body} })()`);
    const shown = await showInDevtools(ex!);
    const texts = shown.texts.map((t) => t.text);
    expect(texts).toEqual(modelTexts(ex!));
    expect(texts).toContain('preflight most likely answered from the preflight cache');
    expect(texts.some((t) => t.startsWith('OPTIONS'))).toBe(false);
    expect(texts).not.toContain('preflight needed but not seen');
    expectDrawnInside(shown);
    // The panel says the same: its Preflight column and the detail's preflight side.
    const said = await inPanel<{ cell: string; side: string }>(
      `return { cell: document.querySelector('[role=row][data-id=${JSON.stringify(ex!.id)}] .col-preflight').textContent, side: document.querySelector('.detail [aria-label="Preflight (OPTIONS)"]').textContent };`,
    );
    expect(said.cell).toBe('cache (likely)');
    expect(said.side).toContain('most likely from the preflight cache');
    await inPanel(`document.querySelector('[data-testid=picture]').scrollIntoView({ block: 'start' });`);
    const shot = await real.devtools.send<{ data: string }>('Page.captureScreenshot', { format: 'png' });
    writeFileSync(join(ARTIFACTS, 'picture-devtools-likely-cached.png'), Buffer.from(shot.data, 'base64'));
    await second.close();
  });
});
