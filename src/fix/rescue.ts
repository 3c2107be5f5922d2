/**
 * Rescue: what to do with one request the tab's debugger session paused (DevTools Protocol
 * Fetch domain). Pure: the adapter (src/background/rescue.ts) sends the answer.
 *
 * Only the page origin's own requests to the target origin are changed:
 * - an OPTIONS request with Access-Control-Request-Method and `Origin` exactly the page
 *   origin (port included) is answered 204 with exactly the plan's preflight headers;
 * - that origin pair's actual responses get the plan's actual headers, their status kept
 *   (a real 404 stays a 404);
 * - everything else continues untouched: other initiators get the server's own answer.
 * @see https://fetch.spec.whatwg.org/#cors-preflight-fetch
 */
import { originOf } from '../cors/origin';
import type { HeaderLine, OverridePlan } from './plan';

/** The part of a plan a rescue needs. */
export type RescuePlan = Pick<OverridePlan, 'pageOrigin' | 'targetOrigin' | 'preflight' | 'actual'>;

/** A request as Fetch.requestPaused reports it (response fields only at the response stage). */
export interface PausedRequest {
  url: string;
  method: string;
  /** Request headers, any case. */
  headers: Record<string, string>;
  responseStatusCode?: number;
  responseHeaders?: ReadonlyArray<{ name: string; value: string }>;
  responseErrorReason?: string;
}

export type RescueAction =
  | { kind: 'continue' }
  | { kind: 'answer-preflight'; status: 204; headers: Array<{ name: string; value: string }> }
  | { kind: 'add-headers'; headers: Array<{ name: string; value: string }> };

const CONTINUE: RescueAction = { kind: 'continue' };

function header(headers: Record<string, string>, name: string): string | undefined {
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}

/** The Fetch.enable patterns for a set of plans: the target origins only, both stages. */
export function rescuePatterns(plans: readonly RescuePlan[]): Array<{ urlPattern: string; requestStage: 'Request' | 'Response' }> {
  const targets = [...new Set(plans.map((p) => p.targetOrigin))].sort();
  // `*` and `?` are the pattern's wildcards, `\` its escape; an origin has none of them.
  return targets.flatMap((t) => [
    { urlPattern: `${t}/*`, requestStage: 'Request' as const },
    { urlPattern: `${t}/*`, requestStage: 'Response' as const },
  ]);
}

/** `response` with every line of `lines` set (same-named headers replaced, as DNR `set` does). */
export function withHeaders(response: ReadonlyArray<{ name: string; value: string }>, lines: readonly HeaderLine[]): Array<{ name: string; value: string }> {
  const names = new Set(lines.map((l) => l.name.toLowerCase()));
  return [...response.filter((h) => !names.has(h.name.toLowerCase())).map((h) => ({ ...h })), ...lines.map((l) => ({ name: l.name, value: l.value }))];
}

/** What to do with a paused request, given the tab's rescue plans. */
export function rescueAction(plans: readonly RescuePlan[], req: PausedRequest): RescueAction {
  const target = originOf(req.url);
  const origin = header(req.headers, 'origin');
  // Exactly the page origin: a byte comparison, port and scheme included.
  const plan = plans.find((p) => p.targetOrigin === target && p.pageOrigin === origin);
  if (!plan) return CONTINUE;
  const responseStage = req.responseStatusCode !== undefined || req.responseErrorReason !== undefined;
  const method = req.method.toUpperCase();
  if (method === 'OPTIONS') {
    // A CORS preflight carries Access-Control-Request-Method; a page's own OPTIONS request does not.
    if (responseStage || header(req.headers, 'access-control-request-method') === undefined) return CONTINUE;
    return { kind: 'answer-preflight', status: 204, headers: plan.preflight.map((l) => ({ name: l.name, value: l.value })) };
  }
  if (!responseStage || req.responseErrorReason !== undefined || req.responseStatusCode === undefined) return CONTINUE;
  // A redirect is followed as the server sent it (its Location is not ours to change).
  if (req.responseStatusCode >= 300 && req.responseStatusCode < 400) return CONTINUE;
  if (plan.actual.length === 0) return CONTINUE;
  return { kind: 'add-headers', headers: withHeaders(req.responseHeaders ?? [], plan.actual) };
}
