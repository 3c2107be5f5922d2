import type { Message } from '../cors/types';
import { preflightCacheExpiry } from '../cors/preflight-cache';
import { isCorsSafelistedMethod } from '../cors/methods';
import { getHeader } from '../cors/header-list';
import { isCorsNonWildcardRequestHeaderName } from '../cors/request-headers';

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
  const methods = tokens(getHeader(response.headers, 'access-control-allow-methods'));
  const headerNames = tokens(getHeader(response.headers, 'access-control-allow-headers')).map((h) => h.toLowerCase());
  return {
    origin,
    url,
    // An empty Allow-Methods still allows the method the preflight asked for.
    methods: methods.length > 0 ? methods : [requestedMethod],
    headerNames,
    wildcard: methods.includes('*') || headerNames.includes('*'),
    expiresAt: preflightCacheExpiry(receivedAt, getHeader(response.headers, 'access-control-max-age')),
  };
}

/** Chrome keeps at most this many preflight results (services/network/cors/preflight_cache.cc). */
export const PREFLIGHT_CACHE_MAX = 1024;

export type PreflightCache = Map<string, PreflightCacheEntry>;

function cacheKey(origin: string, url: string): string {
  return `${origin} ${url}`;
}

/**
 * Store a preflight's result. One entry per origin and URL, a newer answer replacing the older one
 * as in the browser; over the cap, expired entries go first, then the oldest. Constant time per request
 * (a scan of a growing list made pairing slower the longer a session ran).
 * @see https://fetch.spec.whatwg.org/#concept-cache
 */
export function rememberPreflight(cache: PreflightCache, entry: PreflightCacheEntry, now: number): void {
  const key = cacheKey(entry.origin, entry.url);
  cache.delete(key);
  cache.set(key, entry);
  if (cache.size <= PREFLIGHT_CACHE_MAX) return;
  for (const [k, e] of cache) if (e.expiresAt <= now) cache.delete(k);
  while (cache.size > PREFLIGHT_CACHE_MAX) cache.delete(cache.keys().next().value!);
}

/**
 * The unexpired entry for this origin and URL, if it covers the request's method and unsafe header names.
 * @see https://fetch.spec.whatwg.org/#concept-cache-match
 */
export function preflightCacheMatch(
  cache: PreflightCache,
  origin: string,
  url: string,
  method: string,
  unsafeHeaderNames: readonly string[],
  now: number,
): PreflightCacheEntry | null {
  const e = cache.get(cacheKey(origin, url));
  if (!e || e.expiresAt <= now) return null;
  const methodOk = isCorsSafelistedMethod(method) || e.methods.includes(method) || e.methods.includes('*');
  const headersOk = unsafeHeaderNames.every((h) => e.headerNames.includes(h) || (e.headerNames.includes('*') && !isCorsNonWildcardRequestHeaderName(h)));
  return methodOk && headersOk ? e : null;
}

/** The cache as stored with the session, and back. */
export function cacheFromEntries(entries: readonly PreflightCacheEntry[]): PreflightCache {
  const cache: PreflightCache = new Map();
  for (const e of entries) cache.set(cacheKey(e.origin, e.url), e);
  return cache;
}
