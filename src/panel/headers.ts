import type { Exchange } from '../traffic/exchange';
import { catalogueEntryOrNull } from '../cors/catalogue';
import { corsUnsafeRequestHeaders } from '../cors/request-headers';
import type { Message } from '../cors/types';

/** Always decisive for a CORS verdict when present. */
const ALWAYS = ['origin', 'access-control-allow-origin'];

/**
 * The headers that decided the verdict, to highlight, from the findings as data: Origin and
 * Access-Control-Allow-Origin, the headers each finding's catalogue entry names as decisive,
 * the header or method a finding's failedParameter names, and the request headers that made a
 * preflight necessary (the engine's CORS-unsafe request-header names).
 */
export function decisiveHeaders(ex: Exchange): Set<string> {
  const out = new Set<string>(ALWAYS);
  for (const f of ex.findings) {
    const entry = catalogueEntryOrNull(f.id);
    if (entry) for (const name of [...entry.decisive.request, ...entry.decisive.response]) out.add(name);
    if (f.values.header) out.add(f.values.header.toLowerCase());
    if (f.failedParameter) for (const name of f.failedParameter.toLowerCase().split(/\s*,\s*/)) if (name) out.add(name);
  }
  if (ex.preflight?.required) for (const u of corsUnsafeRequestHeaders(ex.request.headers)) out.add(u.name);
  if (ex.credentials.value === 'include') out.add('access-control-allow-credentials');
  // The preflight's question is decisive when its answer is: Allow-Headers answers Request-Headers.
  if (out.has('access-control-allow-headers')) out.add('access-control-request-headers');
  if (out.has('access-control-allow-methods')) out.add('access-control-request-method');
  return out;
}

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
