/**
 * Reading findings back from a report: version 2 carries the values seen, version 1 carried
 * finished sentences. A version 1 exchange is analysed again from the messages it carries,
 * so its findings come back as data; a version 1 finding the engine no longer raises keeps
 * the values the exchange itself gives (origin, URL, method).
 */
import { analyzeExchange } from '../cors/analyze';
import type { Finding, FindingValues, Message, Observation, Stage } from '../cors/types';
import type { Exchange } from '../traffic/exchange';

export const SEVERITIES = ['error', 'warning'] as const;
export const STAGES = ['preflight', 'actual', 'redirect'] as const;
export const FINDING_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const CREDENTIALS = ['include', 'omit-or-same-origin'] as const;

/** The checks the report reader shares with this file. */
export interface Readers {
  obj(v: unknown, path: string): Record<string, unknown>;
  str(v: unknown, path: string): string;
  strOrNull(v: unknown, path: string): string | null;
  bool(v: unknown, path: string): boolean;
  int(v: unknown, path: string): number;
  arr(v: unknown, path: string): unknown[];
  oneOf<T extends string>(v: unknown, allowed: readonly T[], path: string): T;
  oneOfOrNull<T extends string>(v: unknown, allowed: readonly T[], path: string): T | null;
  fail(path: string, expected: string, got: unknown): never;
}

/** The values of a version 2 finding: the known fields, each checked; unknown ones dropped. */
function values(r: Readers, v: unknown, path: string): FindingValues {
  const o = r.obj(v, path);
  const out: FindingValues = {
    origin: r.str(o.origin, `${path}.origin`),
    url: r.str(o.url, `${path}.url`),
    path: r.str(o.path, `${path}.path`),
    method: r.str(o.method, `${path}.method`),
    credentials: r.oneOfOrNull(o.credentials, CREDENTIALS, `${path}.credentials`),
  };
  for (const k of ['received', 'allowCredentials', 'allowMethods', 'allowHeaders'] as const) {
    if (o[k] !== undefined) out[k] = r.strOrNull(o[k], `${path}.${k}`);
  }
  for (const k of ['header', 'location', 'error', 'difference', 'cacheHeaders'] as const) if (o[k] !== undefined) out[k] = r.str(o[k], `${path}.${k}`);
  if (o.requestedHeaders !== undefined) out.requestedHeaders = r.arr(o.requestedHeaders, `${path}.requestedHeaders`).map((h, i) => r.str(h, `${path}.requestedHeaders[${i}]`));
  if (o.status !== undefined) {
    const n = r.int(o.status, `${path}.status`);
    if (n < 0 || n > 999) r.fail(`${path}.status`, 'an HTTP status code', n);
    out.status = n;
  }
  if (o.stage !== undefined) out.stage = r.oneOf(o.stage, STAGES, `${path}.stage`);
  for (const k of ['methodCaseDiffersFromSpec', 'contradicted', 'onlyWithCredentialsInFirefox'] as const) if (o[k] !== undefined) out[k] = r.bool(o[k], `${path}.${k}`);
  if (o.alternativeWithCredentials !== undefined) {
    const id = r.str(o.alternativeWithCredentials, `${path}.alternativeWithCredentials`);
    if (!FINDING_ID.test(id)) r.fail(`${path}.alternativeWithCredentials`, 'a kebab-case id', id);
    out.alternativeWithCredentials = id;
  }
  return out;
}

/** What every finding has, in both versions. */
function head(r: Readers, o: Record<string, unknown>, path: string): Omit<Finding, 'values'> {
  const id = r.str(o.id, `${path}.id`);
  if (!FINDING_ID.test(id)) r.fail(`${path}.id`, 'a kebab-case id', id);
  return {
    id,
    severity: r.oneOf(o.severity, SEVERITIES, `${path}.severity`),
    stage: r.oneOf(o.stage, STAGES, `${path}.stage`),
    chromeCorsError: r.strOrNull(o.chromeCorsError, `${path}.chromeCorsError`),
    failedParameter: r.strOrNull(o.failedParameter, `${path}.failedParameter`),
  };
}

export function findingV2(r: Readers, v: unknown, path: string): Finding {
  const o = r.obj(v, path);
  return { ...head(r, o, path), values: values(r, o.values, `${path}.values`) };
}

/** A version 1 finding, checked as version 1 described it; its sentences are not kept. */
export function findingV1(r: Readers, v: unknown, path: string): Omit<Finding, 'values'> {
  const o = r.obj(v, path);
  const spec = r.str(o.spec, `${path}.spec`);
  if (!/^https?:\/\//i.test(spec)) r.fail(`${path}.spec`, 'an http(s) URL', spec);
  for (const k of ['title', 'detail', 'fix']) r.str(o[k], `${path}.${k}`);
  return head(r, o, path);
}

/** A request its preflight stopped was exported with only its Origin: it was never sent. */
function neverSent(ex: Exchange): boolean {
  return !ex.reachedServer && ex.preflight?.observed === 'sent' && ex.request.headers.every(([n]) => n === 'origin');
}

function judged(response: Message | null, final: Message | undefined): Message | null {
  return final ?? response;
}

/** The engine's input, rebuilt from what an exported exchange carries. */
export function observationOfExchange(ex: Exchange): Observation {
  const p = ex.preflight;
  return {
    url: ex.url,
    method: ex.method,
    initiatorOrigin: ex.initiatorOrigin,
    mode: ex.mode,
    request: neverSent(ex) ? null : ex.request,
    redirects: ex.redirects,
    preflight: p
      ? p.observed === 'sent'
        ? { observed: 'sent', request: p.request, response: judged(p.response, p.finalResponse), error: p.error }
        : { observed: p.observed, request: null, response: null, error: null }
      : null,
    response: judged(ex.response, ex.finalResponse),
    error: ex.error,
  };
}

/**
 * Version 1 findings as data: each takes the values the engine finds for the same rule in the
 * same exchange; one the engine does not raise again keeps what the exchange gives.
 */
export function upgradeV1Findings(ex: Exchange, old: ReadonlyArray<Omit<Finding, 'values'>>): Finding[] {
  const fresh = analyzeExchange(observationOfExchange(ex)).findings;
  const path = (() => {
    try {
      return new URL(ex.url).pathname;
    } catch {
      return ex.url;
    }
  })();
  const base: FindingValues = { origin: ex.initiatorOrigin ?? 'null', url: ex.url, path, method: ex.method, credentials: ex.credentials.value };
  return old.map((f) => {
    const same = fresh.find((n) => n.id === f.id);
    const stage: Stage = f.stage;
    return { ...f, stage, values: same ? same.values : base };
  });
}
