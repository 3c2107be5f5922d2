import { describe, expect, it } from 'vitest';
import { analyzeHarText, parseArgs, type AnalyzeArgs } from './analyze';
import { API, chromeEntry, chromeHar, PAGE } from '../har/fixtures.test-helper';
import { parseReport } from '../report/import';

const NOW = '2026-01-01T00:00:00.000Z';
const t = 1_700_000_000_000;
const SECRET = 'Bearer sk-live-0123456789abcdef';
const har = chromeHar([
  chromeEntry({ url: `${API}/ok`, t, req: { Origin: PAGE, 'Sec-Fetch-Mode': 'cors', Host: 'api.test' }, status: 200, res: { 'Access-Control-Allow-Origin': '*' } }),
  chromeEntry({ url: `${API}/bad\u001b[2J`, t: t + 1, req: { Origin: PAGE, 'Sec-Fetch-Mode': 'cors', Host: 'api.test', Authorization: SECRET }, status: 200, res: { 'Access-Control-Allow-Origin': 'http://evil.test\u202e' }, error: 'net::ERR_FAILED' }),
]);
const args = (over: Partial<AnalyzeArgs> = {}): AnalyzeArgs => ({ file: 'f.har', format: 'text', failOn: null, redact: true, redactExtra: [], ...over });

describe('parseArgs', () => {
  it('reads the command, the file and the options', () => {
    expect(parseArgs(['analyze', 'f.har', '--format', 'json', '--fail-on=warning', '--redact-extra', 'x-api-key,x-token', '--no-redact'])).toEqual({
      ok: true,
      args: { file: 'f.har', format: 'json', failOn: 'warning', redact: false, redactExtra: ['x-api-key', 'x-token'] },
    });
  });
  it('refuses what it does not know, with the reason', () => {
    expect(parseArgs(['analyse', 'f.har'])).toMatchObject({ ok: false, error: /unknown command/ });
    expect(parseArgs(['analyze'])).toMatchObject({ ok: false, error: /which HAR file/ });
    expect(parseArgs(['analyze', 'f.har', '--format', 'pdf'])).toMatchObject({ ok: false, error: /--format must be/ });
    expect(parseArgs(['analyze', 'f.har', '--fail-on'])).toMatchObject({ ok: false, error: /--fail-on must be/ });
    expect(parseArgs(['analyze', 'a.har', 'b.har'])).toMatchObject({ ok: false, error: /one HAR file at a time/ });
    expect(parseArgs(['analyze', 'f.har', '--bogus'])).toMatchObject({ ok: false, error: /unknown option --bogus/ });
    expect(parseArgs(['--help'])).toEqual({ ok: 'help' });
  });
});

describe('analyzeHarText', () => {
  it('text: one line per blocked exchange, with finding and fix; hostile characters made visible', () => {
    const r = analyzeHarText(har, args(), NOW);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^BLOCKED GET http:\/\/api\.test\/bad.*(InvalidAllowOriginValue|AllowOriginMismatch)/);
    expect(lines[0]).toMatch(/Fix: /);
    // No escape sequence or bidi override reaches the terminal.
    // eslint-disable-next-line no-control-regex -- looking for the escape character is the point
    expect(r.stdout).not.toMatch(/[\u001b\u202e]/);
    expect(r.stderr).toMatch(/2 cross-origin exchange\(s\): 1 blocked/);
    expect(r.stderr).toMatch(/note: A HAR does not hold the browser/);
  });

  it('--fail-on blocked exits 1 when an exchange is blocked, 0 when none is', () => {
    expect(analyzeHarText(har, args({ failOn: 'blocked' }), NOW).code).toBe(1);
    const fine = chromeHar([chromeEntry({ url: `${API}/ok`, t, req: { Origin: PAGE, 'Sec-Fetch-Mode': 'cors' }, status: 200, res: { 'Access-Control-Allow-Origin': '*' } })]);
    expect(analyzeHarText(fine, args({ failOn: 'blocked' }), NOW).code).toBe(0);
  });

  it('json: a session report the panel\u2019s reader accepts, secrets redacted unless --no-redact', () => {
    const r = analyzeHarText(har, args({ format: 'json' }), NOW);
    const parsed = parseReport(r.stdout);
    expect(parsed.ok).toBe(true);
    expect(r.stdout).not.toContain('sk-live');
    expect(r.stdout).toContain(`[redacted: ${SECRET.length} chars]`);
    const open = analyzeHarText(har, args({ format: 'json', redact: false }), NOW);
    expect(open.stdout).toContain('sk-live');
    expect(open.stderr).toMatch(/--no-redact/);
    const extra = analyzeHarText(har, args({ format: 'json', redactExtra: ['origin'] }), NOW);
    expect(JSON.parse(extra.stdout).redacted).toContain('origin');
  });

  it('markdown and html carry the report and what the HAR lacked, escaped', () => {
    const md = analyzeHarText(har, args({ format: 'markdown' }), NOW);
    expect(md.stdout).toMatch(/## Read from a HAR/);
    const html = analyzeHarText(har, args({ format: 'html' }), NOW);
    expect(html.stdout).toMatch(/<section class="har-notes">/);
    expect(html.stdout.indexOf('har-notes')).toBeLessThan(html.stdout.lastIndexOf('</body>'));
    expect(html.stdout).not.toContain('\u202e');
  });

  it('says why a file is not analysed, with exit code 2', () => {
    const r = analyzeHarText('{"log": {"entries": [', args(), NOW);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^cors-lens: f\.har: the file is not complete JSON/);
  });
});
