import { useEffect, useRef, useState } from 'preact/hooks';
import type { ExportFormat } from '../report/export';
import { DEFAULT_REDACTED, DEFAULT_REDACTED_PARAMS } from '../report/redact';
import { REDACT_EXTRA_KEY } from '../shared/redaction-settings';
import { reportSizeProblem } from '../report/import';
import type { Storage } from 'webextension-polyfill';
import { pageBrowser } from '../shared/page-browser';

interface Props {
  onExport: (format: ExportFormat, redact: boolean, extra: string[]) => void;
  onImport: (fileName: string, text: string) => void;
  /** A file refused before it was read (too large): the session stays as it is. */
  onRefused?: (why: string) => void;
  /** A one-line outcome: "Saved …", or why an import was refused. */
  status: string;
}

const EXTRA_KEY = REDACT_EXTRA_KEY;
/** Extension storage, absent when the panel runs outside the extension (component tests). */
const storage = (): Storage.StorageArea | undefined => pageBrowser()?.storage?.local;
const FORMATS: Array<[ExportFormat, string]> = [
  ['json', 'JSON (for tools)'],
  ['html', 'HTML (for people)'],
  ['markdown', 'Markdown (for an issue)'],
];

export function parseNames(text: string): string[] {
  return text.split(/[\s,]+/).map((n) => n.trim().toLowerCase()).filter((n) => /^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(n));
}

/** Export (JSON / HTML / Markdown) with redaction on by default, and "Open report…" for a saved JSON session. */
export function ExportMenu({ onExport, onImport, onRefused, status }: Props) {
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
          <label class="check" title={`Headers: ${DEFAULT_REDACTED.join(', ')}. URL parameters: ${DEFAULT_REDACTED_PARAMS.join(', ')}.`}>
            <input type="checkbox" checked={redact} aria-label="Redact secrets" onChange={(e) => setRedact((e.target as HTMLInputElement).checked)} />
            Redact secrets (cookies, credentials, API keys and tokens, in headers and URLs)
          </label>
          {!redact && (
            <p class="warning" role="alert">
              The file will contain cookies and credentials in clear. Share it only with people who may see them.
            </p>
          )}
          <label>
            Also redact
            <input type="text" value={extra} placeholder="x-tenant-key, session_id" aria-label="Also redact these headers" onChange={(e) => saveExtra((e.target as HTMLInputElement).value)} />
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
                const tooBig = file ? reportSizeProblem(file.size) : null;
                if (file && tooBig) {
                  onRefused?.(tooBig);
                  close();
                } else if (file) void file.text().then((text) => onImport(file.name, text)).then(close);
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
