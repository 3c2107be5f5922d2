import { describe, expect, it } from 'vitest';
import { decisiveHeaders, diffHeaders, fold } from './headers';
import { blockedPut, exchange, finding } from './testing';

describe('decisive headers', () => {
  it('highlights Origin, Allow-Origin, the headers a finding names and the failed parameter', () => {
    const d = decisiveHeaders(blockedPut());
    expect(d.has('origin')).toBe(true);
    expect(d.has('access-control-allow-origin')).toBe(true);
    expect(d.has('access-control-allow-headers')).toBe(true);
    expect(d.has('x-custom-header')).toBe(true);
    expect(d.has('sec-fetch-mode')).toBe(false);
  });

  it('takes the decisive headers from the catalogue entry, not from the words', () => {
    const ex = exchange({
      request: { headers: [['accept', '*/*'], ['origin', 'http://a.test'], ['content-type', 'text/plain']] },
      findings: [finding({ id: 'allow-origin-without-vary', severity: 'warning' })],
      response: { statusCode: 200, headers: [['vary', 'Accept-Encoding']] },
    });
    const d = decisiveHeaders(ex);
    expect(d.has('accept')).toBe(false);
    expect(d.has('content-type')).toBe(false);
    expect(d.has('vary')).toBe(true);
  });

  it('highlights Allow-Credentials when credentials are included', () => {
    expect(decisiveHeaders(exchange({ credentials: { value: 'include', inferred: false, why: '' } })).has('access-control-allow-credentials')).toBe(true);
  });
});

describe('override diff', () => {
  it('marks what the override added, changed and removed', () => {
    const original = { statusCode: 200, headers: [['content-type', 'text/plain'], ['access-control-allow-origin', 'http://x.test'], ['x-gone', '1']] as [string, string][] };
    const final = { statusCode: 200, headers: [['content-type', 'text/plain'], ['access-control-allow-origin', 'http://a.test'], ['access-control-allow-credentials', 'true']] as [string, string][] };
    expect(diffHeaders(original, final)).toEqual([
      { name: 'content-type', value: 'text/plain', change: 'same' },
      { name: 'access-control-allow-origin', value: 'http://a.test', change: 'changed', was: 'http://x.test' },
      { name: 'access-control-allow-credentials', value: 'true', change: 'added' },
      { name: 'x-gone', value: '1', change: 'removed' },
    ]);
    expect(diffHeaders(null, final).every((h) => h.change === 'added')).toBe(true);
  });
});

describe('fold', () => {
  it('folds values past 300 characters', () => {
    expect(fold('short')).toEqual({ shown: 'short', hidden: 0 });
    const long = 'a'.repeat(1000);
    expect(fold(long)).toEqual({ shown: 'a'.repeat(300), hidden: 700 });
  });
});
