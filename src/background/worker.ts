import { Capture } from './capture';
import { Ports, post } from './ports';
import { SessionStore } from './store';
import { Overrides } from './override';
import { DEFAULT_SETTINGS, loadSettings, saveSettings, type Settings } from './settings';
import { isOwnPage, self } from './senders';
import { browser, type Runtime } from '../shared/browser';
import { originOf } from '../cors/origin';
import { loadRedactExtra } from '../shared/redaction-settings';
import { buildReport } from '../report/json';
import { exportSession, isExportFormat, redactionFor } from '../report/export';
import { OVERRIDES_CHANGED, PROTOCOL_VERSION, isToWorkerMessage, parsePortName, type OverrideAnswer, type OverrideRequest, type RequestMessage, type WorkerStatus } from '../shared/protocol';

/**
 * The service worker: records the tabs being inspected (or all tabs, when asked),
 * keeps their sessions, and serves them to panels and to the export API.
 * Every browser listener is registered synchronously at the top level so Chrome
 * can wake the worker for it; work that needs state waits for `ready`.
 */
const startedAt = Date.now();
let settings: Settings = { ...DEFAULT_SETTINGS };
const store = new SessionStore(DEFAULT_SETTINGS.cap);
const ports = new Ports();
const capture = new Capture((ev) => store.handle(ev));
const overrides = new Overrides();
/** Tabs recorded on request without DevTools (`cors-lens/capture` with a tab id). */
const forcedTabs = new Set<number>();
/** Tabs a previous worker was recording, kept until their DevTools reconnects (or a grace period ends). */
let resumedTabs = new Set<number>();
let isReady = false;

store.broadcast.wantsExchanges = (tabId) => ports.hasPanel(tabId);
store.broadcast.onChange = (tabId, changed, removed, counters) => {
  ports.send(tabId, { type: 'update', changed, removed, counters });
};

function recordedTabs(): number[] | null {
  if (settings.captureAll) return null;
  return [...new Set([...ports.tabs(), ...forcedTabs, ...resumedTabs])].sort((a, b) => a - b);
}

function applyScope(): void {
  const tabs = recordedTabs();
  // While a local override is active, onCompleted shows the headers after its rules (finalResponse).
  capture.apply({ tabs, types: settings.resourceTypes, finalHeaders: overrides.anyActive() });
  void browser.storage.session.set({ scope: { tabs: tabs ?? [], forced: [...forcedTabs] } });
}

const ready: Promise<void> = (async () => {
  try {
    settings = await loadSettings();
    await overrides.restore().catch((e: unknown) => console.warn('CORS Lens: could not restore overrides', e));
    store.cap = settings.cap;
    const scope = (await store.restore()) as { tabs?: unknown; forced?: unknown } | undefined;
    if (Array.isArray(scope?.tabs)) resumedTabs = new Set(scope.tabs.filter((t): t is number => typeof t === 'number'));
    if (Array.isArray(scope?.forced)) for (const t of scope.forced) if (typeof t === 'number') forcedTabs.add(t);
  } catch (e) {
    console.warn('CORS Lens: could not restore state; starting empty', e);
  }
  applyScope();
  isReady = true;
  // A DevTools page that was open reconnects within moments; a tab whose DevTools closed meanwhile stops being recorded.
  setTimeout(() => {
    resumedTabs = new Set();
    applyScope();
  }, 5_000);
})();

const me = self(browser.runtime);

browser.runtime.onConnect.addListener((port) => {
  if (!isOwnPage(port.sender, me)) {
    port.disconnect();
    return;
  }
  const parsed = parsePortName(port.name);
  if (!parsed) return;
  const { tabId } = parsed;
  ports.add(tabId, port, parsed.role);
  port.onDisconnect.addListener(() => {
    ports.remove(tabId, port);
    if (isReady) applyScope();
  });
  port.onMessage.addListener((msg: unknown) => {
    if (!isToWorkerMessage(msg)) return;
    void ready.then(() => {
      const s = store.session(tabId);
      switch (msg.type) {
        case 'heartbeat':
          break;
        case 'clear':
          store.clear(tabId);
          post(port, { type: 'cleared', counters: store.counters(s) });
          break;
        case 'preserve-log':
          s.preserveLog = msg.on;
          store.stateChanged(tabId);
          break;
      }
    });
  });
  void ready.then(() => {
    applyScope();
    const s = store.session(tabId);
    post(port, {
      type: 'snapshot',
      protocol: PROTOCOL_VERSION,
      tabId,
      exchanges: s.exchanges(),
      counters: store.counters(s),
      preserveLog: s.preserveLog,
      capturing: true,
    });
  });
});

// A promise answers; undefined leaves the message to other listeners (and a stranger's unanswered).
browser.runtime.onMessage.addListener((msg: unknown, sender: Runtime.MessageSender): Promise<unknown> | undefined => {
  if (!isOwnPage(sender, me)) return undefined;
  if (typeof msg !== 'object' || msg === null || typeof (msg as { type?: unknown }).type !== 'string') return undefined;
  const m = msg as RequestMessage;
  if (!m.type.startsWith('cors-lens/')) return undefined;
  return ready.then(() => answer(m)).catch((e: unknown) => ({ error: String(e) }));
});

