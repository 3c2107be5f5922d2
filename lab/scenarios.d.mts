// Types for lab/scenarios.mjs (the JavaScript is the source; keep these in step with its JSDoc).

export type Group = 'seed' | 'rule' | 'cache' | 'redirect' | 'mode' | 'hostile' | 'control' | 'infer' | 'cause';
/** A field of the report CORS Lens infers because the browser does not report it. */
export type InferredField = 'credentials' | 'mode';
export type Verdict = 'allowed' | 'blocked' | 'not-cors' | 'failed-before-cors';
/** refused: a closed port on 127.0.0.1; unsafe: http://127.0.0.1:6000; ftp: ftp://127.0.0.1. */
export type Target = 'A' | 'B' | 'BSameSite' | 'C' | 'refused' | 'unsafe' | 'ftp';

export interface Expect {
  /** Network.loadingFailed.corsErrorStatus.corsError, or null when Chrome reports none. */
  chromeCorsError: string | null;
  /** corsErrorStatus.failedParameter when not empty (templates expanded in resolved scenarios). */
  failedParameter?: string;
  verdict: Verdict;
  /** Network.loadingFailed.errorText when the request failed. */
  errorText?: string;
  /** Whether the request itself (not its preflight) reached a lab server. */
  reachedServer?: boolean;
  /** Whether Chrome sent an OPTIONS preflight for this request. */
  preflight?: boolean;
  /**
   * false: Blink refused the request before the network. No Network.* and no webRequest event exists;
   * Chrome reports chromeCorsError only as an Audits CorsIssue. An extension cannot see it. Default true.
   */
  seenByNetwork?: boolean;
}

export interface Call {
  target?: Target;
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  credentials?: RequestCredentials;
  mode?: RequestMode;
  redirect?: RequestRedirect;
  api?: 'fetch' | 'xhr';
  readHeaders?: string[];
  expect?: Expect;
  setup?: boolean;
  /** 'public': sent from a same-origin iframe served with CSP treat-as-public-address (Local Network Access). */
  frame?: 'public';
  /** Fields of this call nothing an extension sees can decide (an "unknown" elsewhere is an inference failure). */
  undecided?: InferredField[];
}

export interface Reply {
  status: number;
  headers?: Array<[string, string]>;
  body?: string;
  location?: string;
}

export interface ServerSpec {
  preflight?: Reply;
  actual?: Reply;
  next?: { preflight?: Reply; actual?: Reply };
}

export interface Scenario {
  id: string;
  title: string;
  group: Group;
  description: string;
  /** The verdict for the scenario's subject request (the last non-setup call without its own expect). */
  expect: Expect;
  /** How many requests (fetch/XHR calls) the page sends; preflights and redirect hops not counted. */
  requests: number;
  calls: Call[];
  parallel?: boolean;
  /** How many OPTIONS requests the lab servers receive for the whole scenario. */
  expectPreflights?: number;
  server: ServerSpec;
  /** As on a call, for every call of the scenario. */
  undecided?: InferredField[];
  /** The likely-cause finding CORS Lens must name for the subject request (src/cors/catalogue-causes.ts). */
  cause?: string;
}

export interface LabOrigins {
  A: string;
  B: string;
  BSameSite: string;
  C: string;
  refused: string;
  unsafe: string;
  ftp: string;
}

export interface ResolvedCall extends Call {
  /** The call's URL without the run nonce: `<origin><path>?s=<id>`. */
  url: string;
}

export interface ResolvedScenario extends Omit<Scenario, 'calls' | 'server'> {
  calls: ResolvedCall[];
}

export const scenarios: Scenario[];
export const scenarioById: Map<string, Scenario>;
export function expand(template: string, vars: Record<string, string | undefined | null>): string | null;
export function originVars(origins: LabOrigins): Record<string, string>;
export function resolveScenarios(origins: LabOrigins): ResolvedScenario[];
