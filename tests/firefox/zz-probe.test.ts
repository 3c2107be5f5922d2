import { launchFirefox } from './bidi';
import { startLab } from '../../lab/server.mjs';
import { writeFileSync } from 'node:fs';
import { it } from 'vitest';
it('probe', async () => {
  const t0 = Date.now();
  const lab = await startLab();
  const ff = await launchFirefox();
  console.log('launched', Date.now() - t0);
  await ff.evaluate(ff.automation, `(() => { const ev = []; window.__ev = ev; const pick = (kind) => (d) => { ev.push({ kind, requestId: d.requestId, tabId: d.tabId, frameId: d.frameId, documentId: d.documentId, originUrl: d.originUrl, documentUrl: d.documentUrl, url: d.url, method: d.method, type: d.type, timeStamp: d.timeStamp, statusCode: d.statusCode, error: d.error, headers: (d.requestHeaders ?? d.responseHeaders ?? []).map((h) => [h.name.toLowerCase(), h.value ?? '']) }); };
    const f = { urls: ['<all_urls>'], types: ['xmlhttprequest'] };
    chrome.webRequest.onSendHeaders.addListener(pick('send'), f, ['requestHeaders']);
    chrome.webRequest.onHeadersReceived.addListener(pick('headers'), f, ['responseHeaders']);
    chrome.webRequest.onErrorOccurred.addListener(pick('error'), f);
    chrome.webRequest.onCompleted.addListener(pick('completed'), f, ['responseHeaders']);
    return true; })()`);
  const page = await ff.newTab(`${lab.originA}/`);
  const tabId = await ff.tabIdOf(lab.originA);
  await ff.request('cors-lens/capture', { scope: 'all', on: true } as never);
  await ff.evaluate(page, `window.corsLab.ready`);
  for (const id of ['seed-gin-simple-get', 'seed-gin-custom-header', 'rule-missing-allow-origin', 'rule-header-disallowed', 'rule-preflight-invalid-status', 'control-connection-refused', 'control-parallel-one-disallowed', 'cache-max-age']) {
    const n = ff.events.length;
    const r = await ff.evaluate(page, `window.corsLab.run(${JSON.stringify(id)}, {})`);
    await new Promise((r) => setTimeout(r, 300));
    console.log(id, JSON.stringify(r).slice(0, 200));
    console.log(ff.events.slice(n).map((e) => `${e.method} ${JSON.stringify(e.method === 'log.entryAdded' ? (e.params as any).text : [(e.params as any).request?.request, (e.params as any).request?.method, (e.params as any).request?.url, (e.params as any).errorText, (e.params as any).response?.status, (e.params as any).redirectCount])}`).join('\n'));
  }
  const trace = await ff.evaluate(ff.automation, `window.__ev`);
  writeFileSync('/tmp/fftrace.json', JSON.stringify(trace, null, 1));
  const rep: any = await ff.request('cors-lens/export', { tabId } as never);
  writeFileSync('/tmp/ffexport.json', JSON.stringify(rep, null, 1));
  console.log(rep.exchanges?.map((e: any) => [e.id, e.url.replace(/.*s=/, ''), e.method, e.preflight?.observed, e.verdict, e.error, e.findings.map((f: any) => f.id + ':' + f.firefoxReason)].join(' ')).join('\n'));
  await ff.close(); await lab.close();
  console.log('total', Date.now() - t0);
});
