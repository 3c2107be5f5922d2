// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { render } from 'preact';
import { makeFinding } from '../cors/catalogue';
import { TryFix } from './TryFix';
import { blockedPut } from './testing';

const A = 'http://127.0.0.1:9001';
const params = { origin: A, url: 'http://127.0.0.1:9002/gin?s=custom-header', path: '/gin', method: 'PUT', credentials: null };

function shown(ex: ReturnType<typeof blockedPut>) {
  const root = document.createElement('div');
  render(<TryFix ex={ex} tabId={7} api={null} />, root);
  const block = (which: string) => {
    const d = root.querySelector(`.try-fix-response[data-response=${which}]`);
    return {
      applied: d?.querySelector('pre.override-lines')?.textContent?.split('\n') ?? [],
      apart: [...(d?.querySelectorAll('.override-apart') ?? [])].map((g) => [(g as HTMLElement).dataset.reason, g.querySelector('pre')!.textContent!.split('\n')]),
    };
  };
  const diff = (which: string) => [...root.querySelectorAll(`.fix-diff[data-response=${which}] tr`)].map((tr) => `${(tr as HTMLElement).dataset.diff} ${(tr as HTMLElement).dataset.line}`);
  const out = { preflight: block('preflight'), actual: block('actual'), diff: { preflight: diff('preflight'), actual: diff('actual') }, text: root.textContent! };
  render(null, root);
  return out;
}

describe('Try fix in the detail', () => {
  it('a preflight 404 with the right headers: changes the status only, and sets the repeated headers apart', () => {
    const put = blockedPut();
    const ex = blockedPut({
      preflight: {
        ...put.preflight!,
        response: { statusCode: 404, headers: [['access-control-allow-origin', A], ['access-control-allow-methods', 'PUT, GET'], ['access-control-allow-headers', 'X-Custom-Header']] },
      },
      findings: [makeFinding('preflight-invalid-status', { ...params, status: 404 }, null)],
    });
    const s = shown(ex);
    expect(s.preflight.applied).toEqual(['Status: 204']);
    expect(s.diff.preflight).toEqual([
      'changed Status: 204',
      `kept Access-Control-Allow-Origin: ${A}`,
      'kept Access-Control-Allow-Methods: PUT, GET',
      'kept Access-Control-Allow-Headers: X-Custom-Header',
    ]);
    expect(s.preflight.apart).toEqual([['rescue', [`Access-Control-Allow-Origin: ${A}`, 'Access-Control-Allow-Methods: PUT, GET', 'Access-Control-Allow-Headers: X-Custom-Header']]]);
    expect(s.text).toContain('Only the status changes');
    // The PUT was never sent: its Allow-Origin is predicted, and the same on both sides.
    expect(s.actual.applied).toEqual([`Access-Control-Allow-Origin: ${A}`]);
    expect(s.diff.actual).toEqual([`added Access-Control-Allow-Origin: ${A}`]);
    expect(s.text).not.toContain('Access-Control-Allow-Credentials');
  });

  it('an Allow-Origin * the server sends right is pinned to the page origin for scope, and said so', () => {
    const s = shown(blockedPut());
    expect(s.preflight.applied).toEqual(['Access-Control-Allow-Methods: PUT', 'Access-Control-Allow-Headers: Content-Type, x-custom-header']);
    expect(s.preflight.apart).toEqual([['scope', [`Access-Control-Allow-Origin: ${A}`]]]);
    expect(s.diff.preflight).toEqual(['kept Access-Control-Allow-Origin: *', 'added Access-Control-Allow-Methods: PUT', 'changed Access-Control-Allow-Headers: Content-Type, x-custom-header']);
    expect(s.text).toContain('keep the override exact');
  });
});
