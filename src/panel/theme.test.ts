// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { applyTheme } from './theme';

describe('applyTheme', () => {
  it('follows DevTools when its theme changes while the panel is open, and lets go on cleanup', () => {
    let handler: ((name: string) => void) | undefined;
    const panels = { themeName: 'default', setThemeChangeHandler: (cb?: (name: string) => void) => (handler = cb) };
    const stop = applyTheme(document, window, panels);
    expect(document.documentElement.dataset.theme).toBe('light');
    handler!('dark');
    expect(document.documentElement.dataset.theme).toBe('dark');
    handler!('default');
    expect(document.documentElement.dataset.theme).toBe('light');
    stop();
    expect(handler).toBeUndefined();
  });

  it("follows Firefox's onThemeChanged event the same way", () => {
    const listeners = new Set<(name: string) => void>();
    const panels = { themeName: 'dark', onThemeChanged: { addListener: (cb: (n: string) => void) => listeners.add(cb), removeListener: (cb: (n: string) => void) => listeners.delete(cb) } };
    const stop = applyTheme(document, window, panels);
    expect(document.documentElement.dataset.theme).toBe('dark');
    for (const l of listeners) l('light');
    expect(document.documentElement.dataset.theme).toBe('light');
    stop();
    expect(listeners.size).toBe(0);
  });

  it('reads the theme once where the browser has no change handler', () => {
    applyTheme(document, window, { themeName: 'dark' });
    expect(document.documentElement.dataset.theme).toBe('dark');
  });
});
