/**
 * The shapes of a local override plan, the header names it sets, and the invariant every plan
 * keeps: Allow-Origin is the page's exact origin, except on the hops of a redirected request
 * whose Origin a cross-origin redirect made `null` (docs/override.md).
 * @see https://fetch.spec.whatwg.org/#http-cors-protocol
 */
import { originOf } from '../cors/origin';
import type { Credentials, Finding, Message, PreflightObserved, Redirect, Verdict } from '../cors/types';

/** What an override is computed from: an exchange as the report carries it (structurally). */
export interface OverrideSubject {
  url: string;
  method: string;
  initiatorOrigin: string | null;
  resourceType: string;
  redirects: readonly Redirect[];
  credentials: Credentials;
  preflight: null | { required: boolean; observed: PreflightObserved; request: Message; response: Message | null; error: string | null };
  response: Message | null;
  error: string | null;
  verdict: Verdict;
  findings: readonly Finding[];
}

/** One response header the override sets (name lower-case, as DNR and the capture use). */
export interface HeaderLine {
  name: string;
  value: string;
  /**
   * True when the server's own line was not at fault and the override sets it only to stay
   * exact (Allow-Origin: the page's origin, so no other initiator passes): the server fix keeps it.
   */
  scope?: boolean;
}

/**
 * How the override applies its headers. `headers`: declarativeNetRequest session rules, no extra
 * permission. `rescue`: chrome.debugger on the one tab; the tab's requests to the target are
 * paused, the page origin's preflights answered 204, its responses (redirects included) given the headers.
 */
export type Mechanism = 'headers' | 'rescue';

/** What the server must answer, in library terms: the input of the server snippets. */
export interface ServerCors {
  origin: string;
  credentials: boolean;
  /** Every method to allow ([] when only safelisted methods are used). */
  methods: string[];
  /** Every request header to allow. */
  headers: string[];
  expose: string[];
  /** Whether the target answers preflights for this page. */
  preflight: boolean;
}

/**
 * A redirected request's later hops: responses of that same request (DevTools Protocol network
 * id) on another origin, or asked with the `Origin: null` a cross-origin redirect gives it.
 */
export interface RedirectHops {
  /** The http(s) origins the chain reaches besides the target (paused at the response stage only). */
  origins: string[];
  /** The headers those responses get: `Access-Control-Allow-Origin: null`, Allow-Credentials when sent. */
  headers: HeaderLine[];
}

export interface OverridePlan {
  pageOrigin: string;
  targetOrigin: string;
  /** Absent in plans stored by an older version: `headers`. */
  mechanism?: Mechanism;
  /** Why this mechanism, in the user's words. */
  mechanismWhy?: string;
  /**
   * Headers set on OPTIONS (preflight) responses; empty when the preflight needs nothing.
   * For a rescue, the whole answer (status 204) to the page origin's preflights.
   */
  preflight: HeaderLine[];
  /**
   * Rescue only, when it does not answer the preflight itself: headers added to the server's own
   * preflight answer at the response stage (a header-rule fix merged into a rescue for the pair).
   */
  preflightAdd?: HeaderLine[];
  /** Headers set on every other response of the target (a rescue: redirects included); empty when it needs nothing. */
  actual: HeaderLine[];
  /** Rescue of a redirect chain only: what the request's later hops get. */
  hops?: RedirectHops;
  /** True when the actual request was never sent, so its headers were predicted, not read. */
  actualPredicted: boolean;
  /** True when the credentials mode is unknown and the plan assumes "include" (it works either way). */
  credentialsAssumed: boolean;
  server: ServerCors;
  /** The error findings the plan answers. */
  findingIds: string[];
}

export type OverrideAnswer =
  | { ok: true; plan: OverridePlan }
  | { ok: false; reason: 'not-blocked' | 'cannot'; why: string; serverFix: string | null };

export const ORIGIN = 'access-control-allow-origin';
export const CREDENTIALS = 'access-control-allow-credentials';
export const METHODS = 'access-control-allow-methods';
export const HEADERS = 'access-control-allow-headers';
export const EXPOSE = 'access-control-expose-headers';

/** The URL's origin when it is http(s), else null: a header rule or a rescue can only be made for those. */
export function httpOrigin(url: string | null): string | null {
  const origin = url === null ? null : originOf(url);
  return origin !== null && (origin.startsWith('http://') || origin.startsWith('https://')) ? origin : null;
}

/** `a` followed by the items of `b` it lacks (compared case-insensitively when asked). */
export function union(a: readonly string[], b: readonly string[], ci: boolean): string[] {
  const key = (s: string) => (ci ? s.toLowerCase() : s);
  const seen = new Set(a.map(key));
  const out = [...a];
  for (const x of b) {
    if (seen.has(key(x))) continue;
    seen.add(key(x));
    out.push(x);
  }
  return out;
}

/**
 * Safety: Allow-Origin is the page's exact origin on the target's responses, and `null` only on
 * a redirect chain's hops (then without `*` anywhere). Throws otherwise (a programming error).
 */
export function assertPlanSafe(plan: OverridePlan): void {
  for (const l of [...plan.preflight, ...(plan.preflightAdd ?? []), ...plan.actual]) {
    if (l.name === ORIGIN && l.value !== plan.pageOrigin) throw new Error(`cors-lens: override would allow ${l.value}, not the page's origin`);
  }
  for (const l of plan.hops?.headers ?? []) {
    if (l.name === ORIGIN && l.value !== 'null') throw new Error(`cors-lens: a redirect hop would allow ${l.value}, not the tainted origin null`);
  }
  if (plan.hops && plan.mechanism !== 'rescue') throw new Error('cors-lens: redirect hops need a rescue');
  for (const l of [...plan.preflight, ...(plan.preflightAdd ?? []), ...plan.actual, ...(plan.hops?.headers ?? [])]) {
    if (/[\r\n\0]/.test(l.value)) throw new Error('cors-lens: header value with a line break');
  }
}

/** `Access-Control-Allow-Origin` for display. */
export function displayHeaderName(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
}
