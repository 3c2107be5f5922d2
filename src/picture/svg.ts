import type { Exchange } from '../traffic/exchange';
import { layoutOf, type Shape } from './layout';
import { sequenceOf, type Sequence, type SequenceOptions } from './sequence';
import { sequenceSummary, sequenceText } from './text';

/**
 * The picture as an SVG string, for the HTML report (which is a string, with no script to build
 * elements). Every text and attribute value goes through `xml`, which escapes all five
 * XML-significant characters; the shapes' numbers are numbers. No script, no link, no external
 * reference: colours come from classes (PICTURE_CSS), so one style sheet serves every picture.
 */

const XML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function xml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML[c]!);
}

const n = (v: number) => String(Math.round(v * 10) / 10);

function shapeSvg(sh: Shape): string {
  switch (sh.s) {
    case 'rect':
      return `<rect x="${n(sh.x)}" y="${n(sh.y)}" width="${n(sh.w)}" height="${n(sh.h)}" rx="4" class="${xml(sh.cls)}"/>`;
    case 'line':
      return `<line x1="${n(sh.x1)}" y1="${n(sh.y1)}" x2="${n(sh.x2)}" y2="${n(sh.y2)}" class="${xml(sh.cls)}"/>`;
    case 'path':
      return `<path d="${xml(sh.d)}" class="${xml(sh.cls)}"/>`;
    case 'text':
      // text-anchor comes from the class (middle unless pic-num): one attribute less per text, in a 5,000-exchange report.
      return `<text x="${n(sh.x)}" y="${n(sh.y)}" class="${xml(sh.cls)}">${xml(sh.text)}</text>`;
  }
}

/**
 * Colours follow the page: ink is `currentColor`, the tones are variables a host page may set
 * (the panel sets them per theme). The picture scales to its container (viewBox, width 100%),
 * so it fits 1000 px without scrolling; below 760 px (DevTools docked to the side) it stops
 * shrinking, where its text would be too small to read, and scrolls sideways in its own box.
 */
export const PICTURE_CSS = `
.cl-pic { --pic-muted: #6a737d; --pic-ok: #137333; --pic-blocked: #c5221f; --pic-cache: #0b57d0; --pic-override: #8430ce; --pic-fill: rgba(127,127,127,.07); margin: 0 0 8px; max-width: 1000px; }
.cl-pic { overflow-x: auto; }
.cl-pic svg { display: block; width: 100%; min-width: 760px; height: auto; font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12px; }
.cl-pic text { fill: currentColor; text-anchor: middle; }
.cl-pic .pic-title { font-weight: 600; font-family: system-ui, sans-serif; }
.cl-pic .pic-small { font-size: 11px; fill: var(--pic-muted); }
.cl-pic .pic-num { font-size: 11px; fill: var(--pic-muted); text-anchor: start; }
.cl-pic .pic-head { fill: var(--pic-fill); stroke: var(--pic-muted); }
.cl-pic .pic-life { stroke: var(--pic-muted); stroke-dasharray: 2 4; }
.cl-pic .pic-arrow { stroke: currentColor; stroke-width: 1.4; }
.cl-pic .pic-dashed { stroke-dasharray: 6 4; }
.cl-pic .pic-head-arrow { fill: currentColor; }
.cl-pic .pic-note { fill: var(--pic-fill); stroke: currentColor; }
.cl-pic .pic-label.pic-ok, .cl-pic .pic-head-arrow.pic-ok { fill: var(--pic-ok); }
.cl-pic .pic-arrow.pic-ok { stroke: var(--pic-ok); }
.cl-pic .pic-label.pic-blocked, .cl-pic .pic-head-arrow.pic-blocked { fill: var(--pic-blocked); }
.cl-pic .pic-arrow.pic-blocked, .cl-pic .pic-note.pic-blocked { stroke: var(--pic-blocked); }
.cl-pic .pic-label.pic-blocked { font-weight: 600; }
.cl-pic .pic-label.pic-cache { fill: var(--pic-cache); }
.cl-pic .pic-note.pic-cache { stroke: var(--pic-cache); }
.cl-pic .pic-label.pic-override { fill: var(--pic-override); }
.cl-pic .pic-note.pic-override { stroke: var(--pic-override); }
.cl-pic .pic-label.pic-muted, .cl-pic .pic-head-arrow.pic-muted { fill: var(--pic-muted); }
.cl-pic .pic-arrow.pic-muted, .cl-pic .pic-note.pic-muted { stroke: var(--pic-muted); }
.cl-pic details { margin: 2px 0 0; }
.cl-pic summary { cursor: pointer; color: var(--pic-muted); font-size: 12px; }
.cl-pic pre { margin: 4px 0 0; white-space: pre-wrap; word-break: break-all; font-size: 12px; }
`;

/** The SVG alone: `role="img"`, its accessible name and description are the text version. */
export function pictureSvg(ex: Exchange, opts: SequenceOptions = {}): string {
  return svgOf(sequenceOf(ex, opts));
}

function svgOf(seq: Sequence): string {
  const { width, height, shapes } = layoutOf(seq);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${n(height)}" role="img" class="pic-svg">` +
    `<title>${xml(sequenceSummary(seq))}</title>` +
    shapes.map(shapeSvg).join('') +
    '</svg>'
  );
}

/** The picture with its text version below it, folded, for copying: what the HTML report shows per exchange. */
export function pictureHtml(ex: Exchange, opts: SequenceOptions = {}): string {
  const seq = sequenceOf(ex, opts);
  return `<figure class="cl-pic">${svgOf(seq)}<details><summary>Sequence as text</summary><pre>${xml(sequenceText(seq))}</pre></details></figure>`;
}
