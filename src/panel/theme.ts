export type Theme = 'light' | 'dark';

/** DevTools' own theme wins ('dark' → dark, 'default' → light); outside DevTools (the pop-out) the system's. */
export function resolveTheme(devtoolsThemeName: string | undefined, prefersDark: boolean): Theme {
  if (devtoolsThemeName === 'dark') return 'dark';
  if (devtoolsThemeName) return 'light';
  return prefersDark ? 'dark' : 'light';
}

/** Sets `data-theme` on <html> and keeps it in step with the system setting when DevTools does not say. */
export function applyTheme(doc: Document, win: Window): () => void {
  const name = typeof chrome !== 'undefined' ? chrome.devtools?.panels?.themeName : undefined;
  const mq = win.matchMedia?.('(prefers-color-scheme: dark)');
  const set = () => {
    doc.documentElement.dataset.theme = resolveTheme(name, mq?.matches ?? false);
  };
  set();
  mq?.addEventListener?.('change', set);
  return () => mq?.removeEventListener?.('change', set);
}
