import type { HeaderList, Message } from '../cors/types';
import { getHeader } from '../cors/header-list';

/**
 * A preflight the browser sent, waiting for the request it was sent for.
 *
 * Chrome gives a preflight its own requestId and nothing links it to its request
 * (docs/platform.md), so pairing is by what both share: tab, document, initiator, URL
 * and method (`Access-Control-Request-Method`), first in first out, refined by
 * `Access-Control-Request-Headers` when several wait for one URL.
 */
export interface PendingPreflight {
  requestId: string;
  /** tab + document + initiator + URL + requested method */
  key: string;
  /** `Access-Control-Request-Headers` as sent, "" when absent. */
  requestHeaderNames: string;
  startedAt: number;
  request: Message;
  response: Message | null;
  finalResponse: Message | null;
  error: string | null;
}

export interface PairingScope {
  tabId: number;
  documentId?: string | undefined;
  frameId: number;
  initiator?: string | undefined;
  url: string;
}

export function pairingKey(scope: PairingScope, method: string): string {
  const doc = scope.documentId ?? `frame:${scope.frameId}`;
  return `${scope.tabId}\u0000${doc}\u0000${scope.initiator ?? ''}\u0000${scope.url}\u0000${method}`;
}

/** Is this OPTIONS request a CORS preflight? Only preflights carry `Access-Control-Request-Method`. */
export function preflightMethodOf(method: string, headers: HeaderList): string | null {
  if (method !== 'OPTIONS') return null;
  return getHeader(headers, 'access-control-request-method');
}

/**
 * Take the preflight sent for a request out of the waiting list.
 * `requestHeaderNames` is the value Chrome would have sent for this request
 * (null when the request's headers are unknown, as for a request its preflight stopped).
 * Exact header match first, then the oldest for the same key: the browser sends
 * preflights in the order the requests were made.
 */
export function claimPreflight(
  waiting: PendingPreflight[],
  key: string,
  requestHeaderNames: string | null,
  requiresPreflight: boolean,
): PendingPreflight | null {
  let fallback = -1;
  for (let i = 0; i < waiting.length; i++) {
    const p = waiting[i]!;
    if (p.key !== key) continue;
    if (requestHeaderNames !== null && p.requestHeaderNames === requestHeaderNames) {
      return waiting.splice(i, 1)[0]!;
    }
    if (fallback < 0) fallback = i;
  }
  // A request our rules say needs no preflight only claims one that matches exactly:
  // otherwise a simple request could steal the preflight of a parallel one.
  if (fallback >= 0 && requiresPreflight) return waiting.splice(fallback, 1)[0]!;
  return null;
}

/**
 * Take the preflight that stopped a request. Such a request is seen only as its error,
 * with no headers to match on; of the preflights waiting for its URL and method, the one
 * that failed (a network error, or an answer the CORS rules reject) is its own: a parallel
 * request whose preflight passed is still about to be sent.
 */
export function claimFailedPreflight(
  waiting: PendingPreflight[],
  key: string,
  /** Tests in order of confidence; the oldest for the key when none holds. */
  failedBy: ReadonlyArray<(p: PendingPreflight) => boolean>,
): PendingPreflight | null {
  const candidates = waiting.map((p, i) => [p, i] as const).filter(([p]) => p.key === key);
  if (candidates.length === 0) return null;
  for (const failed of failedBy) {
    const hit = candidates.find(([p]) => failed(p));
    if (hit) return waiting.splice(hit[1], 1)[0]!;
  }
  return waiting.splice(candidates[0]![1], 1)[0]!;
}
