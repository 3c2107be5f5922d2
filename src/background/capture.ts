import { completedEvent, errorEvent, headersEvent, sendEvent } from './events';
import type { CaptureEvent } from '../traffic/events';
import { HAS_EXTRA_HEADERS } from './browser-flavour';
import { browser } from '../shared/browser';

/**
 * webRequest through the polyfill's `browser`, typed as Chrome's: Firefox's schema (which the polyfill's
 * types follow) lacks Chrome's `extraHeaders`, which this code asks for only where it exists.
 */
const webRequest = browser.webRequest as unknown as typeof chrome.webRequest;

/**
 * Registers the fewest webRequest listeners that give the engine what it needs,
 * and none at all while nothing is recorded: registered listeners slow every tab,
 * whatever their filter (docs/platform.md).
 *
 * Three events suffice (the traces show it): onSendHeaders (the request as sent,
 * which also reveals each preflight), onHeadersReceived (the server's response,
 * the only response event a request failing its CORS check gets) and
 * onErrorOccurred (a request its preflight stopped gets nothing else). onCompleted
 * is added only while an override may rewrite headers, to see the final ones.
 * `extraHeaders` goes on onSendHeaders only: one listener asking for it is what makes Chrome
 * show preflights (and Origin, Cookie) at all; on onHeadersReceived it would only add Set-Cookie,
 * which no rule reads, for about a quarter more cost per event (docs/platform.md). The end-to-end
 * oracle (every lab scenario against Chrome's own verdict) holds with this set.
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

/** Key of the listener set registered at start-up, before the scope is known. */
const EARLY = 'early';
/** Start-up takes tens of milliseconds; a bound all the same, should storage hang. */
const EARLY_MAX = 5_000;
/** How long the start-up set outlives the first `apply`: events the browser dispatched to it alone are still on their way. */
const EARLY_LINGER_MS = 250;

export class Capture {
  private registered = new Map<string, Listeners>();
  /**
   * Events delivered before the first `apply`, held until the scope is known. Chrome wakes a stopped
   * worker for a webRequest event and dispatches it right after the script's first run: a listener
   * added later (once storage said what to record) misses it and every event until then (measured:
   * 2-4 requests per restart at one request per 20 ms). So the constructor, called at the worker's
   * top level, registers one unfiltered set at once; the first `apply` replays what is in scope,
   * registers the scoped sets, and retires the start-up set a moment later (events the browser sent
   * it before it knew of the scoped sets are still arriving; `recent` drops the doubles meanwhile).
   */
  private early: CaptureEvent[] | null = [];
  private recent: Set<string> | null = null;
  private inScope: (ev: CaptureEvent) => boolean = () => false;

  constructor(private readonly sink: (ev: CaptureEvent) => void) {
    this.add(EARLY, { urls: ['<all_urls>'] }, false);
  }

  /** Every listener's events come here. */
  private deliver(ev: CaptureEvent): void {
    if (this.early) {
      if (this.early.length < EARLY_MAX) this.early.push(ev);
      return;
    }
    if (this.recent) {
      // The start-up set and the scoped sets overlap: an event may come from both.
      if (!this.inScope(ev)) return;
      const key = `${ev.kind}|${ev.requestId}|${ev.timeStamp}|${ev.url}`;
      if (this.recent.has(key)) return;
      this.recent.add(key);
    }
    this.sink(ev);
  }

  /** Make the registered listeners match the scope: one set per tab (a filter holds one tabId), or one unfiltered set. */
  apply(scope: CaptureScope): void {
    const types = new Set<string>(scope.types);
    const tabs = scope.tabs === null ? null : new Set(scope.tabs);
    this.inScope = (ev) => types.has(ev.type) && (tabs === null || tabs.has(ev.tabId));
    const signature = `${scope.types.join(',')}|${scope.finalHeaders}`;
    const wanted = new Map<string, { tabId?: number }>();
    if (scope.tabs === null) wanted.set(`all|${signature}`, {});
    else for (const t of scope.tabs) wanted.set(`tab:${t}|${signature}`, { tabId: t });
    // New sets first, then the old ones go: the browser never has fewer listeners than needed.
    for (const [key, f] of wanted) {
      if (!this.registered.has(key)) this.add(key, { urls: ['<all_urls>'], types: scope.types, ...f }, scope.finalHeaders);
    }
    for (const [key, l] of [...this.registered]) if (key !== EARLY && !wanted.has(key)) this.remove(key, l);
    if (this.early) {
      const held = this.early;
      this.early = null;
      this.recent = new Set();
      for (const ev of held) {
        try {
          this.deliver(ev);
        } catch (e) {
          console.warn('CORS Lens: event skipped', e);
        }
      }
      const retire = () => {
        const early = this.registered.get(EARLY);
        if (early) this.remove(EARLY, early);
        this.recent = null;
      };
      // Nothing to record (no tab inspected): nothing to miss either, and no listener may stay.
      if (scope.tabs !== null && scope.tabs.length === 0) retire();
      else setTimeout(retire, EARLY_LINGER_MS);
    }
  }

  private add(key: string, filter: chrome.webRequest.RequestFilter, finalHeaders: boolean): void {
    const safe = <D>(make: (d: D) => CaptureEvent) => (d: D) => {
      // A listener must never throw into the browser's event dispatch.
      try {
        this.deliver(make(d));
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
    // Firefox has no extraHeaders (asking for it throws) and shows preflights without it.
    webRequest.onSendHeaders.addListener(l.send, filter, HAS_EXTRA_HEADERS ? ['requestHeaders', 'extraHeaders'] : ['requestHeaders']);
    webRequest.onHeadersReceived.addListener(l.headers, filter, ['responseHeaders']);
    webRequest.onErrorOccurred.addListener(l.error, filter);
    if (l.completed) webRequest.onCompleted.addListener(l.completed, filter, HAS_EXTRA_HEADERS ? ['responseHeaders', 'extraHeaders'] : ['responseHeaders']);
    this.registered.set(key, l);
  }

  private remove(key: string, l: Listeners): void {
    webRequest.onSendHeaders.removeListener(l.send);
    webRequest.onHeadersReceived.removeListener(l.headers);
    webRequest.onErrorOccurred.removeListener(l.error);
    if (l.completed) webRequest.onCompleted.removeListener(l.completed);
    this.registered.delete(key);
  }

  /** What the browser reports, not what we think we registered (Firefox's events have no hasListeners: there, what we registered). */
  listening(): boolean {
    if (typeof webRequest.onSendHeaders.hasListeners !== 'function') return this.registered.size > 0;
    return (
      webRequest.onSendHeaders.hasListeners() ||
      webRequest.onHeadersReceived.hasListeners() ||
      webRequest.onErrorOccurred.hasListeners() ||
      webRequest.onCompleted.hasListeners()
    );
  }
}
