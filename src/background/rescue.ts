import { rescueAction, rescuePatterns, type PausedRequest, type RescuePlan } from '../fix/rescue';

/**
 * Rescue mode's adapter: chrome.debugger attached to exactly the tabs that have a rescue
 * override, the Fetch domain paused for their target origins only, each paused request
 * answered by src/fix/rescue.ts. While attached, Chrome's own verdict for the tab's requests
 * (Network.loadingFailed.corsErrorStatus) is recorded to show beside CORS Lens's.
 * Chrome shows its "is debugging this browser" bar meanwhile: an override is never on silently.
 */
const PROTOCOL = '1.3';
const MAX_VERDICTS = 200;
/** Redirect chains followed at once per browser (a bound: the oldest is forgotten first). */
const MAX_FOLLOWED = 500;

/** Chrome's own verdict for one request of an attached tab. */
export interface ChromeVerdictRecord {
  url: string;
  method: string;
  /** null: Chrome reported no CORS error (the request was allowed or failed otherwise). */
  corsError: string | null;
  failedParameter: string | null;
  errorText: string | null;
}

interface RequestPaused {
  requestId: string;
  /** The Network domain's id: kept by Chrome across the redirects of one request. */
  networkId?: string;
  request: { url: string; method: string; headers: Record<string, string> };
  responseStatusCode?: number;
  responseHeaders?: Array<{ name: string; value: string }>;
  responseErrorReason?: string;
}

/**
 * Whether chrome.debugger is there: the Chrome build holds the permission from installation (Chrome
 * refuses it as optional); Firefox has no such API. It is called as chrome.*, not through the
 * polyfill's `browser`: Chrome only, and the polyfill has no debugger namespace.
 */
export function debuggerAvailable(): boolean {
  return typeof chrome !== 'undefined' && chrome.debugger !== undefined && typeof chrome.debugger.attach === 'function';
}

export class Rescue {
  /** Tabs we attached to, with the plans their patterns were made from. */
  private tabs = new Map<number, RescuePlan[]>();
  private verdicts = new Map<number, ChromeVerdictRecord[]>();
  private pending = new Map<string, { url: string; method: string }>();
  /** `tab:networkId` of the redirected requests a plan follows along their chain. */
  private followed = new Map<string, RescuePlan>();
  private listening = false;
  /** Called when Chrome detached a tab for a reason of its own (tab closed, user cancelled the bar). */
  onDetached: (tabId: number, reason: string) => void = () => {};

  /** Registers the debugger listeners (at the worker's top level, so a paused request wakes a stopped worker). */
  listen(): void {
    if (this.listening || !debuggerAvailable()) return;
    this.listening = true;
    chrome.debugger.onEvent.addListener((source, method, params) => {
      if (source.tabId === undefined) return;
      this.event(source.tabId, method, params as Record<string, unknown>);
    });
    chrome.debugger.onDetach.addListener((source, reason) => {
      if (source.tabId === undefined || !this.tabs.has(source.tabId)) return;
      this.tabs.delete(source.tabId);
      this.onDetached(source.tabId, String(reason));
    });
  }

  attachedTabs(): number[] {
    return [...this.tabs.keys()];
  }

  /** Chrome's verdicts recorded for a tab while attached (oldest first). */
  chromeVerdicts(tabId: number): ChromeVerdictRecord[] {
    return this.verdicts.get(tabId) ?? [];
  }

  /**
   * Make the attachments match `wanted` (tab -> its rescue plans): attach and enable, update
   * patterns, detach tabs with none left. Answers the tabs that could not be attached.
   */
  async sync(wanted: Map<number, RescuePlan[]>): Promise<Map<number, string>> {
    const failed = new Map<number, string>();
    for (const tabId of [...this.tabs.keys()]) if (!wanted.has(tabId)) await this.detach(tabId);
    if (wanted.size === 0) return failed;
    if (!debuggerAvailable()) {
      for (const t of wanted.keys()) failed.set(t, 'the debugger permission is not granted');
      return failed;
    }
    this.listen();
    for (const [tabId, plans] of wanted) {
      try {
        this.tabs.set(tabId, plans);
        const enable = () => chrome.debugger.sendCommand({ tabId }, 'Fetch.enable', { patterns: rescuePatterns(plans) });
        // The attachment belongs to the extension, not to one worker: after a restart it may still be
        // ours (getTargets() cannot tell: it counts any client). Enabling tells; else attach first.
        await enable().catch(async () => {
          await chrome.debugger.attach({ tabId }, PROTOCOL);
          await enable();
        });
        await chrome.debugger.sendCommand({ tabId }, 'Network.enable', {});
      } catch (e) {
        this.tabs.delete(tabId);
        failed.set(tabId, e instanceof Error ? e.message : String(e));
        await chrome.debugger.detach({ tabId }).catch(() => {});
      }
    }
    return failed;
  }

