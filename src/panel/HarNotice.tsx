import type { HarConversion } from '../har';

/**
 * Beside a HAR opened with "Open…": what the HAR lacked, and which verdicts are less sure and why.
 * Text only (a HAR is hostile input): Preact renders strings as text, never as HTML.
 */
export function HarNotice({ conversion }: { conversion: Pick<HarConversion, 'notes' | 'confidence' | 'exchanges'> }) {
  const unsure = conversion.exchanges
    .map((ex) => ({ ex, c: conversion.confidence.get(ex.id) }))
    .filter((r): r is { ex: typeof r.ex; c: NonNullable<typeof r.c> } => r.c !== undefined && r.c.level !== 'high');
  const low = unsure.filter((r) => r.c.level === 'low').length;
  return (
    <div class="banner har-notice" role="note" aria-label="What the HAR lacks">
      <ul>
        {conversion.notes.map((n) => (
          <li key={n.id} data-note={n.id}>{n.text}</li>
        ))}
      </ul>
      {unsure.length > 0 && (
        <details>
          <summary>
            {unsure.length} verdict{unsure.length === 1 ? '' : 's'} less sure ({low} low, {unsure.length - low} medium)
          </summary>
          <ul>
            {unsure.map(({ ex, c }) => (
              <li key={ex.id} data-confidence={c.level}>
                <b>{c.level}</b> {ex.method} {ex.url}: {c.reasons.join('; ')}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
