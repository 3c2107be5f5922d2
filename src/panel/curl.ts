import type { Exchange } from '../traffic/exchange';
import type { HeaderList } from '../cors/types';

/**
 * "Copy as curl": a command that makes the server see what the browser sent, so the server
 * team can reproduce a CORS failure without the page. Every value is shell-quoted: header
 * values come from the network and may be hostile.
 */

/** Headers curl sets itself, or that only a browser sends and a reproduction does not need. Origin is kept. */
const SKIP = new Set(['host', 'connection', 'content-length', 'accept-encoding', 'keep-alive', 'transfer-encoding', 'te', 'upgrade', 'proxy-connection', 'expect']);
const SKIP_PREFIXES = ['sec-ch-', 'sec-fetch-'];

export function isSkippedHeader(name: string): boolean {
  const n = name.toLowerCase();
  return SKIP.has(n) || SKIP_PREFIXES.some((p) => n.startsWith(p)) || n.startsWith(':');
}

/**
 * One shell word that stands for exactly `s` in bash, zsh and (without control characters) POSIX sh.
 * Single quotes make everything literal (`$(...)`, backticks, `$VAR`, `!`); a single quote itself
 * becomes '\''. Control characters (newline, CR, tab...) cannot be typed safely inside '...', so such
 * a value uses ANSI-C quoting ($'...'), as Chrome's own "Copy as cURL (bash)" does.
 */
export function shellQuote(s: string): string {
  // eslint-disable-next-line no-control-regex -- detecting control characters is the point
  if (!/[\x00-\x1f\x7f]/.test(s)) return `'${s.replace(/'/g, `'\\''`)}'`;
  let out = "$'";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\' || ch === "'") out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}'`;
}

/** `access-control-request-method` → `Access-Control-Request-Method` (HTTP header names are case-insensitive). */
export function displayName(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
}

function headerArgs(headers: HeaderList): string[] {
  return headers.filter(([n]) => !isSkippedHeader(n)).map(([n, v]) => `-H ${shellQuote(`${displayName(n)}: ${v}`)}`);
}

const get = (headers: HeaderList, name: string) => headers.find(([n]) => n === name)?.[1];

/** The page's origin as the browser announced it, or as the capture saw the initiator. */
function originOf(ex: Exchange): string | null {
  return get(ex.preflight?.request.headers ?? [], 'origin') ?? get(ex.request.headers, 'origin') ?? ex.initiatorOrigin;
}

/** Simple header names the browser never announces in Access-Control-Request-Headers. */
const NEVER_ANNOUNCED = new Set(['accept', 'accept-language', 'content-language', 'origin', 'referer', 'user-agent', 'cookie', 'range', 'priority', 'dnt', 'pragma', 'cache-control']);
const SIMPLE_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/** When the preflight was cached or not seen, rebuild what the browser would announce from the request itself. */
function derivedPreflightHeaders(ex: Exchange): HeaderList {
  const out: HeaderList = [];
  const origin = originOf(ex);
  if (origin) out.push(['origin', origin]);
  out.push(['access-control-request-method', ex.method]);
  const unsafe = ex.request.headers
    .filter(([n, v]) => !isSkippedHeader(n) && !NEVER_ANNOUNCED.has(n) && !(n === 'content-type' && SIMPLE_TYPES.includes(v.split(';')[0]!.trim().toLowerCase())))
    .map(([n]) => n);
  const names = [...new Set(unsafe)].sort();
  if (names.length > 0) out.push(['access-control-request-headers', names.join(',')]);
  return out;
}

const FIRST = ['origin', 'access-control-request-method', 'access-control-request-headers'];

/** The OPTIONS request the browser sent (or would send) before `ex`'s request; null when there was none. */
export function curlForPreflight(ex: Exchange): string | null {
  if (!ex.preflight) return null;
  const captured = ex.preflight.request.headers;
  const headers = captured.some(([n]) => n === 'access-control-request-method') ? captured : derivedPreflightHeaders(ex);
  const ordered = [...FIRST.flatMap((f) => headers.filter(([n]) => n === f)), ...headers.filter(([n]) => !FIRST.includes(n))];
  return ['curl -i -X OPTIONS', shellQuote(ex.url), ...headerArgs(ordered)].join(' ');
}

/** The request itself with the headers the browser sent (Origin, Cookie and Authorization included: it is what the server saw). */
export function curlForRequest(ex: Exchange): string {
  let headers = ex.request.headers;
  // Stopped by its preflight, the request was never sent: show it as the page asked for it.
  if (!headers.some(([n]) => n === 'origin') && ex.mode !== 'no-cors' && ex.initiatorOrigin) headers = [['origin', ex.initiatorOrigin], ...headers];
  const method = ex.method;
  const start = method === 'HEAD' ? ['curl -I'] : method === 'GET' ? ['curl -i'] : ['curl -i -X', /^[A-Za-z]+$/.test(method) ? method : shellQuote(method)];
  return [...start, shellQuote(ex.url), ...headerArgs(headers)].join(' ');
}
