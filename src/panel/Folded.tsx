import { useState } from 'preact/hooks';
import { fold } from './headers';
import { visibleControls } from '../report/format';

/**
 * A header value as text (never HTML), control and bidi characters shown as visible escapes as
 * the reports show them, folded past FOLD_AT characters with a "show all" button.
 */
export function Folded({ value: raw }: { value: string }) {
  const [open, setOpen] = useState(false);
  const value = visibleControls(raw);
  const { shown, hidden } = fold(value);
  if (hidden === 0 || open) return <span class="value">{value}</span>;
  return (
    <span class="value">
      {shown}…{' '}
      <button type="button" class="link" onClick={() => setOpen(true)} aria-label={`Show all ${value.length} characters`}>
        show all ({hidden} more)
      </button>
    </span>
  );
}
