import { visibleControls } from '../report/format';
import type { Message } from '../cors/types';
import { diffHeaders, type DiffedHeader } from './headers';
import { headerRows } from './decisive';
import { displayName } from './curl';
import { Folded } from './Folded';

interface HeadersProps {
  title: string;
  headers: DiffedHeader[];
  decisive: Set<string>;
  /** A response: a decisive header it lacks is shown as a `(missing)` row. */
  isResponse: boolean;
  /** Said instead of the table when there are no headers. */
  empty?: string;
}

const CHANGE_NOTE: Record<string, string> = { added: 'added by override', changed: 'changed by override', removed: 'removed by override' };

const plain = (m: Message | null): DiffedHeader[] => (m?.headers ?? []).map(([name, value]) => ({ name, value, change: 'same' as const }));

function HeaderTable({ title, headers, decisive, isResponse, empty = '(none captured)' }: HeadersProps) {
  const byName = new Map<string, DiffedHeader[]>();
  for (const h of headers) byName.set(h.name, [...(byName.get(h.name) ?? []), h]);
  const seen = new Map<string, number>();
  // Decisive rows first, CORS headers next, Accept or User-Agent last; absent decisive ones as (missing).
  const rows = headerRows(headers.map((h) => [h.name, h.value]), decisive, isResponse).map((r) => {
    const i = seen.get(r.name) ?? 0;
    seen.set(r.name, i + 1);
    return { ...r, diff: byName.get(r.name)?.[i] };
  });
  return (
    <div class="headers">
      <h4>{title}</h4>
      {rows.length === 0 ? (
        <p class="muted">{empty}</p>
      ) : (
        <table aria-label={title}>
          <tbody>
            {rows.map((h, i) => (
              <tr key={`${h.name}-${i}`} class={`${h.decisive ? 'decisive' : ''}${h.missing ? ' missing' : ''} change-${h.diff?.change ?? 'same'}`} data-header={h.name}>
                <th scope="row">{displayName(h.name)}</th>
                <td>
                  {h.missing ? (
                    <span class="value missing-value" title="The response did not carry this header">(missing)</span>
                  ) : (
                    <Folded value={h.value} />
                  )}
                  {h.diff && h.diff.change !== 'same' && <span class="badge override">{CHANGE_NOTE[h.diff.change]}</span>}
                  {h.diff?.was !== undefined && <span class="muted"> (server sent: {visibleControls(h.diff.was)})</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

interface MessageViewProps {
  heading: string;
  request: Message;
  response: Message | null;
  finalResponse?: Message;
  error: string | null;
  decisiveRequest: Set<string>;
  decisiveResponse: Set<string>;
  /** Instead of the tables: why there is nothing to show (a request Chrome never sent). */
  note?: { status: string; text: string };
}

/**
 * One side of the detail: the response's headers first (the evidence, as the Network panel orders
 * them), then the request's. After an override, the final headers and the server's.
 */
export function MessageView({ heading, request, response, finalResponse, error, decisiveRequest, decisiveResponse, note }: MessageViewProps) {
  if (note) {
    return (
      <section class="side side-note" aria-label={heading}>
        <h3>
          {heading} <span class="muted">→ {note.status}</span>
        </h3>
        <p class="muted">{note.text}</p>
      </section>
    );
  }
  const status = response?.statusCode !== undefined ? String(response.statusCode) : error ?? 'no response';
  // A request always sends more than Origin: none seen with a response means capture missed the request (see TabSession.onUnsentResponse).
  const missed = response !== null && request.headers.every(([n]) => n === 'origin');
  const ok = response?.statusCode !== undefined && response.statusCode >= 200 && response.statusCode <= 299;
  return (
    <section class="side" aria-label={heading}>
      <h3>
        {heading} <span class={ok || response === null ? 'muted' : 'status-bad'} data-status>→ {status}</span>
      </h3>
      {finalResponse ? (
        <>
          <HeaderTable title="Response headers (final, after override)" headers={diffHeaders(response, finalResponse)} decisive={decisiveResponse} isResponse />
          <HeaderTable title="Response headers (as the server sent them)" headers={plain(response)} decisive={decisiveResponse} isResponse />
        </>
      ) : (
        response && <HeaderTable title="Response headers" headers={plain(response)} decisive={decisiveResponse} isResponse />
      )}
      <HeaderTable
        title="Request headers"
        headers={missed ? [] : plain(request)}
        decisive={decisiveRequest}
        isResponse={false}
        empty={missed ? '(not seen: CORS Lens began observing after this request was sent, or its worker was restarting)' : undefined}
      />
    </section>
  );
}
