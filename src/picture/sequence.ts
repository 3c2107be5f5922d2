import { describeFinding } from '../cors/describe';
import type { Finding, HeaderList, Message } from '../cors/types';
import { isoTime } from '../report/format';
import { originLabel } from '../report/summary';
import type { Exchange } from '../traffic/exchange';
import { likelyFromPreflightCache } from '../traffic/likely-cached';

/**
 * The exchange as a sequence diagram's steps, the way CORS is taught (the page, the browser, the
 * server, and the messages between them, in order): what was sent, what came back, where the
 * browser stopped it, and what never happened. Pure data, drawn by the SVG, text and Mermaid
 * renderers alike, so every rendering tells the same story. Values are raw here: each renderer
 * cleans and cuts them for its medium.
 */

export type Lane = 'page' | 'browser' | 'server';
export type Tone = 'plain' | 'ok' | 'blocked' | 'cache' | 'override' | 'muted';
/** What a step stands for, for tests and styling. */
export type StepKind =
  | 'call'
  | 'preflight'
  | 'preflight-answer'
  | 'preflight-cached'
  | 'preflight-likely-cached'
  | 'preflight-missing'
  | 'preflight-failed'
  | 'override'
  | 'request'
  | 'redirect'
  | 'response'
  | 'no-response'
  | 'stop'
  | 'never-sent'
  | 'result';

export interface Arrow {
  type: 'arrow';
  kind: StepKind;
  from: Lane;
  to: Lane;
  label: string;
  /** Secondary lines: the headers that matter for this message. */
  lines: string[];
  /** A message that never happened. */
  dashed: boolean;
  tone: Tone;
}

export interface Note {
  type: 'note';
  kind: StepKind;
  /** Notes sit on the browser's lifeline: it is the browser that caches, rewrites and stops. */
  at: 'browser';
  label: string;
  lines: string[];
  tone: Tone;
}

export type Step = Arrow | Note;

export interface Sequence {
  /** The page's origin, or null when unknown. */
  page: string | null;
  /** The server's origin (the one the request was first sent to). */
  server: string;
  steps: Step[];
}

export interface SequenceOptions {
  /** How a time (ms since epoch) is written: the report writes ISO 8601, the panel local time. */
  time?: (ms: number) => string;
}

/** Response headers that decide a CORS check, in the order a reader looks for them. */
const DECISIVE = [
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-max-age',
  'access-control-expose-headers',
];
const MAX_LINES = 4;

function header(headers: HeaderList, name: string): string | null {
  const values = headers.filter(([n]) => n === name).map(([, v]) => v);
  return values.length === 0 ? null : values.join(', ');
}

/** The lines under a response arrow: its CORS headers (or their absence), at most MAX_LINES. */
function answerLines(m: Message): string[] {
  const out: string[] = [];
  for (const name of DECISIVE) {
    const v = header(m.headers, name);
    if (v !== null) out.push(`${name}: ${v}`);
  }
  if (header(m.headers, 'access-control-allow-origin') === null) out.unshift('no access-control-allow-origin');
  if (out.length > MAX_LINES) return [...out.slice(0, MAX_LINES - 1), `… ${out.length - MAX_LINES + 1} more`];
  return out;
}

function statusOf(m: Message): string {
  return m.statusCode === undefined ? '(no status)' : String(m.statusCode);
}

/** The path when the URL is on `origin`, else the whole URL (a redirect to another origin, or with user:pass@ in it). */
function target(url: string, origin: string): string {
  try {
    const u = new URL(url);
    return u.origin === origin && u.username === '' && u.password === '' ? `${u.pathname}${u.search}` : url;
  } catch {
    return url;
  }
}

