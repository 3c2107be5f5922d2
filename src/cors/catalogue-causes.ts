/**
 * Likely causes: notes that follow a failure when the evidence points to why
 * the server answered that way (the rule alone says what is wrong, not why).
 * Warnings, never the reason for a block: the error before them is.
 */
import { SPEC, type CatalogueEntry } from './catalogue-entry';

export const causeEntries: readonly CatalogueEntry[] = [
  {
    id: 'cause-error-path-without-cors',
    severity: 'warning',
    stage: 'actual',
    chromeCorsError: null,
    firefoxReason: null,
    spec: `${SPEC}#http-access-control-allow-origin`,
    title: 'Likely cause: an error response that skips the CORS middleware',
    reachable: true,
    detail: (p) => `The server answered ${p.method} ${p.path} with ${p.status ?? 'an error status'} and no CORS headers. Error paths (authentication, rate limits, exceptions) often answer before the CORS middleware runs, so the page cannot even read the error: the real problem is the ${p.status ?? 'error'} itself.`,
    fix: (p) => `First fix what makes ${p.path} answer ${p.status ?? 'an error'}; and send the CORS headers on error responses too (register the CORS middleware before authentication and error handlers), so the page can read them.`,
  },
  {
    id: 'cause-preflight-auth',
    severity: 'warning',
    stage: 'preflight',
    chromeCorsError: null,
    firefoxReason: null,
    spec: `${SPEC}#cors-protocol-and-credentials`,
    title: 'Likely cause: authentication runs before CORS and rejects the preflight',
    reachable: true,
    detail: (p) => `The preflight (OPTIONS ${p.path}) was answered ${p.status ?? 'with an authentication error'}. A browser never sends cookies or Authorization on a preflight, so an authentication check in front of the CORS handler rejects every one.`,
    fix: (p) => `Exempt OPTIONS ${p.path} from authentication (or run the CORS middleware first), and answer it with status 204 and the CORS headers.`,
  },
  {
    id: 'cause-no-options-route',
    severity: 'warning',
    stage: 'preflight',
    chromeCorsError: null,
    firefoxReason: null,
    spec: `${SPEC}#cors-preflight-fetch-0`,
    title: 'Likely cause: no route answers OPTIONS',
    reachable: true,
    detail: (p) => `The preflight (OPTIONS ${p.path}) was answered ${p.status ?? 'as not found'}: the server has no handler for the OPTIONS method on this path, so the router's default answer (without CORS headers) went back.`,
    fix: (p) => `Add an OPTIONS handler for ${p.path} (most CORS middlewares do it when mounted before the routes) answering 204 with the CORS headers.`,
  },
  {
    id: 'cause-near-miss-origin',
    severity: 'warning',
    stage: 'actual',
    chromeCorsError: null,
    firefoxReason: null,
    spec: `${SPEC}#concept-cors-check`,
    title: 'Likely cause: Allow-Origin names almost the page\u2019s origin',
    reachable: true,
    detail: (p) => `\`Access-Control-Allow-Origin\` is ${p.received ? `\`${p.received}\`` : 'another origin'} and the page's origin is \`${p.origin}\`: they differ only in ${p.difference ?? 'a detail'}. The browser compares them character for character, so the server's configured origin is probably for another set-up (a dev server, http vs https, www or not).`,
    fix: (p) => `Configure exactly \`${p.origin}\` (scheme, host and port, no trailing slash) in the server's allowed origins.`,
  },
  {
    id: 'cause-shared-cache',
    severity: 'warning',
    stage: 'actual',
    chromeCorsError: null,
    firefoxReason: null,
    spec: `${SPEC}#cors-protocol-and-http-caches`,
    title: 'Likely cause: a shared cache served another site\u2019s answer',
    reachable: true,
    detail: (p) => `The response came from a shared cache (${p.cacheHeaders ?? 'cache headers'}), its \`Access-Control-Allow-Origin\` names ${p.received ? `\`${p.received}\`` : 'another origin'}, and its \`Vary\` does not list \`Origin\`: the cache stored the answer made for that origin and served it to ${p.origin}.`,
    fix: (p) => `Send \`Vary: Origin\` on every response of ${p.path} whose Allow-Origin depends on the request's Origin, then purge the cached copy.`,
  },
];
