import { describe, expect, it } from 'vitest';
import {
  accessControlRequestHeaders, corsUnsafeRequestHeaderNames, isBrowserAddedHeader, isCorsNonWildcardRequestHeaderName,
  isCorsSafelistedRequestHeader, isCorsUnsafeRequestHeaderByte, isForbiddenRequestHeader,
} from './request-headers';
import type { HeaderList } from './types';

describe('isCorsUnsafeRequestHeaderByte (#cors-unsafe-request-header-byte)', () => {
  const unsafe = '"():<>?@[\\]{}\u007f';
  it.each([...unsafe].map((c) => [c]))('%j is unsafe', (c) => expect(isCorsUnsafeRequestHeaderByte(c.charCodeAt(0))).toBe(true));
  it('controls other than HT are unsafe', () => {
    for (let c = 0; c < 0x20; c++) expect(isCorsUnsafeRequestHeaderByte(c)).toBe(c !== 0x09);
  });
  it.each([['a'], [' '], ['/'], [';'], ['='], ['*'], [','], ['\u00e9']])('%j is safe', (c) => expect(isCorsUnsafeRequestHeaderByte(c.charCodeAt(0))).toBe(false));
});

describe('isCorsSafelistedRequestHeader (#cors-safelisted-request-header)', () => {
  it.each<[string, string, boolean]>([
    // accept
    ['accept', '*/*', true],
    ['accept', 'application/json, text/plain, */*', true],
    ['accept', 'text/html; q=0.9', true],
    ['accept', 'text/"html"', false],
    ['accept', 'a'.repeat(128), true],
    ['accept', 'a'.repeat(129), false],
    ['accept', '\u00e9'.repeat(64), true], // 128 bytes in UTF-8
    ['accept', '\u00e9'.repeat(65), false], // 130 bytes
    ['accept', 'x\u0000', false],
    ['accept', 'x\ty', true],
    // accept-language / content-language
    ['accept-language', 'en-US,en;q=0.9', true],
    ['accept-language', 'de-CH, *', true],
    ['accept-language', 'en_US', false],
    ['accept-language', 'fr\u00e9', false],
    ['content-language', 'en', true],
    ['content-language', 'en/us', false],
    // content-type
    ['content-type', 'text/plain', true],
    ['content-type', 'text/plain;charset=UTF-8', true],
    ['content-type', 'TEXT/PLAIN; charset=utf-8', true],
    ['content-type', '  text/plain  ', true],
    ['content-type', 'application/x-www-form-urlencoded', true],
    ['content-type', 'multipart/form-data; boundary=----x', true],
    ['content-type', 'application/json', false],
    ['content-type', 'text/plain; charset="utf-8"', false], // `"` is a CORS-unsafe byte
    ['content-type', 'text/plain garbage', false],
    ['content-type', 'text/', false],
    ['content-type', '/plain', false],
    ['content-type', 'textplain', false],
    ['content-type', 'text/plain, application/json', false],
    ['content-type', 'text/plain;' + 'a'.repeat(120), false],
    // range
    ['range', 'bytes=0-', true],
    ['range', 'bytes=0-100', true],
    ['range', 'bytes=100-100', true],
    ['range', 'bytes=-500', false],
    ['range', 'bytes=5-2', false],
    ['range', 'bytes=0-1,5-6', false],
    ['range', 'bytes = 0-1', false],
    ['range', 'items=0-1', false],
    ['range', 'bytes=-', false],
    // anything else
    ['x-custom', '1', false],
    ['authorization', 'Bearer x', false],
    ['cache-control', 'no-cache', false],
    ['dpr', '2', true], // a client hint Chrome safelists
  ])('%s: %j → %s', (n, v, out) => expect(isCorsSafelistedRequestHeader(n, v)).toBe(out));
});

