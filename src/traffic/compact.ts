import type { HeaderList, Message } from '../cors/types';
import type { PendingPreflight } from './pairing';
import type { ExchangeRecord } from './record';

/**
 * Storage form of a record. Most header lines repeat across requests (user-agent,
 * sec-ch-ua, origin, referer, accept...), so each distinct line is stored once in
 * an append-only dictionary and records hold its index: storage.session counts
 * every byte against a 10 MB quota, and a verbatim 10,000-exchange session does not fit.
 */
export type CompactHeaders = Array<number | [string, string]>;
export interface CompactMessage { s?: number; h: CompactHeaders }

/** Lines longer than this are stored inline: they are rarely repeated. */
const INTERN_MAX = 512;

export class HeaderDictionary {
  readonly lines: string[];
  private index = new Map<string, number>();
  /**
   * A message's stored text, by the message. A record is rewritten whole at each event that
   * changes it, and its request (and its preflight's request and response) again with it; messages
   * are replaced, never changed, so the text made for one stays right while the dictionary lives.
   */
  private texts = new WeakMap<Message, string>();
  /** Length of `lines` at the last persist, so only the tail is written. */
  persisted: number;

  constructor(lines: string[] = []) {
    this.lines = lines;
    this.persisted = lines.length;
    lines.forEach((l, i) => this.index.set(l, i));
  }

  encode(headers: HeaderList): CompactHeaders {
    const out: CompactHeaders = [];
    for (const pair of headers) {
      const [n, v] = pair;
      if (n.length + v.length > INTERN_MAX) {
        out.push(pair);
        continue;
      }
      const line = `${n}\u0000${v}`;
      let i = this.index.get(line);
      if (i === undefined) {
        i = this.lines.length;
        this.lines.push(line);
        this.index.set(line, i);
      }
      out.push(i);
    }
    return out;
  }

  decode(compact: CompactHeaders): HeaderList {
    const out: HeaderList = [];
    for (const item of compact) {
      if (typeof item !== 'number') {
        out.push(item);
        continue;
      }
      const line = this.lines[item];
      // Undefined or empty: a dictionary chunk storage lost (see SessionStore.restore).
      if (!line) continue;
      const cut = line.indexOf('\u0000');
      out.push([line.slice(0, cut), line.slice(cut + 1)]);
    }
    return out;
  }

  encodeMessage(m: Message | null): CompactMessage | null {
    if (!m) return null;
    return m.statusCode === undefined ? { h: this.encode(m.headers) } : { s: m.statusCode, h: this.encode(m.headers) };
  }

  decodeMessage(m: CompactMessage | null | undefined): Message | null {
    if (!m) return null;
    return m.s === undefined ? { headers: this.decode(m.h) } : { statusCode: m.s, headers: this.decode(m.h) };
  }

  encodePreflight(p: PendingPreflight | null): unknown {
    if (!p) return null;
    return { ...p, request: this.encodeMessage(p.request), response: this.encodeMessage(p.response), finalResponse: this.encodeMessage(p.finalResponse) };
  }

  decodePreflight(p: unknown): PendingPreflight | null {
    if (!p || typeof p !== 'object') return null;
    const c = p as PendingPreflight & { request: CompactMessage; response?: CompactMessage | null; finalResponse?: CompactMessage | null };
    // Fields left out were null (preflightText).
    return { ...c, request: this.decodeMessage(c.request) ?? { headers: [] }, response: this.decodeMessage(c.response), finalResponse: this.decodeMessage(c.finalResponse), error: c.error ?? null };
  }

  encodeRecord(r: ExchangeRecord): unknown {
    return {
      ...r,
      request: this.encodeMessage(r.request),
      response: this.encodeMessage(r.response),
      finalResponse: this.encodeMessage(r.finalResponse),
      redirects: r.redirects.map((x) => ({ ...x, headers: this.encode(x.headers) })),
      preflight: this.encodePreflight(r.preflight),
    };
  }

  /** A message's compact form as JSON text, made once per message. */
  messageText(m: Message | null): string {
    if (!m) return 'null';
    let text = this.texts.get(m);
    if (text === undefined) this.texts.set(m, (text = JSON.stringify(this.encodeMessage(m))));
    return text;
  }

