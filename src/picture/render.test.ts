import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { hostile, realisticExchanges } from '../report/fixtures.test-helper';
import { exchangeMarkdown } from '../report/markdown';
import type { Exchange } from '../traffic/exchange';
import { widthOf } from './clean';
import { labExchanges } from './lab-exchanges.test-helper';
import { WIDTH } from './layout';
import { sequenceOf } from './sequence';
import { pictureHtml, pictureSvg } from './svg';
import { sequenceMermaid, sequenceText } from './text';

/** A preflighted PUT whose every value the server or page controls is hostile. */
const BIDI = 'abc\u202Eevil\u2066x\u200F';
const MARKUP = '<svg onload=alert(1)><foreignObject><img src=x onerror=alert(1)></foreignObject></svg>';
const TEN_KB = `https://${'a'.repeat(10 * 1024)}.example`;
const MERMAID = 'x; Browser->>Page: pwned #35; %%{init}%% --> ```\nNote over Page: injected <br/> `';
export const hostilePicture: Exchange = {
  ...realisticExchanges[0]!,
  id: 'hostile-picture',
  url: `http://localhost:41002/${MARKUP}?q=${BIDI}`,
  method: `PUT${MERMAID}`,
  initiatorOrigin: `http://127.0.0.1:41001${MARKUP}`,
  preflight: {
    ...realisticExchanges[0]!.preflight!,
    request: { headers: [['access-control-request-method', MERMAID], ['access-control-request-headers', `${BIDI}${MARKUP}`]] },
    response: { statusCode: 204, headers: [['access-control-allow-origin', TEN_KB], ['access-control-allow-headers', MARKUP], ['access-control-allow-methods', BIDI]] },
  },
  findings: [{ ...realisticExchanges[0]!.findings[0]!, chromeCorsError: `${MARKUP} ${MERMAID} ${BIDI}` }],
};

const window = new Window();
function parseSvg(svg: string): Element {
  const doc = window.document;
  const host = doc.createElement('div');
  host.innerHTML = svg; // what a browser does with the report's markup
  return host.firstElementChild as unknown as Element;
}

const CELL: Record<string, number> = { small: 0.62 * 11, big: 0.62 * 12 };
const all: Exchange[] = [...labExchanges().map((l) => l.ex), ...realisticExchanges, hostile, hostilePicture];

describe('pictureSvg', () => {
  for (const ex of all) {
    it(`${ex.id}: is made of our shapes only, and every text fits inside the picture`, () => {
      const svg = parseSvg(pictureSvg(ex));
      expect(svg.tagName.toLowerCase()).toBe('svg');
      const [, , w] = svg.getAttribute('viewBox')!.split(' ').map(Number);
      expect(w).toBe(WIDTH);
      for (const el of svg.querySelectorAll('*')) {
        expect(['title', 'rect', 'line', 'path', 'text'], ex.id).toContain(el.tagName.toLowerCase());
        for (const a of Array.from(el.attributes)) expect(a.name.startsWith('on'), `${ex.id} ${a.name}`).toBe(false);
        expect(el.children.length, `${ex.id}: ${el.tagName} has no child elements`).toBe(0);
      }
      for (const t of svg.querySelectorAll('text')) {
        const text = t.textContent!;
        const cls = t.getAttribute('class')!;
        const x = Number(t.getAttribute('x'));
        const cell = /pic-small|pic-num/.test(cls) ? CELL.small! : CELL.big!;
        const half = (widthOf(text) * cell) / 2;
        if (cls.includes('pic-num')) continue;
        expect(x - half, `${ex.id}: ${text}`).toBeGreaterThanOrEqual(0);
        expect(x + half, `${ex.id}: ${text}`).toBeLessThanOrEqual(WIDTH);
        expect(text, 'one line').not.toMatch(/[\n\r\u202a-\u202e\u2066-\u2069\u200f]/);
      }
    });
  }

  it('keeps hostile values inert: markup as text, bidi made visible, 10 kB cut with an ellipsis', () => {
    const html = pictureHtml(hostilePicture);
    expect(html).not.toMatch(/<(?!\/?(figure|svg|title|rect|line|path|text|details|summary|pre)\b)/);
    for (const tag of html.matchAll(/<[a-z][^>]*>/g)) expect(tag[0]).not.toMatch(/\son[a-z]+=/);
    expect(html).not.toContain('\u202E');
    const svg = parseSvg(pictureSvg(hostilePicture));
    const texts = Array.from(svg.querySelectorAll('text')).map((t) => t.textContent!);
    expect(texts.some((t) => t.includes('<svg onload=alert(1)>'))).toBe(true); // shown, as text
    expect(texts.some((t) => t.includes('<U+202E>'))).toBe(true);
    const acao = texts.find((t) => t.startsWith('access-control-allow-origin: https://aaaa'))!;
    expect(acao.endsWith('…')).toBe(true);
    expect(acao.length).toBeLessThan(80);
    expect(html.length).toBeLessThan(12_000); // the 10 kB value is not carried along
  });

  it('draws dashed what never happened, and numbers every step as the text version does', () => {
    const ex = realisticExchanges[0]!; // PUT stopped by its preflight
    const svg = parseSvg(pictureSvg(ex));
    expect(svg.querySelectorAll('line.pic-dashed').length).toBe(1);
    const nums = Array.from(svg.querySelectorAll('text.pic-num')).map((t) => t.textContent);
    const text = sequenceText(sequenceOf(ex));
    expect(nums).toEqual(text.split('\n').filter((l) => /^\d+\. /.test(l)).map((l) => l.split('.')[0]));
    expect(text).toContain('5. browser → server (never happened): PUT /items/1 never sent');
  });
});

describe('sequenceMermaid', () => {
  const LINE = /^(sequenceDiagram| {2}participant (Page|Browser|Server)| {2}Note over (Page|Browser|Server): (.+)| {2}(Page|Browser|Server)(->>|-->>)(Page|Browser|Server): (.+))$/;
  const LABEL = /^(?:[A-Za-z0-9 .,/:_=?()@'!*+-]|#\d+;|<br\/>)+$/;

  it('writes only its own statements; every label is plain characters and entity codes', () => {
    for (const ex of all) {
      const lines = sequenceMermaid(sequenceOf(ex));
      expect(lines[0]).toBe('sequenceDiagram');
      for (const line of lines) {
        const m = LINE.exec(line);
        expect(m, line).not.toBeNull();
        const text = m![4] ?? m![8];
        if (text !== undefined) expect(text, line).toMatch(LABEL);
      }
    }
  });

  it('encodes what would end a statement, start a comment or close the fence', () => {
    const lines = sequenceMermaid(sequenceOf(hostilePicture));
    const body = lines.join('\n');
    for (const line of lines) expect(line.replace(/#\d+;/g, '').replace(/<br\/>/g, '').replace(/->>|-->>/, '')).not.toMatch(/[;`%<>#\r\u2028]/);
    expect(lines.filter((l) => l.includes('Browser->>Page'))).toHaveLength(1); // only the real result arrow
    expect(body).toContain('x#59; Browser-#62;#62;Page: pwned #35;35#59;');
  });

  it('sits in the Markdown report as a fenced mermaid block the hostile values cannot close', () => {
    const md = exchangeMarkdown(hostilePicture);
    const lines = md.split('\n');
    const start = lines.indexOf('```mermaid');
    const end = lines.indexOf('```', start + 1);
    expect(start).toBeGreaterThan(0);
    expect(lines.slice(start + 1, end)).toEqual(sequenceMermaid(sequenceOf(hostilePicture)));
  });
});
