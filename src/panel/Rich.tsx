import { codeSpans } from './format';

/** Text with its `code` spans as <code>: both stay text nodes, never HTML, and no backtick shows. */
export function Rich({ text }: { text: string }) {
  return <>{codeSpans(text).map((s, i) => (s.code ? <code key={i}>{s.text}</code> : s.text.replace(/`/g, '')))}</>;
}
