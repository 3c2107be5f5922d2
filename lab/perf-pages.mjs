// Pages and endpoints for `npm run bench` (bench/), served by the lab's servers under /perf/.
//
//   A  /perf/launch?key=K&to=URL   a page that waits at /perf/gate?key=K until the bench releases K,
//                                  then goes to URL (so the bench never attaches to the measured tab)
//      /perf/gate?key=K            held open until release(K)
//      /perf/result?key=K  POST    the measured page's result (JSON), collected by result(K)
//      /perf/stress?run&key[&then] 2,000 cross-origin fetches, half preflighted, 100 failing (docs/platform.md)
//      /perf/realistic?run&key[&then]  150 images, 30 scripts, 10 stylesheets, 40 fetches (20 preflighted)
//      /perf/bulk?run&key&n&batch  n cross-origin fetches in batches (the worker-memory measurement)
//      /perf/css/<i>.css           stylesheets (same-origin)
//   B, C  /perf/api/<i>?k=<kind>&run  kind s: simple GET, Allow-Origin *; sf: simple GET without Allow-Origin
//                                  (fails the CORS check after reaching the server); p: PUT with JSON and
//                                  X-Perf, preflight allowed; pf: the same whose preflight gets a bare 404
//         /perf/img/<i>.png, /perf/js/<i>.js   images and classic scripts (cross-origin, no-cors)
//
// Every measured page times itself from navigation start (performance.now()) to its last request settled,
// then POSTs { ms, ok, failed, resources } to /perf/result and, with `then`, goes there.
// Nothing here is used by the end-to-end suite.

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const NO_STORE = ['Cache-Control', 'no-store'];

/** The kind of the i-th fetch of the stress and bulk pages: half preflighted, one in twenty failing. @param {number} i */
export function kindOf(i) {
  const pf = i % 2 === 1;
  const fail = i % 40 < 2;
  return pf ? (fail ? 'pf' : 'p') : fail ? 'sf' : 's';
}

/** How many requests the lab servers receive for one fetch of this kind (preflight included). @param {string} k */
export const serverRequestsOf = (k) => (k === 'p' ? 2 : 1);

/** @param {number} n */
export function expectedFetches(n) {
  /** @type {Record<string, number>} */
  const kinds = { s: 0, sf: 0, p: 0, pf: 0 };
  let server = 0;
  for (let i = 0; i < n; i++) {
    const k = kindOf(i);
    kinds[k] = (kinds[k] ?? 0) + 1;
    server += serverRequestsOf(k);
  }
  return { kinds, server };
}

export const REALISTIC = { images: 150, scripts: 30, stylesheets: 10, simpleFetches: 20, preflightedFetches: 20 };
export const STRESS = { fetches: 2000, inFlight: 100 };

/** Requests the lab servers must see for one run of a page (the page's own HTML included). @param {'stress'|'realistic'|'bulk'} page @param {number} [n] */
export function expectedServerRequests(page, n = 0) {
  if (page === 'realistic') {
    const r = REALISTIC;
    return 1 + r.images + r.scripts + r.stylesheets + r.simpleFetches + 2 * r.preflightedFetches;
  }
  return 1 + expectedFetches(page === 'stress' ? STRESS.fetches : n).server;
}

/** The page-side code every measured page shares: issue one fetch of a kind, report the result. */
const COMMON = String.raw`
const Q = new URLSearchParams(location.search);
const RUN = Q.get('run') || '0';
function perfFetch(base, i, k) {
  const url = base + '/perf/api/' + i + '?k=' + k + '&run=' + RUN;
  if (k === 'p' || k === 'pf') {
    return fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json', 'x-perf': String(i) }, body: '{"i":' + i + '}', cache: 'no-store' });
  }
  return fetch(url, { cache: 'no-store' });
}
let ok = 0, failed = 0;
const errors = {};
function settle(p) { return p.then((r) => r.text()).then(() => { ok++; }, (e) => { failed++; const m = String(e && e.message || e); errors[m] = (errors[m] || 0) + 1; }); }
async function report(extra) {
  const ms = performance.now();
  const result = { ms, ok, failed, errors, resources: performance.getEntriesByType('resource').length, ...extra };
  document.title = 'done ' + JSON.stringify(result);
  try { await fetch('/perf/result?key=' + encodeURIComponent(Q.get('key') || ''), { method: 'POST', body: JSON.stringify(result) }); } catch (e) { /* the bench times out */ }
  const then = Q.get('then');
  if (then) location.replace(then);
}
`;

