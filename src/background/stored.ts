import { HeaderDictionary } from '../traffic/compact';
import type { ExchangeRecord, IgnoredRequest, SessionState } from '../traffic/record';
import type { PreflightCacheEntry } from '../traffic/preflight-cache';
import type { PendingPreflight } from '../traffic/pairing';

/**
 * What storage.session holds, and the pure decoder of it: no browser API, so it is tested in Node.
 *
 * Keys: `x:<tab>:<id>` one record; `p:<tab>:<id>` one preflight waiting for its request;
 * `c:<tab>:<origin> <url>` one entry of the preflight-cache model; `m:<tab>` the session's other
 * state; `d:<n>` a chunk of the header dictionary; `t:<line>` its lines written since the last
 * batch, from that line on; `scope` what was being captured; `health` the count of entries dropped.
 * A key holding '' was emptied by a write and awaits its removal (see the store's `tombstones`).
 */
export const DICT_CHUNK = 512;

export const storageKey = {
  record: (tabId: number, id: string) => `x:${tabId}:${id}`,
  waiting: (tabId: number, requestId: string) => `p:${tabId}:${requestId}`,
  cache: (tabId: number, e: PreflightCacheEntry) => `c:${tabId}:${e.origin} ${e.url}`,
  meta: (tabId: number) => `m:${tabId}`,
  chunk: (n: number) => `d:${n}`,
  tail: (firstLine: number) => `t:${firstLine}`,
};

/** A tail key in storage, with the line after its last. */
export interface TailKey {
  key: string;
  end: number;
}

/** Everything a restarted worker takes from storage. */
export interface Decoded {
  dict: HeaderDictionary;
  /** Dictionary lines stored in whole chunks; those after it are in `tailKeys`. */
  chunked: number;
  tailKeys: TailKey[];
  sessions: SessionState[];
  /** The `p:` keys that hold a preflight still waiting. */
  waitingKeys: string[];
  /** Per tab, the `c:` keys and the entries they hold. */
  cacheKeys: Map<number, Map<string, PreflightCacheEntry>>;
  /** Entries that could not be read, by key; counted for the user, then removed (chunks repaired). */
  bad: string[];
  /** Keys emptied by a write whose batch did not come: dropped, not counted. */
  stale: string[];
  scope: unknown;
}

/**
 * Records and session state are stored as JSON strings: storage.session counts a value by its
 * in-memory form, several times larger as an object than as a string (docs/performance.md), and
 * its quota is 10 MB. Entries written as objects by an earlier version are still read.
 */
export function parseStored(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return null;
  }
}

function isStringList(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((l) => typeof l === 'string');
}

function isCacheEntry(e: unknown): e is PreflightCacheEntry {
  const c = e as Partial<PreflightCacheEntry> | null;
  return !!c && typeof c === 'object' && typeof c.url === 'string' && typeof c.origin === 'string' && typeof c.expiresAt === 'number' && Array.isArray(c.methods) && Array.isArray(c.headerNames);
}

function isIgnoredEntry(e: unknown): e is [string, IgnoredRequest] {
  if (!Array.isArray(e) || typeof e[0] !== 'string') return false;
  const r = e[1] as Partial<IgnoredRequest> | null;
  return !!r && typeof r === 'object' && typeof r.url === 'string' && typeof r.startedAt === 'number' && Array.isArray(r.redirects);
}

/** One stored record, or null when it is not one (any shape may be found: a bug, a foreign writer). */
function decodeRecord(dict: HeaderDictionary, v: unknown): ExchangeRecord | null {
  try {
    const rec = dict.decodeRecord(parseStored(v));
    if (!rec || typeof rec.startedAt !== 'number' || !Array.isArray(rec.request?.headers ?? [])) return null;
    return rec;
  } catch {
    return null;
  }
}

function decodePreflight(dict: HeaderDictionary, v: unknown): PendingPreflight | null {
  try {
    const d = dict.decodePreflight(parseStored(v));
    return d && typeof d.requestId === 'string' && typeof d.key === 'string' && typeof d.startedAt === 'number' ? d : null;
  } catch {
    return null;
  }
}

