// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { render } from 'preact';
import { FirefoxReason } from './FirefoxReason';
import { makeFinding } from '../cors/catalogue';

function html(node: preact.ComponentChild): HTMLElement {
  const root = document.createElement('div');
  render(node, root);
  return root;
}

describe('FirefoxReason', () => {
  const f = makeFinding('header-not-allowed-by-preflight', { url: 'http://b/', origin: 'http://a', method: 'PUT', header: 'x-<b>' } as never, 'x-<b>');
  it('shows Firefox’s console reason in Firefox, as text', () => {
    const root = html(<FirefoxReason finding={f} inFirefox />);
    expect(root.textContent).toContain('header ‘x-<b>’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response');
    expect(root.querySelector('b')).toBeNull();
    expect(root.querySelector('[data-firefox-reason]')?.getAttribute('data-firefox-reason')).toBe('CORSMissingAllowHeaderFromPreflight');
  });
  it('shows nothing outside Firefox', () => {
    expect(html(<FirefoxReason finding={f} inFirefox={false} />).innerHTML).toBe('');
  });
});
