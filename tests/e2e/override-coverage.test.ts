import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debuggerAttached, openBench, override, run, sessionRules, type Bench } from './override-helpers';

/**
 * Every blocked lab scenario, tried as a user would: run it, press Try fix on its blocked
 * exchange, run it again. Chrome's own verdict (DevTools Protocol) decides whether the override
 * fixed it; a declined one must say why. Done when every offered override works: none is offered
 * that leaves the request blocked, and none leaves a rule or a debugger behind.
 */
let b: Bench;

beforeAll(async () => {
  b = await openBench();
});

afterAll(async () => {
  await b?.close();
});

describe('Try fix on every blocked lab scenario (the shipped build)', () => {
  it('fixes, by Chrome\'s verdict, every one it offers to fix, and says why for the rest', async () => {
    const blocked = b.lab.scenarios.filter((s) => s.expect.verdict === 'blocked' && s.expect.seenByNetwork !== false);
    const fixed: string[] = [];
    const byMechanism: Record<string, number> = { headers: 0, rescue: 0 };
    const notFixed: string[] = [];
    const declined: string[] = [];
    const skipped: string[] = [];
    for (const s of blocked) {
      let before;
      try {
        before = await run(b, s.id);
      } catch (e) {
        skipped.push(`${s.id}: ${String(e).slice(0, 120)}`);
        continue;
      }
      if (before.chrome.errorText === null || before.exchange.verdict !== 'blocked') {
        skipped.push(`${s.id}: the subject request was not blocked here (${before.exchange.verdict})`);
        continue;
      }
      const a = await override(b, { action: 'add', tabId: b.tabId, exchangeId: before.exchange.id });
      if (!a.ok) {
        expect(a.why.length, `${s.id}: a reason`).toBeGreaterThan(0);
        declined.push(`${s.id}: ${a.reason}: ${a.why}`);
        expect(await sessionRules(b), `${s.id}: no rule left by a declined override`).toEqual([]);
        expect(await debuggerAttached(b), `${s.id}: no debugger left by a declined override`).toBe(false);
        continue;
      }
      const mechanism = a.added?.mechanism ?? 'headers';
      let after;
      try {
        after = await run(b, s.id);
      } catch (e) {
        notFixed.push(`${s.id} (${mechanism}): ${String(e).slice(0, 160)}`);
        await override(b, { action: 'clear' });
        continue;
      }
      if (after.chrome.errorText === null) {
        fixed.push(s.id);
        byMechanism[mechanism] = (byMechanism[mechanism] ?? 0) + 1;
      } else notFixed.push(`${s.id} (${mechanism}): Chrome still says ${after.chrome.corsError ?? after.chrome.errorText}`);
      await override(b, { action: 'clear' });
      expect(await sessionRules(b)).toEqual([]);
      expect(await debuggerAttached(b)).toBe(false);
    }
    const tried = fixed.length + notFixed.length + declined.length;
    console.log(
      `override coverage: ${blocked.length} blocked scenarios, ${tried} tried; fixed ${fixed.length}/${fixed.length + notFixed.length} offered ` +
        `(header rules ${byMechanism.headers}, rescue ${byMechanism.rescue}); declined ${declined.length}; skipped ${skipped.length}`,
    );
    for (const d of declined) console.log(`  declined ${d}`);
    for (const n of notFixed) console.log(`  NOT FIXED ${n}`);
    for (const k of skipped) console.log(`  skipped ${k}`);
    expect(notFixed).toEqual([]);
    expect(fixed.length).toBeGreaterThan(0);
  }, 600_000);
});
