import { describe, expect, it } from 'vitest';
import { fixToCopy, expiryText, leadFinding, nameOf, preflightCell, rowOf, statusCell, timeCell } from './format';
import { blockedPut, exchange, finding } from './testing';

describe('row formatting', () => {
  it('names a request by host, path and query', () => {
    expect(nameOf('http://localhost:9002/a/b?x=1')).toBe('localhost:9002/a/b?x=1');
    expect(nameOf('not a url')).toBe('not a url');
  });

  it.each([
    [exchange(), '200'],
    [blockedPut(), 'CORS error'],
    [exchange({ response: null, error: 'net::ERR_CONNECTION_REFUSED', reachedServer: false, verdict: 'failed-before-cors' }), '(failed) net::ERR_CONNECTION_REFUSED'],
    [exchange({ response: null, error: null }), '(pending)'],
  ])('status %#', (ex, want) => expect(statusCell(ex)).toBe(want));

  it('shows the preflight as sent with its status, cached, missing or none', () => {
    expect(preflightCell(blockedPut())).toBe('sent 204');
    const p = blockedPut().preflight!;
    expect(preflightCell(exchange({ preflight: { ...p, observed: 'cached', response: null } }))).toBe('cached');
    // Needed, not seen, and the request went out: Chrome had an answer, most likely from its preflight cache.
    expect(preflightCell(exchange({ preflight: { ...p, observed: 'missing', response: null } }))).toBe('cache (likely)');
    expect(preflightCell(blockedPut({ preflight: { ...p, observed: 'missing', response: null }, request: { headers: [['origin', 'http://127.0.0.1:9001']] } }))).toBe('missing');
    expect(preflightCell(exchange({ preflight: { ...p, response: null, error: 'net::ERR_CONNECTION_REFUSED' } }))).toBe('sent (net::ERR_CONNECTION_REFUSED)');
    expect(preflightCell(exchange())).toBe('none');
  });

  it('leads with the first error, else the first warning', () => {
    const w = finding({ id: 'allow-origin-without-vary', severity: 'warning' });
    const e = finding({ id: 'missing-allow-origin' });
    expect(leadFinding(exchange({ findings: [w, e] }))?.id).toBe('missing-allow-origin');
    expect(leadFinding(exchange({ findings: [w] }))?.id).toBe('allow-origin-without-vary');
  });

  it('formats a row and caches it per exchange object', () => {
    const ex = blockedPut({ startedAt: new Date(2024, 0, 2, 13, 5, 7, 9).getTime() });
    const r = rowOf(ex);
    expect(r).toMatchObject({ path: '/gin?s=custom-header', host: '127.0.0.1:9002', method: 'PUT', status: 'CORS error', preflight: 'sent 204', verdict: 'blocked', tone: 'blocked', time: '13:05:07.009' });
    expect(r.finding).toBe('preflight: x-custom-header not in Access-Control-Allow-Headers');
    // The status of a blocked row is red only when it failed: a 200 whose body the page may not read is not.
    expect(r.statusBad).toBe(true);
    expect(rowOf(exchange({ verdict: 'blocked', response: { statusCode: 200, headers: [] } })).statusBad).toBe(false);
    expect(rowOf(ex)).toBe(r);
    expect(rowOf(exchange({ findings: [finding({ severity: 'warning' })] })).tone).toBe('warning');
    expect(rowOf(exchange({ verdict: 'not-cors' })).verdict).toBe('not CORS');
  });

  it('times and expiries', () => {
    expect(timeCell(new Date(2024, 5, 1, 0, 0, 0, 0).getTime())).toBe('00:00:00.000');
    expect(expiryText(10_000 + 7_200_000, 10_000)).toBe('in 2 h 0 min');
    expect(expiryText(10_000 + 90_000, 10_000)).toBe('in 1 min 30 s');
    expect(expiryText(0, 3_000)).toBe('expired 3 s ago');
  });

  it('copies the header line of a fix, whole, backticks and all', () => {
    const fix = [
      { code: false, text: 'Add ' },
      { code: true, text: 'Access-Control-Allow-Origin: http://a`b.test' },
      { code: false, text: ' to the response.' },
    ];
    expect(fixToCopy(fix)).toBe('Access-Control-Allow-Origin: http://a`b.test');
    expect(fixToCopy([{ code: false, text: 'Answer OPTIONS with 204.' }])).toBe('Answer OPTIONS with 204.');
  });
});
