// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { render } from 'preact';
import { Folded } from './Folded';

describe('Folded', () => {
  it('shows control and bidi characters as visible escapes, as text, never as HTML', () => {
    const root = document.createElement('div');
    render(<Folded value={'a\u202eb\u2066c\u200fd\x1b[31m\t<img src=x onerror=alert(1)>'} />, root);
    expect(root.textContent).toBe('a<U+202E>b<U+2066>c<U+200F>d\u241b[31m\u2409<img src=x onerror=alert(1)>');
    expect(root.querySelector('img')).toBeNull();
  });
});
