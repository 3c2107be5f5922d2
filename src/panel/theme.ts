export type Theme = 'light' | 'dark';

/** DevTools' own theme wins ('dark' → dark, 'default' → light); outside DevTools (the pop-out) the system's. */
export function resolveTheme(devtoolsThemeName: string | undefined, prefersDark: boolean): Theme {
  if (devtoolsThemeName === 'dark') return 'dark';
  if (devtoolsThemeName) return 'light';
  return prefersDark ? 'dark' : 'light';
}

interface DevtoolsPanels {
  themeName?: string;
  /** Chrome 99+: called with the new theme name whenever the user switches DevTools' theme. */
  setThemeChangeHandler?: (cb?: (themeName: string) => void) => void;
}

/**
 * Sets `data-theme` on <html> and keeps it in step: with DevTools' theme while DevTools is open
 * (its change handler, where the browser has one), else with the system setting.
 */
export function applyTheme(doc: Document, win: Window, panels: DevtoolsPanels | undefined = typeof chrome !== 'undefined' ? chrome.devtools?.panels : undefined): () => void {
  let name = panels?.themeName;
  const mq = win.matchMedia?.('(prefers-color-scheme: dark)');
  const set = () => {
    doc.documentElement.dataset.theme = resolveTheme(name, mq?.matches ?? false);
  };
  set();
  mq?.addEventListener?.('change', set);
  panels?.setThemeChangeHandler?.((next) => {
    name = next;
    set();
  });
  return () => {
    mq?.removeEventListener?.('change', set);
    panels?.setThemeChangeHandler?.(undefined);
  };
}