  /** A preflight's stored text (`encodePreflight`, without the fields still null), its messages' text reused. */
  preflightText(p: PendingPreflight | null): string {
    if (!p) return 'null';
    const str = JSON.stringify;
    let text = `{"requestId":${str(p.requestId)},"key":${str(p.key)},"requestHeaderNames":${str(p.requestHeaderNames)},"startedAt":${str(p.startedAt)},"request":${this.messageText(p.request)}`;
    if (p.response) text += `,"response":${this.messageText(p.response)}`;
    if (p.finalResponse) text += `,"finalResponse":${this.messageText(p.finalResponse)}`;
    if (p.error !== null) text += `,"error":${str(p.error)}`;
    return `${text}}`;
  }

  /**
   * What the store writes for a record: `encodeRecord` without the fields at their default (null,
   * no redirects, `currentUrl` the same as `url`), which most records leave so until their response,
   * and with the text of its messages and preflight reused. `decodeRecord` reads both forms.
   */
  recordText(r: ExchangeRecord): string {
    // Field by field: an object rest leaving out this many keys was the slowest part of the write in
    // the worker's profile. A field added to ExchangeRecord is added here (compact.test.ts checks).
    const str = JSON.stringify;
    let text = `{"id":${str(r.id)},"tabId":${str(r.tabId)},"startedAt":${str(r.startedAt)},"url":${str(r.url)},"method":${str(r.method)},"initiatorOrigin":${str(r.initiatorOrigin)},"resourceType":${str(r.resourceType)}`;
    if (r.currentUrl !== r.url) text += `,"currentUrl":${str(r.currentUrl)}`;
    if (r.request) text += `,"request":${this.messageText(r.request)}`;
    if (r.response) text += `,"response":${this.messageText(r.response)}`;
    if (r.finalResponse) text += `,"finalResponse":${this.messageText(r.finalResponse)}`;
    if (r.redirects.length > 0) text += `,"redirects":${str(r.redirects.map((x) => ({ ...x, headers: this.encode(x.headers) })))}`;
    if (r.error !== null) text += `,"error":${str(r.error)}`;
    if (r.preflight) text += `,"preflight":${this.preflightText(r.preflight)}`;
    if (r.preflightObserved !== null) text += `,"preflightObserved":${str(r.preflightObserved)}`;
    if (r.cacheExpiresAt !== null) text += `,"cacheExpiresAt":${str(r.cacheExpiresAt)}`;
    if (r.browser !== undefined) text += `,"browser":${str(r.browser)}`;
    if (r.preflightKey !== undefined) text += `,"preflightKey":${str(r.preflightKey)}`;
    return `${text}}`;
  }

  /** Null when the stored value is not a record (corrupted or foreign): the caller drops it. */
  decodeRecord(x: unknown): ExchangeRecord | null {
    if (!x || typeof x !== 'object') return null;
    const c = x as Record<string, unknown>;
    if (typeof c.id !== 'string' || typeof c.url !== 'string' || typeof c.method !== 'string' || typeof c.initiatorOrigin !== 'string') return null;
    if (c.redirects !== undefined && !Array.isArray(c.redirects)) return null;
    type Stored = Partial<ExchangeRecord> & { request?: CompactMessage; response?: CompactMessage; finalResponse?: CompactMessage; redirects?: Array<{ statusCode: number; location: string; headers: CompactHeaders }> };
    const r = c as unknown as Stored & ExchangeRecord;
    // A field left out is at its default (recordText); older versions wrote every field.
    return {
      ...r,
      currentUrl: r.currentUrl ?? r.url,
      request: this.decodeMessage(r.request),
      response: this.decodeMessage(r.response),
      finalResponse: this.decodeMessage(r.finalResponse),
      redirects: (r.redirects ?? []).map((d) => ({ ...d, headers: this.decode(d.headers) })),
      error: r.error ?? null,
      preflight: this.decodePreflight(r.preflight),
      preflightObserved: r.preflightObserved ?? null,
      cacheExpiresAt: r.cacheExpiresAt ?? null,
    };
  }
}
