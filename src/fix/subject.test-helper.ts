/** Builders for the override plan's tests (used by the *.test.ts files only). */
import { analyzeExchange } from '../cors/analyze';
import { B } from '../cors/test-helpers';
import type { HeaderList, Message, Observation } from '../cors/types';
import type { HeaderLine, OverrideSubject } from './plan';

/** The exchange as the report would carry it: the observation plus the engine's analysis. */
export function subjectOf(o: Observation): OverrideSubject {
  const a = analyzeExchange(o);
  return {
    url: o.url,
    method: o.method,
    initiatorOrigin: o.initiatorOrigin,
    resourceType: 'xmlhttprequest',
    redirects: o.redirects,
    credentials: a.credentials,
    preflight: o.preflight ? { required: a.preflight.required, observed: o.preflight.observed, request: o.preflight.request ?? { headers: [] }, response: o.preflight.response, error: o.preflight.error } : null,
    response: o.response,
    error: o.error,
    verdict: a.verdict,
    findings: a.findings,
  };
}

/** What DNR `set` does: every header of that name removed, one with the value appended. */
export function applySet(m: Message, lines: HeaderLine[]): Message {
  let headers: HeaderList = m.headers;
  for (const l of lines) headers = [...headers.filter(([n]) => n !== l.name), [l.name, l.value]];
  return { ...m, headers };
}

export const URL_B = `${B}/api/items?x=1`;

