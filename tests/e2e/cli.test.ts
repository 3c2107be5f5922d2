import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { assertCli, CLI, runCli } from './har-sources';

/**
 * The built `cors-lens` command as a user runs it: from the repo (`npm run cors-lens`), from its
 * bin path, and installed from the packed tarball (`npx cors-lens`). Files it must refuse, with a
 * message and exit code 2, never a stack trace.
 */

const exec = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
let dir: string;
const HAR = JSON.stringify({
  log: {
    version: '1.2',
    creator: { name: 'WebInspector', version: '537.36' },
    entries: [
      {
        startedDateTime: '2026-01-01T00:00:00.000Z',
        time: 5,
        request: { method: 'GET', url: 'http://api.test/x', httpVersion: 'HTTP/1.1', headers: [{ name: 'Origin', value: 'http://app.test' }, { name: 'Sec-Fetch-Mode', value: 'cors' }], headersSize: 90 },
        response: { status: 200, headers: [{ name: 'Access-Control-Allow-Origin', value: 'http://other.test' }], redirectURL: '', _error: 'net::ERR_FAILED' },
      },
    ],
  },
});

beforeAll(() => {
  assertCli();
  dir = mkdtempSync(join(tmpdir(), 'cors-lens-cli-'));
  writeFileSync(join(dir, 'f.har'), HAR);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the built command', () => {
  it('is an executable ES module with a shebang, declared as the package bin', async () => {
    const pkg = (await import('../../package.json', { with: { type: 'json' } })).default as { bin: Record<string, string> };
    expect(resolve(ROOT, pkg.bin['cors-lens']!)).toBe(CLI);
    const r = await exec(CLI, ['--help']).catch((e: { stdout: string }) => e);
    expect(r.stdout).toMatch(/^Usage: cors-lens analyze <file.har>/);
  });

  it('runs as npm run cors-lens -- analyze f.har, exit 1 with --fail-on blocked', async () => {
    const r = await exec('npm', ['run', '--silent', 'cors-lens', '--', 'analyze', join(dir, 'f.har'), '--fail-on', 'blocked'], { cwd: ROOT }).then(
      (x) => ({ ...x, code: 0 }),
      (e: { stdout: string; stderr: string; code: number }) => e,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^BLOCKED GET http:\/\/api\.test\/x - .*AllowOriginMismatch.*Fix: /);
  });

  it('refuses a 1 GB file at once, with a message, reading none of it', async () => {
    const big = join(dir, 'big.har');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, 1024 ** 3); // sparse: no gigabyte is written
    closeSync(fd);
    expect(statSync(big).size).toBe(1024 ** 3);
    const start = Date.now();
    const r = await runCli(['analyze', big]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the file is 1\.0 GB; cors-lens reads HAR files of up to 256 MB/);
    expect(Date.now() - start).toBeLessThan(10_000);
  });

  const refused: Array<[string, string | null, RegExp]> = [
    ['truncated JSON', HAR.slice(0, HAR.length / 2), /not complete JSON: it ends in the middle \(truncated\?\)/],
    ['not a HAR', JSON.stringify({ hello: 'world' }), /not a HAR: the file has no "log" object/],
    ['a binary file', '\u0000\u0001PNG', /the file is binary/],
    ['deep nesting', `{"log":{"entries":${'['.repeat(500_000)}`, /truncated|nested|not JSON/],
    ['a missing file', null, /no such file/],
  ];
  for (const [name, text, message] of refused) {
    it(`refuses ${name} with a message and exit code 2`, async () => {
      const file = join(dir, `${name.replace(/\W+/g, '-')}.har`);
      if (text !== null) writeFileSync(file, text);
      const r = await runCli(['analyze', file]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    });
  }

  it('refuses a directory and bad options with exit code 2', async () => {
    expect((await runCli(['analyze', dir])).stderr).toMatch(/is a directory/);
    const r = await runCli(['analyze', join(dir, 'f.har'), '--format', 'pdf']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--format must be json, text, markdown or html/);
  });

  it('works as npx cors-lens once installed from the packed package (offline)', async () => {
    const packDir = join(dir, 'pack');
    mkdirSync(packDir);
    const { stdout } = await exec('npm', ['pack', '--pack-destination', packDir, '--json', '--ignore-scripts'], { cwd: ROOT });
    const tarball = join(packDir, (JSON.parse(stdout) as Array<{ filename: string }>)[0]!.filename);
    const app = join(dir, 'app');
    const installed = join(app, 'node_modules', 'cors-lens');
    mkdirSync(installed, { recursive: true });
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true, dependencies: { 'cors-lens': `file:${tarball}` } }));
    // What npm install does with the tarball, minus fetching the extension's own runtime packages
    // (this machine is offline; the command bundles everything it needs): unpack, then link the bin.
    await exec('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
    await exec('npm', ['rebuild', '--offline', '--ignore-scripts'], { cwd: app });
    const r = await exec('npx', ['--offline', 'cors-lens', 'analyze', join(dir, 'f.har'), '--format', 'json'], { cwd: app }).catch((e: { stdout: string; stderr: string }) => e);
    expect(r.stderr).not.toMatch(/ERR!/);
    expect(JSON.parse(r.stdout).schema).toBe('cors-lens/session');
  });
});
