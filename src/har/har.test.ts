import { describe, expect, it } from 'vitest';
import { harToReport, readHar } from '.';
import { API, chromeEntry, chromeHar, firefoxEntry, firefoxHar, PAGE, playwrightEntry, playwrightHar, PREFLIGHT_HEADERS, PUT_HEADERS } from './fixtures.test-helper';

const opts = { exportedAt: '2026-01-01T00:00:00.000Z', redact: [] as string[] };
const analyse = (text: string) => {
  const r = harToReport(text, opts);
  if (!r.ok) throw new Error(r.error);
  return r;
};
const reason = (ex: { findings: Array<{ severity: string; chromeCorsError: string | null; failedParameter: string | null }> }) => ex.findings.find((f) => f.severity === 'error');

describe('Chrome DevTools HAR (Export HAR, getHAR)', () => {
  const t = 1_700_000_000_000;
  const url = `${API}/items`;
  const stopped = chromeHar([
    // Chrome times the request from fetch(); its preflight starts a few ms later and links back.
    chromeEntry({ method: 'PUT', url, t, time: 40, req: { Referer: `${PAGE}/`, 'Content-Type': 'text/plain', 'X-Custom': '1' }, provisional: true, error: 'net::ERR_FAILED' }),
    chromeEntry({ method: 'OPTIONS', url, t: t + 5, req: PREFLIGHT_HEADERS, status: 204, res: { 'Access-Control-Allow-Origin': PAGE, 'Access-Control-Allow-Methods': 'PUT', 'Access-Control-Allow-Headers': 'x-other' }, initiator: { type: 'preflight', url, requestId: '1.2' }, resourceType: 'preflight' }),
  ]);

  it('pairs a preflight with the request it stopped and names Chrome\u2019s error', () => {
    const { report, conversion } = analyse(stopped);
    expect(conversion.source).toBe('chrome');
    expect(report.exchanges).toHaveLength(1);
    const ex = report.exchanges[0]!;
    expect(ex.verdict).toBe('blocked');
    expect(ex.preflight?.observed).toBe('sent');
    expect(ex.reachedServer).toBe(false);
    expect(reason(ex)?.chromeCorsError).toBe('HeaderDisallowedByPreflightResponse');
    expect(reason(ex)?.failedParameter).toBe('x-custom');
    // Sure of the rule; less sure of the credentials mode, the HAR holding no Cookie header at all.
    expect(conversion.confidence.get(ex.id)).toEqual({ level: 'medium', reasons: [expect.stringMatching(/no Cookie header/)] });
    expect(conversion.notes.map((n) => n.id)).toContain('no-cors-reason');
  });

  it('reads a blocked response\u2019s headers, which Chrome keeps beside _error', () => {
    const { report } = analyse(chromeHar([chromeEntry({ url, t, req: { Origin: PAGE, 'Sec-Fetch-Mode': 'cors', Host: 'api.test' }, status: 200, res: { 'Content-Type': 'text/plain' }, error: 'net::ERR_FAILED' })]));
    expect(reason(report.exchanges[0]!)?.chromeCorsError).toBe('MissingAllowOriginHeader');
    expect(report.exchanges[0]!.reachedServer).toBe(true);
  });

  it('follows a redirect written as two entries, and leaves same-origin requests out', () => {
    const { report } = analyse(chromeHar([
      chromeEntry({ url: `${PAGE}/same`, t, req: { Host: 'app.test', Referer: `${PAGE}/` }, status: 200, resourceType: 'fetch' }),
      chromeEntry({ url, t: t + 10, req: { Origin: PAGE, 'Sec-Fetch-Mode': 'cors', Host: 'api.test' }, status: 302, res: { Location: `${API}/next`, 'Access-Control-Allow-Origin': '*' }, redirectURL: `${API}/next` }),
      chromeEntry({ url: `${API}/next`, t: t + 20, req: { Origin: PAGE, 'Sec-Fetch-Mode': 'cors', Host: 'api.test' }, status: 200, res: { 'Access-Control-Allow-Origin': '*' } }),
    ]));
    expect(report.exchanges).toHaveLength(1);
    expect(report.exchanges[0]!.redirects).toHaveLength(1);
    expect(report.exchanges[0]!.verdict).toBe('allowed');
  });

  it('pairs parallel preflights to one URL by the headers they announced', () => {
    const entries = ['x-a', 'x-b'].flatMap((name, i) => [
      chromeEntry({ method: 'PUT', url, t: t + i, time: 50, req: { ...PUT_HEADERS, 'X-Custom': '', [name]: '1' }, status: 200, res: { 'Access-Control-Allow-Origin': PAGE } }),
      chromeEntry({ method: 'OPTIONS', url, t: t + 10 - i, req: { ...PREFLIGHT_HEADERS, 'Access-Control-Request-Headers': `${name},x-custom` }, status: 204, res: { 'Access-Control-Allow-Origin': PAGE, 'Access-Control-Allow-Methods': 'PUT', 'Access-Control-Allow-Headers': `${name},x-custom` }, initiator: { type: 'preflight', url, requestId: `r${i}` } }),
    ]);
    const { report } = analyse(chromeHar(entries));
    expect(report.exchanges).toHaveLength(2);
    for (const ex of report.exchanges) {
      const sent = ex.request.headers.find(([n]) => n === 'x-a' || n === 'x-b')![0];
      expect(ex.preflight?.request.headers.find(([n]) => n === 'access-control-request-headers')?.[1]).toContain(sent);
    }
  });

  it('decodes header bytes as UTF-8, as webRequest and Chrome\u2019s failedParameter do', () => {
    const { report } = analyse(chromeHar([chromeEntry({ url, t, req: { Origin: PAGE, 'Sec-Fetch-Mode': 'cors', Host: 'api.test' }, status: 200, res: { 'Access-Control-Allow-Origin': `${PAGE}\u00c3\u00a9` }, error: 'net::ERR_FAILED' })]));
    expect(reason(report.exchanges[0]!)?.failedParameter).toBe(`${PAGE}\u00e9`);
  });

  it('says when the HAR has no Cookie header (a sanitized export)', () => {
    const { conversion } = analyse(stopped);
    expect(conversion.notes.map((n) => n.id)).toContain('no-cookies');
  });
});

