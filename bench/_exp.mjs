import { launchBrowser, extensionWorker, sleep, waitFor } from './lib/browser.mjs';
import { startLab } from '../lab/server.mjs';
const lab = await startLab();
for (const devtools of [true, false]) {
const t0 = Date.now();
const b = await launchBrowser({ extension: '/tmp/cors-lens-bench/ext', devtools });
const w = await extensionWorker(b.cdp);
const run = 'r' + Date.now();
const stressUrl = lab.perf.pageUrl('stress', { run, key: run + 's' });
const realUrl = lab.perf.pageUrl('realistic', { run, key: run + 'r', then: lab.perf.launcherUrl(run + 'g2', stressUrl) });
const { targetId } = await b.cdp.send('Target.createTarget', { url: lab.perf.launcherUrl(run + 'g1', realUrl) });
const tabId = await waitFor(() => b.cdp.evalIn(w.targetId, `(async()=>(await chrome.tabs.query({})).find(t=>(t.url||'').includes('key=${run}g1'))?.id)()`), 'tab');
console.log('tab', tabId, Date.now() - t0);
if (devtools) await waitFor(() => b.cdp.evalIn(w.targetId, `chrome.webRequest.onSendHeaders.hasListeners()`), 'listeners');
console.log('listening', Date.now() - t0);
lab.perf.release(run + 'g1');
console.log('realistic', await lab.perf.result(run + 'r', 30000), Date.now() - t0);
await sleep(300);
lab.perf.release(run + 'g2');
console.log('stress', await lab.perf.result(run + 's', 60000), Date.now() - t0);
const seen = lab.log.filter(e => new URLSearchParams(e.query).get('run') === run).length;
console.log('seen', seen);
await b.close();
}
await lab.close();
