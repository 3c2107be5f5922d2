// The pure parts, in Node, over events recorded from real Chromium (the lab's scenario page and the
// stress page, recorded by the mirror extension through CORS Lens's own Capture): engine throughput,
// pairing time against the number of events, the panel's filter per keystroke, and the report export.

import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { median } from './lib/stats.mjs';

/**
 * The recorded stream repeated until it holds `n` events, each copy with its own request ids and
 * later timestamps (so pairing, the orphan expiry and the cap all work as in a long session).
 * @param {any[]} events @param {number} n
 */
export function scaleEvents(events, n) {
  if (events.length === 0) return [];
  const t0 = events[0].timeStamp;
  const span = events[events.length - 1].timeStamp - t0 + 1000;
  const out = [];
  for (let copy = 0; out.length < n; copy++) {
    for (const ev of events) {
      if (out.length >= n) break;
      out.push({ ...ev, requestId: `${ev.requestId}.${copy}`, timeStamp: ev.timeStamp + copy * span });
    }
  }
  return out;
}

/**
 * A session fed these events, its changes drained every 500 events as the worker's store does on
 * each batched write (else the sets of changed and removed ids grow without bound).
 * @param {any} E @param {any[]} events @param {number} cap
 */
/**
 * Time spent in TabSession.handle for `n` events of the recorded stream, the events made 1,000 at a
 * time outside the timed part: the worker receives events one by one and never holds a stream, and
 * a pre-built 100k-event array (about 100 MB live) made every major GC, and so the per-event time,
 * grow with n. Also returns the ms per 10k events along the run.
 * @param {any} E @param {any[]} base @param {number} n @param {number} cap
 */
export function timedPairing(E, base, n, cap) {
  const tabId = base[0]?.tabId ?? 1;
  const s = new E.TabSession(tabId, cap);
  // As in the worker: the store listens to the session's changes and takes them as it writes.
  const changes = (s.observer = new E.ChangeTracker());
  const take = () => changes.take((/** @type {string} */ id) => s.stillWaiting(id));
  const t0 = base[0].timeStamp;
  const span = base[base.length - 1].timeStamp - t0 + 1000;
  /** @type {number[]} */
  const chunks = [];
  let ms = 0;
  let chunkMs = 0;
  let made = 0;
  let copy = 0;
  let j = 0;
  while (made < n) {
    const batch = [];
    while (batch.length < 1000 && made + batch.length < n) {
      const ev = base[j];
      batch.push({ ...ev, requestId: `${ev.requestId}.${copy}`, timeStamp: ev.timeStamp + copy * span });
      if (++j === base.length) {
        j = 0;
        copy++;
      }
    }
    const t = performance.now();
    for (const ev of batch) {
      if (ev.tabId === tabId) s.handle(ev);
      if (++made % 500 === 0) take();
    }
    const d = performance.now() - t;
    ms += d;
    chunkMs += d;
    if (made % 10_000 === 0) {
      chunks.push(chunkMs);
      chunkMs = 0;
    }
  }
  return { ms, chunks, session: s };
}

export function sessionOf(E, events, cap) {
  const tabId = events[0]?.tabId ?? 1;
  const s = new E.TabSession(tabId, cap);
  const changes = (s.observer = new E.ChangeTracker());
  let i = 0;
  for (const ev of events) {
    if (ev.tabId === tabId) s.handle(ev);
    if (++i % 500 === 0) changes.take((/** @type {string} */ id) => s.stillWaiting(id));
  }
  return s;
}

setFlagsFromString('--expose-gc');
const gc = /** @type {() => void} */ (runInNewContext('gc'));

/** @param {() => void} fn @param {number} reps */
function timeMs(fn, reps) {
  const xs = [];
  for (let i = 0; i < reps; i++) {
    gc();
    const t = performance.now();
    fn();
    xs.push(performance.now() - t);
  }
  return xs;
}

/**
 * @param {{ E: any, lab: any[], stress: any[], quick: boolean }} o
 *   lab, stress: CaptureEvents (all from one tab each).
 */
