/**
 * Least privilege and store rules, on the source manifest and on what the build emits (dist/, or
 * CORS_LENS_DIST; this file runs with the end-to-end suite, after the build, so the build is there): every permission is used by the code, no remote code, no
 * `unsafe-eval`, no web-accessible resource wider than needed.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { firefoxManifest } from '../../scripts/firefox-manifest';

const ROOT = resolve(import.meta.dirname, '../..');
const DIST = process.env.CORS_LENS_DIST ? resolve(process.env.CORS_LENS_DIST) : join(ROOT, 'dist');

interface Manifest {
  manifest_version: number;
  permissions?: string[];
  optional_permissions?: string[];
  host_permissions?: string[];
  optional_host_permissions?: string[];
  content_security_policy?: { extension_pages?: string; sandbox?: string } | string;
  web_accessible_resources?: Array<{ resources: string[]; matches?: string[]; extension_ids?: string[]; use_dynamic_url?: boolean }>;
  content_scripts?: unknown[];
  externally_connectable?: unknown;
  background?: { service_worker?: string; type?: string };
}

function files(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p, ext));
    else if (ext.test(name)) out.push(p);
  }
  return out;
}

/** All source, tests excluded: what ships. */
const source = files(join(ROOT, 'src'), /\.(ts|tsx)$/)
  .filter((f) => !/\.test\.tsx?$/.test(f) && !f.includes('test-helper') && !f.endsWith('testing.ts'))
  .map((f) => readFileSync(f, 'utf8'))
  .join('\n');

