import type { Credentials, HeaderList, Inferred, Message, Redirect } from '../cors/types';
import type { Exchange } from '../traffic/exchange';
import { findingV1, findingV2, upgradeV1Findings } from './import-finding';
import { Invalid, READERS, arr, bool, describe, fail, int, num, obj, oneOf, oneOfOrNull, statusCode, str, strOrNull, type Obj } from './import-read';
import { reasonValues } from './import-reason';
import { REPORT_SCHEMA, REPORT_VERSION, type SessionReport } from './schema';

/**
 * Reading a session report back (the panel's "Open report…").
 *
 * Hand-written on purpose: Ajv compiles validators with `new Function`, which the
 * extension's CSP (MV3: no `unsafe-eval`) forbids. The tests hold this reader and
 * `schema/cors-lens-session.v2.schema.json` (and version 1 files to v1's schema) to the same answers.
 *
 * The reader is tolerant of fields it does not know (a later 1.x may add some) and drops
 * them: what it returns is rebuilt from the known fields only, so the panel never sees
 * anything the types do not describe.
 */
export type ParseResult = { ok: true; report: SessionReport } | { ok: false; error: string };

/**
 * Bounds on what "Open report…" reads, so a hostile or mistaken file cannot take the panel down.
 * A full session (10,000 exchanges by default, at most 100,000) is about 1 KB of JSON per exchange.
 */
export const MAX_REPORT_BYTES = 128 * 1024 * 1024;
export const MAX_REPORT_EXCHANGES = 100_000;
/** A report nests about eight levels deep; anything far deeper is not one, and is refused before parsing. */
export const MAX_REPORT_DEPTH = 64;

const mb = (n: number) => `${Math.round(n / (1024 * 1024))} MB`;

/** Checked on the file's size before it is read at all: a 500 MB file is refused without reading it. */
export function reportSizeProblem(bytes: number): string | null {
  return bytes > MAX_REPORT_BYTES ? `Cannot open the report: the file is ${mb(bytes)}, more than the ${mb(MAX_REPORT_BYTES)} a CORS Lens report can be.` : null;
}

/** The deepest nesting of `[` and `{` outside strings, stopping as soon as it passes `limit`. */
function nestingOver(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

const VERDICTS = ['allowed', 'blocked', 'not-cors', 'failed-before-cors', 'unknown'] as const;
const MODES = ['cors', 'no-cors', 'navigate', 'same-origin'] as const;
const CREDENTIALS = ['include', 'omit-or-same-origin'] as const;
const OBSERVED = ['sent', 'cached', 'missing'] as const;

function headerList(v: unknown, path: string): HeaderList {
  return arr(v, path).map((h, i) => {
    const p = `${path}[${i}]`;
    const pair = arr(h, p);
    if (pair.length !== 2) fail(p, 'a [name, value] pair', h);
    return [str(pair[0], `${p}[0]`), str(pair[1], `${p}[1]`)];
  });
}

function message(v: unknown, path: string): Message {
  const o = obj(v, path);
  const m: Message = { headers: headerList(o.headers, `${path}.headers`) };
  if (o.statusCode !== undefined) m.statusCode = statusCode(o.statusCode, `${path}.statusCode`);
  return m;
}

function messageOrNull(v: unknown, path: string): Message | null {
  return v === null ? null : message(v, path);
}

function redirect(v: unknown, path: string): Redirect {
  const o = obj(v, path);
  return {
    statusCode: statusCode(o.statusCode, `${path}.statusCode`),
    location: str(o.location, `${path}.location`),
    headers: headerList(o.headers, `${path}.headers`),
  };
}

function credentials(v: unknown, path: string): Credentials {
  const o = obj(v, path);
  const c: Credentials = {
    value: oneOfOrNull(o.value, CREDENTIALS, `${path}.value`),
    inferred: bool(o.inferred, `${path}.inferred`),
    why: str(o.why, `${path}.why`),
  };
  if (o.rule !== undefined) c.rule = str(o.rule, `${path}.rule`);
  const values = o.values === undefined ? undefined : reasonValues(READERS, o.values, `${path}.values`);
  if (values) c.values = values;
  return c;
}

function inferredNote(v: unknown, path: string): Inferred {
  const o = obj(v, path);
  const n: Inferred = { rule: str(o.rule, `${path}.rule`), why: str(o.why, `${path}.why`) };
  const values = o.values === undefined ? undefined : reasonValues(READERS, o.values, `${path}.values`);
  if (values) n.values = values;
  return n;
}

function inferred(v: unknown, path: string): NonNullable<Exchange['inferred']> {
  const o = obj(v, path);
  const out: NonNullable<Exchange['inferred']> = { mode: inferredNote(o.mode, `${path}.mode`), reachedServer: inferredNote(o.reachedServer, `${path}.reachedServer`) };
  if (o.preflight !== undefined) out.preflight = inferredNote(o.preflight, `${path}.preflight`);
  return out;
}

function preflight(v: unknown, path: string): Exchange['preflight'] {
  if (v === null) return null;
  const o = obj(v, path);
  const p: NonNullable<Exchange['preflight']> = {
    required: bool(o.required, `${path}.required`),
    reasons: arr(o.reasons, `${path}.reasons`).map((r, i) => str(r, `${path}.reasons[${i}]`)),
    observed: oneOf(o.observed, OBSERVED, `${path}.observed`),
    request: message(o.request, `${path}.request`),
    response: messageOrNull(o.response, `${path}.response`),
    error: strOrNull(o.error, `${path}.error`),
  };
  if (o.finalResponse !== undefined) p.finalResponse = message(o.finalResponse, `${path}.finalResponse`);
  if (o.cacheExpiresAt !== undefined) p.cacheExpiresAt = num(o.cacheExpiresAt, `${path}.cacheExpiresAt`);
  return p;
}


/**
 * One exchange of a report, checked field by field against its schema version: a version 1
 * exchange's findings are analysed again into data (see import-finding.ts).
 */
function parseExchange(v: unknown, path = 'exchange', version: number = REPORT_VERSION): Exchange {
  const o = obj(v, path);
  const ex: Exchange = {
    id: str(o.id, `${path}.id`),
    startedAt: num(o.startedAt, `${path}.startedAt`),
    url: str(o.url, `${path}.url`),
    method: str(o.method, `${path}.method`),
    initiatorOrigin: strOrNull(o.initiatorOrigin, `${path}.initiatorOrigin`),
    resourceType: str(o.resourceType, `${path}.resourceType`),
    redirects: arr(o.redirects, `${path}.redirects`).map((r, i) => redirect(r, `${path}.redirects[${i}]`)),
    mode: oneOfOrNull(o.mode, MODES, `${path}.mode`),
    credentials: credentials(o.credentials, `${path}.credentials`),
    preflight: preflight(o.preflight, `${path}.preflight`),
    request: message(o.request, `${path}.request`),
    response: messageOrNull(o.response, `${path}.response`),
    error: strOrNull(o.error, `${path}.error`),
    reachedServer: bool(o.reachedServer, `${path}.reachedServer`),
    verdict: oneOf(o.verdict, VERDICTS, `${path}.verdict`),
    findings: [],
  };
  if (o.finalResponse !== undefined) ex.finalResponse = message(o.finalResponse, `${path}.finalResponse`);
  if (o.inferred !== undefined) ex.inferred = inferred(o.inferred, `${path}.inferred`);
  const findings = arr(o.findings, `${path}.findings`);
  if (version === 1) ex.findings = upgradeV1Findings(ex, findings.map((f, i) => findingV1(READERS, f, `${path}.findings[${i}]`)));
  else ex.findings = findings.map((f, i) => findingV2(READERS, f, `${path}.findings[${i}]`));
  return ex;
}

function checkKind(o: Obj): void {
  if (!('schema' in o)) throw new Invalid('', `not a CORS Lens session report (it has no "schema" field; expected "${REPORT_SCHEMA}")`);
  if (o.schema !== REPORT_SCHEMA) {
    throw new Invalid('', `not a CORS Lens session report (its "schema" is ${describe(o.schema)}, expected "${REPORT_SCHEMA}")`);
  }
  const v = o.version;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new Invalid('', `unsupported report version ${describe(v)} (this CORS Lens reads versions 1 to ${REPORT_VERSION})`);
  }
  if (v > REPORT_VERSION) {
    throw new Invalid('', `this report was made by a newer CORS Lens (report version ${v}; this one reads versions 1 to ${REPORT_VERSION}): update CORS Lens to open it`);
  }
}

