import { cut, label } from './clean';
import type { Lane, Sequence, Step } from './sequence';

/**
 * The picture as text: a numbered list for screen readers and for copying, and a Mermaid
 * `sequenceDiagram` for the Markdown report (GitHub draws it).
 */

/** Widest a value is written in the text version: long enough to read, short enough for a terminal. */
export const TEXT_MAX = 120;

const LANE: Record<Lane, string> = { page: 'page', browser: 'browser', server: 'server' };

function head(seq: Sequence): string {
  return `page (${label(seq.page ?? 'unknown origin', TEXT_MAX)}) · browser · server (${label(seq.server, TEXT_MAX)})`;
}

function stepLine(s: Step): string {
  if (s.type === 'note') return `at the browser: ${label(s.label, TEXT_MAX)}`;
  const how = s.dashed ? ' (never happened)' : '';
  return `${LANE[s.from]} → ${LANE[s.to]}${how}: ${label(s.label, TEXT_MAX)}`;
}

/** The same sequence as the picture, one numbered line per step, details indented below. */
export function sequenceText(seq: Sequence): string {
  const out = [head(seq)];
  seq.steps.forEach((s, i) => {
    out.push(`${i + 1}. ${stepLine(s)}`);
    for (const l of s.lines) out.push(`   ${label(l, TEXT_MAX)}`);
  });
  return out.join('\n');
}

/**
 * A Mermaid label: only letters, digits and a few harmless punctuation marks are written as they
 * are; everything else (`;` ends a statement, `#` starts an entity, `%%` a comment, `<br>` a line,
 * `-->` an arrow, backticks end the Markdown fence) is written as Mermaid's entity code `#NNN;`.
 */
export function mermaidText(text: string, max = TEXT_MAX): string {
  const out = label(text, max).replace(/[^A-Za-z0-9 .,/:_=?()@'!*+-]/gu, (ch) => `#${ch.codePointAt(0)};`);
  // A label of only spaces would leave `A->>B:` with nothing after it.
  return out.trim() === '' ? '#160;' : out;
}

const ACTOR: Record<Lane, string> = { page: 'Page', browser: 'Browser', server: 'Server' };

/** The sequence as a Mermaid `sequenceDiagram`: fixed participant ids, every text through `mermaidText`. */
export function sequenceMermaid(seq: Sequence): string[] {
  const out = ['sequenceDiagram', '  participant Page', '  participant Browser', '  participant Server'];
  out.push(`  Note over Page: ${mermaidText(seq.page ?? 'unknown origin', 60)}`);
  out.push(`  Note over Server: ${mermaidText(seq.server, 60)}`);
  for (const s of seq.steps) {
    const lines = s.lines.map((l) => mermaidText(l, 80));
    const text = [mermaidText(s.label, 80), ...lines].join('<br/>');
    if (s.type === 'note') {
      out.push(`  Note over Browser: ${text}`);
    } else {
      // `-->>` draws a dashed line: what never happened.
      out.push(`  ${ACTOR[s.from]}${s.dashed ? '-->>' : '->>'}${ACTOR[s.to]}: ${text}`);
    }
  }
  return out;
}

/** A short one-line summary (for an accessible name): where it ended. */
export function sequenceSummary(seq: Sequence): string {
  const stop = seq.steps.find((s) => s.kind === 'stop');
  const last = seq.steps[seq.steps.length - 1];
  const end = stop ? `stopped by the browser: ${stop.label.replace(/^✗ /, '')}` : last ? last.label : 'nothing seen';
  return cut(`Sequence of this exchange, ${seq.steps.length} steps; ${label(end, TEXT_MAX)}`, 200);
}

/** The Markdown report's version: a fenced Mermaid block (no backtick can occur inside it: `mermaidText` encodes them). */
export function mermaidFence(seq: Sequence): string {
  return ['```mermaid', ...sequenceMermaid(seq), '```'].join('\n');
}
