import type { HeaderList } from '../cors/types';
import { bytesAsUtf8, type HarEntry } from '../har/read';

/**
 * DevTools Protocol Network events reduced to the HAR reader's entries, so the test helper runs
 * the very converter and engine the command line does. Unlike a HAR, the protocol gives the wire
 * headers (`*ExtraInfo`, Cookie included), the response headers of a response the browser then
 * blocked, each preflight's link to its request (`initiator.type: 'preflight'`, `initiator.requestId`)
 * and Chrome's own verdict (`loadingFailed.corsErrorStatus`).
 */

type Headers = Record<string, string>;

export interface ChromeCorsError {
  corsError: string;
  failedParameter: string;
}

interface Hop {
  url: string;
  method: string;
  /** Headers as the page set them (requestWillBeSent). */
  headers: Headers;
  /** The wire headers (requestWillBeSentExtraInfo), when the request was sent. */
  sent: Headers | null;
  status: number | null;
  responseHeaders: Headers | null;
  /** ms since epoch */
  wallTime: number;
  /** Protocol monotonic seconds, to time the hop. */
  timestamp: number;
  end: number | null;
}

interface Req {
  requestId: string;
  order: number;
  resourceType: string;
  initiatorType: string | null;
  initiatorRequestId: string | null;
  initiatorUrl: string | null;
  hops: Hop[];
  sentExtra: Headers[];
  responseExtra: Array<{ status: number; headers: Headers }>;
  error: string | null;
  cors: ChromeCorsError | null;
}

function list(h: Headers | null | undefined): HeaderList {
  const out: HeaderList = [];
  for (const [name, value] of Object.entries(h ?? {})) {
    // The protocol joins repeated headers with "\n", and writes each header byte as one character.
    for (const v of String(value).split('\n')) out.push([name.toLowerCase(), bytesAsUtf8(v)]);
  }
  return out.filter(([n]) => !n.startsWith(':'));
}

/** Accumulates Network.* events; `entries()` gives the HAR reader's view of them. */
export class CdpNetworkLog {
  private reqs = new Map<string, Req>();
  private order = 0;
  /** Requests held at most, oldest forgotten first: a long test must not grow without end. */
  constructor(private readonly max = 20_000) {}

  private req(id: string): Req | undefined {
    return this.reqs.get(id);
  }

  // Parameters typed loosely on purpose: a plain CDP client hands over whatever the browser sent.
  requestWillBeSent(e: {
    requestId: string;
    request: { url: string; method: string; headers?: Headers };
    initiator?: { type?: string; requestId?: string; url?: string };
    redirectResponse?: { status: number; headers?: Headers };
    type?: string;
    wallTime?: number;
    timestamp?: number;
  }): void {
    let r = this.req(e.requestId);
    const hop: Hop = {
      url: e.request.url,
      method: e.request.method,
      headers: e.request.headers ?? {},
      sent: null,
      status: null,
      responseHeaders: null,
      wallTime: (e.wallTime ?? 0) * 1000,
      timestamp: e.timestamp ?? 0,
      end: null,
    };
    if (r && e.redirectResponse) {
      const prev = r.hops[r.hops.length - 1]!;
      prev.status = e.redirectResponse.status;
      prev.responseHeaders ??= e.redirectResponse.headers ?? {};
      prev.end = hop.timestamp;
      r.hops.push(hop);
      return;
    }
    if (r && r.hops.length > 0) return;
    if (r) {
      // Its ExtraInfo came first and made a placeholder: the request takes it over.
      Object.assign(r, {
        resourceType: (e.type ?? 'Other').toLowerCase(),
        initiatorType: e.initiator?.type ?? null,
        initiatorRequestId: e.initiator?.requestId ?? null,
        initiatorUrl: e.initiator?.url ?? null,
        hops: [hop],
      });
      return;
    }
    r = {
      requestId: e.requestId,
      order: this.order++,
      resourceType: (e.type ?? 'Other').toLowerCase(),
      initiatorType: e.initiator?.type ?? null,
      initiatorRequestId: e.initiator?.requestId ?? null,
      initiatorUrl: e.initiator?.url ?? null,
      hops: [hop],
      sentExtra: [],
      responseExtra: [],
      error: null,
      cors: null,
    };
    this.reqs.set(e.requestId, r);
    if (this.reqs.size > this.max) this.reqs.delete(this.reqs.keys().next().value!);
  }

