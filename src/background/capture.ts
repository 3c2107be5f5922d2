import { completedEvent, errorEvent, headersEvent, sendEvent } from './events';
import type { CaptureEvent } from '../traffic/events';

/**
 * Registers the fewest webRequest listeners that give the engine what it needs,
 * and none at all while nothing is recorded: registered listeners slow every tab,
 * whatever their filter (DESIGN.md §6).
 *
 * Three events suffice (the traces show it): onSendHeaders (the request as sent,
 * which also reveals each preflight), onHeadersReceived (the server's response,
 * the only response event a request failing its CORS check gets) and
 * onErrorOccurred (a request its preflight stopped gets nothing else). onCompleted
 * is added only while an override may rewrite headers, to see the final ones.
 * `extraHeaders` is needed on the first two: without it Chrome hides preflights.
 */
export interface CaptureScope {
  /** null: every tab */
  tabs: number[] | null;
  types: chrome.webRequest.ResourceType[];
  /** Listen to onCompleted too, to see headers after an override. */
  finalHeaders: boolean;
}

type Listeners = {
  send: (d: chrome.webRequest.OnSendHeadersDetails) => void;
  headers: (d: chrome.webRequest.OnHeadersReceivedDetails) => undefined;
  error: (d: chrome.webRequest.OnErrorOccurredDetails) => void;
  completed: ((d: chrome.webRequest.OnCompletedDetails) => void) | null;
};

export class Capture {
  private registered = new Map<string, Listeners>();
  constructor(private readonly sink: (ev: CaptureEvent) => void) {}

  /** Make the registered listeners match the scope: one set per tab (a filter holds one tabId), or one unfiltered set. */
  apply(scope: CaptureScope): void {
    const signature = `${scope.types.join(',')}|${scope.finalHeaders}`;
    const wanted = new Map<string, { tabId?: number }>();
    if (scope.tabs === null) wanted.set(`all|${signature}`, {});
    else for (const t of scope.tabs) wanted.set(`tab:${t}|${signature}`, { tabId: t });
    for (const [key, l] of [...this.registered]) if (!wanted.has(key)) this.remove(key, l);
    for (const [key, f] of wanted) {
      if (!this.registered.has(key)) this.add(key, { urls: ['<all_urls>'], types: scope.types, ...f }, scope.finalHeaders);
    }
  }

  private add(key: string, filter: chrome.webRequest.RequestFilter, finalHeaders: boolean): void {
    const safe = <D>(make: (d: D) => CaptureEvent) => (d: D) => {
      // A listener must never throw into the browser's event dispatch.
      try {
        this.sink(make(d));
      } catch (e) {
        console.warn('CORS Lens: event skipped', e);
      }
    };
    const sendFn = safe(sendEvent);
    const headersFn = safe(headersEvent);
    const l: Listeners = {
      send: sendFn,
      headers: (d) => {
        headersFn(d);
        return undefined;
      },
      error: safe(errorEvent),
      completed: finalHeaders ? safe(completedEvent) : null,
    };
    chrome.webRequest.onSendHeaders.addListener(l.send, filter, ['requestHeaders', 'extraHeaders']);
    chrome.webRequest.onHeadersReceived.addListener(l.headers, filter, ['responseHeaders', 'extraHeaders']);
    chrome.webRequest.onErrorOccurred.addListener(l.error, filter);
    if (l.completed) chrome.webRequest.onCompleted.addListener(l.completed, filter, ['responseHeaders', 'extraHeaders']);
    this.registered.set(key, l);
  }

  private remove(key: string, l: Listeners): void {
    chrome.webRequest.onSendHeaders.removeListener(l.send);
    chrome.webRequest.onHeadersReceived.removeListener(l.headers);
    chrome.webRequest.onErrorOccurred.removeListener(l.error);
    if (l.completed) chrome.webRequest.onCompleted.removeListener(l.completed);
    this.registered.delete(key);
  }

  /** What the browser reports, not what we think we registered. */
  listening(): boolean {
    return (
      chrome.webRequest.onSendHeaders.hasListeners() ||
      chrome.webRequest.onHeadersReceived.hasListeners() ||
      chrome.webRequest.onErrorOccurred.hasListeners() ||
      chrome.webRequest.onCompleted.hasListeners()
    );
  }
}
