import { originOf } from '../cors/origin';
import { describeFinding } from '../cors/describe';
import type { Severity, Verdict } from '../cors/types';
import type { Exchange } from '../traffic/exchange';

export const VERDICT_ORDER: readonly Verdict[] = ['blocked', 'allowed', 'not-cors', 'failed-before-cors', 'unknown'];

export interface FindingCount {
  id: string;
  title: string;
  severity: Severity;
  chromeCorsError: string | null;
  /** Exchanges that have this finding (an exchange counts once however often it has it). */
  exchanges: number;
}

export interface OriginPair {
  /** The page's origin that made the requests; null when the browser did not say. */
  initiator: string | null;
  /** The origin of the URL as the page requested it (before redirects); the URL itself when it has no origin. */
  target: string;
  exchanges: number;
  blocked: number;
}

export interface ReportSummary {
  total: number;
  blocked: number;
  byVerdict: Record<Verdict, number>;
  /** Errors first, then by how many exchanges have them, then by id. */
  byFinding: FindingCount[];
  /** Sorted by initiator, then target. */
  origins: OriginPair[];
}

/** `https://api.example:8443` for a URL, or the text itself when it is not one with an origin (for display). */
export function originLabel(url: string): string {
  return originOf(url) ?? url;
}

function compareNullable(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/** Counts for the top of a report. One pass over the exchanges. */
export function summarize(exchanges: readonly Exchange[]): ReportSummary {
  const byVerdict: Record<Verdict, number> = { blocked: 0, allowed: 0, 'not-cors': 0, 'failed-before-cors': 0, unknown: 0 };
  const findings = new Map<string, FindingCount>();
  const pairs = new Map<string, OriginPair>();
  for (const ex of exchanges) {
    // A report read from elsewhere may carry a verdict this build does not know; count it as unknown.
    const verdict: Verdict = Object.hasOwn(byVerdict, ex.verdict) ? ex.verdict : 'unknown';
    byVerdict[verdict]++;
    const seen = new Set<string>();
    for (const f of ex.findings) {
      if (seen.has(f.id)) continue;
      seen.add(f.id);
      const c = findings.get(f.id);
      if (c) c.exchanges++;
      else findings.set(f.id, { id: f.id, title: describeFinding(f).title, severity: f.severity, chromeCorsError: f.chromeCorsError, exchanges: 1 });
    }
    const target = originLabel(ex.url);
    const key = JSON.stringify([ex.initiatorOrigin, target]);
    let p = pairs.get(key);
    if (!p) pairs.set(key, (p = { initiator: ex.initiatorOrigin, target, exchanges: 0, blocked: 0 }));
    p.exchanges++;
    if (verdict === 'blocked') p.blocked++;
  }
  const byFinding = [...findings.values()].sort(
    (a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) || b.exchanges - a.exchanges || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const origins = [...pairs.values()].sort(
    (a, b) => compareNullable(a.initiator, b.initiator) || (a.target < b.target ? -1 : a.target > b.target ? 1 : 0),
  );
  return { total: exchanges.length, blocked: byVerdict.blocked, byVerdict, byFinding, origins };
}
