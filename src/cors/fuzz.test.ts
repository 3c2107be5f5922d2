/**
 * 100,000 random exchanges through the engine: no exception, the same answer twice, and every
 * blocked verdict explained by exactly one error finding in first place. fast-check drives the
 * generator (seeded, so a failure replays); each run checks a batch, to stay well under 30 s.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeExchange } from './analyze';
import { observation } from './arbitraries.test-helper';

const RUNS = 2_000;
const BATCH = 50;
describe('the engine under 100,000 random exchanges', () => {
  it('never throws, answers the same twice, and explains every block with one first error', () => {
    let checked = 0;
    let blocked = 0;
    fc.assert(
      fc.property(fc.array(observation, { minLength: BATCH, maxLength: BATCH }), (batch) => {
        for (const o of batch) {
          const a = analyzeExchange(o);
          const again = analyzeExchange(structuredClone(o));
          expect(again).toEqual(a);
          if (a.verdict === 'blocked') {
            blocked++;
            expect(a.findings[0]?.severity).toBe('error');
            // Errors first: the one error is the reason; no second error follows a warning.
            const firstWarning = a.findings.findIndex((f) => f.severity === 'warning');
            if (firstWarning >= 0) expect(a.findings.slice(firstWarning).every((f) => f.severity === 'warning')).toBe(true);
          }
          checked++;
        }
      }),
      { numRuns: RUNS, seed: 20261123 },
    );
    expect(checked).toBe(RUNS * BATCH);
    console.log(`fuzz: ${checked} exchanges, ${blocked} blocked`);
  }, 60_000);
});
