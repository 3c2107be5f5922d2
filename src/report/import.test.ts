import { describe, expect, it } from 'vitest';
import { EXPORTED_AT, hostile, realisticExchanges } from './fixtures.test-helper';
import { parseReport } from './import';
import { buildReport } from './json';
import { DEFAULT_REDACTED } from './redact';

const report = buildReport({
  exchanges: realisticExchanges,
  tab: { id: 3, url: 'https://app.example/' },
  browser: 'Mozilla/5.0 Chrome/156.0',
  exportedAt: EXPORTED_AT,
  redact: DEFAULT_REDACTED,
});

function refused(text: string): string {
  const r = parseReport(text);
  if (r.ok) throw new Error('expected a refusal');
  expect(r.error).not.toMatch(/\n/);
  return r.error;
}

describe('parseReport', () => {
  it('accepts its own output (round trip), equal field for field', () => {
    const r = parseReport(JSON.stringify(report));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.report).toEqual(report);
  });

  it('round-trips hostile values unchanged', () => {
    const ex = hostile;
    const built = buildReport({ exchanges: [ex], tab: { id: 1, url: 'https://a.example/' }, browser: '', exportedAt: EXPORTED_AT, redact: [] });
    const r = parseReport(JSON.stringify(built, null, 2));
    expect(r.ok && r.report).toEqual(built);
  });

  it('accepts a byte-order mark and surrounding whitespace', () => {
    expect(parseReport(`\uFEFF  ${JSON.stringify(report)}\n`).ok).toBe(true);
  });

  it('drops fields it does not know instead of passing them on', () => {
    const data = JSON.parse(JSON.stringify(report)) as Record<string, unknown> & { exchanges: Array<Record<string, unknown>> };
    data.extra = 'x';
    data.exchanges[0]!.__proto__polluter = { admin: true };
    const r = parseReport(JSON.stringify(data));
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.report).not.toHaveProperty('extra');
      expect(r.report.exchanges[0]).not.toHaveProperty('__proto__polluter');
      expect(r.report).toEqual(report);
    }
  });

  it('ignores a __proto__ key in the file', () => {
    const text = JSON.stringify(report).replace('{', '{"__proto__":{"polluted":true},');
    const r = parseReport(text);
    expect(r.ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['empty text', '', /empty/],
    ['whitespace', '  \n ', /empty/],
    ['malformed JSON', '{"schema": "cors-lens/session",', /not valid JSON/],
    ['a truncated file', JSON.stringify(report).slice(0, 500), /not valid JSON/],
    ['plain text', 'hello', /not valid JSON/],
  ])('refuses %s', (_name, text, message) => {
    expect(refused(text)).toMatch(message);
  });

  it.each([
    ['an array', '[1,2,3]', /not a CORS Lens session report.*got an array/],
    ['a string', '"cors-lens/session"', /not a CORS Lens session report/],
    ['null', 'null', /not a CORS Lens session report/],
    ['an object without schema', '{"version":1}', /not a CORS Lens session report.*no "schema"/],
    ['a HAR file', '{"log":{"version":"1.2","entries":[]}}', /not a CORS Lens session report/],
    ['another schema', '{"schema":"other/thing","version":1}', /its "schema" is "other\/thing"/],
  ])('refuses foreign JSON: %s', (_name, text, message) => {
    expect(refused(text)).toMatch(message);
  });

  it('refuses a report from a newer CORS Lens, saying so', () => {
    const msg = refused(JSON.stringify({ ...report, version: 3, exchanges: [{ whatever: true }] }));
    expect(msg).toMatch(/made by a newer CORS Lens/);
    expect(msg).toMatch(/version 3/);
    expect(msg).toMatch(/versions 1 to 2/);
  });

  it.each([
    ['version 0', 0],
    ['a version string', '1'],
    ['a fractional version', 1.5],
  ])('refuses %s', (_name, version) => {
    expect(refused(JSON.stringify({ ...report, version }))).toMatch(/unsupported report version/);
  });

  it('names the path and the problem for a structurally wrong exchange', () => {
    const bad = structuredClone(report) as unknown as { exchanges: Array<Record<string, unknown>> };
    bad.exchanges[3]!.verdict = 'maybe';
    expect(refused(JSON.stringify(bad))).toBe(
      'Invalid CORS Lens report: exchanges[3].verdict should be one of "allowed", "blocked", "not-cors", "failed-before-cors", "unknown", got "maybe".',
    );
    const bad2 = structuredClone(report) as unknown as { exchanges: Array<{ request: { headers: unknown[] } }> };
    bad2.exchanges[0]!.request.headers[1] = ['cookie'];
    expect(refused(JSON.stringify(bad2))).toMatch(/exchanges\[0\]\.request\.headers\[1\] should be a \[name, value\] pair/);
    const bad3 = structuredClone(report) as unknown as { exchanges: unknown[] };
    bad3.exchanges[2] = 'not an exchange';
    expect(refused(JSON.stringify(bad3))).toMatch(/exchanges\[2\] should be an object, got "not an exchange"/);
  });

  it('keeps a wrong value out of the message when it is long, and on one line', () => {
    const bad = structuredClone(report) as unknown as { exchanges: Array<Record<string, unknown>> };
    bad.exchanges[0]!.method = 42;
    bad.exchanges[0]!.id = 7;
    const msg = refused(JSON.stringify(bad));
    expect(msg).toMatch(/exchanges\[0\]\.id should be a string, got 7/);
    const bad2 = structuredClone(report) as unknown as { exchanges: Array<Record<string, unknown>> };
    bad2.exchanges[0]!.verdict = `x\n${'y'.repeat(500)}`;
    const msg2 = refused(JSON.stringify(bad2));
    expect(msg2.length).toBeLessThan(250);
  });

  it('never throws, whatever it is given', () => {
    const inputs: unknown[] = ['{', '[]', '{}', 'true', '1e999', JSON.stringify({ schema: 'cors-lens/session', version: 1 }), undefined, null, 42];
    for (const input of inputs) expect(() => parseReport(input as string)).not.toThrow();
    expect(parseReport(undefined as unknown as string).ok).toBe(false);
  });
});
