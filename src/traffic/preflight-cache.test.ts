import { describe, expect, it } from 'vitest';
import { cacheEntryFor, preflightCacheMatch, rememberPreflight, PREFLIGHT_CACHE_MAX, type PreflightCache } from './preflight-cache';

const A = 'http://127.0.0.1:1';
const answer = (headers: string, maxAge = '600') => ({
  statusCode: 204,
  headers: [['access-control-allow-methods', 'PUT'], ['access-control-allow-headers', headers], ['access-control-max-age', maxAge]] as Array<[string, string]>,
});

describe('preflight cache model', () => {
  it('keeps one entry per origin and URL: a newer answer replaces the older, as in the browser', () => {
    const cache: PreflightCache = new Map();
    rememberPreflight(cache, cacheEntryFor(A, 'http://b/x', 'PUT', answer('x-a, x-b'), 0), 0);
    expect(preflightCacheMatch(cache, A, 'http://b/x', 'PUT', ['x-b'], 1000)).not.toBeNull();
    rememberPreflight(cache, cacheEntryFor(A, 'http://b/x', 'PUT', answer('x-a'), 10), 10);
    expect(cache.size).toBe(1);
    expect(preflightCacheMatch(cache, A, 'http://b/x', 'PUT', ['x-b'], 1000)).toBeNull();
    expect(preflightCacheMatch(cache, A, 'http://b/x', 'PUT', ['x-a'], 1000)).not.toBeNull();
  });

  it('expires entries, and never grows past the browser\u2019s cap', () => {
    const cache: PreflightCache = new Map();
    for (let i = 0; i < PREFLIGHT_CACHE_MAX * 3; i++) rememberPreflight(cache, cacheEntryFor(A, `http://b/${i}`, 'PUT', answer('x-a', '1'), i), i);
    expect(cache.size).toBeLessThanOrEqual(PREFLIGHT_CACHE_MAX);
    expect(preflightCacheMatch(cache, A, `http://b/${PREFLIGHT_CACHE_MAX * 3 - 1}`, 'PUT', ['x-a'], PREFLIGHT_CACHE_MAX * 3 + 500)).not.toBeNull();
    expect(preflightCacheMatch(cache, A, `http://b/${PREFLIGHT_CACHE_MAX * 3 - 1}`, 'PUT', ['x-a'], PREFLIGHT_CACHE_MAX * 3 + 5000)).toBeNull();
  });
});