async function answer(m: RequestMessage): Promise<unknown> {
  switch (m.type) {
    case 'cors-lens/status':
      return status();
    case 'cors-lens/capture': {
      if (m.scope === 'all') settings = await saveSettings({ captureAll: m.on });
      else if (typeof m.scope === 'number') {
        if (m.on) forcedTabs.add(m.scope);
        else forcedTabs.delete(m.scope);
      } else return { error: 'scope must be "all" or a tab id' };
      applyScope();
      return { ok: true, scope: recordedTabs() ?? 'all' };
    }
    case 'cors-lens/export': {
      if (typeof m.tabId !== 'number') return { error: 'tabId (a number) is required' };
      await store.flush();
      const s = store.peek(m.tabId);
      const tab = await browser.tabs.get(m.tabId).catch(() => null);
      if (m.format !== undefined && !isExportFormat(m.format)) return { error: 'format must be "json", "html" or "markdown"' };
      // The saved "Also redact" list applies here as in the panel's exports; a request can add more.
      const asked = Array.isArray(m.redactExtra) ? m.redactExtra.filter((n): n is string => typeof n === 'string') : [];
      const extra = [...(await loadRedactExtra(browser.storage.local)), ...asked];
      const input = {
        exchanges: s ? s.exchanges() : [],
        tab: { id: m.tabId, url: tab?.url ?? '' },
        browser: navigator.userAgent,
        exportedAt: new Date().toISOString(),
        redact: redactionFor(m.redact !== false, extra),
      };
      return m.format === undefined || m.format === 'json' ? buildReport(input) : exportSession(input, m.format);
    }
    case 'cors-lens/override':
      return overrideRequest(m);
    default:
      return { error: `unknown request ${(m as { type: string }).type}` };
  }
}

async function overrideRequest(m: OverrideRequest): Promise<OverrideAnswer | { error: string }> {
  const ok = (): OverrideAnswer => ({ ok: true, overrides: overrides.list() });
  switch (m.action) {
    case 'list':
      return ok();
    case 'clear':
      await overrides.clear();
      return ok();
    case 'remove':
      if (await overrides.remove(String(m.id))) return ok();
      return { ok: false, reason: 'not-found', why: `No active override ${String(m.id)}: it was turned off or expired.`, serverFix: null, overrides: overrides.list() };
    case 'add':
    case 'plan': {
      if (typeof m.tabId !== 'number' || typeof m.exchangeId !== 'string') return { error: 'tabId (a number) and exchangeId are required' };
      // A closed tab is said so before its exchanges are looked up: its session may be gone with it.
      const topOrigin = m.action === 'add' ? await topOriginOf(m.tabId) : null;
      if (topOrigin === undefined) return { ok: false, reason: 'not-found', why: `Tab ${m.tabId} is closed: nothing was added.`, serverFix: null, overrides: overrides.list() };
      await store.flush();
      const ex = store.peek(m.tabId)?.exchanges().find((e) => e.id === m.exchangeId);
      if (!ex) return { ok: false, reason: 'not-found', why: `No exchange ${m.exchangeId} in tab ${m.tabId}.`, serverFix: null, overrides: overrides.list() };
      if (m.action === 'plan') {
        const a = overrides.plan(ex);
        return a.ok ? { ok: true, plan: a.plan, overrides: overrides.list() } : { ...a, overrides: overrides.list() };
      }
      const minutes = typeof m.minutes === 'number' && Number.isFinite(m.minutes) ? m.minutes : undefined;
      const expose = Array.isArray(m.expose) ? m.expose.filter((x): x is string => typeof x === 'string') : [];
      return overrides.add(m.tabId, ex, { onlyThisTab: m.onlyThisTab !== false, minutes, expose, topOrigin, confirmInitiator: m.confirmInitiator === true });
    }
    case 'verdicts':
      if (typeof m.tabId !== 'number') return { error: 'tabId (a number) is required' };
      return { ok: true, overrides: overrides.list(), verdicts: overrides.rescue.chromeVerdicts(m.tabId) };
    default:
      return { error: 'action must be add, plan, remove, clear, list or verdicts' };
  }
}

/** The tab's top-level origin (null when it has none or an opaque one), or undefined when the tab is gone. */
async function topOriginOf(tabId: number): Promise<string | null | undefined> {
  try {
    const tab = await browser.tabs.get(tabId);
    const url = tab.url ?? tab.pendingUrl;
    return url ? originOf(url) : null;
  } catch {
    return undefined;
  }
}

overrides.listen(ready);
// Rescue overrides: the Chrome build holds `debugger` from installation (Chrome refuses it as an
// optional permission), so its listeners are registered at the top level and a paused request
// wakes a stopped worker. The Firefox build has no `debugger`: listen() does nothing there.
overrides.rescue.listen();
overrides.onChange = () => {
  if (isReady) applyScope();
  const notice = overrides.takeNotice();
  browser.runtime.sendMessage({ type: OVERRIDES_CHANGED, overrides: overrides.list(), ...(notice ? { notice } : {}) }).catch(() => {
    // No extension page is open: nobody to tell.
  });
};

function status(): WorkerStatus {
  const sessions: Record<number, number> = {};
  for (const t of store.tabs()) sessions[t] = store.peek(t)?.size ?? 0;
  return {
    ready: isReady,
    protocol: PROTOCOL_VERSION,
    listening: capture.listening(),
    captureAll: settings.captureAll,
    tabs: recordedTabs() ?? [],
    sessions,
    startedAt,
    storage: store.health(),
  };
}

browser.tabs.onRemoved.addListener((tabId) => {
  forcedTabs.delete(tabId);
  void ready.then(() => overrides.tabClosed(tabId));
  void ready.then(() => store.drop(tabId)).then(() => applyScope());
});

// A top-level navigation starts a new session unless "preserve log" is on. `loading` comes
// before the new document's first request, so nothing of the new page is cleared.
browser.tabs.onUpdated.addListener((tabId, change) => {
  if (change.status !== 'loading') return;
  void ready.then(() => {
    const s = store.peek(tabId);
    if (!s || s.preserveLog || s.size === 0) return;
    store.clear(tabId);
    ports.send(tabId, { type: 'cleared', counters: store.counters(s) });
  });
});
