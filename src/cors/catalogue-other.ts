/**
 * Catalogue entries outside the CORS check and the preflight: the request's
 * mode and scheme, redirects, the local-network rules, and failures that are
 * not CORS at all.
 */
import { SPEC, quoteHeader, withNote, type CatalogueEntry, type FindingParams } from './catalogue-entry';

/** What to check for the common network errors; they are not CORS failures. */
const NETWORK_FIXES: ReadonlyMap<string, (p: FindingParams) => string> = new Map(Object.entries({
  'net::ERR_CONNECTION_REFUSED': (p) => `Nothing accepted the connection: check that the server for ${hostOf(p.url)} is running and listening on that port.`,
  'net::ERR_NAME_NOT_RESOLVED': (p) => `The host name of ${hostOf(p.url)} does not resolve: check the URL and DNS.`,
  'net::ERR_CONNECTION_RESET': () => 'The server (or a proxy) dropped the connection: check its logs.',
  'net::ERR_CONNECTION_TIMED_OUT': (p) => `No answer from ${hostOf(p.url)}: check the server, the port and any firewall.`,
  'net::ERR_CERT_AUTHORITY_INVALID': (p) => `The TLS certificate of ${hostOf(p.url)} is not trusted: use a certificate the browser trusts.`,
  'net::ERR_BLOCKED_BY_CLIENT': () => 'An extension (an ad or privacy blocker) blocked the request: allow the URL there.',
  'net::ERR_UNSAFE_PORT': (p) => `Chrome refuses to connect to the port of ${hostOf(p.url)}: use another port.`,
  'net::ERR_ABORTED': () => 'The page cancelled the request (AbortController, navigation or a reload): nothing to fix on the server.',
  'net::ERR_EMPTY_RESPONSE': () => 'The server closed the connection without answering: check its logs.',
}));

function hostOf(url: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(url);
  return m?.[1] ?? url;
}