  private async detach(tabId: number): Promise<void> {
    this.tabs.delete(tabId);
    this.verdicts.delete(tabId);
    for (const k of [...this.followed.keys()]) if (k.startsWith(`${tabId}:`)) this.followed.delete(k);
    if (!debuggerAvailable()) return;
    await chrome.debugger.detach({ tabId }).catch(() => {
      // Already gone (the tab closed, or Chrome detached it).
    });
  }

  private event(tabId: number, method: string, params: Record<string, unknown>): void {
    if (method === 'Fetch.requestPaused') void this.paused(tabId, params as unknown as RequestPaused);
    else if (method === 'Network.requestWillBeSent') {
      const p = params as { requestId: string; request: { url: string; method: string }; initiator?: { type?: string } };
      if (p.initiator?.type !== 'preflight') this.pending.set(`${tabId}:${p.requestId}`, { url: p.request.url, method: p.request.method });
    } else if (method === 'Network.loadingFinished' || method === 'Network.loadingFailed') {
      const p = params as { requestId: string; errorText?: string; corsErrorStatus?: { corsError: string; failedParameter: string } };
      const key = `${tabId}:${p.requestId}`;
      const req = this.pending.get(key);
      if (!req) return;
      this.pending.delete(key);
      const list = this.verdicts.get(tabId) ?? [];
      list.push({ ...req, corsError: p.corsErrorStatus?.corsError ?? null, failedParameter: p.corsErrorStatus?.failedParameter || null, errorText: p.errorText ?? null });
      if (list.length > MAX_VERDICTS) list.splice(0, list.length - MAX_VERDICTS);
      this.verdicts.set(tabId, list);
    }
  }

  private async paused(tabId: number, e: RequestPaused): Promise<void> {
    const target = { tabId };
    const req: PausedRequest = {
      url: e.request.url,
      method: e.request.method,
      headers: e.request.headers,
      responseStatusCode: e.responseStatusCode,
      responseHeaders: e.responseHeaders,
      responseErrorReason: e.responseErrorReason,
      ...(e.networkId !== undefined ? { networkId: e.networkId } : {}),
    };
    const key = `${tabId}:${e.networkId ?? ''}`;
    const followed = e.networkId !== undefined ? this.followed.get(key) : undefined;
    const action = rescueAction(this.tabs.get(tabId) ?? [], req, followed);
    if (action.kind !== 'answer-preflight' && action.follow && e.networkId !== undefined) {
      this.followed.delete(key);
      this.followed.set(key, action.follow);
      if (this.followed.size > MAX_FOLLOWED) this.followed.delete(this.followed.keys().next().value as string);
    }
    try {
      if (action.kind === 'answer-preflight') {
        await chrome.debugger.sendCommand(target, 'Fetch.fulfillRequest', { requestId: e.requestId, responseCode: action.status, responseHeaders: action.headers });
      } else if (action.kind === 'add-headers') {
        await chrome.debugger.sendCommand(target, 'Fetch.continueResponse', { requestId: e.requestId, responseCode: e.responseStatusCode, responseHeaders: action.headers });
      } else {
        await chrome.debugger.sendCommand(target, 'Fetch.continueRequest', { requestId: e.requestId });
      }
    } catch (err) {
      // Never leave a request hanging: continue it as the server sent it.
      console.warn('CORS Lens: rescue could not answer a paused request', err);
      await chrome.debugger.sendCommand(target, 'Fetch.continueRequest', { requestId: e.requestId }).catch(() => {});
    }
  }
}
