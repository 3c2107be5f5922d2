declare global {
  interface Window {
    /** The last text CORS Lens copied, for tests and for users whose clipboard is locked down. */
    __corsLensLastCopy?: string;
  }
}

/**
 * Copies text. DevTools panels may be denied the async clipboard API (no focus, no permission),
 * so a failure falls back to a hidden textarea and execCommand('copy'). The text is also kept on
 * `window.__corsLensLastCopy` and `<body data-last-copy>` so a test can read what was copied.
 */
export async function copyText(text: string, doc: Document = document): Promise<boolean> {
  const win = doc.defaultView;
  if (win) win.__corsLensLastCopy = text;
  doc.body.dataset.lastCopy = text;
  try {
    if (!win?.navigator.clipboard) throw new Error('no async clipboard');
    await win.navigator.clipboard.writeText(text);
    return true;
  } catch {
    return copyWithTextarea(text, doc);
  }
}

function copyWithTextarea(text: string, doc: Document): boolean {
  const ta = doc.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.style.position = 'fixed';
  ta.style.opacity = '0';
  doc.body.appendChild(ta);
  const active = doc.activeElement as HTMLElement | null;
  ta.select();
  let ok = false;
  try {
    ok = doc.execCommand('copy');
  } catch {
    ok = false;
  }
  ta.remove();
  active?.focus?.();
  return ok;
}
