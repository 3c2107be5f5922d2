import { describe, expect, it } from 'vitest';
import { isOwnPage } from './senders';

const SELF = { id: 'abcdefghijklmnopabcdefghijklmnop', base: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/' };
const own = (path: string) => `${SELF.base}${path}`;

describe('isOwnPage', () => {
  it('accepts this extension\'s pages: DevTools page, panel, options', () => {
    for (const path of ['src/devtools/devtools.html', 'src/panel/panel.html?tabId=3', 'src/options/options.html']) {
      expect(isOwnPage({ id: SELF.id, url: own(path), origin: SELF.base.slice(0, -1) }, SELF)).toBe(true);
      expect(isOwnPage({ id: SELF.id, url: own(path) }, SELF)).toBe(true);
    }
  });

  it('refuses another extension, even one naming a page of ours', () => {
    expect(isOwnPage({ id: 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz', url: 'chrome-extension://zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz/evil.html' }, SELF)).toBe(false);
    expect(isOwnPage({ id: 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz', url: own('src/panel/panel.html') }, SELF)).toBe(false);
  });

  it('refuses a web page or a content script of ours (its url is the page)', () => {
    expect(isOwnPage({ url: 'https://evil.example/', origin: 'https://evil.example' }, SELF)).toBe(false);
    expect(isOwnPage({ id: SELF.id, url: 'https://evil.example/', origin: 'https://evil.example' }, SELF)).toBe(false);
    // A URL that merely starts like ours on another host.
    expect(isOwnPage({ id: SELF.id, url: 'chrome-extension://abcdefghijklmnopabcdefghijklmnopx/a.html' }, SELF)).toBe(false);
  });

  it('refuses a sender whose origin disagrees with its url, and one with no sender at all', () => {
    expect(isOwnPage({ id: SELF.id, url: own('src/panel/panel.html'), origin: 'https://evil.example' }, SELF)).toBe(false);
    expect(isOwnPage({ id: SELF.id }, SELF)).toBe(false);
    expect(isOwnPage(undefined, SELF)).toBe(false);
  });
});
