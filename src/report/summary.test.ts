import { describe, expect, it } from 'vitest';
import { realisticExchanges, wildcardWithCredentials } from './fixtures.test-helper';
import { originLabel, summarize } from './summary';

describe('summarize', () => {
  const s = summarize(realisticExchanges);

  it('counts by verdict', () => {
    expect(s.total).toBe(8);
    expect(s.blocked).toBe(3);
    expect(s.byVerdict).toEqual({ blocked: 3, allowed: 2, 'not-cors': 1, 'failed-before-cors': 1, unknown: 1 });
  });

  it('counts by finding, errors first, with title and Chrome error', () => {
    expect(s.byFinding.map((f) => [f.id, f.severity, f.chromeCorsError, f.exchanges])).toEqual([
      ['insecure-private-network', 'error', 'InsecurePrivateNetwork', 1],
      ['missing-allow-origin', 'error', 'MissingAllowOriginHeader', 1],
      ['preflight-missing-allow-origin', 'error', 'PreflightMissingAllowOriginHeader', 1],
      ['wildcard-origin-with-credentials', 'error', 'WildcardOriginNotAllowed', 1],
      ['allow-origin-without-vary', 'warning', null, 1],
      ['null-origin-allowed', 'warning', null, 1],
    ]);
    expect(s.byFinding[2]!.title).toBe('Preflight: no Access-Control-Allow-Origin header');
  });

  it('counts an exchange once per finding, and more exchanges rank higher', () => {
    const twice = { ...wildcardWithCredentials, findings: [...wildcardWithCredentials.findings, wildcardWithCredentials.findings[0]!] };
    const t = summarize([twice, { ...wildcardWithCredentials, id: '99' }, realisticExchanges[0]!]);
    expect(t.byFinding[0]).toMatchObject({ id: 'wildcard-origin-with-credentials', exchanges: 2 });
  });

  it('lists initiator → target origins with counts', () => {
    expect(s.origins).toEqual([
      { initiator: 'https://app.example', target: 'https://api.example', exchanges: 6, blocked: 3 },
      { initiator: 'https://app.example', target: 'https://img.example', exchanges: 1, blocked: 0 },
      { initiator: 'https://app.example', target: 'https://nowhere.invalid', exchanges: 1, blocked: 0 },
    ]);
    const nulls = summarize([{ ...realisticExchanges[0]!, initiatorOrigin: null, url: 'not a url' }]);
    expect(nulls.origins).toEqual([{ initiator: null, target: 'not a url', exchanges: 1, blocked: 1 }]);
  });

  it('originLabel keeps the port and falls back to the text', () => {
    expect(originLabel('http://127.0.0.1:8080/a?b')).toBe('http://127.0.0.1:8080');
    expect(originLabel('data:text/plain,x')).toBe('data:text/plain,x');
  });

  it('is empty for no exchanges', () => {
    expect(summarize([])).toEqual({ total: 0, blocked: 0, byVerdict: { blocked: 0, allowed: 0, 'not-cors': 0, 'failed-before-cors': 0, unknown: 0 }, byFinding: [], origins: [] });
  });
});
