/** User settings, kept in storage.local so they survive restarts. */
export interface Settings {
  /** Record every tab, DevTools open or not (for test automation). */
  captureAll: boolean;
  /** webRequest resource types to observe: where CORS failures happen by default. */
  resourceTypes: chrome.webRequest.ResourceType[];
  /** Exchanges kept per tab; the oldest are dropped first. */
  cap: number;
}

export const DEFAULT_SETTINGS: Settings = {
  captureAll: false,
  resourceTypes: ['xmlhttprequest', 'font', 'script', 'other'] as chrome.webRequest.ResourceType[],
  cap: 10_000,
};

const KEY = 'settings';

/** Reads settings, repairing any field a corrupted or older entry lacks. */
export async function loadSettings(): Promise<Settings> {
  const stored = (await chrome.storage.local.get(KEY))[KEY] as Partial<Settings> | undefined;
  const s = { ...DEFAULT_SETTINGS };
  if (stored && typeof stored === 'object') {
    if (typeof stored.captureAll === 'boolean') s.captureAll = stored.captureAll;
    if (Array.isArray(stored.resourceTypes) && stored.resourceTypes.every((t) => typeof t === 'string') && stored.resourceTypes.length > 0) s.resourceTypes = stored.resourceTypes;
    if (typeof stored.cap === 'number' && stored.cap >= 100 && stored.cap <= 100_000) s.cap = Math.floor(stored.cap);
  }
  return s;
}

export async function saveSettings(patch: Partial<Settings>): Promise<Settings> {
  const next = { ...(await loadSettings()), ...patch };
  await chrome.storage.local.set({ [KEY]: next });
  return next;
}
