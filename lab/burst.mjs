// The burst lab: traffic in bulk and hostile bytes, for the reliability suite (tests/e2e/reliability*.test.ts).
//
//   P  http://127.0.0.1:PP   the burst page (/burst), its script (/burst.js)
//   Q  http://localhost:PQ   the API the page calls: /api?i=<n>&run=<nonce>[&block=1] (cross-site from P)
//   R  http://127.0.0.1:PR   a raw TCP server (node:net) answering any request with bytes Node's http refuses
//                            to write: NUL and control bytes, bytes that are not UTF-8, HTML in header names,
//                            500 headers. The response to /raw/<case> is chosen by <case> (see RAW_CASES).
//
// Q answers OPTIONS with a preflight that allows the origin, GET/PUT and any requested header, and every
// other method with Access-Control-Allow-Origin reflecting the Origin, unless the query has `block=1`
// (then no Allow-Origin: the CORS check fails after the request reached the server). Q and R log every
// request (path, query, method, `i`) in arrival order, before answering.
//
// The page API: window.burst.run({ n, from?, concurrency?, nonce?, preflightEvery?, blockEvery?, paceMs? })
// sends n requests to Q (ids from..from+n-1) and resolves to { sent, ok, failed, ms }. Every `preflightEvery`th
// request is a PUT with X-Burst (preflighted), every `blockEvery`th asks Q to leave out Allow-Origin.
// window.burst.raw(cases, nonce) fetches R's cases one after the other (from P: cross-origin).
//
// Usage: `const burst = await startBurstLab()`; `node lab/burst.mjs` serves it on ephemeral ports.

import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * @typedef {{ server: 'Q'|'R', method: string, path: string, query: string, i: number|null, run: string|null, t: number }} BurstLogEntry
 */

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CORS Lens burst</title></head>
<body><h1>CORS Lens burst</h1><p id="status">ready</p><script src="/burst.js"></script></body></html>`;

// The page's script: no inline script, so a strict CSP works.
const SCRIPT = `'use strict';
(function () {
  const api = new URL(location.href).searchParams.get('api');
  const raw = new URL(location.href).searchParams.get('raw');
  async function one(i, o) {
    const q = 'i=' + i + (o.nonce ? '&run=' + encodeURIComponent(o.nonce) : '') + (o.blockEvery && i % o.blockEvery === 0 ? '&block=1' : '');
    const pre = o.preflightEvery && i % o.preflightEvery === 0;
    try {
      const r = await fetch(api + '/api?' + q, pre ? { method: 'PUT', headers: { 'X-Burst': String(i) } } : {});
      await r.text();
      return true;
    } catch (e) {
      return false;
    }
  }
  async function run(o) {
    const n = o.n, from = o.from || 0, conc = o.concurrency || 1, pace = o.paceMs || 0;
    const t0 = performance.now();
    let next = from, ok = 0, failed = 0;
    async function lane() {
      while (next < from + n) {
        const i = next++;
        if (await one(i, o)) ok++; else failed++;
        if (pace) await new Promise((r) => setTimeout(r, pace));
      }
    }
    await Promise.all(Array.from({ length: conc }, lane));
    document.getElementById('status').textContent = 'sent ' + n;
    return { sent: n, ok, failed, ms: Math.round(performance.now() - t0) };
  }
  async function rawCases(cases, nonce) {
    const out = [];
    for (const c of cases) {
      try {
        const r = await fetch(raw + '/raw/' + c + '?run=' + encodeURIComponent(nonce || ''));
        out.push({ c, ok: true, status: r.status });
      } catch (e) {
        out.push({ c, ok: false, error: String(e) });
      }
    }
    return out;
  }
  window.burst = { run, raw: rawCases };
})();
`;

const XSS = '<script>__ran("raw-value")</script><img src=x onerror=__ran("raw-img")>';

/**
 * What R writes for each case: the header block's lines (bytes, latin1), after `HTTP/1.1 200 OK`.
 * Every case allows the origin unless its name ends in `-blocked`.
 * @type {Record<string, (origin: string) => Buffer[]>}
 */
export const RAW_CASES = {
  // NUL and other control bytes inside a value (Node's http refuses to write them).
  'control-bytes': () => [Buffer.from('X-Ctl: a\x00b\x01c\x07d\x1be\x7ff', 'latin1')],
  // A value that is not UTF-8: lone continuation bytes and an overlong encoding.
  'not-utf8': () => [Buffer.from([...Buffer.from('X-Bin: '), 0x80, 0xbf, 0xc0, 0xaf, 0xff, 0xfe, 0x41])],
  // HTML in a header NAME is not a token: Chrome rejects the response or drops the line; either way nothing runs.
  'html-name': () => [Buffer.from(`X-<img src=x onerror=__ran("name")>: 1`, 'latin1'), Buffer.from(`X-Ok: ${XSS}`, 'latin1')],
  // HTML and JSON-breaking quotes in values.
  'json-breaking': () => [Buffer.from(`X-Json: "},{"id":"x","\\u0000":"</script><script>__ran("json")</script>`, 'latin1'), Buffer.from(`X-Html: ${XSS}`, 'latin1')],
  // 500 headers.
  'many-500': () => Array.from({ length: 500 }, (_, k) => Buffer.from(`X-N${k}: <b>${k}</b>"'`, 'latin1')),
  // A 64 KiB value made of HTML.
  'big-html': () => [Buffer.from(`X-Big: ${'<img src=x onerror=__ran("big")>'.repeat(2048)}`, 'latin1')],
  // Blocked: an Allow-Origin carrying control bytes and HTML (Chrome names it as the failed parameter).
  'acao-hostile-blocked': () => [],
};

