// Types for lab/burst.mjs (the JavaScript is the source; keep these in step with its JSDoc).
export interface BurstLogEntry {
  server: 'Q' | 'R';
  method: string;
  path: string;
  /** Query string with its `?`, or ''. */
  query: string;
  /** The `i` query parameter: the request's number on the page. */
  i: number | null;
  run: string | null;
  t: number;
}

export interface BurstLab {
  pageOrigin: string;
  apiOrigin: string;
  rawOrigin: string;
  /** The burst page, with the API and raw origins in its query. */
  pageUrl: string;
  log: BurstLogEntry[];
  clearLog(): void;
  close(): Promise<void>;
}

export interface BurstRunOptions {
  n: number;
  from?: number;
  concurrency?: number;
  nonce?: string;
  preflightEvery?: number;
  blockEvery?: number;
  paceMs?: number;
}
export interface BurstRunResult { sent: number; ok: number; failed: number; ms: number }

export declare const RAW_CASES: Record<string, (origin: string) => Buffer[]>;
export declare function startBurstLab(): Promise<BurstLab>;