  /** The wire headers of each hop, in order; may come before or after requestWillBeSent. */
  requestWillBeSentExtraInfo(e: { requestId: string; headers?: Headers }): void {
    this.pending(e.requestId).sentExtra.push(e.headers ?? {});
  }

  responseReceived(e: { requestId: string; response: { status: number; headers?: Headers } }): void {
    const r = this.req(e.requestId);
    const hop = r?.hops[r.hops.length - 1];
    if (!hop) return;
    hop.status = e.response.status;
    hop.responseHeaders ??= e.response.headers ?? {};
  }

  /** The raw response headers, also of a response the browser then blocked. */
  responseReceivedExtraInfo(e: { requestId: string; statusCode?: number; headers?: Headers }): void {
    this.pending(e.requestId).responseExtra.push({ status: e.statusCode ?? 0, headers: e.headers ?? {} });
  }

  loadingFinished(e: { requestId: string; timestamp?: number }): void {
    const r = this.req(e.requestId);
    const hop = r?.hops[r.hops.length - 1];
    if (hop) hop.end = e.timestamp ?? hop.timestamp;
  }

  loadingFailed(e: { requestId: string; errorText?: string; corsErrorStatus?: { corsError?: string; failedParameter?: string }; timestamp?: number }): void {
    const r = this.req(e.requestId);
    if (!r) return;
    r.error = e.errorText || 'net::ERR_FAILED';
    if (e.corsErrorStatus?.corsError) r.cors = { corsError: e.corsErrorStatus.corsError, failedParameter: e.corsErrorStatus.failedParameter ?? '' };
    const hop = r.hops[r.hops.length - 1]!;
    hop.end = e.timestamp ?? hop.timestamp;
  }

  /** ExtraInfo may come first: keep it on a placeholder the request then takes over. */
  private pending(id: string): Req {
    let r = this.req(id);
    if (!r) {
      r = { requestId: id, order: this.order++, resourceType: 'other', initiatorType: null, initiatorRequestId: null, initiatorUrl: null, hops: [], sentExtra: [], responseExtra: [], error: null, cors: null };
      this.reqs.set(id, r);
    }
    return r;
  }

  /** Chrome's own CORS error for a request, by its protocol requestId. */
  chromeError(requestId: string): ChromeCorsError | null {
    return this.req(requestId)?.cors ?? null;
  }

  clear(): void {
    this.reqs.clear();
  }

  /** Every hop as a HAR entry; `requestIdOf` maps an entry index back to the protocol's requestId. */
  entries(): { entries: HarEntry[]; requestIdOf: Map<number, string> } {
    const entries: HarEntry[] = [];
    const requestIdOf = new Map<number, string>();
    const reqs = [...this.reqs.values()].filter((r) => r.hops.length > 0).sort((a, b) => a.order - b.order);
    for (const r of reqs) {
      r.hops.forEach((hop, i) => {
        const sent = r.sentExtra[i] ?? null;
        const raw = r.responseExtra[i];
        const status = raw?.status || hop.status;
        const last = i === r.hops.length - 1;
        const index = entries.length;
        requestIdOf.set(index, r.requestId);
        const next = r.hops[i + 1];
        entries.push({
          index,
          startedAt: hop.wallTime,
          duration: hop.end === null ? 0 : Math.max(0, (hop.end - hop.timestamp) * 1000),
          method: hop.method,
          url: hop.url,
          requestHeaders: list(sent ?? hop.headers),
          provisional: sent === null,
          status: status && status > 0 ? status : null,
          responseHeaders: list(raw?.headers ?? hop.responseHeaders),
          redirectURL: next ? next.url : '',
          error: last ? r.error : null,
          initiatorType: r.initiatorType,
          initiatorRequestId: r.initiatorRequestId,
          initiatorUrl: r.initiatorUrl,
          resourceType: r.resourceType === 'preflight' ? 'preflight' : r.resourceType,
          pageref: null,
          requestId: r.requestId,
        });
      });
    }
    return { entries, requestIdOf };
  }
}
