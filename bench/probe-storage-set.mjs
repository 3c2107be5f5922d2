// Probe (not part of `npm run bench`): what one storage.session.set costs the worker, by what it
// carries. In CORS Lens's worker (DevTools closed, nothing captured), 400 sequential writes per case,
// timing only the call itself (the worker's own part; the answer comes later from the browser).
// usage: node bench/probe-storage-set.mjs
import { buildExtension } from './lib/build.mjs';
import { launchBrowser, sleep, workerEval } from './lib/browser.mjs';

const browser = await launchBrowser({ extension: buildExtension() });
try {
  await browser.cdp.send('Target.createTarget', { url: 'about:blank' });
  await sleep(2000);
  const out = await workerEval(browser.cdp, `(async () => {
    const cases = [['100 B, 1 key', 100, 1, 'promise'], ['700 B, 1 key', 700, 1, 'promise'], ['2,000 B, 1 key', 2000, 1, 'promise'],
      ['5,000 B, 1 key', 5000, 1, 'promise'], ['700 B x 3 keys', 700, 3, 'promise'], ['700 B, callback form', 700, 1, 'callback'],
      ['700 B, storage.local', 700, 1, 'local'], ['100 B, 1 key, again', 100, 1, 'promise']];
    const out = {};
    for (const [label, size, keys, form] of cases) {
      let sync = 0;
      for (let i = 0; i < 400; i++) {
        const set = {};
        for (let k = 0; k < keys; k++) set['probe:' + (i % 50) + ':' + k] = String(i).padEnd(size, 'z');
        const t = performance.now();
        const p = form === 'callback' ? new Promise((r) => chrome.storage.session.set(set, r)) : (form === 'local' ? chrome.storage.local : chrome.storage.session).set(set);
        sync += performance.now() - t;
        await p;
      }
      out[label] = +((1000 * sync) / 400).toFixed(1);
    }
    await chrome.storage.session.clear();
    await chrome.storage.local.clear();
    return out;
  })()`, 120_000, 120_000);
  console.log('µs of the worker per storage.set call:');
  for (const [k, v] of Object.entries(out)) console.log(`  ${k.padEnd(24)} ${v}`);
} finally {
  await browser.close();
}
