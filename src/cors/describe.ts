/**
 * Renders a finding (data) into words: the catalogue entry's title, and its detail and
 * fix templates filled with the values seen. Every view renders through here; none
 * stores or parses the prose.
 */
import { catalogueEntryOrNull } from './catalogue';
import { markedText, type TextRun } from './text-runs';
import type { Finding, FindingValues } from './types';

export { markedText, plainText, type TextRun } from './text-runs';

export interface FindingText {
  title: string;
  detail: TextRun[];
  fix: TextRun[];
  /** Fetch Standard URL with anchor ('' for an id this version does not know). */
  spec: string;
}

/**
 * The templates mark code with backticks. A value seen on the wire may hold backticks too:
 * it is guarded (each backtick swapped for a private-use character) before it is quoted, so
 * it can never open or close a code run, and restored inside the run it lands in.
 */
const GUARD = '\uE000';

function guardValue<T>(v: T): T {
  if (typeof v === 'string') return v.replaceAll('`', GUARD) as T;
  if (Array.isArray(v)) return v.map((x) => guardValue(x)) as T;
  return v;
}

function guarded(values: FindingValues): FindingValues {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) out[k] = guardValue(v);
  return out as unknown as FindingValues;
}

/** Template text → runs: backticks delimit code; guarded backticks come back as text. */
export function textRuns(template: string): TextRun[] {
  const out: TextRun[] = [];
  const parts = template.split('`');
  parts.forEach((part, i) => {
    if (part === '') return;
    out.push({ text: part.replaceAll(GUARD, '`'), code: i % 2 === 1 });
  });
  return out;
}

const CONTRADICTED =
  'Chrome did not block this request, so this rule did not apply as evaluated here (the request may not have been a CORS request, or the browser differs). By the rules: ';

const FIREFOX_CREDENTIALS =
  "Firefox blocks this if the request was made with credentials: 'include' (an extension cannot see the credentials mode in Firefox, and Firefox reports no error either way). By the rules: ";

const cache = new WeakMap<Finding, FindingText>();

/**
 * The words for one finding. Unknown ids (a report from a newer CORS Lens) render as their id.
 * @see https://fetch.spec.whatwg.org/#http-cors-protocol
 */
export function describeFinding(f: Finding): FindingText {
  const hit = cache.get(f);
  if (hit) return hit;
  const entry = catalogueEntryOrNull(f.id);
  let text: FindingText;
  if (!entry) {
    text = { title: f.id, detail: [], fix: [], spec: '' };
  } else {
    const v = guarded(f.values);
    let detail = entry.detail(v);
    if (f.values.contradicted) detail = CONTRADICTED + detail;
    if (f.values.onlyWithCredentialsInFirefox) detail = FIREFOX_CREDENTIALS + detail;
    const alt = f.values.alternativeWithCredentials ? catalogueEntryOrNull(f.values.alternativeWithCredentials) : null;
    // A finding does not say which browser reported it: name the failure as both do.
    const inFirefox = alt?.firefoxReason ? ` (Firefox: ${alt.firefoxReason})` : '';
    if (alt) detail += ` (Assumed: credentials not included, the default of fetch() and XMLHttpRequest; nothing the browser showed decides it. If this request sends credentials, Chrome reports ${alt.chromeCorsError ?? alt.id} instead${inFirefox}: ${alt.title}.)`;
    text = { title: entry.title, detail: textRuns(detail), fix: textRuns(entry.fix(v)), spec: entry.spec };
  }
  cache.set(f, text);
  return text;
}

/**
 * A finding's words as three strings, code marked with backticks.
 * @see https://fetch.spec.whatwg.org/#http-cors-protocol
 */
export function findingProse(f: Finding): { title: string; detail: string; fix: string } {
  const t = describeFinding(f);
  return { title: t.title, detail: markedText(t.detail), fix: markedText(t.fix) };
}
