/** Keyboard selection in the table: the ids shown, in order, and where the selection moves. */
export function moveSelection(ids: readonly string[], current: string | null, delta: number): string | null {
  if (ids.length === 0) return null;
  if (delta === -Infinity) return ids[0]!;
  if (delta === Infinity) return ids[ids.length - 1]!;
  const at = current === null ? -1 : ids.indexOf(current);
  if (at === -1) return delta >= 0 ? ids[0]! : ids[ids.length - 1]!;
  const next = Math.min(ids.length - 1, Math.max(0, at + delta));
  return ids[next]!;
}

export type NavAction = { kind: 'move'; delta: number } | { kind: 'open' } | { kind: 'close' } | null;

/** Up/Down (and Page/Home/End) move, Enter opens the detail, Escape closes it. */
export function navAction(key: string, pageRows = 10): NavAction {
  switch (key) {
    case 'ArrowDown':
      return { kind: 'move', delta: 1 };
    case 'ArrowUp':
      return { kind: 'move', delta: -1 };
    case 'PageDown':
      return { kind: 'move', delta: pageRows };
    case 'PageUp':
      return { kind: 'move', delta: -pageRows };
    case 'Home':
      return { kind: 'move', delta: -Infinity };
    case 'End':
      return { kind: 'move', delta: Infinity };
    case 'Enter':
      return { kind: 'open' };
    case 'Escape':
      return { kind: 'close' };
    default:
      return null;
  }
}
