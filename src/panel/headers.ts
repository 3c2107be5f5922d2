import type { Message } from '../cors/types';

export type HeaderChange = 'same' | 'added' | 'changed' | 'removed';
export interface DiffedHeader {
  name: string;
  value: string;
  change: HeaderChange;
  /** For a changed header: what the server sent. */
  was?: string;
}

/**
 * The final headers (after a local override) compared with what the server sent: each final header
 * is the same, added by the override, or changed by it; headers the override removed come last.
 */
export function diffHeaders(original: Message | null, final: Message): DiffedHeader[] {
  const orig = original?.headers ?? [];
  const origByName = new Map<string, string[]>();
  for (const [n, v] of orig) origByName.set(n, [...(origByName.get(n) ?? []), v]);
  const finalNames = new Set(final.headers.map(([n]) => n));
  const out: DiffedHeader[] = final.headers.map(([name, value]) => {
    const was = origByName.get(name);
    if (!was) return { name, value, change: 'added' as const };
    if (was.includes(value)) return { name, value, change: 'same' as const };
    return { name, value, change: 'changed' as const, was: was.join(', ') };
  });
  for (const [name, value] of orig) if (!finalNames.has(name)) out.push({ name, value, change: 'removed' });
  return out;
}

export const FOLD_AT = 300;

/** Long values (a cookie, a CSP) are shown folded to their first FOLD_AT characters until asked. */
export function fold(value: string, limit = FOLD_AT): { shown: string; hidden: number } {
  if (value.length <= limit) return { shown: value, hidden: 0 };
  return { shown: value.slice(0, limit), hidden: value.length - limit };
}
