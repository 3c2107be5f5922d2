import type { ToPanelMessage } from '../shared/protocol';

/** Connected DevTools pages and panels, by inspected tab. */
export class Ports {
  private byTab = new Map<number, Set<chrome.runtime.Port>>();

  add(tabId: number, port: chrome.runtime.Port): void {
    let set = this.byTab.get(tabId);
    if (!set) {
      set = new Set();
      this.byTab.set(tabId, set);
    }
    set.add(port);
  }

  remove(tabId: number, port: chrome.runtime.Port): void {
    const set = this.byTab.get(tabId);
    if (!set) return;
    set.delete(port);
    if (set.size === 0) this.byTab.delete(tabId);
  }

  tabs(): number[] {
    return [...this.byTab.keys()];
  }

  has(tabId: number): boolean {
    return this.byTab.has(tabId);
  }

  send(tabId: number, msg: ToPanelMessage): void {
    for (const port of this.byTab.get(tabId) ?? []) post(port, msg);
  }
}

export function post(port: chrome.runtime.Port, msg: ToPanelMessage): void {
  try {
    port.postMessage(msg);
  } catch {
    // The other side went away between our check and the post: onDisconnect cleans up.
  }
}
