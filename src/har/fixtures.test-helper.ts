/**
 * Small HARs in the shapes each recorder writes (field for field as Chrome 156's getHAR(),
 * Playwright 1.65's recordHar and Firefox's "Save All As HAR" do), for the unit tests.
 * The end-to-end tests use HARs real Chromium wrote; Firefox's shape is built by hand here
 * (see docs/har-and-cli.md).
 */

export const PAGE = 'http://app.test';
export const API = 'http://api.test';

type H = Array<{ name: string; value: string }>;
const h = (o: Record<string, string>): H => Object.entries(o).map(([name, value]) => ({ name, value }));

export interface EntryOpts {
  method?: string;
  url: string;
  t: number;
  time?: number;
  req?: Record<string, string>;
  status?: number;
  res?: Record<string, string>;
  error?: string | null;
  redirectURL?: string;
  initiator?: object;
  resourceType?: string;
  provisional?: boolean;
}

/** Chrome DevTools (Export HAR, getHAR): `_initiator`, `_resourceType`, `response._error`. */
export function chromeEntry(o: EntryOpts): object {
  return {
    _initiator: o.initiator ?? { type: 'script' },
    _resourceType: o.resourceType ?? 'fetch',
    cache: {},
    request: { method: o.method ?? 'GET', url: o.url, httpVersion: o.provisional ? '' : 'HTTP/1.1', headers: h(o.req ?? {}), queryString: [], cookies: [], headersSize: o.provisional ? -1 : 100, bodySize: 0 },
    response: { status: o.status ?? 0, statusText: '', httpVersion: 'HTTP/1.1', headers: h(o.res ?? {}), cookies: [], content: { size: 0, mimeType: 'x-unknown' }, redirectURL: o.redirectURL ?? '', headersSize: -1, bodySize: -1, _transferSize: 0, _error: o.error ?? null },
    serverIPAddress: '127.0.0.1',
    startedDateTime: new Date(o.t).toISOString(),
    time: o.time ?? 20,
    timings: { blocked: 0, dns: 0, connect: 0, send: 0, wait: 10, receive: 0 },
  };
}

export function chromeHar(entries: object[]): string {
  return JSON.stringify({ log: { version: '1.2', creator: { name: 'WebInspector', version: '537.36' }, pages: [], entries } });
}

/** Playwright's recordHar: no preflights, `_failureText`, status -1 and no headers for a failed request. */
export function playwrightEntry(o: EntryOpts): object {
  const failed = o.error !== undefined && o.error !== null;
  return {
    pageref: 'page@1',
    startedDateTime: new Date(o.t).toISOString(),
    time: o.time ?? 20,
    request: { method: o.method ?? 'GET', url: o.url, httpVersion: 'HTTP/1.1', cookies: [], headers: h(o.req ?? {}), queryString: [], headersSize: failed ? -1 : 100, bodySize: 0 },
    response: { status: failed ? -1 : (o.status ?? 200), statusText: '', httpVersion: 'HTTP/1.1', cookies: [], headers: failed ? [] : h(o.res ?? {}), content: { size: -1, mimeType: 'x-unknown' }, headersSize: -1, bodySize: -1, redirectURL: o.redirectURL ?? '', _transferSize: -1, ...(failed ? { _failureText: o.error } : {}) },
    cache: {},
    _frameref: 'frame@1',
    _resourceType: o.resourceType ?? 'fetch',
  };
}

export function playwrightHar(entries: object[]): string {
  return JSON.stringify({ log: { version: '1.2', creator: { name: 'Playwright', version: '1.65.1' }, browser: { name: 'chromium', version: '156.0' }, pages: [{ startedDateTime: new Date(0).toISOString(), id: 'page@1', title: 'App', pageTimings: {} }], entries } });
}

/**
 * Firefox's export: plain HAR 1.2 plus `_securityState`; preflights are ordinary OPTIONS entries;
 * no field says the browser blocked a response, whose status and headers are kept; a request that
 * got no response is status 0. `pages[].title` is the page URL.
 */
export function firefoxEntry(o: EntryOpts): object {
  return {
    pageref: 'page_1',
    startedDateTime: new Date(o.t).toISOString(),
    request: { bodySize: 0, method: o.method ?? 'GET', url: o.url, httpVersion: 'HTTP/1.1', headers: h(o.req ?? {}), cookies: [], queryString: [], headersSize: 300 },
    response: { status: o.status ?? 0, statusText: '', httpVersion: 'HTTP/1.1', headers: h(o.res ?? {}), cookies: [], content: { mimeType: 'text/plain', size: 0, text: '' }, redirectURL: o.redirectURL ?? '', headersSize: 100, bodySize: 0 },
    cache: {},
    timings: { blocked: 0, dns: 0, connect: 0, ssl: 0, send: 0, wait: 5, receive: 0 },
    time: o.time ?? 20,
    _securityState: 'insecure',
    serverIPAddress: '127.0.0.1',
    connection: '443',
  };
}

export function firefoxHar(entries: object[]): string {
  return JSON.stringify({ log: { version: '1.2', creator: { name: 'Firefox', version: '128.5.0' }, browser: { name: 'Firefox', version: '128.5.0' }, pages: [{ startedDateTime: new Date(0).toISOString(), id: 'page_1', title: `${PAGE}/`, pageTimings: {} }], entries } });
}

/** What a page sends with fetch(..., { method: 'PUT', headers: { 'X-Custom': '1' } }). */
export const PUT_HEADERS = { Origin: PAGE, 'Sec-Fetch-Mode': 'cors', 'Content-Type': 'text/plain', 'X-Custom': '1', Host: 'api.test' };
export const PREFLIGHT_HEADERS = { Origin: PAGE, 'Sec-Fetch-Mode': 'cors', 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'x-custom', Host: 'api.test' };
