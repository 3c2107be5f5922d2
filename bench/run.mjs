// `npm run bench [-- --quick] [-- --rounds N] [-- --extra] [-- --only pageload,memory,node] [-- --lens-ref <git ref>]`
// Measures CORS Lens against the budgets of docs/budgets.md; prints a table and writes bench/results.json.
// See bench/README.md for how to read it. Nothing here is part of `npm test`.

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { buildExtension, buildExtensionAt, buildListenerVariant, buildMirror, buildNodeBundle, mirrorDrift, optionalPermissionsCopy, LISTENER_VARIANTS, CACHE } from './lib/build.mjs';
import { CHROME } from './lib/browser.mjs';
import { fmt, fmtSpread, pairedRatios, spread, table } from './lib/stats.mjs';
import { CONFIGS, EXTRA_CONFIGS, COMPARISONS, PAGES, pageLoad, recordEvents, eventsPerRequest } from './pageload.mjs';
import { workerMemory } from './worker-memory.mjs';
import { nodeBench } from './node-bench.mjs';
import { startLab } from '../lab/server.mjs';

const argv = process.argv.slice(2);
const flag = (/** @type {string} */ name) => argv.includes(`--${name}`);
const opt = (/** @type {string} */ name) => {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  const a = /** @type {string} */ (argv[i]);
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[i + 1];
};
const quick = flag('quick');
const rounds = Number(opt('rounds') ?? (quick ? 2 : 8));
const only = new Set((opt('only') ?? 'pageload,memory,node').split(','));
const configFilter = opt('configs')?.split(',');
const configs = [...CONFIGS, ...(flag('extra') || configFilter ? EXTRA_CONFIGS : [])]
  .filter((c) => !configFilter || configFilter.includes(c.id))
  .filter((c) => c.ext !== 'lensRef' || opt('lens-ref'));
const BULK = Number(opt('bulk') ?? 12_000);
const started = Date.now();
const log = (/** @type {string} */ s) => console.log(s);
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cpus: cpus().length,
  memoryGB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  chromium: spawnSync(CHROME, ['--version'], { encoding: 'utf8' }).stdout.trim(),
  platform: `${process.platform} ${process.arch}`,
};
log(`CORS Lens bench (${quick ? 'quick' : 'full'}: ${rounds} rounds) on ${machine.cpus} x ${machine.cpu}, ${machine.chromium}, Node ${machine.node}`);

const drift = mirrorDrift();
if (!drift.matches) log(`WARNING: worker.ts now calls capture.apply({ ${drift.call} }); the mirror extension assumes settings.resourceTypes and no onCompleted`);
log(`building into ${CACHE} ...`);
const lens = buildExtension();
const E = await buildNodeBundle();
/** @type {Record<string, string>} */
const paths = {
  lens,
  lensOptional: optionalPermissionsCopy(lens),
  lensOptionalAll: optionalPermissionsCopy(lens, 'ext-optional-all', ['webRequest', 'declarativeNetRequest']),
  mirror: await buildMirror(),
};
const lensRef = opt('lens-ref');
if (lensRef) paths.lensRef = buildExtensionAt(lensRef);
for (const id of /** @type {(keyof typeof LISTENER_VARIANTS)[]} */ (Object.keys(LISTENER_VARIANTS))) {
  if (configs.some((c) => c.ext === id)) paths[id] = await buildListenerVariant(id, E.DEFAULT_SETTINGS.resourceTypes);
}
const lab = await startLab();

/** @type {any} */
const results = { machine, mode: quick ? 'quick' : 'full', rounds, startedAt: new Date(started).toISOString(), types: E.DEFAULT_SETTINGS.resourceTypes, mirror: drift };

