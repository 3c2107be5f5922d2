import type { Finding, HeaderList, Message } from '../cors/types';
import type { Exchange } from '../traffic/exchange';

/** Secrets a developer would not want in a bug tracker. */
export const DEFAULT_REDACTED: readonly string[] = ['cookie', 'set-cookie', 'authorization', 'proxy-authorization'];

/** The marker keeps the length: "was a token sent at all, and how long" often matters when debugging. */
export function redactionMarker(value: string): string {
  return `[redacted: ${value.length} chars]`;
}

/** An RFC 9110 field-name token; anything else cannot be a header the browser sent. */
const FIELD_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;

/**
 * The names to redact: the defaults plus the ones the user added (options page), trimmed,
 * lower-cased (the capture lower-cases header names), deduplicated and sorted. Entries that
 * cannot be header names (empty, spaces, a colon) are dropped rather than silently never matching.
 */
export function redactionNames(extra: readonly string[], defaults: readonly string[] = DEFAULT_REDACTED): string[] {
  const out = new Set<string>();
  for (const raw of [...defaults, ...extra]) {
    const name = raw.trim().toLowerCase();
    if (FIELD_NAME.test(name)) out.add(name);
  }
  return [...out].sort();
}

/** Values shorter than this are not scrubbed from free text: "1" or "yes" would blank unrelated words. */
const MIN_SCRUBBED_LENGTH = 8;

function redactHeaders(headers: HeaderList, names: ReadonlySet<string>, seen: string[]): HeaderList {
  let out: HeaderList | null = null;
  for (let i = 0; i < headers.length; i++) {
    const [n, v] = headers[i]!;
    if (names.has(n)) {
      out ??= headers.slice();
      out[i] = [n, redactionMarker(v)];
      if (v.length >= MIN_SCRUBBED_LENGTH) seen.push(v);
    }
  }
  return out ?? headers;
}

function redactMessage<M extends Message | null | undefined>(m: M, names: ReadonlySet<string>, seen: string[]): M {
  if (!m) return m;
  const headers = redactHeaders(m.headers, names, seen);
  return (headers === m.headers ? m : { ...m, headers }) as M;
}

function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(redactionMarker(s));
  return out;
}

function scrubValue<T>(v: T, secrets: readonly string[]): T {
  if (typeof v === 'string') return scrub(v, secrets) as T;
  if (Array.isArray(v)) {
    const out = v.map((x) => scrubValue(x, secrets));
    return (out.some((x, i) => x !== v[i]) ? out : v) as T;
  }
  return v;
}

/** A finding carries the values seen: if one of them holds a redacted value, it goes too. */
function scrubFinding(f: Finding, secrets: readonly string[]): Finding {
  let values: Record<string, unknown> | null = null;
  for (const [k, v] of Object.entries(f.values)) {
    const w = scrubValue(v, secrets);
    if (w !== v) (values ??= { ...f.values })[k] = w;
  }
  const failedParameter = f.failedParameter === null ? null : scrub(f.failedParameter, secrets);
  if (values === null && failedParameter === f.failedParameter) return f;
  return { ...f, failedParameter, values: (values ?? f.values) as Finding['values'] };
}

/** A copy of the exchange with the values of the named headers replaced; the original is untouched. */
export function redactExchange(ex: Exchange, names: ReadonlySet<string>): Exchange {
  if (names.size === 0) return ex;
  const seen: string[] = [];
  const out: Exchange = {
    ...ex,
    request: redactMessage(ex.request, names, seen),
    response: redactMessage(ex.response, names, seen),
    redirects: ex.redirects.map((r) => ({ ...r, headers: redactHeaders(r.headers, names, seen) })),
    preflight: ex.preflight
      ? { ...ex.preflight, request: redactMessage(ex.preflight.request, names, seen), response: redactMessage(ex.preflight.response, names, seen) }
      : null,
  };
  if (ex.finalResponse) out.finalResponse = redactMessage(ex.finalResponse, names, seen);
  if (ex.preflight?.finalResponse && out.preflight) out.preflight.finalResponse = redactMessage(ex.preflight.finalResponse, names, seen);
  if (seen.length > 0) {
    // Longest first, so a value that contains another is replaced whole.
    const secrets = [...new Set(seen)].sort((a, b) => b.length - a.length);
    out.findings = ex.findings.map((f) => scrubFinding(f, secrets));
  }
  return out;
}