/**
 * @param {string} name
 * @param {string} origin
 * @returns {Buffer}
 */
function rawResponse(name, origin) {
  const make = RAW_CASES[name];
  const lines = make ? make(origin) : [];
  const acao = name === 'acao-hostile-blocked'
    ? Buffer.from(`Access-Control-Allow-Origin: ${origin}\x01<script>__ran("acao")</script>`, 'latin1')
    : Buffer.from(`Access-Control-Allow-Origin: ${origin}`, 'latin1');
  const head = [Buffer.from(make ? 'HTTP/1.1 200 OK' : 'HTTP/1.1 404 Not Found'), acao, ...lines, Buffer.from('Content-Length: 2'), Buffer.from('Connection: close')];
  const crlf = Buffer.from('\r\n');
  return Buffer.concat([...head.flatMap((l) => [l, crlf]), crlf, Buffer.from('ok')]);
}

/** @param {import('node:http').Server | import('node:net').Server} server @returns {Promise<number>} */
function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      resolve(a && typeof a === 'object' ? a.port : 0);
    });
  });
}

/**
 * Start the burst lab on ephemeral ports.
 * @returns {Promise<{ pageOrigin: string, apiOrigin: string, rawOrigin: string, pageUrl: string, log: BurstLogEntry[], clearLog(): void, close(): Promise<void> }>}
 */
export async function startBurstLab() {
  /** @type {BurstLogEntry[]} */
  const log = [];
  /** @type {string} */
  let apiOrigin = '';
  /** @type {string} */
  let rawOrigin = '';

  const page = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://burst.invalid');
    req.resume();
    if (url.pathname === '/burst') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      return res.end(PAGE);
    }
    if (url.pathname === '/burst.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
      return res.end(SCRIPT);
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('no such page');
  });

  const api = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://burst.invalid');
    const method = req.method ?? 'GET';
    const i = url.searchParams.get('i');
    log.push({ server: 'Q', method, path: url.pathname, query: url.search, i: i === null ? null : Number(i), run: url.searchParams.get('run'), t: Date.now() });
    req.resume();
    const origin = req.headers.origin;
    if (url.pathname !== '/api') {
      res.writeHead(404);
      return res.end();
    }
    if (method === 'OPTIONS') {
      /** @type {Record<string,string>} */
      const h = { 'Access-Control-Allow-Methods': 'GET, PUT', 'Cache-Control': 'no-store' };
      if (origin) h['Access-Control-Allow-Origin'] = origin;
      const acrh = req.headers['access-control-request-headers'];
      if (acrh) h['Access-Control-Allow-Headers'] = String(acrh);
      res.writeHead(204, h);
      return res.end();
    }
    /** @type {Record<string,string>} */
    const h = { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' };
    if (origin && url.searchParams.get('block') !== '1') h['Access-Control-Allow-Origin'] = origin;
    res.writeHead(200, h);
    res.end('ok');
  });
  api.keepAliveTimeout = 5000;

  const raw = createNetServer((sock) => {
    let buf = '';
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [line = '', ...rest] = buf.slice(0, end).split('\r\n');
      const [method = '', target = '/'] = line.split(' ');
      const url = new URL(target, 'http://raw.invalid');
      log.push({ server: 'R', method, path: url.pathname, query: url.search, i: null, run: url.searchParams.get('run'), t: Date.now() });
      const originLine = rest.find((l) => /^origin:/i.test(l));
      const origin = originLine ? originLine.slice(originLine.indexOf(':') + 1).trim() : 'null';
      const name = url.pathname.replace(/^\/raw\//, '');
      sock.end(rawResponse(name, origin));
    });
    sock.on('error', () => {});
  });

  const [pp, pq, pr] = [await listen(page), await listen(api), await listen(raw)];
  const pageOrigin = `http://127.0.0.1:${pp}`;
  apiOrigin = `http://localhost:${pq}`;
  rawOrigin = `http://localhost:${pr}`;
  return {
    pageOrigin,
    apiOrigin,
    rawOrigin,
    pageUrl: `${pageOrigin}/burst?api=${encodeURIComponent(apiOrigin)}&raw=${encodeURIComponent(rawOrigin)}`,
    log,
    clearLog() {
      log.length = 0;
    },
    async close() {
      page.closeAllConnections();
      api.closeAllConnections();
      await Promise.all([page, api, raw].map((s) => new Promise((r) => s.close(() => r(undefined)))));
    },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const b = await startBurstLab();
  console.log(`burst page ${b.pageUrl}`);
}
