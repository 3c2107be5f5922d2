import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { hostileReasons } from '../cors/reasons.test-helper';
import type { Exchange } from '../traffic/exchange';
import { EXPORTED_AT, hostile, realisticExchanges } from './fixtures.test-helper';
import { parseReport } from './import';
import { buildReport } from './json';
import { DEFAULT_REDACTED } from './redact';

// Ajv is for the tests only: it compiles with `new Function`, which the extension's CSP forbids.
const schema = JSON.parse(readFileSync(new URL('../../schema/cors-lens-session.v2.schema.json', import.meta.url), 'utf8')) as object;
const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
ajv.addFormat('date-time', (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)));
ajv.addFormat('uri', (s: string) => URL.canParse(s));
const validate = ajv.compile(schema);

function report(exchanges: readonly Exchange[], redact: readonly string[] = DEFAULT_REDACTED) {
  return buildReport({ exchanges, tab: { id: 7, url: 'https://app.example/page?x=1' }, browser: 'Mozilla/5.0 Chrome/156.0', exportedAt: EXPORTED_AT, redact });
}

function errors(): string {
  return ajv.errorsText(validate.errors, { separator: '\n' });
}

/** A hostile exchange whose values are hostile but whose shape is valid. */
const hostileButValid: Exchange = hostile;

