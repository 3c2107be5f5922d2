import { browser } from '../shared/browser';

export { DEFAULT_SETTINGS, type Settings } from './settings-defaults';
import { DEFAULT_SETTINGS, type Settings } from './settings-defaults';

const KEY = 'settings';
/** In storage.session: a browser restart, or the extension's reload or update, turns capture-all off. */
export const CAPTURE_ALL_KEY = 'captureAll';

/**
 * Reads settings, repairing any field a corrupted or older entry lacks. A `captureAll` an older
 * version left in storage.local is ignored: it would record every tab after every restart.
 */
export async function loadSettings(): Promise<Settings> {
  const stored = (await browser.storage.local.get(KEY))[KEY] as Partial<Settings> | undefined;
  const s = { ...DEFAULT_SETTINGS };
  s.captureAll = (await browser.storage.session.get(CAPTURE_ALL_KEY))[CAPTURE_ALL_KEY] === true;
  if (stored && typeof stored === 'object') {
    if (Array.isArray(stored.resourceTypes) && stored.resourceTypes.every((t) => typeof t === 'string') && stored.resourceTypes.length > 0) s.resourceTypes = stored.resourceTypes;
    if (typeof stored.cap === 'number' && stored.cap >= 100 && stored.cap <= 100_000) s.cap = Math.floor(stored.cap);
  }
  return s;
}

export async function saveSettings(patch: Partial<Settings>): Promise<Settings> {
  const next = { ...(await loadSettings()), ...patch };
  const { captureAll, ...lasting } = next;
  await browser.storage.session.set({ [CAPTURE_ALL_KEY]: captureAll });
  await browser.storage.local.set({ [KEY]: lasting });
  return next;
}
