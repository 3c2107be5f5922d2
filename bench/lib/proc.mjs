// CPU time of a process tree, from /proc (Linux): the browser and every process it started.
import { readdirSync, readFileSync } from 'node:fs';

const TICK = 100; // getconf CLK_TCK on Linux

/** @returns {Map<number, { ppid: number, ticks: number, start: string, type: string }>} */
function snapshotAll() {
  const out = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // rest[0] = state (field 3); ppid field 4 → rest[1]; utime 14 → rest[11]; stime 15 → rest[12]; starttime 22 → rest[19]
      const ppid = Number(rest[1]);
      const ticks = Number(rest[11]) + Number(rest[12]);
      let type = 'browser';
      try {
        const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8');
        const m = /--type=([a-z-]+)/.exec(cmd);
        if (m) type = m[1] ?? 'other';
        // An extension's renderer (its service worker, DevTools page, panel) apart from the pages'.
        if (type === 'renderer' && cmd.includes('--extension-process')) type = 'extension';
        if (type === 'utility') {
          const sub = /--utility-sub-type=([\w.]+)/.exec(cmd);
          if (sub?.[1]?.includes('network')) type = 'network';
        }
      } catch { /* gone */ }
      out.set(Number(name), { ppid, ticks, start: rest[19] ?? '', type });
    } catch { /* the process ended meanwhile */ }
  }
  return out;
}

/** The CPU ticks of `root` and its descendants. @param {number} root */
export function cpuTree(root) {
  const all = snapshotAll();
  const tree = new Map();
  const children = new Map();
  for (const [pid, p] of all) {
    const list = children.get(p.ppid) ?? [];
    list.push(pid);
    children.set(p.ppid, list);
  }
  const stack = [root];
  while (stack.length) {
    const pid = /** @type {number} */ (stack.pop());
    const p = all.get(pid);
    if (!p) continue;
    tree.set(pid, p);
    for (const c of children.get(pid) ?? []) stack.push(c);
  }
  return tree;
}

/**
 * CPU seconds spent between two snapshots, in total and by process type (a process started meanwhile counts from zero).
 * @param {ReturnType<typeof cpuTree>} before @param {ReturnType<typeof cpuTree>} after @param {number} root
 */
export function cpuDelta(before, after, root) {
  /** @type {Record<string, number>} */
  const byType = {};
  let total = 0;
  for (const [pid, p] of after) {
    const b = before.get(pid);
    const d = b && b.start === p.start ? p.ticks - b.ticks : p.ticks;
    total += d;
    const t = pid === root ? 'browser' : p.type;
    byType[t] = (byType[t] ?? 0) + d / TICK;
  }
  return { total: total / TICK, browser: byType.browser ?? 0, byType };
}
