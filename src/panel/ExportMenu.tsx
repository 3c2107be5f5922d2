import { useEffect, useRef, useState } from 'preact/hooks';
import type { ExportFormat } from '../report/export';
import { DEFAULT_REDACTED } from '../report/redact';

interface Props {
  onExport: (format: ExportFormat, redact: boolean, extra: string[]) => void;
  onImport: (fileName: string, text: string) => void;
  /** A one-line outcome: "Saved …", or why an import was refused. */
  status: string;
}

const EXTRA_KEY = 'redactExtra';
/** Extension storage, absent when the panel runs outside the extension (component tests). */
const storage = (): chrome.storage.StorageArea | undefined => (typeof chrome === 'undefined' ? undefined : chrome.storage?.local);
const FORMATS: Array<[ExportFormat, string]> = [
  ['json', 'JSON (for tools)'],
  ['html', 'HTML (for people)'],
  ['markdown', 'Markdown (for an issue)'],
];

export function parseNames(text: string): string[] {
  return text.split(/[\s,]+/).map((n) => n.trim().toLowerCase()).filter((n) => /^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(n));
}

/** Export (JSON / HTML / Markdown) with redaction on by default, and "Open report…" for a saved JSON session. */
export function ExportMenu({ onExport, onImport, status }: Props) {
  const [redact, setRedact] = useState(true);
  const [extra, setExtra] = useState('');
  const menu = useRef<HTMLDetailsElement>(null);
  // The menu closes once it has done its job, so it never hides what the action changed.
  const close = () => {
    if (menu.current) menu.current.open = false;
  };
  useEffect(() => {
    void storage()?.get(EXTRA_KEY).then((r) => setExtra(Array.isArray(r[EXTRA_KEY]) ? (r[EXTRA_KEY] as string[]).join(', ') : ''), () => {});
  }, []);
  const saveExtra = (text: string) => {
    setExtra(text);
    void storage()?.set({ [EXTRA_KEY]: parseNames(text) }).catch(() => {});
  };
  return (
    <>
      <details class="menu export-menu" ref={menu}>
        <summary aria-label="Export or open a session report">Export</summary>
        <div class="menu-body" role="menu">
          {FORMATS.map(([format, label]) => (
            <button
              key={format}
              type="button"
              role="menuitem"
              data-export={format}
              onClick={() => {
                onExport(format, redact, parseNames(extra));
                close();
              }}
            >
              Save as {label}
            </button>
          ))}
          <label class="check">
            <input type="checkbox" checked={redact} aria-label="Redact secrets" onChange={(e) => setRedact((e.target as HTMLInputElement).checked)} />
            Redact secrets ({DEFAULT_REDACTED.join(', ')})
          </label>
          {!redact && (
            <p class="warning" role="alert">
              The file will contain cookies and credentials in clear. Share it only with people who may see them.
            </p>
          )}
          <label>
            Also redact
            <input type="text" value={extra} placeholder="x-api-key, x-auth-token" aria-label="Also redact these headers" onChange={(e) => saveExtra((e.target as HTMLInputElement).value)} />
          </label>
          <label class="open">
            Open report…
            <input
              type="file"
              accept=".json,.har,application/json"
              aria-label="Open a saved JSON report or a HAR file"
              onChange={(e) => {
                const input = e.target as HTMLInputElement;
                const file = input.files?.[0];
                if (file) void file.text().then((text) => onImport(file.name, text)).then(close);
                input.value = '';
              }}
            />
          </label>
        </div>
      </details>
      <span class="menu-status" role="status" aria-live="polite" title={status}>{status}</span>
    </>
  );
}
