import { describeFinding } from '../cors/describe';
import { describe, expect, it } from 'vitest';
import { cachedPreflight, redirected, wildcardWithCredentials } from '../report/fixtures.test-helper';
import { labExchanges, ORIGINS } from './lab-exchanges.test-helper';
import { sequenceOf, type Step } from './sequence';
import { preflightFromCache } from '../panel/preflight-cache';
import type { Exchange } from '../traffic/exchange';

const lab = labExchanges();
const kinds = (steps: Step[]) => steps.map((s) => `${s.kind}${s.type === 'arrow' && s.dashed ? ' (dashed)' : ''}`);
const one = (id: string, index?: number) => {
  const found = lab.find((l) => l.scenario.id === id && (index === undefined || l.index === index));
  if (!found) throw new Error(`no lab exchange ${id}`);
  return found;
};

describe('the lab scenarios as the capture records them', () => {
  it('covers every scenario the network sees, judged as Chrome judged it', () => {
    expect(lab.length).toBeGreaterThan(60);
    for (const { scenario, index, expect: exp, ex } of lab) {
      expect(ex.verdict, `${scenario.id}#${index}`).toBe(exp.verdict);
      if (exp.reachedServer !== undefined) expect(ex.reachedServer, `${scenario.id}#${index} reached`).toBe(exp.reachedServer);
      const firstError = ex.findings.find((f) => f.severity === 'error');
      // A call from the lab's public frame is Local Network Access only because of that frame's CSP,
      // which a record does not carry: the engine sees a plain failure there, so only the verdict is held.
      if (exp.chromeCorsError && lab.find((l) => l.ex === ex)!.call.frame !== 'public') expect(firstError?.chromeCorsError, scenario.id).toBe(exp.chromeCorsError);
    }
  });
});

describe('sequenceOf on every lab scenario', () => {
  for (const { scenario, index, expect: exp, ex } of lab) {
    it(`${scenario.id}#${index}: ${exp.verdict}`, () => {
      const { steps, page, server } = sequenceOf(ex);
      expect(page).toBe(ORIGINS.A);
      expect(server).toBe(new URL(ex.url).origin);
      // The page asks first.
      expect(steps[0]).toMatchObject({ type: 'arrow', kind: 'call', from: 'page', to: 'browser' });
      expect(steps[0]!.label.startsWith(`${ex.method} `)).toBe(true);
      // A preflight on the wire is an arrow to the server; one from the cache is a note, no arrow.
      const preflightArrows = steps.filter((s) => s.kind === 'preflight');
      expect(preflightArrows.length, 'preflight arrows').toBe(exp.preflight ? 1 : 0);
      for (const p of preflightArrows) expect(p).toMatchObject({ from: 'browser', to: 'server', dashed: false, label: expect.stringMatching(/^OPTIONS /) });
      expect(steps.some((s) => s.kind === 'preflight-cached')).toBe(ex.preflight?.observed === 'cached');

      const stops = steps.filter((s) => s.kind === 'stop');
      const last = steps[steps.length - 1]!;
      const neverSent = steps.filter((s) => s.type === 'arrow' && s.dashed);
      if (exp.verdict === 'allowed') {
        expect(stops).toEqual([]);
        expect(neverSent).toEqual([]);
        expect(last).toMatchObject({ kind: 'result', from: 'browser', to: 'page', tone: 'ok' });
      } else if (exp.verdict === 'blocked' || exp.verdict === 'failed-before-cors') {
        // Stopped once, and the page is told: network error.
        expect(stops.length).toBe(1);
        expect(last).toMatchObject({ kind: 'result', from: 'browser', to: 'page', tone: 'blocked', label: expect.stringContaining('network error') });
        const reason = ex.findings.find((f) => f.severity === 'error');
        if (reason) expect(stops[0]!.label).toBe(`✗ ${describeFinding(reason).title}`);
        if (reason?.chromeCorsError) expect(stops[0]!.lines).toEqual([`Chrome: ${reason.chromeCorsError}`]);
        else expect(stops[0]!.lines).toEqual(ex.error ? [`browser error: ${ex.error}`] : []);
        const stopAt = steps.indexOf(stops[0]!);
        const requestArrows = steps.filter((s) => s.kind === 'request');
        if (exp.reachedServer === false) {
          // What never happened: the request itself, dashed, right after the stop.
          expect(requestArrows).toEqual([]);
          expect(neverSent.length).toBe(1);
          expect(steps[stopAt + 1]).toBe(neverSent[0]);
          expect(neverSent[0]).toMatchObject({ from: 'browser', to: 'server', label: expect.stringMatching(new RegExp(`^${ex.method} .*never (sent|reached the server)$`)) });
          if (exp.preflight) expect(stopAt).toBeGreaterThan(steps.findIndex((s) => s.kind === 'preflight'));
        } else {
          // It reached the server: the request went out and an answer came back before the stop.
          const answer = steps.findIndex((s) => s.kind === 'response' || s.kind === 'redirect');
          expect(answer).toBeGreaterThan(steps.indexOf(requestArrows[0]!));
          expect(stopAt).toBeGreaterThan(answer);
          if (ex.response) {
            expect(requestArrows.length).toBe(1 + ex.redirects.length);
            expect(neverSent).toEqual([]);
            expect(last.lines).toEqual([`the ${ex.response.statusCode} answer is withheld`]);
          } else {
            // A redirect the browser would not follow: the next request never went out.
            expect(ex.redirects.length).toBeGreaterThan(0);
            expect(requestArrows.length).toBe(ex.redirects.length);
            expect(steps[stopAt + 1]).toMatchObject({ kind: 'never-sent', dashed: true, label: expect.stringMatching(/never sent$/) });
          }
        }
      } else {
        expect(exp.verdict).toBe('not-cors');
        expect(stops).toEqual([]);
        expect(last).toMatchObject({ kind: 'result', from: 'browser', to: 'page' });
      }
      // Each redirect hop is an answer from the server and the browser's next request.
      const hops = steps.filter((s) => s.kind === 'redirect');
      expect(hops.length).toBe(ex.redirects.length);
      hops.forEach((h, i) => {
        const r = ex.redirects[i]!;
        expect(h).toMatchObject({ from: 'server', to: 'browser', label: expect.stringContaining(`${r.statusCode} → `) });
        const followed = ex.response !== null || i < hops.length - 1;
        expect(steps[steps.indexOf(h) + 1]).toMatchObject(followed ? { kind: 'request', from: 'browser', to: 'server' } : { kind: 'stop' });
      });
    });
  }
});

