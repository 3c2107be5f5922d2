// Reads a V8 CPU profile (Profiler.stop's `profile`) into the tables a person reads: where the
// worker's busy time goes, by function, self and inclusive. Idle, program and GC stay apart so the
// shares are of the worker's own work.

/** @typedef {{ id: number, callFrame: { functionName: string, url: string, lineNumber: number }, children?: number[] }} ProfileNode */
/** @typedef {{ nodes: ProfileNode[], samples: number[], timeDeltas: number[] }} Profile */

/** A function's name, file and line; native and binding code keep the name V8 gives them. */
function frameName(/** @type {ProfileNode} */ n) {
  const file = n.callFrame.url.split('/').pop() || '(native)';
  return `${n.callFrame.functionName || '(anonymous)'} ${file}:${n.callFrame.lineNumber + 1}`;
}

const NOT_WORK = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/**
 * @param {Profile} profile
 * @returns {{ busyMs: number, idleMs: number, gcMs: number, self: Array<[string, number]>, inclusive: Array<[string, number]> }}
 */
export function summarize(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  /** @type {Map<number, number>} */
  const perNode = new Map();
  profile.samples.forEach((id, i) => perNode.set(id, (perNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const self = new Map();
  const inclusive = new Map();
  let busy = 0, idle = 0, gc = 0;
  for (const [id, us] of perNode) {
    const node = byId.get(id);
    const name = node.callFrame.functionName;
    if (name === '(idle)') { idle += us; continue; }
    if (name === '(garbage collector)') gc += us;
    busy += us;
    const key = frameName(node);
    self.set(key, (self.get(key) ?? 0) + us);
    // Each function counts once per sample, however deep it recurses.
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur);
      if (NOT_WORK.has(n.callFrame.functionName)) continue;
      const k = frameName(n);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + us);
    }
  }
  const ms = (/** @type {Map<string, number>} */ m) => [...m].map(([k, us]) => /** @type {[string, number]} */ ([k, us / 1000])).sort((a, b) => b[1] - a[1]);
  return { busyMs: busy / 1000, idleMs: idle / 1000, gcMs: gc / 1000, self: ms(self), inclusive: ms(inclusive) };
}

/** @param {ReturnType<typeof summarize>} s @param {number} [top] */
export function formatSummary(s, top = 15) {
  const pct = (ms) => `${((100 * ms) / s.busyMs).toFixed(1).padStart(5)} %`;
  const rows = (list) => list.slice(0, top).map(([k, ms]) => `  ${ms.toFixed(0).padStart(6)} ms ${pct(ms)}  ${k}`).join('\n');
  return [
    `worker busy ${s.busyMs.toFixed(0)} ms (garbage collection ${s.gcMs.toFixed(0)} ms), idle ${s.idleMs.toFixed(0)} ms`,
    `self time, top ${top}:`,
    rows(s.self),
    `inclusive time, top ${top}:`,
    rows(s.inclusive),
  ].join('\n');
}
