// Types for lab/oracle.mjs.
import type { Expect, LabOrigins } from './scenarios.mjs';

export interface RequestRecord {
  call: number;
  setup?: boolean;
  url: string;
  method: string;
  verdict: string;
  corsError: string | null;
  failedParameter: string | null;
  errorText: string | null;
  status: number | null;
  preflight: boolean;
  /** How many preflights DevTools linked to this request (2 when a preflighted request is redirected cross-origin). */
  preflights: number;
  preflightStatus: number | null;
  preflightErrorText: string | null;
  redirects: string[];
  reachedServer: boolean;
  seenByNetwork?: false;
  expect: Expect;
  mismatches: string[];
}

export interface ScenarioRecord {
  id: string;
  group: string;
  title: string;
  expect: Expect;
  requests: RequestRecord[];
  serverLog: string[];
  preflightsAtServer: number;
  expectPreflights?: number;
  page: { ok: boolean; status?: number; error?: string; detail: string };
  match: boolean;
  mismatches: string[];
}

export function recordChromeVerdicts(opts?: { executablePath?: string; only?: string[]; nonce?: string }): Promise<{
  browser: string;
  origins: LabOrigins;
  scenarios: ScenarioRecord[];
}>;
