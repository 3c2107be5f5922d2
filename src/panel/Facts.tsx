import { reasonRuns } from '../cors/reasons';
import type { Exchange } from '../traffic/exchange';
import { expiryText, timeCell, VERDICT_LABEL } from './format';
import { preflightFromCache } from './preflight-cache';
import { Rich } from './Rich';
import { runs, type Runs } from './runs';

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
      return preflightFromCache(ex) ? `${preflightFromCache(ex)}${until}` : `needed, and not seen by CORS Lens${until}`;
  }
}

/** The credentials mode and why, as runs: the reason rendered from its rule and values (src/cors/reasons.ts). */
export function credentialsRuns(ex: Exchange): Runs {
  const c = ex.credentials;
  // "Inferred" qualifies a value; an unknown value just says why it is unknown.
  // Undecided: the findings assume fetch()'s default, and the value says so (docs/inference.md).
  const value = c.value === null ? (c.rule === 'credentials-undecided' ? 'not included (assumed)' : 'unknown') : `${c.value}${c.inferred ? ' (inferred)' : ''}`;
  const why = reasonRuns({ ...c, why: c.why.replace(/^inferred:\s*/i, '') });
  return why.length > 0 ? runs(`${value}: `, why) : runs(value);
}

/** The request's mode, and the rule that decided it when the browser did not say. */
export function modeRuns(ex: Exchange): Runs {
  const note = ex.inferred?.mode;
  const why = note && note.rule !== 'mode-sec-fetch-mode' ? reasonRuns(note) : [];
  return why.length > 0 ? runs(`${ex.mode ?? 'unknown'}: `, why) : runs(ex.mode ?? 'unknown');
}

/** The facts of an exchange, as a definition list. `now` is passed in so tests are deterministic. */
export function Facts({ ex, now }: { ex: Exchange; now: number }) {
  const facts: Array<[string, Runs, string]> = [
    ['Verdict', runs(VERDICT_LABEL[ex.verdict] ?? ex.verdict), 'verdict'],
    ['Preflight', runs(preflightText(ex, now)), 'preflight'],
  ];
  if (ex.preflight && ex.preflight.reasons.length > 0) facts.push(['Preflight needed because', runs(ex.preflight.reasons.join('; ')), 'reasons']);
  facts.push(
    ['Credentials', credentialsRuns(ex), 'credentials'],
    ['Mode', modeRuns(ex), 'mode'],
    ['Initiator', runs(ex.initiatorOrigin ?? 'unknown'), 'initiator'],
    ['Started', runs(timeCell(ex.startedAt)), 'started'],
  );
  if (ex.error) facts.push(['Browser error', runs(ex.error), 'error']);
  return (
    <div class="facts-wrap">
      <dl class="facts">
        {facts.map(([k, v, key]) => (
          <div key={key} data-fact={key} class={`fact-${key}`}>
            <dt>{k}</dt>
            <dd>
              <Rich runs={v} />
            </dd>
          </div>
        ))}
      </dl>
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