/** How the code shows it uses each permission it may hold. */
/** `chrome.x.y` or `chrome.x?.y`, or the same through the polyfill's `browser`. */
const api = (path: string, rest = '\\w+'): RegExp => new RegExp(`(?:chrome|browser)\\.${path.split('.').join('\\??\\.')}\\??\\.${rest}`);
const USES: Record<string, RegExp> = {
  // Through the polyfill, typed as Chrome's: `const webRequest = browser.webRequest …; webRequest.onSendHeaders.addListener`.
  webRequest: /(?:chrome|browser)\.webRequest\b[\s\S]*\bwebRequest\??\.on\w+\??\.addListener/,
  storage: api('storage', '(session|local|sync)'),
  declarativeNetRequest: api('declarativeNetRequest'),
  declarativeNetRequestWithHostAccess: api('declarativeNetRequest'),
  alarms: api('alarms'),
  tabs: /chrome\.tabs\.(query|get)\([^)]*\)[\s\S]{0,80}\.(url|title|pendingUrl)/,
  downloads: api('downloads'),
  scripting: api('scripting'),
  clipboardWrite: /clipboard|execCommand\(['"]copy/,
  contextMenus: api('contextMenus'),
  notifications: api('notifications'),
  offscreen: api('offscreen'),
  // Rescue overrides (docs/override.md); Chrome only: the Firefox manifest drops it.
  debugger: api('debugger', '(attach|sendCommand)'),
};
/** Never needed by a DevTools extension that only reads traffic and rewrites CORS headers on request. */
const NEVER = ['cookies', 'history', 'webRequestBlocking', 'management', 'proxy', 'nativeMessaging', 'background', 'unlimitedStorage', 'scripting', 'activeTab', 'identity', 'topSites', 'bookmarks'];

function checkManifest(m: Manifest, where: string, browser: 'chrome' | 'firefox' = 'chrome'): void {
  expect(m.manifest_version, where).toBe(3);
  const permissions = [...(m.permissions ?? []), ...(m.optional_permissions ?? [])];
  for (const p of permissions) {
    expect(NEVER, `${where}: permission ${p} is never needed`).not.toContain(p);
    expect(USES[p], `${where}: permission ${p} has no known use; add its use pattern to USES or drop it`).toBeDefined();
    expect(USES[p]!.test(source), `${where}: permission ${p} is not used by src/`).toBe(true);
  }
  // Chrome refuses `debugger` as an optional permission (override-rescue measures it), so the
  // Chrome build holds it from installation; Firefox has no chrome.debugger, so its build drops it.
  if (browser === 'chrome') expect(m.permissions ?? [], where).toContain('debugger');
  else expect(permissions, where).not.toContain('debugger');
  expect(m.optional_permissions ?? [], where).not.toContain('debugger');
  // A permission used by the code must be declared (else it fails at runtime, silently in a listener).
  for (const p of ['webRequest', 'storage']) expect(permissions, where).toContain(p);
  if (api('declarativeNetRequest').test(source)) {
    expect(permissions.some((p) => p.startsWith('declarativeNetRequest')), `${where}: override needs declarativeNetRequest`).toBe(true);
  }
  // Host access: webRequest sees only hosts it may access; nothing else asks for more.
  for (const h of [...(m.host_permissions ?? []), ...(m.optional_host_permissions ?? [])]) {
    expect(['<all_urls>', 'http://*/*', 'https://*/*', '*://*/*'], `${where}: host permission ${h}`).toContain(h);
  }
  expect(m.content_scripts, `${where}: no content script is needed`).toBeUndefined();
  expect(m.externally_connectable, `${where}: no web page may message the extension`).toBeUndefined();
  // CSP: MV3's default forbids remote code and eval; a custom one must not loosen it.
  const csp = typeof m.content_security_policy === 'string' ? m.content_security_policy : m.content_security_policy?.extension_pages ?? '';
  expect(csp, where).not.toMatch(/unsafe-eval|unsafe-inline|wasm-unsafe-eval|https?:|\*/);
  for (const w of m.web_accessible_resources ?? []) {
    // Resources any site may load reveal the extension and widen its surface: only icons, if anything.
    const wide = (w.matches ?? []).some((x) => x === '<all_urls>' || x.startsWith('*://') || x.startsWith('http'));
    if (wide) for (const r of w.resources) expect(r, `${where}: web-accessible to every site`).toMatch(/^icons\/[\w.-]+\.png$/);
    expect(w.extension_ids ?? [], where).not.toContain('*');
  }
}

describe('the manifest asks for no more than the code uses', () => {
  it('source manifest.json', () => {
    checkManifest(JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8')) as Manifest, 'manifest.json');
  });

  it('the Firefox manifest derived from it (scripts/firefox-manifest.ts) drops the debugger', () => {
    const chrome = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8')) as Manifest;
    const firefox = firefoxManifest(chrome as unknown as Record<string, unknown>) as unknown as Manifest;
    checkManifest(firefox, 'Firefox manifest', 'firefox');
    expect(firefox.permissions).toEqual((chrome.permissions ?? []).filter((p) => p !== 'debugger'));
  });

  it('the built manifest and pages', () => {
    expect(existsSync(join(DIST, 'manifest.json')), `no build in ${DIST}: run npm run build`).toBe(true);
    const m = JSON.parse(readFileSync(join(DIST, 'manifest.json'), 'utf8')) as Manifest;
    checkManifest(m, `${DIST}/manifest.json`);
    // The production build emits no dev-server loader and no web-accessible resources of its own.
    expect(JSON.stringify(m)).not.toMatch(/localhost|127\.0\.0\.1|vite|@crx/);
    // No remote script or style in any built page; no eval in any built script.
    for (const f of files(DIST, /\.html$/)) {
      const html = readFileSync(f, 'utf8');
      for (const tag of html.match(/<(script|link)\b[^>]*>/g) ?? []) {
        expect(tag, f).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//);
      }
    }
    for (const f of files(DIST, /\.js$/)) {
      const js = readFileSync(f, 'utf8');
      expect(js, f).not.toMatch(/\beval\(|new Function\(/);
      expect(js, f).not.toMatch(/import\(\s*["']https?:/);
      expect(js, f).not.toMatch(/importScripts\(\s*["']https?:/);
    }
  });
});
