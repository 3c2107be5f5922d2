import type { HeaderList } from '../cors/types';

/**
 * The first value of a header, for a redirect's `Location` only: Chromium follows one `Location`
 * line, the first (`HttpResponseHeaders::IsRedirect`), where the Fetch Standard's "get" would
 * combine several into one URL that is no URL. Every other header is read with `getHeader`
 * (cors/header-list.ts), the standard's combined value, as the CORS rules read it.
 */
export function firstHeaderValue(headers: HeaderList | null | undefined, name: string): string | null {
  if (!headers) return null;
  for (const [n, v] of headers) if (n === name) return v;
  return null;
}

/** The same lines in the same order (an override changed nothing the capture can see). */
export function sameHeaders(a: HeaderList | null | undefined, b: HeaderList | null | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x[0] !== y[0] || x[1] !== y[1]) return false;
  }
  return true;
}
