/**
 * Catalogue entries for the CORS check, on the actual response (and its
 * redirects) and on the preflight response, where Chrome prefixes the names
 * with `Preflight`.
 */
import {
  SPEC, allowOriginLine, credentialsLine, preflightFix, quoteHeader, responseOf, withNote,
  type CatalogueEntry, type FindingParams,
} from './catalogue-entry';

type Stage = 'actual' | 'preflight';

function where(stage: Stage, p: FindingParams): string {
  return stage === 'preflight'
    ? `The preflight (OPTIONS ${p.path}) was answered ${p.status ?? ''}`.replace(/ $/, '')
    : `The response to ${p.method} ${p.url} (status ${p.status ?? 'unknown'})`;
}

function consequence(stage: Stage, p: FindingParams): string {
  return stage === 'preflight'
    ? `so Chrome never sent the ${p.method} request itself.`
    : 'so the page may not read it; the server did receive and process the request.';
}

function fixFor(stage: Stage, p: FindingParams, actualFix: string, originWrong = true): string {
  return stage === 'preflight' ? preflightFix(p, originWrong) : actualFix;
}

function originHint(p: FindingParams): string {
  if (p.origin === 'null') return ' The Origin is `null` because a cross-origin redirect tainted it: only `*` (without credentials) or `null` match it, so avoid the redirect instead.';
  return '';
}

function make(stage: Stage, base: Omit<CatalogueEntry, 'id' | 'stage' | 'chromeCorsError' | 'severity' | 'reachable' | 'decisive' | 'remedy'> & { id: string; chrome: string }): CatalogueEntry {
  const pre = stage === 'preflight';
  return {
    id: pre ? `preflight-${base.id}` : base.id,
    severity: 'error',
    stage,
    chromeCorsError: pre ? `Preflight${base.chrome}` : base.chrome,
    firefoxReason: base.firefoxReason,
    spec: base.spec,
    // Header names keep their capitals ("Access-Control-…"); only a plain first word is lowered.
    title: pre ? `Preflight: ${/^[A-Z][a-z]+-/.test(base.title) ? base.title : base.title.charAt(0).toLowerCase() + base.title.slice(1)}` : base.title,
    reachable: true,
    // The row at fault: Allow-Origin (compared with Origin where a value was there to compare),
    // or Allow-Credentials. An absent header's Origin is context, not the fault.
    decisive: base.id === 'invalid-allow-credentials'
      ? { request: [], response: ['access-control-allow-credentials'] }
      : base.id === 'missing-allow-origin' || base.id === 'wildcard-origin-with-credentials'
        ? { request: [], response: ['access-control-allow-origin'] }
        : { request: ['origin'], response: ['access-control-allow-origin'] },
    remedy: 'headers',
    detail: base.detail,
    fix: base.fix,
  };
}

