import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { EVIL, hostileReasons } from '../cors/reasons.test-helper';
import type { Exchange } from '../traffic/exchange';
import { EXPORTED_AT, HOSTILE, SESSION_COOKIE, hostile, realisticExchanges } from './fixtures.test-helper';
import { visibleControls } from './format';
import { esc, HTML_CSP, renderHtml } from './html';
import { buildReport } from './json';
import { DEFAULT_REDACTED } from './redact';

function render(exchanges: readonly Exchange[], redact: readonly string[] = DEFAULT_REDACTED, tabUrl = 'https://app.example/'): string {
  return renderHtml(buildReport({ exchanges, tab: { id: 1, url: tabUrl }, browser: 'Mozilla/5.0 Chrome/156.0', exportedAt: EXPORTED_AT, redact }));
}

function parse(html: string): Document {
  const window = new Window();
  return new window.DOMParser().parseFromString(html, 'text/html') as unknown as Document;
}

/** Every tag in the output, with its attribute names: only ours can exist when all values are escaped. */
function tags(html: string): Array<{ name: string; attrs: string[]; raw: string }> {
  const out: Array<{ name: string; attrs: string[]; raw: string }> = [];
  for (const m of html.matchAll(/<(\/?[a-zA-Z][a-zA-Z0-9]*|!doctype)([^>]*)>/g)) {
    const attrs = [...m[2]!.matchAll(/\s([a-zA-Z-]+)(?==")/g)].map((a) => a[1]!.toLowerCase());
    out.push({ name: m[1]!.toLowerCase(), attrs, raw: m[0] });
  }
  return out;
}

const ALLOWED_TAGS = new Set(['!doctype', 'html', 'head', 'meta', 'title', 'style', 'body', 'header', 'footer', 'section', 'article', 'details', 'summary', 'div', 'span', 'h1', 'h2', 'h3', 'h4', 'dl', 'dt', 'dd', 'p', 'ul', 'li', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'code', 'strong', 'a', 'br',
  // The sequence picture (src/picture): inline SVG shapes and its text version.
  'figure', 'pre', 'svg', 'rect', 'line', 'path', 'text']);
const ALLOWED_ATTRS = new Set(['lang', 'charset', 'http-equiv', 'content', 'name', 'class', 'scope', 'href', 'rel', 'id', 'xmlns', 'viewbox', 'role', 'x', 'y', 'width', 'height', 'rx', 'd']);

describe('renderHtml', () => {
  const html = render(realisticExchanges);
  const doc = parse(html);

  it('is one self-contained page: CSP first, inline style only, no script, nothing fetched', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    const meta = doc.querySelector('meta[http-equiv="Content-Security-Policy"]');
    expect(meta?.getAttribute('content')).toBe(HTML_CSP);
    expect(HTML_CSP).toContain("default-src 'none'; style-src 'unsafe-inline'");
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<style>'));
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<title>'));
    expect(doc.querySelectorAll('script, link, img, iframe, object, embed, form, base').length).toBe(0);
    expect(html).not.toMatch(/<script|\ssrc=|url\(|@import|@font-face/i);
    for (const a of doc.querySelectorAll('a')) expect(a.getAttribute('href')).toMatch(/^https:\/\/fetch\.spec\.whatwg\.org\//);
  });

  it('prints readably: a print stylesheet with no dark backgrounds', () => {
    const css = doc.querySelector('style')!.textContent!;
    expect(css).toContain('@media print');
    expect(css).toContain('details::details-content');
    for (const m of css.matchAll(/background:\s*#([0-9a-f]{3,6})/gi)) {
      const hex = m[1]!.length === 3 ? [...m[1]!].map((c) => c + c).join('') : m[1]!;
      const lum = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)).reduce((a, b) => a + b) / 3;
      expect(lum, m[0]).toBeGreaterThan(200);
    }
  });

  it('puts the summary first: counts by verdict, by finding, origins', () => {
    const summary = doc.querySelector('#summary')!;
    expect(html.indexOf('id="summary"')).toBeLessThan(html.indexOf('id="blocked"'));
    const text = summary.textContent!.replace(/\s+/g, ' ');
    expect(text).toContain('By verdict (8 exchanges)');
    expect(text).toMatch(/Blocked ?3/);
    expect(text).toContain('PreflightMissingAllowOriginHeader');
    expect(text).toContain('https://img.example');
  });

  it('shows each blocked exchange in full with its finding, and folds the others', () => {
    const blocked = doc.querySelectorAll('#blocked article.exchange');
    expect(blocked.length).toBe(3);
    const first = blocked[0]!.textContent!;
    expect(first).toContain('Preflight: no Access-Control-Allow-Origin header');
    expect(first).toContain('PreflightMissingAllowOriginHeader');
    expect(first).toContain('Access-Control-Allow-Origin: https://app.example'); // the fix
    expect(first).toContain('access-control-request-method'); // preflight request headers
    expect(first).toContain('allow'); // preflight response headers
    expect(blocked[0]!.querySelector('a')!.getAttribute('href')).toBe('https://fetch.spec.whatwg.org/#concept-cors-check');
    expect(doc.querySelectorAll('#other details.exchange').length).toBe(5);
    expect(doc.querySelectorAll('#blocked details.exchange').length).toBe(0);
    // The overridden response is shown as well as the one received.
    expect(blocked[2]!.textContent).toContain('Response after local override');
    // Redacted values, not secrets.
    expect(html).toContain(`[redacted: ${SESSION_COOKIE.length} chars]`);
  });

  it('shows a cached preflight with its expiry, and a redirect hop', () => {
    expect(html).toContain('cached, required, cached until 2026-01-01T02:00:03.000Z');
    expect(html).toContain('Redirect 1: <span class="mono">302</span>');
  });

  it('renders an empty session', () => {
    const empty = parse(render([]));
    expect(empty.querySelector('#blocked')!.textContent).toContain('Nothing was blocked.');
  });
});

describe('renderHtml with hostile values', () => {
  const html = render([hostile, ...realisticExchanges], [], `https://app.example/${HOSTILE[1]}`);
  const doc = parse(html);

  it('escapes every value: no tag or attribute that is not ours', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    for (const t of tags(html)) {
      expect(ALLOWED_TAGS.has(t.name.replace('/', '')), t.raw).toBe(true);
      for (const a of t.attrs) expect(ALLOWED_ATTRS.has(a), t.raw).toBe(true);
      expect(t.raw).not.toMatch(/\bon[a-z]+=/i);
    }
  });

  it('leaves no script, no event handler and no non-http link in the parsed page', () => {
    expect(doc.querySelectorAll('script, img').length).toBe(0);
    // The only SVG is the sequence picture, one per exchange, made of shapes and text only.
    const svgs = Array.from(doc.querySelectorAll('svg'));
    expect(svgs.length).toBe(1 + realisticExchanges.length);
    for (const svg of svgs) {
      expect(svg.getAttribute('class')).toBe('pic-svg');
      for (const el of svg.querySelectorAll('*')) expect(['title', 'rect', 'line', 'path', 'text']).toContain(el.tagName.toLowerCase());
    }
    for (const el of doc.querySelectorAll('*')) {
      for (const attr of Array.from(el.attributes)) expect(attr.name.startsWith('on'), `${el.tagName} ${attr.name}`).toBe(false);
    }
    for (const a of doc.querySelectorAll('a')) expect(a.getAttribute('href')).toMatch(/^https?:\/\//);
    // The finding's javascript: spec is shown as text, not as a link.
    expect(doc.querySelector('#blocked article')!.textContent).toContain('javascript:alert(1)');
  });

  it('shows the hostile header names and values as text, exactly (controls made visible)', () => {
    const rows = Array.from(doc.querySelectorAll('#blocked article')[0]!.querySelectorAll('table.headers tr'));
    const seen = rows.map((r) => [r.querySelector('th')!.textContent, r.querySelector('td')!.textContent]);
    for (const h of HOSTILE) expect(seen).toContainEqual([visibleControls(h), visibleControls(h)]);
    expect(html).not.toContain('\u0000');
    expect(html).not.toContain('\u202E');
    expect(html).toContain('␀');
    expect(html).toContain('ünïcödé 🚀 日本語');
  });

  it('keeps the document structure: the hostile exchange does not swallow the others', () => {
    expect(doc.querySelectorAll('#blocked article.exchange').length).toBe(4);
    expect(doc.querySelectorAll('#other details.exchange').length).toBe(5);
    expect(doc.querySelector('footer')).not.toBeNull();
  });

  it('esc covers the five characters', () => {
    expect(esc(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });
});

describe('inference reasons in the HTML report', () => {
  const withReason = (a: ReturnType<typeof hostileReasons.header>, id: string): Exchange =>
    ({ ...realisticExchanges[0]!, id, credentials: a.credentials, mode: a.mode, inferred: a.inferred });
  const page = parse(render([withReason(hostileReasons.value(), 'v'), withReason(hostileReasons.header(), 'h'), withReason(hostileReasons.method(), 'm'), withReason(hostileReasons.origin(), 'o')], []));
  /** The <dd> of one field of each exchange, in order. */
  const field = (name: string) => [...page.querySelectorAll('dl.meta dt')].filter((dt) => dt.textContent === name).map((dt) => dt.nextElementSibling!);
  const codes = (dd: Element) => [...dd.querySelectorAll('code')].map((c) => c.textContent);

  it('renders each quoted value from the reason data as one <code>, exactly the value, shown as text', () => {
    const credentials = field('Credentials')[0]!;
    expect(codes(credentials)).toEqual([`Access-Control-Allow-Credentials: ${EVIL.value}`]);
    expect(credentials.textContent).toBe(`omit-or-same-origin (inferred: the preflight said Access-Control-Allow-Credentials: ${EVIL.value} and Chrome sent the PUT)`);
    const modes = field('Mode');
    expect(codes(modes[1]!)).toEqual([EVIL.header]);
    expect(codes(modes[2]!)).toEqual([EVIL.method]);
    expect(codes(modes[3]!)).toEqual(['GET', EVIL.origin]);
    expect(page.querySelectorAll('img')).toHaveLength(0);
  });
});
