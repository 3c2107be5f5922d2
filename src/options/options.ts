export {};
/** The options page: the "capture all tabs" switch, through the same message automation uses. */
const box = document.getElementById('captureAll') as HTMLInputElement;
const statusLine = document.getElementById('status')!;

void chrome.runtime.sendMessage({ type: 'cors-lens/status' }).then((s: { captureAll?: boolean }) => {
  box.checked = s?.captureAll === true;
});
box.addEventListener('change', () => {
  void chrome.runtime.sendMessage({ type: 'cors-lens/capture', scope: 'all', on: box.checked }).then(() => {
    statusLine.textContent = box.checked ? 'Recording every tab until the browser closes.' : 'Recording only tabs with DevTools open.';
  });
});
