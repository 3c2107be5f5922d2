import { describe, expect, it } from 'vitest';
import { BEARER, EXPORTED_AT, SESSION_COOKIE, blockedByPreflight, realisticExchanges, wildcardWithCredentials } from './fixtures.test-helper';
import { buildReport } from './json';
import { DEFAULT_REDACTED, redactExchange, redactionMarker, redactionNames } from './redact';

function build(redact: readonly string[]) {
  return buildReport({ exchanges: realisticExchanges, tab: { id: 1, url: 'https://app.example/' }, browser: 'x', exportedAt: EXPORTED_AT, redact });
}

describe('redaction', () => {
  it('replaces values by a marker that keeps the length', () => {
    expect(redactionMarker('abc')).toBe('[redacted: 3 chars]');
    const r = build(DEFAULT_REDACTED);
    const ex = r.exchanges.find((e) => e.id === blockedByPreflight.id)!;
    expect(ex.request.headers).toContainEqual(['cookie', `[redacted: ${SESSION_COOKIE.length} chars]`]);
    expect(ex.request.headers).toContainEqual(['x-api-key', '[redacted: 5 chars]']);
    expect(build(['cookie']).exchanges.find((e) => e.id === blockedByPreflight.id)!.request.headers).toContainEqual(['x-api-key', 'k-123']);
  });

  it('reaches every message: request, response, final response, preflight, preflight final response', () => {
    const ex = redactExchange(
      {
        ...wildcardWithCredentials,
        redirects: [{ statusCode: 302, location: '/x', headers: [['set-cookie', 'a=1234567890']] }],
        preflight: { ...wildcardWithCredentials.preflight!, request: { headers: [['authorization', 'x']] }, finalResponse: { headers: [['set-cookie', 'pf=1']] } },
      },
      new Set(DEFAULT_REDACTED),
    );
    const text = JSON.stringify(ex);
    expect(text).not.toContain(BEARER);
    expect(text).not.toContain('id=abcdef0123456789');
    expect(text).not.toContain('a=1234567890');
    expect(ex.preflight?.request.headers).toEqual([['authorization', '[redacted: 1 chars]']]);
    expect(ex.preflight?.finalResponse?.headers).toEqual([['set-cookie', '[redacted: 4 chars]']]);
  });

  it('scrubs a redacted value a finding quotes', () => {
    const ex = redactExchange(wildcardWithCredentials, new Set(DEFAULT_REDACTED));
    expect(ex.findings[0]!.values.header).toBe(`[redacted: ${BEARER.length} chars]`);
    expect(JSON.stringify(ex.findings)).not.toContain(BEARER);
    expect(ex.findings[1]).toBe(wildcardWithCredentials.findings[1]);
  });

  it('lists what was redacted, lower-cased and sorted, with user-added names', () => {
    const r = build(redactionNames(['X-Tenant-Key', ' x-csrf-token '], ['cookie', 'authorization']));
    expect(r.redacted).toEqual(['authorization', 'cookie', 'x-csrf-token', 'x-tenant-key']);
    expect(build(redactionNames([])).redacted).toEqual([...DEFAULT_REDACTED].sort());
  });

  it('redactionNames drops what cannot be a header name, and can start from no defaults', () => {
    expect(redactionNames(['', '  ', 'has space', 'colon:', 'Ok-Name', 'ok-name'], [])).toEqual(['ok-name']);
  });

  it('leaves the original objects untouched', () => {
    const before = structuredClone(realisticExchanges);
    build(redactionNames(['x-api-key', 'content-type']));
    expect(realisticExchanges).toEqual(before);
  });

  it('with no names, keeps every value', () => {
    const r = build([]);
    expect(r.redacted).toEqual([]);
    expect(JSON.stringify(r)).toContain(SESSION_COOKIE);
    expect(JSON.stringify(r)).toContain(BEARER);
  });
});

describe('redaction of inference reasons', () => {
  it('a reason quoting a redacted secret loses it, in its values and its text', () => {
    const secret = 'tok-3f9a1c2b7d8e4f60';
    const ex = {
      ...blockedByPreflight,
      request: { headers: [['origin', 'https://app.example'], ['x-api-key', secret]] as Array<[string, string]> },
      credentials: { value: 'omit-or-same-origin' as const, inferred: true, rule: 'credentials-preflight-passed', why: `the preflight said \`Access-Control-Allow-Credentials: ${secret}\` and Chrome sent the PUT`, values: { browser: 'Chrome' as const, case: 'allow-credentials', value: secret, method: 'PUT' } },
    };
    const out = redactExchange(ex, new Set(DEFAULT_REDACTED));
    expect(JSON.stringify(out.credentials)).not.toContain(secret);
    expect(out.credentials.values?.value).toBe(redactionMarker(secret));
    expect(out.credentials.why).toContain(redactionMarker(secret));
    expect(ex.credentials.values.value).toBe(secret);
  });
});
