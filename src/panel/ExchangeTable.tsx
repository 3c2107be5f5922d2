import { useEffect } from 'preact/hooks';
import type { Exchange } from '../traffic/exchange';
import { rowOf } from './format';
import { ROW_HEIGHT, useVirtualRows } from './useVirtualRows';

interface Props {
  exchanges: Exchange[];
  selectedId: string | null;
  onSelect: (id: string, open: boolean) => void;
  onKeyDown: (e: KeyboardEvent) => void;
}

const COLUMNS = ['Name', 'Method', 'Status', 'Preflight', 'Verdict', 'Finding', 'Time'];

/** The Network-panel-style table, virtualised: 10,000 rows cost what the visible 30 cost. */
export function ExchangeTable({ exchanges, selectedId, onSelect, onKeyDown }: Props) {
  const { scrollRef, virtualizer, onScroll } = useVirtualRows(exchanges.length, (i) => exchanges[i]?.id ?? String(i), ROW_HEIGHT);
  const selectedIndex = selectedId === null ? -1 : exchanges.findIndex((e) => e.id === selectedId);
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex]);
  return (
    <div
      class="grid-scroll"
      ref={scrollRef}
      role="grid"
      aria-label="Cross-origin requests"
      aria-rowcount={exchanges.length + 1}
      aria-activedescendant={selectedIndex >= 0 ? `row-${selectedId}` : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onScroll={onScroll}
    >
      <div class="grid-inner" style={{ height: `${virtualizer.getTotalSize()}px` }}>
        <div class="grid-row grid-head" role="row" aria-rowindex={1}>
          {COLUMNS.map((c) => (
            <div key={c} role="columnheader" class={`col-${c.toLowerCase()}`}>
              {c}
            </div>
          ))}
        </div>
        {virtualizer.getVirtualItems().map((item) => {
          const ex = exchanges[item.index];
          if (!ex) return null;
          const r = rowOf(ex);
          const selected = ex.id === selectedId;
          return (
            <div
              key={r.id}
              id={`row-${r.id}`}
              class={`grid-row tone-${r.tone}${selected ? ' selected' : ''}`}
              role="row"
              aria-rowindex={item.index + 2}
              aria-selected={selected}
              data-id={r.id}
              style={{ transform: `translateY(${item.start}px)` }}
              onClick={() => onSelect(r.id, true)}
            >
              <div role="gridcell" class="name" title={r.url}>
                {r.host && <span class="host">{r.host}</span>}
                <span class="path">{r.path}</span>
              </div>
              <div role="gridcell" class="col-method">{r.method}</div>
              <div role="gridcell" class={`col-status${r.statusBad ? ' status-bad' : ''}`} title={ex.error ?? r.status}>
                {r.status}
              </div>
              <div role="gridcell" class="col-preflight">{r.preflight}</div>
              <div role="gridcell" class="verdict">
                {r.verdict}
                {(ex.finalResponse || ex.preflight?.finalResponse) && (
                  <span class="overridden" title="Headers changed by a local override: this is not what the server sent">
                    {' '}
                    (override)
                  </span>
                )}
              </div>
              <div role="gridcell" class="col-finding" title={r.finding}>{r.finding}</div>
              <div role="gridcell" class="col-time">{r.time}</div>
            </div>
          );
        })}
      </div>
    </div>
  );
}