/** @param {string} title @param {string} head @param {string} body */
const html = (title, head, body) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>${head}</head><body>${body}</body></html>`;

/** @param {import('./scenarios.mjs').LabOrigins} origins */
export function perfRoutes(origins) {
  /** @type {Map<string, import('node:http').ServerResponse | 'open'>} */
  const gates = new Map();
  /** @type {Map<string, { value?: any, waiters: Array<(v: any) => void> }>} */
  const results = new Map();
  const slot = (/** @type {string} */ key) => {
    let s = results.get(key);
    if (!s) {
      s = { waiters: [] };
      results.set(key, s);
    }
    return s;
  };

  /** @param {import('node:http').ServerResponse} res @param {number} status @param {string[][]} headers @param {string|Buffer} body */
  function send(res, status, headers, body) {
    const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const flat = [];
    for (const [k, v] of headers) flat.push(/** @type {string} */ (k), /** @type {string} */ (v));
    if (status !== 204) flat.push('Content-Length', String(buf.length));
    res.writeHead(status, flat);
    res.end(status === 204 ? undefined : buf);
  }

  const stressPage = () => html('stress', `<script>${COMMON}
(async () => {
  const B = ${JSON.stringify(origins.B)};
  const kind = ${kindOf.toString().replace(/^function kindOf/, 'function')};
  // At most ${STRESS.inFlight} in flight: with all 2,000 at once Chromium fails about a third with net::ERR_INSUFFICIENT_RESOURCES.
  let next = 0;
  const worker = async () => { while (next < ${STRESS.fetches}) { const i = next++; await settle(perfFetch(B, i, kind(i))); } };
  await Promise.all(Array.from({ length: ${STRESS.inFlight} }, worker));
  await report({});
})();</script>`, '<p>stress</p>');

  const realisticPage = (/** @type {string} */ run) => {
    const r = REALISTIC;
    let head = '';
    for (let i = 0; i < r.stylesheets; i++) head += `<link rel="stylesheet" href="/perf/css/${i}.css?run=${run}">`;
    head += `<script>${COMMON}
const loaded = new Promise((resolve) => addEventListener('load', resolve));
(async () => {
  const B = ${JSON.stringify(origins.B)};
  const jobs = [];
  for (let i = 0; i < ${r.simpleFetches + r.preflightedFetches}; i++) jobs.push(settle(perfFetch(B, i, i % 2 === 1 && i < ${2 * r.preflightedFetches} ? 'p' : 's')));
  await Promise.all([Promise.all(jobs), loaded]);
  await report({ scripts: window.__perfScripts || 0, images: document.querySelectorAll('img').length });
})();</script>`;
    let body = '<main><h1>A realistic page</h1>';
    for (let i = 0; i < r.images; i++) body += `<img src="${origins.C}/perf/img/${i}.png?run=${run}" width="8" height="8" alt="">`;
    for (let i = 0; i < r.scripts; i++) body += `<script defer src="${origins.C}/perf/js/${i}.js?run=${run}"></script>`;
    body += '</main>';
    return html('realistic', head, body);
  };

  const bulkPage = (/** @type {number} */ n, /** @type {number} */ batch) => html('bulk', `<script>${COMMON}
