/**
 * Firefox's own words for a CORS block: the reasons its console prints ("Cross-Origin Request
 * Blocked: … (Reason: …)"), keyed as the catalogue's `firefoxReason` names them. English text of
 * Firefox's `security.properties` (the same reasons MDN documents under "CORS errors"); `%S` is the
 * value Firefox fills in (a header name, a token, the Access-Control-Allow-Origin value).
 */
export const FIREFOX_REASONS: Readonly<Record<string, string>> = {
  CORSDisabled: 'CORS disabled',
  CORSDidNotSucceed: 'CORS request did not succeed',
  CORSOriginHeaderNotAdded: 'CORS header ‘Origin’ cannot be added',
  CORSExternalRedirectNotAllowed: 'CORS request external redirect not allowed',
  CORSRequestNotHttp: 'CORS request not http',
  CORSMissingAllowOrigin: 'CORS header ‘Access-Control-Allow-Origin’ missing',
  CORSMultipleAllowOriginNotAllowed: 'Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed',
  CORSAllowOriginNotMatchingOrigin: 'CORS header ‘Access-Control-Allow-Origin’ does not match ‘%S’',
  CORSNotSupportingCredentials: 'Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’',
  CORSMethodNotFound: 'Did not find method in CORS header ‘Access-Control-Allow-Methods’',
  CORSMissingAllowCredentials: 'expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’',
  CORSPreflightDidNotSucceed: 'CORS preflight response did not succeed',
  CORSInvalidAllowMethod: 'invalid token ‘%S’ in CORS header ‘Access-Control-Allow-Methods’',
  CORSInvalidAllowHeader: 'invalid token ‘%S’ in CORS header ‘Access-Control-Allow-Headers’',
  CORSMissingAllowHeaderFromPreflight: 'header ‘%S’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response',
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const MATCHERS: ReadonlyArray<[string, RegExp]> = Object.entries(FIREFOX_REASONS).map(([key, text]) => [
  key,
  new RegExp(`^${text.split('%S').map(escape).join('.*')}$`),
]);

/** A console message Firefox printed for a CORS block: the resource's URL and the reason's key. */
export interface FirefoxBlock {
  url: string;
  reason: string;
  /** The reason's text as printed (with Firefox's values filled in). */
  text: string;
}

const BLOCKED = /^Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ‘?(.*?)’?\. \(Reason: (.*?)\)\.(?: Status code: .*\.)?$/s;

/** Parse one console line; null when it is not a CORS block Firefox reported. */
export function parseFirefoxBlock(line: string): FirefoxBlock | null {
  const m = BLOCKED.exec(line);
  if (!m) return null;
  const text = m[2]!;
  for (const [key, re] of MATCHERS) if (re.test(text)) return { url: m[1]!, reason: key, text };
  return { url: m[1]!, reason: 'unknown', text };
}

/** The reason as Firefox's console words it, with its value filled in when one is known. */
export function firefoxReasonText(key: string, value?: string | null): string | null {
  const text = FIREFOX_REASONS[key];
  if (text === undefined) return null;
  return text.replace('%S', value ?? '…');
}
