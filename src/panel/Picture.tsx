import { useMemo } from 'preact/hooks';
import type { Exchange } from '../traffic/exchange';
import { layoutOf, type Shape } from '../picture/layout';
import { sequenceOf } from '../picture/sequence';
import { PICTURE_CSS } from '../picture/svg';
import { sequenceSummary, sequenceText } from '../picture/text';
import { expiryText, timeCell } from './format';

/**
 * The exchange as a sequence diagram at the top of the detail: the same shapes the HTML report
 * draws (src/picture), made with Preact elements, so every value is a text node, never markup.
 * The picture's colours follow the panel's theme variables.
 */
const PANEL_CSS = `${PICTURE_CSS}
.detail .cl-pic { --pic-muted: var(--muted); --pic-ok: var(--ok); --pic-blocked: var(--error); --pic-cache: var(--accent); --pic-fill: var(--bg-alt); color: var(--fg); margin: 2px 0 8px; }
:root[data-theme='dark'] .detail .cl-pic { --pic-override: #d7aefb; }
`;

function ShapeEl({ sh }: { sh: Shape }) {
  switch (sh.s) {
    case 'rect':
      return <rect x={sh.x} y={sh.y} width={sh.w} height={sh.h} rx={4} class={sh.cls} />;
    case 'line':
      return <line x1={sh.x1} y1={sh.y1} x2={sh.x2} y2={sh.y2} class={sh.cls} />;
    case 'path':
      return <path d={sh.d} class={sh.cls} />;
    case 'text':
      return (
        <text x={sh.x} y={sh.y} class={sh.cls}>
          {sh.text}
        </text>
      );
  }
}

export function Picture({ ex, now }: { ex: Exchange; now: number }) {
  const { seq, layout } = useMemo(() => {
    const s = sequenceOf(ex, { time: (ms) => `${timeCell(ms)} (${expiryText(ms, now)})` });
    return { seq: s, layout: layoutOf(s) };
  }, [ex, now]);
  return (
    <figure class="cl-pic" data-testid="picture">
      <style>{PANEL_CSS}</style>
      <svg xmlns="http://www.w3.org/2000/svg" viewBox={`0 0 ${layout.width} ${layout.height}`} role="img" aria-label={sequenceSummary(seq)} class="pic-svg">
        {layout.shapes.map((sh, i) => (
          <ShapeEl key={i} sh={sh} />
        ))}
      </svg>
      <details>
        <summary>Sequence as text</summary>
        <pre data-testid="picture-text">{sequenceText(seq)}</pre>
      </details>
    </figure>
  );
}
