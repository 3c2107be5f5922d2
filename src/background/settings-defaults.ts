// The settings' shape and defaults, apart from their storage so that code outside the extension
// (the bench's Node bundle) can read them without loading the extension API.

/**
 * User settings, kept in storage.local so they survive restarts; all but `captureAll`, which is
 * kept in storage.session: recording every tab ends with the browser session (docs/privacy.md).
 */
export interface Settings {
  /** Record every tab, DevTools open or not (for test automation); until the browser closes. */
  captureAll: boolean;
  /** webRequest resource types to observe: where CORS failures happen by default. */
  // Chrome's webRequest types, as capture.ts registers with them (its note says why).
  resourceTypes: chrome.webRequest.ResourceType[];
  /** Exchanges kept per tab; the oldest are dropped first. */
  cap: number;
}

export const DEFAULT_SETTINGS: Settings = {
  captureAll: false,
  resourceTypes: ['xmlhttprequest', 'font', 'script', 'other'] as chrome.webRequest.ResourceType[],
  cap: 10_000,
};
