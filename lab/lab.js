// The lab page's script (served as /lab.js; no inline script, so a strict CSP works).
// Reads the scenarios from /scenarios.json (the single source of truth, lab/scenarios.mjs) and sends
// each scenario's requests as described there. All text is set with textContent.
//
// window.corsLab = {
//   ready: Promise<void>,               resolves once the scenarios are loaded
//   scenarios: string[],                 the scenario ids, in order (filled when ready)
//   origins: { A, B, BSameSite, C, refused, unsafe },
//   run(id, { nonce }?) → Promise<Result>,
//   runAll({ nonce, group }?) → Promise<Result[]>,
//   initLog: Array<Init & { url }>,     every call's init, in order (see CallResult)
// }
// Result = { id, ok, status?, error?, detail, calls: CallResult[] }: never throws.
//   ok: the subject request's fetch resolved (the page could read a response; opaque responses count);
//   status/error: the subject request's status or the message of the error it threw.
// CallResult = { url, ok, status?, type?, error?, headers?, body?, init }.
//   init: what the page really used for the call (the truth the extension's inferences are scored
//   against): { api, method, credentials, mode, headers } (headers: the page's own, names lower-cased). credentials is the effective value
//   (fetch's default "same-origin"; XHR: "include" when withCredentials, else "same-origin").
// corsLab.initLog holds every call's init with its URL, in the order the calls were made.
// The nonce, when given, is appended to every URL as &run=<nonce> so a repeat run in the same
// browser is independent of the first (preflight cache, HTTP cache).
'use strict';

