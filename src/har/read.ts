import type { HeaderList } from '../cors/types';
import { describe } from '../report/import-read';

/**
 * Reading a HAR file (HTTP Archive 1.2, as Chrome, Firefox and Playwright write it) into the few
 * facts the engine uses. Hostile input is expected: every field is checked before use, an entry
 * that cannot be read is skipped with a reason, and nothing here recurses into the document, so
 * deep nesting, wrong types and huge header lists cost an error or a note, never a crash.
 * See docs/har-and-cli.md for what each browser writes.
 */

/** One request of the HAR, reduced and checked. */
export interface HarEntry {
  /** Position in `log.entries`. */
  index: number;
  /** ms since epoch; NaN when the HAR gives no usable time. */
  startedAt: number;
  /** ms the entry took, 0 when unknown. */
  duration: number;
  method: string;
  url: string;
  /** Names lower-cased, HTTP/2 pseudo-headers left out. */
  requestHeaders: HeaderList;
  /**
   * The request headers are not what went on the wire: Chrome writes the page's provisional
   * headers (no Origin, no Sec-Fetch-*) for a request that was never sent or whose sent headers it
   * did not get (`headersSize: -1`, empty `httpVersion`).
   */
  provisional: boolean;
  /** The response status, null when the HAR holds no response (status 0 or -1). */
  status: number | null;
  responseHeaders: HeaderList;
  /** `response.redirectURL`, or the Location header, "" when none. */
  redirectURL: string;
  /** Chrome's `response._error`, Playwright's `response._failureText`; null when none or not recorded. */
  error: string | null;
  /** Chrome's `_initiator.type` ('preflight', 'script', 'parser'...). */
  initiatorType: string | null;
  /** For a Chrome preflight: the requestId of the request it was sent for. */
  initiatorRequestId: string | null;
  /** For a Chrome preflight: the URL of the request it was sent for. */
  initiatorUrl: string | null;
  /** Chrome's and Playwright's `_resourceType` (fetch, xhr, document, preflight...). */
  resourceType: string | null;
  pageref: string | null;
  /** The browser's own id for the request, when the recorder knows it (the DevTools Protocol does; a HAR does not). */
  requestId?: string;
}

export interface HarFile {
  /** `log.creator.name` and version, e.g. "WebInspector 537.36", "Firefox 128.0", "Playwright 1.65.1". */
  creator: string;
  /** `log.browser` when present, else the creator. */
  browser: string;
  /** Page id → page URL (Chrome's and Firefox's `pages[].title` hold the URL; Playwright's the document title). */
  pages: Map<string, string>;
  entries: HarEntry[];
  /** Entries left out, each with its reason ("entry 12: request.url should be a string, got 42"). */
  skipped: string[];
  /** Whether any entry carries Chrome's `_error` or Playwright's `_failureText` field: the browser's failures were recorded. */
  failuresRecorded: boolean;
  /** The recorder had the headers as sent, Cookie included (the DevTools Protocol): no Cookie means none was sent. */
  wireHeaders?: boolean;
}

export type ReadResult = { ok: true; har: HarFile } | { ok: false; error: string };

export interface ReadLimits {
  /** Characters of JSON text read at most. */
  maxChars: number;
  /** Entries read at most; the rest are counted as skipped. */
  maxEntries: number;
  /** Headers kept per message; the rest are dropped and noted. */
  maxHeaders: number;
}

export const DEFAULT_LIMITS: ReadLimits = { maxChars: 256 * 1024 * 1024, maxEntries: 200_000, maxHeaders: 500 };

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Skip {
  constructor(readonly why: string) {}
}

function need<T>(ok: boolean, value: unknown, path: string, expected: string): T {
  if (!ok) throw new Skip(`${path} should be ${expected}, got ${describe(value)}`);
  return value as T;
}

