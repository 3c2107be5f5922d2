import { useEffect, useMemo, useReducer, useRef, useState } from 'preact/hooks';
import type { ToPanelMessage } from '../shared/protocol';
import { applyMessage, blockedCount, emptyState, exchangesOf } from './state';
import type { PanelConnection } from './connection';
import { applyFilter, isFiltering, noFilter, warmHaystacks, type Filter, type Idle } from './filter';
import { moveSelection, navAction } from './nav';
import { Toolbar } from './Toolbar';
import { ExchangeTable } from './ExchangeTable';
import { Detail } from './Detail';
import { Overrides } from './Overrides';
import { ExportMenu } from './ExportMenu';
import { StorageNotice } from './StorageNotice';
import { downloadText, tabUrl } from './download';
import { exportSession, redactionFor, type ExportFormat } from '../report/export';
import { parseReport } from '../report/import';
import { harToReport, isHarText, type HarConversion } from '../har';
import { HarNotice } from './HarNotice';
import type { SessionReport } from '../report/schema';
import type { Exchange } from '../traffic/exchange';

interface Props {
  tabId: number;
  connect: (tabId: number, onMessage: (m: ToPanelMessage) => void) => PanelConnection;
  /** Opens this panel in its own tab; defaults to window.open of panel.html?tabId=N. */
  popOut?: (tabId: number) => void;
  now?: () => number;
}

function defaultPopOut(tabId: number): void {
  window.open(new URL(`panel.html?tabId=${tabId}`, location.href).href, '_blank', 'noopener');
}

/** requestIdleCallback where there is one (the panel); a timer slice elsewhere (tests' DOMs). */
const browserIdle: Idle =
  typeof requestIdleCallback === 'function'
    ? { request: (step) => requestIdleCallback(step, { timeout: 1_000 }), cancel: (h) => cancelIdleCallback(h) }
    : { request: (step) => setTimeout(() => { const end = Date.now() + 8; step({ timeRemaining: () => end - Date.now() }); }, 0) as unknown as number, cancel: (h) => clearTimeout(h) };

export function App({ tabId, connect, popOut = defaultPopOut, now }: Props) {
  const [state, dispatch] = useReducer(applyMessage, undefined, emptyState);
  const conn = useRef<PanelConnection | null>(null);
  const [filter, setFilter] = useState<Filter>(noFilter);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    conn.current = connect(tabId, dispatch);
    return () => conn.current?.close();
  }, [tabId]);

  // A report opened from a file replaces the live view, read-only, until "Back to live capture".
  const [imported, setImported] = useState<{ name: string; report: SessionReport; byId: Map<string, Exchange>; har?: HarConversion } | null>(null);
  const [menuStatus, setMenuStatus] = useState('');
  const live = useMemo(() => exchangesOf(state), [state.order, state.byId]);
  const all = imported ? imported.report.exchanges : live;
  const byId = imported ? imported.byId : state.byId;
  const shown = useMemo(() => applyFilter(all, filter), [all, filter]);
  useEffect(() => warmHaystacks(all, browserIdle), [all]);
  const blocked = useMemo(() => blockedCount(all), [all]);
  const selected = selectedId !== null ? byId.get(selectedId) : undefined;
  // A cleared or dropped exchange cannot stay open.
  useEffect(() => {
    if (selectedId !== null && !selected) {
      setSelectedId(null);
      setOpen(false);
    }
  }, [selectedId, selected]);

  const onKeyDown = (e: KeyboardEvent) => {
    const a = navAction(e.key);
    if (!a) return;
    e.preventDefault();
    if (a.kind === 'move') setSelectedId(moveSelection(shown.map((x) => x.id), selectedId, a.delta));
    else if (a.kind === 'open') setOpen(selectedId !== null);
    else setOpen(false);
  };

  return (
    <div class={`panel${open && selected ? ' with-detail' : ''}`} onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
      <Toolbar
        filter={filter}
        onFilter={setFilter}
        preserveLog={state.preserveLog}
        onPreserveLog={(on) => {
          dispatch({ type: 'local/preserve-log', on });
          conn.current?.send({ type: 'preserve-log', on });
        }}
        onClear={() => (imported ? setImported(null) : conn.current?.send({ type: 'clear' }))}
        onPopOut={popOut ? () => popOut(tabId) : null}
        counters={state.counters}
        blocked={blocked}
        shown={shown.length}
        total={all.length}
      >
        <ExportMenu
          status={menuStatus}
          onExport={(format: ExportFormat, redact: boolean, extra: string[]) => {
            void (imported ? Promise.resolve(imported.report.tab.url) : tabUrl(tabId)).then((url) => {
              const file = exportSession(
                { exchanges: all, tab: { id: imported?.report.tab.id ?? tabId, url }, browser: navigator.userAgent, exportedAt: new Date().toISOString(), redact: redactionFor(redact, extra) },
                format,
              );
              downloadText(file.fileName, file.mime, file.text);
              setMenuStatus(`Saved ${file.fileName}`);
            });
          }}
          onRefused={(why) => setMenuStatus(`Not opened: ${why}`)}
          onImport={(name, text) => {
            // A HAR (Chrome, Firefox, Playwright) is read by its own converter; anything else must be a CORS Lens report.
            if (isHarText(text)) {
              const har = harToReport(text, { exportedAt: new Date().toISOString(), redact: [] });
              if (!har.ok) {
                setMenuStatus(`Not opened: ${har.error}`);
                return;
              }
              setImported({ name, report: har.report, byId: new Map(har.report.exchanges.map((e) => [e.id, e])), har: har.conversion });
              setMenuStatus(`Opened ${name}`);
              return;
            }
            const parsed = parseReport(text);
            if (!parsed.ok) {
              setMenuStatus(`Not opened: ${parsed.error}`);
              return;
            }
            setImported({ name, report: parsed.report, byId: new Map(parsed.report.exchanges.map((e) => [e.id, e])) });
            setMenuStatus(`Opened ${name}`);
          }}
        />
      </Toolbar>
      {!imported && <StorageNotice health={state.counters.storage} />}
      {imported && (
        <div class="banner imported" role="status">
          <span>
            Viewing <b>{imported.name}</b>, read-only: {imported.report.exchanges.length} exchanges from {imported.report.tab.url || 'an unknown page'}, exported {imported.report.exportedAt}.
          </span>
          <button type="button" onClick={() => setImported(null)}>Back to live capture</button>
        </div>
      )}
      {imported?.har && <HarNotice conversion={imported.har} />}
      <Overrides tabId={tabId} />
      {all.length === 0 ? (
        <div class="empty" role="status">
          <p>No cross-origin requests yet. Reload the page to capture its requests.</p>
          {state.connected && !state.capturing && <p class="muted">This tab is not being recorded: open DevTools on it.</p>}
        </div>
      ) : shown.length === 0 && isFiltering(filter) ? (
        <div class="empty" role="status">
          <p>No request matches the filter.</p>
        </div>
      ) : (
        <ExchangeTable
          exchanges={shown}
          selectedId={selectedId}
          onSelect={(id, o) => {
            setSelectedId(id);
            if (o) setOpen(true);
          }}
          onKeyDown={onKeyDown}
        />
      )}
      {open && selected && <Detail ex={selected} onClose={() => setOpen(false)} now={now} tabId={imported ? undefined : tabId} />}
    </div>
  );
}