describe('sequenceOf, step by step', () => {
  it('a failed preflight: OPTIONS, its answer, ✗, PUT never sent, network error', () => {
    const { ex } = one('rule-header-disallowed');
    const { steps } = sequenceOf(ex);
    expect(kinds(steps)).toEqual(['call', 'preflight', 'preflight-answer', 'stop', 'never-sent (dashed)', 'result']);
    expect(steps[1]!.lines).toEqual(['access-control-request-method: PUT', 'access-control-request-headers: x-custom-header']);
    expect(steps[2]).toMatchObject({ label: '204', tone: 'blocked', lines: [`access-control-allow-origin: ${ORIGINS.A}`, 'access-control-allow-methods: PUT, GET, POST', 'access-control-allow-headers: X-Other'] });
    expect(steps[4]!.label).toBe('PUT /s/rule-header-disallowed?s=rule-header-disallowed never sent');
    expect(steps[5]!.label).toBe('network error (net::ERR_FAILED)');
  });

  it('blocked after reaching the server: the PUT ran, its 200 is withheld', () => {
    const { ex } = one('seed-put-real-missing-acao');
    const { steps } = sequenceOf(ex);
    expect(kinds(steps)).toEqual(['call', 'preflight', 'preflight-answer', 'request', 'response', 'stop', 'result']);
    expect(steps[2]!.tone).toBe('ok');
    expect(steps[4]).toMatchObject({ label: '200', tone: 'blocked', lines: ['no access-control-allow-origin'] });
    expect(steps[5]).toMatchObject({ label: '✗ No Access-Control-Allow-Origin header', lines: ['Chrome: MissingAllowOriginHeader'] });
  });

  it('a cached preflight: no arrow to the server, the cache entry and its expiry', () => {
    const { ex } = one('cache-max-age', 1);
    const { steps } = sequenceOf(ex, { time: (ms) => `T+${(ms - ex.startedAt) / 1000}s` });
    expect(kinds(steps)).toEqual(['call', 'preflight-cached', 'request', 'response', 'result']);
    // The first PUT's answer (Max-Age 600), sent one second earlier.
    expect(steps[1]).toMatchObject({ type: 'note', tone: 'cache', lines: ['cache entry until T+599s'] });
    expect(kinds(sequenceOf(one('cache-max-age', 0).ex).steps)).toEqual(['call', 'preflight', 'preflight-answer', 'request', 'response', 'result']);
    expect(sequenceOf(cachedPreflight).steps[1]!.lines).toEqual(['cache entry until 2026-01-01T02:00:03.000Z']);
  });

  it('a redirect to another origin: the hop, the next request, then the stop', () => {
    const { ex } = one('redirect-cross-origin-acao-page');
    const { steps } = sequenceOf(ex);
    expect(kinds(steps)).toEqual(['call', 'request', 'redirect', 'request', 'response', 'stop', 'result']);
    const next = `${ORIGINS.C}/s/redirect-cross-origin-acao-page/next?s=redirect-cross-origin-acao-page`;
    expect(steps[2]!.label).toBe(`302 → ${next}`);
    expect(steps[3]!.label).toBe(`GET ${next}`);
    expect(steps[4]!.lines).toEqual([`access-control-allow-origin: ${ORIGINS.A}`]);
    expect(kinds(sequenceOf(redirected).steps)).toEqual(['call', 'request', 'redirect', 'request', 'response', 'stop', 'result']);
  });

  it('a network failure: stopped before the server, never reached it', () => {
    const { steps } = sequenceOf(one('control-connection-refused').ex);
    expect(kinds(steps)).toEqual(['call', 'stop', 'never-sent (dashed)', 'result']);
    expect(steps[1]).toMatchObject({ label: '✗ Network failure, not a CORS failure', lines: ['browser error: net::ERR_CONNECTION_REFUSED'] });
  });

  it('no-cors: an opaque response, no check', () => {
    const { steps } = sequenceOf(one('mode-no-cors').ex);
    expect(kinds(steps)).toEqual(['call', 'request', 'response', 'result']);
    expect(steps[3]!.label).toBe('opaque response (no-cors: no CORS check)');
  });

  it('what a local override changed, after the answer it rewrote', () => {
    const { steps } = sequenceOf(wildcardWithCredentials);
    const i = steps.findIndex((s) => s.kind === 'override');
    expect(steps[i - 1]!.kind).toBe('response');
    expect(steps[i]).toMatchObject({
      tone: 'override',
      lines: ['~ access-control-allow-origin: * → https://app.example', '+ access-control-allow-credentials: true', '- set-cookie'],
    });
  });
});

