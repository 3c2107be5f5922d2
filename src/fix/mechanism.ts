/**
 * Which mechanism can apply an override, and why, in the user's words: what the catalogue says
 * can fix each finding (`headers`, `rescue` or only the server).
 */
import { catalogueEntryOrNull } from '../cors/catalogue';
import type { Finding } from '../cors/types';
import type { Mechanism, OverridePlan } from './plan-types';

/** What can fix a finding locally, from its catalogue entry (the one place that says so). */
export function remedyOf(f: Finding): { remedy: 'headers' | 'rescue' | 'server'; why: string | null } {
  const e = catalogueEntryOrNull(f.id);
  if (!e) return { remedy: 'server', why: `${f.id} is not a rule this version knows how to fix locally` };
  return { remedy: e.remedy, why: e.whyNotHeaders ?? null };
}

export const HEADERS_WHY = 'Only headers are wrong or missing: session rules of declarativeNetRequest set them, with no extra permission.';
export const RESCUE_WHY =
  'The preflight was answered with a status or a redirect no header rule can change: the debugger is attached to this tab (rescue mode) and its preflights from this page origin are answered 204 in the browser.';
export const REDIRECT_WHY =
  'The request was redirected: a header rule cannot follow one request along its redirect chain, so the debugger is attached to this tab (rescue mode) and that request\'s responses, redirects included, get the headers in the browser.';

export const SHADOWED_WHY =
  'The server names another origin of this page\'s host in Access-Control-Allow-Origin: a header rule leaves such answers alone (they may be the server answering another page of this host), so the debugger is attached to this tab (rescue mode) and only this page origin\'s requests get the headers.';

/** The mechanism of a plan (plans stored by an older version have none: header rules). */
export function mechanismOf(plan: Pick<OverridePlan, 'mechanism'>): Mechanism {
  return plan.mechanism === 'rescue' ? 'rescue' : 'headers';
}

/** The why of a plan's mechanism (a redirect chain's rescue says so). */
export function mechanismWhyOf(plan: Pick<OverridePlan, 'mechanism' | 'hops'>): string {
  if (mechanismOf(plan) === 'headers') return HEADERS_WHY;
  return plan.hops ? REDIRECT_WHY : RESCUE_WHY;
}