try {
  // 1. What the worker receives: one recorded run of each page (and the lab's scenarios, the engine's corpus).
  log(`[${elapsed()}] recording webRequest events (CORS Lens's listeners, every tab) ...`);
  const rec = await recordEvents({ lab, mirror: paths.mirror });
  results.events = { realistic: eventsPerRequest(rec.realistic.events), stress: eventsPerRequest(rec.stress.events), lab: eventsPerRequest(rec.lab.events) };

  // 2. The pure parts in Node.
  if (only.has('node')) {
    log(`[${elapsed()}] engine, pairing, filter, report in Node ...`);
    const tabOf = (/** @type {any[]} */ evs) => {
      /** @type {Map<number, number>} */
      const count = new Map();
      for (const e of evs) count.set(e.tabId, (count.get(e.tabId) ?? 0) + 1);
      const tab = [...count].sort((a, b) => b[1] - a[1])[0]?.[0];
      return evs.filter((e) => e.tabId === tab);
    };
    results.node = nodeBench({ E, lab: tabOf(rec.lab.events), stress: tabOf(rec.stress.events), quick });
  }

  // 3. Page-load overhead.
  if (only.has('pageload')) {
    log(`[${elapsed()}] page load: ${configs.length} configurations x ${rounds} rounds, a fresh browser each ...`);
    const runs = await pageLoad({ lab, paths, rounds, configs, log });
    results.pageload = { configs: configs.map((c) => ({ id: c.id, label: c.label })), runs };
  }

  // 4. Worker memory, storage, export, and the panel fed 10,000 exchanges.
  if (only.has('memory')) {
    log(`[${elapsed()}] worker memory: ${BULK} requests in capture-all mode ...`);
    results.memory = await workerMemory({ lab, lens: paths.lens, n: BULK, queries: ['preflightmissingalloworigin', 'put x-perf'], log });
  }
} finally {
  await lab.close();
}
results.seconds = (Date.now() - started) / 1000;

// ---- Summary ----
/** @type {any[]} */
const budgets = [];
const budget = (/** @type {string} */ what, /** @type {number} */ value, /** @type {string} */ op, /** @type {number} */ limit, /** @type {string} */ unit = '') => {
  const met = Number.isFinite(value) ? (op === '<=' ? value <= limit : value >= limit) : null;
  budgets.push({ what, value, limit: `${op} ${limit}${unit}`, met });
};

const out = [];
if (results.pageload) {
  const runs = results.pageload.runs;
  const series = (/** @type {string} */ c, /** @type {string} */ p, /** @type {(x: any) => number} */ f) => (runs[c] ?? []).map((r) => (r.pages?.[p] ? f(r.pages[p]) : NaN));
  out.push('Page load (ms from navigation start to the last request settled, median [min..max]; CPU s of the browser tree / browser process / extension process)');
  const cpu = (/** @type {string} */ c, /** @type {string} */ p) => [(/** @type {any} */ x) => x.cpu.total, (/** @type {any} */ x) => x.cpu.browser, (/** @type {any} */ x) => x.cpu.byType.extension ?? 0]
    .map((f) => fmt(spread(series(c, p, f)).median)).join(' / ');
  out.push(table(['configuration', 'realistic ms', 'CPU s', 'stress ms', 'CPU s'], configs.map((c) => [
    c.id,
    fmtSpread(spread(series(c.id, 'realistic', (x) => x.ms)), 0),
    cpu(c.id, 'realistic'),
    fmtSpread(spread(series(c.id, 'stress', (x) => x.ms)), 0),
    cpu(c.id, 'stress'),
  ])));
  /** @type {any[]} */
  const ratios = [];
  for (const cmp of COMPARISONS) {
    if (!runs[cmp.config] || !runs[cmp.baseline]) continue;
    /** @type {any} */
    const row = { id: cmp.id, config: cmp.config, baseline: cmp.baseline };
    for (const p of PAGES) {
      row[p] = pairedRatios(series(cmp.config, p, (x) => x.ms), series(cmp.baseline, p, (x) => x.ms));
      row[`${p}Cpu`] = pairedRatios(series(cmp.config, p, (x) => x.cpu.total), series(cmp.baseline, p, (x) => x.cpu.total));
      const limit = /** @type {any} */ (cmp.budget)?.[p];
      if (limit) budget(`${cmp.id} (${cmp.config} / ${cmp.baseline}), ${p}`, row[p].median, '<=', limit);
    }
    ratios.push(row);
  }
  results.ratios = ratios;
  out.push('', 'Paired ratios, time (and CPU), median [min..max] over rounds');
  out.push(table(['comparison', 'config / baseline', 'realistic', 'stress', 'CPU realistic', 'CPU stress', 'budget r / s'], ratios.map((r) => {
    const b = /** @type {any} */ (COMPARISONS.find((c) => c.id === r.id)?.budget);
    return [r.id, `${r.config} / ${r.baseline}`, fmtSpread(r.realistic), fmtSpread(r.stress), fmt(r.realisticCpu.median), fmt(r.stressCpu.median), b ? `${b.realistic} / ${b.stress}` : '–'];
  })));
  // Did the lab see every request, and did every run finish?
  const problems = [];
  for (const [c, list] of Object.entries(runs)) {
    for (const [i, r] of /** @type {any[]} */ (list).entries()) {
      if (r.error) problems.push(`${c} round ${i + 1}: ${r.error}`);
      for (const p of PAGES) {
        const x = r.pages?.[p];
        if (x && x.serverSaw < x.serverExpected) problems.push(`${c} round ${i + 1} ${p}: the lab saw ${x.serverSaw} of ${x.serverExpected} requests`);
      }
    }
  }
  results.serverCheck = { ok: problems.length === 0, problems };
  out.push('', problems.length === 0 ? 'Lab servers saw every request of every run.' : `PROBLEMS:\n  ${problems.join('\n  ')}`);
}

