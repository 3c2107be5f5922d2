import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { curlForPreflight, curlForRequest, displayName, isSkippedHeader, shellQuote } from './curl';
import { NO_REDACTION, redactionPolicy } from '../report/redact';
import { blockedPut, exchange } from './testing';

/** What bash makes of a command line: `curl` replaced by a function that prints its arguments, NUL-separated. */
function argvOf(command: string): string[] {
  const out = execFileSync('bash', ['-c', `curl() { printf '%s\\0' "$@"; }\n${command}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

const HOSTILE = [
  `it's`,
  `'; rm -rf / #`,
  `$(touch /tmp/cors-lens-pwned)`,
  '`touch /tmp/cors-lens-pwned`',
  '${HOME} $HOME !! \\ " \'\'',
  'line1\nline2',
  'cr\rlf\n\ttab',
  '<img src=x onerror=alert(1)>',
  'ünïcødé — ✓',
  '\x1b[31mred\x1b[0m',
  '',
];

describe('shellQuote', () => {
  it.each(HOSTILE)('bash reads %j back unchanged and runs nothing', (s) => {
    rmSync('/tmp/cors-lens-pwned', { force: true });
    expect(argvOf(`curl ${shellQuote(s)}`)).toEqual([s]);
    expect(existsSync('/tmp/cors-lens-pwned')).toBe(false);
  });

  it('writes POSIX quotes only: no $\'...\', control characters through printf, a newline as itself', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('a\nb')).toBe(`'a\nb'`);
    expect(shellQuote("a\t'b")).toBe(`"$(printf 'a\\011\\047b')"`);
    expect(shellQuote('\u202eevil%\\')).toBe(`"$(printf '\\342\\200\\256evil%%\\\\')"`);
    expect(shellQuote('\tend\n\n')).toBe(`"$(printf '\\011end')"'\n\n'`);
    expect(shellQuote('')).toBe("''");
    for (const s of HOSTILE) expect(shellQuote(s)).not.toContain("$'");
  });
});

