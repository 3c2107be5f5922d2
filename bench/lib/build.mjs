// Builds what the bench runs, outside the repository (dist/ belongs to others, and ESLint lints
// everything under the repo): CORS Lens itself, a "mirror" extension that registers exactly CORS
// Lens's listeners (its own Capture class and default settings, bundled from src/) with empty
// sinks, and a Node bundle of the pure modules.

import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'rolldown';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CACHE = process.env.BENCH_CACHE ? resolve(process.env.BENCH_CACHE) : join(tmpdir(), 'cors-lens-bench');
const src = (/** @type {string} */ p) => JSON.stringify(join(ROOT, 'src', p));

/** `vite build` of the extension into CACHE/<name>, from the working tree or another checkout. */
export function buildExtension(root = ROOT, name = 'ext') {
  const out = join(CACHE, name);
  const r = spawnSync(join(ROOT, 'node_modules/.bin/vite'), ['build', '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
  return out;
}

/**
 * CORS Lens as committed at `ref` (`--lens-ref`), built from a detached worktree sharing this
 * checkout's node_modules: a change's before and after in the same rounds, where the noise between
 * two runs of this machine (0.1) would hide it.
 * @param {string} ref
 */
export function buildExtensionAt(ref) {
  const tree = join(CACHE, 'ref-src');
  spawnSync('git', ['worktree', 'remove', '--force', tree], { cwd: ROOT });
  rmSync(tree, { recursive: true, force: true });
  const r = spawnSync('git', ['worktree', 'add', '--detach', tree, ref], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git worktree add ${ref} failed:\n${r.stderr}`);
  try {
    symlinkSync(join(ROOT, 'node_modules'), join(tree, 'node_modules'));
    return buildExtension(tree, 'ext-ref');
  } finally {
    spawnSync('git', ['worktree', 'remove', '--force', tree], { cwd: ROOT });
  }
}

/**
 * A fresh directory for an empty bench extension with CORS Lens's permissions (so the browser treats
 * it as it treats CORS Lens) and a worker.js the caller writes.
 * @param {string} id @returns {string} the directory
 */
function benchExtensionDir(id) {
  const dir = join(CACHE, id);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8'));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({
    manifest_version: 3,
    name: `CORS Lens bench ${id}`,
    version: '0.0.1',
    permissions: manifest.permissions,
    host_permissions: manifest.host_permissions,
    background: { service_worker: 'worker.js', type: 'module' },
  }, null, 2));
  return dir;
}

/**
 * The mirror extension: CORS Lens's manifest permissions, and a worker holding CORS Lens's own
 * Capture (same listeners, extraInfoSpec and filters) whose sink only counts, or records, events.
 * `globalThis.bench.apply(tabs | null, record)` registers them (tabs: ids, null: every tab).
 */
export async function buildMirror() {
  const dir = benchExtensionDir('mirror');
  const entry = join(CACHE, 'mirror-entry.mjs');
  writeFileSync(entry, `
import { Capture } from ${src('background/capture.ts')};
import { DEFAULT_SETTINGS } from ${src('background/settings-defaults.ts')};
const counts = { send: 0, headers: 0, error: 0, completed: 0 };
let recording = null;
const capture = new Capture((ev) => {
  counts[ev.kind] = (counts[ev.kind] ?? 0) + 1;
  if (recording) recording.push(ev);
});
const applyScope = (tabs) => capture.apply({ tabs, types: DEFAULT_SETTINGS.resourceTypes, finalHeaders: false });
// Like CORS Lens: top-level listeners wake the worker, and a restarted worker resumes its scope.
chrome.tabs.onUpdated.addListener(() => {});
chrome.runtime.onMessage.addListener(() => false);
const resumed = chrome.storage.session.get('benchScope').then((s) => {
  if (s.benchScope) applyScope(s.benchScope.tabs);
});
globalThis.bench = {
  counts,
  types: DEFAULT_SETTINGS.resourceTypes,
  // As worker.ts applies its scope while no override is active.
  async apply(tabs, record = false) {
    await resumed;
    recording = record ? [] : null;
    applyScope(tabs);
    await chrome.storage.session.set({ benchScope: { tabs } });
    return capture.listening();
  },
  take() {
    const r = recording ?? [];
    recording = recording ? [] : null;
    return r;
  },
};
`);
  await build({ input: entry, output: { file: join(dir, 'worker.js'), format: 'esm' }, platform: 'browser', logLevel: 'warn', cwd: ROOT });
  return dir;
}

/**
 * Other listener sets than CORS Lens's, each an empty extension like the mirror (same permissions,
 * same `bench` API): what one event or one `extraHeaders` costs, to show where the floor of the
 * API lies. Each also counts the preflights it saw, since a set that hides them is no option.
 * `events`: [webRequest event, extraInfoSpec][]; `types`: the filter's resource types.
 */
export const LISTENER_VARIANTS = {
  // The mirror's set without onHeadersReceived: what that event costs.
  'mirror-no-headers': { events: [['onSendHeaders', ['requestHeaders', 'extraHeaders']], ['onErrorOccurred', []]], types: null },
  // extraHeaders on the response event instead of the request event (does it still show preflights?).
  'mirror-xh-response': { events: [['onSendHeaders', ['requestHeaders']], ['onHeadersReceived', ['responseHeaders', 'extraHeaders']], ['onErrorOccurred', []]], types: null },
  // The mirror's set without the `script` type (classic cross-origin scripts are no-cors).
  'mirror-no-script': { events: [['onSendHeaders', ['requestHeaders', 'extraHeaders']], ['onHeadersReceived', ['responseHeaders']], ['onErrorOccurred', []]], types: ['xmlhttprequest', 'font', 'other'] },
};

/** @param {keyof typeof LISTENER_VARIANTS} id @param {string[]} defaultTypes */
export async function buildListenerVariant(id, defaultTypes) {
  const spec = LISTENER_VARIANTS[id];
  const dir = benchExtensionDir(id);
  writeFileSync(join(dir, 'worker.js'), `
const spec = ${JSON.stringify({ ...spec, types: spec.types ?? defaultTypes })};
const counts = { preflights: 0 };
const listeners = [];
const listen = (tabs) => {
  for (const [ev, fn] of listeners) chrome.webRequest[ev].removeListener(fn);
  listeners.length = 0;
  for (const tabId of tabs ?? [undefined]) {
    for (const [ev, extra] of spec.events) {
      const fn = (d) => {
        counts[ev] = (counts[ev] ?? 0) + 1;
        if (d.method === 'OPTIONS') counts.preflights++;
        return undefined;
      };
      const filter = { urls: ['<all_urls>'], types: spec.types, ...(tabId === undefined ? {} : { tabId }) };
      if (extra.length) chrome.webRequest[ev].addListener(fn, filter, extra);
      else chrome.webRequest[ev].addListener(fn, filter);
      listeners.push([ev, fn]);
    }
  }
};
chrome.tabs.onUpdated.addListener(() => {});
chrome.runtime.onMessage.addListener(() => false);
const resumed = chrome.storage.session.get('benchScope').then((s) => { if (s.benchScope) listen(s.benchScope.tabs); });
globalThis.bench = {
  counts,
  async apply(tabs) {
    await resumed;
    listen(tabs);
    await chrome.storage.session.set({ benchScope: { tabs } });
    return listeners.length > 0;
  },
};
`);
  return dir;
}

/** The pure modules, for Node. @returns {Promise<any>} */
export async function buildNodeBundle() {
  const entry = join(CACHE, 'node-entry.mjs');
  writeFileSync(entry, `
export { TabSession } from ${src('traffic/session.ts')};
export { ChangeTracker } from ${src('traffic/changes.ts')};
export { observationOf, buildExchange } from ${src('traffic/build-exchange.ts')};
export { analyzeExchange } from ${src('cors/analyze.ts')};
export { buildReport } from ${src('report/json.ts')};
export { renderHtml } from ${src('report/html.ts')};
export { renderMarkdown } from ${src('report/markdown.ts')};
export { DEFAULT_REDACTED } from ${src('report/redact.ts')};
export { applyFilter, noFilter } from ${src('panel/filter.ts')};
export { DEFAULT_SETTINGS } from ${src('background/settings-defaults.ts')};
`);
  const file = join(CACHE, 'node', `engine-${Date.now()}.mjs`);
  rmSync(join(CACHE, 'node'), { recursive: true, force: true });
  await build({ input: entry, output: { file, format: 'esm' }, platform: 'node', logLevel: 'warn', cwd: ROOT });
  return import(file);
}

/** What worker.ts passes to Capture.apply, to warn when the mirror no longer matches. */
export function mirrorDrift() {
  const worker = readFileSync(join(ROOT, 'src/background/worker.ts'), 'utf8');
  const m = /capture\.apply\(\{([^}]*)\}\)/.exec(worker);
  const call = m?.[1]?.trim() ?? '(not found)';
  const expected = /types: settings\.resourceTypes/.test(call) && /finalHeaders: (false|overrides\.anyActive\(\))/.test(call);
  return { call, matches: expected };
}

/**
 * A copy of the built extension whose `optional` permissions (and host access) are optional, not
 * granted: what "not inspecting" would cost if they were requested only at the first capture.
 * @param {string} ext the built extension @param {string} name @param {string[]} optional
 */
export function optionalPermissionsCopy(ext, name = 'ext-optional', optional = ['webRequest']) {
  const dir = join(CACHE, name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(ext, dir, { recursive: true });
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const perms = /** @type {string[]} */ (m.permissions ?? []);
  m.permissions = perms.filter((p) => !optional.includes(p));
  m.optional_permissions = [...new Set([...(m.optional_permissions ?? []), ...optional])];
  m.optional_host_permissions = m.host_permissions ?? [];
  m.host_permissions = [];
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m, null, 2));
  return dir;
}
