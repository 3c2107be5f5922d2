import { isLocalAddressHost } from '../cors/address-space';
import { CORS_FAILURE_ERROR, LOCAL_NETWORK_ERROR } from '../cors/analyze';
import { preflightReasons } from '../cors/preflight-required';
import type { HeaderList } from '../cors/types';
import { buildExchange } from '../traffic/build-exchange';
import type { CaptureEvent } from '../traffic/events';
import type { Exchange } from '../traffic/exchange';
import { getHeader } from '../cors/header-list';
import { originOf } from '../cors/origin';
import { TabSession } from '../traffic/session';
import { initiatorOf, inTimeOrder, isPreflight, redirectChains, takePreflight, type InitiatorGuess } from './chains';
import { confidenceOf, fileNotes, type Confidence, type HarNote, type HarSource } from './notes';
import type { HarEntry, HarFile } from './read';

/**
 * A HAR's entries as the engine's exchanges. The entries are replayed as the browser events the
 * live capture gets (request sent, response headers, error) through the same `TabSession`, so
 * pairing, redirects and the preflight-cache model are the live panel's own; a HAR only decides
 * the order of those events and which preflight goes with which request (see chains.ts).
 */

export interface HarConversion {
  source: HarSource;
  /** The page the HAR was recorded on, as well as it can be told ("" when not). */
  pageUrl: string;
  exchanges: Exchange[];
  /** What the HAR lacks, for the whole file. */
  notes: HarNote[];
  /** How sure each exchange's verdict is, and why not more, by exchange id. */
  confidence: Map<string, Confidence>;
}

export function sourceOf(har: HarFile): HarSource {
  const c = `${har.creator} ${har.browser}`.toLowerCase();
  if (c.includes('playwright')) return 'playwright';
  if (c.includes('webinspector')) return 'chrome';
  if (c.includes('firefox')) return 'firefox';
  return 'unknown';
}

/** webRequest's resource types, from the HAR's `_resourceType` (Chrome's and Playwright's names). */
function resourceTypeOf(e: HarEntry): string {
  switch (e.resourceType) {
    case 'fetch':
    case 'xhr':
      return 'xmlhttprequest';
    case 'script':
    case 'font':
    case 'stylesheet':
    case 'image':
      return e.resourceType === 'stylesheet' ? 'stylesheet' : e.resourceType;
    case 'document':
      return 'main_frame';
    default:
      return 'other';
  }
}

function isHttpUrl(u: string): boolean {
  return /^https?:\/\//i.test(u);
}

/** The page URL each entry was made from, when the HAR says: its page, else the last document loaded before it. */
function pageLocator(har: HarFile, ordered: readonly HarEntry[]): { pageOf: (e: HarEntry) => string | null; firstPage: string } {
  const documentBefore = new Map<number, string>();
  let doc: string | null = null;
  let firstPage = '';
  for (const e of ordered) {
    if (e.resourceType === 'document' && isHttpUrl(e.url) && (e.status === null || e.status < 300 || e.status >= 400)) {
      doc = e.url;
      firstPage ||= e.url;
    }
    if (doc !== null) documentBefore.set(e.index, doc);
  }
  const pageOf = (e: HarEntry): string | null => {
    const titled = e.pageref === null ? undefined : har.pages.get(e.pageref);
    if (titled !== undefined && isHttpUrl(titled)) return titled;
    return documentBefore.get(e.index) ?? null;
  };
  if (!firstPage) firstPage = [...har.pages.values()].find(isHttpUrl) ?? '';
  return { pageOf, firstPage };
}

function responseHeaders(e: HarEntry): HeaderList {
  // A redirect written with redirectURL but without its Location header (some recorders): put it back.
  if (e.redirectURL !== '' && getHeader(e.responseHeaders, 'location') === null) return [...e.responseHeaders, ['location', e.redirectURL]];
  return e.responseHeaders;
}