(async () => {
  const B = ${JSON.stringify(origins.B)};
  const kind = ${kindOf.toString().replace(/^function kindOf/, 'function')};
  for (let start = 0; start < ${n}; start += ${batch}) {
    let next = start;
    const end = Math.min(${n}, start + ${batch});
    const worker = async () => { while (next < end) { const i = next++; await settle(perfFetch(B, i, kind(i))); } };
    await Promise.all(Array.from({ length: 100 }, worker));
  }
  await report({});
})();</script>`, '<p>bulk</p>');

  return {
    /**
     * Serve /perf/*; false for any other path.
     * @param {'A'|'B'|'C'} name @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res
     * @param {URL} url @param {string} method
     */
    handle(name, req, res, url, method) {
      const path = url.pathname;
      if (!path.startsWith('/perf/')) return false;
      const q = url.searchParams;
      const page = [['Content-Type', 'text/html; charset=utf-8'], NO_STORE];
      if (name === 'A') {
        if (path === '/perf/launch') {
          const key = JSON.stringify(q.get('key') ?? '');
          const to = JSON.stringify(q.get('to') ?? 'about:blank');
          send(res, 200, page, html('launch', '', `<script>fetch('/perf/gate?key=' + encodeURIComponent(${key}), { cache: 'no-store' }).then(() => location.replace(${to}));</script>`));
          return true;
        }
        if (path === '/perf/gate') {
          const key = q.get('key') ?? '';
          if (gates.get(key) === 'open') {
            gates.delete(key);
            send(res, 204, [NO_STORE], '');
          } else gates.set(key, res);
          return true;
        }
        if (path === '/perf/result' && method === 'POST') {
          const key = q.get('key') ?? '';
          let body = '';
          req.setEncoding('utf8');
          req.on('data', (c) => { body += c; });
          req.on('end', () => {
            let value;
            try { value = JSON.parse(body); } catch { value = { error: 'unparsable result', body }; }
            const s = slot(key);
            s.value = value;
            for (const w of s.waiters.splice(0)) w(value);
            send(res, 204, [NO_STORE], '');
          });
          return true;
        }
        if (path === '/perf/stress') { send(res, 200, page, stressPage()); return true; }
        if (path === '/perf/realistic') { send(res, 200, page, realisticPage(q.get('run') ?? '0')); return true; }
        if (path === '/perf/bulk') {
          send(res, 200, page, bulkPage(Math.max(1, Number(q.get('n') ?? 12000)), Math.max(1, Number(q.get('batch') ?? 500))));
          return true;
        }
        const css = /^\/perf\/css\/(\d+)\.css$/.exec(path);
        if (css) {
          send(res, 200, [['Content-Type', 'text/css'], NO_STORE], `.perf-${css[1]} { color: #${(Number(css[1]) * 4099).toString(16).padStart(6, '0').slice(-6)}; }\n`);
          return true;
        }
      }
      const img = /^\/perf\/img\/(\d+)\.png$/.exec(path);
      if (img) { send(res, 200, [['Content-Type', 'image/png'], NO_STORE], PNG); return true; }
      const js = /^\/perf\/js\/(\d+)\.js$/.exec(path);
      if (js) {
        send(res, 200, [['Content-Type', 'text/javascript'], NO_STORE], `window.__perfScripts = (window.__perfScripts || 0) + 1; // ${js[1]}\n`);
        return true;
      }
      const api = /^\/perf\/api\/(\d+)$/.exec(path);
      if (api) {
        const k = q.get('k') ?? 's';
        const origin = req.headers.origin;
        if (method === 'OPTIONS') {
          if (k !== 'p') { send(res, 404, [['Content-Type', 'text/plain']], 'Not Found'); return true; }
          send(res, 204, [
            ['Access-Control-Allow-Origin', origin ?? '*'], ['Access-Control-Allow-Methods', 'GET, PUT, POST'],
            ['Access-Control-Allow-Headers', 'content-type, x-perf'], ['Vary', 'Origin'],
          ], '');
          return true;
        }
        /** @type {string[][]} */
        const h = [['Content-Type', 'application/json'], NO_STORE, ['X-Request-Id', `perf-${api[1]}`]];
        if (k === 's') h.push(['Access-Control-Allow-Origin', '*']);
        if (k === 'p') h.push(['Access-Control-Allow-Origin', origin ?? '*'], ['Vary', 'Origin']);
        send(res, 200, h, `{"ok":true,"i":${api[1]}}`);
        return true;
      }
      send(res, 404, [['Content-Type', 'text/plain']], 'no such perf endpoint');
      return true;
    },

    /** Let the launcher page waiting on `key` go on. @param {string} key */
    release(key) {
      const g = gates.get(key);
      if (g && g !== 'open') {
        gates.delete(key);
        send(g, 204, [NO_STORE], '');
      } else gates.set(key, 'open');
    },

    /** The result a page POSTed for `key`. @param {string} key @param {number} timeoutMs @returns {Promise<any>} */
    result(key, timeoutMs) {
      const s = slot(key);
      if (s.value !== undefined) return Promise.resolve(s.value);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no result for ${key} within ${timeoutMs} ms`)), timeoutMs);
        s.waiters.push((v) => { clearTimeout(timer); resolve(v); });
      });
    },

    /** The launcher page for `key` that goes to `to`. @param {string} key @param {string} to */
    launcherUrl(key, to) {
      return `${origins.A}/perf/launch?key=${encodeURIComponent(key)}&to=${encodeURIComponent(to)}`;
    },

    /** A measured page's URL. @param {'stress'|'realistic'|'bulk'} page @param {{ run: string, key: string, then?: string, n?: number, batch?: number }} o */
    pageUrl(page, o) {
      const q = new URLSearchParams({ run: o.run, key: o.key });
      if (o.n !== undefined) q.set('n', String(o.n));
      if (o.batch !== undefined) q.set('batch', String(o.batch));
      if (o.then) q.set('then', o.then);
      return `${origins.A}/perf/${page}?${q}`;
    },
  };
}
