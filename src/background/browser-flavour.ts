import { browser } from '../shared/browser';

/**
 * What differs in the running browser's extension API, found by feature, not by user agent
 * (docs/firefox.md): Firefox has no `extraHeaders` (asking for it throws at registration), no
 * `hasListeners` on webRequest events, and names the page by `originUrl` instead of `initiator`.
 */
const webRequest = browser.webRequest as unknown as typeof chrome.webRequest & { OnSendHeadersOptions?: { EXTRA_HEADERS?: string } };

/** Chrome shows preflights (and Origin, Cookie) to onSendHeaders only with `extraHeaders`; Firefox shows them anyway. */
export const HAS_EXTRA_HEADERS = webRequest.OnSendHeadersOptions?.EXTRA_HEADERS !== undefined;

/** Firefox: its webRequest events pair and fail in their own ways, which the traffic layer knows. */
export const IS_FIREFOX = typeof (browser.runtime as { getBrowserInfo?: unknown }).getBrowserInfo === 'function';
