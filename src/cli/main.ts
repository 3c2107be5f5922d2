import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { analyzeHarText, parseArgs, USAGE, type CliResult } from './analyze';
import { DEFAULT_LIMITS } from '../har/read';

/**
 * The `cors-lens` command: the Node adapter around analyze.ts (file, streams, exit code).
 * A HAR is read whole (JSON.parse needs the text): a file over the reader's limit is refused
 * with a message before a byte of it is read, rather than exhausting memory.
 */

/** Bytes of HAR read at most: the reader's character limit (a HAR is mostly ASCII). */
export const MAX_BYTES = DEFAULT_LIMITS.maxChars;

function mb(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : `${Math.max(1, Math.round(bytes / 1024 ** 2))} MB`;
}

function readFile(path: string): { text: string } | { error: string } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { error: code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : `cannot open it (${code ?? String(e)})` };
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) return { error: 'is a directory, not a HAR file' };
    if (st.size > MAX_BYTES) {
      return {
        error: `the file is ${mb(st.size)}; cors-lens reads HAR files of up to ${mb(MAX_BYTES)}. Record less (filter DevTools' Network panel to Fetch/XHR before exporting), or drop the response bodies first: jq 'del(.log.entries[].response.content.text)' big.har > small.har`,
      };
    }
    // Read by chunks up to the limit: a pipe or a growing file has no size to trust.
    const chunks: Buffer[] = [];
    let total = 0;
    const buf = Buffer.alloc(1 << 20);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      total += n;
      if (total > MAX_BYTES) return { error: `the file is over ${mb(MAX_BYTES)}; cors-lens reads HAR files of up to ${mb(MAX_BYTES)}` };
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
    const bytes = Buffer.concat(chunks, total);
    if (bytes.includes(0)) return { error: 'not a HAR: the file is binary (it holds NUL bytes); a HAR is JSON text' };
    return { text: bytes.toString('utf8') };
  } catch (e) {
    return { error: `cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  } finally {
    closeSync(fd);
  }
}

export function run(argv: readonly string[], now: Date): CliResult {
  const parsed = parseArgs(argv);
  if (parsed.ok === 'help') return { stdout: USAGE, stderr: '', code: argv.length === 0 ? 2 : 0 };
  if (!parsed.ok) return { stdout: '', stderr: `cors-lens: ${parsed.error}\n\n${USAGE}`, code: 2 };
  const file = readFile(parsed.args.file);
  if ('error' in file) return { stdout: '', stderr: `cors-lens: ${parsed.args.file}: ${file.error}\n`, code: 2 };
  try {
    return analyzeHarText(file.text, parsed.args, now.toISOString());
  } catch (e) {
    // The reader never throws by design; if something still does, say so plainly, no stack.
    return { stdout: '', stderr: `cors-lens: ${parsed.args.file}: could not be analysed (${e instanceof Error ? e.message : String(e)})\n`, code: 2 };
  }
}

const result = run(process.argv.slice(2), new Date());
// Piped into head or a pager that quit: the reader has what it wanted, not a crash.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(result.code);
  throw e;
});
if (result.stdout) process.stdout.write(result.stdout);
if (result.stderr) process.stderr.write(result.stderr);
process.exitCode = result.code;
