/**
 * The engine's vocabulary. Everything here is plain data so that the capture,
 * the panel and the report can share it without sharing code paths.
 */

/** Header list as the browser handed it over: names lower-cased, order and duplicates kept. */
export type HeaderList = Array<[name: string, value: string]>;

/** One HTTP message as seen on the wire. */
export interface Message {
  statusCode?: number;
  headers: HeaderList;
}

export type Severity = 'error' | 'warning';
export type Stage = 'preflight' | 'actual' | 'redirect';
export type Verdict = 'allowed' | 'blocked' | 'not-cors' | 'failed-before-cors' | 'unknown';
/** The request's mode, from `Sec-Fetch-Mode`. */
export type RequestMode = 'cors' | 'no-cors' | 'navigate' | 'same-origin';
export type PreflightObserved = 'sent' | 'cached' | 'missing';

/**
 * The values seen in one exchange, which the catalogue's templates quote. Data, not prose:
 * each view (panel, HTML, Markdown) renders the entry's templates from them.
 */
export interface FindingValues {
  /** The origin the browser sent and compared (`null` after a tainting redirect). */
  origin: string;
  /** The URL whose response is at fault. */
  url: string;
  /** Its path, as a server route ("/api/data"). */
  path: string;
  /** The request's method (normalized). */
  method: string;
  /** The credentials mode, as inferred. */
  credentials: 'include' | 'omit-or-same-origin' | null;
  /** The value of the header at fault as received; null when it was absent. */
  received?: string | null;
  /** `Access-Control-Allow-Credentials` as received. */
  allowCredentials?: string | null;
  /** The request header at fault. */
  header?: string;
  /** Every header name the preflight asked for (lower-case, sorted). */
  requestedHeaders?: readonly string[];
  allowMethods?: string | null;
  allowHeaders?: string | null;
  status?: number;
  location?: string;
  /** The browser's error string (`net::ERR_CONNECTION_REFUSED`). */
  error?: string;
  /** Where the browser stopped the exchange, when a rule's wording depends on it. */
  stage?: Stage;
  /** Which part of an almost-matching origin differs ("the port: 5173 here, 3000 allowed"). */
  difference?: string;
  /** The shared-cache headers seen (`Age: 120, X-Cache: HIT`). */
  cacheHeaders?: string;
  /** Chrome upper-cases the method before comparing it with Allow-Methods, unlike the spec. */
  methodCaseDiffersFromSpec?: boolean;
  /** Firefox blocks it only under credentials mode "include", which it does not show an extension. */
  onlyWithCredentialsInFirefox?: boolean;
  /** The rule failed by the rules, but the browser let the request through. */
  contradicted?: boolean;
  /** The finding Chrome would report first if the request was made with credentials. */
  alternativeWithCredentials?: string;
}

/**
 * One broken rule, as data: which catalogue entry, where, Chrome's name for it, and the
 * values seen. Titles, explanations and fixes are rendered from the catalogue
 * (`describeFinding`), never stored.
 */
export interface Finding {
  /** Stable kebab-case id of the catalogue entry. */
  id: string;
  severity: Severity;
  stage: Stage;
  /** Chrome's `Network.CorsError` name, when Chrome has one for this rule. */
  chromeCorsError: string | null;
  /** The header value or method at fault, as Chrome reports it in `failedParameter`. */
  failedParameter: string | null;
  values: FindingValues;
}

/**
 * What an inference reason quotes: the values its rule's wording is filled with
 * (`src/cors/reasons.ts` renders rule and values to text runs). A wire value is held
 * as it was seen and rendered as one run, whatever it holds.
 */
export interface ReasonValues {
  /** The browser that reported the exchange, by name. */
  browser?: 'Chrome' | 'Firefox';
  /** Which of the rule's wordings applies, where it has more than one. */
  case?: string;
  /** The request's method, as sent. */
  method?: string;
  /** A header's name, as sent. */
  header?: string;
  /** A header's value, as received. */
  value?: string;
  /** The page's origin, from the Origin header. */
  origin?: string;
  /** A failure by the name the browser gives it (Chrome's CorsError, Firefox's reason). */
  failure?: string;
  /** Not decided: the failure the browser reports instead if the request sends credentials. */
  alternative?: string;
  /** A response's status. */
  status?: number;
  /** The browser's error string. */
  error?: string;
  /** The request mode the Sec-Fetch-Mode header named. */
  mode?: string;
  /** The URL's scheme, for a scheme fetch. */
  scheme?: string;
}

export interface Credentials {
  value: 'include' | 'omit-or-same-origin' | null;
  inferred: boolean;
  /** The reason as text, code marked with backticks: rendered from `rule` and `values`, for readers of the JSON. */
  why: string;
  /** The inference rule that decided it (`src/cors/inference-rules.ts`, `docs/inference.md`). */
  rule?: string;
  /** What the reason quotes; absent in reports written before reasons were data (then `why` is shown as it is). */
  values?: ReasonValues;
}

/** Which inference rule decided a field the browser does not report, and why, in a few words. */
export interface Inferred {
  rule: string;
  /** As for `Credentials.why`. */
  why: string;
  values?: ReasonValues;
}

export interface Redirect {
  statusCode: number;
  location: string;
  headers: HeaderList;
}

/** What the capture observed of one exchange: the engine's only input. */
export interface Observation {
  /** As the page requested it, before any redirect. */
  url: string;
  method: string;
  initiatorOrigin: string | null;
  /** From `Sec-Fetch-Mode` when seen, else null. */
  mode: RequestMode | null;
  /** The actual request's headers as last sent; null when it was never sent (stopped by its preflight). */
  request: Message | null;
  /** In order; empty when none. */
  redirects: Redirect[];
  /** Null when no preflight was sent and none was needed. */
  preflight: null | {
    observed: PreflightObserved;
    /** Headers of the OPTIONS request (`origin`, `access-control-request-method`, `access-control-request-headers`). */
    request: Message | null;
    /** The server's response to the OPTIONS request, as received. */
    response: Message | null;
    error: string | null;
  };
  /** The final response with the server's headers as received; null when none arrived. */
  response: Message | null;
  /** The browser's error string for the actual request (`net::ERR_FAILED`...), null if none (yet). */
  error: string | null;
  /** Which browser reported it, where the capture knows: the explanations name it. Absent: Chrome. */
  browser?: 'firefox' | undefined;
}

/** What the engine concludes about one exchange. */
export interface Analysis {
  verdict: Verdict;
  /** Errors first (the first error is the reason for a block, and matches Chrome's CorsError), then warnings. */
  findings: Finding[];
  credentials: Credentials;
  reachedServer: boolean;
  preflight: { required: boolean; reasons: string[] };
  /** The request's mode: Sec-Fetch-Mode when sent, else inferred; null when nothing decides it. */
  mode: RequestMode | null;
  /** The rule that decided each inferred field besides the credentials mode. */
  inferred: { mode: Inferred; reachedServer: Inferred };
}
