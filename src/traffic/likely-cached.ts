import type { Message, PreflightObserved } from '../cors/types';

/**
 * A preflight the request needed but CORS Lens never saw, while the request itself went out: the
 * browser had an answer for it, most likely from its preflight cache. That cache is shared by every
 * tab of the same site (one network partition) and may have been filled before recording began, so
 * CORS Lens cannot have seen the entry. The panel and the sequence diagram both say so through here.
 * @see https://fetch.spec.whatwg.org/#concept-cache
 */
export interface LikelyCachedSubject {
  preflight: { observed: PreflightObserved } | null;
  reachedServer: boolean;
  request: Message;
  response: Message | null;
}

/** Why, in the user's words: the panel's detail, the diagram's note. */
export const LIKELY_CACHED_WHY =
  "not sent by this tab while recorded: most likely answered from the browser's preflight cache (shared with other tabs of this site, and possibly filled before CORS Lens began recording), since Chrome sent the request itself";

/**
 * True when the preflight was needed, not seen, and the request itself was seen going out (it reached
 * the server, got a response, or carried more than its Origin header): Chrome only sends it after a
 * preflight passed. A request not seen going out either proves nothing: false.
 */
export function likelyFromPreflightCache(ex: LikelyCachedSubject): boolean {
  if (ex.preflight?.observed !== 'missing') return false;
  return ex.reachedServer || ex.response !== null || ex.request.headers.some(([n]) => n !== 'origin');
}
