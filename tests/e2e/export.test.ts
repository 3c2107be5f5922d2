import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import type { Page } from 'playwright-core';
import { startLab } from '../../lab/server.mjs';
import { exportReport, launch, waitFor, type Launched } from './browser';
import type { SessionReport } from '../../src/report/schema';

/**
 * The report issue, end to end: Export in the panel downloads JSON (valid against the
 * schema), HTML (inert even with script payloads in headers) and Markdown; the JSON
 * opens back in the panel as the same rows; a foreign file is refused and changes nothing.
 */
type Lab = Awaited<ReturnType<typeof startLab>>;
const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts');
const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../../schema/cors-lens-session.v2.schema.json'), 'utf8'));

let lab: Lab;
let l: Launched;
let panel: Page;
let tabId: number;

async function saveAs(format: 'json' | 'html' | 'markdown'): Promise<{ name: string; text: string }> {
  const menu = panel.locator('details.export-menu');
  if (!(await menu.evaluate((d) => (d as HTMLDetailsElement).open))) await menu.locator('summary').click();
  const [download] = await Promise.all([panel.waitForEvent('download'), panel.click(`[data-export="${format}"]`)]);
  const path = join(ARTIFACTS, download.suggestedFilename());
  await download.saveAs(path);
  return { name: download.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

const rowCount = () => panel.evaluate(() => Number(document.querySelector('[data-testid="counters"]')?.getAttribute('data-total') ?? -1));

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  lab = await startLab();
  l = await launch({ devtools: true });
  const page = await l.context.newPage();
  await page.goto(`${lab.originA}/`);
  tabId = await l.tabIdOf(lab.originA);
  await waitFor(async () => (await l.request('cors-lens/status', {})).tabs.includes(tabId), 'capture of the lab tab');
  await page.evaluate(() => (window as unknown as { corsLab: { runAll(o: object): Promise<unknown> } }).corsLab.runAll({ group: 'hostile', nonce: 'export' }));
  await page.evaluate(() => (window as unknown as { corsLab: { run(id: string, o: object): Promise<unknown> } }).corsLab.run('seed-go-middleware', { nonce: 'export' }));
  panel = await l.context.newPage();
  await panel.goto(`chrome-extension://${l.extensionId}/src/panel/panel.html?tabId=${tabId}`);
  const expected = (await exportReport(l, tabId)).exchanges.length;
  await waitFor(async () => (await rowCount()) === expected, 'panel rows');
});

afterAll(async () => {
  await l?.close();
  await lab?.close();
});

describe('export from the panel', () => {
  it('downloads JSON that validates against schema version 2, with secrets redacted', async () => {
    const { name, text } = await saveAs('json');
    expect(name).toMatch(/^cors-session-127\.0\.0\.1_\d+-\d{8}-\d{6}\.json$/);
    const report = JSON.parse(text) as SessionReport;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(report), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(report.exchanges.length).toBe(await rowCount());
    expect(report.redacted).toEqual(expect.arrayContaining(['authorization', 'cookie']));
    // seed-go-middleware sends Authorization: Bearer …; only its length survives.
    const auth = report.exchanges.flatMap((e) => e.request.headers).find(([n]) => n === 'authorization');
    expect(auth?.[1]).toMatch(/^\[redacted: \d+ chars\]$/);
  });

  it('downloads HTML that shows the hostile values as text and runs no script', async () => {
    const { text } = await saveAs('html');
    const viewer = await l.context.newPage();
    await viewer.addInitScript(() => {
      (window as unknown as { __ran: boolean }).__ran = false;
      window.alert = () => ((window as unknown as { __ran: boolean }).__ran = true);
    });
    const file = join(ARTIFACTS, 'report.html');
    writeFileSync(file, text);
    const requests: string[] = [];
    viewer.on('request', (r) => requests.push(r.url()));
    await viewer.goto(`file://${file}`);
    expect(await viewer.evaluate(() => (window as unknown as { __ran: boolean }).__ran)).toBe(false);
    expect(await viewer.locator('script').count()).toBe(0);
    expect(await viewer.locator('img').count()).toBe(0);
    const body = await viewer.locator('body').innerText();
    expect(body).toContain('<script>alert(1)</script>');
    expect(body).toContain('InvalidAllowOriginValue');
    expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
    await viewer.screenshot({ path: join(ARTIFACTS, 'report-html.png'), fullPage: false });
    await viewer.close();
  });

  it('downloads Markdown with the findings', async () => {
    const { name, text } = await saveAs('markdown');
    expect(name.endsWith('.md')).toBe(true);
    expect(text).toContain('InvalidAllowOriginValue');
    // Hostile values appear only inside code (fences and spans), where Markdown renders them as text.
    const prose = text.replace(/(`{3,})[^\n]*\n[\s\S]*?\n\1/g, '').replace(/(`+)[^`]*?\1/g, '');
    expect(prose).not.toMatch(/<script|<img/i);
  });

  it('answers the export API in each format', async () => {
    for (const format of ['html', 'markdown'] as const) {
      const r = await l.request('cors-lens/export', { tabId, format });
      expect('text' in r && r.format === format && r.text.length > 100, format).toBe(true);
    }
    const bad = await l.request('cors-lens/export', { tabId, format: 'pdf' as never });
    expect(bad).toEqual({ error: expect.stringContaining('format') });
  });
});

describe('opening a saved report', () => {
  it('refuses a foreign file with a clear message and changes nothing', async () => {
    const before = await rowCount();
    await panel.locator('details.export-menu summary').click();
    await panel.locator('input[type="file"]').setInputFiles({ name: 'other.json', mimeType: 'application/json', buffer: Buffer.from('{"schema":"something/else"}') });
    await waitFor(async () => (await panel.locator('.menu-status').innerText()).startsWith('Not opened'), 'refusal');
    expect(await panel.locator('.menu-status').innerText()).toMatch(/CORS Lens/i);
    expect(await rowCount()).toBe(before);
    expect(await panel.locator('.banner.imported').count()).toBe(0);
  });

  it('shows the same rows, read-only, then goes back to live capture', async () => {
    const { text } = await saveAs('json');
    const saved = JSON.parse(text) as SessionReport;
    await panel.locator('input[type="file"]').setInputFiles({ name: 'saved.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await panel.locator('.banner.imported').waitFor();
    await panel.screenshot({ path: join(ARTIFACTS, 'panel-imported.png') });
    expect(await rowCount()).toBe(saved.exchanges.length);
    const names = await panel.locator('[data-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));
    expect(names.every((id) => saved.exchanges.some((e) => e.id === id))).toBe(true);
    await panel.getByRole('button', { name: 'Back to live capture' }).click();
    expect(await panel.locator('.banner.imported').count()).toBe(0);
  });
});
