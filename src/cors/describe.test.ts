import { describe, expect, it } from 'vitest';
import { makeFinding } from './catalogue';
import { describeFinding, findingProse, plainText, textRuns } from './describe';
import type { FindingValues } from './types';

const seen: FindingValues = { origin: 'http://app.test', url: 'http://api.test/x', path: '/x', method: 'GET', credentials: null };

describe('describeFinding', () => {
  it('renders the entry\u2019s templates from the values seen, code as code runs', () => {
    const t = describeFinding(makeFinding('allow-origin-mismatch', { ...seen, received: 'http://other.test' }, 'http://other.test'));
    expect(t.title).toBe('Access-Control-Allow-Origin names another origin');
    expect(t.detail.filter((r) => r.code).map((r) => r.text)).toEqual(['Access-Control-Allow-Origin: http://other.test', 'Origin: http://app.test']);
    expect(plainText(t.fix)).toContain('Access-Control-Allow-Origin: http://app.test');
    expect(t.spec).toBe('https://fetch.spec.whatwg.org/#concept-cors-check');
  });

  it('keeps a hostile value inside the run it is quoted in: its backticks open no code', () => {
    const evil = 'a` <b>x</b> `b';
    const t = describeFinding(makeFinding('allow-origin-mismatch', { ...seen, received: evil }, evil));
    const code = t.detail.filter((r) => r.code).map((r) => r.text);
    expect(code).toContain(`Access-Control-Allow-Origin: ${evil}`);
    expect(t.detail.filter((r) => !r.code).some((r) => r.text.includes('<b>'))).toBe(false);
  });

  it('says when the browser contradicted the rule, and names the finding Chrome reports with credentials', () => {
    const f = makeFinding('missing-allow-origin', { ...seen, contradicted: true, alternativeWithCredentials: 'wildcard-origin-with-credentials' }, null);
    const detail = findingProse(f).detail;
    expect(detail).toMatch(/^Chrome did not block this request/);
    expect(detail).toContain('If this request sends credentials, Chrome reports WildcardOriginNotAllowed instead');
  });

  it('renders an id this version does not know by its id, with no words invented', () => {
    const t = describeFinding({ id: 'from-the-future', severity: 'error', stage: 'actual', chromeCorsError: 'X', failedParameter: null, values: seen });
    expect(t).toEqual({ title: 'from-the-future', detail: [], fix: [], spec: '' });
  });

  it('splits template text on backticks only', () => {
    expect(textRuns('Add `A: b` to `OPTIONS`.')).toEqual([
      { code: false, text: 'Add ' },
      { code: true, text: 'A: b' },
      { code: false, text: ' to ' },
      { code: true, text: 'OPTIONS' },
      { code: false, text: '.' },
    ]);
  });
});