if (results.events) {
  const ev = results.events;
  const k = (/** @type {any} */ x, /** @type {string} */ key) => (x.byKind[key] ? fmt(x.byKind[key].events / x.byKind[key].requests) : '–');
  out.push('', `Events the worker receives (types ${results.types.join(', ')}), per request of each kind (a preflighted request counts its preflight's events)`);
  out.push(table(['page', 'events', 'simple', 'preflighted', 'simple, fails CORS', 'preflight fails', 'script'], [
    ['stress', String(ev.stress.total), k(ev.stress, 'fetch s'), k(ev.stress, 'fetch p'), k(ev.stress, 'fetch sf'), k(ev.stress, 'fetch pf'), '–'],
    ['realistic', String(ev.realistic.total), k(ev.realistic, 'fetch s'), k(ev.realistic, 'fetch p'), '–', '–',
      ev.realistic.byType.script ? `${fmt(ev.realistic.byType.script.events / ev.realistic.byType.script.requests)} x ${ev.realistic.byType.script.requests}` : '0'],
  ]));
}

if (results.memory) {
  const m = results.memory;
  if (m.error) out.push('', `Worker memory: ERROR ${m.error}`);
  out.push('', 'Worker (capture all, CORS Lens built from src/)');
  out.push(table(['measure', 'value', 'budget'], [
    ['requests made / exchanges kept', `${m.requests} / ${m.kept ?? '–'}`, 'cap 10,000'],
    ['worker heap after GC, empty', `${fmt(m.heapEmptyMB, 1)} MB`, ''],
    ['worker heap after GC, at the cap', `${fmt(m.heapMB, 1)} MB`, '<= 50 MB'],
    ['storage.session bytes in use', `${fmt(m.storageMB, 2)} MB`, '<= 8 MB'],
    ['export in the worker (cors-lens/export)', m.export ? `${m.export.exchanges} exchanges, ${fmt(m.export.ms, 0)} ms, ${fmt(m.export.mb, 1)} MB` : '–', ''],
    ['panel: first render of the session', m.panel ? `${fmt(m.panel.firstRenderMs, 0)} ms (frame ${fmt(m.panel.firstFrameMs, 0)} ms), ${m.panel.rowsInDom} rows in the DOM` : '–', ''],
    ...Object.entries(m.panel?.keystrokes ?? {}).map(([q, ks]) => {
      const list = /** @type {any[]} */ (Array.isArray(ks) ? ks : []);
      const ms = list.map((x) => x.ms);
      return [`panel: keystrokes "${q}"`, list.length ? `max ${fmt(Math.max(...ms), 1)} ms, median ${fmt(spread(ms).median, 1)} ms, first ${fmt(ms[0] ?? NaN, 1)} ms` : JSON.stringify(ks), '<= 50 ms'];
    }),
  ]));
  budget('worker heap at the cap (MB)', m.heapMB, '<=', 50);
  budget('storage.session at the cap (MB)', m.storageMB, '<=', 8);
  for (const [q, ks] of Object.entries(m.panel?.keystrokes ?? {})) {
    if (Array.isArray(ks)) budget(`panel keystroke, "${q}" (max ms)`, Math.max(...ks.map((x) => x.ms)), '<=', 50);
  }
}