/** What a local override changed: `+ name: value` added, `~ name: was → now` changed, `- name` removed. */
export function overrideLines(server: Message | null, final: Message): string[] {
  const was = server?.headers ?? [];
  const out: string[] = [];
  for (const [name, value] of final.headers) {
    const before = header(was, name);
    if (before === null) out.push(`+ ${name}: ${value}`);
    else if (!was.some(([n, v]) => n === name && v === value)) out.push(`~ ${name}: ${before} → ${value}`);
  }
  for (const [name] of was) if (header(final.headers, name) === null) out.push(`- ${name}`);
  if (server?.statusCode !== final.statusCode && final.statusCode !== undefined) out.unshift(`status ${server?.statusCode ?? '?'} → ${final.statusCode}`);
  return out.length > MAX_LINES ? [...out.slice(0, MAX_LINES - 1), `… ${out.length - MAX_LINES + 1} more`] : out;
}

function stopNote(f: Finding | undefined, fallback: string, error: string | null = null): Note {
  const lines = f?.chromeCorsError ? [`Chrome: ${f.chromeCorsError}`] : error ? [`browser error: ${error}`] : [];
  return { type: 'note', kind: 'stop', at: 'browser', label: `✗ ${f ? describeFinding(f).title : fallback}`, lines, tone: 'blocked' };
}

const arrow = (kind: StepKind, from: Lane, to: Lane, label: string, lines: string[] = [], tone: Tone = 'plain', dashed = false): Arrow => ({
  type: 'arrow',
  kind,
  from,
  to,
  label,
  lines,
  dashed,
  tone,
});
const note = (kind: StepKind, label: string, lines: string[], tone: Tone): Note => ({ type: 'note', kind, at: 'browser', label, lines, tone });

/** The page is told only "network error": Chrome's own error string says which. */
function pageError(ex: Exchange, withheld: Message | null): Arrow {
  const lines = withheld ? [`the ${statusOf(withheld)} answer is withheld`] : [];
  return arrow('result', 'browser', 'page', `network error${ex.error ? ` (${ex.error})` : ''}`, lines, 'blocked');
}

