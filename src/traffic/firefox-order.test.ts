import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TabSession } from './session';
import type { CaptureEvent } from './events';
import { originOf } from './headers';
import type { Exchange } from './exchange';

/** Real webRequest events from Firefox 153 ESR (see the fixture's `recorded`). */
interface RawEvent {
  kind: 'send' | 'headers' | 'completed' | 'error';
  requestId: string;
  tabId: number;
  frameId: number;
  documentId?: string;
  originUrl?: string;
  url: string;
  method: string;
  type: string;
  timeStamp: number;
  statusCode?: number;
  error?: string;
  headers: Array<[string, string]>;
}
const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '../../tests/fixtures/firefox-153-webrequest.json'), 'utf8')) as { events: RawEvent[] };

/** As the background adapter turns Firefox's details into events (no onCompleted: no override is active). */
function toEvents(raw: RawEvent[], firefox: boolean): CaptureEvent[] {
  const out: CaptureEvent[] = [];
  for (const d of raw) {
    const base = {
      requestId: d.requestId, tabId: d.tabId, frameId: d.frameId, documentId: d.documentId,
      initiator: d.originUrl === undefined ? undefined : (originOf(d.originUrl) ?? 'null'),
      url: d.url, method: d.method, type: d.type, timeStamp: d.timeStamp,
      ...(firefox ? { browser: 'firefox' as const } : {}),
    };
    if (d.kind === 'send') out.push({ kind: 'send', ...base, headers: d.headers });
    else if (d.kind === 'headers') out.push({ kind: 'headers', ...base, statusCode: d.statusCode!, headers: d.headers });
    else if (d.kind === 'error') out.push({ kind: 'error', ...base, error: d.error! });
  }
  return out;
}

function replay(firefox: boolean): Exchange[] {
  const s = new TabSession(fixture.events[0]!.tabId, 1000);
  for (const ev of toEvents(fixture.events, firefox)) s.handle(ev);
  return s.exchanges();
}
const scenario = (ex: Exchange[], id: string) => ex.filter((e) => new URL(e.url).searchParams.get('s') === id);

describe('Firefox webRequest order (recorded trace)', () => {
  const ex = replay(true);

  it('reports the request before its preflight, and the preflight pairs with it', () => {
    expect(fixture.events.findIndex((e) => e.method === 'POST' && e.kind === 'send')).toBeLessThan(fixture.events.findIndex((e) => e.method === 'OPTIONS' && e.kind === 'send'));
    const [post] = scenario(ex, 'seed-gin-custom-header');
    expect(post?.preflight?.observed).toBe('sent');
    expect(post?.verdict).toBe('allowed');
  });

  it('reads NS_ERROR_DOM_BAD_URI as a CORS block, and a request its preflight stopped as never sent', () => {
    const [put] = scenario(ex, 'rule-header-disallowed');
    expect(put?.error).toBe('NS_ERROR_DOM_BAD_URI');
    expect(put?.verdict).toBe('blocked');
    expect(put?.findings[0]?.id).toBe('header-not-allowed-by-preflight');
    expect(put?.reachedServer).toBe(false);
    // Firefox reported the unsent request's headers; the engine reads it as never sent, as in Chrome.
    expect(put?.inferred?.reachedServer?.rule).toBe('reached-stopped-by-preflight');
    expect(put?.credentials.rule).toBe('credentials-undecided');
    expect(scenario(ex, 'rule-preflight-invalid-status')[0]?.findings[0]?.id).toBe('preflight-invalid-status');
  });

  it('judges a completed simple request from the rules: Firefox gives no error event for it', () => {
    const [get] = scenario(ex, 'rule-missing-allow-origin');
    expect(get?.error).toBeNull();
    expect(get?.verdict).toBe('blocked');
    expect(get?.findings[0]?.id).toBe('missing-allow-origin');
    expect(scenario(ex, 'seed-gin-simple-get')[0]?.verdict).toBe('allowed');
  });

  it('keeps other NS_ERROR_* as network errors', () => {
    const [get] = scenario(ex, 'control-connection-refused');
    expect(get?.verdict).toBe('failed-before-cors');
    expect(get?.findings[0]?.id).toBe('network-error');
  });

  it('pairs parallel preflights by the headers they announce', () => {
    const par = scenario(ex, 'control-parallel-one-disallowed');
    expect(par).toHaveLength(3);
    for (const e of par) expect(e.preflight?.observed).toBe('sent');
    const blocked = par.filter((e) => e.verdict === 'blocked');
    expect(blocked).toHaveLength(1);
    expect(blocked[0]!.preflight!.request.headers.find(([n]) => n === 'access-control-request-headers')?.[1]).toContain('x-c');
  });

  it('models Firefox’s preflight cache from a late-paired preflight', () => {
    const [first, second] = scenario(ex, 'cache-max-age');
    expect(first?.preflight?.observed).toBe('sent');
    expect(second?.preflight?.observed).toBe('cached');
  });

  it('would get every preflight wrong with Chrome’s order (the trace tells the two apart)', () => {
    const chromeWay = replay(false);
    expect(scenario(chromeWay, 'seed-gin-custom-header')[0]?.preflight?.observed).toBe('missing');
    expect(scenario(chromeWay, 'rule-missing-allow-origin')[0]?.verdict).toBe('allowed');
  });
});
