// Probe (not part of `npm run bench`): the worker's own work per stress page without the browser's
// noise. Records the stress page's events once (the mirror extension, as `npm run bench` does), then
// replays them in Node through TabSession and the store's encoding, taking the changes and making the
// stored text every WRITE_EVERY events as the worker's writes do, for the working tree and for
// another commit, in alternating passes. Prints ms per pass and the bytes the writes would carry.
// usage: node bench/store-replay.mjs <git ref>
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'rolldown';
import { CACHE, ROOT, buildMirror } from './lib/build.mjs';
import { recordEvents } from './pageload.mjs';
import { startLab } from '../lab/server.mjs';

const ref = process.argv[2];
const WRITE_EVERY = 2;
const PASSES = 60;

/** TabSession, ChangeTracker and HeaderDictionary as in the source tree at `root`. */
async function bundle(root, name) {
  const entry = join(CACHE, `replay-${name}.mjs`);
  const src = (p) => JSON.stringify(join(root, 'src', p));
  writeFileSync(entry, `export { TabSession } from ${src('traffic/session.ts')};\nexport { ChangeTracker } from ${src('traffic/changes.ts')};\nexport { HeaderDictionary } from ${src('traffic/compact.ts')};\n`);
  const file = join(CACHE, `replay-${name}-${Date.now()}.out.mjs`);
  await build({ input: entry, output: { file, format: 'esm' }, platform: 'node', logLevel: 'warn', cwd: ROOT });
  return import(file);
}

/** One pass: events in, and every WRITE_EVERY events the texts a write would carry. */
function replay(E, events) {
  const tabId = events[0].tabId;
  const s = new E.TabSession(tabId, 10_000);
  const changes = new E.ChangeTracker();
  s.observer = changes;
  const dict = new E.HeaderDictionary();
  const recordText = dict.recordText ? (r) => dict.recordText(r) : (r) => JSON.stringify(dict.encodeRecord(r));
  const preflightText = dict.preflightText ? (p) => dict.preflightText(p) : (p) => JSON.stringify(dict.encodePreflight(p));
  const out = { writes: 0, recordWrites: 0, recordBytes: 0, waitingBytes: 0, writeMs: 0 };
  const write = () => {
    if (!changes.dirty) return;
    const t = performance.now();
    out.writes++;
    const { changed, waiting } = changes.take((id) => s.stillWaiting(id));
    for (const id of changed) {
      const rec = s.record(id);
      if (!rec) continue;
      out.recordWrites++;
      out.recordBytes += recordText(rec).length;
    }
    for (const p of waiting) out.waitingBytes += preflightText(p).length;
    out.writeMs += performance.now() - t;
  };
  events.forEach((ev, i) => {
    s.handle(ev);
    if (i % WRITE_EVERY === WRITE_EVERY - 1) write();
  });
  write();
  return out;
}

/** One timed pass. */
function timed(E, events) {
  globalThis.gc?.();
  const t = performance.now();
  const out = replay(E, events);
  return { ms: performance.now() - t, ...out };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];

const lab = await startLab();
let events;
try {
  events = (await recordEvents({ lab, mirror: await buildMirror() })).stress.events;
} finally {
  await lab.close();
}
const tree = join(CACHE, 'replay-ref-src');
spawnSync('git', ['worktree', 'remove', '--force', tree], { cwd: ROOT });
rmSync(tree, { recursive: true, force: true });
mkdirSync(CACHE, { recursive: true });
const r = spawnSync('git', ['worktree', 'add', '--detach', tree, ref], { cwd: ROOT, encoding: 'utf8' });
if (r.status !== 0) throw new Error(r.stderr);
let before;
try {
  symlinkSync(join(ROOT, 'node_modules'), join(tree, 'node_modules'));
  before = await bundle(tree, 'ref');
} finally {
  spawnSync('git', ['worktree', 'remove', '--force', tree], { cwd: ROOT });
}
const after = await bundle(ROOT, 'tree');
for (let i = 0; i < 3; i++) { replay(before, events); replay(after, events); } // warm-up
// Alternating passes, paired: the machine's load changes from one second to the next.
const pairs = [];
let last;
for (let i = 0; i < PASSES; i++) {
  const a = timed(before, events);
  const b = timed(after, events);
  pairs.push([a.ms, b.ms, a.writeMs, b.writeMs]);
  last = { ref: a, tree: b };
}
console.log(`stress page: ${events.length} events, a write every ${WRITE_EVERY} events, ${PASSES} alternating passes (node --expose-gc)`);
console.log(`ms per pass, median: ${ref} ${median(pairs.map((p) => p[0])).toFixed(1)}, working tree ${median(pairs.map((p) => p[1])).toFixed(1)}; paired ratio median ${median(pairs.map((p) => p[1] / p[0])).toFixed(2)} [quartiles ${[0.25, 0.75].map((q) => [...pairs.map((p) => p[1] / p[0])].sort((x, y) => x - y)[Math.floor(q * (PASSES - 1))].toFixed(2)).join('..')}]`);
console.log(`of which taking the changes and making the texts, median: ${ref} ${median(pairs.map((p) => p[2])).toFixed(1)} ms, working tree ${median(pairs.map((p) => p[3])).toFixed(1)} ms; paired ratio ${median(pairs.map((p) => p[3] / p[2])).toFixed(2)}`);
for (const [k, v] of Object.entries({ [ref]: last.ref, 'working tree': last.tree })) console.log(`${k}: ${v.writes} writes, ${v.recordWrites} record texts ${v.recordBytes} B (${(v.recordBytes / v.recordWrites).toFixed(0)} B each), waiting preflights ${v.waitingBytes} B`);
