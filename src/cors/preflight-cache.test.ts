import { describe, expect, it } from 'vitest';
import { parseMaxAge, preflightCacheExpiry } from './preflight-cache';

describe('parseMaxAge (#http-access-control-max-age, Chrome limits)', () => {
  it.each<[string | null, number, string | null]>([
    [null, 5, 'absent'],
    ['600', 600, null],
    ['0', 0, null],
    ['7200', 7200, null],
    ['7201', 7200, 'above-chrome-cap'],
    ['86400', 7200, 'above-chrome-cap'],
    ['-1', 0, 'negative'],
    ['10m', 5, 'unparsable'],
    ['', 5, 'unparsable'],
    [' 600', 5, 'unparsable'],
    ['600, 600', 5, 'unparsable'],
    ['6e2', 5, 'unparsable'],
  ])('%j → %i s (%s)', (h, seconds, problem) => {
    const m = parseMaxAge(h);
    expect(m.seconds).toBe(seconds);
    expect(m.problem).toBe(problem);
  });

  it('preflightCacheExpiry adds the effective Max-Age', () => {
    expect(preflightCacheExpiry(1_000, null)).toBe(6_000);
    expect(preflightCacheExpiry(1_000, '600')).toBe(601_000);
    expect(preflightCacheExpiry(1_000, '86400')).toBe(7_201_000);
    expect(preflightCacheExpiry(1_000, 'soon')).toBe(6_000);
  });
});
