import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import { startLab } from '../../lab/server.mjs';
import { exportReport, launch, waitFor, type Launched } from './browser';
import { fetchFrom, type Lab } from './override-helpers';
import type { OverrideAnswer } from '../../src/shared/protocol';

/**
 * Scope in real Chromium: while an override for page origin P = http://app.localhost:PA is on
 * (header rules and rescue alike), requests from frames of other origins in the same tab keep
 * exactly the verdict they had without it: a subdomain (x.app.localhost), a sibling
 * (api.localhost) and another port of P's host (app.localhost:PC), against a server that reflects
 * any origin and one that allows none. Chromium resolves *.localhost to loopback. The verdict is
 * what the frame's own fetch() reads: a status, or the TypeError of a blocked request.
 */
let lab: Lab;
let l: Launched;
let page: Page;
let tabId: number;
let P: string;
let frames: Record<string, Frame>;
let n = 0;

type Outcome = { status: number | null; error: string | null };
const verdict = (o: Outcome) => (o.status !== null ? `allowed ${o.status}` : 'blocked');

const target = (id: string) => `${lab.originB}/s/${id}?s=${id}&run=scope${++n}`;
const PUT_JSON: RequestInit = { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{}' };
/** What each frame sends: the scenario and the request init. */
const PROBES: Array<[string, RequestInit]> = [
  ['rule-invalid-allow-credentials', { credentials: 'include' }],
  ['rule-invalid-allow-credentials', {}],
  ['rule-missing-allow-origin', {}],
  ['seed-no-options-handler', PUT_JSON],
  ['seed-gin-custom-header', { method: 'PUT', headers: { 'X-Custom-Header': 'v' }, body: 'x' }],
  // B → C: C answers the page origin, which the redirect's Origin null never matches.
  ['redirect-cross-origin-acao-page', {}],
];

async function outcomes(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, f] of Object.entries(frames)) {
    for (const [id, init] of PROBES) out[`${name} ${id} ${JSON.stringify(init.credentials ?? init.method ?? 'GET')}`] = verdict(await fetchFrom(f, target(id), init));
  }
  return out;
}

/** The probes whose verdict differs, with both verdicts. */
function changes(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys(before).filter((k) => before[k] !== after[k]).map((k) => `${k}: ${before[k]} -> ${after[k]}`);
}

async function blockedExchange(id: string, init: RequestInit): Promise<string> {
  const url = target(id);
  expect(verdict(await fetchFrom(page, url, init))).toBe('blocked');
  const ex = await waitFor(async () => (await exportReport(l, tabId)).exchanges.find((e) => e.url === url && e.verdict === 'blocked'), `the exchange for ${url}`);
  return ex.id;
}

async function override(req: object): Promise<OverrideAnswer> {
  const a = (await l.request('cors-lens/override', req as never)) as OverrideAnswer | { error: string };
  if ('error' in a) throw new Error(a.error);
  return a;
}

beforeAll(async () => {
  lab = await startLab();
  l = await launch();
  const port = (o: string) => new URL(o).port;
  P = `http://app.localhost:${port(lab.originA)}`;
  page = await l.context.newPage();
  await page.goto(`${P}/__frame`);
  tabId = await l.tabIdOf(P);
  await l.request('cors-lens/capture', { scope: tabId, on: true });
  await waitFor(async () => (await l.request('cors-lens/status', {})).tabs.includes(tabId), 'capture of the tab');
  const others = {
    subdomain: `http://x.app.localhost:${port(lab.originA)}`,
    sibling: `http://api.localhost:${port(lab.originA)}`,
    'other port': `http://app.localhost:${port(lab.originC)}`,
  };
  frames = {};
  for (const [name, origin] of Object.entries(others)) {
    await page.evaluate((src) => new Promise((r) => {
      const f = document.createElement('iframe');
      f.src = src;
      f.onload = () => r(undefined);
      document.body.appendChild(f);
    }), `${origin}/__frame`);
    frames[name] = await waitFor(async () => page.frames().find((f) => f.url().startsWith(origin)), `frame ${origin}`);
  }
});

afterAll(async () => {
  await l?.close();
  await lab?.close();
});

describe('an override reaches its page origin only', () => {
  it('header rules: frames of a subdomain, a sibling and another port keep their verdicts (a `*` server narrows, never widens)', async () => {
    const before = await outcomes();
    // P's credentialed GET to a server that reflects any origin but sends no Allow-Credentials.
    const id = await blockedExchange('rule-invalid-allow-credentials', { credentials: 'include' });
    const on = await override({ action: 'add', tabId, exchangeId: id });
    if (!on.ok) throw new Error(on.why);
    expect(on.added?.mechanism).toBe('headers');
    expect(on.added?.onlyThisTab).toBe(true);
    expect(on.added?.actual).toContainEqual({ name: 'access-control-allow-origin', value: P, scope: true });
    // P itself is fixed (Chrome lets it read the response)...
    expect(verdict(await fetchFrom(page, target('rule-invalid-allow-credentials'), { credentials: 'include' }))).toBe('allowed 200');
    // ...and no other origin's verdict changes.
    const during = await outcomes();
    console.log(`header rules, scope verdicts: ${JSON.stringify(changes(before, during))} changed of ${Object.keys(before).length}`);
    // Never wider: nothing blocked before is allowed with the rule.
    for (const k of Object.keys(before)) if (before[k] === 'blocked') expect(during[k], k).toBe('blocked');
    // Exact against servers that reflect any origin or allow none; a server answering `*` to a
    // frame of P's own host (another port, a subdomain) is the one narrowing (docs/override.md).
    const wildcard = (k: string) => k.includes('seed-gin-custom-header') && !k.startsWith('sibling');
    expect(changes(before, during).filter((k) => !wildcard(k))).toEqual([]);
    expect(Object.values(before)).toContain('allowed 200');
    await override({ action: 'remove', id: on.added!.id });
  });

  for (const [id, init, what] of [
    ['seed-no-options-handler', PUT_JSON, "P's preflights are answered"],
    ['redirect-cross-origin-acao-page', {}, "P's redirect chain is followed (hops get Allow-Origin: null)"],
  ] as const) {
    it(`rescue: the frames keep their verdicts while ${what}`, async () => {
      const before = await outcomes();
      const exchangeId = await blockedExchange(id, init);
      const on = await override({ action: 'add', tabId, exchangeId });
      if (!on.ok) throw new Error(on.why);
      expect(on.added?.mechanism).toBe('rescue');
      expect(verdict(await fetchFrom(page, target(id), init))).toBe('allowed 200');
      const during = await outcomes();
      const changed = changes(before, during);
      console.log(`rescue (${id}), scope probes: ${changed.length} of ${Object.keys(before).length} changed ${JSON.stringify(changed)}`);
      expect(changed).toEqual([]);
      await override({ action: 'remove', id: on.added!.id });
    });
  }
});
