// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { render } from 'preact';
import { makeFinding } from '../cors/catalogue';
import { markedText } from '../cors/describe';
import { answerOf, findingCell } from './answer';
import { Answer } from './Answer';
import { EVIL, hostileReasons } from '../cors/reasons.test-helper';
import { Facts, credentialsRuns } from './Facts';
import { specLinkText } from './format';
import { blockedPut, exchange } from './testing';

const params = { origin: 'http://127.0.0.1:9001', url: 'http://127.0.0.1:9002/p', path: '/p', method: 'PUT', credentials: null };
const preflightAnswered = (status: number, headers: Array<[string, string]>) => ({ ...blockedPut().preflight!, response: { statusCode: status, headers } });

describe('the answer a detail leads with', () => {
  it('heads two failed preflights of one kind alike, naming every blocker (405 without Allow-Origin, 404 with it)', () => {
    const p405 = blockedPut({ preflight: preflightAnswered(405, [['allow', 'GET']]), findings: [makeFinding('preflight-missing-allow-origin', { ...params, status: 405 }, '')] });
    const p404 = blockedPut({ preflight: preflightAnswered(404, [['access-control-allow-origin', 'http://127.0.0.1:9001']]), findings: [makeFinding('preflight-invalid-status', { ...params, status: 404 }, null)] });
    expect(markedText(answerOf(p405).headline)).toBe('Preflight failed: status 405 and no `Access-Control-Allow-Origin`');
    expect(markedText(answerOf(p404).headline)).toBe('Preflight failed: status 404');
    expect(answerOf(p405).kind).toBe(answerOf(p404).kind);
  });

  it('says a request stopped by its preflight never reached the server', () => {
    const a = answerOf(blockedPut());
    expect(a.reached).toBe('no');
    expect(a.reachedText).toContain('The PUT never reached the server');
    expect(markedText(a.headline)).toBe('Preflight failed: `x-custom-header` not in `Access-Control-Allow-Headers`');
  });

  it('says a blocked PUT whose response was refused did run on the server', () => {
    const ex = exchange({ method: 'PUT', verdict: 'blocked', reachedServer: true, response: { statusCode: 200, headers: [] }, findings: [makeFinding('missing-allow-origin', params, '')] });
    const a = answerOf(ex);
    expect(markedText(a.headline)).toBe('Response refused: no `Access-Control-Allow-Origin`');
    expect(a.reached).toBe('yes');
    expect(a.reachedText).toContain('side effects');
    expect(markedText(a.fix!)).toContain('Access-Control-Allow-Origin: http://127.0.0.1:9001');
    expect(findingCell(ex)).toBe('no Access-Control-Allow-Origin');
  });

  it('heads an allowed exchange plainly, with no fix', () => {
    expect(answerOf(exchange())).toMatchObject({ kind: 'allowed', reached: 'yes', fix: null });
  });
});

/** Renders the answer and returns its headline and fix as the user sees them, with their <code> texts. */
function shown(ex: Parameters<typeof answerOf>[0]) {
  const root = document.createElement('div');
  render(<Answer answer={answerOf(ex)} />, root);
  const h = root.querySelector('[data-testid=headline]')!;
  const fix = root.querySelector('[data-testid=fix]');
  const out = {
    headline: h.textContent,
    headlineCode: [...h.querySelectorAll('code')].map((c) => c.textContent),
    fixCode: [...(fix?.querySelectorAll('code') ?? [])].map((c) => c.textContent),
    elements: [...root.querySelectorAll('*')].map((e) => e.tagName.toLowerCase()),
  };
  render(null, root);
  return out;
}

