import type { CDPSession } from 'playwright-core';
import { waitFor, type Launched } from './browser';

/**
 * Driving the CORS panel inside the real DevTools: DevTools is opened by
 * --auto-open-devtools-for-tabs, its CORS panel is shown through DevTools' own InspectorView, and
 * the panel's iframe and the DevTools page are reached through the browser's CDP session
 * (Target.sendMessageToTarget): playwright does not list DevTools' own targets as pages.
 */

/** A target (DevTools page, panel iframe) reached through the browser session. */
export interface Remote {
  targetId: string;
  send<T = unknown>(method: string, params?: object): Promise<T>;
  eval<T>(expression: string): Promise<T>;
}

export async function attach(browser: CDPSession, targetId: string): Promise<Remote> {
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

export interface RealPanel {
  browser: CDPSession;
  /** The DevTools window's page. */
  devtools: Remote;
  /** The CORS panel's iframe inside it. */
  panel: Remote;
  /** Runs an async function body inside the panel. */
  inPanel<T>(body: string): Promise<T>;
}

/** Show the CORS panel in every DevTools window, then find the one whose iframe is for `tabId`. */
export async function openRealPanel(l: Launched, tabId: number): Promise<RealPanel> {
  const browser = await l.context.browser()!.newBrowserCDPSession();
  const targets = async () => (await browser.send('Target.getTargets')).targetInfos;
  const panelUrl = `chrome-extension://${l.extensionId}/src/panel/panel.html?tabId=${tabId}`;
  const found = await waitFor(async () => {
    for (const t of (await targets()).filter((x) => x.type === 'page' && x.url.startsWith('devtools://'))) {
      const d = await attach(browser, t.targetId);
      // DevTools' own module system: the same call the CORS tab's click makes.
      await d.eval(`import('./ui/legacy/legacy.js').then((UI) => UI.InspectorView.InspectorView.instance().showPanel('chrome-extension://${l.extensionId}CORS')).then(() => true)`);
    }
    const frame = (await targets()).find((x) => x.type === 'iframe' && x.url === panelUrl);
    return frame ? { frame, parent: frame.parentId ?? '' } : null;
  }, 'the CORS panel iframe in DevTools', 20_000);
  const panel = await attach(browser, found.frame.targetId);
  const devtools = await attach(browser, found.parent);
  return { browser, devtools, panel, inPanel: <T>(body: string) => panel.eval<T>(`(async () => { ${body} })()`) };
}

/** Size the DevTools window as a user's would be (its page, and so the panel, follow). */
export async function sizeDevtools(p: RealPanel, width: number, height: number): Promise<void> {
  // The DevTools page's own viewport: in headless Chromium the window bounds do not resize it.
  await p.devtools.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
  await waitFor(async () => (await p.devtools.eval<number>('window.innerWidth')) === width, `DevTools ${width}px wide`);
}

/**
 * Switch DevTools' own theme setting ('default' | 'dark'), as its Settings > Appearance does.
 * The extension learns of it only through chrome.devtools.panels.setThemeChangeHandler.
 */
export async function setDevtoolsTheme(p: RealPanel, theme: 'default' | 'dark'): Promise<void> {
  await p.devtools.eval(
    `import('./core/common/common.js').then((C) => { C.Settings.Settings.instance().moduleSetting('ui-theme').set(${JSON.stringify(theme)}); return true; })`,
  );
}

export async function screenshot(p: RealPanel): Promise<Buffer> {
  const shot = await p.devtools.send<{ data: string }>('Page.captureScreenshot', { format: 'png' });
  return Buffer.from(shot.data, 'base64');
}

/** Undock DevTools into a window of its own, so that its page (and the panel) is the whole window. */
export async function undockDevtools(p: RealPanel): Promise<void> {
  await p.devtools.eval(`import('./ui/legacy/legacy.js').then((UI) => { UI.DockController.DockController.instance().setDockSide('undocked'); return true; })`);
}
