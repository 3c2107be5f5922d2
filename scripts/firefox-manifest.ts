import type { ManifestV3Export } from '@crxjs/vite-plugin';

/** The add-on's fixed id: a stable moz-extension URL for tests, and what AMO signs. */
export const GECKO_ID = 'cors-lens@cors-lens.dev';
/** Firefox 140 ESR: the first ESR with everything the Firefox build relies on (storage.session, MV3 host access, DNR session rules). */
export const FIREFOX_MIN_VERSION = '140.0';

/** Permissions Firefox does not know: dropped from its manifest. */
const CHROME_ONLY: ReadonlySet<string> = new Set(['debugger']);

type Manifest = Record<string, unknown> & { background?: { service_worker?: string; type?: string } };

/**
 * Firefox's manifest, derived from the Chrome one so the two cannot drift: Firefox runs MV3
 * backgrounds as event pages (background.service_worker alone is rejected), needs a gecko id for a
 * fixed extension URL and for signing, and new listings must declare their data collection.
 * Firefox has no chrome.debugger (rescue mode is Chrome's only): `debugger` is dropped, so the
 * Firefox build asks for nothing it cannot use.
 */
export function firefoxManifest(chrome: Manifest): ManifestV3Export {
  const { minimum_chrome_version: _min, background, permissions, ...rest } = chrome;
  const worker = background?.service_worker;
  if (!worker) throw new Error('manifest.json has no background.service_worker');
  return {
    ...rest,
    ...(Array.isArray(permissions) ? { permissions: (permissions as string[]).filter((p) => !CHROME_ONLY.has(p)) } : {}),
    background: { scripts: [worker], type: 'module' },
    browser_specific_settings: {
      gecko: {
        id: GECKO_ID,
        strict_min_version: FIREFOX_MIN_VERSION,
        data_collection_permissions: { required: ['none'] },
      },
      // Firefox for Android reads data_collection_permissions from 142 on (it has no DevTools panels anyway).
      gecko_android: { strict_min_version: '142.0' },
    },
  } as unknown as ManifestV3Export;
}
