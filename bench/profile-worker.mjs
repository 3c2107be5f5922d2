// Probe (not part of `npm run bench`): CPU profile of CORS Lens's service worker while the stress page
// loads with DevTools open, to see where the worker's own time goes. Attaches only to the worker.
// usage: node bench/profile-worker.mjs [out.cpuprofile]   (prints where the busy time went; the storage
// counters wrap storage.session.set, so the wrapper's own `s.set` line is the probe's cost, not CORS Lens's)
import { writeFileSync } from 'node:fs';
import { buildExtension } from './lib/build.mjs';
import { launchBrowser, sleep, waitFor, workerEval, extensionWorker } from './lib/browser.mjs';
import { tabIdOf } from './pageload.mjs';
import { startLab } from '../lab/server.mjs';
import { summarize, formatSummary } from './lib/cpuprofile.mjs';

const outFile = process.argv[2] ?? 'worker.cpuprofile';
const lens = buildExtension();
const lab = await startLab();
const browser = await launchBrowser({ extension: lens, devtools: true });
try {
  const { cdp } = browser;
  const runS = 'prof-s';
  const stressUrl = lab.perf.pageUrl('stress', { run: runS, key: `${runS}-result` });
  await cdp.send('Target.createTarget', { url: lab.perf.launcherUrl(`${runS}-gate`, stressUrl) });
  await sleep(Math.max(0, 1500 - (Date.now() - browser.startedAt)));
  await tabIdOf(cdp, `key=${runS}-gate`);
  await waitFor(() => workerEval(cdp, 'chrome.webRequest.onSendHeaders.hasListeners()'), 'CORS Lens listening');
  await sleep(2500);
  const w = await extensionWorker(cdp);
  // How many storage calls the worker makes, and how many bytes they carry.
  await workerEval(cdp, `(() => { const s = chrome.storage.session; self.__calls = { set: 0, remove: 0, bytes: 0 };
    const set = s.set.bind(s), remove = s.remove.bind(s);
    s.set = (items) => { self.__calls.set++; for (const [k, v] of Object.entries(items)) { const n = typeof v === "string" ? v.length : JSON.stringify(v).length; self.__calls.bytes += n; const p = k.split(":")[0]; self.__calls[p] = (self.__calls[p] ?? 0) + n; self.__calls[p + "#"] = (self.__calls[p + "#"] ?? 0) + 1; } return set(items); };
    s.remove = (k) => { self.__calls.remove++; return remove(k); }; return true; })()`);
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: w.targetId, flatten: true });
  await cdp.send('Profiler.enable', {}, sessionId);
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 }, sessionId);
  await cdp.send('Profiler.start', {}, sessionId);
  lab.perf.release(`${runS}-gate`);
  const result = await lab.perf.result(`${runS}-result`, 120_000);
  await sleep(1500);
  const { profile } = await cdp.send('Profiler.stop', {}, sessionId);
  console.log('storage calls during the page:', JSON.stringify(await workerEval(cdp, 'self.__calls')));
  writeFileSync(outFile, JSON.stringify(profile));
  console.log(formatSummary(summarize(profile)));
  console.log(`stress page ${result.ms.toFixed(0)} ms, ok ${result.ok}, failed ${result.failed}; profile -> ${outFile}`);
} finally {
  await browser.close();
  await lab.close();
}
