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
  /** Firefox's form of the same: an event with the new theme name. */
  onThemeChanged?: { addListener(cb: (themeName: string) => void): void; removeListener(cb: (themeName: string) => void): void };
}

/**
 * Sets `data-theme` on <html> and keeps it in step: with DevTools' theme while DevTools is open
 * (Chrome's setThemeChangeHandler, Firefox's onThemeChanged, where the browser has one), else with
 * the system setting.
 */
export function applyTheme(doc: Document, win: Window, panels: DevtoolsPanels | undefined = typeof chrome !== 'undefined' ? chrome.devtools?.panels : undefined): () => void {
  let name = panels?.themeName;
  const mq = win.matchMedia?.('(prefers-color-scheme: dark)');
  const set = () => {
    doc.documentElement.dataset.theme = resolveTheme(name, mq?.matches ?? false);
  };
  set();
  mq?.addEventListener?.('change', set);
  const follow = (next: string) => {
    name = next;
    set();
  };
  if (panels?.setThemeChangeHandler) panels.setThemeChangeHandler(follow);
  else panels?.onThemeChanged?.addListener(follow);
  return () => {
    mq?.removeEventListener?.('change', set);
    if (panels?.setThemeChangeHandler) panels.setThemeChangeHandler(undefined);
    else panels?.onThemeChanged?.removeListener(follow);
  };
}
