import type { Exchange } from '../traffic/exchange';
import type { HeaderList, Message } from '../cors/types';

/** Header names that are also ordinary words: finding text mentioning "accept" or "date" is not about them. */
const WORDY = new Set(['accept', 'connection', 'date', 'expect', 'from', 'host', 'link', 'range', 'server', 'via', 'warning', 'age', 'allow', 'location', 'priority', 'te']);
/** Always decisive for a CORS verdict when present. */
const ALWAYS = ['origin', 'access-control-allow-origin'];

function mentions(text: string, name: string): boolean {
  let i = text.indexOf(name);
  while (i !== -1) {
    const before = text[i - 1];
    const after = text[i + name.length];
    if ((before === undefined || !/[a-z0-9-]/.test(before)) && (after === undefined || !/[a-z0-9-]/.test(after))) return true;
    i = text.indexOf(name, i + 1);
  }
  return false;
}

function allHeaders(ex: Exchange): HeaderList {
  const p = ex.preflight;
  return [
    ...ex.request.headers,
    ...(ex.response?.headers ?? []),
    ...(ex.finalResponse?.headers ?? []),
    ...(p ? [...p.request.headers, ...(p.response?.headers ?? []), ...(p.finalResponse?.headers ?? [])] : []),
  ];
}

/**
 * The headers that decided the verdict, to highlight: Origin and Access-Control-Allow-Origin,
 * every header a finding or a preflight reason names (Access-Control-Allow-Headers, Vary,
 * x-custom-header...), and the header a finding's failedParameter names.
 */
export function decisiveHeaders(ex: Exchange): Set<string> {
  const out = new Set<string>(ALWAYS);
  const text = [...ex.findings.flatMap((f) => [f.title, f.detail, f.fix]), ...(ex.preflight?.reasons ?? [])].join('\n').toLowerCase();
  const params = new Set(ex.findings.flatMap((f) => (f.failedParameter ? f.failedParameter.toLowerCase().split(/\s*,\s*/) : [])));
  for (const [name] of allHeaders(ex)) {
    if (out.has(name)) continue;
    if (params.has(name) || (!WORDY.has(name) && mentions(text, name))) out.add(name);
  }
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
