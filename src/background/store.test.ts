/**
 * The session store against a fake storage.session (the polyfill's `browser`, which in Chrome hands
 * storage.session through from `chrome` as it is): it survives any garbage found in
 * storage (counting it), writes records as compact strings, and a full quota loses nothing in memory
 * and nothing already stored.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaptureEvent } from '../traffic/events';

// The polyfill refuses to load outside an extension: the store gets the fake `chrome` stubbed below.
vi.mock('../shared/browser', () => ({
  get browser() {
    return (globalThis as unknown as { chrome: unknown }).chrome;
  },
}));

let data: Record<string, unknown>;
let quota = Infinity;

const sizeOf = (v: Record<string, unknown>) => JSON.stringify(v).length;

beforeEach(() => {
  data = {};
  quota = Infinity;
  vi.stubGlobal('chrome', {
    storage: {
      session: {
        get: async () => structuredClone(data),
        set: async (items: Record<string, unknown>) => {
          const next = { ...data, ...structuredClone(items) };
          if (sizeOf(next) > quota) throw new Error('Session storage quota bytes exceeded. Values were not stored.');
          data = next;
        },
        remove: async (keys: string | string[]) => {
          for (const k of Array.isArray(keys) ? keys : [keys]) delete data[k];
        },
      },
    },
  });
});
/** The stores a test made: each writes what it still has due before the next test, so none writes into it. */
let made: Array<{ flush(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(made.map((s) => s.flush()));
  made = [];
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

const PAGE = 'http://127.0.0.1:8701';
const API = 'http://localhost:8702';

function send(i: number, tabId = 7): CaptureEvent {
  return {
    kind: 'send', requestId: String(1000 + i), tabId, frameId: 0, documentId: 'doc', initiator: PAGE, url: `${API}/api?i=${i}`, method: 'GET', type: 'xmlhttprequest', timeStamp: 1_000_000 + i,
    headers: [['origin', PAGE], ['user-agent', 'test'], ['x-n', String(i)]],
  };
}
function headers(i: number, tabId = 7): CaptureEvent {
  return {
    kind: 'headers', requestId: String(1000 + i), tabId, frameId: 0, documentId: 'doc', initiator: PAGE, url: `${API}/api?i=${i}`, method: 'GET', type: 'xmlhttprequest', timeStamp: 1_000_001 + i,
    statusCode: 200, headers: [['access-control-allow-origin', PAGE], ['content-type', 'text/plain']],
  };
}

async function fresh(cap = 100) {
  const { SessionStore } = await import('./store');
  const store = new SessionStore(cap);
  made.push(store);
  return store;
}

describe('SessionStore persistence', () => {
  it('writes records as strings and reads them back, headers and all', async () => {
    const a = await fresh();
    for (let i = 0; i < 5; i++) {
      a.handle(send(i));
      a.handle(headers(i));
    }
    await a.flush();
    const keys = Object.keys(data).filter((k) => k.startsWith('x:'));
    expect(keys).toHaveLength(5);
    for (const k of keys) expect(typeof data[k]).toBe('string');
    const b = await fresh();
    await b.restore();
    expect(b.discarded).toBe(0);
    const ex = b.peek(7)!.exchanges();
    expect(ex.map((e) => e.url)).toEqual([0, 1, 2, 3, 4].map((i) => `${API}/api?i=${i}`));
    expect(ex[3]!.request.headers).toContainEqual(['x-n', '3']);
    expect(ex[3]!.verdict).toBe('allowed');
  });

  it('survives garbage in every key it owns, counts it, and removes it', async () => {
    const a = await fresh();
    for (let i = 0; i < 3; i++) {
      a.handle(send(i));
      a.handle(headers(i));
    }
    await a.flush();
    Object.assign(data, {
      'x:7:junk-number': 42,
      'x:7:junk-text': 'not json {',
      'x:7:junk-object': { id: 5 },
      'x:7:junk-shape': JSON.stringify({ id: 'a', url: 'u', method: 'GET', initiatorOrigin: 'o', redirects: [], startedAt: 1, request: { h: 7 } }),
      'x:7:junk-null': null,
      'x:8:junk-array': [1, 2, 3],
      'm:9': 'nope',
      'm:8': { waiting: 'x', cache: [1, { url: 2 }], ignored: [[1], 'x'], dropped: 'many', skipped: 5 },
      'd:5': 'not an array',
      scope: { tabs: 'all of them' },
    });
    const b = await fresh();
    await expect(b.restore()).resolves.toEqual({ tabs: 'all of them' });
    expect(b.discarded).toBe(8);
    // The good records survive; the gap left by the lost dictionary chunk shifts no header.
    expect(b.peek(7)!.exchanges().map((e) => e.request.headers.find(([n]) => n === 'x-n')?.[1])).toEqual(['0', '1', '2']);
    expect(b.peek(9)).toBeUndefined();
    expect(b.peek(8)!.size).toBe(0);
    // Capture goes on in the restored sessions.
    b.handle(send(3));
    b.handle(headers(3));
    b.handle(send(0, 8));
    await b.flush();
    expect(b.peek(7)!.size).toBe(4);
    expect(b.peek(8)!.size).toBe(1);
    // Garbage is gone from storage; the count is kept where the panel can read it.
    expect(Object.keys(data).filter((k) => k.includes('junk'))).toEqual([]);
    expect(data.health).toEqual({ discarded: 8 });
    const c = await fresh();
    await c.restore();
    expect(c.discarded).toBe(0);
    expect(c.peek(7)!.size).toBe(4);
  });

  it('a lost dictionary chunk drops only the headers that used it', async () => {
    const a = await fresh(2_000);
    // Over 1,024 distinct header lines: two full dictionary chunks, the rest in tail keys.
    for (let i = 0; i < 1100; i++) {
      a.handle(send(i));
      a.handle(headers(i));
      if (i % 100 === 99) await a.flush();
    }
    await a.flush();
    expect(Object.keys(data).filter((k) => k.startsWith('d:')).sort()).toEqual(['d:0', 'd:1']);
    data['d:0'] = { broken: true };
    const b = await fresh(2_000);
    await b.restore();
    expect(b.discarded).toBe(1);
    const xn = (id: string) => b.peek(7)!.exchange(id)!.request.headers.find(([n]) => n === 'x-n')?.[1];
    // Lines of chunk 1 and of the tail still decode to the right text; those of chunk 0 are gone.
    expect([xn('1100'), xn('1900'), xn('2099')]).toEqual([undefined, '900', '1099']);
  });

  it('an abrupt stop before the batch: new dictionary lines are in tail keys, and a restart reads them', async () => {
    vi.useFakeTimers({ now: 2_000_000 });
    const a = await fresh(1000);
    for (let i = 0; i < 5; i++) {
      a.handle(send(i));
      await vi.advanceTimersByTimeAsync(0);
    }
    // The batch (FLUSH_MS) did not run after the first: the lines since are in t: keys.
    expect(Object.keys(data).some((k) => k.startsWith('t:'))).toBe(true);
    const b = await fresh();
    await b.restore();
    expect(b.discarded).toBe(0);
    expect(b.peek(7)!.exchanges().map((e) => e.request.headers.find(([n]) => n === 'x-n')?.[1])).toEqual(['0', '1', '2', '3', '4']);
    // A chunk is written once it is full: until then the batch leaves the lines in their tail keys.
    await a.flush();
    expect(Object.keys(data).filter((k) => k.startsWith('d:'))).toEqual([]);
    // An unreadable tail key is counted and removed, and costs nothing else.
    data['t:100000'] = 'not a list';
    const c = await fresh();
    await c.restore();
    expect(c.discarded).toBe(1);
    expect(data['t:100000']).toBeUndefined();
    expect(c.peek(7)!.size).toBe(5);
    expect(c.peek(7)!.exchanges().at(-1)!.request.headers).toContainEqual(['x-n', '4']);
    // Past 512 lines, the batch writes the full chunk and drops the tail keys it covers.
    for (let i = 5; i < 600; i++) a.handle(send(i));
    await vi.advanceTimersByTimeAsync(0);
    await a.flush();
    expect(Object.keys(data).filter((k) => k.startsWith('d:'))).toEqual(['d:0']);
    expect((data['d:0'] as string[]).length).toBe(512);
    for (const [k, v] of Object.entries(data)) if (k.startsWith('t:')) expect(Number(k.slice(2)) + (v as string[]).length).toBeGreaterThan(512);
    const d = await fresh(1000);
    await d.restore();
    expect(d.discarded).toBe(0);
    expect(d.peek(7)!.exchanges().map((e) => e.request.headers.find(([n]) => n === 'x-n')?.[1])).toEqual(Array.from({ length: 600 }, (_, i) => String(i)));
  });

  it('an abrupt stop between a preflight and its request: the restarted worker pairs them', async () => {
    vi.useFakeTimers({ now: 3_000_000 });
    const at = { tabId: 7, frameId: 0, documentId: 'doc', initiator: PAGE, url: `${API}/api?i=1`, type: 'xmlhttprequest' };
    const a = await fresh();
    a.handle({ kind: 'send', requestId: '50', ...at, method: 'OPTIONS', timeStamp: 1, headers: [['access-control-request-method', 'PUT'], ['access-control-request-headers', 'x-burst'], ['origin', PAGE]] });
    a.handle({ kind: 'headers', requestId: '50', ...at, method: 'OPTIONS', timeStamp: 2, statusCode: 204, headers: [['access-control-allow-origin', PAGE], ['access-control-allow-methods', 'PUT'], ['access-control-allow-headers', 'x-burst']] });
    // Only the writes sent in the task of the events: no batch ran.
    await vi.advanceTimersByTimeAsync(0);
    const b = await fresh();
    await b.restore();
    b.handle({ kind: 'send', requestId: '49', ...at, method: 'PUT', timeStamp: 3, headers: [['origin', PAGE], ['x-burst', '1']] });
    const ex = b.peek(7)!.exchange('49')!;
    expect(ex.preflight?.observed).toBe('sent');
    expect(ex.preflight?.response?.statusCode).toBe(204);
  });

  it('each waiting preflight is written once, under its own key, and its key goes when its request claims it', async () => {
    vi.useFakeTimers({ now: 4_000_000 });
    const storage = (globalThis as unknown as { chrome: { storage: { session: { set(i: object): Promise<void>; remove(k: string[]): Promise<void> } } } }).chrome.storage.session;
    const set = vi.spyOn(storage, 'set');
    const remove = vi.spyOn(storage, 'remove');
    const at = (i: number) => ({ tabId: 7, frameId: 0, documentId: 'doc', initiator: PAGE, url: `${API}/api?i=${i}`, type: 'xmlhttprequest' });
    const a = await fresh();
    for (let i = 0; i < 200; i++) {
      a.handle({ kind: 'send', requestId: String(5000 + i), ...at(i), method: 'OPTIONS', timeStamp: i, headers: [['access-control-request-method', 'PUT'], ['origin', PAGE]] });
      await vi.advanceTimersByTimeAsync(1);
    }
    const keys = set.mock.calls.flatMap(([items]) => Object.keys(items)).filter((k) => k.startsWith('p:'));
    expect(keys).toHaveLength(200);
    expect(new Set(keys).size).toBe(200);
    // Its request claims one: the write carries that exchange, not the 199 still waiting.
    set.mockClear();
    remove.mockClear();
    a.handle({ kind: 'send', requestId: '4999', ...at(7), method: 'PUT', timeStamp: 300, headers: [['origin', PAGE]] });
    await vi.advanceTimersByTimeAsync(0);
    expect(set.mock.calls.flatMap(([items]) => Object.entries(items)).filter(([k]) => !k.startsWith('t:'))).toEqual([['x:7:4999', expect.any(String)], ['p:7:5007', '']]);
    // In that same call: no `remove` beside it. The emptied key goes with the next batch.
    expect(remove).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(200);
    expect(remove.mock.calls.flat(2)).toContain('p:7:5007');
    expect(Object.keys(data).filter((k) => k.startsWith('p:'))).toHaveLength(199);
  });

  it('a preflight key whose removal a stop cut off is not restored as waiting twice', async () => {
    vi.useFakeTimers({ now: 5_000_000 });
    const at = { tabId: 7, frameId: 0, documentId: 'doc', initiator: PAGE, url: `${API}/api?i=1`, type: 'xmlhttprequest' };
    const a = await fresh();
    a.handle({ kind: 'send', requestId: '60', ...at, method: 'OPTIONS', timeStamp: 1, headers: [['access-control-request-method', 'PUT'], ['origin', PAGE]] });
    await vi.advanceTimersByTimeAsync(0);
    const preflightKey = data['p:7:60'];
    a.handle({ kind: 'send', requestId: '59', ...at, method: 'PUT', timeStamp: 2, headers: [['origin', PAGE]] });
    await vi.advanceTimersByTimeAsync(0);
    expect(data['p:7:60']).toBe('');
    // Stopped here, before the batch: the emptied key is dropped at restart, silently.
    const c = await fresh();
    await c.restore();
    expect(c.discarded).toBe(0);
    expect(data['p:7:60']).toBeUndefined();
    // Or the emptying write was lost too: the record that owns the preflight tells.
    data['p:7:60'] = preflightKey;
    const b = await fresh();
    await b.restore();
    expect(b.discarded).toBe(0);
    expect(data['p:7:60']).toBeUndefined();
    // A second PUT to the URL finds no preflight to claim: the first one's is its own.
    b.handle({ kind: 'send', requestId: '61', ...at, method: 'PUT', timeStamp: 3, headers: [['origin', PAGE]] });
    expect(b.peek(7)!.exchange('61')!.preflight?.observed).not.toBe('sent');
    expect(b.peek(7)!.exchange('59')!.preflight?.observed).toBe('sent');
  });

  it('records dropped at the cap are emptied by the write that drops them, and gone after the batch', async () => {
    vi.useFakeTimers({ now: 6_000_000 });
    const a = await fresh(5);
    for (let i = 0; i < 5; i++) a.handle(send(i));
    await vi.advanceTimersByTimeAsync(10);
    for (let i = 5; i < 8; i++) a.handle(send(i));
    await vi.advanceTimersByTimeAsync(0);
    // Stopped before the batch: the emptied keys are not read back as records, nor counted as damage.
    expect(Object.entries(data).filter(([k, v]) => k.startsWith('x:') && v === '').length).toBeGreaterThan(0);
    const stopped = structuredClone(data);
    const b = await fresh(5);
    await b.restore();
    expect(b.discarded).toBe(0);
    expect(b.peek(7)!.exchanges().map((e) => e.id)).toEqual(['1003', '1004', '1005', '1006', '1007']);
    // Not restarted after all: the batch removes the emptied keys itself.
    data = stopped;
    await a.flush();
    await vi.advanceTimersByTimeAsync(200);
    expect(Object.keys(data).filter((k) => k.startsWith('x:')).sort()).toEqual(['x:7:1003', 'x:7:1004', 'x:7:1005', 'x:7:1006', 'x:7:1007']);
  });

  it('the preflight-cache model is written entry by entry, and a restarted worker still knows what is cached', async () => {
    vi.useFakeTimers({ now: 7_000_000 });
    const set = vi.spyOn((globalThis as unknown as { chrome: { storage: { session: { set(i: object): Promise<void> } } } }).chrome.storage.session, 'set');
    const at = (i: number) => ({ tabId: 7, frameId: 0, documentId: 'doc', initiator: PAGE, url: `${API}/api?i=${i}`, type: 'xmlhttprequest' });
    const a = await fresh();
    const preflighted = (i: number) => {
      a.handle({ kind: 'send', requestId: String(7000 + i), ...at(i), method: 'OPTIONS', timeStamp: 7_000_000 + i, headers: [['access-control-request-method', 'PUT'], ['origin', PAGE]] });
      a.handle({ kind: 'headers', requestId: String(7000 + i), ...at(i), method: 'OPTIONS', timeStamp: 7_000_000 + i, statusCode: 204, headers: [['access-control-allow-origin', PAGE], ['access-control-allow-methods', 'PUT'], ['access-control-max-age', '600']] });
      a.handle({ kind: 'send', requestId: String(8000 + i), ...at(i), method: 'PUT', timeStamp: 7_000_000 + i, headers: [['origin', PAGE]] });
    };
    for (let i = 0; i < 20; i++) preflighted(i);
    await vi.advanceTimersByTimeAsync(200);
    const cacheKeys = () => set.mock.calls.flatMap(([items]) => Object.keys(items)).filter((k) => k.startsWith('c:'));
    expect(cacheKeys()).toHaveLength(20);
    set.mockClear();
    preflighted(20);
    await vi.advanceTimersByTimeAsync(200);
    expect(cacheKeys()).toEqual([`c:7:${PAGE} ${API}/api?i=20`]);
    expect(String(data['m:7'])).not.toContain('expiresAt');
    const b = await fresh();
    await b.restore();
    b.handle({ kind: 'send', requestId: '9003', ...at(3), method: 'PUT', timeStamp: 7_000_100, headers: [['origin', PAGE]] });
    expect(b.peek(7)!.exchange('9003')!.preflight?.observed).toBe('cached');
  });

  it('a record dropped and made again before the write (a late event after Clear) is stored, not emptied', async () => {
    vi.useFakeTimers({ now: 8_000_000 });
    const a = await fresh();
    a.handle(send(0));
    await vi.advanceTimersByTimeAsync(200);
    a.clear(7);
    a.handle({ kind: 'error', requestId: '1000', tabId: 7, frameId: 0, documentId: 'doc', initiator: PAGE, url: `${API}/api?i=0`, method: 'GET', type: 'xmlhttprequest', timeStamp: 1_000_002, error: 'net::ERR_FAILED' });
    await vi.advanceTimersByTimeAsync(200);
    expect(a.peek(7)!.size).toBe(1);
    expect(typeof data['x:7:1000']).toBe('string');
    expect(data['x:7:1000']).not.toBe('');
    const b = await fresh();
    await b.restore();
    expect(b.peek(7)!.exchange('1000')!.error).toBe('net::ERR_FAILED');
  });

  it('a key written again while the batch is storing is not removed by that batch', async () => {
    vi.useFakeTimers({ now: 9_000_000 });
    const storage = (globalThis as unknown as { chrome: { storage: { session: { set(i: Record<string, unknown>): Promise<void> } } } }).chrome.storage.session;
    const a = await fresh();
    a.handle(send(0));
    await vi.advanceTimersByTimeAsync(200);
    a.clear(7);
    a.peek(7)!.preserveLog = true;
    a.stateChanged(7);
    // The batch after the Clear (it stores the session state): while its set is awaited, the record comes back.
    const set = storage.set.bind(storage);
    let held = false;
    storage.set = async (items) => {
      if (!held && Object.keys(items).some((k) => k.startsWith('m:'))) {
        held = true;
        a.handle({ kind: 'error', requestId: '1000', tabId: 7, frameId: 0, documentId: 'doc', initiator: PAGE, url: `${API}/api?i=0`, method: 'GET', type: 'xmlhttprequest', timeStamp: 1_000_002, error: 'net::ERR_FAILED' });
        await Promise.resolve();
      }
      return set(items);
    };
    await vi.advanceTimersByTimeAsync(0);
    expect(held).toBe(true);
    expect(a.peek(7)!.size).toBe(1);
    expect(String(data['x:7:1000'])).toContain('ERR_FAILED');
  });

  it('a write refused for quota leaves no tail key behind to be folded for the retry, and its waiting preflights are sent again', async () => {
    vi.useFakeTimers({ now: 10_000_000 });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const a = await fresh(5_000);
    for (let i = 0; i < 500; i++) a.handle(send(i));
    await vi.advanceTimersByTimeAsync(200);
    // Full: the next lines (past line 512) and a waiting preflight are refused.
    quota = 0;
    for (let i = 500; i < 505; i++) a.handle(send(i));
    a.handle({ kind: 'send', requestId: '77', tabId: 7, frameId: 0, documentId: 'doc', initiator: PAGE, url: `${API}/p`, type: 'xmlhttprequest', method: 'OPTIONS', timeStamp: 1, headers: [['access-control-request-method', 'PUT'], ['origin', PAGE]] });
    await vi.advanceTimersByTimeAsync(0);
    expect(data['p:7:77']).toBeUndefined();
    // Room again: one more request, then the batch folds the full chunk.
    quota = Infinity;
    for (let i = 505; i < 520; i++) a.handle(send(i));
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(200);
    expect(data['d:0']).toBeDefined();
    expect(data['p:7:77']).toBeDefined();
    const b = await fresh(5_000);
    await b.restore();
    expect(b.discarded).toBe(0);
    const xn = b.peek(7)!.exchanges().map((e) => e.request.headers.find(([n]) => n === 'x-n')?.[1]);
    expect(xn.slice(-15)).toEqual(Array.from({ length: 15 }, (_, i) => String(505 + i)));
    b.handle({ kind: 'send', requestId: '78', tabId: 7, frameId: 0, documentId: 'doc', initiator: PAGE, url: `${API}/p`, type: 'xmlhttprequest', method: 'PUT', timeStamp: 2, headers: [['origin', PAGE]] });
    expect(b.peek(7)!.exchange('78')!.preflight?.observed).toBe('sent');
    warn.mockRestore();
  });

  it('a tab whose state key is unreadable keeps its waiting preflight (and so can still pair it)', async () => {
    vi.useFakeTimers({ now: 11_000_000 });
    const at = { tabId: 9, frameId: 0, documentId: 'doc', initiator: PAGE, url: `${API}/q`, type: 'xmlhttprequest' };
    const a = await fresh();
    a.handle({ kind: 'send', requestId: '90', ...at, method: 'OPTIONS', timeStamp: 1, headers: [['access-control-request-method', 'PUT'], ['origin', PAGE]] });
    await vi.advanceTimersByTimeAsync(200);
    data['m:9'] = 'not json {';
    const b = await fresh();
    await b.restore();
    expect(b.discarded).toBe(1);
    b.handle({ kind: 'send', requestId: '91', ...at, method: 'PUT', timeStamp: 2, headers: [['origin', PAGE]] });
    expect(b.peek(9)!.exchange('91')!.preflight?.observed).toBe('sent');
  });

  it('a full quota keeps the session in memory and what storage held readable', async () => {
    const a = await fresh();
    for (let i = 0; i < 3; i++) a.handle(send(i));
    await a.flush();
    const stored = structuredClone(data);
    quota = sizeOf(data) + 10;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    for (let i = 3; i < 10; i++) a.handle(send(i));
    await a.flush();
    a.handle(send(10));
    await a.flush();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(a.unpersisted).toBeGreaterThan(0);
    expect(a.peek(7)!.size).toBe(11);
    expect(data).toEqual(stored);
    // Room again: the dictionary lines held back are written with the next records.
    quota = Infinity;
    a.handle(send(11));
    await a.flush();
    const b = await fresh();
    await b.restore();
    expect(b.discarded).toBe(0);
    const last = b.peek(7)!.exchanges().at(-1)!;
    expect(last.request.headers).toContainEqual(['x-n', '11']);
  });

  it('writes each exchange in the task of its event, and the session state at most once per window', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const set = vi.spyOn((globalThis as unknown as { chrome: { storage: { session: { set(i: object): Promise<void> } } } }).chrome.storage.session, 'set');
    const a = await fresh();
    const written = () => set.mock.calls.flatMap(([items]) => Object.keys(items));
    for (let i = 0; i < 20; i++) {
      a.handle(send(i));
      // No timer runs: an abrupt stop right now must find the record already sent.
      await Promise.resolve();
      expect(written()).toContain(`x:7:${1000 + i}`);
      await vi.advanceTimersByTimeAsync(10);
    }
    // 200 ms of steady traffic: the session state went in one or two batches, not twenty.
    await vi.advanceTimersByTimeAsync(200);
    expect(written().filter((k) => k.startsWith('m:')).length).toBeLessThanOrEqual(3);
    expect(Object.keys(data).filter((k) => k.startsWith('x:'))).toHaveLength(20);
  });
});
