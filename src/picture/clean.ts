import { visibleControls } from '../report/format';

/**
 * Text that goes into the picture: one line, nothing invisible, nothing that reorders what the
 * reader sees, and never longer than the box it is drawn in.
 */

/** Invisible or reordering characters `visibleControls` leaves alone: marks, separators, BOM. */
const INVISIBLE = /[\u061c\u200b-\u200f\u2028\u2029\u2060-\u2064\ufeff]/g;

/** One line of text: control and bidi characters made visible (␊, <U+202E>), no line breaks. */
export function oneLine(text: string): string {
  return visibleControls(text).replace(INVISIBLE, (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`);
}

/**
 * How many monospace cells a code point takes: East Asian wide characters and emoji take two.
 * The picture measures text in cells because it cannot ask a browser (the report is a string).
 */
function cells(cp: number): number {
  if (cp >= 0x1100 && cp <= 0x115f) return 2;
  if (cp >= 0x2e80 && cp <= 0xa4cf) return 2;
  if (cp >= 0xac00 && cp <= 0xd7a3) return 2;
  if (cp >= 0xf900 && cp <= 0xfaff) return 2;
  if (cp >= 0xfe30 && cp <= 0xfe4f) return 2;
  if (cp >= 0xff00 && cp <= 0xff60) return 2;
  if (cp >= 0xffe0 && cp <= 0xffe6) return 2;
  if (cp >= 0x1f000) return 2;
  return 1;
}

/** Width of a text in monospace cells. */
export function widthOf(text: string): number {
  let w = 0;
  for (const ch of text) w += cells(ch.codePointAt(0)!);
  return w;
}

/** The text cut to `max` cells, an ellipsis marking the cut. Cuts whole code points, never a surrogate half. */
export function cut(text: string, max: number): string {
  if (widthOf(text) <= max) return text;
  let out = '';
  let w = 0;
  for (const ch of text) {
    const c = cells(ch.codePointAt(0)!);
    if (w + c > max - 1) break;
    out += ch;
    w += c;
  }
  return `${out}…`;
}

const PLAIN = /^[\x20-\x7e]*$/;

/** Cleaned and cut in one go: what every label of the picture goes through. */
export function label(text: string, max: number): string {
  // Most values are short printable ASCII: nothing to clean, nothing to cut.
  if (text.length <= max && PLAIN.test(text)) return text;
  // Cut first (a 64 KiB value is not cleaned whole), then clean, then cut again (a control picture is longer).
  return cut(oneLine(text.length > max * 4 ? text.slice(0, max * 4) : text), max);
}
