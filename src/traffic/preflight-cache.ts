import type { Message } from '../cors/types';
import { preflightCacheExpiry } from '../cors/preflight-cache';
import { isCorsSafelistedMethod } from '../cors/methods';
import { headerValue } from './headers';

/**
 * What the browser remembers of a successful preflight, so a later request that
 * sends no OPTIONS can be labelled `cached` (with its expiry) rather than `missing`.
 * @see https://fetch.spec.whatwg.org/#concept-cache
 */
export interface PreflightCacheEntry {
  origin: string;
  url: string;
  methods: string[];
  headerNames: string[];
  wildcard: boolean;
  /** ms since epoch */
  expiresAt: number;
}

function tokens(value: string | null): string[] {
  if (!value) return [];
  return value.split(',').map((t) => t.trim()).filter((t) => t.length > 0);
}

/** The entry a successful preflight leaves in the cache. */
export function cacheEntryFor(
  origin: string,
  url: string,
  requestedMethod: string,
  response: Message,
  receivedAt: number,
): PreflightCacheEntry {
  const methods = tokens(headerValue(response.headers, 'access-control-allow-methods'));
  const headerNames = tokens(headerValue(response.headers, 'access-control-allow-headers')).map((h) => h.toLowerCase());
  return {
    origin,
    url,
    // An empty Allow-Methods still allows the method the preflight asked for.
    methods: methods.length > 0 ? methods : [requestedMethod],
    headerNames,
    wildcard: methods.includes('*') || headerNames.includes('*'),
    expiresAt: preflightCacheExpiry(receivedAt, headerValue(response.headers, 'access-control-max-age')),
  };
}

/**
 * The newest unexpired entry covering this request's method and unsafe header names.
 * @see https://fetch.spec.whatwg.org/#concept-cache-match
 */
export function preflightCacheMatch(
  cache: readonly PreflightCacheEntry[],
  origin: string,
  url: string,
  method: string,
  unsafeHeaderNames: readonly string[],
  now: number,
): PreflightCacheEntry | null {
  for (let i = cache.length - 1; i >= 0; i--) {
    const e = cache[i]!;
    if (e.origin !== origin || e.url !== url || e.expiresAt <= now) continue;
    const methodOk = isCorsSafelistedMethod(method) || e.methods.includes(method) || e.methods.includes('*');
    const headersOk = unsafeHeaderNames.every((h) => e.headerNames.includes(h) || (e.headerNames.includes('*') && h !== 'authorization'));
    if (methodOk && headersOk) return e;
  }
  return null;
}

/** Drop expired entries; keeps the model as small as the browser's own cache. */
export function pruneCache(cache: PreflightCacheEntry[], now: number): PreflightCacheEntry[] {
  return cache.filter((e) => e.expiresAt > now);
}
