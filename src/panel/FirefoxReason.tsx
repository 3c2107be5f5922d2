import type { Finding } from '../cors/types';
import { catalogueEntry } from '../cors/catalogue';
import { firefoxReasonText } from '../cors/firefox-reasons';
import { pageBrowser } from '../shared/page-browser';

/** Running in Firefox (found by feature: only Firefox's runtime answers getBrowserInfo; the polyfill leaves it out in Chrome). */
export function inFirefox(): boolean {
  return typeof (pageBrowser()?.runtime as { getBrowserInfo?: unknown } | undefined)?.getBrowserInfo === 'function';
}

/** The reason Firefox prints in its console for this finding, as Firefox words it; nothing outside Firefox. */
export function FirefoxReason({ finding, inFirefox: firefox = inFirefox() }: { finding: Finding; inFirefox?: boolean }) {
  if (!firefox) return null;
  const key = (() => {
    try {
      return catalogueEntry(finding.id).firefoxReason;
    } catch {
      return null;
    }
  })();
  const text = key === null ? null : firefoxReasonText(key, finding.failedParameter);
  if (text === null) return null;
  return (
    <p class="firefox-reason" data-firefox-reason={key}>
      <span class="label">Firefox console</span> (Reason: {text})
    </p>
  );
}
