import type { Exchange } from '../traffic/exchange';
import type { HeaderList } from '../cors/types';
import { accessControlRequestHeaders } from '../cors/request-headers';
import { getHeader } from '../cors/header-list';
import { redactExchange, redactionPolicy, type Redaction } from '../report/redact';

/** Secrets are hidden unless the caller passes `NO_REDACTION` (the user's explicit choice). */
const REDACTED = redactionPolicy(true);

/**
 * "Copy as curl": a command that makes the server see what the browser sent, so the server
 * team can reproduce a CORS failure without the page. Header values come from the network or
 * from an opened report and may be hostile: every value is one POSIX shell word (see
 * `shellQuote`), and secrets are redacted unless the user chose to include them.
 *
 * No "Copy as curl (cmd)": docs/security.md says why.
 */

/** Headers curl sets itself, or that only a browser sends and a reproduction does not need. Origin is kept. */
const SKIP = new Set(['host', 'connection', 'content-length', 'accept-encoding', 'keep-alive', 'transfer-encoding', 'te', 'upgrade', 'proxy-connection', 'expect']);
const SKIP_PREFIXES = ['sec-ch-', 'sec-fetch-'];

export function isSkippedHeader(name: string): boolean {
  const n = name.toLowerCase();
  return SKIP.has(n) || SKIP_PREFIXES.some((p) => n.startsWith(p)) || n.startsWith(':');
}

/**
 * Characters never written raw into the command: C0 controls but the newline (a pasted tab
 * completes, a pasted CR ends the line, ESC starts terminal sequences, among them the one that
 * ends a bracketed paste), DEL, C1 controls, and the bidi controls that make a terminal show the
 * command in another order than the shell reads it. NUL cannot be in an argument at all.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\x01-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

const utf8 = new TextEncoder();
const octal = (ch: string) => [...utf8.encode(ch)].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('');

/**
 * One shell word that bash, zsh, dash and busybox sh all read back as exactly `s` (minus NUL,
 * which no argument can carry). Single quotes make everything literal (`$(...)`, backticks,
 * `$VAR`, `!`, a newline); a single quote itself becomes '\''. A value with unprintable
 * characters becomes one `"$(printf '...')"` whose format writes them, and `'`, `\\` and `%`, as
 * octal or doubled escapes POSIX printf knows: `$'...'` is not POSIX, and dash (Debian's /bin/sh)
 * reads the `\'` inside it as the end of a quote. Command substitution drops trailing newlines,
 * so those follow in single quotes.
 */
export function shellQuote(s: string): string {
  const text = s.replace(/\0/g, '');
  if (!UNPRINTABLE.test(text)) return `'${text.replace(/'/g, `'\\''`)}'`;
  const body = text.replace(/\n+$/, '');
  const tail = text.slice(body.length);
  let fmt = '';
  for (const ch of body) {
    if (ch === '\\') fmt += '\\\\';
    else if (ch === '%') fmt += '%%';
    else if (ch === "'" || ch === '\n' || (ch === '-' && fmt === '') || UNPRINTABLE.test(ch)) fmt += octal(ch);
    else fmt += ch;
  }
  return `"$(printf '${fmt}')"${tail === '' ? '' : `'${tail}'`}`;
}

/** `access-control-request-method` → `Access-Control-Request-Method` (HTTP header names are case-insensitive). */
export function displayName(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
}

function headerArgs(headers: HeaderList): string[] {
  return headers.filter(([n]) => !isSkippedHeader(n)).map(([n, v]) => `-H ${shellQuote(`${displayName(n)}: ${v}`)}`);
}

/** The page's origin as the browser announced it, or as the capture saw the initiator. */
function announcedOrigin(ex: Exchange): string | null {
  return getHeader(ex.preflight?.request.headers, 'origin') ?? getHeader(ex.request.headers, 'origin') ?? ex.initiatorOrigin;
}

/**
 * When the preflight was cached or not seen, what the browser would send: its Origin, the method,
 * and the engine's own `Access-Control-Request-Headers` for the request's headers.
 * @see https://fetch.spec.whatwg.org/#cors-preflight-fetch-0
 */
function derivedPreflightHeaders(ex: Exchange): HeaderList {
  const out: HeaderList = [];
  const origin = announcedOrigin(ex);
  if (origin) out.push(['origin', origin]);
  out.push(['access-control-request-method', ex.method]);
  const names = accessControlRequestHeaders(ex.request.headers);
  if (names !== '') out.push(['access-control-request-headers', names]);
  return out;
}

const FIRST = ['origin', 'access-control-request-method', 'access-control-request-headers'];

/** The exchange with the preflight's request as the browser sent it, or rebuilt when it was not seen. */
function withPreflightRequest(ex: Exchange): Exchange {
  const pf = ex.preflight;
  if (!pf || pf.request.headers.some(([n]) => n === 'access-control-request-method')) return ex;
  return { ...ex, preflight: { ...pf, request: { ...pf.request, headers: derivedPreflightHeaders(ex) } } };
}

/**
 * The OPTIONS request the browser sent (or would send) before `ex`'s request; null when there was
 * none. The preflight is rebuilt from the exchange as captured, then redacted: what a header hides
 * must not change which names the preflight announces.
 */
export function curlForPreflight(ex: Exchange, redaction: Redaction = REDACTED): string | null {
  if (!ex.preflight) return null;
  const shown = redactExchange(withPreflightRequest(ex), redaction);
  const headers = shown.preflight!.request.headers;
  const ordered = [...FIRST.flatMap((f) => headers.filter(([n]) => n === f)), ...headers.filter(([n]) => !FIRST.includes(n))];
  return ['curl -i -X OPTIONS', shellQuote(shown.url), ...headerArgs(ordered)].join(' ');
}

/** The request itself with the headers the browser sent (Origin included: it is what the server saw), secrets redacted as asked. */
export function curlForRequest(ex: Exchange, redaction: Redaction = REDACTED): string {
  const shown = redactExchange(ex, redaction);
  let headers = shown.request.headers;
  // Stopped by its preflight, the request was never sent: show it as the page asked for it.
  if (!headers.some(([n]) => n === 'origin') && ex.mode !== 'no-cors' && ex.initiatorOrigin) headers = [['origin', ex.initiatorOrigin], ...headers];
  const method = ex.method;
  const start = method === 'HEAD' ? ['curl -I'] : method === 'GET' ? ['curl -i'] : ['curl -i -X', /^[A-Za-z]+$/.test(method) ? method : shellQuote(method)];
  return [...start, shellQuote(shown.url), ...headerArgs(headers)].join(' ');
}
