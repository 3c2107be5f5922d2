import { describe, expect, it } from 'vitest';
import { planOverride } from '../fix/plan';
import { labExchanges } from '../picture/lab-exchanges.test-helper';
import { lineText, tryFixLines } from './try-fix-lines';

const lab = labExchanges();
const planned = lab.flatMap(({ scenario, ex }) => {
  const a = planOverride(ex);
  return a.ok ? [{ id: scenario.id, ex, plan: a.plan }] : [];
});
const of = (id: string) => {
  const p = planned.find((x) => x.id === id);
  if (!p) throw new Error(`no plan for ${id}`);
  return tryFixLines(p.ex, p.plan);
};
const added = (rows: ReturnType<typeof of>['preflight']['rows']) => rows.filter((r) => r.state !== 'kept').map((r) => lineText({ name: r.name, value: r.after }));

describe('Try fix lines', () => {
  it('equal the server fix diff\'s added and changed lines for every lab exchange it can fix, per response', () => {
    expect(planned.length).toBeGreaterThan(20);
    for (const { id, ex, plan } of planned) {
      const t = tryFixLines(ex, plan);
      for (const side of [t.preflight, t.actual]) {
        expect(side.applied.map(lineText), id).toEqual(added(side.rows));
        // Nothing the override sets goes unshown: each plan line is applied or set apart with a reason.
        const shown = new Set([...side.applied, ...side.apart].map((l) => l.name));
        for (const l of side === t.preflight ? plan.preflight : plan.actual) expect(shown.has(l.name), `${id} ${l.name}`).toBe(true);
      }
    }
  });

  it('sets Allow-Origin apart when it only keeps the rule exact (the server already allows the page)', () => {
    const t = of('seed-gin-other-header');
    expect(t.preflight.applied.map(lineText)).toEqual(['Access-Control-Allow-Headers: Content-Type, X-Custom-Header, x-other-header']);
    expect(t.preflight.apart).toEqual([expect.objectContaining({ name: 'access-control-allow-origin', reason: 'scope' })]);
  });

  it('a preflight 404 with the right headers: only the status changes; the rescue repeats the rest, apart', () => {
    const t = of('rule-preflight-invalid-status');
    expect(t.preflight.applied).toEqual([{ name: ':status', value: '204' }]);
    expect(added(t.preflight.rows)).toEqual(['Status: 204']);
    expect(t.preflight.apart.map((a) => [a.name, a.reason])).toEqual([
      ['access-control-allow-origin', 'rescue'],
      ['access-control-allow-methods', 'rescue'],
      ['access-control-allow-headers', 'rescue'],
    ]);
  });

  it('a 405 without CORS headers: the status and every header the fix adds, nothing apart', () => {
    const t = of('seed-no-options-handler');
    expect(t.preflight.applied.map(lineText)).toEqual([
      'Status: 204',
      `Access-Control-Allow-Origin: ${planned.find((p) => p.id === 'seed-no-options-handler')!.plan.pageOrigin}`,
      'Access-Control-Allow-Methods: PUT',
      'Access-Control-Allow-Headers: content-type',
    ]);
    expect(t.preflight.apart).toEqual([]);
  });

  it('never adds Allow-Credentials the exchange does not need', () => {
    const t = of('seed-put-real-missing-acao');
    expect([...t.preflight.applied, ...t.actual.applied].map((l) => l.name)).not.toContain('access-control-allow-credentials');
  });
});
