import type { HeaderList } from '../cors/types';

/**
 * A webRequest event reduced to what the tracker needs. The background adapter
 * builds these from `chrome.webRequest` details; tests build them from traces.
 * Only four kinds exist because only four events carry information the engine
 * uses (docs/platform.md): the request as sent, the response as the server sent it,
 * the response after any override, and the browser's error.
 */
interface EventBase {
  requestId: string;
  tabId: number;
  /** Absent for some frames; pairing then falls back to frameId. */
  documentId?: string | undefined;
  frameId: number;
  initiator?: string | undefined;
  url: string;
  method: string;
  /** webRequest resource type: xmlhttprequest, font, script... */
  type: string;
  /** ms since epoch, from the browser */
  timeStamp: number;
  /** 'firefox' when Firefox reported it: the session then pairs and judges it by Firefox's ways (docs/firefox.md). */
  browser?: 'firefox' | undefined;
}

/** onSendHeaders with `requestHeaders` + `extraHeaders`. */
export interface SendEvent extends EventBase {
  kind: 'send';
  headers: HeaderList;
}

/** onHeadersReceived: the server's own headers, before any override rewrote them. */
export interface HeadersEvent extends EventBase {
  kind: 'headers';
  statusCode: number;
  headers: HeaderList;
}

/** onCompleted: the headers after declarativeNetRequest rules (only listened to while an override is active). */
export interface CompletedEvent extends EventBase {
  kind: 'completed';
  statusCode: number;
  headers: HeaderList | null;
}

/** onErrorOccurred */
export interface ErrorEvent extends EventBase {
  kind: 'error';
  error: string;
}

export type CaptureEvent = SendEvent | HeadersEvent | CompletedEvent | ErrorEvent;
