import { displayHeaderName, mechanismOf, type HeaderLine, type OverridePlan } from '../fix/plan';
import { serverDiff, type DiffRow } from '../fix/diff';
import type { Message } from '../cors/types';

/**
 * What Try fix shows for one response, read from the plan and the server fix's diff: the lines it
 * applies are exactly the diff's added and changed lines (a rescue's status included), so the
 * override and the server fix never say two different things. A line the override also sets
 * although the server already sends it is listed apart, with why.
 */
export interface TryFixLine {
  /** Lower-case header name, or `:status`. */
  name: string;
  value: string;
}

export type ApartReason = 'scope' | 'rescue' | 'same';

export interface TryFixResponse {
  /** The server fix for this response: added, changed and kept lines. */
  rows: DiffRow[];
  /** What the override changes: the rows added or changed, in the diff's order. */
  applied: TryFixLine[];
  /** Lines the override sets that the server fix keeps as they are. */
  apart: Array<TryFixLine & { reason: ApartReason }>;
}

export interface TryFixLines {
  preflight: TryFixResponse;
  actual: TryFixResponse;
}

/** Why a line is set although the server already sends it, in the user's words. */
export const APART_WHY: Record<ApartReason, string> = {
  scope: "set only to keep the override exact (its rule matches the whole host, so Allow-Origin is pinned to this page's origin and no other origin gains access); your server's own line is fine: keep it.",
  rescue: 'repeated: a rescue answers the whole preflight itself, so it repeats what your server already sends.',
  same: 'already sent by your server with this value, and set again.',
};

function side(server: Message | null, lines: readonly HeaderLine[], rescue: boolean, status?: number): TryFixResponse {
  const rows = serverDiff(server, lines, status);
  const state = new Map(rows.map((r) => [r.name, r.state]));
  const applied = rows.filter((r) => r.state !== 'kept').map((r) => ({ name: r.name, value: r.after }));
  const apart = lines
    .filter((l) => state.get(l.name) === 'kept')
    .map((l) => ({ name: l.name, value: l.value, reason: (l.scope ? 'scope' : rescue ? 'rescue' : 'same') as ApartReason }));
  return { rows, applied, apart };
}

/** Try fix's lines for an exchange's plan: per response, what it changes and what it sets apart. */
export function tryFixLines(ex: { preflight: { response: Message | null } | null; response: Message | null }, plan: OverridePlan): TryFixLines {
  const rescue = mechanismOf(plan) === 'rescue';
  return {
    preflight: side(ex.preflight?.response ?? null, plan.preflight, rescue, rescue ? 204 : undefined),
    actual: side(ex.response, plan.actual, false),
  };
}

/** A line as shown: `Access-Control-Allow-Origin: value`, or `Status: 204`. */
export function lineText(l: TryFixLine): string {
  return `${l.name === ':status' ? 'Status' : displayHeaderName(l.name)}: ${l.value}`;
}
