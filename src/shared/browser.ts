import browser from 'webextension-polyfill';

/**
 * The one promise-based extension API for Chrome and Firefox (webextension-polyfill): Firefox's own
 * `browser` there, a promise wrapper around `chrome` in Chrome. Adapters call the browser through this.
 * Import it only from extension pages and the worker: the polyfill refuses to load anywhere else.
 */
export { browser };
export type { Browser, Runtime, Tabs, Permissions } from 'webextension-polyfill';
