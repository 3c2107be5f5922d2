import { useEffect, useMemo, useReducer, useRef, useState } from 'preact/hooks';
import type { ToPanelMessage } from '../shared/protocol';
import { applyMessage, blockedCount, emptyState, exchangesOf } from './state';
import type { PanelConnection } from './connection';
import { applyFilter, isFiltering, noFilter, type Filter } from './filter';
import { moveSelection, navAction } from './nav';
import { Toolbar } from './Toolbar';
import { ExchangeTable } from './ExchangeTable';
import { Detail } from './Detail';

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

  const all = useMemo(() => exchangesOf(state), [state.order, state.byId]);
  const shown = useMemo(() => applyFilter(all, filter), [all, filter]);
  const blocked = useMemo(() => blockedCount(all), [all]);
  const selected = selectedId !== null ? state.byId.get(selectedId) : undefined;
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
        onClear={() => conn.current?.send({ type: 'clear' })}
        onPopOut={popOut ? () => popOut(tabId) : null}
        counters={state.counters}
        blocked={blocked}
        shown={shown.length}
        total={all.length}
      />
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
      {open && selected && <Detail ex={selected} onClose={() => setOpen(false)} now={now} />}
    </div>
  );
}