/** The steps of one exchange, in the order they happened. */
export function sequenceOf(ex: Exchange, opts: SequenceOptions = {}): Sequence {
  const time = opts.time ?? isoTime;
  const server = originLabel(ex.url);
  const steps: Step[] = [];
  const stopped = ex.verdict === 'blocked' || ex.verdict === 'failed-before-cors';
  // The first error explains a block (or names the network failure): the ✗ carries its title.
  const reason = stopped ? ex.findings.find((f) => f.severity === 'error') : undefined;
  const path = target(ex.url, server);
  const neverSent = (what: string, label = `${ex.method} ${what} never sent`) => arrow('never-sent', 'browser', 'server', label, [], 'muted', true);

  steps.push(arrow('call', 'page', 'browser', `${ex.method} ${path}`, ex.mode ? [`mode: ${ex.mode}`] : []));

  const p = ex.preflight;
  if (p) {
    const stoppedHere = reason?.stage === 'preflight' || (ex.verdict === 'blocked' && !ex.reachedServer && p.observed === 'sent');
    if (p.observed === 'sent') {
      const ask = ['access-control-request-method', 'access-control-request-headers']
        .map((n) => [n, header(p.request.headers, n)] as const)
        .filter(([, v]) => v !== null)
        .map(([n, v]) => `${n}: ${v}`);
      steps.push(arrow('preflight', 'browser', 'server', `OPTIONS ${path}`, ask));
      if (p.response) {
        steps.push(arrow('preflight-answer', 'server', 'browser', statusOf(p.response), answerLines(p.response), stoppedHere ? 'blocked' : 'ok'));
      } else {
        steps.push(note('preflight-failed', `preflight failed${p.error ? `: ${p.error}` : ''}`, ['no answer from the server'], 'blocked'));
      }
      if (p.finalResponse) steps.push(note('override', 'local override rewrote the preflight answer', overrideLines(p.response, p.finalResponse), 'override'));
    } else if (p.observed === 'cached') {
      const until = p.cacheExpiresAt !== undefined ? [`cache entry until ${time(p.cacheExpiresAt)}`] : [];
      steps.push(note('preflight-cached', 'preflight answered from the preflight cache: no OPTIONS sent', until, 'cache'));
    } else if (likelyFromPreflightCache(ex)) {
      // Decided with the panel (src/traffic/likely-cached.ts): not a fault, an answer CORS Lens could not see.
      steps.push(note('preflight-likely-cached', 'preflight most likely answered from the preflight cache', ['not seen while recorded; Chrome sent the request itself'], 'cache'));
    } else if (p.required) {
      steps.push(note('preflight-missing', 'preflight needed but not seen', [], 'muted'));
    }
    if (stoppedHere) {
      steps.push(stopNote(reason, 'the preflight failed'), neverSent(path), pageError(ex, null));
      return { page: ex.initiatorOrigin, server, steps };
    }
  }

  if (!ex.reachedServer && stopped) {
    // Stopped before anything left the browser: a network failure, a refused port, Local Network Access.
    steps.push(stopNote(reason, ex.error ? `failed before CORS: ${ex.error}` : 'the request failed', ex.error));
    steps.push(neverSent(path, `${ex.method} ${path} never reached the server`), pageError(ex, null));
    return { page: ex.initiatorOrigin, server, steps };
  }

  const requestLines = [header(ex.request.headers, 'origin')].filter((v) => v !== null).map((v) => `origin: ${v}`);
  if (ex.credentials.value === 'include') requestLines.push('with credentials');
  steps.push(arrow('request', 'browser', 'server', `${ex.method} ${path}`, requestLines));

  for (const [i, r] of ex.redirects.entries()) {
    const to = target(r.location, server);
    steps.push(arrow('redirect', 'server', 'browser', `${r.statusCode} → ${to}`, answerLines(r), 'plain'));
    if (i === ex.redirects.length - 1 && !ex.response && stopped) {
      // The browser refused to follow this redirect: the next request never went out.
      steps.push(stopNote(reason, 'the redirect was refused', ex.error), neverSent(to), pageError(ex, null));
      return { page: ex.initiatorOrigin, server, steps };
    }
    steps.push(arrow('request', 'browser', 'server', `${ex.method} ${to}`, ['(redirect followed)']));
  }

  const res = ex.response;
  if (res) {
    steps.push(arrow('response', 'server', 'browser', statusOf(res), answerLines(res), ex.verdict === 'blocked' ? 'blocked' : ex.verdict === 'allowed' ? 'ok' : 'plain'));
    if (ex.finalResponse) steps.push(note('override', 'local override rewrote the answer', overrideLines(res, ex.finalResponse), 'override'));
  } else {
    steps.push(note('no-response', ex.error ? `no answer: ${ex.error}` : 'no answer seen (still pending, or the tab went away)', [], ex.error ? 'blocked' : 'muted'));
  }

  const shown = ex.finalResponse ?? res;
  switch (ex.verdict) {
    case 'allowed':
      steps.push(arrow('result', 'browser', 'page', `${shown ? statusOf(shown) : ''} handed to the page`.trim(), [], 'ok'));
      break;
    case 'blocked':
      steps.push(stopNote(reason, 'the CORS check failed', ex.error), pageError(ex, shown));
      break;
    case 'not-cors':
      steps.push(arrow('result', 'browser', 'page', ex.mode === 'no-cors' ? 'opaque response (no-cors: no CORS check)' : 'response (not a CORS request)', [], 'plain'));
      break;
    case 'failed-before-cors':
      steps.push(stopNote(reason, `failed before CORS: ${ex.error ?? 'unknown error'}`, ex.error), pageError(ex, null));
      break;
    case 'unknown':
      steps.push(note('result', 'no verdict: the exchange did not finish while recorded', [], 'muted'));
      break;
  }
  return { page: ex.initiatorOrigin, server, steps };
}
