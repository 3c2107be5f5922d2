// Types for lab/server.mjs (the JavaScript is the source; keep these in step with its JSDoc).
import type { LabOrigins, ResolvedScenario, Scenario } from './scenarios.mjs';

export type ServerName = 'A' | 'B' | 'C';

export interface LogEntry {
  server: ServerName;
  method: string;
  /** URL path without the query. */
  path: string;
  /** Query string with its `?`, or ''. */
  query: string;
  /** The `s` query parameter. */
  scenario: string | null;
  /** The request's Origin header. */
  origin: string | null;
  /** Request headers, lower-cased names. */
  headers: Record<string, string>;
  t: number;
}

export interface Lab {
  /** http://127.0.0.1:PA: the lab page. */
  originA: string;
  /** http://localhost:PB: the scenario endpoints, cross-site from A. */
  originB: string;
  /** http://127.0.0.1:PB: the same server, same-site from A. */
  originBSameSite: string;
  /** http://127.0.0.1:PC: cross-origin redirect targets. */
  originC: string;
  /** A closed port on 127.0.0.1. */
  refusedOrigin: string;
  /** http://127.0.0.1:6000, a port Chrome refuses. */
  unsafeOrigin: string;
  origins: LabOrigins;
  /** The scenarios with templates expanded for these origins, each call with its URL. */
  scenarios: ResolvedScenario[];
  /** Every request any lab server received (except A's /__log endpoints), appended before answering. */
  log: LogEntry[];
  clearLog(): void;
  close(): Promise<void>;
}

export function startLab(opts?: { ports?: { a?: number; b?: number; c?: number } }): Promise<Lab>;
export const scenarios: Scenario[];