function optStr(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** HAR headers `[{ name, value }]` as the engine's list; bad items are dropped (a header is not worth the entry). */
function headers(v: unknown, path: string, max: number, notes: string[]): HeaderList {
  if (v === undefined || v === null) return [];
  const list = need<unknown[]>(Array.isArray(v), v, path, 'an array');
  const out: HeaderList = [];
  let bad = 0;
  for (const h of list) {
    if (!isObj(h) || typeof h.name !== 'string' || typeof h.value !== 'string') {
      bad++;
      continue;
    }
    const name = h.name.trim().toLowerCase();
    if (name === '' || name.startsWith(':')) continue;
    if (out.length >= max) {
      notes.push(`${path}: only the first ${max} headers were read`);
      break;
    }
    out.push([name, h.value]);
  }
  if (bad > 0) notes.push(`${path}: ${bad} header(s) without a string name and value left out`);
  return out;
}

function headerOf(list: HeaderList, name: string): string | null {
  for (const [n, v] of list) if (n === name) return v;
  return null;
}

function entryOf(e: unknown, index: number, limits: ReadLimits, notes: string[]): HarEntry {
  const path = `entry ${index}`;
  const o = need<Obj>(isObj(e), e, path, 'an object');
  const req = need<Obj>(isObj(o.request), o.request, `${path}: request`, 'an object');
  const res: Obj = isObj(o.response) ? o.response : {};
  const method = need<string>(typeof req.method === 'string' && req.method.length > 0 && req.method.length <= 64, req.method, `${path}: request.method`, 'a method name');
  const url = need<string>(typeof req.url === 'string' && req.url.length > 0, req.url, `${path}: request.url`, 'a URL');
  const requestHeaders = headers(req.headers, `${path}: request.headers`, limits.maxHeaders, notes);
  const responseHeaders = headers(res.headers, `${path}: response.headers`, limits.maxHeaders, notes);
  const rawStatus = res.status;
  const status = typeof rawStatus === 'number' && Number.isInteger(rawStatus) && rawStatus > 0 && rawStatus <= 999 ? rawStatus : null;
  const started = typeof o.startedDateTime === 'string' ? Date.parse(o.startedDateTime) : NaN;
  const time = typeof o.time === 'number' && Number.isFinite(o.time) && o.time > 0 ? o.time : 0;
  const initiator: Obj = isObj(o._initiator) ? o._initiator : {};
  const error = optStr(res._error) ?? optStr(res._failureText);
  const headersSize = typeof req.headersSize === 'number' ? req.headersSize : -1;
  const sentHeaders = headerOf(requestHeaders, 'origin') !== null || headerOf(requestHeaders, 'sec-fetch-mode') !== null || headerOf(requestHeaders, 'host') !== null;
  return {
    index,
    startedAt: started,
    duration: time,
    method: method.toUpperCase() === method ? method : normalizeMethodCase(method),
    url,
    requestHeaders,
    provisional: !sentHeaders && (headersSize < 0 || req.httpVersion === ''),
    status,
    responseHeaders: status === null && responseHeaders.length === 0 ? [] : responseHeaders,
    redirectURL: optStr(res.redirectURL) || (status !== null && status >= 300 && status < 400 ? headerOf(responseHeaders, 'location') ?? '' : ''),
    error: error === '' ? null : error,
    initiatorType: optStr(initiator.type),
    initiatorRequestId: optStr(initiator.requestId),
    initiatorUrl: optStr(initiator.url),
    resourceType: optStr(o._resourceType),
    pageref: optStr(o.pageref),
  };
}

const UTF8 = new TextDecoder('utf-8');

/**
 * DevTools writes each header byte as one character (latin1); webRequest, the engine's usual
 * input, and Chrome's `failedParameter` decode the bytes as UTF-8 (U+FFFD where they are not).
 * Re-decoding makes a HAR's values what the live capture would have seen.
 */
export function bytesAsUtf8(value: string): string {
  let high = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 0xff) return value;
    if (c >= 0x80) high = true;
  }
  if (!high) return value;
  const bytes = new Uint8Array(value.length);
  for (let i = 0; i < value.length; i++) bytes[i] = value.charCodeAt(i);
  return UTF8.decode(bytes);
}

function redecode(e: HarEntry): HarEntry {
  const fix = (list: HeaderList): HeaderList => list.map(([n, v]) => [n, bytesAsUtf8(v)]);
  return { ...e, requestHeaders: fix(e.requestHeaders), responseHeaders: fix(e.responseHeaders) };
}

