import { describe, expect, it } from 'vitest';
import { EVIL, hostileReasons } from '../cors/reasons.test-helper';
import type { Exchange } from '../traffic/exchange';
import { BEARER, EXPORTED_AT, HOSTILE, blockedByPreflight, cachedPreflight, hostile, realisticExchanges } from './fixtures.test-helper';
import { buildReport } from './json';
import { exchangeMarkdown, mdCode, mdFence, mdText, renderMarkdown } from './markdown';
import { DEFAULT_REDACTED } from './redact';

function render(exchanges: readonly Exchange[], redact: readonly string[] = DEFAULT_REDACTED): string {
  return renderMarkdown(buildReport({ exchanges, tab: { id: 1, url: 'https://app.example/' }, browser: 'Chrome/156', exportedAt: EXPORTED_AT, redact }));
}

/** Pipes GFM splits a row on: those not preceded by a backslash (cmark-gfm's rule, also inside code spans). */
function unescapedPipes(line: string): number {
  return line.match(/(?<!\\)\|/g)?.length ?? 0;
}

/** The lines outside fenced code blocks, checking each fence is closed by one of its own length. */
function outsideFences(md: string): { lines: string[]; blocks: string[][] } {
  const lines: string[] = [];
  const blocks: string[][] = [];
  let open: string | null = null;
  let block: string[] = [];
  for (const line of md.split('\n')) {
    const fence = /^(`{3,})[^`]*$/.exec(line);
    if (open === null) {
      if (fence) {
        open = fence[1]!;
        block = [];
      } else lines.push(line);
    } else if (/^`{3,}$/.test(line) && line.length >= open.length) {
      expect(line, 'a fence is closed by its own fence only').toBe(open);
      blocks.push(block);
      open = null;
    } else block.push(line);
  }
  expect(open, 'every fence is closed').toBeNull();
  return { lines, blocks };
}

/** Table rows grouped by table: runs of lines starting with `|`. */
function tables(lines: string[]): string[][] {
  const out: string[][] = [];
  let cur: string[] = [];
  for (const line of lines) {
    if (line.startsWith('|')) cur.push(line);
    else if (cur.length) {
      out.push(cur);
      cur = [];
    }
  }
  if (cur.length) out.push(cur);
  return out;
}

/** Removes code spans the CommonMark way: a run of n backticks closes only at the next run of exactly n. */
function withoutCodeSpans(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    if (line[i] !== '`') {
      out += line[i++];
      continue;
    }
    let n = 0;
    while (line[i + n] === '`') n++;
    const run = '`'.repeat(n);
    let j = i + n;
    let close = -1;
    while ((j = line.indexOf(run, j)) !== -1) {
      if (line[j - 1] !== '`' && line[j + n] !== '`') {
        close = j;
        break;
      }
      j += 1;
    }
    if (close === -1) {
      out += run;
      i += n;
    } else i = close + n;
  }
  return out;
}

describe('renderMarkdown', () => {
  const md = render(realisticExchanges);

  it('has the summary first, then blocked exchanges in full, then the others folded', () => {
    expect(md.startsWith('# CORS Lens session report\n')).toBe(true);
    expect(md.indexOf('## Summary')).toBeLessThan(md.indexOf('## Blocked (3)'));
    expect(md.indexOf('## Blocked (3)')).toBeLessThan(md.indexOf('## Other exchanges (5)'));
    expect(md).toContain('| Blocked | 3 |');
    expect(md).toContain('| Preflight: no Access-Control-Allow-Origin header');
    expect(md).toContain('`PreflightMissingAllowOriginHeader`');
    expect(md).toContain('| `https://app.example` | `https://api.example` | 6 | 3 |');
    expect(md.match(/<details>/g)?.length).toBe(5);
    expect(md.match(/<\/details>/g)?.length).toBe(5);
    expect(md).toContain('- Spec: <https://fetch.spec.whatwg.org/#concept-cors-check>');
  });

  it('keeps every table intact and every fence closed', () => {
    const { lines } = outsideFences(md);
    for (const t of tables(lines)) {
      const n = unescapedPipes(t[0]!);
      for (const row of t) expect(unescapedPipes(row), row).toBe(n);
    }
  });

  it('redacts secrets', () => {
    expect(md).not.toContain(BEARER);
    expect(md).toContain('`cookie`');
  });
});

