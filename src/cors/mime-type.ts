/**
 * Just enough of the MIME Sniffing Standard to find a Content-Type's essence.
 */
import { isToken, normalizeHeaderValue } from './header-list';

/**
 * Parse a MIME type and return its essence (`type/subtype`, ASCII lower-case),
 * or null on failure. Parameters never make parsing fail, so they are skipped.
 * @see https://mimesniff.spec.whatwg.org/#parse-a-mime-type
 */
export function mimeTypeEssence(input: string): string | null {
  // Step 1: remove leading and trailing HTTP whitespace.
  const s = normalizeHeaderValue(input);
  // Steps 3-4: type is everything up to "/"; it must be a non-empty token.
  const slash = s.indexOf('/');
  if (slash <= 0) return null;
  const type = s.slice(0, slash);
  if (!isToken(type)) return null;
  // Steps 7-9: subtype is everything up to ";", without trailing whitespace; a non-empty token.
  const semi = s.indexOf(';', slash + 1);
  const subtype = normalizeHeaderValue(s.slice(slash + 1, semi < 0 ? s.length : semi));
  if (!isToken(subtype)) return null;
  // Step 10: type and subtype in ASCII lowercase.
  return `${type}/${subtype}`.toLowerCase();
}
