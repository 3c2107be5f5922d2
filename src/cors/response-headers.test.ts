import { describe, expect, it } from 'vitest';
import { exposedResponseHeaderNames, isCorsSafelistedResponseHeaderName, parseExposeHeaders } from './response-headers';
import type { HeaderList } from './types';

describe('response headers a script may read', () => {
  it.each([
    ['Cache-Control', true], ['content-language', true], ['content-length', true], ['content-type', true], ['expires', true],
    ['last-modified', true], ['pragma', true], ['x-jwt-token', false], ['set-cookie', false], ['date', false],
  ])('isCorsSafelistedResponseHeaderName(%s) → %s', (n, out) => expect(isCorsSafelistedResponseHeaderName(n)).toBe(out));

  it('Access-Control-Expose-Headers parses as a token list', () => {
    expect(parseExposeHeaders([['access-control-expose-headers', 'X-jwt-token, X-Total']])).toEqual(['x-jwt-token', 'x-total']);
    expect(parseExposeHeaders([['access-control-expose-headers', 'x a']])).toBeNull();
    expect(parseExposeHeaders([])).toEqual([]);
  });

  const headers: HeaderList = [
    ['content-type', 'application/json'], ['x-jwt-token', 't'], ['date', 'd'], ['set-cookie', 'a=b'],
    ['access-control-expose-headers', 'X-jwt-token'],
  ];
  it('exposes the safelist plus the listed names', () => {
    expect(exposedResponseHeaderNames(headers, false)).toEqual(['content-type', 'x-jwt-token']);
  });
  it('* exposes everything but Set-Cookie, only without credentials', () => {
    const star: HeaderList = [...headers.slice(0, 4), ['access-control-expose-headers', '*']];
    expect(exposedResponseHeaderNames(star, false)).toEqual(['access-control-expose-headers', 'content-type', 'date', 'x-jwt-token']);
    expect(exposedResponseHeaderNames(star, true)).toEqual(['content-type']);
  });
});
