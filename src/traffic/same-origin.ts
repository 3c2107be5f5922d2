import { originOf } from '../cors/origin';
import type { IgnoredRequest } from './record';

/** Same-origin requests are remembered only briefly, in case a redirect makes them cross-origin. */
const IGNORED_MAX = 512;

export type OriginRelation = 'cross' | 'same' | 'unparsable-url' | 'no-initiator' | 'extension-initiator';

/** Whether a page (not an extension) made this request for another origin than its own, or why that cannot be told. */
export function originRelation(ev: { url: string; initiator?: string | undefined }): OriginRelation {
  const target = originOf(ev.url);
  if (target === null) return 'unparsable-url';
  if (!ev.initiator || ev.initiator === 'null') return 'no-initiator';
  if (ev.initiator.startsWith('chrome-extension:') || ev.initiator.startsWith('moz-extension:')) return 'extension-initiator';
  return target !== originOf(ev.initiator) ? 'cross' : 'same';
}

/** Remember a same-origin request (the oldest goes past IGNORED_MAX): a redirect may take it to another origin. */
export function rememberSameOrigin(ignored: Map<string, IgnoredRequest>, ev: { requestId: string; url: string; timeStamp: number }): void {
  ignored.set(ev.requestId, { url: ev.url, startedAt: ev.timeStamp, redirects: [] });
  if (ignored.size > IGNORED_MAX) ignored.delete(ignored.keys().next().value!);
}

/** Did a redirect of this same-origin request point away from the page's origin? */
export function leftOrigin(before: IgnoredRequest, initiator: string | undefined): boolean {
  const page = originOf(initiator ?? '');
  return before.redirects.some((r) => originOf(new URL(r.location, before.url).href) !== page);
}
