import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { expressSnippet, ginSnippet, goRsCorsSnippet, goString, jsString, nginxSnippet, nginxString, serverHeaderLines } from './snippets';
import type { ServerCors } from './plan';

const S: ServerCors = {
  origin: 'http://127.0.0.1:8701',
  credentials: true,
  methods: ['PUT', 'GET', 'POST'],
  headers: ['X-Other', 'x-custom-header'],
  expose: ['x-jwt-token'],
  preflight: true,
};

describe('server snippets', () => {
  it('Express cors options', () => {
    expect(expressSnippet(S)).toContain(
      [
        'app.use(cors({',
        "  origin: 'http://127.0.0.1:8701',",
        '  credentials: true,',
        "  methods: ['PUT', 'GET', 'POST'],",
        "  allowedHeaders: ['X-Other', 'x-custom-header'],",
        "  exposedHeaders: ['x-jwt-token'],",
        '}));',
      ].join('\n'),
    );
  });

  it('Go rs/cors and gin-contrib/cors', () => {
    const go = goRsCorsSnippet(S);
    expect(go).toContain('AllowedOrigins:   []string{"http://127.0.0.1:8701"},');
    expect(go).toContain('AllowedMethods:   []string{"GET", "HEAD", "POST", "PUT"},');
    expect(go).toContain('AllowCredentials: true,');
    const gin = ginSnippet(S);
    expect(gin).toContain('r.Use(cors.New(cors.Config{');
    expect(gin).toContain('AllowHeaders:     []string{"X-Other", "x-custom-header"},');
    expect(gin).toContain('ExposeHeaders:    []string{"x-jwt-token"},');
  });

  it('nginx add_header lines, preflight answered 204', () => {
    const n = nginxSnippet(S);
    expect(n).toContain('if ($request_method = OPTIONS) {');
    expect(n).toContain('    add_header Access-Control-Allow-Origin "http://127.0.0.1:8701" always;');
    expect(n).toContain('    add_header Access-Control-Allow-Headers "X-Other, x-custom-header" always;');
    expect(n).toContain('    return 204;');
    expect(n).toContain('add_header Vary "Origin" always;');
    expect(nginxSnippet({ ...S, preflight: false })).not.toContain('OPTIONS');
  });

  it('the header lines: OPTIONS gets methods and headers, the actual response Vary and Expose', () => {
    const l = serverHeaderLines(S);
    expect(l.preflight.map((h) => h.name)).toEqual(['access-control-allow-origin', 'access-control-allow-credentials', 'access-control-allow-methods', 'access-control-allow-headers']);
    expect(l.actual.map((h) => h.name)).toEqual(['access-control-allow-origin', 'access-control-allow-credentials', 'vary', 'access-control-expose-headers']);
  });
});

describe('quoting', () => {
  it('escapes quotes, backslashes and line breaks', () => {
    expect(jsString(`a'b\\c\nd`)).toBe(`'a\\'b\\\\c\\nd'`);
    expect(goString('a"b\\c\n\x01')).toBe('"a\\"b\\\\c\\n\\x01"');
    expect(nginxString('a"b$c')).toEqual({ text: '"a\\"b${dollar}c"', usesDollar: true });
    expect(nginxSnippet({ ...S, headers: ['x-$a'] })).toMatch(/^# in the http block: geo \$dollar/);
  });

  it('a JS string literal evaluates back to the value (any string)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(new Function(`return ${jsString(s)};`)()).toBe(s);
      }),
    );
    // Compiling a function per run is slow on a loaded machine; the runs are what matter.
  }, 60_000);

  it('a Go string literal decodes back to the value (JSON-compatible subset decoded by hand)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const lit = goString(s);
        expect(lit.startsWith('"') && lit.endsWith('"')).toBe(true);
        const body = lit.slice(1, -1);
        // No raw quote, backslash only as an escape, no raw control character.
        expect(/(^|[^\\])(\\\\)*"/.test(body)).toBe(false);
        expect([...body].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)).toBe(false);
        const decoded = body.replace(/\\(x[0-9a-f]{2}|[nrt"\\])/g, (_m, e: string) => (e[0] === 'x' ? String.fromCharCode(parseInt(e.slice(1), 16)) : ({ n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' } as Record<string, string>)[e]!));
        expect(decoded).toBe(s);
      }),
    );
  });

  it('an nginx string never contains a bare quote, a `$` or a control character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const body = nginxString(s).text.slice(1, -1).replace(/\$\{dollar\}/g, '');
        expect(body.includes('$')).toBe(false);
        expect(/(^|[^\\])(\\\\)*"/.test(body)).toBe(false);
        expect([...body].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)).toBe(false);
      }),
    );
  });
});
