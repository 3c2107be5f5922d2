import { describe, expect, it } from 'vitest';
import { loadTrace, type TraceScenario } from '../../tests/fixtures/traces';
import { TabSession } from './session';
import { ChangeTracker } from './changes';
import { isCorsSafelistedMethod } from '../cors/methods';
import type { CaptureEvent } from './events';

const scenarios = loadTrace();
const byName = (n: string): TraceScenario => {
  const s = scenarios.find((x) => x.name === n);
  if (!s) throw new Error(`no trace ${n}`);
  return s;
};

function replay(events: CaptureEvent[], session = new TabSession(1, 10_000)): TabSession {
  for (const ev of events) session.handle(ev);
  return session;
}

describe('pairing against the recorded Chromium traces', () => {
  it('turns every trace scenario into exactly one exchange per request the page made', () => {
    for (const s of scenarios) {
      if (s.name === 'par' || s.name === 'h2') continue;
      const session = replay(s.events);
      expect(session.size, s.name).toBe(1);
    }
  });

  it('pairs a passing preflight with the request sent after it (a)', () => {
    const [ex] = replay(byName('a').events).exchanges();
    expect(ex!.id).toBe('9');
    expect(ex!.preflight?.observed).toBe('sent');
    expect(ex!.preflight?.response?.statusCode).toBe(204);
    expect(ex!.response?.statusCode).toBe(200);
  });

  it('pairs a failed preflight with the request that only got net::ERR_FAILED (b404, b405, g)', () => {
    for (const name of ['b404', 'b405', 'g', 'b404acao', 'm', 'credPreStar']) {
      const [ex] = replay(byName(name).events).exchanges();
      expect(ex!.preflight?.observed, name).toBe('sent');
      expect(ex!.error, name).toBe('net::ERR_FAILED');
      expect(ex!.request.headers, name).toEqual([['origin', 'http://127.0.0.1:32943']]);
    }
  });

  it('pairs parallel requests to one URL with their preflights first in, first out (par: 38→41, 39→42, 40→43)', () => {
    const session = replay(byName('par').events);
    expect(session.size).toBe(3);
    const pairs = Object.fromEntries([...['38', '39', '40']].map((id) => [id, session.record(id)?.preflight?.requestId]));
    expect(pairs).toEqual({ '38': '41', '39': '42', '40': '43' });
  });

  it('pairs a request stopped by its preflight with the preflight that failed, not an older one that passed', () => {
    const A = 'http://127.0.0.1:1';
    const url = 'http://localhost:2/par';
    const at = (requestId: string, t: number) => ({ requestId, tabId: 1, frameId: 0, documentId: 'd', initiator: A, url, type: 'xmlhttprequest', timeStamp: t });
    const preflight = (id: string, h: string, t: number): CaptureEvent[] => [
      { kind: 'send', ...at(id, t), method: 'OPTIONS', headers: [['access-control-request-method', 'PUT'], ['access-control-request-headers', h], ['origin', A]] },
      { kind: 'headers', ...at(id, t + 1), method: 'OPTIONS', statusCode: 204, headers: [['access-control-allow-origin', A], ['access-control-allow-methods', 'PUT'], ['access-control-allow-headers', 'x-a, x-b']] },
    ];
    const put = (id: string, h: string, t: number): CaptureEvent => ({ kind: 'send', ...at(id, t), method: 'PUT', headers: [[h, '1'], ['origin', A]] });
    // Order seen in Chromium: the three preflights answer, x-a is sent, x-c fails, then x-b is sent.
    const session = replay([
      ...preflight('11', 'x-a', 1), ...preflight('12', 'x-b', 2), ...preflight('13', 'x-c', 3),
      put('1', 'x-a', 10),
      { kind: 'error', ...at('3', 11), method: 'PUT', error: 'net::ERR_FAILED' },
      put('2', 'x-b', 12),
    ]);
    expect(session.record('1')?.preflight?.requestId).toBe('11');
    expect(session.record('2')?.preflight?.requestId).toBe('12');
    expect(session.record('3')?.preflight?.requestId).toBe('13');
    expect(session.exchange('3')?.findings[0]?.failedParameter).toBe('x-c');
  });

  it('labels a preflight-needing request that sent none as cached while the earlier answer is fresh (h1 then h2)', () => {
    const session = replay([...byName('h1').events, ...byName('h2').events.map((e) => ({ ...e, timeStamp: byName('h1').events[0]!.timeStamp + 500 }))]);
    const h2 = session.exchanges().find((e) => e.id === '46')!;
    expect(h2.preflight?.observed).toBe('cached');
    expect(h2.preflight?.cacheExpiresAt).toBeGreaterThan(h2.startedAt);
  });

  it('labels it missing once the cache entry expired', () => {
    const h1 = byName('h1').events;
    const late = byName('h2').events.map((e) => ({ ...e, timeStamp: h1[0]!.timeStamp + 3 * 3600_000 }));
    const session = replay([...h1, ...late]);
    expect(session.exchanges().find((e) => e.id === '46')!.preflight?.observed).toBe('missing');
  });

  it('keeps the redirect chain of one requestId (g2)', () => {
    const [ex] = replay(byName('g2').events).exchanges();
    expect(ex!.redirects).toHaveLength(1);
    expect(ex!.redirects[0]!.statusCode).toBe(302);
    expect(ex!.redirects[0]!.location).toBe('/d-ok');
    expect(ex!.response?.statusCode).toBe(200);
  });

  it('does not list same-origin requests', () => {
    const same: CaptureEvent = { kind: 'send', requestId: '900', tabId: 1, frameId: 0, documentId: 'd', initiator: 'http://127.0.0.1:1', url: 'http://127.0.0.1:1/x', method: 'GET', type: 'xmlhttprequest', timeStamp: 1, headers: [] };
    const session = replay([same, { ...same, kind: 'headers', statusCode: 200 } as CaptureEvent]);
    expect(session.size).toBe(0);
  });

  it('lists a request that failed for a non-CORS reason without a preflight (refused)', () => {
    const [ex] = replay(byName('refused').events).exchanges();
    expect(ex!.error).toBe('net::ERR_CONNECTION_REFUSED');
    expect(ex!.preflight).toBeNull();
  });
});

