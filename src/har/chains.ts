import { accessControlRequestHeaders } from '../cors/request-headers';
import { getHeader } from '../cors/header-list';
import { originOf } from '../cors/origin';
import type { HarEntry } from './read';

/**
 * A HAR writes each redirect hop and each preflight as an entry of its own. These functions put
 * them back together: the hops of one request into a chain, and each preflight next to the hop it
 * was sent for.
 */

/** Is this entry a CORS preflight? Chrome marks them; any OPTIONS with Access-Control-Request-Method is one. */
export function isPreflight(e: HarEntry): boolean {
  if (e.method !== 'OPTIONS') return false;
  return e.initiatorType === 'preflight' || e.resourceType === 'preflight' || getHeader(e.requestHeaders, 'access-control-request-method') !== null;
}

function resolve(location: string, base: string): string | null {
  try {
    return new URL(location, base).href;
  } catch {
    return null;
  }
}

/** Entries in time order (HAR order breaks ties); an entry without a time keeps its place after the one before it. */
export function inTimeOrder(entries: readonly HarEntry[]): HarEntry[] {
  let last = -Infinity;
  const timed = entries.map((e) => {
    if (Number.isFinite(e.startedAt)) last = e.startedAt;
    return { e, t: Number.isFinite(e.startedAt) ? e.startedAt : last };
  });
  return timed.sort((a, b) => a.t - b.t || a.e.index - b.e.index).map((x) => x.e);
}

/** A 301/302 turns POST into GET, a 303 anything but HEAD; 307/308 keep the method. */
function methodAfter(status: number, method: string): string {
  if ((status === 301 || status === 302) && method === 'POST') return 'GET';
  if (status === 303 && method !== 'HEAD') return 'GET';
  return method;
}

/**
 * Requests as chains of hops: an entry answered with a redirect continues in the first later
 * entry for the redirect's URL and method not yet part of a chain.
 */
export function redirectChains(ordered: readonly HarEntry[]): HarEntry[][] {
  const byUrl = new Map<string, number[]>();
  ordered.forEach((e, i) => {
    if (isPreflight(e)) return;
    const list = byUrl.get(e.url);
    if (list) list.push(i);
    else byUrl.set(e.url, [i]);
  });
  const used = new Set<number>();
  const chains: HarEntry[][] = [];
  ordered.forEach((e, i) => {
    if (used.has(i) || isPreflight(e)) return;
    used.add(i);
    const chain = [e];
    let hop = e;
    let at = i;
    while (hop.status !== null && hop.status >= 300 && hop.status < 400 && hop.redirectURL !== '' && chain.length < 50) {
      const target = resolve(hop.redirectURL, hop.url);
      if (target === null) break;
      const method = methodAfter(hop.status, hop.method);
      const next = (byUrl.get(target) ?? []).find((j) => j > at && !used.has(j) && ordered[j]!.method === method && ordered[j]!.requestId === hop.requestId);
      if (next === undefined) break;
      used.add(next);
      hop = ordered[next]!;
      at = next;
      chain.push(hop);
    }
    chains.push(chain);
  });
  return chains;
}

/** The origin a chain's request was made from, and how sure that is. */
export interface InitiatorGuess {
  origin: string | null;
  from: 'origin-header' | 'preflight' | 'page' | 'referer' | 'none';
}

/**
 * The page's origin for a request: its Origin header says it; else its preflight's; else the page
 * the HAR names for it, or the last document loaded before it; else its Referer (which the
 * default referrer policy cuts to the origin across origins).
 */
export function initiatorOf(chain: readonly HarEntry[], preflights: readonly HarEntry[], pageUrl: (e: HarEntry) => string | null): InitiatorGuess {
  const first = chain[0]!;
  for (const hop of chain) {
    const o = getHeader(hop.requestHeaders, 'origin');
    if (o !== null && o !== 'null') return { origin: o, from: 'origin-header' };
  }
  const pf = preflights.find((p) => (p.initiatorUrl ?? p.url) === first.url && getHeader(p.requestHeaders, 'access-control-request-method') === first.method);
  const pfOrigin = pf ? getHeader(pf.requestHeaders, 'origin') : null;
  if (pfOrigin !== null && pfOrigin !== 'null') return { origin: pfOrigin, from: 'preflight' };
  const page = pageUrl(first);
  const pageOrigin = page === null ? null : originOf(page);
  if (pageOrigin) return { origin: pageOrigin, from: 'page' };
  const referer = getHeader(first.requestHeaders, 'referer');
  const refOrigin = referer === null ? null : originOf(referer);
  if (refOrigin) return { origin: refOrigin, from: 'referer' };
  return { origin: null, from: 'none' };
}

/** How far a preflight may start before the hop's own start time (Firefox and recorders differ in what they time). */
const EARLY_MS = 50;

/**
 * The preflight sent for one hop: same URL, method announced as the hop's, same Origin, started
 * while the hop was under way; among several, the one that announced exactly the hop's headers,
 * else the earliest. Chrome's `_initiator.requestId` ties the preflights of one request together,
 * so once one is taken for a request, the others of that id stay with it.
 */
export function takePreflight(
  hop: HarEntry,
  origin: string | null,
  pool: HarEntry[],
  boundTo: Map<string, number>,
  chainId: number,
): HarEntry | null {
  const start = Number.isFinite(hop.startedAt) ? hop.startedAt : null;
  const end = start === null ? null : start + Math.max(hop.duration, 0);
  const names = accessControlRequestHeaders(hop.requestHeaders);
  let best = -1;
  for (let i = 0; i < pool.length; i++) {
    const p = pool[i]!;
    if ((p.initiatorUrl ?? p.url) !== hop.url && p.url !== hop.url) continue;
    if (getHeader(p.requestHeaders, 'access-control-request-method') !== hop.method) continue;
    const po = getHeader(p.requestHeaders, 'origin');
    if (origin !== null && po !== null && po !== origin && po !== 'null') continue;
    // Where both ids are known (the DevTools Protocol), the link is exact.
    if (p.initiatorRequestId !== null && hop.requestId !== undefined && p.initiatorRequestId !== hop.requestId) continue;
    if (p.initiatorRequestId !== null) {
      const owner = boundTo.get(p.initiatorRequestId);
      if (owner !== undefined && owner !== chainId) continue;
    }
    if (start !== null && end !== null && Number.isFinite(p.startedAt) && (p.startedAt < start - EARLY_MS || p.startedAt > end + EARLY_MS)) continue;
    if ((getHeader(p.requestHeaders, 'access-control-request-headers') ?? '') === names) {
      best = i;
      break;
    }
    if (best < 0) best = i;
  }
  if (best < 0) return null;
  const p = pool.splice(best, 1)[0]!;
  if (p.initiatorRequestId !== null) boundTo.set(p.initiatorRequestId, chainId);
  return p;
}
