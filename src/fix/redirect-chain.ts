/**
 * The actual request's redirect chain, for a rescue: which responses are the target's (asked with
 * the page's origin) and which are later hops (another origin, or asked with the `null` origin a
 * cross-origin redirect gives the request), or why no local change can follow the chain.
 * @see https://fetch.spec.whatwg.org/#concept-http-redirect-fetch
 */
import type { Message, Redirect } from '../cors/types';
import { httpOrigin } from './plan-types';

export type Chain =
  | {
      ok: true;
      /** Responses asked with the page's own origin, on the target origin (redirects first, in order). */
      target: Array<Message | null>;
      /** Responses asked with Origin `null` (after a cross-origin redirect), in order. */
      hops: Array<Message | null>;
      /** The http(s) origins of the hops other than the target. */
      hopOrigins: string[];
    }
  | { ok: false; why: string };

/**
 * Walks the chain: `url`, then each redirect's Location (resolved against the URL it came from).
 * `response` is the final response (null when none came back). `preflighted`: the request needed
 * a preflight; Chrome preflights again after a cross-origin redirect, with Origin `null`, which
 * no rescue can tell apart from another page's.
 */
export function redirectChain(url: string, pageOrigin: string, redirects: readonly Redirect[], response: Message | null, preflighted: boolean): Chain {
  const target = httpOrigin(url);
  if (target === null) return { ok: false, why: 'the target is not an http(s) URL' };
  let current = new URL(url);
  let tainted = false;
  const out = { target: [] as Array<Message | null>, hops: [] as Array<Message | null>, hopOrigins: new Set<string>() };
  const place = (at: URL, m: Message | null) => {
    if (!tainted && at.origin === target) out.target.push(m);
    else {
      out.hops.push(m);
      if (at.origin !== target) out.hopOrigins.add(at.origin);
    }
  };
  for (const r of redirects) {
    place(current, { statusCode: r.statusCode, headers: r.headers });
    let next: URL;
    try {
      next = new URL(r.location, current);
    } catch {
      return { ok: false, why: `the redirect's Location ${JSON.stringify(r.location)} is not a URL` };
    }
    if (next.username !== '' || next.password !== '') return { ok: false, why: 'the request was redirected to a URL with credentials (user:password@), which a CORS request may not follow' };
    if (httpOrigin(next.href) === null) return { ok: false, why: `the request was redirected to a ${next.protocol} URL, which CORS does not support` };
    // Step 13 of HTTP-redirect fetch: leaving an origin the request's own origin is not same origin with taints it.
    if (next.origin !== current.origin && pageOrigin !== current.origin) tainted = true;
    if (tainted && preflighted) {
      return {
        ok: false,
        why: 'a preflighted request was redirected to another origin: Chrome preflights it again there with Origin null, which no local change can tell apart from another page\'s request',
      };
    }
    current = next;
  }
  place(current, response);
  return { ok: true, target: out.target, hops: out.hops, hopOrigins: [...out.hopOrigins].sort() };
}
