import { parseFirefoxBlock } from '../../src/cors/firefox-reasons';
import type { BidiEvent } from './bidi';

/** One request Firefox made (BiDi network events), with the reason its console gave for blocking it. */
export interface FirefoxRequest {
  /** BiDi's id: `<webRequest requestId>-<uuid>`. */
  bidiId: string;
  /** The webRequest requestId, which the extension's exchange ids are. */
  requestId: string;
  method: string;
  url: string;
  finalUrl: string;
  status: number | null;
  errorText: string | null;
  /** Firefox's reason key (CORSMissingAllowOrigin…), or null when it reported no block. */
  reason: string | null;
  reasonText: string | null;
  /** Every specific reason Firefox printed for it (a refused preflight redirect gets two). */
  reasons: string[];
}

/** Reasons Firefox gives only when a preflight's answer fails. */
const PREFLIGHT_ONLY = new Set(['CORSPreflightDidNotSucceed', 'CORSMissingAllowHeaderFromPreflight', 'CORSMethodNotFound', 'CORSInvalidAllowMethod', 'CORSInvalidAllowHeader']);

const GENERIC = 'CORSDidNotSucceed';

const sOf = (url: string): string | null => {
  try {
    const u = new URL(url);
    return `${u.searchParams.get('s')}|${u.searchParams.get('run') ?? ''}`;
  } catch {
    return null;
  }
};

/**
 * Join Firefox's console verdicts to its requests. A console line names a URL, not a request, but
 * BiDi delivers events in the order Firefox emitted them, and Firefox prints a block right after
 * the request (or preflight) it ended: so a line belongs to the last request of its scenario URL that
 * ended before it. A preflight's reason goes to the request it stopped, whose own line then says
 * only "CORS request did not succeed".
 */
export function firefoxVerdicts(events: readonly BidiEvent[]): { requests: FirefoxRequest[]; unattached: string[] } {
  const byId = new Map<string, FirefoxRequest & { preflight: boolean }>();
  const lastEnded = new Map<string, FirefoxRequest & { preflight: boolean }>();
  const lastFailed = new Map<string, FirefoxRequest & { preflight: boolean }>();
  const lastFailedPreflight = new Map<string, FirefoxRequest & { preflight: boolean }>();
  const queued = new Map<string, Array<{ reason: string; text: string }>>();
  const unattached: string[] = [];
  for (const e of events) {
    const p = e.params as Record<string, unknown>;
    const req = p.request as { request: string; method: string; url: string } | undefined;
    if (e.method === 'network.beforeRequestSent' && req) {
      const known = byId.get(req.request);
      if (known) {
        known.finalUrl = req.url;
        continue;
      }
      byId.set(req.request, {
        bidiId: req.request, requestId: req.request.split('-')[0]!, method: req.method, url: req.url, finalUrl: req.url,
        status: null, errorText: null, reason: null, reasonText: null, reasons: [], preflight: req.method === 'OPTIONS',
      });
    } else if ((e.method === 'network.responseCompleted' || e.method === 'network.fetchError') && req) {
      const r = byId.get(req.request);
      if (!r) continue;
      if (e.method === 'network.fetchError') r.errorText = String(p.errorText);
      else r.status = (p.response as { status: number }).status;
      const k = sOf(r.url);
      if (k) lastEnded.set(k, r);
      if (k && r.preflight && r.errorText !== null) lastFailedPreflight.set(k, r);
      if (k && !r.preflight && r.errorText !== null) lastFailed.set(k, r);
    } else if (e.method === 'log.entryAdded') {
      const block = parseFirefoxBlock(String(p.text ?? ''));
      if (!block) continue;
      const k = sOf(block.url);
      if (!k) {
        unattached.push(block.url);
        continue;
      }
      // A reason only a preflight can have goes to the last preflight that failed (a parallel request may have ended since).
      // The generic line follows the failure of the request it is about (a parallel one may have completed since).
      const r =
        (PREFLIGHT_ONLY.has(block.reason) ? lastFailedPreflight.get(k) : block.reason === GENERIC ? lastFailed.get(k) : undefined) ?? lastEnded.get(k);
      if (!r || r.preflight) {
        // A preflight's reason, or one printed before its request ended: the next failed request of the URL takes it.
        queued.set(k, [...(queued.get(k) ?? []), { reason: block.reason, text: block.text }]);
        continue;
      }
      if (r.reason === null) {
        r.reason = block.reason;
        r.reasonText = block.text;
      }
      if (block.reason !== GENERIC) r.reasons.push(block.reason);
    }
  }
  // A request that failed with only the generic line (or none) takes the specific reason printed for its URL.
  for (const r of byId.values()) {
    if (r.preflight || r.errorText === null || (r.reason !== null && r.reason !== GENERIC)) continue;
    const k = sOf(r.url);
    const list = k ? queued.get(k) : undefined;
    const i = list ? list.findIndex((q) => q.reason !== GENERIC) : -1;
    const pick = i >= 0 ? list!.splice(i, 1)[0] : r.reason === null ? list?.shift() : undefined;
    if (pick) {
      r.reason = pick.reason;
      r.reasonText = pick.text;
    }
    // Firefox prints one line per rule a preflight broke, before the request's generic line.
    while (list && list.length > 0 && list[0]!.reason !== GENERIC) r.reasons.push(list.shift()!.reason);
    if (r.reason !== null && r.reason !== GENERIC && !r.reasons.includes(r.reason)) r.reasons.unshift(r.reason);
  }
  // A preflight's line printed after its request already took another (a refused preflight redirect:
  // "external redirect not allowed" on the request, then "preflight did not succeed" once the preflight
  // ended) still belongs to that request, when it is the only one of its URL that failed.
  const failed = [...byId.values()].filter((r) => !r.preflight && r.errorText !== null);
  for (const [k, list] of queued) {
    const owners = failed.filter((r) => sOf(r.url) === k);
    if (owners.length !== 1) continue;
    for (const q of list) if (q.reason !== GENERIC && !owners[0]!.reasons.includes(q.reason)) owners[0]!.reasons.push(q.reason);
  }
  return { requests: [...byId.values()].filter((r) => !r.preflight), unattached };
}
