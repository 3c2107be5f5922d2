/**
 * The `Range` request header, in the single-range form the Fetch Standard safelists.
 */

function digitsEnd(s: string, from: number): number {
  let i = from;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) break;
    i++;
  }
  return i;
}

/**
 * Parse a single range header value (allowWhitespace false): `bytes=start-end`,
 * `bytes=start-` or `bytes=-suffix`. Returns [start, end] with nulls for the
 * omitted parts, or null on failure (including start > end).
 * @see https://fetch.spec.whatwg.org/#simple-range-header-value
 */
export function parseSingleRangeHeaderValue(value: string): [number | null, number | null] | null {
  // Steps 1-3: the value starts with "bytes" (ASCII case-insensitive) then "=".
  if (value.length < 7 || value.slice(0, 6).toLowerCase() !== 'bytes=') return null;
  // Steps 6-7: rangeStart is a run of ASCII digits.
  const startEnd = digitsEnd(value, 6);
  const rangeStart = value.slice(6, startEnd);
  // Step 10: then "-".
  if (value.charCodeAt(startEnd) !== 0x2d) return null;
  // Steps 12-13: rangeEnd is a run of ASCII digits.
  const endEnd = digitsEnd(value, startEnd + 1);
  const rangeEnd = value.slice(startEnd + 1, endEnd);
  // Step 16: nothing may follow.
  if (endEnd !== value.length) return null;
  // Step 17: both empty is failure.
  if (rangeStart === '' && rangeEnd === '') return null;
  const start = rangeStart === '' ? null : Number(rangeStart);
  const end = rangeEnd === '' ? null : Number(rangeEnd);
  // Step 18: a start greater than the end is failure.
  if (start !== null && end !== null && start > end) return null;
  return [start, end];
}