function entriesFor(stage: Stage): CatalogueEntry[] {
  const resp = (p: FindingParams) => (stage === 'preflight' ? responseOf('OPTIONS', p.path) : responseOf(p.method, p.path));
  return [
    make(stage, {
      id: 'missing-allow-origin',
      chrome: 'MissingAllowOriginHeader',
      firefoxReason: 'CORSMissingAllowOrigin',
      spec: `${SPEC}#concept-cors-check`,
      title: 'No Access-Control-Allow-Origin header',
      detail: (p) => withNote(`${where(stage, p)} with no \`Access-Control-Allow-Origin\` header for \`Origin: ${p.origin}\`, ${consequence(stage, p)}${originHint(p)}`, p),
      fix: (p) => fixFor(stage, p, `Add ${allowOriginLine(p)}${credentialsLine(p)} to ${resp(p)}.`),
    }),
    make(stage, {
      id: 'wildcard-origin-with-credentials',
      chrome: 'WildcardOriginNotAllowed',
      firefoxReason: 'CORSNotSupportingCredentials',
      spec: `${SPEC}#cors-protocol-and-credentials`,
      title: 'Access-Control-Allow-Origin is * but the request includes credentials',
      detail: (p) => withNote(`${where(stage, p)} with \`Access-Control-Allow-Origin: *\`, but the request's credentials mode is "include" (\`credentials: 'include'\` or \`withCredentials = true\`): \`*\` never matches a request with credentials, ${consequence(stage, p)}`, p),
      fix: (p) => fixFor(stage, p, `Replace \`Access-Control-Allow-Origin: *\` with ${allowOriginLine(p)} and add \`Access-Control-Allow-Credentials: true\` and \`Vary: Origin\` to ${resp(p)}; or send the request without credentials.`),
    }),
    make(stage, {
      id: 'multiple-allow-origin-values',
      chrome: 'MultipleAllowOriginValues',
      firefoxReason: 'CORSMultipleAllowOriginNotAllowed',
      spec: `${SPEC}#http-access-control-allow-origin`,
      title: 'Access-Control-Allow-Origin holds more than one value',
      detail: (p) => withNote(`${where(stage, p)} with ${quoteHeader('Access-Control-Allow-Origin', p.received)}: the header takes exactly one origin (or \`*\`); a list, or the header sent twice, never matches \`Origin: ${p.origin}\`, ${consequence(stage, p)}`, p),
      fix: (p) => fixFor(stage, p, `Send a single ${allowOriginLine(p)} on ${resp(p)}: pick it from the request's Origin against an allow-list, and add \`Vary: Origin\`.`),
    }),
    make(stage, {
      id: 'invalid-allow-origin-value',
      chrome: 'InvalidAllowOriginValue',
      firefoxReason: 'CORSAllowOriginNotMatchingOrigin',
      spec: `${SPEC}#http-access-control-allow-origin`,
      title: 'Access-Control-Allow-Origin is not an origin',
      detail: (p) => withNote(`${where(stage, p)} with ${quoteHeader('Access-Control-Allow-Origin', p.received)}, which is not a URL origin (scheme://host[:port]), so it cannot match \`Origin: ${p.origin}\`, ${consequence(stage, p)}`, p),
      fix: (p) => fixFor(stage, p, `Replace it with ${allowOriginLine(p)}${credentialsLine(p)} on ${resp(p)}.`),
    }),
    make(stage, {
      id: 'allow-origin-mismatch',
      chrome: 'AllowOriginMismatch',
      firefoxReason: 'CORSAllowOriginNotMatchingOrigin',
      spec: `${SPEC}#concept-cors-check`,
      title: 'Access-Control-Allow-Origin names another origin',
      detail: (p) => withNote(`${where(stage, p)} with ${quoteHeader('Access-Control-Allow-Origin', p.received)}, but the request came from \`Origin: ${p.origin}\`; the two must be identical strings${mismatchHint(p)}, ${consequence(stage, p)}${originHint(p)}`, p),
      fix: (p) => fixFor(stage, p, `Change it to ${allowOriginLine(p)}${credentialsLine(p)} on ${resp(p)} (add this origin to the server's allow-list).`),
    }),
    make(stage, {
      id: 'invalid-allow-credentials',
      chrome: 'InvalidAllowCredentials',
      firefoxReason: 'CORSMissingAllowCredentials',
      spec: `${SPEC}#cors-protocol-and-credentials`,
      title: 'Credentials included but Access-Control-Allow-Credentials is not true',
      detail: (p) => withNote(`${where(stage, p)} with \`Access-Control-Allow-Origin: ${p.origin}\` and ${quoteHeader('Access-Control-Allow-Credentials', p.received)}. The request's credentials mode is "include", which also needs exactly \`Access-Control-Allow-Credentials: true\` (lower-case), ${consequence(stage, p)}`, p),
      fix: (p) => fixFor(stage, p, `Add \`Access-Control-Allow-Credentials: true\` to ${resp(p)}; or send the request without credentials.`, false),
    }),
  ];
}

function mismatchHint(p: FindingParams): string {
  const r = p.received ?? '';
  if (r === `${p.origin}/`) return ' (the trailing slash makes them differ)';
  if (r.toLowerCase() === p.origin.toLowerCase()) return ' (they differ in letter case)';
  if (r.replace(/^https?:/, '') === p.origin.replace(/^https?:/, '')) return ' (the scheme differs)';
  return '';
}

/** CORS check failures on the actual response, or on a redirect response of the actual request. */
export const corsCheckEntries: readonly CatalogueEntry[] = entriesFor('actual');
/** The same failures on the preflight response. */
export const preflightCorsCheckEntries: readonly CatalogueEntry[] = entriesFor('preflight');
