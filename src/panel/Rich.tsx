import type { TextRun } from '../cors/describe';
import { codeSpans } from './format';

/**
 * Text with its code as <code>: both stay text nodes, never HTML, and no backtick shows.
 * `runs` come from the catalogue (describeFinding), already split; `text` is the panel's own
 * wording, which marks code with backticks.
 */
export function Rich({ text, runs }: { text?: string; runs?: readonly TextRun[] }) {
  const parts = runs ?? codeSpans(text ?? '');
  return <>{parts.map((s, i) => (s.code ? <code key={i}>{s.text}</code> : runs ? s.text : s.text.replace(/`/g, '')))}</>;
}
