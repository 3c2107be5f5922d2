// The CORS lab's scenarios: one source of truth for the lab server (what each endpoint answers),
// the lab page (what each button sends) and the end-to-end tests (what Chrome decides).
//
// Every `expect` here was checked against Chromium 156 by `node lab/oracle.mjs` (Chrome is the
// oracle); the recorded output is lab/chrome-verdicts.json.
//
// URLs. Every request a scenario makes carries `?s=<id>` (plus `&run=<nonce>` when the page was
// given a nonce). All requests of one scenario use the same URL (the preflight cache and the
// pairing of parallel preflights depend on it); tell them apart by order or by their headers.
// Redirect hops keep the query, so a redirected request still carries `s`.
//
// Templates. Header values, `location` and `expect.failedParameter` may contain placeholders,
// expanded by the server per request (headers) or by `resolveScenarios` (expect, urls):
//   {A} {B} {BSameSite} {C}      the lab origins (http://127.0.0.1:PA, http://localhost:PB, http://127.0.0.1:PB, http://127.0.0.1:PC)
//   {Ahost} {Bhost} {Chost}      host:port of those origins
//   {origin}                     the request's Origin header (the header is left out when the request has none)
//   {originIfLocal}              the Origin if it starts with http://127.0.0.1 or http://localhost (gin-contrib AllowOriginFunc), else left out
//   {acrm} {acrh}                the request's Access-Control-Request-Method / -Headers (reflected), left out when absent
//   {query}                      the request's query string, with its `?` (keeps s and run across redirects)

/**
 * @typedef {'seed'|'rule'|'cache'|'redirect'|'mode'|'hostile'|'control'|'infer'|'cause'} Group
 * @typedef {'allowed'|'blocked'|'not-cors'|'failed-before-cors'} Verdict
 * @typedef {'A'|'B'|'BSameSite'|'C'|'refused'|'unsafe'|'ftp'} Target
 *   refused: a closed port on 127.0.0.1 (connection refused); unsafe: http://127.0.0.1:6000, a port Chrome refuses to use;
 *   ftp: ftp://127.0.0.1 (a scheme without CORS).
 * @typedef {{
 *   chromeCorsError: string|null,
 *   failedParameter?: string,
 *   verdict: Verdict,
 *   errorText?: string,
 *   reachedServer?: boolean,
 *   preflight?: boolean,
 *   seenByNetwork?: boolean,
 * }} Expect
 *   chromeCorsError: Network.loadingFailed.corsErrorStatus.corsError, or null when Chrome reports none;
 *   failedParameter: corsErrorStatus.failedParameter when not empty (may hold templates);
 *   errorText: Network.loadingFailed.errorText when the request failed;
 *   reachedServer: whether the request itself (not its preflight) reached a lab server;
 *   preflight: whether Chrome sent an OPTIONS preflight for this request;
 *   seenByNetwork: false when Blink refuses the request before the network: there is no Network.* event
 *     and no webRequest event at all; Chrome reports chromeCorsError only as an Audits.issueAdded
 *     CorsIssue (no requestId; matched by URL). An extension cannot see these requests. Default true.
 * @typedef {{
 *   target?: Target, path?: string, method?: string, headers?: Record<string,string>, body?: string,
 *   credentials?: RequestCredentials, mode?: RequestMode, redirect?: RequestRedirect, api?: 'fetch'|'xhr',
 *   readHeaders?: string[], expect?: Expect, setup?: boolean, frame?: 'public', undecided?: InferredField[],
 * }} Call
 *   One request the page sends. target defaults to B, path to /s/<id>, method to GET, api to fetch.
 *   readHeaders: response headers the page tries to read (shown in the result's detail).
 *   expect: this call's own expectation (defaults to the scenario's).
 *   setup: a preparatory request (e.g. setting a cookie), not the subject of the scenario.
 *   frame: 'public' sends the request from a same-origin iframe (A/public-frame) served with
 *     `Content-Security-Policy: treat-as-public-address`, so Chrome treats its requests to 127.0.0.1 /
 *     localhost as public → loopback (Local Network Access).
 * @typedef {{ status: number, headers?: Array<[string,string]>, body?: string, location?: string }} Reply
 *   headers are written in order, duplicates kept, values as latin1 bytes (a JS string's code units 0-255).
 * @typedef {{ preflight?: Reply, actual?: Reply, next?: { preflight?: Reply, actual?: Reply } }} ServerSpec
 *   preflight answers OPTIONS /s/<id> (default: 404, no headers); actual answers any other method;
 *   next answers /s/<id>/next on any lab server (the redirect target).
 * @typedef {'credentials'|'mode'} InferredField
 *   undecided: the fields of this call that nothing an extension sees can decide (what the browser did
 *     fits every value; a cross-site request carries no cookie even with credentials). The end-to-end
 *     suite counts an "unknown" anywhere else as a failure of the inference.
 * @typedef {{
 *   id: string, title: string, group: Group, description: string, expect: Expect, requests: number,
 *   calls: Call[], parallel?: boolean, expectPreflights?: number, server: ServerSpec,
 *   undecided?: InferredField[], cause?: string,
 * }} Scenario
 *   undecided: as on a call, for every call of the scenario.
 *   cause: the id of the likely-cause finding CORS Lens must name for the subject request (src/cors/catalogue-causes.ts).
 *   expect: the verdict for the scenario's subject request (the last non-setup call, or the one that fails).
 *   requests: how many requests the page sends (fetch/XHR calls; preflights and redirect hops not counted).
 *   expectPreflights: how many OPTIONS requests the lab servers receive for the whole scenario.
 */

const JSON_BODY = '{"name":"lab"}';
/**
 * The credentials mode of these calls cannot be told from anything an extension sees: the browser
 * stops at the same stage either way (a preflight never carries credentials; a response failing the
 * CORS check whatever the mode), or accepts an answer that suits both (an exact origin with
 * `Allow-Credentials: true`), and a cross-site request carries no cookie even with credentials.
 * A credentialed cross-site request to a potentially trustworthy URL (all of the lab's) is decided
 * all the same by its `Sec-Fetch-Storage-Access` header (credentials-storage-access-sent): no such call is declared here.
 * The end-to-end suite holds the engine to "undecided, default shown first" on exactly these.
 * @type {InferredField[]}
 */
const UNDECIDED_CREDENTIALS = ['credentials'];
const CT_JSON = { 'Content-Type': 'application/json' };

/** @param {Partial<Expect>} [over] @returns {Expect} */
const allowed = (over = {}) => ({ chromeCorsError: null, verdict: 'allowed', reachedServer: true, ...over });
/** @param {string} corsError @param {Partial<Expect>} [over] @returns {Expect} */
const blocked = (corsError, over = {}) => ({ chromeCorsError: corsError, verdict: 'blocked', errorText: 'net::ERR_FAILED', ...over });
/** Blocked by the preflight: the request itself never left the browser. @param {string} corsError @param {string} [param] @returns {Expect} */
const preflightBlocked = (corsError, param) =>
  blocked(corsError, { ...(param === undefined ? {} : { failedParameter: param }), reachedServer: false, preflight: true });
/** Blocked by the CORS check of the response: the request reached the server. @param {string} corsError @param {string} [param] @returns {Expect} */
const responseBlocked = (corsError, param) =>
  blocked(corsError, { ...(param === undefined ? {} : { failedParameter: param }), reachedServer: true });

/** A correct preflight answer for a PUT with X-Custom-Header from the requesting origin. @type {Array<[string,string]>} */
const GOOD_PREFLIGHT = [
  ['Access-Control-Allow-Origin', '{origin}'],
  ['Access-Control-Allow-Methods', 'PUT, GET, POST'],
  ['Access-Control-Allow-Headers', 'X-Custom-Header, Content-Type'],
];
/** @type {Array<[string,string]>} */
const REFLECT = [['Access-Control-Allow-Origin', '{origin}'], ['Vary', 'Origin']];
/** @type {Call} */
const PUT_CUSTOM = { method: 'PUT', headers: { 'X-Custom-Header': 'lab' }, body: 'hello' };
/** @type {Call} */
const PUT_CUSTOM_CREDS = { ...PUT_CUSTOM, credentials: 'include' };
/** @type {Reply} */
const OK_REFLECT = { status: 200, headers: [...REFLECT, ['Content-Type', 'text/plain']], body: 'ok' };

// Seed 1: the Go net/http middleware from the product's source documents.
/** @type {Array<[string,string]>} */
const GO_HEADERS = [
  ['Access-Control-Allow-Origin', '*'],
  ['Access-Control-Allow-Methods', 'POST, GET, OPTIONS, PUT, DELETE'],
  ['Access-Control-Allow-Headers', 'Content-Type, Authorization, X-Requested-With, Accept, Accept-Encoding'],
  ['Access-Control-Max-Age', '86400'],
];
/** @type {ServerSpec} */
const GO_SERVER = {
  preflight: { status: 200, headers: GO_HEADERS },
  actual: { status: 200, headers: [...GO_HEADERS, ['Content-Type', 'application/json']], body: '{"ok":true}' },
};
/** @type {Call} */
const GO_CALL = { method: 'POST', headers: { ...CT_JSON, Authorization: 'Bearer lab-token-123' }, body: JSON_BODY };

