import { pageBrowser } from '../shared/page-browser';

/** Saves text as a file through an object URL: needs no `downloads` permission, and works in a DevTools panel. */
export function downloadText(fileName: string, mime: string, text: string, doc: Document = document): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${mime};charset=utf-8` }));
  const a = doc.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  doc.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The inspected tab's URL, for the report; empty when the browser will not say. */
export async function tabUrl(tabId: number): Promise<string> {
  try {
    return (await pageBrowser()?.tabs.get(tabId))?.url ?? '';
  } catch {
    return '';
  }
}
