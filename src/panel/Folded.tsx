import { useState } from 'preact/hooks';
import { fold } from './headers';

/** A header value as text (never HTML), folded past FOLD_AT characters with a "show all" button. */
export function Folded({ value }: { value: string }) {
  const [open, setOpen] = useState(false);
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
