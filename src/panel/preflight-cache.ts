import type { Exchange } from '../traffic/exchange';

/**
 * A preflight the request needed but CORS Lens never saw. When the request itself went out,
 * Chrome had a preflight answer for it: most likely from its preflight cache, which is shared by
 * every tab of the same site (network partition) and may have been filled before recording began
 * (see docs/panel.md). Null when the request was not seen going out either.
 */
export function preflightFromCache(ex: Exchange): string | null {
  const p = ex.preflight;
  if (!p || p.observed !== 'missing') return null;
  const sent = ex.reachedServer || ex.response !== null || ex.request.headers.some(([n]) => n !== 'origin');
  if (!sent) return null;
  return 'not sent by this tab while recorded: most likely answered from the browser\'s preflight cache (shared with other tabs of this site, and possibly filled before CORS Lens began recording), since Chrome sent the request itself';
}

/** Short form for the table's Preflight column. */
export function preflightCacheCell(ex: Exchange): string | null {
  return preflightFromCache(ex) ? 'cache (likely)' : null;
}
