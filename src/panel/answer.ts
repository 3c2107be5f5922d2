import { describeFinding, type TextRun } from '../cors/describe';
import type { Exchange } from '../traffic/exchange';
import type { Finding } from '../cors/types';
import { code, joinAndRuns, plain, runs, sameRuns } from './runs';

/**
 * The one answer the detail leads with: a headline of a fixed shape per failure kind naming every
 * blocker ("Preflight failed: status 405 and no `Access-Control-Allow-Origin`"), whether the request
 * reached the server, and the fix. Built from the findings' ids, stage and failedParameter, as text
 runs: a value quoted from the wire is one run, whatever it holds.
 */
export interface Answer {
  /** Where it failed, or how it went: the headline's first words. */
  kind: 'preflight' | 'response' | 'redirect' | 'failed' | 'allowed' | 'warning' | 'other';
  headline: TextRun[];
  /** Each thing that blocked it, as a short phrase. */
  blockers: TextRun[][];
  /** Did the request itself reach the server: yes, no, or not known. */
  reached: 'yes' | 'no' | 'unknown';
  reachedText: string;
  /** The lead error's fix, shown once. */
  fix: TextRun[] | null;
}

const ACAO = code('Access-Control-Allow-Origin');
const ACAC = code('Access-Control-Allow-Credentials');
const METHODS = code('Access-Control-Allow-Methods');
const HEADERS = code('Access-Control-Allow-Headers');

type Phrase = (f: Finding, ex: Exchange, status: number | undefined) => TextRun[];

/** A blocker's short phrase, per catalogue entry. */
const PHRASE: Record<string, Phrase> = {
  'missing-allow-origin': () => runs('no ', ACAO),
  'wildcard-origin-with-credentials': () => runs(code('Access-Control-Allow-Origin: *'), ' with credentials'),
  'multiple-allow-origin-values': () => runs('more than one ', ACAO, ' value'),
  'invalid-allow-origin-value': () => runs(ACAO, ' is not an origin'),
  'allow-origin-mismatch': (f) => (f.failedParameter ? runs(code(`Access-Control-Allow-Origin: ${f.failedParameter}`), ' is another origin') : runs(ACAO, ' names another origin')),
  'invalid-allow-credentials': () => runs(ACAC, ' is not ', code('true')),
  'preflight-invalid-status': (_f, _ex, status) => runs(`status ${status ?? 'not 2xx'}`),
  'preflight-redirect': (_f, _ex, status) => runs(`a redirect${status !== undefined ? ` (${status})` : ''}`),
  'invalid-allow-methods': () => runs(METHODS, ' does not parse'),
  'method-not-allowed-by-preflight': (f, ex) => runs(f.failedParameter || ex.method, ' not in ', METHODS),
  'invalid-allow-headers': () => runs(HEADERS, ' does not parse'),
  'header-not-allowed-by-preflight': (f) => runs(f.failedParameter ? code(f.failedParameter) : 'a request header', ' not in ', HEADERS),
  'authorization-not-covered-by-wildcard': () => runs(code('Authorization'), ' not covered by ', code('Access-Control-Allow-Headers: *')),
  'preflight-missing-allow-external': () => runs('no ', code('Access-Control-Allow-Private-Network')),
  'preflight-invalid-allow-external': () => runs(code('Access-Control-Allow-Private-Network'), ' is not ', code('true')),
};

/** The phrase for a finding, or null for an entry outside the CORS protocol's header rules. */
function blockerOf(f: Finding, ex: Exchange): TextRun[] | null {
  // The CORS check also runs on the preflight's response, as `preflight-<id>`.
  const phrase = PHRASE[f.id] ?? PHRASE[f.id.replace(/^preflight-/, '')];
  const status = (f.stage === 'preflight' ? ex.preflight?.response : ex.response)?.statusCode;
  return phrase ? phrase(f, ex, status) : null;
}

const ok = (status: number | undefined) => status !== undefined && status >= 200 && status <= 299;

