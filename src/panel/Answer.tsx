import type { Answer as AnswerData } from './answer';
import { Rich } from './Rich';

const REACHED_TAG: Record<AnswerData['reached'], string> = { yes: 'reached the server', no: 'did not reach the server', unknown: 'server reached: not known' };

/** The detail's first lines: the headline naming every blocker, whether the request ran, the fix. */
export function Answer({ answer }: { answer: AnswerData }) {
  return (
    <section class={`answer kind-${answer.kind}`} aria-label="Answer" data-kind={answer.kind}>
      <h3 class="headline" data-testid="headline">
        <Rich runs={answer.headline} />
      </h3>
      <p class="reached" data-reached={answer.reached}>
        <span class={`reached-tag reached-${answer.reached}`}>{REACHED_TAG[answer.reached]}</span> {answer.reachedText}
      </p>
      {answer.fix && (
        <p class="fix" data-testid="fix">
          <span class="label">Fix</span> <Rich runs={answer.fix} />
        </p>
      )}
    </section>
  );
}
