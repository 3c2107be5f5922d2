import { label, widthOf } from './clean';
import type { Lane, Sequence, Tone } from './sequence';

/**
 * Where each part of the picture goes, as plain shapes: the SVG string (report) and the Preact
 * elements (panel) draw the same shapes. Text is measured in monospace cells (CELL px each at
 * FONT px) and cut to the room it has, so no value, however long, leaves its box.
 */

export const WIDTH = 960;
const FONT = 12;
const SMALL = 11;
/** Width of one monospace cell: 0.6 em in the usual monospace fonts; a little spare for the wider ones. */
const CELL = 0.62 * FONT;
const CELL_SMALL = 0.62 * SMALL;
/**
 * The browser sits left of centre: most of what matters (the preflight, the request, the answers
 * and their headers) travels between the browser and the server, so that span gets the room.
 */
const LANE_X: Record<Lane, number> = { page: 95, browser: 345, server: 865 };
const HEAD_W = 180;
const MARGIN = 8;
const HEAD_H = 38;
const TOP = 8;
const NOTE_MAX_W = 760;

export type Shape =
  | { s: 'rect'; x: number; y: number; w: number; h: number; cls: string }
  | { s: 'line'; x1: number; y1: number; x2: number; y2: number; cls: string }
  | { s: 'path'; d: string; cls: string }
  | { s: 'text'; x: number; y: number; text: string; cls: string; anchor: 'start' | 'middle' | 'end' };

export interface Layout {
  width: number;
  height: number;
  shapes: Shape[];
}

const fits = (px: number, cell: number) => Math.max(4, Math.floor(px / cell));

function head(lane: Lane, title: string, origin: string | null, shapes: Shape[]): void {
  const x = LANE_X[lane];
  shapes.push({ s: 'rect', x: x - HEAD_W / 2, y: TOP, w: HEAD_W, h: HEAD_H, cls: `pic-head pic-head-${lane}` });
  shapes.push({ s: 'text', x, y: TOP + 16, text: title, cls: 'pic-title', anchor: 'middle' });
  if (origin !== null) shapes.push({ s: 'text', x, y: TOP + 31, text: label(origin, fits(HEAD_W - 12, CELL_SMALL)), cls: 'pic-small', anchor: 'middle' });
}

/** The picture's shapes, top to bottom. */
export function layoutOf(seq: Sequence): Layout {
  const shapes: Shape[] = [];
  head('page', 'page', seq.page ?? 'unknown origin', shapes);
  head('browser', 'browser', null, shapes);
  head('server', 'server', seq.server, shapes);
  const lifelinesAt = shapes.length;
  let y = TOP + HEAD_H + 12;
  seq.steps.forEach((step, i) => {
    const tone: Tone = step.tone;
    const t = tone === 'plain' ? '' : ` pic-${tone}`;
    shapes.push({ s: 'text', x: 6, y: y + 13, text: String(i + 1), cls: 'pic-num', anchor: 'start' });
    if (step.type === 'arrow') {
      const x1 = LANE_X[step.from];
      const x2 = LANE_X[step.to];
      const span = Math.abs(x2 - x1) - 16;
      const mid = (x1 + x2) / 2;
      shapes.push({ s: 'text', x: mid, y: y + 13, text: label(step.label, fits(span, CELL)), cls: `pic-label${t}`, anchor: 'middle' });
      const ay = y + 20;
      const dir = x2 > x1 ? 1 : -1;
      shapes.push({ s: 'line', x1: x1 + dir * 3, y1: ay, x2: x2 - dir * 9, y2: ay, cls: `pic-arrow${t}${step.dashed ? ' pic-dashed' : ''}` });
      shapes.push({ s: 'path', d: `M${x2 - dir * 2} ${ay} l${-dir * 10} -5 v10 z`, cls: `pic-head-arrow${t}` });
      step.lines.forEach((l, j) => {
        shapes.push({ s: 'text', x: mid, y: ay + 15 + j * 14, text: label(l, fits(span, CELL_SMALL)), cls: 'pic-small', anchor: 'middle' });
      });
      y = ay + 12 + step.lines.length * 14;
    } else {
      let x = LANE_X[step.at];
      const room = NOTE_MAX_W - 20;
      const title = label(step.label, fits(room, CELL));
      const lines = step.lines.map((l) => label(l, fits(room, CELL_SMALL)));
      const textW = Math.max(widthOf(title) * CELL, ...lines.map((l) => widthOf(l) * CELL_SMALL));
      const w = Math.min(NOTE_MAX_W, Math.max(220, Math.ceil(textW) + 24));
      const h = 24 + lines.length * 14;
      // Centred on the browser's lifeline when there is room, else moved right to stay inside the picture.
      const left = Math.min(Math.max(MARGIN + 14, x - w / 2), WIDTH - MARGIN - w);
      x = left + w / 2;
      shapes.push({ s: 'rect', x: left, y: y + 2, w, h, cls: `pic-note${t}` });
      shapes.push({ s: 'text', x, y: y + 18, text: title, cls: `pic-label${t}`, anchor: 'middle' });
      lines.forEach((l, j) => shapes.push({ s: 'text', x, y: y + 33 + j * 14, text: l, cls: 'pic-small', anchor: 'middle' }));
      y += h + 10;
    }
  });
  const height = y + 6;
  const lifelines: Shape[] = (['page', 'browser', 'server'] as const).map((lane) => ({
    s: 'line',
    x1: LANE_X[lane],
    y1: TOP + HEAD_H,
    x2: LANE_X[lane],
    y2: height - 4,
    cls: 'pic-life',
  }));
  // Lifelines go under everything else (SVG paints in document order).
  shapes.splice(lifelinesAt, 0, ...lifelines);
  return { width: WIDTH, height, shapes };
}
