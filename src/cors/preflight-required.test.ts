import { describe, expect, it } from 'vitest';
import { preflightNeed, preflightReasons } from './preflight-required';
import { accessControlRequestHeaders, corsUnsafeRequestHeaderNames } from './request-headers';
import type { HeaderList } from './types';

const wire: HeaderList = [['accept', '*/*'], ['user-agent', 'Mozilla/5.0'], ['origin', 'http://a.test'], ['sec-fetch-mode', 'cors'], ['cookie', 'a=b']];

describe('preflightReasons (#main-fetch step 12)', () => {
  it.each<[string, string, HeaderList, string[]]>([
    ['simple GET', 'GET', wire, []],
    ['simple POST text/plain', 'POST', [...wire, ['content-type', 'text/plain;charset=UTF-8']], []],
    ['lower-case post is normalized', 'post', wire, []],
    ['PUT', 'PUT', wire, ['method PUT is not CORS-safelisted']],
    ['patch stays patch', 'patch', wire, ['method patch is not CORS-safelisted']],
    ['custom header', 'GET', [...wire, ['x-api-key', 'k']], ['header x-api-key is not CORS-safelisted']],
    ['JSON', 'POST', [...wire, ['content-type', 'application/json']], ['content-type application/json is not one of the three safelisted types']],
    ['JSON with charset', 'POST', [...wire, ['content-type', 'application/json; charset=utf-8']], ['content-type application/json is not one of the three safelisted types']],
    ['Authorization', 'GET', [...wire, ['authorization', 'Bearer t']], ['header authorization is not CORS-safelisted']],
    ['long accept', 'GET', [...wire, ['accept', 'a'.repeat(200)]], ['header accept is 200 bytes long, over the 128-byte limit for a CORS-safelisted value']],
    ['invalid MIME type', 'POST', [...wire, ['content-type', 'text']], ['content-type "text" is not a valid MIME type']],
    ['suffix range', 'GET', [...wire, ['range', 'bytes=-5']], ['header range value "bytes=-5" is not a single "bytes=start-" or "bytes=start-end" range']],
    ['everything at once', 'DELETE', [...wire, ['x-b', '1'], ['x-a', '2']], ['method DELETE is not CORS-safelisted', 'header x-b is not CORS-safelisted', 'header x-a is not CORS-safelisted']],
    ['browser-added only (DevTools Disable cache)', 'GET', [...wire, ['pragma', 'no-cache'], ['cache-control', 'no-cache']], []],
    ['page-set Cache-Control', 'GET', [...wire, ['cache-control', 'no-cache']], ['header cache-control is not CORS-safelisted']],
  ])('%s', (_n, method, headers, out) => expect(preflightReasons(method, headers)).toEqual(out));

  it('the 1,024-byte total rule is named', () => {
    const h: HeaderList = Array.from({ length: 9 }, () => ['accept', 'a'.repeat(120)]);
    const r = preflightReasons('GET', h);
    expect(r).toEqual(['header accept counts towards safelisted values totalling 1080 bytes, over the 1,024-byte limit']);
  });
});

describe('preflightNeed: the capture\'s one pass agrees with the worded rules', () => {
  const cases: Array<[string, HeaderList]> = [
    ['GET', wire],
    ['post', [...wire, ['content-type', 'text/plain']]],
    ['PUT', wire],
    ['GET', [...wire, ['x-b', '1'], ['x-a', '2'], ['x-b', '3']]],
    ['POST', [...wire, ['content-type', 'application/json']]],
    ['GET', [...wire, ['pragma', 'no-cache'], ['cache-control', 'no-cache']]],
    ['GET', Array.from({ length: 9 }, (): [string, string] => ['accept', 'a'.repeat(120)])],
  ];
  it.each(cases)('%s %j', (method, headers) => {
    const need = preflightNeed(method, headers);
    expect(need.required).toBe(preflightReasons(method, headers).length > 0);
    expect(need.unsafeNames).toEqual(corsUnsafeRequestHeaderNames(headers));
    expect(need.unsafeNames.join(',')).toBe(accessControlRequestHeaders(headers));
  });
});