export const otherEntries: readonly CatalogueEntry[] = [
  {
    id: 'disallowed-by-mode',
    severity: 'error',
    stage: 'actual',
    chromeCorsError: 'DisallowedByMode',
    firefoxReason: null,
    spec: `${SPEC}#main-fetch`,
    title: 'Cross-origin request made with mode "same-origin"',
    reachable: true,
    detail: (p) => withNote(`The page requested ${p.url} with \`mode: 'same-origin'\`, which allows only URLs of its own origin (${p.origin}); Chrome stopped it before sending.`, p),
    fix: () => "Nothing on the server can allow this: in the page, use `mode: 'cors'` (the default for fetch) and have the server send CORS headers.",
  },
  {
    id: 'invalid-response',
    severity: 'error',
    stage: 'actual',
    chromeCorsError: 'InvalidResponse',
    firefoxReason: 'CORSDidNotSucceed',
    spec: `${SPEC}#concept-cors-check`,
    title: 'The response has no HTTP status',
    reachable: true,
    detail: (p) => withNote(`The response to ${p.method} ${p.url} had no HTTP status, so there was nothing a CORS check could accept.`, p),
    fix: (p) => `Make ${p.path} answer with a complete HTTP response.`,
  },
  {
    id: 'cors-disabled-scheme',
    severity: 'error',
    stage: 'actual',
    chromeCorsError: 'CorsDisabledScheme',
    firefoxReason: 'CORSRequestNotHttp',
    spec: `${SPEC}#main-fetch`,
    title: 'CORS request to a URL that is not http: or https:',
    reachable: true,
    detail: (p) => withNote(`${p.location ?? p.url} is not an http: or https: URL. CORS works only over HTTP(S), so a cross-origin request to any other scheme (file:, ftp:, chrome-extension:...) fails.`, p),
    fix: () => 'Serve the resource over http: or https: (for local files, run a local web server).',
  },
  {
    id: 'redirect-contains-credentials',
    severity: 'error',
    stage: 'redirect',
    chromeCorsError: 'RedirectContainsCredentials',
    // Firefox's console: "CORS request did not succeed" (it treats the redirect as a failed request).
    firefoxReason: 'CORSDidNotSucceed',
    spec: `${SPEC}#concept-http-redirect-fetch`,
    title: 'Redirect to a URL with a user name or password',
    reachable: true,
    detail: (p) => withNote(`The response to ${p.method} ${p.url} redirected to ${quoteHeader('Location', p.location)}, which includes credentials (user:password@). A CORS request may not follow such a redirect.`, p),
    fix: (p) => `Remove the user name and password from the Location of ${p.path}, and authenticate with a header instead.`,
  },
  {
    id: 'no-cors-redirect-mode-not-follow',
    severity: 'error',
    stage: 'redirect',
    chromeCorsError: 'NoCorsRedirectModeNotFollow',
    firefoxReason: null,
    spec: `${SPEC}#main-fetch`,
    title: 'A no-cors request with redirect mode other than "follow" was redirected',
    reachable: true,
    detail: (p) => withNote(`${p.method} ${p.url} was made with \`mode: 'no-cors'\` and \`redirect: 'manual'\` or \`'error'\`, and the server redirected it (${p.status ?? '3xx'}); a no-cors request can only follow redirects.`, p),
    fix: () => "In the page, use `redirect: 'follow'` for no-cors requests, or request the final URL.",
  },
  {
    id: 'insecure-local-network',
    severity: 'error',
    stage: 'actual',
    chromeCorsError: 'InsecureLocalNetwork',
    firefoxReason: null,
    spec: 'https://wicg.github.io/local-network-access/',
    title: 'Insecure page requested a local-network address',
    reachable: false,
    detail: (p) => withNote(`A page from ${p.origin}, which is not a secure context, requested ${p.url} on a more private network; Chrome allows that only from secure (https:) pages.`, p),
    fix: () => 'Serve the page over https:.',
  },
  {
    id: 'invalid-local-network-access',
    severity: 'error',
    stage: 'preflight',
    chromeCorsError: 'InvalidLocalNetworkAccess',
    firefoxReason: null,
    spec: 'https://wicg.github.io/local-network-access/',
    title: 'Local network access check failed',
    reachable: false,
    detail: (p) => withNote(`The request from ${p.origin} to ${p.url} crosses into a more private network and did not pass Chrome's local network access check.`, p),
    fix: (p) => `Add \`Access-Control-Allow-Private-Network: true\` to the OPTIONS response of ${p.path}, and serve the page over https:.`,
  },
  {
    id: 'local-network-access-permission-denied',
    severity: 'error',
    stage: 'actual',
    chromeCorsError: 'LocalNetworkAccessPermissionDenied',
    firefoxReason: null,
    spec: 'https://wicg.github.io/local-network-access/',
    title: 'Local network access permission denied',
    reachable: true,
    detail: (p) => withNote(`${p.url} is on a more private network than the page ${p.origin} (local network access), and the page does not have the permission to reach it: the user or a policy denied it, or the browser did without asking (headless and automated browsers do). Chrome stopped the request${p.stage === 'preflight' ? ' at its preflight' : ''} before CORS headers could matter.`, p),
    fix: () => 'Not a server header: grant the site the "local network access" permission (site settings), or serve the page and the API from the same kind of address (both public or both local).',
  },
  {
    id: 'network-error',
    severity: 'error',
    stage: 'actual',
    chromeCorsError: null,
    // Firefox's console words any failed connection of a CORS request this way.
    firefoxReason: 'CORSDidNotSucceed',
    spec: `${SPEC}#concept-network-error`,
    title: 'Network failure, not a CORS failure',
    reachable: true,
    detail: (p) => withNote(`${p.method} ${p.url} failed with ${p.error ?? 'a network error'} before any CORS rule applied: this is not a CORS problem, and CORS headers would not change it.`, p),
    fix: (p) => NETWORK_FIXES.get(p.error ?? '')?.(p) ?? `Look up ${p.error ?? 'the error'} in chrome://network-errors; it concerns the connection, not CORS headers.`,
  },
  {
    id: 'unexplained-cors-failure',
    severity: 'error',
    stage: 'actual',
    chromeCorsError: null,
    firefoxReason: null,
    spec: `${SPEC}#concept-cors-check`,
    title: 'Chrome failed the request, and no rule explains it from what was captured',
    reachable: true,
    detail: (p) => withNote(`Chrome ended ${p.method} ${p.url} with net::ERR_FAILED, which is how it reports CORS failures, but none of the rules fails on the headers captured. Possible causes: a preflight answered from Chrome's cache before capture started, a private or local network check, an extension or DevTools request blocking, or a rule this tool does not model. The Console's "blocked by CORS policy" message names Chrome's reason.`, p),
    fix: () => "Read Chrome's message in the Console (or the Issues panel), reload with this panel open so the preflight is captured, and compare.",
  },
];
