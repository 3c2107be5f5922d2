/**
 * Properties of analyzeExchange over arbitrary input: it never throws, it is
 * deterministic, and every block is explained by an error finding first.
 */
import fc from 'fast-check';
import { findingProse } from './describe';
import { describe, expect, it } from 'vitest';
import { analyzeExchange } from './analyze';
import { catalogue } from './catalogue';
import { observation } from './arbitraries.test-helper';

const ids = new Set(catalogue.map((e) => e.id));

describe('analyzeExchange properties', () => {
  it('never throws, and its output is well-formed', () => {
    fc.assert(
      fc.property(observation, (o) => {
        const a = analyzeExchange(o);
        expect(['allowed', 'blocked', 'not-cors', 'failed-before-cors', 'unknown']).toContain(a.verdict);
        for (const f of a.findings) {
          expect(ids.has(f.id)).toBe(true);
          expect(typeof findingProse(f).detail).toBe('string');
          expect(typeof findingProse(f).fix).toBe('string');
        }
        // Errors first, then warnings.
        const firstWarning = a.findings.findIndex((f) => f.severity === 'warning');
        if (firstWarning >= 0) expect(a.findings.slice(firstWarning).every((f) => f.severity === 'warning')).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(observation, (o) => {
        const copy = structuredClone(o);
        expect(analyzeExchange(copy)).toEqual(analyzeExchange(o));
      }),
      { numRuns: 1000 },
    );
  });

  it('every blocked verdict starts with an error finding', () => {
    fc.assert(
      fc.property(observation, (o) => {
        const a = analyzeExchange(o);
        if (a.verdict === 'blocked') expect(a.findings[0]?.severity).toBe('error');
        if (a.verdict === 'failed-before-cors') expect(a.findings[0]?.id).toBe('network-error');
        if (a.verdict === 'allowed' || a.verdict === 'not-cors') expect(a.findings.every((f) => f.severity === 'warning')).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('the browser is never contradicted: a request it did not fail is never blocked', () => {
    fc.assert(
      fc.property(observation, (o) => {
        const a = analyzeExchange(o);
        if (o.error === null && o.response !== null) expect(a.verdict).not.toBe('blocked');
      }),
      { numRuns: 2000 },
    );
  });

  it('a non-CORS network error is never labelled with a Chrome CorsError', () => {
    fc.assert(
      fc.property(observation, fc.constantFrom('net::ERR_CONNECTION_REFUSED', 'net::ERR_NAME_NOT_RESOLVED'), (o, error) => {
        const a = analyzeExchange({ ...o, error });
        expect(a.verdict).toBe('failed-before-cors');
        expect(a.findings.every((f) => f.chromeCorsError === null)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