describe('bounded session', () => {
  const simple = (i: number): CaptureEvent => ({ kind: 'send', requestId: String(i), tabId: 1, frameId: 0, documentId: 'd', initiator: 'http://a.test', url: `http://b.test/${i}`, method: 'GET', type: 'xmlhttprequest', timeStamp: i, headers: [['origin', 'http://a.test']] });

  it('drops the oldest exchanges over the cap and counts them', () => {
    const session = new TabSession(1, 100);
    const changes = (session.observer = new ChangeTracker());
    for (let i = 0; i < 250; i++) session.handle(simple(i));
    expect(session.size).toBe(100);
    expect(session.dropped).toBe(150);
    expect(session.exchanges()[0]!.id).toBe('150');
    const { removed } = changes.take((id) => session.stillWaiting(id));
    expect(removed).toHaveLength(150);
  });

  it('keeps dropping the oldest first through a long session, after a clear, and after a restore', () => {
    const session = new TabSession(1, 100);
    for (let i = 0; i < 10_000; i++) session.handle(simple(i));
    expect(session.exchanges().map((e) => e.id)).toEqual(Array.from({ length: 100 }, (_, k) => String(9_900 + k)));
    session.clear();
    for (let i = 20_000; i < 20_150; i++) session.handle(simple(i));
    expect(session.exchanges()[0]!.id).toBe('20050');
    expect(session.dropped).toBe(50);
    const restored = new TabSession(1, 100, session.state());
    restored.handle(simple(30_000));
    expect(restored.exchanges()[0]!.id).toBe('20051');
    expect(restored.size).toBe(100);
  });

  it('resumes from its persisted state with nothing lost', () => {
    const a = replay(byName('par').events.slice(0, 12));
    expect(a.size).toBeGreaterThan(0);
    expect(a.size).toBeLessThan(3);
    const b = new TabSession(1, 10_000, JSON.parse(JSON.stringify(a.state())));
    replay(byName('par').events.slice(12), b);
    expect(b.size).toBe(3);
    expect(b.record('40')?.preflight?.requestId).toBe('43');
  });

  it('counts, and never throws on, events it cannot use', () => {
    const session = new TabSession(1, 10);
    const bad = [
      { ...simple(1), url: 'not a url' },
      { ...simple(2), initiator: undefined },
      { ...simple(3), headers: null as unknown as [] },
      { ...simple(4), headers: Array.from({ length: 200 }, (_, i) => [`x-h${i}`, 'v'.repeat(64 * 1024)] as [string, string]) },
      { ...simple(5), headers: [['x-bytes', '\u00ff\u0000\u0007é😀']] as [string, string][] },
    ] as CaptureEvent[];
    for (const ev of bad) expect(() => session.handle(ev)).not.toThrow();
    expect(session.skipped['unparsable-url']).toBe(1);
    expect(session.skipped['no-initiator']).toBe(1);
    expect(() => session.exchanges()).not.toThrow();
  });
});

