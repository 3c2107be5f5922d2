/**
 * The findings catalogue: one entry per rule, as data. It is the one table that relates
 * Chrome's `Network.CorsError` names to finding ids, says which headers decide each rule
 * and what can fix it locally. docs/findings.md is generated from it (`catalogueMarkdownTable`).
 */
import { causeEntries } from './catalogue-causes';
import { corsCheckEntries, preflightCorsCheckEntries } from './catalogue-cors-check';
import type { CatalogueEntry, FindingParams } from './catalogue-entry';
import { otherEntries } from './catalogue-other';
import { preflightEntries } from './catalogue-preflight';
import { warningEntries } from './catalogue-warnings';
import type { Finding, Stage } from './types';

export type { CatalogueEntry, FindingParams } from './catalogue-entry';

/** Every entry: errors on the actual response, the preflight, the rest, then warnings. */
export const catalogue: readonly CatalogueEntry[] = Object.freeze([
  ...corsCheckEntries,
  ...preflightCorsCheckEntries,
  ...preflightEntries,
  ...otherEntries,
  ...warningEntries,
  ...causeEntries,
]);

const byId: ReadonlyMap<string, CatalogueEntry> = new Map(catalogue.map((e) => [e.id, e]));

/**
 * The entry with this id; throws on an unknown id (a programming error).
 * @see https://fetch.spec.whatwg.org/#http-cors-protocol
 */
export function catalogueEntry(id: string): CatalogueEntry {
  const e = byId.get(id);
  if (!e) throw new Error(`cors-lens: no catalogue entry ${id}`);
  return e;
}

/**
 * The entry whose Chrome `Network.CorsError` name this is (the first, for shared names).
 * @see https://fetch.spec.whatwg.org/#http-cors-protocol
 */
export function entryForChromeError(corsError: string): CatalogueEntry | null {
  return byChromeError.get(corsError) ?? null;
}

/** The entry with this id, or null (an id from a newer version, in an imported report). */
export function catalogueEntryOrNull(id: string): CatalogueEntry | null {
  return byId.get(id) ?? null;
}

/** Chrome's name → the first entry that carries it (the general rule before its special cases). */
const byChromeError: ReadonlyMap<string, CatalogueEntry> = (() => {
  const m = new Map<string, CatalogueEntry>();
  for (const e of catalogue) if (e.chromeCorsError !== null && !m.has(e.chromeCorsError)) m.set(e.chromeCorsError, e);
  return m;
})();

/**
 * The finding id for a Chrome error name the rules produced; throws when the catalogue lacks it.
 * @see https://fetch.spec.whatwg.org/#http-cors-protocol
 */
export function findingIdForChromeError(corsError: string): string {
  const e = byChromeError.get(corsError);
  if (!e) throw new Error(`cors-lens: no catalogue entry for ${corsError}`);
  return e.id;
}

/**
 * Chrome reports `failedParameter` as UTF-8 text and leaves it empty when the header's
 * bytes are not UTF-8 (measured: a lone 0xE9 in Allow-Origin). The capture decodes such
 * bytes to U+FFFD, so a parameter holding one is reported the way Chrome does: empty.
 */
function reportedParameter(p: string | null): string | null {
  return p !== null && p.includes('\uFFFD') ? '' : p;
}

/**
 * A finding from the entry `id` with the values seen. `stage` overrides the entry's
 * (the CORS check on a redirect response).
 * @see https://fetch.spec.whatwg.org/#http-cors-protocol
 */
export function makeFinding(id: string, values: FindingParams, failedParameter: string | null, stage?: Stage): Finding {
  const e = catalogueEntry(id);
  return {
    id: e.id,
    severity: e.severity,
    stage: stage ?? e.stage,
    chromeCorsError: e.chromeCorsError,
    failedParameter: reportedParameter(failedParameter),
    values,
  };
}

function cell(s: string): string {
  return s.replace(/[|*_]/g, (c) => `\\${c}`);
}

/**
 * The README's table: | id | Chrome error | stage | title | spec |.
 * @see https://fetch.spec.whatwg.org/#http-cors-protocol
 */
export function catalogueMarkdownTable(): string {
  const rows = ['| id | Chrome error | stage | title | spec |', '|---|---|---|---|---|'];
  for (const e of catalogue) {
    const anchor = e.spec.replace(/^https:\/\/fetch\.spec\.whatwg\.org\//, '');
    rows.push(`| \`${e.id}\` | ${e.chromeCorsError ? `\`${e.chromeCorsError}\`` : '–'} | ${e.stage} | ${cell(e.title)}${e.severity === 'warning' ? ' (warning)' : ''} | [${cell(anchor)}](${e.spec}) |`);
  }
  return rows.join('\n');
}
