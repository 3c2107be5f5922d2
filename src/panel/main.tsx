import { render } from 'preact';
import { App } from './App';
import { connectPanel } from './connection';
import { applyTheme } from './theme';
import { HostAccess } from './HostAccess';
import { browser } from '../shared/browser';
import { providePageBrowser } from '../shared/page-browser';

providePageBrowser(browser);
const params = new URLSearchParams(location.search);
// Only a panel inside DevTools has an inspected window; a popped-out one has ?tabId=.
const tabId = Number(params.get('tabId') ?? (browser.devtools as typeof browser.devtools | undefined)?.inspectedWindow?.tabId);
applyTheme(document, window);

/** Pop out: a tab of its own where the extension may open one, else a window.open. */
function popOut(id: number): void {
  const url = browser.runtime.getURL(`src/panel/panel.html?tabId=${id}`);
  if (browser.tabs?.create) browser.tabs.create({ url }).catch(() => window.open(url, '_blank'));
  else window.open(url, '_blank');
}

const root = document.getElementById('app')!;
// The host-access notice has a node of its own before the panel, so neither re-renders the other.
const notice = document.createElement('div');
root.before(notice);
render(<HostAccess />, notice);
render(<App tabId={tabId} connect={connectPanel} popOut={popOut} />, root);
