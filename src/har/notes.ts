import { preflightReasons } from '../cors/preflight-required';
import type { Exchange } from '../traffic/exchange';
import type { HarEntry, HarFile } from './read';

/**
 * What a HAR cannot tell the engine, said once for the file and per exchange as a confidence:
 * the panel, the command line and the test helper show these beside the verdicts.
 */

export type HarSource = 'chrome' | 'firefox' | 'playwright' | 'unknown';

export const SOURCE_NAME: Record<HarSource, string> = {
  chrome: 'Chrome DevTools (Export HAR or chrome.devtools.network.getHAR)',
  firefox: 'Firefox DevTools',
  playwright: 'Playwright recordHar',
  unknown: 'an unknown recorder',
};

export interface HarNote {
  /** Stable id, for tests and tools. */
  id: 'no-cors-reason' | 'no-preflights' | 'no-blocked-responses' | 'no-cookies' | 'no-failures' | 'skipped-entries' | 'unmatched-preflights' | 'no-initiator';
  text: string;
}

export type ConfidenceLevel = 'high' | 'medium' | 'low';

export interface Confidence {
  level: ConfidenceLevel;
  /** Why not higher; empty for high. */
  reasons: string[];
}

export interface ConfidenceInput {
  source: HarSource;
  chain: readonly HarEntry[];
  initiatorFrom: 'origin-header' | 'preflight' | 'page' | 'referer' | 'none';
  /** The verdict is the rules' reading: the HAR does not record whether the browser failed the request. */
  decisionInferred: boolean;
  failuresRecorded: boolean;
  cookiesSeen: boolean;
}

const RANK: Record<ConfidenceLevel, number> = { high: 0, medium: 1, low: 2 };

export function confidenceOf(ex: Exchange, c: ConfidenceInput): Confidence {
  let level: ConfidenceLevel = 'high';
  const reasons: string[] = [];
  const lower = (to: ConfidenceLevel, why: string) => {
    if (RANK[to] > RANK[level]) level = to;
    reasons.push(why);
  };
  const last = c.chain[c.chain.length - 1];
  const blockedBlind = ex.verdict === 'blocked' && ex.response === null && (ex.preflight === null || ex.preflight.response === null);
  if (blockedBlind) {
    const why = c.source === 'playwright'
      ? 'the browser failed this request, but the HAR holds neither its response headers nor its preflight (Playwright records neither for a request the browser blocked): the reason is a guess'
      : 'the browser failed this request, but the HAR holds no response headers for it or its preflight: the reason is a guess';
    lower('low', why);
    const wanted = last ? preflightReasons(ex.method, last.requestHeaders) : [];
    if (wanted.length > 0 && ex.preflight?.observed !== 'sent') {
      reasons.push(`as the page set them, its headers needed a preflight (${wanted.join('; ')}), which the HAR does not hold`);
    }
  } else if (ex.preflight?.required && ex.preflight.observed !== 'sent') {
    lower('medium', c.source === 'playwright'
      ? 'the request needed a preflight, and Playwright\u2019s recorder writes none: whether it was sent or cached is not known'
      : 'the request needed a preflight that is not in the HAR: the browser may have answered it from its preflight cache');
  }
  if (c.decisionInferred) lower('medium', 'the HAR does not record whether the browser blocked the request: the verdict is the rules\u2019 reading of the headers');
  if (!c.failuresRecorded && ex.response === null && ex.verdict !== 'allowed') lower('low', 'the request got no response and the HAR does not record why (a CORS failure or a network error)');
  if (!c.cookiesSeen && ex.verdict !== 'not-cors' && ex.credentials.inferred && ex.credentials.value !== 'include') {
    lower('medium', 'the HAR holds no Cookie header (a sanitized export drops them): the credentials mode is inferred from the responses only');
  }
  if (c.initiatorFrom === 'page' || c.initiatorFrom === 'referer') {
    lower('medium', `the page\u2019s origin is taken from the ${c.initiatorFrom === 'page' ? 'page the request was made on' : 'Referer header'}: the request carries no Origin header in the HAR`);
  }
  return { level, reasons };
}

export function fileNotes(
  har: HarFile,
  source: HarSource,
  counts: { preflights: number; unmatchedPreflights: number; exchanges: readonly Exchange[] },
): HarNote[] {
  const notes: HarNote[] = [
    { id: 'no-cors-reason', text: 'A HAR does not hold the browser\u2019s own CORS error: each finding is CORS Lens\u2019s reading of the recorded headers.' },
  ];
  if (source === 'playwright' || (counts.preflights === 0 && counts.exchanges.some((e) => e.preflight?.required))) {
    notes.push({ id: 'no-preflights', text: source === 'playwright'
      ? 'Playwright\u2019s recorder writes no preflight (OPTIONS) requests: where a request needed one, its answer is unknown.'
      : 'The HAR holds no preflight (OPTIONS) requests although some requests needed one.' });
  }
  const blind = counts.exchanges.filter((e) => e.verdict === 'blocked' && e.response === null && !e.preflight?.response).length;
  if (blind > 0) {
    notes.push({ id: 'no-blocked-responses', text: `${blind} blocked request(s) have no response headers in the HAR${source === 'playwright' ? ' (Playwright writes none for a request the browser blocked)' : ''}: their reason is a guess, marked low confidence.` });
  }
  if (!har.wireHeaders && !har.entries.some((e) => e.requestHeaders.some(([n]) => n === 'cookie'))) {
    notes.push({ id: 'no-cookies', text: 'No request in the HAR carries a Cookie header (a sanitized export drops Cookie, Set-Cookie and Authorization): credentials are inferred from the responses.' });
  }
  if (!har.failuresRecorded) {
    notes.push({ id: 'no-failures', text: 'The HAR does not record which requests the browser failed (no _error field): verdicts are the rules\u2019 reading of the headers.' });
  }
  if (counts.unmatchedPreflights > 0) {
    notes.push({ id: 'unmatched-preflights', text: `${counts.unmatchedPreflights} preflight(s) in the HAR matched no request (the request is missing from the file).` });
  }
  if (har.skipped.length > 0) {
    notes.push({ id: 'skipped-entries', text: `${har.skipped.length} entr${har.skipped.length === 1 ? 'y was' : 'ies were'} not read: ${har.skipped.slice(0, 3).join('; ')}${har.skipped.length > 3 ? '; ...' : ''}` });
  }
  return notes;
}
