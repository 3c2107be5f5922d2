import { describeFinding } from '../cors/describe';
import { useMemo } from 'preact/hooks';
import type { Exchange } from '../traffic/exchange';
import { decisiveOf, neverSent } from './decisive';
import { answerOf } from './answer';
import { Answer } from './Answer';
import { preflightFromCache } from './preflight-cache';
import { fixToCopy } from './format';
import { CopyActions } from './CopyActions';
import { visibleControls } from '../report/format';
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
  const reason = ex.findings.find((f) => f.severity === 'error');
  return reason === undefined ? null : fixToCopy(describeFinding(reason).fix);
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
  const fix = fixOf(ex);
  return (
    <section class="detail" aria-label="Exchange detail" data-id={ex.id}>
      <header class="detail-head">
        <h2 title={ex.url} class="detail-url">
          <span class="method">{visibleControls(ex.method)}</span> {visibleControls(ex.url)}
        </h2>
        <div class="actions">
          <CopyActions key={ex.id} ex={ex} fix={fix} />
          <button type="button" class="close" onClick={onClose} aria-label="Close detail" title="Close (Escape)">
            ×
          </button>
        </div>
      </header>
      <div class="detail-body">
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
        {/* The sequence diagram follows the evidence: at 1000x800 the answer and the decisive rows come first. */}
        <Picture ex={ex} now={now()} />
        <Findings findings={ex.findings} shownFix={answer.fix} />
        {tabId !== undefined && <TryFix ex={ex} tabId={tabId} now={now} />}
      </div>
    </section>
  );
}
