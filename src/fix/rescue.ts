/**
 * Rescue: what to do with one request the tab's debugger session paused (DevTools Protocol
 * Fetch domain). Pure: the adapter (src/background/rescue.ts) sends the answer and keeps the
 * network ids of the redirect chains it follows.
 *
 * Only the page origin's own requests to the target origin are changed:
 * - an OPTIONS request with Access-Control-Request-Method and `Origin` exactly the page
 *   origin (port included) is answered 204 with exactly the plan's preflight headers;
 * - that origin pair's responses, redirects included, get the plan's actual headers, their
 *   status and Location kept (a real 404 stays a 404);
 * - a redirect chain's later hops (the same request, by its network id, now with `Origin: null`)
 *   get the plan's hop headers (`Access-Control-Allow-Origin: null`);
 * - everything else continues untouched: other initiators get the server's own answer.
 * @see https://fetch.spec.whatwg.org/#cors-preflight-fetch
 * @see https://fetch.spec.whatwg.org/#concept-http-redirect-fetch
 */
import { httpOrigin, type HeaderLine, type OverridePlan } from './plan-types';

/** The part of a plan a rescue needs. */
export type RescuePlan = Pick<OverridePlan, 'pageOrigin' | 'targetOrigin' | 'preflight' | 'preflightAdd' | 'actual' | 'hops'>;

/** A request as Fetch.requestPaused reports it (response fields only at the response stage). */
export interface PausedRequest {
  url: string;
  method: string;
  /** Request headers, any case. */
  headers: Record<string, string>;
  /** The Network domain's request id: the same for every hop of one redirected request. */
  networkId?: string;
  responseStatusCode?: number;
  responseHeaders?: ReadonlyArray<{ name: string; value: string }>;
  responseErrorReason?: string;
}

/**
 * `follow`: the response is a redirect of a chain this plan follows: the adapter remembers the
 * request's network id with the plan, so the next hops of that one request are recognised.
 */
export type RescueAction =
  | { kind: 'continue'; follow?: RescuePlan }
  | { kind: 'answer-preflight'; status: 204; headers: Array<{ name: string; value: string }> }
  | { kind: 'add-headers'; headers: Array<{ name: string; value: string }>; follow?: RescuePlan };

const CONTINUE: RescueAction = { kind: 'continue' };

function header(headers: Record<string, string>, name: string): string | undefined {
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}

/**
 * The Fetch.enable patterns for a set of plans: the target origins at both stages, and the
 * origins a followed redirect chain reaches at the response stage only (their requests are
 * never changed, only the responses of the one followed request).
 */
export function rescuePatterns(plans: readonly RescuePlan[]): Array<{ urlPattern: string; requestStage: 'Request' | 'Response' }> {
  const targets = [...new Set(plans.map((p) => p.targetOrigin))].sort();
  const hops = [...new Set(plans.flatMap((p) => p.hops?.origins ?? []))].filter((o) => !targets.includes(o)).sort();
  // `*` and `?` are the pattern's wildcards, `\` its escape; an origin has none of them.
  return [
    ...targets.flatMap((t) => [
      { urlPattern: `${t}/*`, requestStage: 'Request' as const },
      { urlPattern: `${t}/*`, requestStage: 'Response' as const },
    ]),
    ...hops.map((h) => ({ urlPattern: `${h}/*`, requestStage: 'Response' as const })),
  ];
}

/** `response` with every line of `lines` set (same-named headers replaced, as DNR `set` does). */
export function withHeaders(response: ReadonlyArray<{ name: string; value: string }>, lines: readonly HeaderLine[]): Array<{ name: string; value: string }> {
  const names = new Set(lines.map((l) => l.name.toLowerCase()));
  return [...response.filter((h) => !names.has(h.name.toLowerCase())).map((h) => ({ ...h })), ...lines.map((l) => ({ name: l.name, value: l.value }))];
}

const isRedirect = (status: number) => status >= 300 && status < 400;

/**
 * What to do with a paused request, given the tab's rescue plans and the plan whose chain the
 * request's network id belongs to (if the adapter follows it).
 */
export function rescueAction(plans: readonly RescuePlan[], req: PausedRequest, followed?: RescuePlan): RescueAction {
  const target = httpOrigin(req.url);
  const origin = header(req.headers, 'origin');
  const responseStage = req.responseStatusCode !== undefined || req.responseErrorReason !== undefined;
  const method = req.method.toUpperCase();
  const status = req.responseErrorReason === undefined ? req.responseStatusCode : undefined;
  // A later hop of a followed chain: the same request, its Origin made `null` by a cross-origin redirect.
  if (followed?.hops && origin === 'null' && method !== 'OPTIONS') {
    if (!responseStage || status === undefined) return CONTINUE;
    const follow = isRedirect(status) ? { follow: followed } : {};
    return { kind: 'add-headers', headers: withHeaders(req.responseHeaders ?? [], followed.hops.headers), ...follow };
  }
  // Exactly the page origin: a byte comparison, port and scheme included.
  const plan = plans.find((p) => p.targetOrigin === target && p.pageOrigin === origin);
  if (!plan) return CONTINUE;
  if (method === 'OPTIONS') {
    // A CORS preflight carries Access-Control-Request-Method; a page's own OPTIONS request does not.
    if (header(req.headers, 'access-control-request-method') === undefined) return CONTINUE;
    if (!responseStage) {
      // A plan whose preflight needs no answer of its own lets the server answer.
      if (plan.preflight.length === 0) return CONTINUE;
      return { kind: 'answer-preflight', status: 204, headers: plan.preflight.map((l) => ({ name: l.name, value: l.value })) };
    }
    // The server's own answer, with what a merged header-rule fix adds to it.
    if (status === undefined || !plan.preflightAdd || plan.preflightAdd.length === 0) return CONTINUE;
    return { kind: 'add-headers', headers: withHeaders(req.responseHeaders ?? [], plan.preflightAdd) };
  }
  if (!responseStage || status === undefined) return CONTINUE;
  // A redirect keeps its status and Location; it is followed when the plan covers the chain's hops.
  const follow = plan.hops && isRedirect(status) ? { follow: plan } : {};
  if (plan.actual.length === 0) return { kind: 'continue', ...follow };
  return { kind: 'add-headers', headers: withHeaders(req.responseHeaders ?? [], plan.actual), ...follow };
}
