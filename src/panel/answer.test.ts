import { describe, expect, it } from 'vitest';
import { makeFinding } from '../cors/catalogue';
import { answerOf, findingCell } from './answer';
import { specLinkText } from './format';
import { blockedPut, exchange } from './testing';

const params = { origin: 'http://127.0.0.1:9001', url: 'http://127.0.0.1:9002/p', path: '/p', method: 'PUT', credentials: null };
const preflightAnswered = (status: number, headers: Array<[string, string]>) => ({ ...blockedPut().preflight!, response: { statusCode: status, headers } });

describe('the answer a detail leads with', () => {
  it('heads two failed preflights of one kind alike, naming every blocker (405 without Allow-Origin, 404 with it)', () => {
    const p405 = blockedPut({ preflight: preflightAnswered(405, [['allow', 'GET']]), findings: [makeFinding('preflight-missing-allow-origin', { ...params, status: 405 }, '')] });
    const p404 = blockedPut({ preflight: preflightAnswered(404, [['access-control-allow-origin', 'http://127.0.0.1:9001']]), findings: [makeFinding('preflight-invalid-status', { ...params, status: 404 }, null)] });
    expect(answerOf(p405).headline).toBe('Preflight failed: status 405 and no `Access-Control-Allow-Origin`');
    expect(answerOf(p404).headline).toBe('Preflight failed: status 404');
    expect(answerOf(p405).kind).toBe(answerOf(p404).kind);
  });

  it('says a request stopped by its preflight never reached the server', () => {
    const a = answerOf(blockedPut());
    expect(a.reached).toBe('no');
    expect(a.reachedText).toContain('The PUT never reached the server');
    expect(a.headline).toBe('Preflight failed: `x-custom-header` not in `Access-Control-Allow-Headers`');
  });

  it('says a blocked PUT whose response was refused did run on the server', () => {
    const ex = exchange({ method: 'PUT', verdict: 'blocked', reachedServer: true, response: { statusCode: 200, headers: [] }, findings: [makeFinding('missing-allow-origin', params, '')] });
    const a = answerOf(ex);
    expect(a.headline).toBe('Response refused: no `Access-Control-Allow-Origin`');
    expect(a.reached).toBe('yes');
    expect(a.reachedText).toContain('side effects');
    expect(a.fix).toContain('Access-Control-Allow-Origin: http://127.0.0.1:9001');
    expect(findingCell(ex)).toBe('no Access-Control-Allow-Origin');
  });

  it('heads an allowed exchange plainly, with no fix', () => {
    expect(answerOf(exchange())).toMatchObject({ kind: 'allowed', reached: 'yes', fix: null });
  });
});

describe('spec links', () => {
  it('reads as a section name, not an anchor', () => {
    expect(specLinkText('https://fetch.spec.whatwg.org/#concept-cors-check')).toBe('Fetch Standard: CORS check');
    expect(specLinkText('https://fetch.spec.whatwg.org/#http-access-control-allow-origin')).toBe('Fetch Standard: the Access-Control-Allow-Origin header');
    expect(specLinkText('https://wicg.github.io/local-network-access/')).toBe('WICG draft: local network access');
  });
});