describe('values with backticks and markup stay whole text', () => {
  const evilHeader = 'x-a`b`<img src=x>';
  const evilOrigin = 'https://a`b.test<b>x</b>';

  it('a header name: one code run in the headline and in the fix, no element made from it', () => {
    const base = blockedPut().findings[0]!;
    const f = { ...base, failedParameter: evilHeader, values: { ...base.values, header: evilHeader, requestedHeaders: [evilHeader] } };
    const ex = blockedPut({ findings: [f] });
    const a = answerOf(ex);
    expect(a.headline).toEqual([
      { text: 'Preflight failed: ', code: false },
      { text: evilHeader, code: true },
      { text: ' not in ', code: false },
      { text: 'Access-Control-Allow-Headers', code: true },
    ]);
    const s = shown(ex);
    expect(s.headline).toBe(`Preflight failed: ${evilHeader} not in Access-Control-Allow-Headers`);
    expect(s.headlineCode).toEqual([evilHeader, 'Access-Control-Allow-Headers']);
    expect(s.fixCode.some((c) => c!.includes(evilHeader))).toBe(true);
    expect(s.elements).not.toContain('img');
    expect(findingCell(ex)).toBe(`preflight: ${evilHeader} not in Access-Control-Allow-Headers`);
  });

  it('an origin: the Allow-Origin line it is quoted in stays one code run, in the headline and the fix', () => {
    const page = 'http://p`q.test';
    const f = makeFinding('allow-origin-mismatch', { ...params, origin: page, method: 'GET', received: evilOrigin }, evilOrigin);
    const ex = exchange({ verdict: 'blocked', response: { statusCode: 200, headers: [['access-control-allow-origin', evilOrigin]] }, findings: [f] });
    const s = shown(ex);
    expect(s.headlineCode).toEqual([`Access-Control-Allow-Origin: ${evilOrigin}`]);
    expect(s.headline).toBe(`Response refused: Access-Control-Allow-Origin: ${evilOrigin} is another origin`);
    expect(s.fixCode).toContain(`Access-Control-Allow-Origin: ${page}`);
    expect(s.elements).not.toContain('b');
  });

  it('the credentials reason: a quoted value with a backtick does not end its code run', () => {
    const acac = 'tr`ue<b>';
    const put = blockedPut();
    const ex = blockedPut({
      preflight: { ...put.preflight!, response: { statusCode: 204, headers: [['access-control-allow-credentials', acac]] } },
      credentials: { value: 'omit-or-same-origin', inferred: true, rule: 'credentials-preflight-passed', why: `the preflight said \`Access-Control-Allow-Credentials: ${acac}\` and Chrome sent the PUT`, values: { browser: 'Chrome', case: 'allow-credentials', value: acac, method: 'PUT' } },
    });
    expect(credentialsRuns(ex)).toEqual([
      { text: 'omit-or-same-origin (inferred): ', code: false },
      { text: 'the preflight said ', code: false },
      { text: `Access-Control-Allow-Credentials: ${acac}`, code: true },
      { text: ' and Chrome sent the PUT', code: false },
    ]);
  });
});

/** The Facts list as the user sees it: one fact's text, its <code> texts, and every element made. */
function fact(ex: Parameters<typeof answerOf>[0], key: string) {
  const root = document.createElement('div');
  render(<Facts ex={ex} now={0} />, root);
  const dd = root.querySelector(`[data-fact=${key}] dd`)!;
  const out = { text: dd.textContent, code: [...dd.querySelectorAll('code')].map((c) => c.textContent), elements: [...root.querySelectorAll('*')].map((e) => e.tagName.toLowerCase()) };
  render(null, root);
  return out;
}

describe('inference reasons are rendered from their data, never parsed', () => {
  const inferredFrom = (a: ReturnType<typeof hostileReasons.header>) => ({ credentials: a.credentials, mode: a.mode, inferred: a.inferred });

  it('a header value in the credentials reason: its header line is one code run, shown as text', () => {
    const f = fact(exchange(inferredFrom(hostileReasons.value())), 'credentials');
    expect(f.code).toEqual([`Access-Control-Allow-Credentials: ${EVIL.value}`]);
    expect(f.text).toBe(`omit-or-same-origin (inferred): the preflight said Access-Control-Allow-Credentials: ${EVIL.value} and Chrome sent the PUT`);
    expect(f.elements).not.toContain('img');
  });

  it('a header name, a method and an origin in the mode reason: each one code run, exactly the value', () => {
    const header = fact(exchange(inferredFrom(hostileReasons.header())), 'mode');
    expect(header.code).toEqual([EVIL.header]);
    expect(header.text).toBe(`cors: a no-cors request cannot carry header ${EVIL.header}`);
    const method = fact(exchange(inferredFrom(hostileReasons.method())), 'mode');
    expect(method.code).toEqual([EVIL.method]);
    const origin = fact(exchange(inferredFrom(hostileReasons.origin())), 'mode');
    expect(origin.code).toEqual(['GET', EVIL.origin]);
    for (const f of [header, method, origin]) expect(f.elements).not.toContain('img');
  });

  it('a stored reason without values (an older report) is shown as its text: no code made of its backticks', () => {
    const f = fact(exchange({ credentials: { value: 'include', inferred: true, rule: 'credentials-wildcard-rejected', why: 'only credentials explain why Chrome rejected `Access-Control-Allow-Origin: *`' } }), 'credentials');
    expect(f.code).toEqual([]);
    expect(f.text).toBe('include (inferred): only credentials explain why Chrome rejected `Access-Control-Allow-Origin: *`');
  });
});

describe('spec links', () => {
  it('reads as a section name, not an anchor', () => {
    expect(specLinkText('https://fetch.spec.whatwg.org/#concept-cors-check')).toBe('Fetch Standard: CORS check');
    expect(specLinkText('https://fetch.spec.whatwg.org/#http-access-control-allow-origin')).toBe('Fetch Standard: the Access-Control-Allow-Origin header');
    expect(specLinkText('https://wicg.github.io/local-network-access/')).toBe('WICG draft: local network access');
  });
});
