import type { Credentials, Finding, Inferred, Message, PreflightObserved, Redirect, RequestMode, Verdict } from '../cors/types';

/** One cross-origin exchange, exactly as the session report (schema version 2) carries it. */
export interface Exchange {
  id: string;
  /** ms since epoch */
  startedAt: number;
  url: string;
  method: string;
  initiatorOrigin: string | null;
  resourceType: string;
  redirects: Redirect[];
  mode: RequestMode | null;
  credentials: Credentials;
  preflight: null | {
    required: boolean;
    reasons: string[];
    observed: PreflightObserved;
    request: Message;
    response: Message | null;
    /** The response after a local override rewrote it; present only when it differs. */
    finalResponse?: Message;
    error: string | null;
    /** When the browser's preflight cache entry for this request runs out (ms since epoch). */
    cacheExpiresAt?: number;
  };
  request: Message;
  response: Message | null;
  /** The response after a local override rewrote it; present only when it differs from `response`. */
  finalResponse?: Message;
  error: string | null;
  reachedServer: boolean;
  verdict: Verdict;
  findings: Finding[];
  /** Which inference rule decided each field the browser does not report (besides `credentials.rule`). */
  inferred?: { mode: Inferred; reachedServer: Inferred; preflight?: Inferred };
}
