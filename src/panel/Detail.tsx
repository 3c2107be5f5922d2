import { describeFinding } from '../cors/describe';
import { useMemo } from 'preact/hooks';
import type { Exchange } from '../traffic/exchange';
import { decisiveHeaders } from './headers';
import { fixToCopy } from './format';
import { CopyActions } from './CopyActions';
import { visibleControls } from '../report/format';
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
  return reason === undefined ? null : fixToCopy(describeFinding(reason).fix);
}

/** The selected exchange: findings first (the answer), then the facts, then preflight and request side by side. */
export function Detail({ ex, onClose, now = Date.now, tabId }: Props) {
  const decisive = useMemo(() => decisiveHeaders(ex), [ex]);
  const fix = fixOf(ex);
  return (
    <section class="detail" aria-label="Exchange detail" data-id={ex.id}>
      <header class="detail-head">
        <h2 title={ex.url}>
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
