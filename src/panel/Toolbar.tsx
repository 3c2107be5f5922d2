import type { ComponentChildren } from 'preact';
import type { Filter } from './filter';
import type { SessionCounters } from '../shared/protocol';

interface Props {
  filter: Filter;
  onFilter: (f: Filter) => void;
  preserveLog: boolean;
  onPreserveLog: (on: boolean) => void;
  onClear: () => void;
  onPopOut: (() => void) | null;
  counters: SessionCounters;
  blocked: number;
  shown: number;
  total: number;
  /** More controls (the Export menu), before Pop out. */
  children?: ComponentChildren;
}

type Toggle = 'blockedOnly' | 'preflightedOnly' | 'warningsOnly';
const TOGGLES: Array<[Toggle, string, string]> = [
  ['blockedOnly', 'Blocked', 'Show only blocked requests'],
  ['preflightedOnly', 'Preflighted', 'Show only requests with a preflight'],
  ['warningsOnly', 'Warnings', 'Show only requests with warnings'],
];

/** Clear, Preserve log, the filter box and its toggles, the counters, Pop out. */
export function Toolbar(p: Props) {
  return (
    <div class="toolbar" role="toolbar" aria-label="CORS Lens controls">
      <button type="button" class="icon" onClick={p.onClear} aria-label="Clear" title="Clear">
        <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
          <circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" stroke-width="1.6" />
          <path d="M3.8 12.2 12.2 3.8" stroke="currentColor" stroke-width="1.6" />
        </svg>
      </button>
      <label class="check" title="Do not clear the log on page reload or navigation">
        <input type="checkbox" checked={p.preserveLog} aria-label="Preserve log" onChange={(e) => p.onPreserveLog((e.target as HTMLInputElement).checked)} />
        Preserve log
      </label>
      <span class="sep" />
      <input
        type="search"
        class="filter"
        placeholder="Filter: URL, method, header, finding"
        aria-label="Filter"
        value={p.filter.text}
        onInput={(e) => p.onFilter({ ...p.filter, text: (e.target as HTMLInputElement).value })}
      />
      {TOGGLES.map(([key, label, aria]) => (
        <button
          key={key}
          type="button"
          class="chip btn"
          aria-pressed={p.filter[key]}
          aria-label={aria}
          data-toggle={key}
          onClick={() => p.onFilter({ ...p.filter, [key]: !p.filter[key] })}
        >
          {label}
        </button>
      ))}
      <span class="counters" data-testid="counters" data-shown={p.shown} data-total={p.total} aria-live="polite">
        {p.shown !== p.total && <span>{p.shown} / {p.total} shown · </span>}
        <span data-counter="captured">{p.counters.captured} captured</span> · <span data-counter="blocked">{p.blocked} blocked</span>
        {p.counters.dropped > 0 && ' · '}
        {/* Only worth a word once something was dropped; the count stays in the DOM for automation. */}
        <span data-counter="dropped" hidden={p.counters.dropped === 0} title="The session keeps the newest exchanges up to its cap (10,000 by default, in Options); older ones are dropped">
          {p.counters.dropped} dropped (oldest, over the session cap)
        </span>
      </span>
      {p.children}
      {p.onPopOut && (
        <button type="button" class="btn" onClick={p.onPopOut} aria-label="Pop out into a tab" title="Open this panel in its own tab">
          Pop out
        </button>
      )}
    </div>
  );
}