/** Fetch normalizes these six methods to upper case; others stay as written. */
function normalizeMethodCase(method: string): string {
  const upper = method.toUpperCase();
  return ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'].includes(upper) ? upper : method;
}

/** Why JSON.parse refused the text, in words a person acts on. */
function jsonProblem(e: unknown, text: string): string {
  const m = e instanceof Error ? e.message : String(e);
  // V8 names the position it stopped at: at the very end of the text, the text ended too soon.
  const at = /at position (\d+)/.exec(m);
  const atEnd = at !== null && Number(at[1]) >= text.trimEnd().length - 1;
  if (atEnd || /end of (JSON )?input|Unterminated|unexpected end/i.test(m) || text.trimEnd().length === 0) {
    return `the file is not complete JSON: it ends in the middle (truncated?). ${m}`;
  }
  if (e instanceof RangeError) return `the JSON is nested too deeply to read (${m})`;
  return `the file is not JSON: ${m}`;
}

/** Is this text a HAR at a glance (a JSON object with `log.entries`)? Cheap: looks at the start only. */
export function looksLikeHar(text: string): boolean {
  const head = text.slice(0, 4096).replace(/^\uFEFF/, '');
  return /^\s*\{\s*"log"\s*:/.test(head) || /"log"\s*:\s*\{[^]*"(version|creator|entries)"\s*:/.test(head);
}

/** Read a HAR file's text. Never throws. */
export function readHar(text: string, limits: ReadLimits = DEFAULT_LIMITS): ReadResult {
  if (typeof text !== 'string') return { ok: false, error: 'not a HAR: no text' };
  if (text.length > limits.maxChars) {
    return { ok: false, error: `the file is ${Math.round(text.length / 1048576)} MB of text; HAR files of up to ${Math.round(limits.maxChars / 1048576)} MB are read` };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return { ok: false, error: jsonProblem(e, text) };
  }
  if (!isObj(doc) || !isObj(doc.log)) return { ok: false, error: 'not a HAR: the file has no "log" object (a HAR is {"log": {"entries": [...]}})' };
  const log = doc.log;
  if (!Array.isArray(log.entries)) return { ok: false, error: `not a HAR: log.entries should be an array, got ${describe(log.entries)}` };
  const creatorObj: Obj = isObj(log.creator) ? log.creator : {};
  const browserObj: Obj = isObj(log.browser) ? log.browser : {};
  const nameVersion = (o: Obj) => [optStr(o.name), optStr(o.version)].filter((x): x is string => x !== null && x.length > 0).join(' ').slice(0, 200);
  const creator = nameVersion(creatorObj) || 'unknown';
  const pages = new Map<string, string>();
  if (Array.isArray(log.pages)) {
    for (const p of log.pages.slice(0, limits.maxEntries)) {
      if (isObj(p) && typeof p.id === 'string' && typeof p.title === 'string') pages.set(p.id, p.title);
    }
  }
  // Chrome's DevTools ("WebInspector") writes header bytes as latin1 characters.
  const latin1 = /webinspector/i.test(creator);
  const entries: HarEntry[] = [];
  const skipped: string[] = [];
  const notes: string[] = [];
  let failuresRecorded = false;
  const all = log.entries as unknown[];
  for (let i = 0; i < all.length; i++) {
    if (entries.length >= limits.maxEntries) {
      skipped.push(`entries ${i} to ${all.length - 1}: only the first ${limits.maxEntries} entries are read`);
      break;
    }
    try {
      const e = all[i];
      if (isObj(e) && isObj(e.response) && ('_error' in e.response || '_failureText' in e.response)) failuresRecorded = true;
      const entry = entryOf(e, i, limits, notes);
      entries.push(latin1 ? redecode(entry) : entry);
    } catch (err) {
      skipped.push(err instanceof Skip ? err.why : `entry ${i}: unreadable`);
    }
  }
  if (all.length > 0 && entries.length === 0) {
    return { ok: false, error: `not a usable HAR: none of its ${all.length} entries could be read (${skipped[0] ?? ''})` };
  }
  return { ok: true, har: { creator, browser: nameVersion(browserObj) || creator, pages, entries, skipped: [...skipped, ...notes.slice(0, 50)], failuresRecorded } };
}
