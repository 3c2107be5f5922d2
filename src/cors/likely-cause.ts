/**
 * The likely cause of a failure, when the evidence points to one: what the
 * rule alone does not explain and developers most often misread. Each cause
 * is a catalogue entry (`catalogue-causes.ts`) reported as a warning right
 * after the error it explains.
 */
import { makeFinding } from './catalogue';
import type { FindingParams } from './catalogue-entry';
import { baseParams, finalOriginAndUrl, type ExchangeContext } from './evaluate';
import { getHeader, splitList } from './header-list';
import type { Finding } from './types';

const PREFLIGHT_AUTH: ReadonlySet<number> = new Set([401, 403]);
const PREFLIGHT_NO_ROUTE: ReadonlySet<number> = new Set([404, 405]);
const ORIGIN_MISMATCH: ReadonlySet<string> = new Set([
  'allow-origin-mismatch', 'preflight-allow-origin-mismatch', 'invalid-allow-origin-value', 'preflight-invalid-allow-origin-value',
]);
/** Headers only a cache (or a proxy in front of the server) adds. */
const CACHE_HEADERS = ['age', 'x-cache', 'cf-cache-status', 'via', 'x-cache-status', 'x-served-by'];

function defaultPort(scheme: string): string {
  return scheme === 'https:' ? '443' : scheme === 'http:' ? '80' : '';
}

/**
 * Which part of `allowed` differs from `origin` when it names almost the same
 * origin (scheme, port, a trailing slash or path, `www.`); null when it names another host.
 * @see https://fetch.spec.whatwg.org/#concept-cors-check
 */
export function nearMissDifference(allowed: string, origin: string): string | null {
  if (origin === 'null' || allowed === origin) return null;
  let a: URL;
  let o: URL;
  try {
    a = new URL(allowed.trim());
    o = new URL(origin);
  } catch {
    return null;
  }
  if (a.origin === 'null' || o.origin === 'null') return null;
  const parts: string[] = [];
  const strip = (h: string) => h.replace(/^www\./, '');
  if (strip(a.hostname) !== strip(o.hostname)) return null;
  if (a.protocol !== o.protocol) parts.push(`the scheme: ${o.protocol.slice(0, -1)} here, ${a.protocol.slice(0, -1)} allowed`);
  if (a.hostname !== o.hostname) parts.push(`\`www.\`: ${o.hostname} here, ${a.hostname} allowed`);
  const ap = a.port || defaultPort(a.protocol);
  const op = o.port || defaultPort(o.protocol);
  if (ap !== op) parts.push(`the port: ${op} here, ${ap} allowed`);
  if (parts.length === 0 && a.origin === o.origin && allowed.trim() !== origin) {
    parts.push(allowed.trim() === `${origin}/` ? 'a trailing slash (an origin has none)' : 'a path after the origin (an origin has none)');
  }
  return parts.length === 0 ? null : parts.join('; ');
}

function varyListsOrigin(vary: string | null): boolean {
  return vary !== null && splitList(vary).some((v) => v.toLowerCase() === 'origin' || v === '*');
}

/**
 * The likely causes of `error`, the first failure of the exchange.
 * @see https://fetch.spec.whatwg.org/#http-cors-protocol
 */
export function likelyCauses(ctx: ExchangeContext, error: Finding, include: boolean | null): Finding[] {
  const out: Finding[] = [];
  const { o } = ctx;
  if (error.stage === 'preflight') {
    const status = o.preflight?.response?.statusCode;
    const params: FindingParams = { ...baseParams(ctx, ctx.target, include), method: 'OPTIONS' };
    if (status !== undefined) params.status = status;
    if (status !== undefined && PREFLIGHT_AUTH.has(status)) out.push(makeFinding('cause-preflight-auth', params, null));
    else if (status !== undefined && PREFLIGHT_NO_ROUTE.has(status)) out.push(makeFinding('cause-no-options-route', params, null));
  }
  const res = error.stage === 'preflight' ? o.preflight?.response : error.stage === 'actual' ? o.response : null;
  if (!res) return out;
  const acao = getHeader(res.headers, 'access-control-allow-origin');
  const { origin, url } = error.stage === 'actual' ? finalOriginAndUrl(ctx) : { origin: ctx.origin, url: ctx.target };
  const params: FindingParams = baseParams(ctx, url, include, origin);
  if (res.statusCode !== undefined) params.status = res.statusCode;
  if (error.stage === 'actual' && error.id === 'missing-allow-origin' && res.statusCode !== undefined && res.statusCode >= 400) {
    out.push(makeFinding('cause-error-path-without-cors', params, null));
  }
  if (acao !== null && ORIGIN_MISMATCH.has(error.id)) {
    const difference = nearMissDifference(acao, origin);
    if (difference !== null) out.push(makeFinding('cause-near-miss-origin', { ...params, received: acao, difference }, null, error.stage));
    else if (error.stage === 'actual' && !varyListsOrigin(getHeader(res.headers, 'vary'))) {
      const seen = CACHE_HEADERS.flatMap((n) => {
        const v = getHeader(res.headers, n);
        return v === null ? [] : [`${n}: ${v.length > 60 ? `${v.slice(0, 60)}…` : v}`];
      });
      if (seen.length > 0) out.push(makeFinding('cause-shared-cache', { ...params, received: acao, cacheHeaders: seen.join(', ') }, null));
    }
  }
  return out;
}
