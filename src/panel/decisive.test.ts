import { describe, expect, it } from 'vitest';
import { catalogue, makeFinding } from '../cors/catalogue';
import { decisiveOf, evidenceOf, headerRows, neverSent } from './decisive';
import { blockedPut, exchange } from './testing';

const params = { origin: 'http://127.0.0.1:9001', url: 'http://127.0.0.1:9002/p', path: '/p', method: 'PUT', credentials: null };

describe('decisive header rows, from the findings data', () => {
  it('reads every catalogue entry\u2019s decisive headers: lower-case header names only', () => {
    for (const e of catalogue) {
      for (const name of [...e.decisive.request, ...e.decisive.response]) expect(name, e.id).toMatch(/^[a-z0-9-]+$/);
      expect(evidenceOf(makeFinding(e.id, params, null))).toBe(e.decisive);
    }
  });

  it('a header refused by the preflight: Allow-Headers and Request-Headers, not Content-Type or Allow-Origin *', () => {
    const d = decisiveOf(blockedPut());
    expect([...d.preflightResponse]).toEqual(['access-control-allow-headers']);
    expect([...d.preflightRequest]).toEqual(['access-control-request-headers']);
    expect(d.response.size + d.request.size).toBe(0);
  });

  it('a 404 preflight with the right headers: no header row is at fault', () => {
    const ex = blockedPut({ findings: [makeFinding('preflight-invalid-status', { ...params, status: 404 }, null)] });
    const d = decisiveOf(ex);
    expect(d.preflightResponse.size + d.preflightRequest.size).toBe(0);
  });

  it('Allow-Origin * is decisive only where it is the fault (credentials)', () => {
    const wildcard = exchange({ verdict: 'blocked', findings: [makeFinding('wildcard-origin-with-credentials', { ...params, method: 'GET', credentials: 'include' }, null)] });
    expect([...decisiveOf(wildcard).response]).toEqual(['access-control-allow-origin']);
    expect(decisiveOf(exchange()).response.size).toBe(0);
  });

  it('points a preflight CORS-check finding at the preflight response', () => {
    const ex = blockedPut({ findings: [makeFinding('preflight-missing-allow-origin', { ...params, status: 405 }, '')] });
    expect([...decisiveOf(ex).preflightResponse]).toEqual(['access-control-allow-origin']);
  });

  it('orders decisive rows first, CORS headers next, Accept and User-Agent last, and shows absent decisive response headers as missing', () => {
    const rows = headerRows(
      [['accept', '*/*'], ['user-agent', 'x'], ['content-type', 'text/plain'], ['access-control-allow-methods', 'PUT'], ['allow', 'GET']],
      new Set(['access-control-allow-origin']),
      true,
    );
    expect(rows.map((r) => [r.name, r.missing])).toEqual([
      ['access-control-allow-origin', true],
      ['access-control-allow-methods', false],
      ['accept', false],
      ['user-agent', false],
      ['content-type', false],
      ['allow', false],
    ]);
    // A request is never given a (missing) row.
    expect(headerRows([['accept', '*/*']], new Set(['origin']), false).map((r) => r.name)).toEqual(['accept']);
  });

  it('knows a request Chrome never sent (stopped by its preflight) from one that went out', () => {
    expect(neverSent(blockedPut())).toBe(true);
    expect(neverSent(exchange())).toBe(false);
    expect(neverSent(exchange({ verdict: 'blocked', response: { statusCode: 200, headers: [] }, findings: [makeFinding('missing-allow-origin', params, '')] }))).toBe(false);
  });
});
