import { browser } from '../shared/browser';

/** The options page: the "capture all tabs" switch, through the same message automation uses. */
const box = document.getElementById('captureAll') as HTMLInputElement;
const statusLine = document.getElementById('status')!;

void browser.runtime.sendMessage({ type: 'cors-lens/status' }).then((answer: unknown) => {
  box.checked = (answer as { captureAll?: boolean } | undefined)?.captureAll === true;
});
box.addEventListener('change', () => {
  void browser.runtime.sendMessage({ type: 'cors-lens/capture', scope: 'all', on: box.checked }).then(() => {
    statusLine.textContent = box.checked ? 'Recording every tab until the browser closes.' : 'Recording only tabs with DevTools open.';
  });
});
