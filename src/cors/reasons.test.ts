/**
 * Inference reasons are data: the rule and the values it quotes, worded once (reasons.ts). A value
 * seen on the wire (a header's name or value, an origin, a method) holding backticks and markup
 * comes out as one code run, exactly itself, and the stored text is that rendering.
 */
import { describe, expect, it } from 'vitest';
import { INFERENCE_RULES } from './inference-rules';
import { note, reasonRuns } from './reasons';
import { EVIL, hostileReasons } from './reasons.test-helper';
import { markedText } from './text-runs';

const codeOf = (rs: ReturnType<typeof reasonRuns>) => rs.filter((r) => r.code).map((r) => r.text);

describe('inference reasons as data', () => {
  it('a header name: the mode reason quotes it as one code run, exactly', () => {
    const m = hostileReasons.header().inferred.mode;
    expect(m).toMatchObject({ rule: 'mode-unsafe-request', values: { header: EVIL.header } });
    expect(codeOf(reasonRuns(m))).toEqual([EVIL.header]);
    expect(m.why).toBe(markedText(reasonRuns(m)));
  });

  it('a method: one code run, exactly', () => {
    const m = hostileReasons.method().inferred.mode;
    expect(m).toMatchObject({ rule: 'mode-unsafe-request', values: { method: EVIL.method } });
    expect(codeOf(reasonRuns(m))).toEqual([EVIL.method]);
  });

  it('an origin: one code run, exactly, beside the method', () => {
    const m = hostileReasons.origin().inferred.mode;
    expect(m).toMatchObject({ rule: 'mode-origin-on-get', values: { method: 'GET', origin: EVIL.origin } });
    expect(codeOf(reasonRuns(m))).toEqual(['GET', EVIL.origin]);
  });

  it('a header value: the credentials reason quotes its header line as one code run', () => {
    const c = hostileReasons.value().credentials;
    expect(c).toMatchObject({ rule: 'credentials-preflight-passed', values: { case: 'allow-credentials', value: EVIL.value, method: 'PUT' } });
    expect(reasonRuns(c)).toEqual([
      { text: 'the preflight said ', code: false },
      { text: `Access-Control-Allow-Credentials: ${EVIL.value}`, code: true },
      { text: ' and Chrome sent the PUT', code: false },
    ]);
    expect(c.why).toBe(`the preflight said \`Access-Control-Allow-Credentials: ${EVIL.value}\` and Chrome sent the PUT`);
  });

  it('a reason without values (a report written before reasons were data) is its stored text, one plain run', () => {
    expect(reasonRuns({ rule: 'credentials-preflight-passed', why: 'had `a` and `b`' })).toEqual([{ text: 'had `a` and `b`', code: false }]);
    expect(reasonRuns({ rule: 'a-rule-from-a-newer-version', why: 'x', values: { method: 'GET' } })).toEqual([{ text: 'x', code: false }]);
  });

  it('words every rule the engine decides with', () => {
    const worded = INFERENCE_RULES.filter((r) => r.field !== 'preflight').map((r) => note(r.id).why);
    expect(worded.every((w, i) => w !== INFERENCE_RULES[i]!.id && w.length > 0)).toBe(true);
  });
});
