// Small statistics helpers: medians and spreads, paired ratios.

/** @param {number[]} xs */
export function median(xs) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? /** @type {number} */ (s[m]) : (/** @type {number} */ (s[m - 1]) + /** @type {number} */ (s[m])) / 2;
}

/** @param {number[]} xs */
export function spread(xs) {
  const s = xs.filter((x) => Number.isFinite(x));
  return { median: median(s), min: s.length ? Math.min(...s) : NaN, max: s.length ? Math.max(...s) : NaN, n: s.length };
}

/** Paired ratios a[i] / b[i] where both exist. @param {number[]} a @param {number[]} b */
export function pairedRatios(a, b) {
  const out = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x !== undefined && y !== undefined && Number.isFinite(x) && Number.isFinite(y) && y > 0) out.push(x / y);
  }
  return spread(out);
}

/** @param {number} x @param {number} [digits] */
export const fmt = (x, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : '–');

/** "1.23 [1.01..1.50]" @param {{ median: number, min: number, max: number }} s @param {number} [digits] */
export const fmtSpread = (s, digits = 2) => `${fmt(s.median, digits)} [${fmt(s.min, digits)}..${fmt(s.max, digits)}]`;

/** A plain-text table. @param {string[]} head @param {string[][]} rows */
export function table(head, rows) {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (/** @type {string[]} */ r) => r.map((c, i) => (c ?? '').padEnd(/** @type {number} */ (widths[i]))).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
