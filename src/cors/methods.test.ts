import { describe, expect, it } from 'vitest';
import { isCorsSafelistedMethod, isForbiddenMethod, normalizeMethod } from './methods';

describe('normalizeMethod (#concept-method-normalize)', () => {
  it.each([
    ['get', 'GET'], ['Get', 'GET'], ['post', 'POST'], ['put', 'PUT'], ['delete', 'DELETE'], ['options', 'OPTIONS'], ['head', 'HEAD'],
    ['patch', 'patch'], ['Patch', 'Patch'], ['PATCH', 'PATCH'], ['purge', 'purge'], ['', ''], ['GETX', 'GETX'], ['ge t', 'ge t'],
    ['delet\u0130', 'delet\u0130'],
  ])('%j → %j', (input, out) => expect(normalizeMethod(input)).toBe(out));
});

describe('isCorsSafelistedMethod (#cors-safelisted-method)', () => {
  it.each([
    ['GET', true], ['HEAD', true], ['POST', true],
    ['PUT', false], ['DELETE', false], ['PATCH', false], ['OPTIONS', false], ['get', false], ['', false],
  ])('%s → %s', (m, out) => expect(isCorsSafelistedMethod(m)).toBe(out));
});

describe('isForbiddenMethod (#forbidden-method)', () => {
  it.each([
    ['CONNECT', true], ['connect', true], ['TRACE', true], ['track', true], ['GET', false], ['TRACES', false], ['', false],
  ])('%s → %s', (m, out) => expect(isForbiddenMethod(m)).toBe(out));
});
