import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DIST_FIREFOX } from './bidi';

interface LintMessage { code: string; message: string; file?: string; line?: number }
interface LintReport { count: number; summary: { errors: number; warnings: number; notices: number }; errors: LintMessage[]; warnings: LintMessage[]; notices: LintMessage[] }

const WEB_EXT = resolve(import.meta.dirname, '../../node_modules/web-ext/bin/web-ext.js');
/** What rescue mode calls, feature-detected: Firefox has no `debugger` API, and its build does not ask for one. */
const DEBUGGER_CALL = /^debugger\.(attach|detach|sendCommand|onEvent|onDetach) is not supported$/;

/** Every source file under src/, for the check that no component sets innerHTML. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? sources(join(dir, d.name)) : /\.tsx?$/.test(d.name) ? [join(dir, d.name)] : []));
}

describe('web-ext lint on dist-firefox (Mozilla’s add-ons linter, as AMO runs it)', () => {
  it('finds no error, and only the warnings known to be harmless', async () => {
    // No update check (it would ask the npm registry) and no config from the user's home.
    const { stdout } = await promisify(execFile)(process.execPath, [WEB_EXT, 'lint', '--source-dir', DIST_FIREFOX, '--output', 'json', '--no-input', '--no-config-discovery'], {
      env: { ...process.env, NO_UPDATE_NOTIFIER: '1' }, maxBuffer: 16 << 20,
    });
    const report = JSON.parse(stdout) as LintReport;
    expect(report.errors.map((m) => `${m.code} ${m.file}:${m.line} ${m.message}`)).toEqual([]);
    expect(report.notices.map((m) => `${m.code} ${m.message}`)).toEqual([]);

    const debuggerCalls = report.warnings.filter((m) => m.code === 'UNSUPPORTED_API' && DEBUGGER_CALL.test(m.message));
    const innerHtml = report.warnings.filter((m) => m.code === 'UNSAFE_VAR_ASSIGNMENT' && m.message === 'Unsafe assignment to innerHTML');
    console.log(`web-ext lint: ${report.summary.errors} errors, ${report.summary.warnings} warnings (${debuggerCalls.length} chrome.debugger, ${innerHtml.length} innerHTML), ${report.summary.notices} notices`);
    expect(report.warnings.filter((m) => !debuggerCalls.includes(m) && !innerHtml.includes(m)).map((m) => `${m.code} ${m.file}:${m.line} ${m.message}`)).toEqual([]);

    // chrome.debugger: rescue mode's calls, all in the background script, reached only where the API exists.
    expect(debuggerCalls.length).toBeGreaterThan(0);
    for (const m of debuggerCalls) expect(m.file, m.message).toMatch(/^assets\/worker\.ts-[\w-]+\.js$/);

    // innerHTML: Preact's dangerouslySetInnerHTML path, once, in the panel's bundle; no component uses it.
    expect(innerHtml).toHaveLength(1);
    const line = readFileSync(join(DIST_FIREFOX, innerHtml[0]!.file!), 'utf8').split('\n')[innerHtml[0]!.line! - 1] ?? '';
    expect(line).toContain('.innerHTML = h.__html');
    const users = sources(resolve(import.meta.dirname, '../../src')).filter((f) => !/\.test\.tsx?$/.test(f) && readFileSync(f, 'utf8').includes('dangerouslySetInnerHTML'));
    expect(users).toEqual([]);
  });
});
