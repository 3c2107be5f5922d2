import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { exchange } from '../panel/testing';
import { exportSession, redactionFor } from './export';
import { buildReport } from './json';
import { parseReport } from './import';
import { DEFAULT_REDACTED, DEFAULT_REDACTED_PARAMS, redactExchange, redactUrl, redactionPolicy } from './redact';

const SECRETS = ['tok-AAAA1111', 'sig-BBBB2222', 'ref-CCCC3333', 'loc-DDDD4444', 'key-EEEE5555', 'tab-FFFF6666', 'frag-GGGG777', 'xtra-HHHH888'];

const hostile = exchange({
  url: 'https://api.example/v1?access_token=tok-AAAA1111&X-Amz-Signature=sig-BBBB2222&page=2',
  redirects: [{ statusCode: 302, location: 'https://api.example/next?code=loc-DDDD4444#id_token=frag-GGGG777', headers: [['location', 'https://api.example/next?code=loc-DDDD4444']] }],
  request: { headers: [['origin', 'https://app.example'], ['referer', 'https://app.example/cb?refresh_token=ref-CCCC3333'], ['x-api-key', 'key-EEEE5555'], ['x-tenant', 'xtra-HHHH888']] },
  findings: [
    {
      id: 'missing-allow-origin', severity: 'error', stage: 'actual', chromeCorsError: 'MissingAllowOriginHeader', failedParameter: null,
      // The finding quotes the URL, with its token: the token must go there too.
      values: { origin: 'https://app.example', url: 'https://api.example/v1?access_token=tok-AAAA1111', path: '/v1', method: 'GET', credentials: null, received: null },
    },
  ],
});

function everyOutput(extra: string[]): string[] {
  const input = { exchanges: [hostile], tab: { id: 1, url: 'https://app.example/?session=tab-FFFF6666' }, browser: 'UA', exportedAt: '2026-01-02T03:04:05Z', redact: redactionFor(true, extra) };
  return [JSON.stringify(buildReport(input)), exportSession(input, 'html').text, exportSession(input, 'markdown').text];
}

describe('redaction of URLs and credential headers', () => {
  it('keeps the parameter name and hides its value, in the query and the fragment, other bytes untouched', () => {
    const p = new Set(DEFAULT_REDACTED_PARAMS);
    expect(redactUrl('https://h/p?a=1&Token=abc&X-Amz-Credential=AKIA%2F1&b#access_token=zz&x=1', p)).toBe(
      'https://h/p?a=1&Token=[redacted: 3 chars]&X-Amz-Credential=[redacted: 8 chars]&b#access_token=[redacted: 2 chars]&x=1',
    );
    expect(redactUrl('https://h/p?api%5Fkey=s3cret&code=', p)).toBe('https://h/p?api%5Fkey=[redacted: 6 chars]&code=');
    expect(redactUrl('not a url ?key=v', p)).toBe('not a url ?key=[redacted: 1 chars]');
    expect(redactUrl('https://h/?key=v', new Set())).toBe('https://h/?key=v');
  });

  it('reaches every URL field and every default credential header in JSON, HTML and Markdown, and the saved extra names', () => {
    for (const text of everyOutput(['x-tenant'])) for (const s of SECRETS) expect(text).not.toContain(s);
    const [json] = everyOutput([]);
    expect(json).toContain('xtra-HHHH888');
    const ex = redactExchange(hostile, redactionPolicy(true));
    expect(ex.url).toBe('https://api.example/v1?access_token=[redacted: 12 chars]&X-Amz-Signature=[redacted: 12 chars]&page=2');
    expect(ex.request.headers).toContainEqual(['referer', 'https://app.example/cb?refresh_token=[redacted: 12 chars]']);
    expect(ex.findings[0]!.values.url).toBe('https://api.example/v1?access_token=[redacted: 12 chars]');
  });

  it('an opened report exported again is redacted again', () => {
    const clear = exportSession({ exchanges: [hostile], tab: { id: 1, url: 'https://app.example/' }, browser: 'UA', exportedAt: '2026-01-02T03:04:05Z', redact: redactionFor(false) }, 'json');
    expect(clear.text).toContain('key-EEEE5555');
    const opened = parseReport(clear.text);
    if (!opened.ok) throw new Error(opened.error);
    const again = exportSession({ exchanges: opened.report.exchanges, tab: opened.report.tab, browser: 'UA', exportedAt: '2026-01-02T03:04:05Z', redact: redactionFor(true) }, 'markdown');
    for (const s of SECRETS.slice(0, 5)) expect(again.text).not.toContain(s);
  });

  it('docs/privacy.md lists exactly the default names', () => {
    const doc = readFileSync(resolve(import.meta.dirname, '../../docs/privacy.md'), 'utf8');
    const listed = (heading: string) => {
      const section = doc.split(/^## /m).find((s) => s.startsWith(heading))!;
      return [...section.matchAll(/^- `([^`]+)`/gm)].map((m) => m[1]!.toLowerCase());
    };
    expect(listed('Headers redacted by default').sort()).toEqual([...DEFAULT_REDACTED].sort());
    expect(listed('URL parameters redacted by default').sort()).toEqual([...DEFAULT_REDACTED_PARAMS].sort());
  });
});
