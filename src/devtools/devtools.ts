import { browser } from '../shared/browser';
import { portName } from '../shared/protocol';
import type { ToWorkerMessage } from '../shared/protocol';

/**
 * The DevTools page: creates the CORS panel and, while DevTools is open on a tab,
 * holds the port that tells the worker to record that tab. The heartbeat keeps the
 * worker from being stopped mid-capture; a lost port (worker stopped anyway) is
 * reconnected at once, which restarts the worker.
 */
const tabId = browser.devtools.inspectedWindow.tabId;
const HEARTBEAT_MS = 20_000;

void browser.devtools.panels.create('CORS', 'icons/icon-16.png', `src/panel/panel.html?tabId=${tabId}`);

function connect(): void {
  const port = browser.runtime.connect({ name: portName('devtools', tabId) });
  const beat = setInterval(() => {
    const msg: ToWorkerMessage = { type: 'heartbeat' };
    try {
      port.postMessage(msg);
    } catch {
      // disconnected: onDisconnect reconnects
    }
  }, HEARTBEAT_MS);
  port.onDisconnect.addListener(() => {
    clearInterval(beat);
    setTimeout(connect, 50);
  });
}
connect();
