/**
 * Warnings: rules that do not block today but bite later. Computed from the
 * preflight and final responses once the exchange is known to be CORS.
 */
import type { FindingParams } from './catalogue-entry';
import { makeFinding } from './catalogue';
import { baseParams, finalOriginAndUrl, type ExchangeContext } from './evaluate';
import { getHeader, splitList } from './header-list';
import { parseMaxAge } from './preflight-cache';
import type { Finding } from './types';

/**
 * Whether `Vary` lists `Origin` (or is `*`).
 * @see https://fetch.spec.whatwg.org/#cors-protocol-and-http-caches
 */
function varyCoversOrigin(vary: string | null): boolean {
  if (vary === null) return false;
  for (const v of splitList(vary)) {
    const l = v.toLowerCase();
    if (l === 'origin' || l === '*') return true;
  }
  return false;
}

/** Warnings for the exchange, in stage order (preflight, then the actual response). */
export function warningsFor(ctx: ExchangeContext, include: boolean | null): Finding[] {
  const out: Finding[] = [];
  let nullOriginWarned = false;
  const pf = ctx.o.preflight;
  if (pf && pf.observed === 'sent' && pf.response) {
    const h = pf.response.headers;
    const maxAgeRaw = getHeader(h, 'access-control-max-age');
    const maxAge = parseMaxAge(maxAgeRaw);
    const params: FindingParams = baseParams(ctx, ctx.target, include);
    params.method = ctx.preflightMethod;
    params.received = maxAgeRaw;
    // Max-Age beyond Chrome's 2 h cap, or not a number at all.
    if (maxAge.problem === 'above-chrome-cap') out.push(makeFinding('max-age-above-chrome-cap', params, null));
    else if (maxAge.problem === 'unparsable') out.push(makeFinding('max-age-unparsable', params, null));
    // `null` allowed as an origin.
    if (getHeader(h, 'access-control-allow-origin') === 'null') {
      out.push(makeFinding('null-origin-allowed', { ...params, method: 'OPTIONS' }, null, 'preflight'));
      nullOriginWarned = true;
    }
  }
  const res = ctx.o.response;
  if (res) {
    const { origin, url, corsFlag } = finalOriginAndUrl(ctx);
    if (!corsFlag) return out;
    const acao = getHeader(res.headers, 'access-control-allow-origin');
    const params = baseParams(ctx, url, include, origin);
    if (acao === 'null') {
      if (!nullOriginWarned) out.push(makeFinding('null-origin-allowed', params, null));
    } else if (acao !== null && acao === origin) {
      // The origin named back without `Vary: Origin`.
      const vary = getHeader(res.headers, 'vary');
      if (!varyCoversOrigin(vary)) out.push(makeFinding('allow-origin-without-vary', { ...params, received: vary }, null));
      // The origin named back together with credentials.
      if (getHeader(res.headers, 'access-control-allow-credentials') === 'true') {
        out.push(makeFinding('reflected-origin-with-credentials', params, null));
      }
    }
  }
  return out;
}
