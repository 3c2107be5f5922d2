import type { CDPSession } from 'playwright-core';
import { waitFor, type Launched } from './browser';

/**
 * The CORS panel where users see it: inside DevTools (opened by --auto-open-devtools-for-tabs),
 * shown through DevTools' own InspectorView, its iframe driven over the DevTools Protocol
 * (Target.sendMessageToTarget on the browser session). The same steps as tests/e2e/panel.test.ts.
 */
export interface Remote {
  targetId: string;
  send<T = unknown>(method: string, params?: object): Promise<T>;
  eval<T>(expression: string): Promise<T>;
}

async function attach(browser: CDPSession, targetId: string): Promise<Remote> {
  const { sessionId } = await browser.send('Target.attachToTarget', { targetId, flatten: false });
  let seq = 0;
  const pending = new Map<number, (m: { result?: unknown; error?: { message: string } }) => void>();
  browser.on('Target.receivedMessageFromTarget', (e) => {
    if (e.sessionId !== sessionId) return;
    const m = JSON.parse(e.message) as { id?: number; result?: unknown; error?: { message: string } };
    if (m.id !== undefined) pending.get(m.id)?.(m);
  });
  const remote: Remote = {
    targetId,
    send: (method, params = {}) =>
      new Promise((resolve, reject) => {
        const id = ++seq;
        pending.set(id, (m) => (pending.delete(id), m.error ? reject(new Error(`${method}: ${m.error.message}`)) : resolve(m.result as never)));
        void browser.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
      }),
    async eval<T>(expression: string) {
      const r = await remote.send<{ result: { value: T }; exceptionDetails?: { exception?: { description?: string }; text: string } }>('Runtime.evaluate', {
        expression,
        awaitPromise: true,
        returnByValue: true,
      });
      if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
      return r.result.value;
    },
  };
  return remote;
}

/** Shows the CORS panel in every DevTools window, then attaches to the one whose iframe is for `tabId`. */
export async function openDevtoolsPanel(l: Launched, tabId: number): Promise<{ panel: Remote; devtools: Remote }> {
  const browserSession = await l.context.browser()!.newBrowserCDPSession();
  const targets = async () => (await browserSession.send('Target.getTargets')).targetInfos;
  const panelUrl = `chrome-extension://${l.extensionId}/src/panel/panel.html?tabId=${tabId}`;
  const found = await waitFor(async () => {
    for (const t of (await targets()).filter((x) => x.type === 'page' && x.url.startsWith('devtools://'))) {
      const d = await attach(browserSession, t.targetId);
      await d.eval(`import('./ui/legacy/legacy.js').then((UI) => UI.InspectorView.InspectorView.instance().showPanel('chrome-extension://${l.extensionId}CORS')).then(() => true)`);
    }
    const frame = (await targets()).find((x) => x.type === 'iframe' && x.url === panelUrl);
    return frame ? { frame, parent: frame.parentId ?? '' } : null;
  }, 'the CORS panel iframe in DevTools', 20_000);
  return { panel: await attach(browserSession, found.frame.targetId), devtools: await attach(browserSession, found.parent) };
}
