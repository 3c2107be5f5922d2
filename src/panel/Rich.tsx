import type { TextRun } from '../cors/describe';

/**
 * Text runs with their code as <code>: both stay text nodes, never HTML. Runs are built whole
 * (the catalogue's describeFinding, the panel's answer), so nothing here parses a mark: a backtick
 * or markup in a value is shown as it is.
 */
export function Rich({ runs }: { runs: readonly TextRun[] }) {
  return <>{runs.map((s, i) => (s.code ? <code key={i}>{s.text}</code> : s.text))}</>;
}
