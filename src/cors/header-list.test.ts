import { describe, expect, it } from 'vitest';
import { byteLength, getHeader, isToken, normalizeHeaderValue, parseTokenList, splitList } from './header-list';

describe('header list helpers', () => {
  it('getHeader combines duplicates with ", " and trims', () => {
    expect(getHeader([['a', ' 1 '], ['b', '2'], ['a', '3']], 'a')).toBe('1, 3');
    expect(getHeader([], 'a')).toBeNull();
    expect(getHeader(null, 'a')).toBeNull();
  });
  it.each([['  x\t', 'x'], ['\r\n x \n', 'x'], ['', ''], ['a b', 'a b']])('normalizeHeaderValue(%j) → %j', (i, o) => expect(normalizeHeaderValue(i)).toBe(o));
  it.each([['PUT', true], ['x-custom', true], ["!#$%&'*+-.^_`|~", true], ['', false], ['a b', false], ['a;b', false], ['\u00e9', false]])(
    'isToken(%j) → %s', (s, out) => expect(isToken(s)).toBe(out));
  it('splitList drops empty elements', () => expect(splitList(' a, ,b ,')).toEqual(['a', 'b']));
  it('parseTokenList fails on any non-token', () => {
    expect(parseTokenList('GET, PUT')).toEqual(['GET', 'PUT']);
    expect(parseTokenList('GET, P UT')).toBeNull();
    expect(parseTokenList(null)).toEqual([]);
  });
  it.each([['abc', 3], ['é', 2], ['€', 3], ['😀', 4], ['\ud800', 3]])('byteLength(%j) → %i', (s, n) => expect(byteLength(s)).toBe(n));
});
