import type { Browser } from 'webextension-polyfill';

/**
 * The typed `browser` of `src/shared/browser.ts`, for modules that component tests load too (the
 * panel's, the redaction settings). Importing the polyfill throws outside an extension, so those
 * modules do not import it: the page's entry, which does, hands it over before it renders. Where no
 * entry did (a unit test, a plain page), there is none, and each caller does without.
 */
let provided: Browser | undefined;

export function providePageBrowser(api: Browser): void {
  provided = api;
}

export function pageBrowser(): Browser | undefined {
  return provided;
}