describe('sequenceOf, redirects the browser refused', () => {
  it('a redirect to a URL with credentials: the hop came back, the next GET never went out', () => {
    const { steps } = sequenceOf(one('rule-redirect-contains-credentials').ex);
    expect(kinds(steps)).toEqual(['call', 'request', 'redirect', 'stop', 'never-sent (dashed)', 'result']);
    expect(steps[3]!.lines).toEqual(['Chrome: RedirectContainsCredentials']);
    expect(steps[4]!.label).toMatch(/^GET http:\/\/user:pass@localhost:41002\/.* never sent$/);
  });
});

describe('a preflight not seen', () => {
  const put = one('rule-preflight-invalid-status').ex;
  const unseen = (over: Partial<Exchange>): Exchange => ({ ...put, preflight: { ...put.preflight!, observed: 'missing', response: null, error: null }, ...over });

  it('is drawn as most likely from the preflight cache when the request went out, as the panel says', () => {
    const ex = unseen({ reachedServer: true, verdict: 'allowed', findings: [], error: null, response: { statusCode: 200, headers: [['access-control-allow-origin', ORIGINS.A]] } });
    const { steps } = sequenceOf(ex);
    expect(kinds(steps)).toEqual(['call', 'preflight-likely-cached', 'request', 'response', 'result']);
    expect(steps[1]).toMatchObject({ type: 'note', tone: 'cache', label: 'preflight most likely answered from the preflight cache' });
    expect(preflightFromCache(ex)).not.toBeNull();
  });

  it('stays "needed but not seen" when the request was not seen going out either', () => {
    const ex = unseen({ reachedServer: false, response: null, request: { headers: [['origin', ORIGINS.A]] } });
    expect(kinds(sequenceOf(ex).steps)).toContain('preflight-missing');
    expect(preflightFromCache(ex)).toBeNull();
  });

  it('agrees with the panel on every lab exchange', () => {
    for (const { scenario, ex } of lab) {
      expect(sequenceOf(ex).steps.some((s) => s.kind === 'preflight-likely-cached'), scenario.id).toBe(preflightFromCache(ex) !== null);
    }
  });
});
