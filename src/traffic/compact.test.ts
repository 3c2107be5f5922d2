/** The stored text of records: what the store writes must read back as the record it was. */
import { describe, expect, it } from 'vitest';
import { HeaderDictionary } from './compact';
import { TabSession } from './session';
import type { CaptureEvent } from './events';
import type { ExchangeRecord } from './record';

const PAGE = 'http://127.0.0.1:8701';
const at = (id: string, url = `http://localhost:8702/${id}`) => ({ requestId: id, tabId: 3, frameId: 0, documentId: 'doc', initiator: PAGE, url, type: 'xmlhttprequest', timeStamp: Number(id) });

/** A session with a simple request, a preflighted one (its preflight answered), a redirect and an overridden response. */
function records(): ExchangeRecord[] {
  const s = new TabSession(3, 100);
  const events: CaptureEvent[] = [
    { kind: 'send', ...at('1'), method: 'GET', headers: [['origin', PAGE], ['x-id', '1']] },
    { kind: 'headers', ...at('1'), method: 'GET', statusCode: 200, headers: [['access-control-allow-origin', '*']] },
    { kind: 'send', ...at('2', 'http://localhost:8702/p'), method: 'OPTIONS', headers: [['access-control-request-method', 'PUT'], ['origin', PAGE]] },
    { kind: 'headers', ...at('2', 'http://localhost:8702/p'), method: 'OPTIONS', statusCode: 204, headers: [['access-control-allow-methods', 'PUT']] },
    { kind: 'send', ...at('3', 'http://localhost:8702/p'), method: 'PUT', headers: [['origin', PAGE]] },
    { kind: 'headers', ...at('3', 'http://localhost:8702/p'), method: 'PUT', statusCode: 200, headers: [['x-long', 'v'.repeat(600)]] },
    { kind: 'completed', ...at('3', 'http://localhost:8702/p'), method: 'PUT', statusCode: 200, headers: [['x-other', '1']] },
    { kind: 'send', ...at('4'), method: 'GET', headers: [['origin', PAGE]] },
    { kind: 'headers', ...at('4'), method: 'GET', statusCode: 302, headers: [['location', 'http://localhost:8703/x']] },
    { kind: 'send', ...at('4', 'http://localhost:8703/x'), method: 'GET', headers: [['origin', 'null']] },
    { kind: 'error', ...at('4', 'http://localhost:8703/x'), method: 'GET', error: 'net::ERR_FAILED' },
  ];
  for (const ev of events) s.handle(ev);
  return s.state().records;
}

describe('HeaderDictionary.recordText', () => {
  it('reads back as the record, as does the older form with every field (encodeRecord)', () => {
    const recs = records();
    expect(recs.map((r) => [Boolean(r.preflight), r.redirects.length, Boolean(r.finalResponse)])).toContainEqual([true, 0, true]);
    expect(recs.some((r) => r.redirects.length > 0 && r.error !== null && r.currentUrl !== r.url)).toBe(true);
    const dict = new HeaderDictionary();
    for (const r of recs) {
      const text = dict.recordText(r);
      const older = JSON.stringify(dict.encodeRecord(r));
      expect(text.length).toBeLessThan(older.length);
      const reader = new HeaderDictionary([...dict.lines]);
      expect(reader.decodeRecord(JSON.parse(text))).toEqual(r);
      expect(reader.decodeRecord(JSON.parse(older))).toEqual(r);
      if (r.preflight) {
        expect(reader.decodePreflight(JSON.parse(dict.preflightText(r.preflight)))).toEqual(r.preflight);
        expect(reader.decodePreflight(JSON.parse(JSON.stringify(dict.encodePreflight(r.preflight))))).toEqual(r.preflight);
      }
    }
  });

  it('a preflight that failed keeps its error', () => {
    const dict = new HeaderDictionary();
    const p = { requestId: '9', key: 'k', requestHeaderNames: 'x-a', startedAt: 1, request: { headers: [] }, response: null, finalResponse: null, error: 'net::ERR_FAILED' };
    expect(dict.decodePreflight(JSON.parse(dict.preflightText(p)))).toEqual(p);
  });

  it('reuses a message\'s text, and a record whose message was replaced gets the new one', () => {
    const [rec] = records();
    const dict = new HeaderDictionary();
    const first = dict.recordText(rec!);
    expect(dict.messageText(rec!.request)).toBe(dict.messageText(rec!.request));
    const lines = dict.lines.length;
    expect(dict.recordText(rec!)).toBe(first);
    expect(dict.lines.length).toBe(lines);
    rec!.response = { statusCode: 500, headers: [['x-new', '1']] };
    const text = dict.recordText(rec!);
    expect(new HeaderDictionary([...dict.lines]).decodeRecord(JSON.parse(text))?.response).toEqual(rec!.response);
  });

  it('writes every field encodeRecord writes, when none is at its default', () => {
    const message = { statusCode: 200, headers: [['a', '1']] as Array<[string, string]> };
    const p = { requestId: 'p', key: 'k', requestHeaderNames: 'x-a', startedAt: 1, request: { headers: [] }, response: message, finalResponse: { statusCode: 204, headers: [] }, error: 'e' };
    const full: Required<ExchangeRecord> = {
      id: '1', tabId: 3, startedAt: 2, url: 'http://a.test/', currentUrl: 'http://b.test/', method: 'PUT', initiatorOrigin: PAGE, resourceType: 'xmlhttprequest',
      request: { headers: [['x-a', '1']] }, redirects: [{ statusCode: 302, location: 'http://b.test/', headers: [] }], response: message, finalResponse: { statusCode: 500, headers: [] },
      error: 'net::ERR_FAILED', preflight: p, preflightObserved: 'sent', cacheExpiresAt: 9, browser: 'firefox', preflightKey: 'k',
    };
    const dict = new HeaderDictionary();
    const keys = (text: string) => Object.keys(JSON.parse(text) as object).sort();
    expect(keys(dict.recordText(full))).toEqual(keys(JSON.stringify(dict.encodeRecord(full))));
    expect(keys(dict.preflightText(p))).toEqual(keys(JSON.stringify(dict.encodePreflight(p))));
    expect(dict.decodeRecord(JSON.parse(dict.recordText(full)))).toEqual(full);
  });
});