// Seed 4: Gin middleware answering OPTIONS 204.
/** @type {Array<[string,string]>} */
const GIN_HEADERS = [
  ['Access-Control-Allow-Origin', '*'],
  ['Access-Control-Allow-Methods', 'POST, OPTIONS, GET, PUT'],
  ['Access-Control-Allow-Headers', 'Content-Type,X-Custom-Header'],
];
/** @type {ServerSpec} */
const GIN_SERVER = {
  preflight: { status: 204, headers: GIN_HEADERS },
  actual: { status: 200, headers: [...GIN_HEADERS, ['Content-Type', 'application/json; charset=utf-8']], body: '{"ok":true}' },
};

// Seed 6: Express `cors({ origin: 'https://example.com' })`.
/** @type {ServerSpec} */
const EXPRESS_EXAMPLE_SERVER = {
  preflight: {
    status: 204,
    headers: [
      ['X-Powered-By', 'Express'],
      ['Access-Control-Allow-Origin', 'https://example.com'],
      ['Vary', 'Origin'],
      ['Access-Control-Allow-Methods', 'GET,HEAD,PUT,PATCH,POST,DELETE'],
      ['Vary', 'Access-Control-Request-Headers'],
      ['Access-Control-Allow-Headers', '{acrh}'],
    ],
  },
  actual: {
    status: 200,
    headers: [['X-Powered-By', 'Express'], ['Access-Control-Allow-Origin', 'https://example.com'], ['Vary', 'Origin'], ['Content-Type', 'application/json; charset=utf-8']],
    body: '{"ok":true}',
  },
};

// Seed 8: PHP answering OPTIONS for GET with X-Requested-With only; the real response has no CORS headers.
/** @type {ServerSpec} */
const PHP_SERVER = {
  preflight: {
    status: 200,
    headers: [
      ['X-Powered-By', 'PHP/8.2.0'],
      ['Access-Control-Allow-Origin', '*'],
      ['Access-Control-Allow-Methods', 'GET'],
      ['Access-Control-Allow-Headers', 'X-Requested-With'],
      ['Content-Type', 'text/html; charset=UTF-8'],
    ],
  },
  actual: { status: 200, headers: [['X-Powered-By', 'PHP/8.2.0'], ['Content-Type', 'application/json']], body: '{"ok":true}' },
};

/** A preflight answer that is correct except for `over` (replaces same-named headers; a null value removes). @param {Record<string,string|null>} over @param {number} [status] @returns {Reply} */
function preflightWith(over, status = 204) {
  /** @type {Array<[string,string]>} */
  const headers = [];
  const names = new Set(Object.keys(over).map((k) => k.toLowerCase()));
  for (const [k, v] of GOOD_PREFLIGHT) if (!names.has(k.toLowerCase())) headers.push([k, v]);
  for (const [k, v] of Object.entries(over)) if (v !== null) headers.push([k, v]);
  return { status, headers };
}

const BIG = 'A'.repeat(64 * 1024);
/** @type {Array<[string,string]>} */
const MANY = Array.from({ length: 200 }, (_, i) => /** @type {[string,string]} */ ([`X-Lab-${String(i).padStart(3, '0')}`, `value-${i}`]));
/** UTF-8 bytes of a string, as a latin1 JS string (what Node writes byte for byte). @param {string} s */
const utf8Bytes = (s) => Buffer.from(s, 'utf8').toString('latin1');
const XSS_SCRIPT = '<script>alert(1)</script>';
const XSS_IMG = '<img src=x onerror=alert(1)>';
const QUOTES = `"quoted" 'single' back\\slash \`tick\` \\"escaped\\" </title>`;

