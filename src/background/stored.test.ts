/** The decoder of what storage.session holds: pure, so every case is built here without a browser. */
import { describe, expect, it } from 'vitest';
import { HeaderDictionary } from '../traffic/compact';
import { TabSession } from '../traffic/session';
import type { CaptureEvent } from '../traffic/events';
import { DICT_CHUNK, decodeStorage, storageKey } from './stored';

const PAGE = 'http://127.0.0.1:8701';
const at = (id: string) => ({ requestId: id, tabId: 3, frameId: 0, documentId: 'doc', initiator: PAGE, url: `http://localhost:8702/${id}`, type: 'xmlhttprequest', timeStamp: Number(id) });

/** What a worker would have written for these events, through the same dictionary. */
function storedFor(events: CaptureEvent[]): Record<string, unknown> {
  const s = new TabSession(3, 100);
  for (const ev of events) s.handle(ev);
  const dict = new HeaderDictionary();
  const all: Record<string, unknown> = {};
  for (const ex of s.exchanges()) all[storageKey.record(3, ex.id)] = dict.recordText(s.record(ex.id)!);
  for (const p of s.state().waiting) all[storageKey.waiting(3, p.requestId)] = dict.preflightText(p);
  all[storageKey.tail(0)] = [...dict.lines];
  all[storageKey.meta(3)] = JSON.stringify(s.meta());
  return all;
}

const get = (id: string): CaptureEvent => ({ kind: 'send', ...at(id), method: 'GET', headers: [['origin', PAGE], ['x-id', id]] });
const preflight = (id: string): CaptureEvent => ({ kind: 'send', ...at(id), url: 'http://localhost:8702/p', method: 'OPTIONS', headers: [['access-control-request-method', 'PUT'], ['origin', PAGE]] });

describe('decodeStorage', () => {
  it('reads nothing from nothing', () => {
    const d = decodeStorage({});
    expect(d.sessions).toEqual([]);
    expect(d.bad).toEqual([]);
    expect(d.dict.lines).toEqual([]);
  });

  it('gives back the sessions a worker wrote: records in start order, waiting preflights, the scope', () => {
    const all = { ...storedFor([get('12'), get('10'), preflight('11')]), scope: { tabs: [3] } };
    const d = decodeStorage(all);
    expect(d.bad).toEqual([]);
    expect(d.scope).toEqual({ tabs: [3] });
    expect(d.sessions).toHaveLength(1);
    const [state] = d.sessions;
    expect(state!.records.map((r) => r.id)).toEqual(['10', '12']);
    expect(state!.records[1]!.request!.headers).toContainEqual(['x-id', '12']);
    expect(state!.waiting.map((p) => p.requestId)).toEqual(['11']);
    expect(d.waitingKeys).toEqual(['p:3:11']);
  });

  it('lists what it cannot read as bad and what a write emptied as stale, and never throws', () => {
    const all = { ...storedFor([get('10')]), 'x:3:junk': 'not json {', 'x:3:gone': '', 'p:3:gone': '', 'c:3:x y': { url: 1 }, 'm:4': 'nope', 'd:0': 'not a list', 't:9': 5 };
    const d = decodeStorage(all);
    expect(d.bad.sort()).toEqual(['c:3:x y', 'd:0', 'm:4', 't:9', 'x:3:junk']);
    expect(d.stale.sort()).toEqual(['p:3:gone', 'x:3:gone']);
    expect(d.sessions.map((s) => s.tabId)).toEqual([3]);
  });

  it('a waiting preflight a stored record owns is stale, not waiting twice', () => {
    const all = storedFor([preflight('20'), { kind: 'send', ...at('21'), url: 'http://localhost:8702/p', method: 'PUT', headers: [['origin', PAGE]] }]);
    const owner = decodeStorage(all).sessions[0]!.records[0]!;
    expect(owner.preflight?.requestId).toBe('20');
    const dict = new HeaderDictionary(decodeStorage(all).dict.lines);
    all['p:3:20'] = JSON.stringify(dict.encodePreflight(owner.preflight));
    const d = decodeStorage(all);
    expect(d.stale).toEqual(['p:3:20']);
    expect(d.sessions[0]!.waiting).toEqual([]);
  });

  it('a lost chunk keeps its place: the lines after it keep their numbers', () => {
    const lines = Array.from({ length: 2 * DICT_CHUNK + 1 }, (_, i) => `n\u0000${i}`);
    const d = decodeStorage({ 'd:0': 'lost', 'd:1': lines.slice(DICT_CHUNK, 2 * DICT_CHUNK), [`t:${2 * DICT_CHUNK}`]: [lines.at(-1)] });
    expect(d.bad).toEqual(['d:0']);
    expect(d.chunked).toBe(2 * DICT_CHUNK);
    expect(d.dict.lines[0]).toBe('');
    expect(d.dict.lines[DICT_CHUNK + 1]).toBe(lines[DICT_CHUNK + 1]);
    expect(d.dict.lines[2 * DICT_CHUNK]).toBe(lines.at(-1));
    expect(d.tailKeys).toEqual([{ key: `t:${2 * DICT_CHUNK}`, end: 2 * DICT_CHUNK + 1 }]);
  });
});
