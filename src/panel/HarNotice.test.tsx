// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { render } from 'preact';
import { HarNotice } from './HarNotice';
import { harToReport } from '../har';
import { API, PAGE, playwrightEntry, playwrightHar } from '../har/fixtures.test-helper';

const XSS = '<img src=x onerror=alert(1)>';

describe('HarNotice', () => {
  it('lists what the HAR lacks and each less sure verdict, as text', () => {
    const r = harToReport(
      playwrightHar([
        playwrightEntry({ url: `${PAGE}/`, t: 0, resourceType: 'document', status: 200 }),
        playwrightEntry({ method: 'PUT', url: `${API}/${XSS}`, t: 1, req: { 'X-Custom': XSS }, error: 'net::ERR_FAILED' }),
      ]),
      { exportedAt: '2026-01-01T00:00:00Z', redact: [] },
    );
    if (!r.ok) throw new Error(r.error);
    const root = document.createElement('div');
    render(<HarNotice conversion={r.conversion} />, root);
    const notes = [...root.querySelectorAll('[data-note]')].map((n) => n.getAttribute('data-note'));
    expect(notes).toEqual(expect.arrayContaining(['no-cors-reason', 'no-preflights', 'no-blocked-responses']));
    expect(root.querySelector('summary')?.textContent).toBe('1 verdict less sure (1 low, 0 medium)');
    expect(root.querySelector('[data-confidence=low]')?.textContent).toContain('PUT');
    expect(root.querySelector('img')).toBeNull();
    expect(root.textContent).toContain('<img');
  });
});