/** The header dictionary: whole chunks, then the tail keys written since, in order. */
function decodeDictionary(all: Record<string, unknown>, bad: string[]): Pick<Decoded, 'dict' | 'chunked' | 'tailKeys'> {
  const last = Math.max(-1, ...Object.keys(all).filter((k) => /^d:\d+$/.test(k)).map((k) => Number(k.slice(2))));
  const lines: string[] = [];
  for (let c = 0; c <= last; c++) {
    const chunk = all[storageKey.chunk(c)];
    if (isStringList(chunk)) {
      lines.push(...chunk);
      // A short chunk before the last one would shift every later line: pad it.
      if (c < last) while (lines.length < (c + 1) * DICT_CHUNK) lines.push('');
      continue;
    }
    // A lost or unreadable chunk keeps its place, so the other lines keep their numbers;
    // the headers that used it are left out (an empty line decodes to nothing).
    if (chunk !== undefined) bad.push(storageKey.chunk(c));
    while (lines.length < (c + 1) * DICT_CHUNK) lines.push('');
  }
  const chunked = lines.length;
  const tailKeys: TailKey[] = [];
  const tails = Object.keys(all).filter((k) => /^t:\d+$/.test(k)).sort((a, b) => Number(a.slice(2)) - Number(b.slice(2)));
  for (const k of tails) {
    const tail = all[k];
    if (!isStringList(tail)) {
      bad.push(k);
      continue;
    }
    const start = Number(k.slice(2));
    tailKeys.push({ key: k, end: start + tail.length });
    while (lines.length < start) lines.push('');
    tail.forEach((l, i) => (lines[start + i] = l));
  }
  return { dict: new HeaderDictionary(lines), chunked, tailKeys };
}

function push<T>(by: Map<number, T[]>, tabId: number, item: T): void {
  const list = by.get(tabId);
  if (list) list.push(item);
  else by.set(tabId, [item]);
}

/** Decode everything storage.session holds. Never throws: what cannot be read is listed in `bad`. */
export function decodeStorage(all: Record<string, unknown>): Decoded {
  const bad: string[] = [];
  const stale: string[] = [];
  const { dict, chunked, tailKeys } = decodeDictionary(all, bad);
  const records = new Map<number, ExchangeRecord[]>();
  for (const [k, v] of Object.entries(all)) {
    const m = /^x:(\d+):(.+)$/.exec(k);
    if (!m) continue;
    if (v === '') stale.push(k);
    else {
      const rec = decodeRecord(dict, v);
      if (rec) push(records, Number(m[1]), rec);
      else bad.push(k);
    }
  }
  // Preflights waiting for their request. One its request claimed (the removal of its key was not
  // carried out before a stop) is left out: the record that owns it has it.
  const owned = new Set<string>();
  for (const list of records.values()) for (const r of list) if (r.preflight) owned.add(r.preflight.requestId);
  const waiting = new Map<number, PendingPreflight[]>();
  const waitingKeys: string[] = [];
  for (const [k, v] of Object.entries(all)) {
    const m = /^p:(\d+):(.+)$/.exec(k);
    if (!m) continue;
    const p = v === '' ? undefined : decodePreflight(dict, v);
    if (p === undefined || (p && owned.has(p.requestId))) stale.push(k);
    else if (!p) bad.push(k);
    else {
      waitingKeys.push(k);
      push(waiting, Number(m[1]), p);
    }
  }
  const cache = new Map<number, PreflightCacheEntry[]>();
  const cacheKeys = new Map<number, Map<string, PreflightCacheEntry>>();
  for (const [k, v] of Object.entries(all)) {
    const m = /^c:(\d+):/.exec(k);
    if (!m) continue;
    const e = parseStored(v);
    if (!isCacheEntry(e)) {
      bad.push(k);
      continue;
    }
    const tabId = Number(m[1]);
    push(cache, tabId, e);
    const written = cacheKeys.get(tabId) ?? new Map<string, PreflightCacheEntry>();
    cacheKeys.set(tabId, written.set(k, e));
  }
  const tabs = new Set<number>([...records.keys(), ...waiting.keys(), ...cache.keys()]);
  for (const k of Object.keys(all)) if (/^m:\d+$/.test(k)) tabs.add(Number(k.slice(2)));
  const sessions: SessionState[] = [];
  for (const tabId of tabs) {
    const stored = parseStored(all[storageKey.meta(tabId)]);
    const meta = (stored && typeof stored === 'object' ? stored : undefined) as Partial<SessionState> | undefined;
    if (stored !== undefined && meta === undefined) {
      bad.push(storageKey.meta(tabId));
      if (!records.has(tabId) && !waiting.has(tabId) && !cache.has(tabId)) continue;
    }
    sessions.push({
      tabId,
      records: (records.get(tabId) ?? []).sort((a, b) => a.startedAt - b.startedAt || Number(a.id) - Number(b.id)),
      waiting: (waiting.get(tabId) ?? []).sort((a, b) => a.startedAt - b.startedAt),
      cache: (cache.get(tabId) ?? []).sort((a, b) => a.expiresAt - b.expiresAt),
      ignored: Array.isArray(meta?.ignored) ? meta.ignored.filter(isIgnoredEntry) : [],
      dropped: typeof meta?.dropped === 'number' ? meta.dropped : 0,
      skipped: meta?.skipped && typeof meta.skipped === 'object' ? meta.skipped : {},
      preserveLog: meta?.preserveLog === true,
    });
  }
  return { dict, chunked, tailKeys, sessions, waitingKeys, cacheKeys, bad, stale, scope: all.scope };
}
