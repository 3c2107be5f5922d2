/**
 * How long a preflight answer is reused: `Access-Control-Max-Age`.
 */

/** Chrome caps Max-Age at 2 hours (`PreflightResult`'s kMaxTimeout). */
export const CHROME_MAX_AGE_CAP_SECONDS = 7200;
/** Firefox caps Max-Age at 24 hours. */
export const FIREFOX_MAX_AGE_CAP_SECONDS = 86400;
/** Without a (valid) Max-Age the answer is reused for 5 seconds. */
export const DEFAULT_MAX_AGE_SECONDS = 5;

export interface MaxAge {
  /** What Chrome uses, in seconds (0: not cached). */
  seconds: number;
  /** What the server asked for, in seconds, when it parsed. */
  requested: number | null;
  problem: null | 'absent' | 'unparsable' | 'negative' | 'above-chrome-cap';
}

const DIGITS = /^-?[0-9]+$/;

/**
 * Parse `Access-Control-Max-Age` as Chrome does (`base::StringToInt64`, no
 * whitespace): absent or unparsable means 5 s, negative means not cached, and
 * the result is capped at 7,200 s. The spec's grammar is delta-seconds.
 * @see https://fetch.spec.whatwg.org/#http-access-control-max-age
 * @see https://fetch.spec.whatwg.org/#cors-preflight-fetch-0 (steps 7.8-7.10: max-age, default 5, capped)
 */
export function parseMaxAge(header: string | null): MaxAge {
  // Step 7.9: if max-age is failure or null, set it to 5.
  if (header === null) return { seconds: DEFAULT_MAX_AGE_SECONDS, requested: null, problem: 'absent' };
  if (!DIGITS.test(header)) return { seconds: DEFAULT_MAX_AGE_SECONDS, requested: null, problem: 'unparsable' };
  const requested = Number(header);
  if (requested < 0) return { seconds: 0, requested, problem: 'negative' };
  // Step 7.10: the user agent may impose its own limit (Chrome: 2 h).
  if (requested > CHROME_MAX_AGE_CAP_SECONDS) return { seconds: CHROME_MAX_AGE_CAP_SECONDS, requested, problem: 'above-chrome-cap' };
  return { seconds: requested, requested, problem: null };
}

/**
 * When a preflight answer received at `startedAtMs` stops being reused by
 * Chrome, in ms since the epoch.
 * @see https://fetch.spec.whatwg.org/#concept-cache
 */
export function preflightCacheExpiry(startedAtMs: number, maxAgeHeader: string | null): number {
  return startedAtMs + parseMaxAge(maxAgeHeader).seconds * 1000;
}
