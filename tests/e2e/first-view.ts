import type { RealPanel } from './devtools';

/**
 * What a user sees of the open detail without scrolling, measured inside the real panel: each
 * element's box against the detail body's visible box and the panel's window.
 */
export interface HeaderRowSeen {
  /** aria-label of the side: "Preflight (OPTIONS)" or "Request (PUT)". */
  side: string;
  table: string;
  header: string;
  value: string;
  decisive: boolean;
  missing: boolean;
  inView: boolean;
}

export interface FirstView {
  viewport: { width: number; height: number };
  headline: { text: string; inView: boolean; clipped: boolean };
  reached: { value: string | null; text: string; inView: boolean };
  fix: { text: string; inView: boolean; codes: string[] } | null;
  rows: HeaderRowSeen[];
  sideStatus: Array<{ side: string; text: string; inView: boolean }>;
  /** The detail's URL and finding titles, where cut off. */
  clippedText: string[];
  /** Method, status, preflight, verdict and time cells of every listed row whose text does not fit. */
  clippedStatus: string[];
  /** Name cells whose host is cut off. */
  hiddenHosts: string[];
  /** Every rendered text of the panel that holds a backtick. */
  backticks: string[];
  /**
   * The Try fix block, per response ("preflight", "actual"), if it offers an override: the lines it
   * changes ("Name: value", "Status: 204") and those it sets apart (with the reason's key).
   */
  tryFix: Record<string, { applied: string[]; apart: Array<{ line: string; reason: string }> }> | null;
  /** The server fix's diff, per response: each row's state and line. */
  serverFix: Record<string, Array<{ state: string; line: string }>>;
  detailTop: number;
  listHeight: number;
}

/** Runs in the panel (as the body of an async function). */
export const MEASURE = `
  const body = document.querySelector('.detail-body');
  body.scrollTop = 0;
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const frame = body.getBoundingClientRect();
  const bottom = Math.min(frame.bottom, innerHeight);
  const inView = (el) => {
    if (!el) return false;
    const r = el.getBoundingClientRect();
    return r.height > 0 && r.top >= frame.top - 1 && r.bottom <= bottom + 1;
  };
  const clipped = (el) => el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
  // An ellipsis shows for any overflow, even below the pixel scrollWidth rounds to: lay the text out alone, in the cell's font, and compare.
  const cut = (el) => {
    const cs = getComputedStyle(el);
    const s = document.createElement('span');
    s.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap';
    s.style.font = cs.font;
    s.textContent = el.textContent;
    document.body.append(s);
    const w = s.getBoundingClientRect().width;
    s.remove();
    return clipped(el) || w > el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) + 0.02;
  };
  const text = (el) => (el ? el.textContent.replace(/\\s+/g, ' ').trim() : '');
  const h = document.querySelector('[data-testid=headline]');
  const reached = document.querySelector('[data-reached]');
  const fix = document.querySelector('.answer [data-testid=fix]');
  const rows = [...document.querySelectorAll('.detail .side tr[data-header]')].map((tr) => ({
    side: tr.closest('.side').getAttribute('aria-label'),
    table: tr.closest('table').getAttribute('aria-label'),
    header: tr.dataset.header,
    value: text(tr.querySelector('td')),
    decisive: tr.classList.contains('decisive'),
    missing: tr.classList.contains('missing'),
    inView: inView(tr),
  }));
  const sideStatus = [...document.querySelectorAll('.detail .side')].map((s) => ({ side: s.getAttribute('aria-label'), text: text(s.querySelector('h3 span')), inView: inView(s.querySelector('h3')) }));
  const clippedText = [...document.querySelectorAll('.detail-url, .finding-title')].filter(clipped).map(text);
  const clippedStatus = [...document.querySelectorAll('[role=row][data-id] :is(.col-method, .col-status, .col-preflight, .col-time)')].filter(cut).map(text);
  const hiddenHosts = [...document.querySelectorAll('[role=row][data-id] .name')].filter((c) => {
    const host = c.querySelector('.host');
    return !host || host.getBoundingClientRect().right > c.getBoundingClientRect().right;
  }).map(text);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const backticks = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.textContent.includes('\`') && n.parentElement.getClientRects().length > 0) backticks.push(n.textContent);
  const tf = document.querySelector('.try-fix:not(.cannot)');
  const tryFix = tf ? Object.fromEntries([...tf.querySelectorAll('.try-fix-response')].map((d) => [d.dataset.response, {
    applied: [...d.querySelectorAll('pre.override-lines')].flatMap((p) => p.textContent.split('\\n')).map((l) => l.trim()).filter(Boolean),
    apart: [...d.querySelectorAll('.override-apart')].flatMap((g) => g.querySelector('pre').textContent.split('\\n').map((l) => ({ line: l.trim(), reason: g.dataset.reason }))),
  }])) : null;
  const serverFix = Object.fromEntries([...document.querySelectorAll('.fix-diff')].map((d) => [d.dataset.response, [...d.querySelectorAll('tr[data-diff]')].map((tr) => ({ state: tr.dataset.diff, line: tr.dataset.line }))]));
  return {
    viewport: { width: innerWidth, height: innerHeight },
    headline: { text: text(h), inView: inView(h), clipped: h ? clipped(h) : true },
    reached: { value: reached ? reached.dataset.reached : null, text: text(reached), inView: inView(reached) },
    fix: fix ? { text: text(fix), inView: inView(fix), codes: [...fix.querySelectorAll('code')].map(text) } : null,
    rows, sideStatus, clippedText, clippedStatus, hiddenHosts, backticks, tryFix, serverFix,
    detailTop: document.querySelector('.detail').getBoundingClientRect().top,
    listHeight: document.querySelector('.grid-scroll').getBoundingClientRect().height,
  };
`;

export const measure = (p: RealPanel) => p.inPanel<FirstView>(MEASURE);

/** Open the one exchange of a scenario in the panel: filter to it, click its row, wait for its detail. */
export async function openScenario(p: RealPanel, scenario: string, id: string): Promise<void> {
  await p.inPanel(`
    const i = document.querySelector('[aria-label="Filter"]');
    i.value = ${JSON.stringify(`s=${scenario}`)};
    i.dispatchEvent(new Event('input', { bubbles: true }));
    for (let t = 0; t < 100; t++) {
      const row = document.querySelector('[role=row][data-id="${id}"]');
      if (row && document.querySelectorAll('[role=row][data-id]').length === 1) { row.click(); break; }
      await new Promise((r) => setTimeout(r, 50));
    }
    for (let t = 0; t < 100 && !document.querySelector('.detail[data-id="${id}"] [data-testid=headline]'); t++) await new Promise((r) => setTimeout(r, 50));
    if (!document.querySelector('.detail[data-id="${id}"]')) throw new Error('detail of ${id} did not open');
  `);
}

/** `Name: value` header lines quoted in a fix that the response does not already carry: what it adds or changes. */
export function changedLines(codes: string[], response: Array<[string, string]>): string[] {
  const has = new Set(response.map(([n, v]) => `${n.toLowerCase()}: ${v}`));
  return codes.filter((c) => /^[A-Za-z0-9-]+: \S/.test(c)).filter((c) => {
    const i = c.indexOf(':');
    return !has.has(`${c.slice(0, i).toLowerCase()}: ${c.slice(i + 1).trim()}`);
  });
}