export function nodeBench({ E, lab, stress, quick }) {
  const reps = quick ? 3 : 7;
  /** @type {any} */
  const out = {};

  // Engine throughput: analyzeExchange over the observations the capture builds from the lab's scenarios.
  const labSession = sessionOf(E, lab, 100_000);
  const corpus = [];
  for (const ex of labSession.exchanges()) {
    const rec = labSession.record(ex.id);
    if (rec) corpus.push(E.observationOf(rec));
  }
  const stressSession = sessionOf(E, stress, 100_000);
  const stressCorpus = [];
  for (const ex of stressSession.exchanges()) {
    const rec = stressSession.record(ex.id);
    if (rec) stressCorpus.push(E.observationOf(rec));
  }
  /** @type {Record<string, number>} */
  const verdicts = {};
  for (const o of corpus) {
    const v = E.analyzeExchange(o).verdict;
    verdicts[v] = (verdicts[v] ?? 0) + 1;
  }
  const engine = (/** @type {any[]} */ c) => {
    const calls = Math.max(c.length, quick ? 50_000 : 200_000);
    const rates = timeMs(() => {
      for (let i = 0; i < calls; i++) E.analyzeExchange(c[i % c.length]);
    }, reps).map((ms) => calls / (ms / 1000));
    return { corpus: c.length, calls, perSecond: median(rates), min: Math.min(...rates), max: Math.max(...rates) };
  };
  for (let i = 0; i < 20_000; i++) E.analyzeExchange(corpus[i % corpus.length]); // warm-up
  out.engine = { lab: { ...engine(corpus), verdicts }, stress: engine(stressCorpus) };

  // Pairing: TabSession.handle for 10k, 50k, 100k events (cap 10,000, as in the worker).
  out.pairing = {};
  for (const [name, base] of /** @type {const} */ ([['lab', lab], ['stress', stress]])) {
    /** @type {any[]} */
    const rows = [];
    timedPairing(E, base, 20_000, 10_000); // warm-up
    for (const n of [10_000, 50_000, 100_000]) {
      const xs = [];
      for (let r = 0; r < (quick ? 2 : 5); r++) {
        gc();
        xs.push(timedPairing(E, base, n, 10_000).ms);
      }
      const ms = median(xs);
      rows.push({ events: n, ms, usPerEvent: (ms * 1000) / n });
    }
    const first = rows[0];
    const last = rows[rows.length - 1];
    // Where the time goes as the session ages: ms per 10k events through one 100k run, and what the
    // session's internal lists hold at the end (the preflight-cache model, the waiting preflights).
    gc();
    const run = timedPairing(E, base, 100_000, 10_000);
    const s = run.session;
    const chunks = run.chunks;
    const meta = s.state();
    out.pairing[name] = { rows, linearity: last.usPerEvent / first.usPerEvent, msPer10kEvents: chunks, end: { exchanges: s.size, dropped: s.dropped, preflightCache: meta.cache.length, waiting: meta.waiting.length, ignored: meta.ignored.length } };
  }

  // The panel's filter over 10,000 exchanges: each keystroke of a few queries, the first with cold haystacks.
  const panelSession = sessionOf(E, scaleEvents([...lab, ...stress], 60_000), 10_000);
  const ten = panelSession.exchanges().slice(-10_000);
  out.filter = { exchanges: ten.length, queries: {} };
  const queries = ['preflightmissingalloworigin', 'put x-perf', 'localhost'];
  for (const q of queries) {
    /** @type {number[]} */
    const perKey = [];
    let shown = 0;
    for (let i = 1; i <= q.length; i++) {
      const t = performance.now();
      shown = E.applyFilter(ten, { ...E.noFilter(), text: q.slice(0, i) }).length;
      perKey.push(performance.now() - t);
    }
    out.filter.queries[q] = { firstKeyMs: perKey[0], maxMs: Math.max(...perKey), medianMs: median(perKey), shown };
  }
  // The cold case: fresh exchange objects (the haystack cache is per object), first keystroke.
  const fresh = sessionOf(E, scaleEvents([...lab, ...stress], 60_000), 10_000).exchanges().slice(-10_000);
  let t = performance.now();
  E.applyFilter(fresh, { ...E.noFilter(), text: 'x' });
  out.filter.coldFirstKeyMs = performance.now() - t;
  t = performance.now();
  E.applyFilter(fresh, { ...E.noFilter(), blockedOnly: true });
  out.filter.blockedToggleMs = performance.now() - t;

  // Export of 5,000 exchanges: JSON (build + stringify), HTML, Markdown.
  const five = ten.slice(-5_000);
  const input = { exchanges: five, tab: { id: 1, url: 'http://127.0.0.1:8701/perf/bulk' }, browser: 'bench', exportedAt: '2026-01-01T00:00:00.000Z', redact: E.DEFAULT_REDACTED };
  /** @type {string} */
  let json = '';
  let html = '';
  let md = '';
  const jsonMs = median(timeMs(() => { json = JSON.stringify(E.buildReport(input), null, 2); }, reps));
  const report = E.buildReport(input);
  const htmlMs = median(timeMs(() => { html = E.renderHtml(report); }, reps));
  const mdMs = median(timeMs(() => { md = E.renderMarkdown(report); }, reps));
  out.report = {
    exchanges: five.length,
    json: { ms: jsonMs, mb: json.length / 2 ** 20 },
    html: { ms: htmlMs, mb: html.length / 2 ** 20 },
    markdown: { ms: mdMs, mb: md.length / 2 ** 20 },
  };
  return out;
}