describe('curl commands', () => {
  it('reproduces the preflight the browser sent', () => {
    const cmd = curlForPreflight(blockedPut())!;
    expect(cmd).toBe(
      "curl -i -X OPTIONS 'http://127.0.0.1:9002/gin?s=custom-header' -H 'Origin: http://127.0.0.1:9001' -H 'Access-Control-Request-Method: PUT' -H 'Access-Control-Request-Headers: x-custom-header'",
    );
    expect(argvOf(cmd)).toEqual([
      '-i', '-X', 'OPTIONS', 'http://127.0.0.1:9002/gin?s=custom-header',
      '-H', 'Origin: http://127.0.0.1:9001', '-H', 'Access-Control-Request-Method: PUT', '-H', 'Access-Control-Request-Headers: x-custom-header',
    ]);
  });

  it('rebuilds a cached preflight from the request', () => {
    const ex = exchange({
      method: 'PUT',
      request: { headers: [['origin', 'http://a.test'], ['content-type', 'application/json'], ['x-b', '1'], ['x-a', '2'], ['accept', '*/*']] },
      preflight: { required: true, reasons: [], observed: 'cached', request: { headers: [] }, response: null, error: null },
    });
    expect(argvOf(curlForPreflight(ex)!).filter((_, i, a) => a[i - 1] === '-H')).toEqual([
      'Origin: http://a.test',
      'Access-Control-Request-Method: PUT',
      'Access-Control-Request-Headers: content-type,x-a,x-b',
    ]);
    expect(curlForPreflight(exchange())).toBeNull();
  });

  it('reproduces the request: its method, its headers minus the ones curl or only a browser sets, Origin kept, secrets redacted unless included', () => {
    const ex = exchange({
      method: 'POST',
      request: {
        headers: [
          ['host', '127.0.0.1:9002'], ['connection', 'keep-alive'], ['content-length', '12'], ['accept-encoding', 'gzip'],
          ['sec-ch-ua', '"Chromium"'], ['sec-fetch-mode', 'cors'], ['origin', 'http://127.0.0.1:9001'],
          ['authorization', 'Bearer abc'], ['content-type', 'application/json'],
        ],
      },
    });
    expect(argvOf(curlForRequest(ex))).toEqual([
      '-i', '-X', 'POST', ex.url, '-H', 'Origin: http://127.0.0.1:9001', '-H', 'Authorization: [redacted: 10 chars]', '-H', 'Content-Type: application/json',
    ]);
    expect(argvOf(curlForRequest(ex, NO_REDACTION))).toContain('Authorization: Bearer abc');
    expect(curlForRequest(exchange({ method: 'GET' }))).toMatch(/^curl -i '/);
    expect(curlForRequest(exchange({ method: 'HEAD' }))).toMatch(/^curl -I '/);
  });

  it('adds the Origin of a request its preflight stopped (never sent, so no headers captured)', () => {
    expect(argvOf(curlForRequest(blockedPut()))).toEqual([
      '-i', '-X', 'PUT', 'http://127.0.0.1:9002/gin?s=custom-header', '-H', 'Origin: http://127.0.0.1:9001', '-H', 'X-Custom-Header: 1',
    ]);
  });

  it('keeps hostile header values and URLs inert', () => {
    rmSync('/tmp/cors-lens-pwned', { force: true });
    const evil = "x'; touch /tmp/cors-lens-pwned; echo '\n$(touch /tmp/cors-lens-pwned)`touch /tmp/cors-lens-pwned`";
    const ex = exchange({ method: 'PUT', url: "http://h.test/a'b?$(id)", request: { headers: [['origin', 'http://a.test'], ['x-evil', evil]] } });
    expect(argvOf(curlForRequest(ex))).toEqual(['-i', '-X', 'PUT', "http://h.test/a'b?$(id)", '-H', 'Origin: http://a.test', '-H', `X-Evil: ${evil}`]);
    for (const sh of ['dash', 'sh']) execFileSync(sh, ['-c', `curl() { :; }\n${curlForRequest(ex)}`]);
    expect(existsSync('/tmp/cors-lens-pwned')).toBe(false);
    expect(argvOf(curlForRequest(exchange({ method: 'M$(id)' })))[2]).toBe('M$(id)');
  });

  it('redacts secret headers and URL parameters in both commands, and the preflight still announces them', () => {
    const ex = exchange({
      method: 'PUT',
      url: 'http://127.0.0.1:9002/api?access_token=tok-0123456789&X-Amz-Signature=abcdef0123&page=2',
      request: { headers: [['origin', 'http://a.test'], ['x-api-key', 'key-0123456789'], ['referer', 'http://a.test/?code=oauth-code-1'], ['content-type', 'text/plain']] },
      preflight: { required: true, reasons: [], observed: 'cached', request: { headers: [] }, response: null, error: null },
    });
    const pf = argvOf(curlForPreflight(ex)!);
    expect(pf).toContain('Access-Control-Request-Headers: x-api-key');
    expect(pf[3]).toBe('http://127.0.0.1:9002/api?access_token=[redacted: 14 chars]&X-Amz-Signature=[redacted: 10 chars]&page=2');
    const req = curlForRequest(ex).concat(curlForPreflight(ex, redactionPolicy(true, ['content-type']))!);
    for (const secret of ['tok-0123456789', 'abcdef0123', 'key-0123456789', 'oauth-code-1']) expect(req).not.toContain(secret);
    expect(argvOf(curlForRequest(ex))).toContain('Referer: http://a.test/?code=[redacted: 12 chars]');
    // Hiding a value must not change what the preflight announces: it is derived from the request as sent.
    expect(argvOf(curlForPreflight(ex, redactionPolicy(true, ['content-type']))!)).toContain('Access-Control-Request-Headers: x-api-key');
    expect(curlForRequest(ex, NO_REDACTION)).toContain('key-0123456789');
  });

  it('derives Access-Control-Request-Headers with the engine: a long safelisted value makes it unsafe', () => {
    const ex = exchange({
      method: 'POST',
      request: { headers: [['origin', 'http://a.test'], ['accept', 'x'.repeat(200)], ['content-type', 'text/plain'], ['user-agent', 'UA'], ['dnt', '1']] },
      preflight: { required: true, reasons: [], observed: 'cached', request: { headers: [] }, response: null, error: null },
    });
    expect(argvOf(curlForPreflight(ex)!)).toContain('Access-Control-Request-Headers: accept');
  });

  it('names and skips headers', () => {
    expect(displayName('access-control-request-method')).toBe('Access-Control-Request-Method');
    expect(isSkippedHeader('Sec-Fetch-Site')).toBe(true);
    expect(isSkippedHeader('origin')).toBe(false);
  });
});