describe('exchangeMarkdown', () => {
  it('gives one exchange: finding, fix, preflight and request headers, one header per line', () => {
    const md = exchangeMarkdown(blockedByPreflight);
    expect(md.startsWith('### Blocked: `PUT` `https://api.example/items/1`\n')).toBe(true);
    expect(md).toContain('**Error: Preflight: no Access-Control-Allow-Origin header**');
    expect(md).toContain('Chrome: `PreflightMissingAllowOriginHeader`');
    const { blocks } = outsideFences(md);
    expect(blocks[0]![0]).toBe('sequenceDiagram'); // the picture (src/picture) comes first
    expect(blocks[1]).toEqual([
      '> OPTIONS https://api.example/items/1',
      '> origin: https://app.example',
      '> access-control-request-method: PUT',
      '> access-control-request-headers: x-api-key',
      '',
      '< 204',
      '< allow: GET, PUT',
    ]);
    expect(blocks[2]![0]).toBe('> PUT https://api.example/items/1');
    expect(blocks[2]).toContain('< (no response)');
  });

  it('says a preflight came from the cache, with its expiry', () => {
    expect(exchangeMarkdown(cachedPreflight)).toContain('**Preflight** (cached, required, cached until 2026\\-01\\-01T02:00:03.000Z)'.replace(/\\-/g, '-'));
  });

  it('can sit at another heading level', () => {
    expect(exchangeMarkdown(blockedByPreflight, 4).startsWith('#### ')).toBe(true);
  });
});

describe('Markdown with hostile values', () => {
  const md = render([hostile, ...realisticExchanges], []);
  const one = exchangeMarkdown(hostile);

  it('keeps every table row at the same count of unescaped pipes', () => {
    for (const doc of [md, one]) {
      const { lines } = outsideFences(doc);
      const ts = tables(lines);
      expect(ts.length).toBeGreaterThan(0);
      for (const t of ts) {
        const n = unescapedPipes(t[0]!);
        for (const row of t) expect(unescapedPipes(row), row).toBe(n);
      }
    }
  });

  it('puts each header on one line inside a fence no value can close', () => {
    const { blocks } = outsideFences(one);
    const request = blocks.find((b) => b[0]!.startsWith('> GET<script>'))!;
    const headerLines = request.filter((l) => l.startsWith('> ') && l !== request[0]);
    expect(headerLines.length).toBe(HOSTILE.length);
    expect(one).toMatch(/^`{4,}$/m); // the fence outgrew the ``` in a value
  });

  it('leaves no raw HTML outside code: only its own <details>, <summary>, <br> and autolinks', () => {
    const { lines } = outsideFences(md);
    for (const line of lines) {
      const text = withoutCodeSpans(line);
      for (const m of text.matchAll(/<[^\s>]*/g)) {
        expect(['<details', '<summary', '</summary', '</details', '<br', '<https://fetch.spec.whatwg.org/'].some((ok) => m[0].startsWith(ok)), line).toBe(true);
      }
      expect(text).not.toMatch(/(?<!\\)\]\(/); // no link syntax survives
    }
    expect(md).not.toContain('\u0000');
    expect(md).not.toContain('\u202E');
    expect(md).toContain('ünïcödé 🚀 日本語');
  });

  it('shows a finding id it does not know as text, with no spec link', () => {
    expect(one).toContain('**Error: script-alert-1**');
    const block = one.slice(one.indexOf('**Error: script-alert-1**')).split('\n\n**')[0]!.split('\n\n').slice(0, 2).join('\n\n');
    expect(block).toContain('id `script-alert-1`');
    expect(block).not.toContain('- Spec:');
  });
});

describe('Markdown escaping helpers', () => {
  it('mdText escapes punctuation and HTML, and folds lines', () => {
    expect(mdText('a|b\\c`d*e_f[g]h<i>&\nj')).toBe('a\\|b\\\\c\\`d\\*e\\_f\\[g\\]h&lt;i&gt;&amp;<br>j');
    expect(mdText('a\r\nb', 'space')).toBe('a b');
  });

  it('mdCode picks a fence longer than any backtick run and pads when needed', () => {
    expect(mdCode('a')).toBe('`a`');
    expect(mdCode('a ``` b')).toBe('````a ``` b````');
    expect(mdCode('`x`')).toBe('`` `x` ``');
    expect(mdCode('')).toBe('` `');
    expect(mdCode('a|b', true)).toBe('`a\\|b`');
    expect(mdCode('a\nb')).toBe('`a␊b`');
  });

  it('mdFence is at least three backticks and longer than any run inside', () => {
    expect(mdFence(['x'])).toBe('```\nx\n```');
    expect(mdFence(['`````'])).toBe('``````\n`````\n``````');
  });
});

describe('inference reasons in Markdown', () => {
  it('quotes each value from the reason data in its own code span, inert in the table', () => {
    const rows = Object.values(hostileReasons).map((make, i) => {
      const a = make();
      return { ...realisticExchanges[0]!, id: `r${i}`, credentials: a.credentials, mode: a.mode, inferred: a.inferred };
    });
    const md = render(rows, []);
    expect(md).toContain(`| Credentials | omit-or-same-origin (inferred: the preflight said ${mdCode(`Access-Control-Allow-Credentials: ${EVIL.value}`, true)} and Chrome sent the PUT) |`);
    for (const v of [EVIL.header, EVIL.method, EVIL.origin]) expect(md).toContain(mdCode(v, true));
    expect(withoutCodeSpans(md)).not.toContain('<img');
  });
});
