import type { Exchange } from '../traffic/exchange';
import { LIKELY_CACHED_WHY, likelyFromPreflightCache } from '../traffic/likely-cached';

/**
 * A preflight the request needed but CORS Lens never saw: most likely from the preflight cache when
 * the request itself went out (src/traffic/likely-cached.ts decides it, for the diagram too; see
 * docs/panel.md). Null when the request was not seen going out either.
 */
export function preflightFromCache(ex: Exchange): string | null {
  return likelyFromPreflightCache(ex) ? LIKELY_CACHED_WHY : null;
}

/** Short form for the table's Preflight column. */
export function preflightCacheCell(ex: Exchange): string | null {
  return preflightFromCache(ex) ? 'cache (likely)' : null;
}