if (results.node) {
  const n = results.node;
  out.push('', 'Pure code in Node');
  out.push(table(['measure', 'value', 'budget'], [
    ['engine: analyzeExchange, lab scenarios corpus', `${fmt(n.engine.lab.perSecond / 1000, 0)}k exchanges/s (${n.engine.lab.corpus} distinct)`, '>= 100k/s'],
    ['engine: analyzeExchange, stress page corpus', `${fmt(n.engine.stress.perSecond / 1000, 0)}k exchanges/s`, '>= 100k/s'],
    ...Object.entries(n.pairing).flatMap(([name, p]) => [[`pairing (${name} events): TabSession.handle`, /** @type {any} */ (p).rows.map((/** @type {any} */ r) => `${r.events / 1000}k ${fmt(r.ms, 0)} ms`).join(', '), ''],
      [`  µs per event 10k → 100k (ratio)`, `${fmt(/** @type {any} */ (p).rows[0].usPerEvent, 2)} → ${fmt(/** @type {any} */ (p).rows.at(-1).usPerEvent, 2)} (${fmt(/** @type {any} */ (p).linearity)})`, 'linear (ratio ~1)'],
      [`  ms per 10k events along one 100k run`, /** @type {any} */ (p).msPer10kEvents.map((/** @type {number} */ x) => fmt(x, 0)).join(' '), 'flat'],
      [`  at the end: preflight-cache entries / waiting`, `${/** @type {any} */ (p).end.preflightCache} / ${/** @type {any} */ (p).end.waiting}`, '']]),
    ...Object.entries(n.filter.queries).map(([q, f]) => [`filter 10,000: keystrokes "${q}"`, `max ${fmt(/** @type {any} */ (f).maxMs, 1)} ms, median ${fmt(/** @type {any} */ (f).medianMs, 1)} ms`, '<= 50 ms']),
    ['filter 10,000: first keystroke, cold', `${fmt(n.filter.coldFirstKeyMs, 1)} ms`, '<= 50 ms'],
    ['export 5,000: JSON (build + stringify)', `${fmt(n.report.json.ms, 0)} ms, ${fmt(n.report.json.mb, 1)} MB`, '< 1000 ms'],
    ['export 5,000: HTML', `${fmt(n.report.html.ms, 0)} ms, ${fmt(n.report.html.mb, 1)} MB`, '< 1000 ms'],
    ['export 5,000: Markdown', `${fmt(n.report.markdown.ms, 0)} ms, ${fmt(n.report.markdown.mb, 1)} MB`, ''],
  ]));
  budget('engine, lab corpus (exchanges/s)', n.engine.lab.perSecond, '>=', 100_000);
  for (const [name, p] of Object.entries(n.pairing)) budget(`pairing linear, ${name} (µs/event 100k ÷ 10k)`, /** @type {any} */ (p).linearity, '<=', 1.5);
  budget('filter keystroke, Node, cold first key (ms)', n.filter.coldFirstKeyMs, '<=', 50);
  for (const [q, f] of Object.entries(n.filter.queries)) budget(`filter keystroke, Node, "${q}" (max ms)`, /** @type {any} */ (f).maxMs, '<=', 50);
  budget('export JSON 5,000 (ms)', n.report.json.ms, '<=', 1000);
  budget('export HTML 5,000 (ms)', n.report.html.ms, '<=', 1000);
}

results.budgets = budgets;
out.push('', 'Budgets (docs/budgets.md)');
out.push(table(['budget', 'measured', 'limit', ''], budgets.map((b) => [b.what, fmt(b.value, b.value > 100 ? 0 : 2), b.limit, b.met === null ? '?' : b.met ? 'met' : 'OVER'])));
out.push('', `${results.mode} run, ${rounds} rounds, ${fmt(results.seconds, 0)} s; ${machine.cpus} x ${machine.cpu}; ${machine.chromium}; Node ${machine.node}`);
const text = out.join('\n');
log(`\n${text}`);
results.table = text;
const file = join(import.meta.dirname, 'results.json');
writeFileSync(file, JSON.stringify(results, null, 1));
log(`\nwrote ${file}`);