/** Every blocker of a blocked exchange: a preflight's non-2xx status first, whichever rule Chrome named. */
function blockersOf(ex: Exchange, errors: Finding[]): TextRun[][] {
  const out: TextRun[][] = [];
  const pre = ex.preflight;
  const preflightFailed = errors.some((f) => f.stage === 'preflight');
  const status = pre?.response?.statusCode;
  // Chrome names one rule; a 405 without CORS headers is blocked by both its status and its headers.
  if (preflightFailed && pre?.observed === 'sent' && status !== undefined && !ok(status) && !(status >= 300 && status < 400)) out.push(runs(`status ${status}`));
  for (const f of errors) {
    const b = blockerOf(f, ex) ?? runs(describeFinding(f).title);
    if (!out.some((o) => sameRuns(o, b))) out.push(b);
  }
  return out;
}

/** Whether the request ran on the server: the first thing a PUT or POST's author wants to know. */
function reachedOf(ex: Exchange): Pick<Answer, 'reached' | 'reachedText'> {
  const m = ex.method;
  const sideEffects = !['GET', 'HEAD', 'OPTIONS'].includes(m);
  if (ex.reachedServer) {
    if (ex.verdict !== 'blocked') return { reached: 'yes', reachedText: `The ${m} reached the server.` };
    return {
      reached: 'yes',
      reachedText: `The ${m} reached the server and ran${sideEffects ? ' (its side effects happened)' : ''}; only the page was not allowed to read the response.`,
    };
  }
  const pre = ex.preflight;
  if (ex.verdict === 'blocked' && pre?.observed === 'sent' && ex.findings.some((f) => f.severity === 'error' && f.stage === 'preflight')) {
    return { reached: 'no', reachedText: `The ${m} never reached the server: Chrome stopped it after its preflight (only the OPTIONS request did).` };
  }
  if (ex.verdict === 'failed-before-cors' || (ex.error && !ex.response)) return { reached: 'no', reachedText: `The ${m} got no response from the server.` };
  return { reached: 'unknown', reachedText: `Whether the ${m} reached the server is not known.` };
}

const STAGE_HEAD: Record<string, { kind: Answer['kind']; head: string }> = {
  preflight: { kind: 'preflight', head: 'Preflight failed' },
  actual: { kind: 'response', head: 'Response refused' },
  redirect: { kind: 'redirect', head: 'Redirect refused' },
};

/** The answer for one exchange. */
export function answerOf(ex: Exchange): Answer {
  const errors = ex.findings.filter((f) => f.severity === 'error');
  const lead = errors[0];
  const reached = reachedOf(ex);
  if (ex.verdict === 'blocked' && lead) {
    const blockers = blockersOf(ex, errors);
    // A failure outside the CORS protocol's header rules (network, local network access) is headed by its title.
    const stage = errors.every((f) => blockerOf(f, ex) !== null) ? STAGE_HEAD[lead.stage] : undefined;
    const head = stage ? runs(`${stage.head}: `, joinAndRuns(blockers)) : runs(describeFinding(lead).title);
    return { kind: stage?.kind ?? 'failed', headline: head, blockers, ...reached, fix: [...describeFinding(lead).fix] };
  }
  if (lead) return { kind: 'failed', headline: runs(describeFinding(lead).title), blockers: [runs(describeFinding(lead).title)], ...reached, fix: [...describeFinding(lead).fix] };
  const warning = ex.findings.find((f) => f.severity === 'warning');
  if (ex.verdict === 'allowed') {
    if (warning) return { kind: 'warning', headline: runs(`Allowed, with a warning: ${describeFinding(warning).title}`), blockers: [], ...reached, fix: [...describeFinding(warning).fix] };
    return { kind: 'allowed', headline: runs('Allowed: the page could read the response'), blockers: [], ...reached, fix: null };
  }
  const label: Record<string, string> = { 'not-cors': 'Not a CORS request', 'failed-before-cors': 'Failed before any CORS check', unknown: 'Verdict not known yet' };
  return { kind: 'other', headline: runs(label[ex.verdict] ?? ex.verdict), blockers: [], ...reached, fix: warning ? [...describeFinding(warning).fix] : null };
}

/** The table's Finding column: the blockers, with where it failed when that was not the response itself. */
export function findingCell(ex: Exchange): string {
  const a = answerOf(ex);
  if (a.kind === 'allowed') return '';
  const list = plain(joinAndRuns(a.blockers));
  return a.kind === 'preflight' ? `preflight: ${list}` : a.kind === 'response' ? list : a.kind === 'redirect' ? `redirect: ${list}` : plain(a.headline);
}
