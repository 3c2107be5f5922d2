import { useEffect, useState } from 'preact/hooks';
import type { Permissions } from 'webextension-polyfill';
import { pageBrowser } from '../shared/page-browser';

/** Host access to every site: what webRequest needs to show a page's requests. */
const ALL_SITES: Permissions.Permissions = { origins: ['<all_urls>'] };

export interface PermissionsApi {
  contains(p: Permissions.AnyPermissions): Promise<boolean>;
  request(p: Permissions.Permissions): Promise<boolean>;
  onAdded: { addListener(f: () => void): void; removeListener(f: () => void): void };
  onRemoved: { addListener(f: () => void): void; removeListener(f: () => void): void };
}

/**
 * Firefox lets the user withdraw an MV3 extension's host access (Chrome too, per site): webRequest
 * then delivers nothing, and the panel would look empty for no visible reason. This says so, offers
 * the grant (permissions.request needs the click's user gesture), and follows grants made elsewhere.
 */
export function HostAccess({ permissions = pageBrowser()?.permissions }: { permissions?: PermissionsApi | undefined }) {
  const [granted, setGranted] = useState<boolean | null>(null);
  useEffect(() => {
    if (!permissions) return;
    const check = () => {
      permissions.contains(ALL_SITES).then(setGranted, () => setGranted(null));
    };
    check();
    permissions.onAdded.addListener(check);
    permissions.onRemoved.addListener(check);
    return () => {
      permissions.onAdded.removeListener(check);
      permissions.onRemoved.removeListener(check);
    };
  }, [permissions]);
  if (granted !== false || !permissions) return null;
  return (
    <div class="banner host-access" role="alert">
      CORS Lens has no access to websites, so the browser shows it no requests.{' '}
      <button type="button" onClick={() => void permissions.request(ALL_SITES).then(setGranted, () => {})}>
        Grant access
      </button>
    </div>
  );
}
