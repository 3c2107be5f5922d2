import { describe, expect, it } from 'vitest';
import { moveSelection, navAction } from './nav';
import { resolveTheme } from './theme';

describe('keyboard selection', () => {
  const ids = ['a', 'b', 'c'];
  it.each([
    [null, 1, 'a'],
    [null, -1, 'c'],
    ['a', 1, 'b'],
    ['c', 1, 'c'],
    ['a', -1, 'a'],
    ['b', Infinity, 'c'],
    ['b', -Infinity, 'a'],
    [null, -Infinity, 'a'],
    ['gone', 1, 'a'],
  ])('from %s by %s → %s', (from, delta, want) => expect(moveSelection(ids, from, delta)).toBe(want));

  it('maps keys', () => {
    expect(navAction('ArrowDown')).toEqual({ kind: 'move', delta: 1 });
    expect(navAction('ArrowUp')).toEqual({ kind: 'move', delta: -1 });
    expect(navAction('Enter')).toEqual({ kind: 'open' });
    expect(navAction('Escape')).toEqual({ kind: 'close' });
    expect(navAction('a')).toBeNull();
    expect(moveSelection([], null, 1)).toBeNull();
  });
});

describe('theme', () => {
  it('follows DevTools, else the system', () => {
    expect(resolveTheme('dark', false)).toBe('dark');
    expect(resolveTheme('default', true)).toBe('light');
    expect(resolveTheme(undefined, true)).toBe('dark');
    expect(resolveTheme(undefined, false)).toBe('light');
  });
});
