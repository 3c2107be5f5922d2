import type { Exchange } from '../traffic/exchange';
import type { SessionReport } from '../report/schema';
import type { OverridePlan } from '../fix/plan';
import type { ExportedFile, ExportFormat } from '../report/export';

/** Bump whenever a backwards-breaking change is made to any message below. */
export const PROTOCOL_VERSION = 2;

/** Port names say who connected and for which tab: `cors-lens/devtools:12`, `cors-lens/panel:12`. */
export type PortRole = 'devtools' | 'panel';
export function portName(role: PortRole, tabId: number): string {
  return `cors-lens/${role}:${tabId}`;
}
export function parsePortName(name: string): { role: PortRole; tabId: number } | null {
  const m = /^cors-lens\/(devtools|panel):(\d+)$/.exec(name);
  return m ? { role: m[1] as PortRole, tabId: Number(m[2]) } : null;
}

export interface SessionCounters {
  captured: number;
  dropped: number;
  skipped: Record<string, number>;
  /** Stored entries that could not be read back (dropped), and exchanges kept only in memory because storage was full. */
  storage?: StorageHealth;
}

export interface StorageHealth {
  discarded: number;
  unpersisted: number;
}

/** Panel / devtools page → worker, over the port. */
export interface ToWorker {
  heartbeat: Record<never, never>;
  clear: Record<never, never>;
  'preserve-log': { on: boolean };
}

/** Worker → panel, over the port. */
export interface ToPanel {
  snapshot: { protocol: number; tabId: number; exchanges: Exchange[]; counters: SessionCounters; preserveLog: boolean; capturing: boolean };
  update: { changed: Exchange[]; removed: string[]; counters: SessionCounters };
  cleared: { counters: SessionCounters };
}

export type PortMessage<M> = { [K in keyof M]: { type: K } & M[K] }[keyof M];
export type ToWorkerMessage = PortMessage<ToWorker>;
export type ToPanelMessage = PortMessage<ToPanel>;

/** One-shot `runtime.sendMessage` requests (automation, export) and their answers. */
export interface Requests {
  'cors-lens/capture': { request: { scope: 'all' | number; on: boolean }; response: { ok: true; scope: 'all' | number[] } };
  /**
   * The session report. Without `format` (or with 'json') the answer is the report itself (schema 1);
   * 'html' and 'markdown' answer the rendered file. Secrets are redacted unless `redact` is false;
   * `redactExtra` names more headers to hide.
   */
  'cors-lens/export': {
    request: { tabId: number; format?: ExportFormat; redact?: boolean; redactExtra?: string[] };
    response: SessionReport | ExportedFile | { error: string };
  };
  'cors-lens/status': { request: Record<never, never>; response: WorkerStatus };
  /** Local override (declarativeNetRequest session rules): try a fix before the server changes. */
  'cors-lens/override': { request: OverrideRequest; response: OverrideAnswer | { error: string } };
}

/** `plan` answers what `add` would do, without doing it. */
export type OverrideRequest =
  /**
   * onlyThisTab defaults to true. confirmInitiator: the user agreed to an override for a frame's
   * origin that is not the tab's own (else the answer is reason 'confirm').
   */
  | { action: 'add'; tabId: number; exchangeId: string; onlyThisTab?: boolean; minutes?: number; expose?: string[]; confirmInitiator?: boolean }
  /** Chrome's own verdicts recorded while a rescue override keeps the debugger attached to the tab. */
  | { action: 'verdicts'; tabId: number }
  | { action: 'plan'; tabId: number; exchangeId: string }
  | { action: 'remove'; id: string }
  | { action: 'clear' }
  | { action: 'list' };

/** One active override, as the panel shows it. */
export interface OverrideView {
  id: string;
  pageOrigin: string;
  targetOrigin: string;
  tabId: number;
  onlyThisTab: boolean;
  createdAt: number;
  expiresAt: number;
  /** Headers set on OPTIONS responses, names lower-case. */
  preflight: Array<{ name: string; value: string }>;
  /** Headers set on the other responses. */
  actual: Array<{ name: string; value: string }>;
  credentialsAssumed: boolean;
  ruleIds: number[];
  /** Absent from older workers: 'headers'. 'rescue' keeps the debugger attached to the tab. */
  mechanism?: 'headers' | 'rescue';
}

/** Chrome's own verdict for a request of a tab the debugger is attached to (DevTools Protocol). */
export interface ChromeVerdictView {
  url: string;
  method: string;
  corsError: string | null;
  failedParameter: string | null;
  errorText: string | null;
}

export type OverrideAnswer =
  | {
      ok: true;
      overrides: OverrideView[];
      added?: OverrideView;
      plan?: OverridePlan;
      /** The pair already had an override: this one's headers were merged into it. */
      merged?: boolean;
      note?: string;
      verdicts?: ChromeVerdictView[];
      /** Overrides that ended by themselves since the last answer, and why (e.g. the debugger was detached). */
      notice?: string;
    }
  | {
      ok: false;
      /**
       * confirm: the initiator is a frame of another origin than the tab's; ask the user, then send confirmInitiator.
       * needs-permission: a rescue needs `permission`, which this build does not hold (Chrome grants it only at install).
       * exists: another tab's override holds this origin pair.
       */
      reason: 'not-blocked' | 'cannot' | 'not-found' | 'confirm' | 'needs-permission' | 'exists';
      why: string;
      serverFix: string | null;
      overrides: OverrideView[];
      permission?: 'debugger';
    };

/** Worker → every extension page (runtime.sendMessage broadcast): the active overrides changed. */
export const OVERRIDES_CHANGED = 'cors-lens/overrides-changed';
export interface OverridesChanged {
  type: typeof OVERRIDES_CHANGED;
  overrides: OverrideView[];
  /** Why an override ended by itself, when one did. */
  notice?: string;
}
export type RequestMessage = { [K in keyof Requests]: { type: K } & Requests[K]['request'] }[keyof Requests];
export type ResponseOf<K extends keyof Requests> = Requests[K]['response'];

export interface WorkerStatus {
  ready: boolean;
  protocol: number;
  /** Whether any webRequest listener is registered right now. */
  listening: boolean;
  captureAll: boolean;
  tabs: number[];
  /** Captured exchanges per tab. */
  sessions: Record<number, number>;
  startedAt: number;
  storage: StorageHealth;
}

/** Ports carry arbitrary data from the other side: check the shape before trusting it. */
export function isToWorkerMessage(x: unknown): x is ToWorkerMessage {
  if (typeof x !== 'object' || x === null) return false;
  const t = (x as { type?: unknown }).type;
  return t === 'heartbeat' || t === 'clear' || (t === 'preserve-log' && typeof (x as { on?: unknown }).on === 'boolean');
}
