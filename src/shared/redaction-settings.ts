import type { Storage } from 'webextension-polyfill';
import { pageBrowser } from './page-browser';

/**
 * The user's "Also redact" names, saved by the panel's Export menu in `storage.local`. The export
 * API, Copy as Markdown and Copy as curl read the same list, so no output forgets it.
 */
export const REDACT_EXTRA_KEY = 'redactExtra';

/** `area`: the worker passes its own; a page uses the one its entry provided (none in component tests). */
export async function loadRedactExtra(area: Storage.StorageArea | undefined = pageBrowser()?.storage?.local): Promise<string[]> {
  if (!area) return [];
  try {
    const v = (await area.get(REDACT_EXTRA_KEY))[REDACT_EXTRA_KEY];
    return Array.isArray(v) ? v.filter((n): n is string => typeof n === 'string') : [];
  } catch {
    return [];
  }
}