/** @type {Omit<Scenario,'requests'>[]} */
const defs = [
  // ───────────────────────── seeds: server set-ups people really write ─────────────────────────
  {
    id: 'seed-go-middleware', group: 'seed', title: 'Go net/http middleware, Allow-Origin *, JSON POST with Authorization',
    description: 'The middleware answers every request, OPTIONS included, with Allow-Origin *, the methods POST, GET, OPTIONS, PUT, DELETE and the headers Content-Type, Authorization, X-Requested-With, Accept, Accept-Encoding, Max-Age 86400. The page POSTs JSON with Authorization: Bearer. Authorization is listed by name, so * is not needed for it: allowed.',
    expect: allowed({ preflight: true }), calls: [GO_CALL], server: GO_SERVER,
  },
  {
    id: 'seed-go-middleware-credentials', group: 'seed', title: 'Go middleware with credentials: include',
    description: 'The same middleware and request, but fetch() with credentials: include. With credentials, Allow-Origin * is not allowed on the preflight answer.',
    expect: preflightBlocked('PreflightWildcardOriginNotAllowed'), calls: [{ ...GO_CALL, credentials: 'include' }], server: GO_SERVER,
  },
  {
    id: 'seed-no-options-handler', group: 'seed', undecided: UNDECIDED_CREDENTIALS, title: 'No OPTIONS handler: the preflight gets 405',
    description: 'The router has no OPTIONS route and answers 405 Method Not Allowed without CORS headers; the PUT with a JSON body needs a preflight, so it never reaches its handler.',
    expect: preflightBlocked('PreflightMissingAllowOriginHeader'),
    calls: [{ method: 'PUT', headers: CT_JSON, body: JSON_BODY }],
    server: {
      preflight: { status: 405, headers: [['Allow', 'GET, HEAD, PUT'], ['Content-Type', 'text/plain; charset=utf-8']], body: 'Method Not Allowed\n' },
      actual: { status: 200, headers: [['Access-Control-Allow-Origin', '*']], body: 'ok' },
    },
  },
  {
    id: 'seed-auth-middleware-401-preflight', group: 'seed', undecided: UNDECIDED_CREDENTIALS, title: 'Auth middleware answers the preflight 401',
    description: 'Authentication runs before CORS and answers every request without a token 401, the OPTIONS preflight too (a preflight never carries credentials), without CORS headers.',
    expect: preflightBlocked('PreflightMissingAllowOriginHeader'),
    calls: [{ method: 'GET', headers: { Authorization: 'Bearer lab-token-123' } }],
    server: {
      preflight: { status: 401, headers: [['WWW-Authenticate', 'Bearer'], ['Content-Type', 'text/plain']], body: 'Unauthorized\n' },
      actual: { status: 200, headers: [...REFLECT, ['Content-Type', 'application/json']], body: '{"ok":true}' },
    },
  },
  {
    id: 'seed-preflight-500', group: 'seed', undecided: UNDECIDED_CREDENTIALS, title: 'The OPTIONS handler fails with 500 after the CORS headers',
    description: 'The CORS middleware adds its headers, then the OPTIONS route throws: 500 with correct CORS headers is still not a 2xx preflight.',
    expect: preflightBlocked('PreflightInvalidStatus'), calls: [PUT_CUSTOM],
    server: { preflight: preflightWith({}, 500), actual: OK_REFLECT },
  },
  {
    id: 'seed-gin-simple-get', group: 'seed', title: 'Gin, simple GET answered with Allow-Origin *',
    description: 'A GET without custom headers is a simple request: no preflight; Allow-Origin * passes because the request has no credentials.',
    expect: allowed({ preflight: false }), calls: [{ method: 'GET' }],
    server: { actual: { status: 200, headers: [['Access-Control-Allow-Origin', '*'], ['Content-Type', 'application/json; charset=utf-8']], body: '{"message":"pong"}' } },
  },
  {
    id: 'seed-gin-custom-header', group: 'seed', title: 'Gin middleware, preflight 204, POST with X-Custom-Header',
    description: 'The middleware answers OPTIONS 204 with Allow-Headers: Content-Type,X-Custom-Header. The POST sends JSON and X-Custom-Header: both are listed.',
    expect: allowed({ preflight: true }),
    calls: [{ method: 'POST', headers: { ...CT_JSON, 'X-Custom-Header': 'lab' }, body: JSON_BODY }], server: GIN_SERVER,
  },
  {
    id: 'seed-gin-other-header', group: 'seed', undecided: UNDECIDED_CREDENTIALS, title: 'Gin middleware, POST with a header it does not list',
    description: 'The same middleware; the POST sends X-Other-Header, which Allow-Headers: Content-Type,X-Custom-Header does not list.',
    expect: preflightBlocked('HeaderDisallowedByPreflightResponse', 'x-other-header'),
    calls: [{ method: 'POST', headers: { ...CT_JSON, 'X-Other-Header': 'lab' }, body: JSON_BODY }], server: GIN_SERVER,
  },
  {
    id: 'seed-gin-contrib-cors', group: 'seed', title: 'gin-contrib/cors: origin allowed by a function, credentials, exposed X-jwt-token',
    description: 'AllowOriginFunc accepts origins starting with http://127.0.0.1 or http://localhost and reflects them; AllowCredentials true; ExposeHeaders X-jwt-token; MaxAge one hour. The page POSTs JSON with credentials: include and reads X-jwt-token.',
    expect: allowed({ preflight: true }),
    calls: [{ method: 'POST', headers: CT_JSON, body: JSON_BODY, credentials: 'include', readHeaders: ['X-jwt-token'] }],
    server: {
      preflight: {
        status: 204,
        headers: [
          ['Access-Control-Allow-Credentials', 'true'],
          ['Access-Control-Allow-Headers', 'Origin,Content-Length,Content-Type'],
          ['Access-Control-Allow-Methods', 'GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS'],
          ['Access-Control-Max-Age', '3600'],
          ['Access-Control-Allow-Origin', '{originIfLocal}'],
          ['Vary', 'Origin'], ['Vary', 'Access-Control-Request-Method'], ['Vary', 'Access-Control-Request-Headers'],
        ],
      },
      actual: {
        status: 200,
        headers: [
          ['Access-Control-Allow-Credentials', 'true'],
          ['Access-Control-Expose-Headers', 'X-jwt-token'],
          ['Access-Control-Allow-Origin', '{originIfLocal}'],
          ['Vary', 'Origin'],
          ['X-jwt-token', 'eyJhbGciOiJIUzI1NiJ9.bGFi.c2ln'],
          ['Content-Type', 'application/json; charset=utf-8'],
        ],
        body: '{"ok":true}',
      },
    },
  },
  {
    id: 'seed-express-example-com-get', group: 'seed', undecided: UNDECIDED_CREDENTIALS, title: 'Express cors() allowing only https://example.com, simple GET',
    description: 'cors({ origin: "https://example.com" }) sends that fixed origin whoever asks. A simple GET: the response reaches the page but its Allow-Origin names another origin.',
    expect: responseBlocked('AllowOriginMismatch', 'https://example.com'), calls: [{ method: 'GET' }], server: EXPRESS_EXAMPLE_SERVER,
  },
  {
    id: 'seed-express-example-com-put', group: 'seed', undecided: UNDECIDED_CREDENTIALS, title: 'Express cors() allowing only https://example.com, preflighted PUT',
    description: 'The same middleware answering a preflight: it is 204 with the methods and the reflected request headers, but Allow-Origin names https://example.com.',
    expect: preflightBlocked('PreflightAllowOriginMismatch', 'https://example.com'),
    calls: [{ method: 'PUT', headers: CT_JSON, body: JSON_BODY }], server: EXPRESS_EXAMPLE_SERVER,
  },
  {
    id: 'seed-express-get-handler-only', group: 'seed', undecided: UNDECIDED_CREDENTIALS, title: 'Express: CORS headers set only inside the GET handler',
    description: 'The route sets Allow-Origin and Allow-Headers in its GET handler; Express answers OPTIONS by itself (200, Allow: GET,HEAD) without them. A GET with X-Custom-Header needs a preflight, which fails.',
    expect: preflightBlocked('PreflightMissingAllowOriginHeader'),
    calls: [{ method: 'GET', headers: { 'X-Custom-Header': 'lab' } }],
    server: {
      preflight: { status: 200, headers: [['X-Powered-By', 'Express'], ['Allow', 'GET,HEAD'], ['Content-Type', 'text/html; charset=utf-8']], body: 'GET,HEAD' },
      actual: { status: 200, headers: [['X-Powered-By', 'Express'], ['Access-Control-Allow-Origin', '*'], ['Access-Control-Allow-Headers', 'X-Custom-Header']], body: 'ok' },
    },
  },
  {
    id: 'seed-php-put', group: 'seed', undecided: UNDECIDED_CREDENTIALS, title: 'PHP preflight allowing only GET, called with PUT',
    description: 'The script answers OPTIONS with Allow-Origin *, Allow-Methods GET, Allow-Headers X-Requested-With. A PUT is not allowed.',
    expect: preflightBlocked('MethodDisallowedByPreflightResponse', 'PUT'),
    calls: [{ method: 'PUT', headers: { 'X-Requested-With': 'XMLHttpRequest' }, body: 'a=1' }], server: PHP_SERVER,
  },
  {
    id: 'seed-php-get', group: 'seed', title: 'PHP preflight allowing GET; the real response has no CORS headers',
    description: 'A GET with X-Requested-With passes the preflight, reaches the script, whose real response carries no Allow-Origin.',
    expect: responseBlocked('MissingAllowOriginHeader'),
    calls: [{ method: 'GET', headers: { 'X-Requested-With': 'XMLHttpRequest' } }], server: PHP_SERVER,
  },
  {
    id: 'seed-put-real-missing-acao', group: 'seed', title: 'Preflight 204 correct, real 200 without Allow-Origin',
    description: 'PUT with X-Custom-Header: the preflight answer is right, the PUT runs on the server, and its 200 response has no Allow-Origin, so the page cannot read it.',
    expect: { ...responseBlocked('MissingAllowOriginHeader'), preflight: true },
    calls: [PUT_CUSTOM],
    server: { preflight: preflightWith({}), actual: { status: 200, headers: [['Content-Type', 'application/json']], body: '{"saved":true}' } },
  },

  // ───────────────────────── rules: one per Chrome CorsError plain HTTP can cause ─────────────────────────
  {
    id: 'rule-wildcard-origin-not-allowed', group: 'rule', title: 'Credentials with Allow-Origin *',
    description: 'A simple GET with credentials: include; the response says Allow-Origin *.',
    expect: responseBlocked('WildcardOriginNotAllowed'), calls: [{ method: 'GET', credentials: 'include' }],
    server: { actual: { status: 200, headers: [['Access-Control-Allow-Origin', '*']], body: 'ok' } },
  },
  {
    id: 'rule-missing-allow-origin', group: 'rule', undecided: UNDECIDED_CREDENTIALS, title: 'No Access-Control-Allow-Origin',
    description: 'A simple GET; the response has no Allow-Origin.',
    expect: responseBlocked('MissingAllowOriginHeader'), calls: [{ method: 'GET' }],
    server: { actual: { status: 200, headers: [['Content-Type', 'text/plain']], body: 'ok' } },
  },
  {
    id: 'rule-multiple-allow-origin-values', group: 'rule', undecided: UNDECIDED_CREDENTIALS, title: 'Two Access-Control-Allow-Origin headers',
    description: 'The response carries Allow-Origin twice (the page origin and https://example.com); combined, that is a list, and only one origin may be named.',
    expect: responseBlocked('MultipleAllowOriginValues', '{A}, https://example.com'), calls: [{ method: 'GET' }],
    server: { actual: { status: 200, headers: [['Access-Control-Allow-Origin', '{origin}'], ['Access-Control-Allow-Origin', 'https://example.com']], body: 'ok' } },
  },
  {
    id: 'rule-invalid-allow-origin-value', group: 'rule', undecided: UNDECIDED_CREDENTIALS, title: 'Allow-Origin that is not an origin',
    description: 'Allow-Origin: 127.0.0.1 (a host, no scheme) is not a valid origin.',
    expect: responseBlocked('InvalidAllowOriginValue', '127.0.0.1'), calls: [{ method: 'GET' }],
    server: { actual: { status: 200, headers: [['Access-Control-Allow-Origin', '127.0.0.1']], body: 'ok' } },
  },
  {
    id: 'rule-allow-origin-mismatch', group: 'rule', undecided: UNDECIDED_CREDENTIALS, title: 'Allow-Origin names another origin',
    description: 'Allow-Origin: http://example.com.',
    expect: responseBlocked('AllowOriginMismatch', 'http://example.com'), calls: [{ method: 'GET' }],
    server: { actual: { status: 200, headers: [['Access-Control-Allow-Origin', 'http://example.com']], body: 'ok' } },
  },
  {
    id: 'rule-invalid-allow-credentials', group: 'rule', title: 'Credentials, exact origin, no Allow-Credentials',
    description: 'A GET with credentials: include; Allow-Origin names the page origin but Allow-Credentials is missing.',
    expect: responseBlocked('InvalidAllowCredentials'), calls: [{ method: 'GET', credentials: 'include' }],
    server: { actual: { status: 200, headers: REFLECT, body: 'ok' } },
  },
  {
    id: 'rule-invalid-allow-credentials-case', group: 'rule', title: 'Allow-Credentials: True (wrong case)',
    description: 'Allow-Credentials must be exactly the lower-case `true`.',
    expect: responseBlocked('InvalidAllowCredentials', 'True'), calls: [{ method: 'GET', credentials: 'include' }],
    server: { actual: { status: 200, headers: [...REFLECT, ['Access-Control-Allow-Credentials', 'True']], body: 'ok' } },
  },
  {
    id: 'rule-preflight-invalid-status', group: 'rule', undecided: UNDECIDED_CREDENTIALS, title: 'Preflight 404 with correct CORS headers',
    description: 'The preflight answer has all the right headers but status 404: a preflight must be 2xx.',
    expect: preflightBlocked('PreflightInvalidStatus'), calls: [PUT_CUSTOM],
    server: { preflight: preflightWith({}, 404), actual: OK_REFLECT },
  },
  {
    id: 'rule-preflight-disallowed-redirect', group: 'rule', undecided: UNDECIDED_CREDENTIALS, title: 'Preflight answered with a redirect',
    description: 'The OPTIONS request gets 302 to /next (with CORS headers). Preflights must not be redirected.',
    expect: preflightBlocked('PreflightDisallowedRedirect'), calls: [PUT_CUSTOM],
    server: {
      preflight: { status: 302, headers: [['Location', '/s/rule-preflight-disallowed-redirect/next{query}'], ...GOOD_PREFLIGHT] },
      actual: OK_REFLECT, next: { preflight: preflightWith({}), actual: OK_REFLECT },
    },
  },
  {
    id: 'rule-preflight-wildcard-origin-not-allowed', group: 'rule', title: 'Credentials with preflight Allow-Origin *',
    description: 'A PUT with X-Custom-Header and credentials: include; the preflight answers Allow-Origin *.',
    expect: preflightBlocked('PreflightWildcardOriginNotAllowed'), calls: [PUT_CUSTOM_CREDS],
    server: { preflight: preflightWith({ 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Credentials': 'true' }), actual: OK_REFLECT },
  },
  {
    id: 'rule-preflight-missing-allow-origin', group: 'rule', undecided: UNDECIDED_CREDENTIALS, title: 'Preflight bare 404',
    description: 'No handler for OPTIONS: 404 without CORS headers. Chrome checks Allow-Origin before the status.',
    expect: preflightBlocked('PreflightMissingAllowOriginHeader'), calls: [PUT_CUSTOM],
    server: { preflight: { status: 404, headers: [['Content-Type', 'text/plain']], body: 'Not Found' }, actual: OK_REFLECT },
  },
  {
    id: 'rule-preflight-multiple-allow-origin-values', group: 'rule', undecided: UNDECIDED_CREDENTIALS, title: 'Preflight with two Allow-Origin headers',
    description: 'The preflight answer carries Allow-Origin twice.',
    expect: preflightBlocked('PreflightMultipleAllowOriginValues', '{A}, https://example.com'), calls: [PUT_CUSTOM],
    server: {
      preflight: { status: 204, headers: [...GOOD_PREFLIGHT, ['Access-Control-Allow-Origin', 'https://example.com']] },
      actual: OK_REFLECT,
    },
  },
  {
    id: 'rule-preflight-invalid-allow-origin-value', group: 'rule', undecided: UNDECIDED_CREDENTIALS, title: 'Preflight Allow-Origin that is not an origin',
    description: 'The preflight answers Allow-Origin: 127.0.0.1.',
    expect: preflightBlocked('PreflightInvalidAllowOriginValue', '127.0.0.1'), calls: [PUT_CUSTOM],
    server: { preflight: preflightWith({ 'Access-Control-Allow-Origin': '127.0.0.1' }), actual: OK_REFLECT },
  },
  {
    id: 'rule-preflight-allow-origin-mismatch', group: 'rule', undecided: UNDECIDED_CREDENTIALS, title: 'Preflight Allow-Origin names another origin',
    description: 'The preflight answers Allow-Origin: http://example.com.',
    expect: preflightBlocked('PreflightAllowOriginMismatch', 'http://example.com'), calls: [PUT_CUSTOM],
    server: { preflight: preflightWith({ 'Access-Control-Allow-Origin': 'http://example.com' }), actual: OK_REFLECT },
  },
  {
    id: 'rule-preflight-invalid-allow-credentials', group: 'rule', title: 'Credentials, preflight without Allow-Credentials',
    description: 'A PUT with credentials: include; the preflight names the origin but has no Allow-Credentials.',
    expect: preflightBlocked('PreflightInvalidAllowCredentials'), calls: [PUT_CUSTOM_CREDS],
    server: { preflight: preflightWith({}), actual: OK_REFLECT },
  },
  {
    id: 'rule-invalid-allow-methods', group: 'rule', undecided: UNDECIDED_CREDENTIALS, title: 'Allow-Methods that does not parse',
    description: 'Allow-Methods: PUT; DELETE is not a comma-separated list of method tokens.',
    expect: preflightBlocked('InvalidAllowMethodsPreflightResponse'), calls: [PUT_CUSTOM],
    server: { preflight: preflightWith({ 'Access-Control-Allow-Methods': 'PUT; DELETE' }), actual: OK_REFLECT },
  },
  {
    id: 'rule-invalid-allow-headers', group: 'rule', undecided: UNDECIDED_CREDENTIALS, title: 'Allow-Headers that does not parse',
    description: 'Allow-Headers: X-Custom-Header; X-Other is not a comma-separated list of header names.',
    expect: preflightBlocked('InvalidAllowHeadersPreflightResponse'), calls: [PUT_CUSTOM],
    server: { preflight: preflightWith({ 'Access-Control-Allow-Headers': 'X-Custom-Header; X-Other' }), actual: OK_REFLECT },
  },
  {
    id: 'rule-method-disallowed', group: 'rule', undecided: UNDECIDED_CREDENTIALS, title: 'Method not in Allow-Methods',
    description: 'Allow-Methods: GET, POST; the request is a PUT.',
    expect: preflightBlocked('MethodDisallowedByPreflightResponse', 'PUT'), calls: [PUT_CUSTOM],
    server: { preflight: preflightWith({ 'Access-Control-Allow-Methods': 'GET, POST' }), actual: OK_REFLECT },
  },
  {
    id: 'rule-header-disallowed', group: 'rule', undecided: UNDECIDED_CREDENTIALS, title: 'Header not in Allow-Headers',
    description: 'Allow-Headers: X-Other; the request sends X-Custom-Header.',
    expect: preflightBlocked('HeaderDisallowedByPreflightResponse', 'x-custom-header'), calls: [PUT_CUSTOM],
    server: { preflight: preflightWith({ 'Access-Control-Allow-Headers': 'X-Other' }), actual: OK_REFLECT },
  },
  {
    id: 'rule-redirect-contains-credentials', group: 'rule', undecided: UNDECIDED_CREDENTIALS, title: 'Redirect to a URL with user:pass@',
    description: 'A CORS GET answered 302 (with Allow-Origin) to http://user:pass@localhost:PB/…; a CORS request may not follow a redirect to a URL with credentials.',
    expect: responseBlocked('RedirectContainsCredentials'), calls: [{ method: 'GET' }],
    server: {
      actual: { status: 302, headers: [...REFLECT, ['Location', 'http://user:pass@{Bhost}/s/rule-redirect-contains-credentials/next{query}']] },
      next: { actual: OK_REFLECT },
    },
  },
  {
    id: 'rule-cors-disabled-scheme', group: 'rule', undecided: UNDECIDED_CREDENTIALS, title: 'Redirect to an ftp: URL',
    description: 'A CORS GET answered 302 (with Allow-Origin) to ftp://127.0.0.1/lab: ftp does not support CORS. (A redirect to data:, file:, about:, blob: or chrome: fails earlier, as net::ERR_UNSAFE_REDIRECT; see control-redirect-to-data-url.)',
    expect: responseBlocked('CorsDisabledScheme'), calls: [{ method: 'GET' }],
    server: { actual: { status: 302, headers: [...REFLECT, ['Location', 'ftp://127.0.0.1/lab{query}']] } },
  },
  {
    id: 'rule-cors-disabled-scheme-direct', group: 'rule', title: 'fetch() of an ftp: URL (renderer only)',
    description: 'fetch("ftp://127.0.0.1/…"): Blink refuses it before any network request. Chrome reports CorsDisabledScheme (failedParameter ftp) only as an Audits CorsIssue; there is no Network request and no webRequest event.',
    expect: { chromeCorsError: 'CorsDisabledScheme', failedParameter: 'ftp', verdict: 'blocked', reachedServer: false, preflight: false, seenByNetwork: false },
    calls: [{ target: 'ftp', method: 'GET' }], server: {},
  },
  {
    id: 'rule-disallowed-by-mode', group: 'rule', title: 'mode: same-origin request to another origin (renderer only)',
    description: 'fetch(B, { mode: "same-origin" }): the request mode forbids cross-origin URLs. Blink refuses it before any network request: Chrome reports DisallowedByMode only as an Audits CorsIssue; no Network request, no webRequest event.',
    expect: { chromeCorsError: 'DisallowedByMode', verdict: 'blocked', reachedServer: false, preflight: false, seenByNetwork: false },
    calls: [{ method: 'GET', mode: 'same-origin' }],
    server: { actual: OK_REFLECT },
  },
  {
    id: 'rule-no-cors-redirect-mode-not-follow', group: 'rule', title: 'mode: no-cors with redirect: manual, cross-origin (renderer only)',
    description: 'fetch(B, { mode: "no-cors", redirect: "manual" }): a cross-origin no-cors request must follow redirects. Blink refuses it before any network request (whether or not the URL would redirect): Audits CorsIssue only; no Network request, no webRequest event.',
    expect: { chromeCorsError: 'NoCorsRedirectModeNotFollow', verdict: 'blocked', reachedServer: false, preflight: false, seenByNetwork: false },
    calls: [{ method: 'GET', mode: 'no-cors', redirect: 'manual' }],
    server: { actual: { status: 302, headers: [['Location', '/s/rule-no-cors-redirect-mode-not-follow/next{query}']] }, next: { actual: OK_REFLECT } },
  },

  {
    id: 'rule-local-network-access-denied', group: 'rule', title: 'Public page to loopback: Local Network Access denied',
    description: 'Sent from an iframe served with Content-Security-Policy: treat-as-public-address, so Chrome treats it as a public page; a fetch to localhost then needs the Local Network Access permission, which headless Chrome denies. The request never reaches the server.',
    expect: { chromeCorsError: 'LocalNetworkAccessPermissionDenied', verdict: 'blocked', errorText: 'net::ERR_FAILED', reachedServer: false, preflight: false },
    calls: [{ method: 'GET', frame: 'public' }],
    server: { actual: OK_REFLECT },
  },
  {
    id: 'rule-local-network-access-denied-preflight', group: 'rule', title: 'Public page to loopback with a preflighted PUT',
    description: 'As above, for a PUT with X-Custom-Header: the preflight itself fails (net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS, never reaching the server) and the PUT reports LocalNetworkAccessPermissionDenied.',
    expect: { chromeCorsError: 'LocalNetworkAccessPermissionDenied', verdict: 'blocked', errorText: 'net::ERR_FAILED', reachedServer: false, preflight: true },
    expectPreflights: 0,
    calls: [{ ...PUT_CUSTOM, frame: 'public' }],
    server: { preflight: preflightWith({}), actual: OK_REFLECT },
  },

  // ───────────────────────── cache ─────────────────────────
  {
    id: 'cache-max-age', group: 'cache', title: 'Preflight cached by Max-Age 600: second PUT sends no OPTIONS',
    description: 'Two identical PUTs with X-Custom-Header, one after the other. The preflight answer has Max-Age 600, so the second PUT reuses it: one OPTIONS in all.',
    expect: allowed(), expectPreflights: 1,
    calls: [{ ...PUT_CUSTOM, expect: allowed({ preflight: true }) }, { ...PUT_CUSTOM, expect: allowed({ preflight: false }) }],
    server: { preflight: preflightWith({ 'Access-Control-Max-Age': '600' }), actual: OK_REFLECT },
  },
  {
    id: 'cache-default-5s', group: 'cache', title: 'No Max-Age: the answer is reused for 5 s',
    description: 'Two identical PUTs at once after another, no Max-Age: Chrome keeps the preflight answer 5 seconds, so the second sends no OPTIONS.',
    expect: allowed(), expectPreflights: 1,
    calls: [{ ...PUT_CUSTOM, expect: allowed({ preflight: true }) }, { ...PUT_CUSTOM, expect: allowed({ preflight: false }) }],
    server: { preflight: preflightWith({}), actual: OK_REFLECT },
  },
  {
    id: 'cache-max-age-zero', group: 'cache', title: 'Max-Age 0: every request is preflighted',
    description: 'Two identical PUTs; Max-Age: 0 disables caching, so each gets its own OPTIONS.',
    expect: allowed({ preflight: true }), expectPreflights: 2,
    calls: [PUT_CUSTOM, PUT_CUSTOM],
    server: { preflight: preflightWith({ 'Access-Control-Max-Age': '0' }), actual: OK_REFLECT },
  },
  {
    id: 'cache-reflected-headers-miss', group: 'cache', title: 'Cached answer does not cover a new header',
    description: 'The server reflects Access-Control-Request-Headers with Max-Age 600. The first PUT sends X-A, the second X-B: the cached answer lists only x-a, so the second is preflighted again.',
    expect: allowed({ preflight: true }), expectPreflights: 2,
    calls: [{ method: 'PUT', headers: { 'X-A': '1' }, body: 'a' }, { method: 'PUT', headers: { 'X-B': '1' }, body: 'b' }],
    server: {
      preflight: { status: 204, headers: [['Access-Control-Allow-Origin', '{origin}'], ['Access-Control-Allow-Methods', '{acrm}'], ['Access-Control-Allow-Headers', '{acrh}'], ['Access-Control-Max-Age', '600']] },
      actual: OK_REFLECT,
    },
  },

  // ───────────────────────── redirects ─────────────────────────
  {
    id: 'redirect-same-origin', group: 'redirect', title: 'Real request redirected within B',
    description: 'A CORS GET answered 302 to /next on the same origin; both answers carry Allow-Origin: allowed.',
    expect: allowed({ preflight: false }), calls: [{ method: 'GET' }],
    server: { actual: { status: 302, headers: [...REFLECT, ['Location', '/s/redirect-same-origin/next{query}']] }, next: { actual: OK_REFLECT } },
  },
  {
    id: 'redirect-missing-acao-on-redirect', group: 'redirect', undecided: UNDECIDED_CREDENTIALS, title: 'Redirect response without Allow-Origin',
    description: 'The 302 itself has no Allow-Origin: a CORS request checks the redirect response too, before following it.',
    expect: responseBlocked('MissingAllowOriginHeader'), calls: [{ method: 'GET' }],
    server: { actual: { status: 302, headers: [['Location', '/s/redirect-missing-acao-on-redirect/next{query}']] }, next: { actual: OK_REFLECT } },
  },
  {
    id: 'redirect-cross-origin-acao-page', group: 'redirect', title: 'Redirect B → C; C allows the page origin',
    description: 'B answers 302 to origin C. After a cross-origin redirect the request is tainted and its Origin is `null`, so C\'s Allow-Origin naming the page origin does not match.',
    expect: responseBlocked('AllowOriginMismatch', '{A}'), calls: [{ method: 'GET' }],
    server: {
      actual: { status: 302, headers: [...REFLECT, ['Location', '{C}/s/redirect-cross-origin-acao-page/next{query}']] },
      next: { actual: { status: 200, headers: [['Access-Control-Allow-Origin', '{A}']], body: 'ok' } },
    },
  },
  {
    id: 'redirect-cross-origin-acao-null', group: 'redirect', title: 'Redirect B → C; C answers Allow-Origin: null',
    description: 'As above, but C answers Allow-Origin: null, which matches the tainted request\'s Origin: null.',
    expect: allowed(), calls: [{ method: 'GET' }],
    server: {
      actual: { status: 302, headers: [...REFLECT, ['Location', '{C}/s/redirect-cross-origin-acao-null/next{query}']] },
      next: { actual: { status: 200, headers: [['Access-Control-Allow-Origin', 'null']], body: 'ok' } },
    },
  },
  {
    id: 'redirect-cross-origin-acao-star', group: 'redirect', title: 'Redirect B → C; C answers Allow-Origin: *',
    description: 'As above, C answers Allow-Origin: *.',
    expect: allowed(), calls: [{ method: 'GET' }],
    server: {
      actual: { status: 302, headers: [...REFLECT, ['Location', '{C}/s/redirect-cross-origin-acao-star/next{query}']] },
      next: { actual: { status: 200, headers: [['Access-Control-Allow-Origin', '*']], body: 'ok' } },
    },
  },
  {
    id: 'redirect-preflighted-cross-origin', group: 'redirect', title: 'Preflighted PUT redirected 307 B → C',
    description: 'The PUT passes its preflight on B, B answers 307 to C; Chrome preflights again at C with Origin: null, and C allows *.',
    expect: allowed({ preflight: true }), expectPreflights: 2, calls: [PUT_CUSTOM],
    server: {
      preflight: preflightWith({}),
      actual: { status: 307, headers: [...REFLECT, ['Location', '{C}/s/redirect-preflighted-cross-origin/next{query}']] },
      next: {
        preflight: preflightWith({ 'Access-Control-Allow-Origin': '*' }),
        actual: { status: 200, headers: [['Access-Control-Allow-Origin', '*']], body: 'ok' },
      },
    },
  },
  {
    id: 'redirect-same-origin-to-cross', group: 'redirect', title: 'Same-origin request on A redirected to B',
    description: 'fetch(A) answered 302 to B: the request becomes cross-origin at the redirect, is sent with Origin: A (not tainted: it started same-origin), and B allows it.',
    expect: allowed({ preflight: false }), calls: [{ method: 'GET', target: 'A' }],
    server: { actual: { status: 302, headers: [['Location', '{B}/s/redirect-same-origin-to-cross/next{query}']] }, next: { actual: OK_REFLECT } },
  },

  // ───────────────────────── modes and credentials ─────────────────────────
  {
    id: 'mode-no-cors', group: 'mode', title: 'mode: no-cors request to B',
    description: 'An opaque request: no CORS check, the page gets an opaque response (status 0). Not a CORS failure.',
    expect: { chromeCorsError: null, verdict: 'not-cors', reachedServer: true, preflight: false }, calls: [{ method: 'GET', mode: 'no-cors' }],
    server: { actual: { status: 200, headers: [['Content-Type', 'text/plain']], body: 'opaque' } },
  },
  {
    id: 'mode-same-origin-request', group: 'mode', title: 'Same-origin request to A',
    description: 'A PUT with a custom header to the page\'s own origin: not CORS, no preflight.',
    expect: { chromeCorsError: null, verdict: 'not-cors', reachedServer: true, preflight: false },
    calls: [{ ...PUT_CUSTOM, target: 'A' }],
    server: { actual: { status: 200, headers: [['Content-Type', 'text/plain']], body: 'same-origin' } },
  },
  {
    id: 'mode-simple-post-reached-server', group: 'mode', undecided: UNDECIDED_CREDENTIALS, title: 'Simple POST without Allow-Origin: blocked, but it ran',
    description: 'A text/plain POST is a simple request: no preflight, the server receives and processes it, then the page cannot read the answer.',
    expect: responseBlocked('MissingAllowOriginHeader'),
    calls: [{ method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'order=42' }],
    server: { actual: { status: 201, headers: [['Content-Type', 'text/plain']], body: 'created' } },
  },
  {
    id: 'mode-cookie-wildcard-same-site', group: 'mode', title: 'Credentials to a same-site origin with Allow-Origin *: cookie sent, then blocked',
    description: 'The page first calls /__cookie on http://127.0.0.1:PB (allowed, with credentials), which sets lab_sid; then a GET with credentials: include to the same origin sends the cookie, and the answer Allow-Origin * is refused.',
    expect: responseBlocked('WildcardOriginNotAllowed'),
    calls: [
      // No cookie yet on this first call, and the answer allows the origin with credentials: nothing decides.
      { target: 'BSameSite', path: '/__cookie', credentials: 'include', setup: true, expect: allowed({ preflight: false }), undecided: UNDECIDED_CREDENTIALS },
      { target: 'BSameSite', method: 'GET', credentials: 'include' },
    ],
    server: { actual: { status: 200, headers: [['Access-Control-Allow-Origin', '*']], body: 'ok' } },
  },
  {
    id: 'mode-cookie-credentials-allowed', group: 'mode', title: 'Credentials to a same-site origin, exact origin and Allow-Credentials',
    description: 'As above, but the answer names the origin and says Allow-Credentials: true: allowed, and the cookie was sent.',
    expect: allowed({ preflight: false }),
    calls: [
      { target: 'BSameSite', path: '/__cookie', credentials: 'include', setup: true, expect: allowed({ preflight: false }) },
      { target: 'BSameSite', method: 'GET', credentials: 'include' },
    ],
    server: { actual: { status: 200, headers: [...REFLECT, ['Access-Control-Allow-Credentials', 'true']], body: 'ok' } },
  },

  // ───────────────────────── control ─────────────────────────
  {
    id: 'control-connection-refused', group: 'control', title: 'Connection refused',
    description: 'fetch to a closed port on 127.0.0.1: a network failure before any CORS check (net::ERR_CONNECTION_REFUSED).',
    expect: { chromeCorsError: null, verdict: 'failed-before-cors', errorText: 'net::ERR_CONNECTION_REFUSED', reachedServer: false, preflight: false },
    calls: [{ target: 'refused', method: 'GET' }], server: {},
  },
  {
    id: 'control-unsafe-port', group: 'control', title: 'Unsafe port',
    description: 'fetch to http://127.0.0.1:6000 (X11): Chrome refuses the port (net::ERR_UNSAFE_PORT) before sending anything.',
    expect: { chromeCorsError: null, verdict: 'failed-before-cors', errorText: 'net::ERR_UNSAFE_PORT', reachedServer: false, preflight: false },
    calls: [{ target: 'unsafe', method: 'GET' }], server: {},
  },
  {
    id: 'control-redirect-to-data-url', group: 'control', title: 'CORS request redirected to a data: URL',
    description: 'A CORS GET answered 302 (with Allow-Origin) to data:text/plain,hello. The network stack refuses the redirect (net::ERR_UNSAFE_REDIRECT) before the CORS layer sees it: not a CORS error, although the request reached the server.',
    expect: { chromeCorsError: null, verdict: 'failed-before-cors', errorText: 'net::ERR_UNSAFE_REDIRECT', reachedServer: true, preflight: false },
    calls: [{ method: 'GET' }],
    server: { actual: { status: 302, headers: [...REFLECT, ['Location', 'data:text/plain,hello']] } },
  },
  {
    id: 'control-same-origin-mode-redirected-away', group: 'control', title: 'mode: same-origin request redirected to another origin',
    description: 'fetch(A, { mode: "same-origin" }) answered 302 to B: Chrome cancels at the redirect (net::ERR_ABORTED, "Unsafe attempt to load URL"), with no CORS error.',
    expect: { chromeCorsError: null, verdict: 'failed-before-cors', errorText: 'net::ERR_ABORTED', reachedServer: true, preflight: false },
    calls: [{ target: 'A', method: 'GET', mode: 'same-origin' }],
    server: { actual: { status: 302, headers: [['Location', '{B}/s/control-same-origin-mode-redirected-away/next{query}']] }, next: { actual: OK_REFLECT } },
  },
  {
    id: 'control-xhr-put', group: 'control', title: 'XMLHttpRequest PUT with a custom header',
    description: 'The same preflighted PUT as fetch, sent with XMLHttpRequest: allowed.',
    expect: allowed({ preflight: true }), calls: [{ ...PUT_CUSTOM, api: 'xhr' }],
    server: { preflight: preflightWith({}), actual: OK_REFLECT },
  },
  {
    id: 'control-parallel-allowed', group: 'control', title: 'Three parallel PUTs to one URL, different custom headers',
    description: 'Three PUTs started together with X-A, X-B, X-C: three preflights in flight at once (Max-Age 0), all allowed. Pair each preflight with its request.',
    expect: allowed({ preflight: true }), expectPreflights: 3, parallel: true,
    calls: [{ method: 'PUT', headers: { 'X-A': '1' }, body: 'a' }, { method: 'PUT', headers: { 'X-B': '1' }, body: 'b' }, { method: 'PUT', headers: { 'X-C': '1' }, body: 'c' }],
    server: { preflight: preflightWith({ 'Access-Control-Allow-Headers': 'X-A, X-B, X-C', 'Access-Control-Max-Age': '0' }), actual: OK_REFLECT },
  },
  {
    id: 'control-parallel-one-disallowed', group: 'control', title: 'Three parallel PUTs, one header not allowed',
    description: 'As above, but Allow-Headers lists X-A and X-B only: the PUT with X-C fails its preflight, the other two pass.',
    expect: preflightBlocked('HeaderDisallowedByPreflightResponse', 'x-c'), expectPreflights: 3, parallel: true,
    calls: [
      { method: 'PUT', headers: { 'X-A': '1' }, body: 'a', expect: allowed({ preflight: true }) },
      { method: 'PUT', headers: { 'X-B': '1' }, body: 'b', expect: allowed({ preflight: true }) },
      { method: 'PUT', headers: { 'X-C': '1' }, body: 'c', undecided: UNDECIDED_CREDENTIALS },
    ],
    server: { preflight: preflightWith({ 'Access-Control-Allow-Headers': 'X-A, X-B', 'Access-Control-Max-Age': '0' }), actual: OK_REFLECT },
  },

  // ───────────────────────── inference: each rule that decides what the browser does not report ─────────────────────────
  {
    id: 'infer-credentials-allow-headers-star', group: 'infer', title: 'Credentials, preflight Allow-Headers * (not a wildcard with credentials)',
    description: 'A PUT with X-Custom-Header and credentials: include; the preflight names the origin, says Allow-Credentials: true and Allow-Headers: *. With credentials * is a header literally named "*", so the preflight fails; without credentials it would pass. Only credentials explain the failure.',
    expect: preflightBlocked('HeaderDisallowedByPreflightResponse', 'x-custom-header'), calls: [PUT_CUSTOM_CREDS],
    server: { preflight: preflightWith({ 'Access-Control-Allow-Headers': '*', 'Access-Control-Allow-Credentials': 'true' }), actual: OK_REFLECT },
  },
  {
    id: 'infer-no-credentials-allow-headers-star', group: 'infer', title: 'No credentials, preflight Allow-Headers *: the PUT is sent',
    description: 'The same preflight answer for a PUT without credentials: * allows X-Custom-Header, Chrome sends the PUT. A preflight that fails with credentials, followed by the request, proves they were not included.',
    expect: allowed({ preflight: true }), calls: [PUT_CUSTOM],
    server: { preflight: preflightWith({ 'Access-Control-Allow-Headers': '*', 'Access-Control-Allow-Credentials': 'true' }), actual: { status: 200, headers: [...REFLECT, ['Access-Control-Allow-Credentials', 'true']], body: 'ok' } },
  },
  {
    id: 'infer-xhr-with-credentials-wildcard', group: 'infer', title: 'XMLHttpRequest withCredentials, Allow-Origin *',
    description: 'An XHR GET with withCredentials = true; the answer says Allow-Origin *. Only credentials explain why Chrome rejects it.',
    expect: responseBlocked('WildcardOriginNotAllowed'), calls: [{ method: 'GET', api: 'xhr', credentials: 'include' }],
    server: { actual: { status: 200, headers: [['Access-Control-Allow-Origin', '*']], body: 'ok' } },
  },
  {
    id: 'infer-credentials-omit-explicit', group: 'infer', title: "credentials: 'omit', Allow-Origin *: allowed",
    description: "fetch with credentials: 'omit'; Chrome accepts Allow-Origin *, which proves credentials were not included.",
    expect: allowed({ preflight: false }), calls: [{ method: 'GET', credentials: 'omit' }],
    server: { actual: { status: 200, headers: [['Access-Control-Allow-Origin', '*']], body: 'ok' } },
  },
  {
    id: 'infer-credentials-redirect-wildcard', group: 'infer', title: 'Credentials, redirect answered with Allow-Origin *',
    description: 'A GET with credentials: include answered 302 with Allow-Origin * (and Allow-Credentials: true) to /next, which allows the origin with credentials. Chrome checks the redirect response and rejects *: only credentials explain it.',
    expect: responseBlocked('WildcardOriginNotAllowed'), calls: [{ method: 'GET', credentials: 'include' }],
    server: {
      actual: { status: 302, headers: [['Access-Control-Allow-Origin', '*'], ['Access-Control-Allow-Credentials', 'true'], ['Location', '/s/infer-credentials-redirect-wildcard/next{query}']] },
      next: { actual: { status: 200, headers: [...REFLECT, ['Access-Control-Allow-Credentials', 'true']], body: 'ok' } },
    },
  },
  {
    id: 'infer-undecided-alternative', group: 'infer', title: 'Preflight * without the header: what Chrome reports depends on credentials',
    description: 'A PUT with X-Custom-Header, no credentials; the preflight answers Allow-Origin * and Allow-Headers Content-Type. Without credentials Chrome reports the header; with credentials it would report * first. An extension sees the same either way: the default (no credentials) comes first, the other case is named.',
    expect: preflightBlocked('HeaderDisallowedByPreflightResponse', 'x-custom-header'), calls: [PUT_CUSTOM], undecided: ['credentials'],
    server: { preflight: preflightWith({ 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': 'Content-Type' }), actual: OK_REFLECT },
  },
  {
    id: 'infer-mode-no-cors-post', group: 'infer', title: 'mode: no-cors POST answered without Allow-Origin',
    description: 'A no-cors POST carries an Origin (every POST does), and its answer has no Allow-Origin; Chrome hands the page an opaque response. Without Sec-Fetch-Mode, accepting a response that fails the CORS check proves the mode was no-cors.',
    expect: { chromeCorsError: null, verdict: 'not-cors', reachedServer: true, preflight: false },
    calls: [{ method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body: 'ping' }],
    server: { actual: { status: 200, headers: [['Content-Type', 'text/plain']], body: 'pong' } },
  },

  // ───────────────────────── likely causes: what the rule alone does not explain ─────────────────────────
  {
    id: 'cause-error-401-without-cors', group: 'cause', undecided: UNDECIDED_CREDENTIALS, title: '401 without CORS headers (auth error path skips the CORS middleware)',
    description: 'A GET answered 401 with WWW-Authenticate and no Allow-Origin: the page cannot even read the error. The real problem is the 401.',
    expect: responseBlocked('MissingAllowOriginHeader'), calls: [{ method: 'GET' }], cause: 'cause-error-path-without-cors',
    server: { actual: { status: 401, headers: [['WWW-Authenticate', 'Bearer realm="api"'], ['Content-Type', 'application/json']], body: '{"error":"unauthorized"}' } },
  },
  {
    id: 'cause-error-429-without-cors', group: 'cause', undecided: UNDECIDED_CREDENTIALS, title: '429 from a rate limiter without CORS headers',
    description: 'A GET answered 429 with Retry-After and no Allow-Origin: the rate limiter answers before the CORS middleware.',
    expect: responseBlocked('MissingAllowOriginHeader'), calls: [{ method: 'GET' }], cause: 'cause-error-path-without-cors',
    server: { actual: { status: 429, headers: [['Retry-After', '30'], ['Content-Type', 'text/plain']], body: 'Too Many Requests' } },
  },
  {
    id: 'cause-error-500-without-cors', group: 'cause', title: '500 after a preflighted PUT, without CORS headers',
    description: 'The preflight passes, the PUT runs and throws: the error handler answers 500 without Allow-Origin.',
    expect: { ...responseBlocked('MissingAllowOriginHeader'), preflight: true }, calls: [PUT_CUSTOM], cause: 'cause-error-path-without-cors',
    server: { preflight: preflightWith({}), actual: { status: 500, headers: [['Content-Type', 'text/html']], body: '<h1>Internal Server Error</h1>' } },
  },
  {
    id: 'cause-preflight-401', group: 'cause', undecided: UNDECIDED_CREDENTIALS, title: 'Preflight answered 401 (authentication before CORS)',
    description: 'Authentication runs before CORS and rejects the OPTIONS request, which never carries credentials: 401 without CORS headers.',
    expect: preflightBlocked('PreflightMissingAllowOriginHeader'), calls: [{ ...PUT_CUSTOM, headers: { ...PUT_CUSTOM.headers, Authorization: 'Bearer lab' } }], cause: 'cause-preflight-auth',
    server: { preflight: { status: 401, headers: [['WWW-Authenticate', 'Bearer'], ['Content-Type', 'text/plain']], body: 'Unauthorized' }, actual: OK_REFLECT },
  },
  {
    id: 'cause-preflight-403-with-cors', group: 'cause', undecided: UNDECIDED_CREDENTIALS, title: 'Preflight answered 403 with CORS headers',
    description: 'A CORS middleware added its headers, then an auth filter refused the OPTIONS request with 403: Chrome accepts the headers and rejects the status.',
    expect: preflightBlocked('PreflightInvalidStatus'), calls: [PUT_CUSTOM], cause: 'cause-preflight-auth',
    server: { preflight: preflightWith({}, 403), actual: OK_REFLECT },
  },
  {
    id: 'cause-preflight-404', group: 'cause', undecided: UNDECIDED_CREDENTIALS, title: 'Preflight answered 404 (no OPTIONS route)',
    description: 'The router has no OPTIONS route for the path: its 404 has no CORS headers.',
    expect: preflightBlocked('PreflightMissingAllowOriginHeader'), calls: [PUT_CUSTOM], cause: 'cause-no-options-route',
    server: { preflight: { status: 404, headers: [['Content-Type', 'text/plain']], body: 'Cannot OPTIONS /api' }, actual: OK_REFLECT },
  },
  {
    id: 'cause-preflight-405', group: 'cause', undecided: UNDECIDED_CREDENTIALS, title: 'Preflight answered 405 (no OPTIONS route)',
    description: 'The route exists for PUT only: OPTIONS gets 405 Method Not Allowed without CORS headers.',
    expect: preflightBlocked('PreflightMissingAllowOriginHeader'), calls: [PUT_CUSTOM], cause: 'cause-no-options-route',
    server: { preflight: { status: 405, headers: [['Allow', 'PUT'], ['Content-Type', 'text/plain']], body: 'Method Not Allowed' }, actual: OK_REFLECT },
  },
  {
    id: 'cause-near-miss-port', group: 'cause', undecided: UNDECIDED_CREDENTIALS, title: 'Allow-Origin names the page host on another port (a dev server)',
    description: 'Allow-Origin is http://127.0.0.1 with another port (origin C): the server is configured for a dev server on another port.',
    expect: responseBlocked('AllowOriginMismatch', '{C}'), calls: [{ method: 'GET' }], cause: 'cause-near-miss-origin',
    server: { actual: { status: 200, headers: [['Access-Control-Allow-Origin', '{C}']], body: 'ok' } },
  },
  {
    id: 'cause-near-miss-scheme', group: 'cause', undecided: UNDECIDED_CREDENTIALS, title: 'Allow-Origin names https instead of http',
    description: 'Allow-Origin is https://127.0.0.1:PA: the page is served over http.',
    expect: responseBlocked('AllowOriginMismatch', 'https://{Ahost}'), calls: [{ method: 'GET' }], cause: 'cause-near-miss-origin',
    server: { actual: { status: 200, headers: [['Access-Control-Allow-Origin', 'https://{Ahost}']], body: 'ok' } },
  },
  {
    id: 'cause-near-miss-trailing-slash', group: 'cause', undecided: UNDECIDED_CREDENTIALS, title: 'Allow-Origin with a trailing slash',
    description: 'Allow-Origin is the page origin followed by "/": an origin has no path, so it does not match.',
    expect: responseBlocked('AllowOriginMismatch', '{A}/'), calls: [{ method: 'GET' }], cause: 'cause-near-miss-origin',
    server: { actual: { status: 200, headers: [['Access-Control-Allow-Origin', '{A}/']], body: 'ok' } },
  },
  {
    id: 'cause-near-miss-preflight-port', group: 'cause', undecided: UNDECIDED_CREDENTIALS, title: 'Preflight Allow-Origin names the page host on another port',
    description: 'The preflight answer allows http://127.0.0.1 on another port (origin C).',
    expect: preflightBlocked('PreflightAllowOriginMismatch', '{C}'), calls: [PUT_CUSTOM], cause: 'cause-near-miss-origin',
    server: { preflight: preflightWith({ 'Access-Control-Allow-Origin': '{C}' }), actual: OK_REFLECT },
  },
  {
    id: 'cause-shared-cache', group: 'cause', undecided: UNDECIDED_CREDENTIALS, title: 'A shared cache served the answer made for another origin',
    description: 'The answer carries Age, X-Cache: HIT and Via, allows https://app.other.example, and has no Vary: Origin: a CDN cached the answer for that site and served it here.',
    expect: responseBlocked('AllowOriginMismatch', 'https://app.other.example'), calls: [{ method: 'GET' }], cause: 'cause-shared-cache',
    server: {
      actual: {
        status: 200,
        headers: [['Access-Control-Allow-Origin', 'https://app.other.example'], ['Age', '3600'], ['X-Cache', 'HIT'], ['Via', '1.1 varnish'], ['Cache-Control', 'public, max-age=86400'], ['Content-Type', 'application/json']],
        body: '{"ok":true}',
      },
    },
  },

  // ───────────────────────── hostile responses (for the panel's and report's robustness) ─────────────────────────
  {
    id: 'hostile-big-header-allowed', group: 'hostile', title: 'A 64 KiB header value',
    description: 'An allowed response with X-Big: 65,536 bytes.',
    expect: allowed(), calls: [{ method: 'GET' }],
    server: { actual: { status: 200, headers: [...REFLECT, ['X-Big', BIG]], body: 'ok' } },
  },
  {
    id: 'hostile-big-acao-blocked', group: 'hostile', undecided: UNDECIDED_CREDENTIALS, title: 'A 64 KiB Access-Control-Allow-Origin',
    description: 'Allow-Origin is http:// followed by 64 KiB of letters.',
    expect: responseBlocked('AllowOriginMismatch', `http://${BIG}`), calls: [{ method: 'GET' }],
    server: { actual: { status: 200, headers: [['Access-Control-Allow-Origin', `http://${BIG}`]], body: 'ok' } },
  },
  {
    id: 'hostile-many-headers-allowed', group: 'hostile', title: '200 response headers',
    description: 'An allowed response with 200 extra headers.',
    expect: allowed(), calls: [{ method: 'GET' }],
    server: { actual: { status: 200, headers: [...REFLECT, ...MANY], body: 'ok' } },
  },
  {
    id: 'hostile-many-headers-blocked', group: 'hostile', undecided: UNDECIDED_CREDENTIALS, title: '200 response headers, no Allow-Origin',
    description: 'A blocked response with 200 extra headers.',
    expect: responseBlocked('MissingAllowOriginHeader'), calls: [{ method: 'GET' }],
    server: { actual: { status: 200, headers: MANY, body: 'ok' } },
  },
  {
    id: 'hostile-latin1-allowed', group: 'hostile', title: 'Non-ASCII bytes in header values',
    description: 'Header values with latin1 bytes (café, 0xE9) and UTF-8 bytes (日本語, Ünïcödé) on an allowed response.',
    expect: allowed(), calls: [{ method: 'GET' }],
    server: {
      actual: {
        status: 200,
        headers: [...REFLECT, ['X-Latin1', 'caf\u00e9 \u00fc\u00df \u00ff'], ['X-Utf8', utf8Bytes('日本語 Ünïcödé ✓')], ['Access-Control-Expose-Headers', 'X-Latin1, X-Utf8']],
        body: 'ok',
      },
    },
  },
  {
    id: 'hostile-latin1-acao-blocked', group: 'hostile', undecided: UNDECIDED_CREDENTIALS, title: 'Non-ASCII bytes in Access-Control-Allow-Origin',
    description: 'Allow-Origin is the page origin followed by the UTF-8 bytes of “é” (C3 A9). Chrome reports the value decoded as UTF-8.',
    expect: responseBlocked('InvalidAllowOriginValue', '{A}\u00e9'), calls: [{ method: 'GET' }],
    server: { actual: { status: 200, headers: [['Access-Control-Allow-Origin', `{origin}${utf8Bytes('é')}`], ['X-Latin1', 'caf\u00e9']], body: 'ok' } },
  },
  {
    id: 'hostile-latin1-raw-acao-blocked', group: 'hostile', undecided: UNDECIDED_CREDENTIALS, title: 'A lone latin1 byte in Access-Control-Allow-Origin',
    description: 'Allow-Origin is the page origin followed by the single byte E9 (latin1 é, invalid UTF-8). Chrome reports no failedParameter at all for it (the value is not valid UTF-8).',
    expect: responseBlocked('InvalidAllowOriginValue'), calls: [{ method: 'GET' }],
    server: { actual: { status: 200, headers: [['Access-Control-Allow-Origin', '{origin}\u00e9']], body: 'ok' } },
  },
  {
    id: 'hostile-html-headers-allowed', group: 'hostile', title: 'HTML and quotes in header values (allowed)',
    description: `Response headers whose values are ${XSS_SCRIPT}, ${XSS_IMG}, quotes and backslashes, exposed to the page.`,
    expect: allowed(), calls: [{ method: 'GET', readHeaders: ['X-Script', 'X-Img', 'X-Quotes'] }],
    server: {
      actual: {
        status: 200,
        headers: [...REFLECT, ['X-Script', XSS_SCRIPT], ['X-Img', XSS_IMG], ['X-Quotes', QUOTES], ['Access-Control-Expose-Headers', 'X-Script, X-Img, X-Quotes'], ['Content-Type', 'text/html']],
        body: `${XSS_SCRIPT}${XSS_IMG}`,
      },
    },
  },
  {
    id: 'hostile-html-acao-blocked', group: 'hostile', undecided: UNDECIDED_CREDENTIALS, title: 'HTML in Access-Control-Allow-Origin',
    description: `Allow-Origin: ${XSS_SCRIPT}.`,
    expect: responseBlocked('InvalidAllowOriginValue', XSS_SCRIPT), calls: [{ method: 'GET' }],
    server: { actual: { status: 200, headers: [['Access-Control-Allow-Origin', XSS_SCRIPT], ['X-Img', XSS_IMG]], body: XSS_IMG } },
  },
  {
    id: 'hostile-html-allow-headers-blocked', group: 'hostile', undecided: UNDECIDED_CREDENTIALS, title: 'HTML in a preflight\'s Allow-Headers',
    description: `The preflight answers Allow-Headers: ${XSS_IMG}.`,
    expect: preflightBlocked('InvalidAllowHeadersPreflightResponse'), calls: [PUT_CUSTOM],
    server: { preflight: preflightWith({ 'Access-Control-Allow-Headers': XSS_IMG }), actual: OK_REFLECT },
  },
  {
    id: 'hostile-quotes-allow-methods-blocked', group: 'hostile', undecided: UNDECIDED_CREDENTIALS, title: 'Quotes and backslashes in a preflight\'s Allow-Methods',
    description: 'The preflight answers Allow-Methods with quotes and backslashes.',
    expect: preflightBlocked('InvalidAllowMethodsPreflightResponse'), calls: [PUT_CUSTOM],
    server: { preflight: preflightWith({ 'Access-Control-Allow-Methods': QUOTES }), actual: OK_REFLECT },
  },
];

/** @type {Scenario[]} */
export const scenarios = defs.map((d) => ({ ...d, requests: d.calls.length }));

/** @type {Map<string, Scenario>} */
export const scenarioById = new Map(scenarios.map((s) => [s.id, s]));

/**
 * @typedef {{ A: string, B: string, BSameSite: string, C: string, refused: string, unsafe: string, ftp: string }} LabOrigins
 */

/**
 * Expands `{A}`-style placeholders. Returns null when a placeholder has no value (the header is then left out).
 * @param {string} template
 * @param {Record<string, string|undefined|null>} vars
 * @returns {string|null}
 */
export function expand(template, vars) {
  let missing = false;
  const out = template.replace(/\{([A-Za-z]+)\}/g, (whole, name) => {
    if (!(name in vars)) return whole;
    const v = vars[name];
    if (v === undefined || v === null) { missing = true; return ''; }
    return v;
  });
  return missing ? null : out;
}

/** @param {LabOrigins} origins */
export function originVars(origins) {
  const host = (/** @type {string} */ o) => new URL(o).host;
  return { A: origins.A, B: origins.B, BSameSite: origins.BSameSite, C: origins.C, Ahost: host(origins.A), Bhost: host(origins.B), BSameSiteHost: host(origins.BSameSite), Chost: host(origins.C) };
}

/**
 * @typedef {Call & { url: string }} ResolvedCall
 * @typedef {Omit<Scenario,'calls'|'server'> & { calls: ResolvedCall[] }} ResolvedScenario
 */

/**
 * The scenarios as the page and the tests see them: placeholders in `expect` expanded, each call's
 * URL (without the run nonce) filled in, the server side left out.
 * @param {LabOrigins} origins
 * @returns {ResolvedScenario[]}
 */
export function resolveScenarios(origins) {
  const vars = originVars(origins);
  /** @param {Expect} e @returns {Expect} */
  const resolveExpect = (e) => (e.failedParameter === undefined ? { ...e } : { ...e, failedParameter: expand(e.failedParameter, vars) ?? e.failedParameter });
  return scenarios.map(({ server: _server, ...s }) => ({
    ...s,
    expect: resolveExpect(s.expect),
    calls: s.calls.map((c) => {
      const base = origins[c.target ?? 'B'];
      const url = `${base}${c.path ?? `/s/${s.id}`}?s=${encodeURIComponent(s.id)}`;
      return { ...c, url, ...(c.expect ? { expect: resolveExpect(c.expect) } : {}) };
    }),
  }));
}
