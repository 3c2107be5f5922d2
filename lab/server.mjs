// The CORS lab: three local HTTP servers whose endpoints reproduce the scenarios of lab/scenarios.mjs.
//
//   A  http://127.0.0.1:PA   the lab page (/), its script (/lab.js), /scenarios.json, /__log,
//                            /public-frame (an empty page with CSP treat-as-public-address), and
//                            same-origin endpoints /s/<id>
//   B  http://localhost:PB   the scenario endpoints /s/<id> and /s/<id>/next (cross-site from A)
//      http://127.0.0.1:PB   the same server, reached same-site (Chrome sends 127.0.0.1 cookies there)
//   C  http://127.0.0.1:PC   cross-origin redirect targets /s/<id>/next
//
// Every server also answers GET /__cookie (sets lab_sid and lab_lax cookies, allows the requesting
// origin with credentials). All bind 127.0.0.1 only.
//
// Usage: `node lab/server.mjs` (ports from LAB_PORT_A/B/C, default 8701/8702/8703), or
// `const lab = await startLab()` (ephemeral ports).

import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { scenarioById, scenarios, expand, originVars, resolveScenarios } from './scenarios.mjs';
import { perfRoutes } from './perf-pages.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));

/**
 * @typedef {'A'|'B'|'C'} ServerName
 * @typedef {{
 *   server: ServerName, method: string, path: string, query: string, scenario: string|null,
 *   origin: string|null, headers: Record<string,string>, t: number,
 * }} LogEntry
 *   path: the URL path without the query; query: the query string with its `?` ('' when none);
 *   scenario: the `s` query parameter; headers: lower-cased names, values as Node joins them.
 * @typedef {import('./scenarios.mjs').LabOrigins} LabOrigins
 * @typedef {import('./scenarios.mjs').ResolvedScenario} ResolvedScenario
 * @typedef {{
 *   originA: string, originB: string, originBSameSite: string, originC: string,
 *   refusedOrigin: string, unsafeOrigin: string,
 *   origins: LabOrigins,
 *   scenarios: ResolvedScenario[],
 *   log: LogEntry[],
 *   clearLog(): void,
 *   close(): Promise<void>,
 * }} Lab
 */

/** Find a port nobody listens on (bind, read, close). @returns {Promise<number>} */
async function closedPort() {
  const s = createServer();
  await new Promise((resolve, reject) => { s.once('error', reject); s.listen(0, '127.0.0.1', () => resolve(undefined)); });
  const addr = s.address();
  const port = addr && typeof addr === 'object' ? addr.port : 0;
  await new Promise((resolve) => s.close(() => resolve(undefined)));
  return port;
}

/** @param {import('node:http').Server} server @param {number} port @returns {Promise<number>} */
function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const addr = server.address();
      resolve(addr && typeof addr === 'object' ? addr.port : port);
    });
  });
}

