/**
 * The server-side fix for an override plan: the header lines the responses must
 * carry, and the same as configuration for common CORS libraries. Every value is
 * quoted for its language, so a header name or origin cannot break out of it.
 * @see https://fetch.spec.whatwg.org/#http-responses
 */
import { displayHeaderName, union, type HeaderLine, type OverridePlan, type ServerCors } from './plan';

export type SnippetKind = 'express' | 'go-rs-cors' | 'gin' | 'nginx';

export interface Snippet {
  kind: SnippetKind;
  title: string;
  code: string;
}

/** A JavaScript string literal (single-quoted), escaping quotes, backslashes, line terminators and controls. */
export function jsString(s: string): string {
  let out = "'";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === "'" || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f || c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}'`;
}

/** A Go interpreted string literal, as strconv.Quote writes it for printable text. */
export function goString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/**
 * An nginx double-quoted string. nginx unescapes `\"` and `\\`; it has no escape for `$`
 * (variable interpolation), so `$` is written as `${dollar}`, a variable the snippet defines.
 */
export function nginxString(s: string): { text: string; usesDollar: boolean } {
  let usesDollar = false;
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '$') {
      out += '${dollar}';
      usesDollar = true;
    } else if (c < 0x20 || c === 0x7f) out += ' ';
    else out += ch;
  }
  return { text: `${out}"`, usesDollar };
}

function list(items: readonly string[], quote: (s: string) => string): string {
  return items.map(quote).join(', ');
}

/**
 * Express with the `cors` package.
 * @see https://github.com/expressjs/cors#configuration-options
 */
export function expressSnippet(s: ServerCors): string {
  const lines = [`  origin: ${jsString(s.origin)},`];
  if (s.credentials) lines.push('  credentials: true,');
  if (s.methods.length > 0) lines.push(`  methods: [${list(s.methods, jsString)}],`);
  if (s.headers.length > 0) lines.push(`  allowedHeaders: [${list(s.headers, jsString)}],`);
  if (s.expose.length > 0) lines.push(`  exposedHeaders: [${list(s.expose, jsString)}],`);
  return [
    "const cors = require('cors');",
    '',
    '// Before the routes, so OPTIONS is answered too (204 with these headers).',
    'app.use(cors({',
    ...lines,
    '}));',
  ].join('\n');
}

/** Go, github.com/rs/cors. Its defaults allow only GET, POST and HEAD, so the full method list is given. */
export function goRsCorsSnippet(s: ServerCors): string {
  const lines = [`\tAllowedOrigins:   []string{${goString(s.origin)}},`];
  if (s.methods.length > 0) lines.push(`\tAllowedMethods:   []string{${list(union(['GET', 'HEAD', 'POST'], s.methods, false), goString)}},`);
  if (s.headers.length > 0) lines.push(`\tAllowedHeaders:   []string{${list(s.headers, goString)}},`);
  if (s.expose.length > 0) lines.push(`\tExposedHeaders:   []string{${list(s.expose, goString)}},`);
  if (s.credentials) lines.push('\tAllowCredentials: true,');
  return ['// import "github.com/rs/cors"', 'c := cors.New(cors.Options{', ...lines, '})', 'handler := c.Handler(mux)'].join('\n');
}

/** Go, gin-contrib/cors. */
export function ginSnippet(s: ServerCors): string {
  const lines = [`\tAllowOrigins:     []string{${goString(s.origin)}},`];
  lines.push(`\tAllowMethods:     []string{${list(union(['GET', 'HEAD', 'POST'], s.methods, false), goString)}},`);
  if (s.headers.length > 0) lines.push(`\tAllowHeaders:     []string{${list(s.headers, goString)}},`);
  if (s.expose.length > 0) lines.push(`\tExposeHeaders:    []string{${list(s.expose, goString)}},`);
  if (s.credentials) lines.push('\tAllowCredentials: true,');
  return ['// import "github.com/gin-contrib/cors"', 'r.Use(cors.New(cors.Config{', ...lines, '}))'].join('\n');
}

/** Every header line the server must send: the preflight's, then the actual response's. */
export function serverHeaderLines(s: ServerCors): { preflight: HeaderLine[]; actual: HeaderLine[] } {
  const common: HeaderLine[] = [{ name: 'access-control-allow-origin', value: s.origin }];
  if (s.credentials) common.push({ name: 'access-control-allow-credentials', value: 'true' });
  const preflight = [...common];
  if (s.methods.length > 0) preflight.push({ name: 'access-control-allow-methods', value: s.methods.join(', ') });
  if (s.headers.length > 0) preflight.push({ name: 'access-control-allow-headers', value: s.headers.join(', ') });
  const actual = [...common, { name: 'vary', value: 'Origin' }];
  if (s.expose.length > 0) actual.push({ name: 'access-control-expose-headers', value: s.expose.join(', ') });
  return { preflight: s.preflight ? preflight : [], actual };
}

/** nginx: `add_header … always` lines, the preflight answered in place with 204. */
export function nginxSnippet(s: ServerCors): string {
  const { preflight, actual } = serverHeaderLines(s);
  let dollar = false;
  const addHeader = (indent: string) => (l: HeaderLine) => {
    const q = nginxString(l.value);
    dollar ||= q.usesDollar;
    return `${indent}add_header ${displayHeaderName(l.name)} ${q.text} always;`;
  };
  const out: string[] = [];
  if (preflight.length > 0) {
    out.push('if ($request_method = OPTIONS) {', ...preflight.map(addHeader('    ')), '    return 204;', '}');
  }
  out.push(...actual.map(addHeader('')));
  if (dollar) out.unshift('# in the http block: geo $dollar { default "$"; }', '');
  return out.join('\n');
}

/**
 * The server-side fix as library configuration. The header lines themselves are the diff the
 * panel shows above these (fix/diff.ts): one answer, not a second header list worded otherwise.
 */
export function serverSnippets(plan: OverridePlan): Snippet[] {
  const s = plan.server;
  return [
    { kind: 'express', title: 'Express (cors)', code: expressSnippet(s) },
    { kind: 'go-rs-cors', title: 'Go (rs/cors)', code: goRsCorsSnippet(s) },
    { kind: 'gin', title: 'Gin (gin-contrib/cors)', code: ginSnippet(s) },
    { kind: 'nginx', title: 'nginx', code: nginxSnippet(s) },
  ];
}
