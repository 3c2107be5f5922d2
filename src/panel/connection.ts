import type { Runtime } from 'webextension-polyfill';
import { pageBrowser } from '../shared/page-browser';
import { portName, type ToPanelMessage, type ToWorkerMessage } from '../shared/protocol';

export interface PanelConnection {
  send(msg: ToWorkerMessage): void;
  close(): void;
}

/** A port to the worker for one tab, reconnected whenever the worker restarts; each connect brings a fresh snapshot. */
export function connectPanel(tabId: number, onMessage: (m: ToPanelMessage) => void): PanelConnection {
  let port: Runtime.Port | null = null;
  let closed = false;
  const open = () => {
    const api = pageBrowser();
    if (!api) return;
    port = api.runtime.connect({ name: portName('panel', tabId) });
    port.onMessage.addListener((m: unknown) => onMessage(m as ToPanelMessage));
    port.onDisconnect.addListener(() => {
      port = null;
      if (!closed) setTimeout(open, 50);
    });
  };
  open();
  return {
    send(msg) {
      try {
        port?.postMessage(msg);
      } catch {
        // reconnecting
      }
    },
    close() {
      closed = true;
      port?.disconnect();
    },
  };
}
