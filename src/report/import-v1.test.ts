import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { analyzeExchange } from '../cors/analyze';
import { findingProse } from '../cors/describe';
import { observationOfExchange } from './import-finding';
import { parseReport } from './import';
import { REPORT_VERSION } from './schema';

/**
 * Version 1 reports (findings as finished sentences) still open: a report written by the
 * version 1 exporter from the recorded Chromium traces and the report fixtures.
 */
const text = readFileSync(new URL('../../tests/fixtures/report-v1.json', import.meta.url), 'utf8');
const v1 = JSON.parse(text) as { version: number; exchanges: Array<{ id: string; findings: Array<{ id: string; title: string; detail: string; fix: string }> }> };

describe('a version 1 report', () => {
  it('is valid against the version 1 schema (the fixture is what version 1 wrote)', () => {
    const schema = JSON.parse(readFileSync(new URL('../../schema/cors-lens-session.v1.schema.json', import.meta.url), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
    ajv.addFormat('date-time', () => true);
    ajv.addFormat('uri', (s: string) => URL.canParse(s));
    const validate = ajv.compile(schema);
    const ok = validate(v1);
    // The fixture's hostile exchange has a finding spec that is not a URL: version 1 refused that too.
    const errors = (validate.errors ?? []).filter((e) => !e.instancePath.endsWith('/spec'));
    expect(ok || errors.length === 0, ajv.errorsText(errors)).toBe(true);
    expect(v1.version).toBe(1);
  });

  const withoutHostile = { ...v1, exchanges: v1.exchanges.filter((e) => e.findings.every((f) => /^https?:/.test((f as unknown as { spec: string }).spec))) };
  const parsed = parseReport(JSON.stringify(withoutHostile));

  it('opens, as the current version, with every exchange and finding', () => {
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.report.version).toBe(REPORT_VERSION);
    expect(parsed.report.exchanges.map((e) => e.id)).toEqual(withoutHostile.exchanges.map((e) => e.id));
    parsed.report.exchanges.forEach((ex, i) => {
      expect(ex.findings.map((f) => f.id)).toEqual(withoutHostile.exchanges[i]!.findings.map((f) => f.id));
      for (const f of ex.findings) expect(f.values.url.length).toBeGreaterThan(0);
    });
  });

  // Word for word when version 2 was made; the catalogue's wording has improved since, so the
  // titles are compared with version 1's and the values with the engine's own.
  it('says what version 1 said, for every finding version 1 recorded from real traffic', () => {
    if (!parsed.ok) throw new Error(parsed.error);
    let compared = 0;
    parsed.report.exchanges.forEach((ex, i) => {
      // The recorded Chromium traces (loopback origins); the rest are hand-written fixtures with placeholder sentences.
      if (!/^http:\/\/(localhost|127\.0\.0\.1):/.test(ex.url)) return;
      const again = analyzeExchange(observationOfExchange(ex)).findings;
      ex.findings.forEach((f, j) => {
        const fresh = again.find((n) => n.id === f.id);
        if (!fresh) return;
        const old = withoutHostile.exchanges[i]!.findings[j]!;
        const now = findingProse(f);
        expect(now.title).toBe(old.title);
        expect(f.values).toEqual(fresh.values);
        expect(now.detail.length).toBeGreaterThan(20);
        expect(now.fix).not.toMatch(/undefined|\[object/);
        compared++;
      });
    });
    // The recorded traces alone hold this many findings the engine raises.
    expect(compared).toBe(22);
  });

  it('refuses a version 1 finding without its sentences, as version 1 did', () => {
    const broken = structuredClone(withoutHostile);
    const ex = broken.exchanges.find((e) => e.findings.length > 0)!;
    delete (ex.findings[0] as Partial<(typeof ex.findings)[0]>).fix;
    const r = parseReport(JSON.stringify(broken));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/findings\[0\]\.fix/);
  });
});
