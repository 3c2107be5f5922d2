import type { HeaderList } from '../cors/types';
import type { CaptureEvent } from '../traffic/events';
import { originOf } from '../traffic/headers';
import { IS_FIREFOX } from './browser-flavour';

// Chrome's webRequest types: Firefox's (the polyfill's) lack `extraHeaders` and `initiator`, which this reads where present.
type HttpHeaders = chrome.webRequest.HttpHeader[] | undefined;
const utf8 = new TextDecoder('utf-8');

/** Header names lower-cased; binary values decoded byte for byte so no header is lost. */
export function headerList(headers: HttpHeaders): HeaderList {
  const out: HeaderList = [];
  if (!headers) return out;
  for (const h of headers) {
    let value = h.value;
    // Chrome hands over bytes that are not UTF-8 as binaryValue; decoding them as UTF-8 turns the
    // invalid bytes into U+FFFD, as Chrome itself does when it reports such a value.
    if (value === undefined && h.binaryValue) value = utf8.decode(new Uint8Array(h.binaryValue));
    out.push([String(h.name).toLowerCase(), value ?? '']);
  }
  return out;
}

interface Details {
  requestId: string;
  tabId: number;
  frameId: number;
  documentId?: string;
  initiator?: string;
  /** Firefox: the URL of the document or worker that made the request (it has no initiator). */
  originUrl?: string;
  url: string;
  method: string;
  type: string;
  timeStamp: number;
}

function base(d: Details) {
  return {
    requestId: d.requestId,
    tabId: d.tabId,
    frameId: d.frameId,
    documentId: d.documentId,
    initiator: d.initiator ?? (d.originUrl === undefined ? undefined : (originOf(d.originUrl) ?? 'null')),
    url: d.url,
    method: d.method,
    type: d.type,
    timeStamp: d.timeStamp,
    ...(IS_FIREFOX ? { browser: 'firefox' as const } : {}),
  };
}

export function sendEvent(d: chrome.webRequest.OnSendHeadersDetails): CaptureEvent {
  return { kind: 'send', ...base(d as Details), headers: headerList(d.requestHeaders) };
}

export function headersEvent(d: chrome.webRequest.OnHeadersReceivedDetails): CaptureEvent {
  return { kind: 'headers', ...base(d as Details), statusCode: d.statusCode, headers: headerList(d.responseHeaders) };
}

export function completedEvent(d: chrome.webRequest.OnCompletedDetails): CaptureEvent {
  return { kind: 'completed', ...base(d as Details), statusCode: d.statusCode, headers: d.responseHeaders ? headerList(d.responseHeaders) : null };
}

export function errorEvent(d: chrome.webRequest.OnErrorOccurredDetails): CaptureEvent {
  return { kind: 'error', ...base(d as Details), error: d.error };
}
