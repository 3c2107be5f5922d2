import { describeFinding, markedText } from '../cors/describe';
import { useMemo, useState } from 'preact/hooks';
import type { Exchange } from '../traffic/exchange';
import { curlForPreflight, curlForRequest } from './curl';
import { decisiveOf, neverSent } from './decisive';
import { answerOf } from './answer';
import { Answer } from './Answer';
import { preflightFromCache } from './preflight-cache';
import { fixToCopy } from './format';
import { copyText } from './clipboard';
import { exchangeMarkdown } from '../report/markdown';
import { DEFAULT_REDACTED, redactExchange } from '../report/redact';
import { Findings } from './Findings';
import { Facts } from './Facts';
import { MessageView } from './MessageView';
import { TryFix } from './TryFix';

interface Props {
  ex: Exchange;
  onClose: () => void;
  now?: () => number;
  /** The inspected tab: enables "Try fix" (a local override). */
  tabId?: number;
}

/** The first error finding's fix: the smallest change on the server. */
export function fixOf(ex: Exchange): string | null {
  const reason = ex.findings.find((f) => f.severity === 'error');
  return reason === undefined ? null : fixToCopy(markedText(describeFinding(reason).fix));
}

/** A preflight with nothing to show as tables: reused from the cache, or not seen. */
function preflightNote(ex: Exchange): { status: string; text: string } | undefined {
  const p = ex.preflight;
  if (!p || p.observed === 'sent') return undefined;
  if (p.observed === 'cached') return { status: 'from the preflight cache', text: 'Not sent: Chrome reused an earlier preflight answer from its preflight cache.' };
  const cache = preflightFromCache(ex);
  if (cache) return { status: 'most likely from the preflight cache', text: `Not seen: ${cache}.` };
  return undefined;
}

/**
 * The selected exchange: the answer (headline, whether it reached the server, the fix), the facts,
 * the evidence (preflight and request side by side, response headers first), then the findings.
 */
export function Detail({ ex, onClose, now = Date.now, tabId }: Props) {
  const decisive = useMemo(() => decisiveOf(ex), [ex]);
  const answer = useMemo(() => answerOf(ex), [ex]);
  const [copied, setCopied] = useState<string | null>(null);
  const preflightCurl = curlForPreflight(ex);
  const fix = fixOf(ex);
  const copy = (what: string, text: string) => {
    void copyText(text).then((ok) => setCopied(ok ? `Copied ${what}` : `Copy blocked: ${what} is in window.__corsLensLastCopy`));
  };
  return (
    <section class="detail" aria-label="Exchange detail" data-id={ex.id}>
      <header class="detail-head">
        <h2 title={ex.url} class="detail-url">
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
        {/* The exchange's sequence diagram is mounted here, above the answer. */}
        <Answer answer={answer} />
        <Facts ex={ex} now={now()} />
        <div class="sides">
          {ex.preflight && (
            <MessageView
              heading="Preflight (OPTIONS)"
              request={ex.preflight.request}
              response={ex.preflight.response}
              finalResponse={ex.preflight.finalResponse}
              error={ex.preflight.error}
              decisiveRequest={decisive.preflightRequest}
              decisiveResponse={decisive.preflightResponse}
              note={preflightNote(ex)}
            />
          )}
          <MessageView
            heading={`Request (${ex.method})`}
            request={ex.request}
            response={ex.response}
            finalResponse={ex.finalResponse}
            error={ex.error}
            decisiveRequest={decisive.request}
            decisiveResponse={decisive.response}
            note={neverSent(ex) ? { status: 'not sent', text: `Chrome never sent the ${ex.method} request${ex.preflight ? ': it stopped at its preflight' : ''}, so it has no headers to show.` } : undefined}
          />
        </div>
        <Findings findings={ex.findings} shownFix={answer.fix} />
        {tabId !== undefined && <TryFix ex={ex} tabId={tabId} now={now} />}
      </div>
    </section>
  );
}
