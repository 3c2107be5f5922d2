import { describe, expect, it } from 'vitest';
import { applyFilter, isFiltering, noFilter, warmHaystacks, type Filter } from './filter';
import { blockedPut, exchange, finding } from './testing';

const allowed = exchange({ url: 'http://127.0.0.1:9002/go?s=simple-get', method: 'GET' });
const blocked = blockedPut();
const warned = exchange({
  method: 'POST',
  url: 'http://localhost:9002/echo',
  response: { statusCode: 200, headers: [['access-control-allow-origin', 'http://127.0.0.1:9001'], ['x-jwt-token', 'Secret-Value']] },
  findings: [finding({ id: 'allow-origin-without-vary', severity: 'warning', chromeCorsError: null })],
});
const all = [allowed, blocked, warned];
const f = (over: Partial<Filter>): Filter => ({ ...noFilter(), ...over });
const ids = (xs: { id: string }[]) => xs.map((x) => x.id);

describe('filter', () => {
  it('without a filter keeps everything in order', () => {
    expect(isFiltering(noFilter())).toBe(false);
    expect(ids(applyFilter(all, noFilter()))).toEqual(ids(all));
  });

  it.each([
    ['URL', 'simple-get', [allowed]],
    ['method', 'put', [blocked]],
    ['header name', 'x-jwt-token', [warned]],
    ['header value, case-insensitively', 'secret-value', [warned]],
    ['preflight header', 'access-control-request-headers', [blocked]],
    ['finding title', 'not allowed by the preflight', [blocked]],
    ['Chrome error name', 'HeaderDisallowed', [blocked]],
    ['finding fix', 'X-Custom-Header', [blocked]],
    ['status', '204', [blocked]],
    ['every term (AND)', 'localhost post', [warned]],
    ['nothing', 'no-such-thing', []],
  ])('matches the %s', (_what, text, want) => {
    expect(ids(applyFilter(all, f({ text })))).toEqual(ids(want));
  });

  it('toggles: blocked only, preflighted only, warnings, combined with the text', () => {
    expect(ids(applyFilter(all, f({ blockedOnly: true })))).toEqual([blocked.id]);
    expect(ids(applyFilter(all, f({ preflightedOnly: true })))).toEqual([blocked.id]);
    expect(ids(applyFilter(all, f({ warningsOnly: true })))).toEqual([warned.id]);
    expect(ids(applyFilter(all, f({ blockedOnly: true, text: 'simple-get' })))).toEqual([]);
  });

  // At 10,000 exchanges (its speed, and what it shows) the filter is measured by the bench's Node part (npm run bench).

  it('builds the haystacks in idle slices, so the first keystroke reads none of the exchanges again', () => {
    let reads = 0;
    const counted = Array.from({ length: 50 }, (_, i) => {
      const ex = exchange({ url: `http://127.0.0.1:9002/warm/${i}` });
      const url = ex.url;
      return Object.defineProperty({ ...ex }, 'url', { get: () => (reads++, url) }) as typeof ex;
    });
    const slices: Array<(d: { timeRemaining(): number }) => void> = [];
    const stop = warmHaystacks(counted, { request: (step) => slices.push(step), cancel: () => {} });
    // Each slice stops when its time is up: 10 exchanges' worth (2 ms each, 1 ms margin).
    let left = 0;
    const deadline = { timeRemaining: () => ((left -= 2), left + 2) };
    for (let n = 0; n < slices.length && n < 100; n++) {
      left = 21;
      slices[n]!(deadline);
    }
    expect(slices.length).toBeGreaterThan(1);
    expect(reads).toBe(50);
    applyFilter(counted, f({ text: 'warm/4' }));
    expect(reads).toBe(50);
    stop();
  });

  it('stops warming when told to', () => {
    const slices: Array<(d: { timeRemaining(): number }) => void> = [];
    const cancelled: number[] = [];
    const stop = warmHaystacks([blockedPut(), blockedPut()], { request: (step) => slices.push(step), cancel: (h) => cancelled.push(h) });
    stop();
    expect(cancelled).toEqual([1]);
  });
});
