/**
 * Copies text. DevTools panels may be denied the async clipboard API (no focus, no permission),
 * so a failure falls back to a hidden textarea and execCommand('copy'), removed at once. Nothing
 * copied is kept in the DOM or on `window`: a copied curl may carry a secret the user chose to
 * include. Tests observe the clipboard API itself (tests/e2e/hardening.test.ts checks the build).
 */
export async function copyText(text: string, doc: Document = document): Promise<boolean> {
  const win = doc.defaultView;
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
  ta.value = '';
  ta.remove();
  active?.focus?.();
  return ok;
}
