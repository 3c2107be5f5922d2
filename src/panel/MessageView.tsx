import type { HeaderList, Message } from '../cors/types';
import { diffHeaders, type DiffedHeader } from './headers';
import { displayName } from './curl';
import { Folded } from './Folded';
import { visibleControls } from '../report/format';

interface HeadersProps {
  title: string;
  headers: HeaderList | DiffedHeader[];
  decisive: Set<string>;
  /** Said instead of the table when there are no headers. */
  empty?: string;
}

const CHANGE_NOTE: Record<string, string> = { added: 'added by override', changed: 'changed by override', removed: 'removed by override' };

function HeaderTable({ title, headers, decisive, empty = '(none captured)' }: HeadersProps) {
  const rows: DiffedHeader[] = headers.map((h) => (Array.isArray(h) ? { name: h[0], value: h[1], change: 'same' as const } : h));
  return (
    <div class="headers">
      <h4>{title}</h4>
      {rows.length === 0 ? (
        <p class="muted">{empty}</p>
      ) : (
        <table aria-label={title}>
          <tbody>
            {rows.map((h, i) => (
              <tr key={`${h.name}-${i}`} class={`${decisive.has(h.name) ? 'decisive' : ''} change-${h.change}`} data-header={h.name}>
                <th scope="row">{displayName(h.name)}</th>
                <td>
                  <Folded value={h.value} />
                  {h.change !== 'same' && <span class="badge override">{CHANGE_NOTE[h.change]}</span>}
                  {h.was !== undefined && <span class="muted"> (server sent: {visibleControls(h.was)})</span>}
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
  decisive: Set<string>;
}

/** One side of the detail: the request's headers, then the response's (the server's and, after an override, the final ones). */
export function MessageView({ heading, request, response, finalResponse, error, decisive }: MessageViewProps) {
  const status = response?.statusCode !== undefined ? String(response.statusCode) : error ?? 'no response';
  // A request always sends more than Origin: none seen with a response means capture missed the request (see TabSession.onUnsentResponse).
  const missed = response !== null && request.headers.every(([n]) => n === 'origin');
  return (
    <section class="side" aria-label={heading}>
      <h3>
        {heading} <span class="muted">→ {status}</span>
      </h3>
      <HeaderTable
        title="Request headers"
        headers={missed ? [] : request.headers}
        decisive={decisive}
        empty={missed ? '(not seen: CORS Lens began observing after this request was sent, or its worker was restarting)' : undefined}
      />
      {finalResponse ? (
        <>
          <HeaderTable title="Response headers (final, after override)" headers={diffHeaders(response, finalResponse)} decisive={decisive} />
          <HeaderTable title="Response headers (as the server sent them)" headers={response?.headers ?? []} decisive={decisive} />
        </>
      ) : (
        <HeaderTable title="Response headers" headers={response?.headers ?? []} decisive={decisive} />
      )}
    </section>
  );
}
