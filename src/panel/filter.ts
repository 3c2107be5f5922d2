import { describeFinding, plainText } from '../cors/describe';
import type { Exchange } from '../traffic/exchange';
import type { Message } from '../cors/types';

export interface Filter {
  /** Free text: every whitespace-separated term must match the URL, method, a header name or value, or a finding. */
  text: string;
  blockedOnly: boolean;
  preflightedOnly: boolean;
  warningsOnly: boolean;
}

export const noFilter = (): Filter => ({ text: '', blockedOnly: false, preflightedOnly: false, warningsOnly: false });

export function isFiltering(f: Filter): boolean {
  return f.text.trim() !== '' || f.blockedOnly || f.preflightedOnly || f.warningsOnly;
}

function messageText(m: Message | null | undefined, out: string[]): void {
  if (!m) return;
  if (m.statusCode !== undefined) out.push(String(m.statusCode));
  for (const [name, value] of m.headers) out.push(`${name}: ${value}`);
}

const haystacks = new WeakMap<Exchange, string>();

/** Everything the filter box searches, lower-cased once per exchange (exchanges are replaced, not mutated). */
export function haystackOf(ex: Exchange): string {
  const cached = haystacks.get(ex);
  if (cached !== undefined) return cached;
  const out: string[] = [ex.url, ex.method, ex.verdict, ex.error ?? ''];
  messageText(ex.request, out);
  messageText(ex.response, out);
  messageText(ex.finalResponse, out);
  if (ex.preflight) {
    out.push(...ex.preflight.reasons, ex.preflight.error ?? '');
    messageText(ex.preflight.request, out);
    messageText(ex.preflight.response, out);
    messageText(ex.preflight.finalResponse, out);
  }
  for (const f of ex.findings) {
    const t = describeFinding(f);
    out.push(f.id, t.title, plainText(t.detail), plainText(t.fix), f.chromeCorsError ?? '', f.failedParameter ?? '');
  }
  const text = out.join('\n').toLowerCase();
  haystacks.set(ex, text);
  return text;
}

/** The part of the browser's IdleDeadline this needs (a parameter, so Node tests can drive it). */
export interface Idle {
  request(step: (deadline: { timeRemaining(): number }) => void): number;
  cancel(handle: number): void;
}

/**
 * Builds the haystacks in idle time, a few at a time, so the first keystroke finds them ready
 * (measured: 10,000 cold haystacks made the first keystroke take 94 ms; the budget is 50).
 * Exchanges already built cost a WeakMap lookup. Returns a function that stops the work.
 */
export function warmHaystacks(exchanges: readonly Exchange[], idle: Idle): () => void {
  let i = 0;
  let handle = 0;
  const step = (deadline: { timeRemaining(): number }) => {
    while (i < exchanges.length && deadline.timeRemaining() > 1) haystackOf(exchanges[i++]!);
    if (i < exchanges.length) handle = idle.request(step);
  };
  handle = idle.request(step);
  return () => idle.cancel(handle);
}

export function terms(text: string): string[] {
  return text.toLowerCase().split(/\s+/).filter(Boolean);
}

export function matches(ex: Exchange, f: Filter, textTerms: string[] = terms(f.text)): boolean {
  if (f.blockedOnly && ex.verdict !== 'blocked') return false;
  if (f.preflightedOnly && ex.preflight === null) return false;
  if (f.warningsOnly && !ex.findings.some((x) => x.severity === 'warning')) return false;
  if (textTerms.length === 0) return true;
  const hay = haystackOf(ex);
  return textTerms.every((t) => hay.includes(t));
}

/** The exchanges to show, in the order given (oldest first: newest at the bottom). */
export function applyFilter(exchanges: readonly Exchange[], f: Filter): Exchange[] {
  if (!isFiltering(f)) return exchanges.slice();
  const t = terms(f.text);
  return exchanges.filter((ex) => matches(ex, f, t));
}
