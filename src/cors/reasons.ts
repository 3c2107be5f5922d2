/**
 * Inference reasons as data, rendered in one place: a reason is the id of the rule that decided
 * a field (`inference-rules.ts`) and the values it quotes. Every view renders it to text runs
 * here; a value seen on the wire (a method, a header's name or value, an origin) is one run,
 * whatever it holds, so nothing downstream parses a mark out of a string.
 */
import type { InferenceNote, InferenceRuleId } from './inference-rules';
import { code, joinedText, markedText, runs, type TextRun } from './text-runs';
import type { ReasonValues } from './types';

type Wording = (v: ReasonValues) => TextRun[];

const ACAO_STAR = code('Access-Control-Allow-Origin: *');
const ACAC = code('Access-Control-Allow-Credentials');
const ACAC_TRUE = code('Access-Control-Allow-Credentials: true');

const who = (v: ReasonValues) => v.browser ?? 'Chrome';
/** Where a CORS check the browser passed was: a redirect it followed, or the response it accepted. */
const where = (v: ReasonValues) => (v.case === 'redirect' ? 'followed a redirect answered with ' : 'accepted ');
const failedIt = (v: ReasonValues) => runs(`only credentials explain why ${who(v)} failed it (${v.failure ?? ''})`);

/** What the preflight answered, in credentials-preflight-passed. */
const PREFLIGHT_ANSWER: Record<string, Wording> = {
  wildcard: () => runs('answered ', ACAO_STAR),
  'no-allow-credentials': () => runs('had no ', ACAC),
  'allow-credentials': (v) => runs('said ', code(`Access-Control-Allow-Credentials: ${v.value ?? ''}`)),
  other: (v) => runs(`fails with credentials (${v.failure ?? ''})`),
};

/** Why the credentials mode is not relevant, in credentials-not-cors. */
const NOT_CORS: Record<string, Wording> = {
  'stopped-before-cors': () => runs('the request was stopped before any CORS rule applied'),
  'failed-before-cors': () => runs('the request failed before any CORS rule applied'),
  'no-cors-redirect': () => runs('not relevant: a no-cors request'),
  'no-cors': () => runs('not a CORS request (mode no-cors): the response is opaque to the page'),
  navigate: () => runs('not a CORS request (a navigation)'),
  scheme: (v) => runs('not a CORS request (a ', code(`${v.scheme ?? ''}:`), ' URL)'),
  'stopped-before-sending': () => runs('not relevant: the request was stopped before sending'),
  'same-origin': () => runs('not a CORS request: same origin'),
};

const UNDECIDED = 'shown as the default of fetch() and XMLHttpRequest (not included)';

/** One wording per rule this version decides with. */
const WORDING: Partial<Record<InferenceRuleId, Wording>> = {
  'credentials-cookie-sent': () => runs('the request carried a Cookie header'),
  'credentials-storage-access-sent': () => runs('the request carried a Sec-Fetch-Storage-Access header, sent only with credentials'),
  'credentials-preflight-passed': (v) =>
    // The method is plain text here (a text run is never parsed), as the stored reason has always read.
    runs('the preflight ', (PREFLIGHT_ANSWER[v.case ?? ''] ?? PREFLIGHT_ANSWER.other!)(v), ` and ${who(v)} ${v.method !== undefined ? `sent the ${v.method}` : 'went on'}`),
  'credentials-wildcard-accepted': (v) => runs(`${who(v)} ${where(v)}`, ACAO_STAR),
  'credentials-accepted-without-allow-credentials': (v) =>
    v.case === 'other'
      ? runs(`with credentials ${who(v)} would have failed it (${v.failure ?? ''}), and it did not`)
      : runs(`${who(v)} ${where(v)}an answer without `, ACAC_TRUE),
  'credentials-wildcard-rejected': (v) => runs(`only credentials explain why ${who(v)} rejected `, ACAO_STAR),
  'credentials-allow-credentials-rejected': failedIt,
  'credentials-fails-only-with-credentials': failedIt,
  'credentials-undecided': (v) =>
    runs(
      `not decided: what ${who(v)} did fits both modes; ${UNDECIDED}`,
      v.alternative !== undefined ? `; if this request sends credentials, ${who(v)} reports ${v.alternative} instead` : '',
    ),
  'credentials-contradicted': (v) => runs(`unknown: neither credentials mode explains what ${who(v)} did`),
  'credentials-not-cors': (v) => (NOT_CORS[v.case ?? ''] ?? (() => runs('not a CORS request')))(v),
  'mode-sec-fetch-mode': (v) => runs('the Sec-Fetch-Mode header said ', code(v.mode ?? '')),
  'mode-preflight-sent': () => runs('a preflight was sent for it (only CORS requests are preflighted)'),
  'mode-unsafe-request': (v) =>
    v.header !== undefined ? runs('a no-cors request cannot carry header ', code(v.header)) : runs('a no-cors request cannot carry method ', code(v.method ?? '')),
  'mode-origin-on-get': (v) => runs('the ', code(v.method ?? ''), ' carried an Origin header', v.origin !== undefined ? runs(' (', code(v.origin), ')') : ''),
  'mode-no-origin-on-get': (v) => runs('the cross-origin ', code(v.method ?? ''), ' carried no Origin header'),
  'mode-cors-failure': (v) => runs(`${who(v)} failed it after a response that fails the CORS check`),
  'mode-accepted-failing-cors-check': (v) => runs(`${who(v)} accepted a response that fails the CORS check`),
  'mode-same-origin-redirect-refused': (v) => runs(`${who(v)} refused to follow its redirect to another origin`),
  'mode-undecided': () => runs('not decided: analysed as a CORS request, the mode of fetch() and XMLHttpRequest'),
  'reached-response': (v) => runs(v.case === 'redirect' ? 'a redirect' : 'a response', ` (${v.status ?? 'no status'}) arrived`),
  'reached-error-after-sent': (v) => runs('the request was sent and then failed (', code(v.error ?? ''), ')'),
  'reached-stopped-by-preflight': () => runs('its preflight failed and the request was never sent'),
  'reached-failed-before-response': (v) => runs('it failed (', code(v.error ?? ''), ') before any response'),
  'reached-pending': () => runs('nothing has come back yet'),
};

/**
 * A reason as text runs. A reason without values (a report written before reasons were data, or
 * a rule this version does not know) is its stored text, shown as it is: one plain run.
 */
export function reasonRuns(r: { rule?: string | undefined; why: string; values?: ReasonValues | undefined }): TextRun[] {
  const wording = r.rule !== undefined && r.values !== undefined ? WORDING[r.rule as InferenceRuleId] : undefined;
  return wording ? joinedText(wording(r.values!)) : runs(r.why);
}

/** The note for a rule and the values it quotes: the data, and its text for readers of the JSON. */
export function note(rule: InferenceRuleId, values: ReasonValues = {}): InferenceNote {
  const wording = WORDING[rule];
  return { rule, why: wording ? markedText(wording(values)) : rule, values };
}
