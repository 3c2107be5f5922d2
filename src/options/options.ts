import { browser } from '../shared/browser';

/** The options page: the "capture all tabs" switch, through the same message automation uses. */
const box = document.getElementById('captureAll') as HTMLInputElement;
const statusLine = document.getElementById('status')!;

void browser.storage.local.get('settings').then((r) => {
  box.checked = (r.settings as { captureAll?: boolean } | undefined)?.captureAll === true;
});
box.addEventListener('change', () => {
  void browser.runtime.sendMessage({ type: 'cors-lens/capture', scope: 'all', on: box.checked }).then(() => {
    statusLine.textContent = box.checked ? 'Recording every tab.' : 'Recording only tabs with DevTools open.';
  });
});
