import type { Runtime } from 'webextension-polyfill';
import type { PortRole, ToPanelMessage } from '../shared/protocol';

/** Connected DevTools pages and panels, by inspected tab. */
export class Ports {
  private byTab = new Map<number, Set<Runtime.Port>>();
  /** Panels show sessions; a DevTools page only keeps its tab recorded and needs no updates. */
  private panels = new Set<Runtime.Port>();

  add(tabId: number, port: Runtime.Port, role: PortRole): void {
    if (role === 'panel') this.panels.add(port);
    let set = this.byTab.get(tabId);
    if (!set) {
      set = new Set();
      this.byTab.set(tabId, set);
    }
    set.add(port);
  }

  remove(tabId: number, port: Runtime.Port): void {
    this.panels.delete(port);
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

  hasPanel(tabId: number): boolean {
    for (const port of this.byTab.get(tabId) ?? []) if (this.panels.has(port)) return true;
    return false;
  }

  /** To the panels of a tab. */
  send(tabId: number, msg: ToPanelMessage): void {
    for (const port of this.byTab.get(tabId) ?? []) if (this.panels.has(port)) post(port, msg);
  }
}

export function post(port: Runtime.Port, msg: ToPanelMessage): void {
  try {
    port.postMessage(msg);
  } catch {
    // The other side went away between our check and the post: onDisconnect cleans up.
  }
}
