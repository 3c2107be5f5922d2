import type { HeaderList } from '../cors/types';

/** First value of a header (names are lower-cased by the capture). */
export function headerValue(headers: HeaderList | null | undefined, name: string): string | null {
  if (!headers) return null;
  for (const [n, v] of headers) if (n === name) return v;
  return null;
}

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

/** The serialised origin of a URL, or null when it does not parse or has an opaque origin. */
export function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}