describe('the JSON Schema (schema/cors-lens-session.v2.schema.json)', () => {
  it('accepts what buildReport makes, for every shape of exchange', () => {
    for (const ex of realisticExchanges) {
      expect(validate(report([ex])), `${ex.id}: ${errors()}`).toBe(true);
    }
    expect(validate(report(realisticExchanges)), errors()).toBe(true);
    expect(validate(report(realisticExchanges, [])), errors()).toBe(true);
    expect(validate(report([hostileButValid])), errors()).toBe(true);
    expect(validate(report([])), errors()).toBe(true);
  });

  it('accepts reasons stored as data (rule, values, and their text), and reads them back unchanged', () => {
    const exchanges = Object.values(hostileReasons).map((make, i) => {
      const a = make();
      return { ...realisticExchanges[0]!, id: `r${i}`, credentials: a.credentials, mode: a.mode, inferred: a.inferred };
    });
    const r = report(exchanges, []);
    expect(validate(r), errors()).toBe(true);
    const back = parseReport(JSON.stringify(r));
    expect(back.ok && back.report.exchanges.map((e) => [e.credentials, e.inferred])).toEqual(exchanges.map((e) => [e.credentials, e.inferred]));
  });

  it('reads a reason whose values it does not know as its stored text alone (a newer CORS Lens)', () => {
    const a = hostileReasons.header();
    const r = JSON.parse(JSON.stringify(report([{ ...realisticExchanges[0]!, inferred: a.inferred }], []))) as { exchanges: Array<{ inferred: { mode: { values: Record<string, unknown> } } }> };
    r.exchanges[0]!.inferred.mode.values.newer = 'x';
    const back = parseReport(JSON.stringify(r));
    expect(back.ok && back.report.exchanges[0]!.inferred!.mode).toEqual({ rule: a.inferred.mode.rule, why: a.inferred.mode.why });
  });

  it('accepts a tab whose origin is opaque', () => {
    const r = buildReport({ exchanges: [], tab: { id: 1, url: 'data:text/html,hi' }, browser: 'x', exportedAt: EXPORTED_AT, redact: [] });
    expect(r.tab.origin).toBeNull();
    expect(validate(r), errors()).toBe(true);
  });

  // Each mutation breaks one rule of §4. The schema and the runtime reader must both refuse it,
  // so the two cannot drift apart unnoticed.
  const mutations: Array<[string, (r: Record<string, unknown>, ex: Record<string, unknown>) => void]> = [
    ['a foreign schema', (r) => (r.schema = 'something/else')],
    ['a newer version', (r) => (r.version = 3)],
    ['exportedAt not a date', (r) => (r.exportedAt = 'yesterday')],
    ['tab without origin', (r) => delete (r.tab as Record<string, unknown>).origin],
    ['a verdict outside the enum', (_r, ex) => (ex.verdict = 'maybe')],
    ['a mode outside the enum', (_r, ex) => (ex.mode = 'websocket')],
    ['credentials.value outside the enum', (_r, ex) => ((ex.credentials as Record<string, unknown>).value = 'same-origin')],
    ['preflight.observed outside the enum', (_r, ex) => ((ex.preflight as Record<string, unknown>).observed = 'skipped')],
    ['cacheExpiresAt not a number', (_r, ex) => ((ex.preflight as Record<string, unknown>).cacheExpiresAt = '2026-01-01')],
    ['a header that is not a pair', (_r, ex) => ((ex.request as { headers: unknown[] }).headers.push(['only-a-name']))],
    ['a header value that is not a string', (_r, ex) => ((ex.request as { headers: unknown[] }).headers.push(['x', 1]))],
    ['a fractional status code', (_r, ex) => ((ex.response as Record<string, unknown>) = { statusCode: 200.5, headers: [] })],
    ['a missing reachedServer', (_r, ex) => delete ex.reachedServer],
    ['startedAt as a string', (_r, ex) => (ex.startedAt = '1767225600000')],
    ['redirects missing', (_r, ex) => delete ex.redirects],
    ['a finding severity outside the enum', (_r, ex) => ((ex.findings as Array<Record<string, unknown>>)[0]!.severity = 'fatal')],
    ['a finding stage outside the enum', (_r, ex) => ((ex.findings as Array<Record<string, unknown>>)[0]!.stage = 'response')],
    ['a finding without values', (_r, ex) => delete (ex.findings as Array<Record<string, unknown>>)[0]!.values],
    ['a finding value of the wrong type', (_r, ex) => (((ex.findings as Array<Record<string, unknown>>)[0]!.values as Record<string, unknown>).status = '204')],
    ['a finding whose values lack the origin', (_r, ex) => delete ((ex.findings as Array<Record<string, unknown>>)[0]!.values as Record<string, unknown>).origin],
    ['a finding id not in kebab-case', (_r, ex) => ((ex.findings as Array<Record<string, unknown>>)[0]!.id = 'Not Kebab')],
    ['exchanges not an array', (r) => (r.exchanges = {})],
  ];

  it.each(mutations)('refuses %s, and so does parseReport', (_name, mutate) => {
    const r = structuredClone(report([{ ...realisticExchanges[0]!, preflight: { ...realisticExchanges[0]!.preflight!, cacheExpiresAt: 1 } }])) as unknown as Record<string, unknown>;
    const ex = (r.exchanges as Array<Record<string, unknown>>)[0]!;
    expect(validate(r), 'valid before the mutation').toBe(true);
    mutate(r, ex);
    expect(validate(r)).toBe(false);
    const parsed = parseReport(JSON.stringify(r));
    expect(parsed.ok).toBe(false);
  });

  it('catches drift: an exchange or finding field the schema does not know is refused', () => {
    const r = structuredClone(report(realisticExchanges)) as unknown as { exchanges: Array<Record<string, unknown> & { findings: Array<Record<string, unknown>> }> };
    r.exchanges[0]!.newField = 1;
    expect(validate(r)).toBe(false);
    const r2 = structuredClone(report(realisticExchanges)) as unknown as typeof r;
    r2.exchanges[0]!.findings[0]!.firefoxReason = 'CORSMissingAllowOrigin';
    expect(validate(r2)).toBe(false);
  });

  it('agrees with the Exchange type: a fixture with every optional field set validates', () => {
    const full: Exchange = {
      ...realisticExchanges[6]!,
      preflight: { ...realisticExchanges[6]!.preflight!, cacheExpiresAt: 1_767_225_600_000, response: { statusCode: 204, headers: [] } },
    };
    expect(full.finalResponse).toBeDefined();
    expect(full.preflight?.finalResponse).toBeDefined();
    expect(validate(report([full])), errors()).toBe(true);
  });
});