function exchangeList(v: unknown, version: number): Exchange[] {
  const list = arr(v, 'exchanges');
  if (list.length > MAX_REPORT_EXCHANGES) {
    throw new Invalid('', `the report has ${list.length.toLocaleString('en-US')} exchanges, more than the ${MAX_REPORT_EXCHANGES.toLocaleString('en-US')} a session can hold`);
  }
  return list.map((e, i) => parseExchange(e, `exchanges[${i}]`, version));
}

function report(v: unknown): SessionReport {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new Invalid('', `not a CORS Lens session report (expected a JSON object, got ${describe(v)})`);
  }
  const o = v as Obj;
  checkKind(o);
  const exportedAt = str(o.exportedAt, 'exportedAt');
  if (Number.isNaN(Date.parse(exportedAt))) fail('exportedAt', 'an ISO-8601 date', exportedAt);
  const tab = obj(o.tab, 'tab');
  return {
    schema: REPORT_SCHEMA,
    version: REPORT_VERSION,
    exportedAt,
    browser: str(o.browser, 'browser'),
    tab: { id: int(tab.id, 'tab.id'), url: str(tab.url, 'tab.url'), origin: strOrNull(tab.origin, 'tab.origin') },
    redacted: arr(o.redacted, 'redacted').map((n, i) => str(n, `redacted[${i}]`)),
    exchanges: exchangeList(o.exchanges, o.version as number),
  };
}

/**
 * Reads a `cors-lens/session` report. Refuses, with a one-line message: text that is not JSON,
 * JSON that is not a CORS Lens session report, a report from a newer CORS Lens, and a report
 * whose exchanges are not shaped as their version says. Never throws.
 */
export function parseReport(text: string): ParseResult {
  if (typeof text !== 'string') return { ok: false, error: 'Cannot read the report: expected text.' };
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return { ok: false, error: 'Cannot read the report: the file is empty.' };
  // UTF-16 code units: at least one byte each, so a text over the byte cap came from a file over it.
  const tooBig = reportSizeProblem(body.length);
  if (tooBig) return { ok: false, error: tooBig };
  if (nestingOver(body, MAX_REPORT_DEPTH)) {
    return { ok: false, error: `Cannot open this file: it nests more than ${MAX_REPORT_DEPTH} levels deep, and a CORS Lens report nests about eight.` };
  }
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { ok: false, error: `Cannot read the report: it is not valid JSON (${oneLine(why)}).` };
  }
  try {
    return { ok: true, report: report(data) };
  } catch (e) {
    if (e instanceof Invalid) {
      return { ok: false, error: e.path ? `Invalid CORS Lens report: ${e.path} ${e.problem}.` : `Cannot open this file: ${e.problem}.` };
    }
    // A bug in the reader, not in the file: still an answer, never an exception.
    return { ok: false, error: `Cannot read the report: ${oneLine(e instanceof Error ? e.message : String(e))}.` };
  }
}

function oneLine(s: string): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
}