export function convertHar(har: HarFile): HarConversion {
  const source = har.wireHeaders ? 'chrome' : sourceOf(har);
  const ordered = inTimeOrder(har.entries);
  const { pageOf, firstPage } = pageLocator(har, ordered);
  const pool = ordered.filter(isPreflight);
  const allPreflights = [...pool];
  const chains = redirectChains(ordered);
  const session = new TabSession(0, Math.max(1, har.entries.length + 1));
  const boundTo = new Map<string, number>();
  const chainOf = new Map<string, { chain: HarEntry[]; preflights: HarEntry[]; from: InitiatorGuess['from'] }>();
  let clock = 0;
  const timeOf = (e: HarEntry) => (clock = Number.isFinite(e.startedAt) ? e.startedAt : clock);
  const base = (e: HarEntry, requestId: string, initiator: string | undefined) => ({
    requestId,
    tabId: 0,
    frameId: 0,
    initiator,
    url: e.url,
    method: e.method,
    type: resourceTypeOf(e),
    timeStamp: timeOf(e),
  });
  const feed = (ev: CaptureEvent) => session.handle(ev);

  chains.forEach((chain, chainId) => {
    const guess = initiatorOf(chain, allPreflights, pageOf);
    const initiator = guess.origin ?? undefined;
    const requestId = `har-${chain[0]!.index}`;
    const taken: HarEntry[] = [];
    chain.forEach((hop, i) => {
      const p = takePreflight(hop, guess.origin, pool, boundTo, chainId);
      if (p) {
        taken.push(p);
        const pid = `har-${p.index}`;
        feed({ ...base(p, pid, initiator), kind: 'send', headers: p.requestHeaders });
        if (p.status !== null) feed({ ...base(p, pid, initiator), kind: 'headers', statusCode: p.status, headers: responseHeaders(p) });
        if (p.error !== null) feed({ ...base(p, pid, initiator), kind: 'error', error: p.error });
      }
      const last = i === chain.length - 1;
      // Provisional headers with no response: the request was not sent (its preflight stopped it,
      // or the browser refused it), or the HAR did not get its headers. Either way they are not the wire's.
      const sent = !(hop.provisional && hop.status === null);
      if (sent) feed({ ...base(hop, requestId, initiator), kind: 'send', headers: hop.requestHeaders });
      if (hop.status !== null) feed({ ...base(hop, requestId, initiator), kind: 'headers', statusCode: hop.status, headers: responseHeaders(hop) });
      if (last && hop.error !== null) feed({ ...base(hop, requestId, initiator), kind: 'error', error: source === 'chrome' ? chromeError(hop, chain.length) : hop.error });
      else if (last && !har.failuresRecorded && hop.status === null) {
        // Firefox writes a request that failed (CORS or network) as status 0 and no error: it failed, why is not recorded.
        feed({ ...base(hop, requestId, initiator), kind: 'error', error: CORS_FAILURE_ERROR });
      }
    });
    chainOf.set(requestId, { chain, preflights: taken, from: guess.from });
  });

  const confidence = new Map<string, Confidence>();
  const cookies = har.wireHeaders === true || cookiesSeen(har);
  const exchanges = session.exchanges().map((ex) => {
    const info = chainOf.get(ex.id);
    let out = ex;
    let decisionInferred = false;
    const rec = session.record(ex.id);
    // A HAR that records no failures (Firefox): the browser's decision is not in the file, so it
    // is the rules': a response the rules reject is read as blocked.
    if (!har.failuresRecorded && rec && rec.error === null && rec.response !== null) {
      decisionInferred = true;
      const asBlocked = buildExchange({ ...rec, error: CORS_FAILURE_ERROR });
      // Blocked where the rules fail without credentials (decided, or fetch()'s default when nothing
      // decides), or with them where a Cookie header proves they were sent.
      const first = asBlocked.findings[0];
      const cookie = getHeader(rec.request?.headers, 'cookie') !== null;
      if (first?.severity === 'error' && first.id !== 'unexplained-cors-failure' && (asBlocked.credentials.value !== 'include' || cookie)) out = asBlocked;
    }
    confidence.set(out.id, confidenceOf(out, { source, chain: info?.chain ?? [], initiatorFrom: info?.from ?? 'none', decisionInferred, failuresRecorded: har.failuresRecorded, cookiesSeen: cookies }));
    return out;
  });

  const matched = new Set([...chainOf.values()].flatMap((c) => c.preflights.map((p) => p.index)));
  return {
    source,
    pageUrl: firstPage || originGuess(exchanges),
    exchanges,
    notes: fileNotes(har, source, { unmatchedPreflights: allPreflights.length - matched.size, preflights: allPreflights.length, exchanges }),
    confidence,
  };
}

/**
 * Chrome writes net::ERR_FAILED where webRequest and the DevTools Protocol say more. A request
 * that needed no preflight, was never sent (provisional headers, no response, no redirect) and
 * went to a local address can only have been refused by Local Network Access: a CORS check needs
 * a response to fail on.
 */
function chromeError(hop: HarEntry, hops: number): string {
  if (hop.error !== CORS_FAILURE_ERROR || !hop.provisional || hop.status !== null || hops > 1) return hop.error ?? CORS_FAILURE_ERROR;
  if (preflightReasons(hop.method, hop.requestHeaders).length > 0) return hop.error;
  let host: string;
  try {
    host = new URL(hop.url).hostname;
  } catch {
    return hop.error;
  }
  return isLocalAddressHost(host) ? LOCAL_NETWORK_ERROR : hop.error;
}

/** Whether the HAR holds any Cookie header: a sanitized export, or a recorder that drops them, holds none. */
function cookiesSeen(har: HarFile): boolean {
  return har.entries.some((e) => getHeader(e.requestHeaders, 'cookie') !== null || getHeader(e.responseHeaders, 'set-cookie') !== null);
}

function originGuess(exchanges: readonly Exchange[]): string {
  const o = exchanges.find((e) => e.initiatorOrigin)?.initiatorOrigin;
  return o ? `${originOf(o) ?? o}/` : '';
}
