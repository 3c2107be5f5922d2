import { useMemo, useState } from 'preact/hooks';
import type { Exchange } from '../traffic/exchange';
import { curlForPreflight, curlForRequest } from './curl';
import { decisiveHeaders } from './headers';
import { fixToCopy } from './format';
import { copyText } from './clipboard';
import { exchangeMarkdown } from '../report/markdown';
import { DEFAULT_REDACTED, redactExchange } from '../report/redact';
import { Findings } from './Findings';
import { Facts } from './Facts';
import { MessageView } from './MessageView';
import { TryFix } from './TryFix';
import { Picture } from './Picture';

interface Props {
  ex: Exchange;
  onClose: () => void;
  now?: () => number;
  /** The inspected tab: enables "Try fix" (a local override). */
  tabId?: number;
}

/** The first error finding's fix: the smallest change on the server. */
export function fixOf(ex: Exchange): string | null {
  const fix = ex.findings.find((f) => f.severity === 'error')?.fix;
  return fix === undefined ? null : fixToCopy(fix);
}

/** The selected exchange: findings first (the answer), then the facts, then preflight and request side by side. */
export function Detail({ ex, onClose, now = Date.now, tabId }: Props) {
  const decisive = useMemo(() => decisiveHeaders(ex), [ex]);
  const [copied, setCopied] = useState<string | null>(null);
  const preflightCurl = curlForPreflight(ex);
  const fix = fixOf(ex);
  const copy = (what: string, text: string) => {
    void copyText(text).then((ok) => setCopied(ok ? `Copied ${what}` : `Copy blocked: ${what} is in window.__corsLensLastCopy`));
  };
  return (
    <section class="detail" aria-label="Exchange detail" data-id={ex.id}>
      <header class="detail-head">
        <h2 title={ex.url}>
          <span class="method">{ex.method}</span> {ex.url}
        </h2>
        <div class="actions">
          {preflightCurl && (
            <button type="button" onClick={() => copy('preflight as curl', preflightCurl)} aria-label="Copy preflight as curl">
              Copy preflight as curl
            </button>
          )}
          <button type="button" onClick={() => copy('request as curl', curlForRequest(ex))} aria-label="Copy request as curl">
            Copy request as curl
          </button>
          <button type="button" onClick={() => copy('exchange as Markdown', exchangeMarkdown(redactExchange(ex, new Set(DEFAULT_REDACTED))))} aria-label="Copy as Markdown">
            Copy as Markdown
          </button>
          {fix && (
            <button type="button" onClick={() => copy('fix', fix)} aria-label="Copy fix">
              Copy fix
            </button>
          )}
          <span class="copied" role="status" aria-live="polite">
            {copied}
          </span>
          <button type="button" class="close" onClick={onClose} aria-label="Close detail" title="Close (Escape)">
            ×
          </button>
        </div>
      </header>
      <div class="detail-body">
        <Picture ex={ex} now={now()} />
        <Findings findings={ex.findings} />
        {tabId !== undefined && <TryFix ex={ex} tabId={tabId} now={now} />}
        <Facts ex={ex} now={now()} />
        <div class="sides">
          {ex.preflight && (
            <MessageView
              heading="Preflight (OPTIONS)"
              request={ex.preflight.request}
              response={ex.preflight.response}
              finalResponse={ex.preflight.finalResponse}
              error={ex.preflight.error}
              decisive={decisive}
            />
          )}
          <MessageView
            heading={`Request (${ex.method})`}
            request={ex.request}
            response={ex.response}
            finalResponse={ex.finalResponse}
            error={ex.error}
            decisive={decisive}
          />
        </div>
      </div>
    </section>
  );
}