describe('Playwright recordHar', () => {
  const t = 1_700_000_000_000;
  it('blocks what Chrome failed, with low confidence: no preflight, no headers in the file', () => {
    const { report, conversion } = analyse(playwrightHar([
      playwrightEntry({ url: `${PAGE}/`, t, resourceType: 'document', status: 200 }),
      playwrightEntry({ method: 'PUT', url: `${API}/x`, t: t + 1, req: { 'Content-Type': 'text/plain', 'X-Custom': '1', Referer: `${PAGE}/` }, error: 'net::ERR_FAILED' }),
    ]));
    expect(conversion.source).toBe('playwright');
    const ex = report.exchanges[0]!;
    expect(ex.verdict).toBe('blocked');
    const c = conversion.confidence.get(ex.id)!;
    expect(c.level).toBe('low');
    expect(c.reasons.join(' ')).toMatch(/x-custom is not CORS-safelisted/);
    expect(conversion.notes.map((n) => n.id)).toEqual(expect.arrayContaining(['no-preflights', 'no-blocked-responses']));
  });
});

describe('Firefox HAR (hand-built in Firefox\u2019s shape)', () => {
  const t = 1_700_000_000_000;
  const url = `${API}/items`;
  it('reads the verdict from the rules, since Firefox does not record which requests it blocked', () => {
    const { report, conversion } = analyse(firefoxHar([
      firefoxEntry({ method: 'OPTIONS', url, t, req: PREFLIGHT_HEADERS, status: 200, res: { 'Access-Control-Allow-Origin': PAGE, 'Access-Control-Allow-Methods': 'PUT', 'Access-Control-Allow-Headers': 'x-custom' } }),
      firefoxEntry({ method: 'PUT', url, t: t + 2, req: PUT_HEADERS, status: 200, res: { 'Content-Type': 'text/plain' } }),
      firefoxEntry({ url: `${API}/ok`, t: t + 5, req: { Origin: PAGE, Host: 'api.test' }, status: 200, res: { 'Access-Control-Allow-Origin': '*' } }),
    ]));
    expect(conversion.source).toBe('firefox');
    expect(conversion.notes.map((n) => n.id)).toContain('no-failures');
    const [put, ok] = report.exchanges;
    expect(put!.preflight?.observed).toBe('sent');
    expect(put!.verdict).toBe('blocked');
    expect(reason(put!)?.chromeCorsError).toBe('MissingAllowOriginHeader');
    expect(conversion.confidence.get(put!.id)?.level).toBe('medium');
    expect(ok!.verdict).toBe('allowed');
  });
});

