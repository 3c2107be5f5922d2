import { describe, expect, it } from 'vitest';
import { mimeTypeEssence } from './mime-type';
import { parseSingleRangeHeaderValue } from './range-header';

describe('mimeTypeEssence (mimesniff #parse-a-mime-type)', () => {
  it.each<[string, string | null]>([
    ['text/plain', 'text/plain'], ['Text/HTML;Charset="utf-8"', 'text/html'], [' text/plain ;x=y', 'text/plain'],
    ['text/plain;', 'text/plain'], ['text/plain ;', 'text/plain'], ['x/x;;;;', 'x/x'],
    ['text', null], ['/plain', null], ['text/', null], ['te xt/plain', null], ['text/pl ain', null], ['', null], ['text/plain\u00e9', null],
  ])('%j → %j', (input, out) => expect(mimeTypeEssence(input)).toBe(out));
});

describe('parseSingleRangeHeaderValue (#simple-range-header-value)', () => {
  it.each<[string, [number | null, number | null] | null]>([
    ['bytes=0-', [0, null]], ['bytes=0-9', [0, 9]], ['bytes=-9', [null, 9]], ['BYTES=1-2', [1, 2]],
    ['bytes=9-0', null], ['bytes=-', null], ['bytes=a-1', null], ['bytes=0-1,2-3', null], ['bytes =0-1', null], ['bytes=0-1 ', null], ['bits=0-1', null],
  ])('%j → %j', (input, out) => expect(parseSingleRangeHeaderValue(input)).toEqual(out));
});
