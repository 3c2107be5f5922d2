/**
 * declarativeNetRequest session rules for an override plan (header rules: the default mechanism).
 * docs/override.md states what a rule matches.
 */
import type { Message } from '../cors/types';
import type { HeaderLine, OverridePlan } from './plan-types';

const ORIGIN = 'access-control-allow-origin';

/** The declarativeNetRequest rule shape this module produces (a subset of chrome.declarativeNetRequest.Rule). */
export interface DnrRule {
  id: number;
  priority: number;
  action: { type: 'modifyHeaders'; responseHeaders: Array<{ header: string; operation: 'set'; value: string }> };
  condition: {
    urlFilter: string;
    requestDomains: string[];
    initiatorDomains: string[];
    resourceTypes: string[];
    requestMethods?: string[];
    excludedRequestMethods?: string[];
    tabIds?: number[];
    excludedResponseHeaders?: Array<{ header: string; values: string[]; excludedValues: string[] }>;
  };
}

/** A DNR header-value pattern matching `s` literally (`*` and `?` are its wildcards). */
const literal = (s: string) => s.replace(/[\\*?]/g, (c) => `\\${c}`);

/**
 * The origins a rule's initiatorDomains also matches besides the page's own: its host on
 * any scheme and port, and its subdomains. A server that reflects the request's Origin answers
 * those with their own origin; such a response is left alone, so that initiator keeps
 * exactly the server's verdict (the rule's exact Allow-Origin would otherwise fail it).
 */
export function otherOriginsOfHost(pageOrigin: string): { header: string; values: string[]; excludedValues: string[] } {
  const host = literal(new URL(pageOrigin).hostname);
  return {
    header: ORIGIN,
    values: [`*://${host}`, `*://${host}:*`, `*://*.${host}`, `*://*.${host}:*`],
    excludedValues: [literal(pageOrigin)],
  };
}

/** A DNR header-value pattern as a regular expression (`*` any run, `?` one character, `\\` escapes). */
function globRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) out += pattern[++i]!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${out}$`, 'is');
}

/**
 * Whether a response is one a rule leaves alone (`excludedResponseHeaders`): its Allow-Origin names
 * another origin of the page's host. Such a server needs a rescue to be fixed for the page origin.
 */
export function namesOtherOriginOfHost(response: Message | null, pageOrigin: string): boolean {
  const { values, excludedValues } = otherOriginsOfHost(pageOrigin);
  const match = (v: string, ps: readonly string[]) => ps.some((p) => globRegExp(p).test(v));
  return (response?.headers ?? []).some(([n, v]) => n === ORIGIN && match(v, values) && !match(v, excludedValues));
}

/** Types whose requests CORS applies to, as DNR names them; `xmlhttprequest` covers fetch, XHR and preflights. */
const DNR_TYPES: ReadonlySet<string> = new Set(['xmlhttprequest', 'script', 'stylesheet', 'image', 'font', 'media', 'other']);

/**
 * The session rules for a plan: one for OPTIONS responses (the preflight) and one
 * for every other method, each scoped to the page's host as initiator and anchored
 * to the target origin (scheme, host and port). Ids are handed in.
 */
export function overrideRules(plan: OverridePlan, ids: { preflight: number; actual: number }, opts: { tabId?: number; resourceType?: string } = {}): DnrRule[] {
  const target = new URL(plan.targetOrigin);
  const page = new URL(plan.pageOrigin);
  const types = ['xmlhttprequest'];
  if (opts.resourceType && opts.resourceType !== 'xmlhttprequest' && DNR_TYPES.has(opts.resourceType)) types.push(opts.resourceType);
  const base = {
    // `|` anchors the filter at the start of the URL; the trailing `/` ends the origin (no longer port or host).
    urlFilter: `|${plan.targetOrigin}/`,
    requestDomains: [target.hostname],
    initiatorDomains: [page.hostname],
    resourceTypes: types,
    ...(opts.tabId !== undefined ? { tabIds: [opts.tabId] } : {}),
    excludedResponseHeaders: [otherOriginsOfHost(plan.pageOrigin)],
  };
  // A rescue applies its headers itself (src/background/rescue.ts): no rule.
  if (plan.mechanism === 'rescue') return [];
  const set = (lines: HeaderLine[]) => lines.map((l) => ({ header: l.name, operation: 'set' as const, value: l.value }));
  const rules: DnrRule[] = [];
  if (plan.preflight.length > 0) {
    rules.push({ id: ids.preflight, priority: 1, action: { type: 'modifyHeaders', responseHeaders: set(plan.preflight) }, condition: { ...base, requestMethods: ['options'] } });
  }
  if (plan.actual.length > 0) {
    rules.push({ id: ids.actual, priority: 1, action: { type: 'modifyHeaders', responseHeaders: set(plan.actual) }, condition: { ...base, excludedRequestMethods: ['options'] } });
  }
  for (const r of rules) assertRuleScoped(r, plan);
  return rules;
}

/**
 * Safety: a rule is for exactly one initiator and one target origin, and never allows
 * every origin. Throws otherwise (a programming error, never a user error).
 */
export function assertRuleScoped(rule: DnrRule, plan: { pageOrigin: string; targetOrigin: string }): void {
  const c = rule.condition;
  const fail = (why: string) => {
    throw new Error(`cors-lens: unsafe override rule ${rule.id}: ${why}`);
  };
  if (c.initiatorDomains.length !== 1 || c.initiatorDomains[0] !== new URL(plan.pageOrigin).hostname) fail('not exactly one initiator domain');
  if (c.requestDomains.length !== 1 || c.requestDomains[0] !== new URL(plan.targetOrigin).hostname) fail('not exactly one request domain');
  if (c.urlFilter !== `|${plan.targetOrigin}/` || /[*^]/.test(plan.targetOrigin)) fail('target not anchored to one origin');
  if (!c.resourceTypes.includes('xmlhttprequest')) fail('preflights (xmlhttprequest) not covered');
  // Exact scope: the rule sets Allow-Origin to the page origin on every response it touches.
  if (!rule.action.responseHeaders.some((h) => h.header === ORIGIN && h.value === plan.pageOrigin)) fail('no exact Allow-Origin');
  for (const h of rule.action.responseHeaders) {
    if (h.header === ORIGIN && (h.value === '*' || h.value !== plan.pageOrigin)) fail(`Allow-Origin ${h.value}`);
    if (h.operation !== 'set') fail('only set');
  }
}


/**
 * Firefox's declarativeNetRequest refuses `excludedResponseHeaders` (measured on Firefox 153: "Unexpected
 * property"). There the rule keeps its exact Allow-Origin but cannot leave alone a response that
 * already names another origin of the page's host (docs/firefox.md).
 */
export function forFirefox(rules: readonly DnrRule[]): DnrRule[] {
  return rules.map((r) => {
    const { excludedResponseHeaders: _dropped, ...condition } = r.condition;
    return { ...r, condition };
  });
}