(function () {
  /**
   * @typedef {{ url: string, target?: string, path?: string, method?: string, headers?: Record<string,string>, body?: string,
   *   credentials?: RequestCredentials, mode?: RequestMode, redirect?: RequestRedirect, api?: string, readHeaders?: string[],
   *   expect?: object, setup?: boolean, frame?: string }} Call
   * @typedef {{ id: string, title: string, group: string, description: string, expect: { chromeCorsError: string|null, failedParameter?: string, verdict: string },
   *   requests: number, calls: Call[], parallel?: boolean }} Scenario
   * @typedef {{ api: 'fetch'|'xhr', method: string, credentials: RequestCredentials, mode: RequestMode, headers: Record<string,string> }} Init
   * @typedef {{ url: string, ok: boolean, status?: number, type?: string, error?: string, headers?: Record<string,string|null>, body?: string, init?: Init }} CallResult
   * @typedef {{ id: string, ok: boolean, status?: number, error?: string, detail: string, calls: CallResult[] }} Result
   */

  /** @type {Scenario[]} */
  let list = [];
  /** @type {Map<string, Scenario>} */
  const byId = new Map();
  /** @type {Map<string, HTMLElement>} */
  const resultCells = new Map();
  /** @type {string[]} */
  const ids = [];
  /** @type {Record<string,string>} */
  const origins = {};

  /** @param {string} tag @param {Record<string,string>} [attrs] @param {string} [text] */
  function el(tag, attrs = {}, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  /** @param {Scenario['expect']} e */
  function describeExpect(e) {
    return e.verdict + (e.chromeCorsError ? ` · ${e.chromeCorsError}` : '') + (e.failedParameter ? ` (${e.failedParameter.length > 60 ? e.failedParameter.slice(0, 60) + '…' : e.failedParameter})` : '');
  }

  function render() {
    const tbody = /** @type {HTMLElement} */ (document.getElementById('results'));
    tbody.textContent = '';
    let group = '';
    for (const s of list) {
      if (s.group !== group) {
        group = s.group;
        const tr = el('tr', { class: 'group' });
        tr.appendChild(el('td', { colspan: '4' }, group));
        tbody.appendChild(tr);
      }
      const tr = el('tr', { 'data-row': s.id });
      const btnCell = el('td');
      const btn = el('button', { type: 'button', 'data-scenario': s.id, title: s.description }, 'Run');
      btn.addEventListener('click', () => { void run(s.id); });
      btnCell.appendChild(btn);
      tr.appendChild(btnCell);
      const name = el('td');
      name.appendChild(el('div', { class: 'id' }, s.id));
      name.appendChild(el('div', {}, s.title));
      tr.appendChild(name);
      tr.appendChild(el('td', { class: 'expect' }, describeExpect(s.expect)));
      const res = el('td', { class: 'result pending', 'data-result': s.id }, '–');
      resultCells.set(s.id, res);
      tr.appendChild(res);
      tbody.appendChild(tr);
    }
    const o = /** @type {HTMLElement} */ (document.getElementById('origins'));
    o.textContent = `${list.length} scenarios. Page ${origins.A}; B ${origins.B} (cross-site) and ${origins.BSameSite} (same-site); C ${origins.C}. Open DevTools › CORS, then run.`;
    const all = /** @type {HTMLButtonElement} */ (document.getElementById('run-all'));
    all.disabled = false;
  }

  /** @param {Call} call @param {string|undefined} nonce */
  function urlOf(call, nonce) {
    return nonce === undefined || nonce === '' ? call.url : `${call.url}&run=${encodeURIComponent(nonce)}`;
  }

  /** @type {Promise<Window>|null} */
  let publicFrame = null;
  /** The window whose fetch/XHR sends the call: this page, or the same-origin "public" iframe. @param {Call} call @returns {Promise<Window>} */
  function realmOf(call) {
    if (call.frame !== 'public') return Promise.resolve(window);
    if (!publicFrame) {
      publicFrame = new Promise((resolve, reject) => {
        const f = el('iframe', { src: '/public-frame', title: 'public frame', hidden: '' });
        f.addEventListener('load', () => { const w = /** @type {HTMLIFrameElement} */ (f).contentWindow; if (w) resolve(w); else reject(new Error('no frame window')); });
        document.body.appendChild(f);
      });
    }
    return publicFrame;
  }

  /** @param {Call} call @param {string} url @returns {Promise<CallResult>} */
  async function viaFetch(call, url) {
    /** @type {RequestInit} */
    const init = { method: call.method || 'GET', credentials: call.credentials || 'same-origin', mode: call.mode || 'cors', redirect: call.redirect || 'follow' };
    if (call.headers) init.headers = call.headers;
    if (call.body !== undefined) init.body = call.body;
    try {
      const res = await (await realmOf(call)).fetch(url, init);
      /** @type {CallResult} */
      const out = { url, ok: true, status: res.status, type: res.type };
      if (call.readHeaders) {
        /** @type {Record<string,string|null>} */
        const h = {};
        for (const name of call.readHeaders) h[name] = res.headers.get(name);
        out.headers = h;
      }
      try { out.body = (await res.text()).slice(0, 200); } catch (err) { out.body = `(body unreadable: ${String(err)})`; }
      return out;
    } catch (err) {
      return { url, ok: false, error: String(err) };
    }
  }

  /** @param {Call} call @param {string} url @returns {Promise<CallResult>} */
  async function viaXhr(call, url) {
    const realm = /** @type {Window & typeof globalThis} */ (await realmOf(call));
    return new Promise((resolve) => {
      const xhr = new realm.XMLHttpRequest();
      xhr.open(call.method || 'GET', url);
      xhr.withCredentials = call.credentials === 'include';
      for (const [k, v] of Object.entries(call.headers || {})) xhr.setRequestHeader(k, v);
      xhr.onload = () => {
        /** @type {CallResult} */
        const out = { url, ok: true, status: xhr.status, type: 'xhr', body: String(xhr.responseText).slice(0, 200) };
        if (call.readHeaders) {
          /** @type {Record<string,string|null>} */
          const h = {};
          for (const name of call.readHeaders) h[name] = xhr.getResponseHeader(name);
          out.headers = h;
        }
        resolve(out);
      };
      xhr.onerror = () => resolve({ url, ok: false, error: 'XMLHttpRequest: network error' });
      try { xhr.send(call.body === undefined ? null : call.body); } catch (err) { resolve({ url, ok: false, error: String(err) }); }
    });
  }

  /** @type {Array<Init & { url: string }>} */
  const initLog = [];

  /** What the page really uses for a call: the defaults fetch() and XMLHttpRequest apply, made explicit. @param {Call} call @returns {Init} */
  function initOf(call) {
    const xhr = call.api === 'xhr';
    return {
      api: xhr ? 'xhr' : 'fetch',
      method: (call.method || 'GET').toUpperCase(),
      credentials: xhr ? (call.credentials === 'include' ? 'include' : 'same-origin') : (call.credentials || 'same-origin'),
      mode: xhr ? 'cors' : (call.mode || 'cors'),
      headers: Object.fromEntries(Object.entries(call.headers || {}).map(([k, v]) => [k.toLowerCase(), v])),
    };
  }

  /** @param {Call} call @param {string|undefined} nonce @returns {Promise<CallResult>} */
  async function send(call, nonce) {
    const url = urlOf(call, nonce);
    const init = initOf(call);
    initLog.push({ url, ...init });
    const out = await (call.api === 'xhr' ? viaXhr(call, url) : viaFetch(call, url));
    return { ...out, init };
  }

  /** The request the scenario is about: the last non-setup call without its own expectation, else the last non-setup call. @param {Scenario} s */
  function subjectIndex(s) {
    let lastNonSetup = -1;
    for (let i = s.calls.length - 1; i >= 0; i--) {
      const c = s.calls[i];
      if (!c || c.setup) continue;
      if (!c.expect) return i;
      if (lastNonSetup < 0) lastNonSetup = i;
    }
    return lastNonSetup >= 0 ? lastNonSetup : s.calls.length - 1;
  }

  /** @param {CallResult} c */
  function describeCall(c) {
    if (!c.ok) return `error: ${c.error}`;
    let d = `${c.status} ${c.type}`;
    if (c.headers) d += ' ' + Object.entries(c.headers).map(([k, v]) => `${k}=${v === null ? '(not readable)' : v.length > 40 ? v.slice(0, 40) + '…' : v}`).join(' ');
    return d;
  }

  /**
   * Run one scenario. Never throws.
   * @param {string} id
   * @param {{ nonce?: string|number }} [opts]
   * @returns {Promise<Result>}
   */
  async function run(id, opts = {}) {
    try {
      await ready;
      const s = byId.get(id);
      if (!s) return { id, ok: false, error: `unknown scenario ${id}`, detail: `unknown scenario ${id}`, calls: [] };
      const nonce = opts.nonce === undefined ? undefined : String(opts.nonce);
      const cell = resultCells.get(id);
      if (cell) { cell.textContent = 'running…'; cell.className = 'result pending'; }
      /** @type {CallResult[]} */
      let calls;
      if (s.parallel) {
        const setup = [];
        for (const c of s.calls.filter((c) => c.setup)) setup.push(await send(c, nonce));
        calls = [...setup, ...(await Promise.all(s.calls.filter((c) => !c.setup).map((c) => send(c, nonce))))];
      } else {
        calls = [];
        for (const c of s.calls) calls.push(await send(c, nonce));
      }
      const subject = calls[subjectIndex(s)] || calls[calls.length - 1] || { url: '', ok: false, error: 'no request' };
      const detail = calls.length === 1 ? describeCall(subject) : calls.map((c, i) => `#${i + 1} ${describeCall(c)}`).join(' | ');
      /** @type {Result} */
      const result = { id, ok: subject.ok, detail, calls };
      if (subject.status !== undefined) result.status = subject.status;
      if (subject.error !== undefined) result.error = subject.error;
      if (cell) { cell.textContent = detail; cell.className = 'result ' + (subject.ok ? 'ok' : 'fail'); }
      return result;
    } catch (err) {
      return { id, ok: false, error: String(err), detail: `lab error: ${String(err)}`, calls: [] };
    }
  }

  /**
   * Run every scenario (or one group), one after the other.
   * @param {{ nonce?: string|number, group?: string }} [opts]
   * @returns {Promise<Result[]>}
   */
  async function runAll(opts = {}) {
    try { await ready; } catch (err) { return [{ id: '(lab)', ok: false, error: String(err), detail: `lab not loaded: ${String(err)}`, calls: [] }]; }
    const summary = document.getElementById('summary');
    /** @type {Result[]} */
    const results = [];
    for (const s of list) {
      if (opts.group && s.group !== opts.group) continue;
      results.push(await run(s.id, { nonce: opts.nonce }));
    }
    if (summary) summary.textContent = `${results.length} run, ${results.filter((r) => r.ok).length} readable by the page.`;
    return results;
  }

  const ready = fetch('/scenarios.json', { cache: 'no-store' })
    .then((r) => r.json())
    .then((data) => {
      list = data.scenarios;
      Object.assign(origins, data.origins);
      for (const s of list) { byId.set(s.id, s); ids.push(s.id); }
      render();
      document.documentElement.setAttribute('data-ready', 'true');
    });

  document.getElementById('run-all')?.addEventListener('click', () => { void runAll(); });
  document.getElementById('clear-log')?.addEventListener('click', () => { void fetch('/__log/clear', { method: 'POST' }); });

  /** @type {any} */ (window).corsLab = { ready, scenarios: ids, origins, run, runAll, initLog };
})();
