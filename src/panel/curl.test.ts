import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import fc from 'fast-check';
import { curlForPreflight, curlForRequest, displayName, isSkippedHeader, shellQuote } from './curl';
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

  it('uses plain single quotes unless there are control characters', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('a\nb')).toBe(`$'a\\nb'`);
  });

  it('round-trips any string without NUL (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }).map((s) => s.replace(/\0/g, '')), { minLength: 1, maxLength: 40 }), (xs) => {
        expect(argvOf(`curl ${xs.map(shellQuote).join(' ')}`)).toEqual(xs);
      }),
      { numRuns: 25 },
    );
    // 25 bash processes: seconds on a machine whose cores are shared, not a sign of a bug.
  }, 60_000);
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

  it('reproduces the request: its method, its headers minus the ones curl or only a browser sets, Origin kept', () => {
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
      '-i', '-X', 'POST', ex.url, '-H', 'Origin: http://127.0.0.1:9001', '-H', 'Authorization: Bearer abc', '-H', 'Content-Type: application/json',
    ]);
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
    expect(existsSync('/tmp/cors-lens-pwned')).toBe(false);
    expect(argvOf(curlForRequest(exchange({ method: 'M$(id)' })))[2]).toBe('M$(id)');
  });

  it('names and skips headers', () => {
    expect(displayName('access-control-request-method')).toBe('Access-Control-Request-Method');
    expect(isSkippedHeader('Sec-Fetch-Site')).toBe(true);
    expect(isSkippedHeader('origin')).toBe(false);
  });
});