describe('hostile HARs: an error or a note, never a crash', () => {
  const bad: Array<[string, string, RegExp]> = [
    ['not JSON', 'hello', /not JSON/],
    ['truncated JSON', chromeHar([chromeEntry({ url: `${API}/a`, t: 0 })]).slice(0, 120), /truncated/],
    ['empty', '', /truncated|not JSON/],
    ['a CORS Lens report', JSON.stringify({ schema: 'cors-lens/session', version: 1, exchanges: [] }), /no "log" object/],
    ['log not an object', '{"log": 3}', /no "log" object/],
    ['entries not an array', '{"log": {"entries": {"0": {}}}}', /log.entries should be an array/],
    ['no readable entry', '{"log": {"entries": [1, null, "x", {"request": 5}]}}', /none of its 4 entries/],
    ['deep nesting', `{"log": {"entries": ${'['.repeat(200_000)}${']'.repeat(200_000)}}}`, /.*/],
    ['nesting without an end', '['.repeat(1_000_000), /truncated|nested|not JSON/],
  ];
  for (const [name, text, error] of bad) {
    it(`refuses ${name} with a message`, () => {
      const r = harToReport(text, opts);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(error);
    });
  }

  it('skips entries with missing fields or wrong types, and says which', () => {
    const entries: unknown[] = [
      chromeEntry({ url: `${API}/ok`, t: 0, req: { Origin: PAGE, 'Sec-Fetch-Mode': 'cors' }, status: 200, res: { 'Access-Control-Allow-Origin': '*' } }),
      { request: { method: 'GET' } },
      { request: { method: 42, url: `${API}/x` } },
      { request: { method: 'GET', url: `${API}/y`, headers: 'nope' } },
      { request: { method: 'GET', url: `${API}/z`, headers: [{ name: 1, value: {} }, null, { name: 'Origin', value: PAGE }] }, response: { status: '200', headers: [[1, 2]] }, startedDateTime: {}, time: 'slow', _initiator: 'x' },
      { __proto__: { polluted: true }, request: { method: 'GET', url: '::not a url::', headers: [] } },
    ];
    const r = harToReport(JSON.stringify({ log: { entries } }), opts);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.conversion.notes.find((n) => n.id === 'skipped-entries')?.text).toMatch(/request.url should be a URL, got nothing/);
    expect(r.report.exchanges.map((e) => e.url)).toContain(`${API}/ok`);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a text over the size limit, and reads at most the entry limit', () => {
    const text = chromeHar(Array.from({ length: 30 }, (_, i) => chromeEntry({ url: `${API}/${i}`, t: i, req: { Origin: PAGE }, status: 200, res: { 'Access-Control-Allow-Origin': '*' } })));
    const small = readHar(text, { maxChars: 100, maxEntries: 10, maxHeaders: 5 });
    expect(small.ok).toBe(false);
    const few = readHar(text, { maxChars: 1e9, maxEntries: 10, maxHeaders: 5 });
    expect(few.ok && few.har.entries.length).toBe(10);
    expect(few.ok && few.har.skipped[0]).toMatch(/only the first 10 entries/);
  });

  it('keeps a bounded number of headers per message', () => {
    const many = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`x-h${i}`, 'v']));
    const r = readHar(chromeHar([chromeEntry({ url: `${API}/a`, t: 0, req: many })]));
    expect(r.ok && r.har.entries[0]!.requestHeaders.length).toBe(500);
  });

  it('converts 20,000 entries', { timeout: 120_000 }, () => {
    const entries = Array.from({ length: 20_000 }, (_, i) => chromeEntry({ url: `${API}/${i % 50}`, t: i, req: { Origin: PAGE, 'Sec-Fetch-Mode': 'cors' }, status: 200, res: { 'Access-Control-Allow-Origin': i % 3 ? '*' : 'http://other.test' }, error: i % 3 ? null : 'net::ERR_FAILED' }));
    const r = analyse(chromeHar(entries));
    expect(r.report.exchanges).toHaveLength(20_000);
    expect(r.report.exchanges.filter((e) => e.verdict === 'blocked')).toHaveLength(Math.ceil(20_000 / 3));
  });
});
