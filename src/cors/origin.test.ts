import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { originOf } from './origin';

/** What originOf answered before its fast path: the URL parser's word. */
function parserOrigin(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

const label = fc.stringMatching(/^[a-zA-Z0-9-]{1,8}$/);
const oddHost = fc.constantFrom('127.1', '0x7f.0.0.1', '1.2.3.256', '01.2.3.4', 'foo.123', 'localhost.', 'a..b', 'xn--zz.com', 'xn--nxasmq6b.com', 'Ex.COM', '[::1]', '[::FFFF:127.0.0.1]', 'éx.com', 'a b.com', 'a%41.com', '', 'user@host', 'u:p@host');
const host = fc.oneof(
  fc.array(label, { minLength: 1, maxLength: 4 }).map((ls) => ls.join('.')),
  fc.tuple(fc.nat(300), fc.nat(300), fc.nat(300), fc.nat(300)).map((q) => q.join('.')),
  oddHost,
);
const port = fc.oneof(fc.constant(''), fc.constantFrom(':80', ':443', ':0', ':08', ':', ':65535', ':65536', ':8080', ':x'), fc.nat(70000).map((n) => `:${n}`));
const scheme = fc.constantFrom('http://', 'https://', 'HTTP://', 'ws://', 'file://', 'chrome-extension://', 'data:', 'http:/', ' http://');
const rest = fc.constantFrom('', '/', '/p?q=1', '?q', '#f', '\\x', '/a b', '\t/');
const url = fc.tuple(scheme, host, port, rest).map(([s, h, p, r]) => `${s}${h}${p}${r}`);

describe('originOf', () => {
  it('says what the URL parser says, for canonical and odd URLs alike', () => {
    fc.assert(fc.property(url, (u) => originOf(u) === parserOrigin(u)), { numRuns: 20_000 });
  });

  it('slices what the browser hands over', () => {
    expect(originOf('http://127.0.0.1:8701/api?i=1')).toBe('http://127.0.0.1:8701');
    expect(originOf('https://api.example.com/x#y')).toBe('https://api.example.com');
    expect(originOf('http://localhost:8702')).toBe('http://localhost:8702');
    expect(originOf('https://EXAMPLE.com:443/')).toBe('https://example.com');
    expect(originOf('data:text/plain,x')).toBeNull();
  });
});