describe('events the worker missed or got out of order (a worker Chrome stopped mid-request)', () => {
  /** The page's own requests (not preflights) that sent headers, by requestId. */
  const sentRequests = (events: CaptureEvent[]): string[] =>
    [...new Set(events.filter((e) => e.kind === 'send' && !(e.method === 'OPTIONS' && e.headers.some(([n]) => n === 'access-control-request-method'))).map((e) => e.requestId))];
  const summary = (s: TabSession) =>
    s
      .exchanges()
      .map((e) => ({ id: e.id, verdict: e.verdict, preflight: e.preflight?.observed ?? null, response: e.response?.statusCode ?? null, findings: e.findings.map((f) => f.id) }))
      .sort((a, b) => Number(a.id) - Number(b.id));

  it('gives the same exchanges when a request\'s onSendHeaders comes after its response and error', () => {
    for (const s of scenarios) {
      for (const id of sentRequests(s.events)) {
        const first = s.events.findIndex((e) => e.requestId === id && e.kind === 'send');
        const send = s.events[first]!;
        // Only the first leg: a redirected request sends again, and that order is the browser's.
        const rest = s.events.filter((_, i) => i !== first);
        const lastOfIt = rest.reduce((at, e, i) => (e.requestId === id ? i : at), -1);
        const late = [...rest.slice(0, lastOfIt + 1), send, ...rest.slice(lastOfIt + 1)];
        if (s.events.some((e) => e.requestId === id && e.kind === 'send' && e !== send)) continue;
        const reordered = replay(late);
        expect(summary(reordered), `${s.name} #${id}`).toEqual(summary(replay(s.events)));
        // Listed from when it was sent (or its preflight was), not from when its response came.
        expect(reordered.exchange(id)!.startedAt, `${s.name} #${id}`).toBeLessThanOrEqual(send.timeStamp);
      }
    }
  });

  it('keeps a request whose onSendHeaders never came, with its response, preflight and verdict', () => {
    let kept = 0;
    for (const s of scenarios) {
      for (const id of sentRequests(s.events)) {
        const full = replay(s.events).exchange(id);
        if (!full || full.request.headers.length === 0 || s.events.filter((e) => e.requestId === id && e.kind === 'send').length > 1) continue;
        const partial = replay(s.events.filter((e) => !(e.requestId === id && e.kind === 'send'))).exchange(id);
        // Without a response there is nothing but the error to list it by (the onError path, tested above).
        if (full.method === 'OPTIONS' || full.response === null) continue;
        expect(partial, `${s.name} #${id}`).toBeDefined();
        expect(partial!.response, `${s.name} #${id}`).toEqual(full.response);
        expect(partial!.request.headers.filter(([n]) => n !== 'origin'), `${s.name} #${id}`).toEqual([]);
        expect(partial!.verdict, `${s.name} #${id}`).toBe(full.verdict);
        // A method that needs a preflight claims the one sent for it; a safelisted one cannot know it had one.
        if (full.preflight?.observed === 'sent' && !isCorsSafelistedMethod(full.method)) expect(partial!.preflight?.observed, `${s.name} #${id}`).toBe('sent');
        if (full.verdict === 'blocked') expect(partial!.findings[0]?.chromeCorsError, `${s.name} #${id}`).toBe(full.findings[0]?.chromeCorsError);
        kept++;
      }
    }
    expect(kept).toBeGreaterThan(10);
  });

  it('lists exchanges in the order their requests started, whatever order the worker saw them in', () => {
    const at = (requestId: string, timeStamp: number) => ({ requestId, tabId: 1, frameId: 0, documentId: 'd', initiator: 'http://a.test', url: `http://b.test/${requestId}`, method: 'GET', type: 'xmlhttprequest', timeStamp });
    const session = replay([
      // A restarted worker: request 102's response first, then the starts of 100, 101 and 102.
      { kind: 'headers', ...at('102', 150), statusCode: 200, headers: [['access-control-allow-origin', 'http://a.test']] },
      { kind: 'send', ...at('100', 100), headers: [['origin', 'http://a.test']] },
      { kind: 'send', ...at('101', 120), headers: [['origin', 'http://a.test']] },
      { kind: 'send', ...at('102', 140), headers: [['origin', 'http://a.test']] },
    ]);
    expect(session.exchanges().map((e) => e.id)).toEqual(['100', '101', '102']);
  });

  it('does not turn a same-origin or an extension\'s response into an exchange, nor an OPTIONS it cannot place', () => {
    const base = { requestId: '5', tabId: 1, frameId: 0, documentId: 'd', type: 'xmlhttprequest', timeStamp: 1, statusCode: 200, headers: [] as [string, string][] };
    const session = replay([
      { kind: 'headers', ...base, initiator: 'http://a.test', url: 'http://a.test/x', method: 'GET' },
      { kind: 'headers', ...base, requestId: '6', initiator: 'chrome-extension://abc', url: 'http://b.test/x', method: 'GET' },
      { kind: 'headers', ...base, requestId: '7', initiator: 'http://a.test', url: 'http://b.test/x', method: 'OPTIONS' },
    ]);
    expect(session.size).toBe(0);
    expect(session.skipped).toEqual({});
  });
});