/** @param {import('node:http').IncomingMessage} req @param {string} name */
function header(req, name) {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/**
 * Start the lab.
 * @param {{ ports?: { a?: number, b?: number, c?: number } }} [opts]
 * @returns {Promise<Lab>}
 */
export async function startLab(opts = {}) {
  /** @type {LogEntry[]} */
  const log = [];
  const [labHtml, labJs] = await Promise.all([readFile(join(HERE, 'page.html')), readFile(join(HERE, 'lab.js'))]);

  /** @type {LabOrigins} */
  const origins = { A: '', B: '', BSameSite: '', C: '', refused: '', unsafe: 'http://127.0.0.1:6000', ftp: 'ftp://127.0.0.1' };
  /** @type {Record<string,string>} */
  let vars = {};
  /** @type {string} */
  let scenariosJson = '';
  // bench/ pages and endpoints under /perf/ (lab/perf-pages.mjs).
  const perf = perfRoutes(origins);

  /** @param {ServerName} name */
  const handlerFor = (name) => /** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */ (req, res) => {
    const url = new URL(req.url ?? '/', 'http://lab.invalid');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (!(name === 'A' && path.startsWith('/__log'))) {
      /** @type {Record<string,string>} */
      const headers = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
      log.push({ server: name, method, path, query: url.search, scenario: url.searchParams.get('s'), origin: header(req, 'origin') ?? null, headers, t: Date.now() });
    }
    // Drain any request body before answering, so keep-alive connections stay usable.
    req.resume();
    try {
      route(name, req, res, url, method);
    } catch (err) {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(err));
    }
  };

  /**
   * @param {ServerName} name
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {URL} url
   * @param {string} method
   */
  function route(name, req, res, url, method) {
    const path = url.pathname;
    if (perf.handle(name, req, res, url, method)) return;
    if (name === 'A') {
      if (path === '/' && method === 'GET') return send(res, 200, [['Content-Type', 'text/html; charset=utf-8'], ['Cache-Control', 'no-store']], labHtml);
      if (path === '/lab.js' && method === 'GET') return send(res, 200, [['Content-Type', 'text/javascript; charset=utf-8'], ['Cache-Control', 'no-store']], labJs);
      if (path === '/scenarios.json' && method === 'GET') return send(res, 200, [['Content-Type', 'application/json'], ['Cache-Control', 'no-store']], scenariosJson);
      if (path === '/__log' && method === 'GET') return send(res, 200, [['Content-Type', 'application/json'], ['Cache-Control', 'no-store']], JSON.stringify(log));
      if (path === '/__log/clear' && method === 'POST') { log.length = 0; return send(res, 204, [], ''); }
      if (path === '/favicon.ico') return send(res, 204, [], '');
      if (path === '/public-frame' && method === 'GET') {
        return send(res, 200, [['Content-Type', 'text/html; charset=utf-8'], ['Content-Security-Policy', 'treat-as-public-address'], ['Cache-Control', 'no-store']],
          '<!doctype html><title>public frame</title><p>This frame is treated as a public address (CSP treat-as-public-address).</p>');
      }
    }
    // Any server, any host name (Chromium resolves *.localhost to loopback): an empty page to run
    // requests from, as a top-level page or a frame (tests/e2e/override-scope.test.ts).
    if (path === '/__frame' && method === 'GET') {
      return send(res, 200, [['Content-Type', 'text/html; charset=utf-8'], ['Cache-Control', 'no-store']], '<!doctype html><title>lab frame</title><p>lab frame</p>');
    }
    if (path === '/__cookie') {
      const origin = header(req, 'origin');
      /** @type {Array<[string,string]>} */
      const h = [['Set-Cookie', 'lab_sid=lab-session; Path=/; SameSite=None; Secure'], ['Set-Cookie', 'lab_lax=lab-lax; Path=/; SameSite=Lax'], ['Cache-Control', 'no-store']];
      if (origin) h.push(['Access-Control-Allow-Origin', origin], ['Access-Control-Allow-Credentials', 'true'], ['Vary', 'Origin']);
      return send(res, 200, h, 'cookie set');
    }
    const m = /^\/s\/([^/]+)(\/next)?$/.exec(path);
    const scenario = m ? scenarioById.get(decodeURIComponent(m[1] ?? '')) : undefined;
    if (!m || !scenario) return send(res, 404, [['Content-Type', 'text/plain']], 'no such lab endpoint');
    const stage = m[2] ? scenario.server.next : scenario.server;
    const reply = method === 'OPTIONS' ? stage?.preflight : stage?.actual;
    if (!reply) return send(res, 404, [['Content-Type', 'text/plain']], 'Not Found');
    const origin = header(req, 'origin');
    const local = origin && (origin.startsWith('http://127.0.0.1') || origin.startsWith('http://localhost')) ? origin : undefined;
    /** @type {Record<string, string|undefined>} */
    const reqVars = {
      ...vars,
      origin,
      originIfLocal: local,
      acrm: header(req, 'access-control-request-method'),
      acrh: header(req, 'access-control-request-headers'),
      query: url.search,
    };
    /** @type {Array<[string,string]>} */
    const headers = [];
    for (const [k, v] of reply.headers ?? []) {
      const value = expand(v, reqVars);
      if (value !== null) headers.push([k, value]);
    }
    if (reply.location !== undefined) {
      const loc = expand(reply.location, reqVars);
      if (loc !== null) headers.push(['Location', loc]);
    }
    return send(res, reply.status, headers, reply.body ?? '');
  }

  /**
   * Write a response with headers in order, duplicates kept, values written as latin1 bytes.
   * @param {import('node:http').ServerResponse} res
   * @param {number} status
   * @param {Array<[string,string]>} headers
   * @param {string|Buffer} body
   */
  function send(res, status, headers, body) {
    const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const noBody = status === 204 || status === 304;
    /** @type {string[]} */
    const flat = [];
    for (const [k, v] of headers) flat.push(k, v);
    if (!noBody && !headers.some(([k]) => k.toLowerCase() === 'content-length')) flat.push('Content-Length', String(buf.length));
    res.writeHead(status, flat);
    res.end(noBody ? undefined : buf);
  }

  const servers = { A: createServer(handlerFor('A')), B: createServer(handlerFor('B')), C: createServer(handlerFor('C')) };
  for (const s of Object.values(servers)) {
    s.keepAliveTimeout = 5000;
    // Big and many headers: Node's default limits apply to requests only; nothing to raise here.
  }
  const ports = opts.ports ?? {};
  try {
    const pa = await listen(servers.A, ports.a ?? 0);
    const pb = await listen(servers.B, ports.b ?? 0);
    const pc = await listen(servers.C, ports.c ?? 0);
    origins.A = `http://127.0.0.1:${pa}`;
    origins.B = `http://localhost:${pb}`;
    origins.BSameSite = `http://127.0.0.1:${pb}`;
    origins.C = `http://127.0.0.1:${pc}`;
    origins.refused = `http://127.0.0.1:${await closedPort()}`;
  } catch (err) {
    await Promise.all(Object.values(servers).map((s) => new Promise((resolve) => s.close(() => resolve(undefined)))));
    throw err;
  }
  vars = originVars(origins);
  const resolved = resolveScenarios(origins);
  scenariosJson = JSON.stringify({ origins, scenarios: resolved });

  return {
    originA: origins.A,
    originB: origins.B,
    originBSameSite: origins.BSameSite,
    originC: origins.C,
    refusedOrigin: origins.refused,
    unsafeOrigin: origins.unsafe,
    origins,
    scenarios: resolved,
    log,
    perf,
    clearLog() { log.length = 0; },
    async close() {
      await Promise.all(Object.values(servers).map((s) => new Promise((resolve) => {
        s.close(() => resolve(undefined));
        s.closeAllConnections();
      })));
    },
  };
}

export { scenarios };

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const env = process.env;
  const lab = await startLab({ ports: { a: Number(env.LAB_PORT_A ?? 8701), b: Number(env.LAB_PORT_B ?? 8702), c: Number(env.LAB_PORT_C ?? 8703) } });
  console.log(`CORS lab (${lab.scenarios.length} scenarios)`);
  console.log(`  A (lab page)        ${lab.originA}/`);
  console.log(`  B (cross-site)      ${lab.originB}`);
  console.log(`  B (same-site)       ${lab.originBSameSite}`);
  console.log(`  C (redirect target) ${lab.originC}`);
  const stop = () => { lab.close().then(() => process.exit(0)); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
