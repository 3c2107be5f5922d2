import type { Exchange } from '../traffic/exchange';
import { expiryText, timeCell, VERDICT_LABEL } from './format';

function reachedText(ex: Exchange): string {
  if (ex.reachedServer) return ex.verdict === 'blocked' ? 'yes: the server ran it, the page just could not read the answer' : 'yes';
  return ex.preflight?.observed === 'sent' && ex.verdict === 'blocked' ? 'no: stopped by its preflight' : 'no';
}

function preflightText(ex: Exchange, now: number): string {
  const p = ex.preflight;
  if (!p) return 'none (not needed)';
  const until = p.cacheExpiresAt !== undefined ? `; cache entry until ${timeCell(p.cacheExpiresAt)} (${expiryText(p.cacheExpiresAt, now)})` : '';
  switch (p.observed) {
    case 'sent':
      return `sent${p.response?.statusCode !== undefined ? `, answered ${p.response.statusCode}` : p.error ? `, failed: ${p.error}` : ''}${until}`;
    case 'cached':
      return `not sent: an earlier preflight answer was reused from the preflight cache${until}`;
    case 'missing':
      return `needed but not seen${until}`;
  }
}

function credentialsText(ex: Exchange): string {
  const c = ex.credentials;
  // "Inferred" qualifies a value; an unknown value just says why it is unknown.
  // Undecided: the findings assume fetch()'s default, and the value says so (docs/inference.md).
  const value = c.value === null ? (c.rule === 'credentials-undecided' ? 'not included (assumed)' : 'unknown') : `${c.value}${c.inferred ? ' (inferred)' : ''}`;
  return `${value}${c.why ? `: ${c.why}` : ''}`;
}

/** The facts of an exchange, as a definition list. `now` is passed in so tests are deterministic. */
export function Facts({ ex, now }: { ex: Exchange; now: number }) {
  const facts: Array<[string, string, string]> = [
    ['Verdict', VERDICT_LABEL[ex.verdict] ?? ex.verdict, 'verdict'],
    ['Reached the server', reachedText(ex), 'reached'],
    ['Preflight', preflightText(ex, now), 'preflight'],
    ['Credentials', credentialsText(ex), 'credentials'],
    ['Mode', ex.mode ?? 'unknown', 'mode'],
    ['Initiator', ex.initiatorOrigin ?? 'unknown', 'initiator'],
    ['Started', timeCell(ex.startedAt), 'started'],
  ];
  if (ex.error) facts.push(['Browser error', ex.error, 'error']);
  return (
    <div class="facts-wrap">
      <dl class="facts">
        {facts.map(([k, v, key]) => (
          <div key={key} data-fact={key}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {ex.preflight && ex.preflight.reasons.length > 0 && (
        <div class="reasons" data-fact="reasons">
          <h4>Why a preflight was needed</h4>
          <ul>
            {ex.preflight.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </div>
      )}
      {ex.redirects.length > 0 && (
        <div class="redirects" data-fact="redirects">
          <h4>Redirects</h4>
          <ol>
            {ex.redirects.map((r, i) => (
              <li key={i}>
                {r.statusCode} → {r.location}
              </li>
            ))}
          </ol>
        </div>
      )}
    </div>
  );
}
