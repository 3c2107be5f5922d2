import type { Finding } from '../cors/types';
import { catalogueEntry } from '../cors/catalogue';
import { firefoxReasonText } from '../cors/firefox-reasons';

/** Running in Firefox (found by feature: only Firefox's runtime answers getBrowserInfo). */
export const IN_FIREFOX = typeof chrome !== 'undefined' && typeof (chrome.runtime as { getBrowserInfo?: unknown } | undefined)?.getBrowserInfo === 'function';

/** The reason Firefox prints in its console for this finding, as Firefox words it; nothing outside Firefox. */
export function FirefoxReason({ finding, inFirefox = IN_FIREFOX }: { finding: Finding; inFirefox?: boolean }) {
  if (!inFirefox) return null;
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