describe('forbidden and browser-added headers', () => {
  it.each<[string, string, boolean]>([
    ['origin', 'x', true], ['cookie', 'a=b', true], ['host', 'x', true], ['content-length', '3', true],
    ['sec-fetch-mode', 'cors', true], ['sec-ch-ua', 'x', true], ['proxy-authorization', 'x', true], ['accept-encoding', 'gzip', true],
    ['x-http-method-override', 'TRACE', true], ['x-http-method-override', 'GET, connect', true], ['x-http-method-override', 'PUT', false],
    ['user-agent', 'x', false], ['x-custom', '1', false], ['authorization', 'x', false],
  ])('isForbiddenRequestHeader(%s: %s) → %s', (n, v, out) => expect(isForbiddenRequestHeader(n, v)).toBe(out));

  it('Chrome adds user-agent, priority and revalidation headers itself', () => {
    for (const n of ['user-agent', 'priority', 'if-none-match', 'if-modified-since', 'referer', 'sec-ch-ua-platform']) {
      expect(isBrowserAddedHeader(n, 'x')).toBe(true);
    }
  });

  it('Pragma and Cache-Control no-cache together are DevTools "Disable cache"; alone, page-set', () => {
    const both: HeaderList = [['pragma', 'no-cache'], ['cache-control', 'no-cache']];
    expect(isBrowserAddedHeader('cache-control', 'no-cache', both)).toBe(true);
    expect(isBrowserAddedHeader('cache-control', 'no-cache', [['cache-control', 'no-cache']])).toBe(false);
    expect(isBrowserAddedHeader('cache-control', 'max-age=0', [['pragma', 'no-cache'], ['cache-control', 'max-age=0']])).toBe(false);
  });

  it('isCorsNonWildcardRequestHeaderName: authorization only', () => {
    expect(isCorsNonWildcardRequestHeaderName('Authorization')).toBe(true);
    expect(isCorsNonWildcardRequestHeaderName('x-auth')).toBe(false);
  });
});

const chromeWire: HeaderList = [
  ['accept', '*/*'], ['accept-language', 'en-US,en;q=0.9'], ['user-agent', 'Mozilla/5.0'], ['sec-ch-ua', '"Chromium";v="156"'],
  ['sec-fetch-mode', 'cors'], ['origin', 'http://a.test'], ['referer', 'http://a.test/'], ['accept-encoding', 'gzip'],
  ['connection', 'keep-alive'], ['host', 'b.test'], ['content-length', '2'], ['priority', 'u=1, i'], ['cookie', 'a=b'],
];

describe('corsUnsafeRequestHeaderNames (#cors-unsafe-request-header-names)', () => {
  it.each<[string, HeaderList, string[]]>([
    ['browser-added headers never count', chromeWire, []],
    ['a custom header', [...chromeWire, ['x-custom', '1']], ['x-custom']],
    ['lower-cased, sorted, deduplicated', [['X-B', '1'], ['content-type', 'application/json'], ['x-a', '1'], ['x-b', '2']], ['content-type', 'x-a', 'x-b']],
    ['safelisted content-type does not count', [['content-type', 'text/plain;charset=UTF-8'], ['x-custom', '1']], ['x-custom']],
    ['over 1,024 bytes of safelisted values: all of them count', [
      ['accept', 'a'.repeat(128)], ['accept-language', 'b'.repeat(128)], ['content-language', 'c'.repeat(128)],
      ['accept', 'd'.repeat(128)], ['accept', 'e'.repeat(128)], ['accept', 'f'.repeat(128)], ['accept', 'g'.repeat(128)],
      ['content-language', 'h'.repeat(128)], ['accept', 'i'],
    ], ['accept', 'accept-language', 'content-language']],
    ['exactly 1,024 bytes is fine', [
      ['accept', 'a'.repeat(128)], ['accept', 'a'.repeat(128)], ['accept', 'a'.repeat(128)], ['accept', 'a'.repeat(128)],
      ['accept', 'a'.repeat(128)], ['accept', 'a'.repeat(128)], ['accept', 'a'.repeat(128)], ['accept', 'a'.repeat(128)],
    ], []],
  ])('%s', (_name, headers, out) => expect(corsUnsafeRequestHeaderNames(headers)).toEqual(out));

  it('accessControlRequestHeaders: as Chrome sends it (the trace: content-type,x-custom)', () => {
    expect(accessControlRequestHeaders([...chromeWire, ['x-custom', '1'], ['content-type', 'application/json']])).toBe('content-type,x-custom');
    expect(accessControlRequestHeaders(chromeWire)).toBe('');
    expect(accessControlRequestHeaders([['x-custom', '1'], ['content-type', 'text/plain;charset=UTF-8']])).toBe('x-custom');
  });
});
