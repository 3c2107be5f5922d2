import { exportSession, isExportFormat, redactionFor } from '../report/export';
import { harToReport, type HarReportResult } from '../har';
import { failsOn, notesHtml, notesMarkdown, notesText, renderText, summaryLine, withHtmlNotes, type FailOn } from '../har/render';

/**
 * `cors-lens analyze`: arguments in, text out, with an exit code. No file system and no process
 * here (the adapter in main.ts reads the file and writes the streams), so the tests drive it directly.
 */

export type OutputFormat = 'json' | 'text' | 'markdown' | 'html';

export interface AnalyzeArgs {
  file: string;
  format: OutputFormat;
  failOn: FailOn | null;
  redact: boolean;
  redactExtra: string[];
}

export interface CliResult {
  stdout: string;
  stderr: string;
  code: number;
}

export const USAGE = `Usage: cors-lens analyze <file.har> [options]

Reads a HAR (Chrome DevTools "Export HAR", chrome.devtools.network.getHAR(), Firefox, Playwright's
recordHar), pairs each preflight with its request, and says why the browser blocked each
cross-origin request and what the server must change.

Options:
  --format json|text|markdown|html  json: a CORS Lens session report (schema cors-lens/session v1);
                                    text (default): one line per blocked exchange, with finding and fix
  --fail-on blocked|warning         exit 1 when an exchange is blocked (or, with warning, has a warning)
  --redact-extra <name,name>        also hide these headers' values (Cookie, Set-Cookie, Authorization
                                    and Proxy-Authorization are hidden by default)
  --no-redact                       include secret header values in the output
  -h, --help                        this text

Exit codes: 0 done, 1 --fail-on matched, 2 bad arguments or an unreadable file.
`;

export type ParsedArgs = { ok: true; args: AnalyzeArgs } | { ok: false; error: string } | { ok: 'help' };

export function parseArgs(argv: readonly string[]): ParsedArgs {
  if (argv.length === 0 || argv.includes('-h') || argv.includes('--help')) return { ok: 'help' };
  const [command, ...rest] = argv;
  if (command !== 'analyze') return { ok: false, error: `unknown command "${command}": the command is analyze` };
  const args: AnalyzeArgs = { file: '', format: 'text', failOn: null, redact: true, redactExtra: [] };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string | null => inline ?? rest[++i] ?? null;
    if (flag === '--format') {
      const v = value();
      if (v !== 'text' && !isExportFormat(v)) return { ok: false, error: `--format must be json, text, markdown or html, got ${v ?? 'nothing'}` };
      args.format = v;
    } else if (flag === '--fail-on') {
      const v = value();
      if (v !== 'blocked' && v !== 'warning') return { ok: false, error: `--fail-on must be blocked or warning, got ${v ?? 'nothing'}` };
      args.failOn = v;
    } else if (flag === '--redact-extra') {
      const v = value();
      if (v === null) return { ok: false, error: '--redact-extra needs header names, e.g. --redact-extra x-api-key' };
      args.redactExtra.push(...v.split(',').map((n) => n.trim()).filter((n) => n.length > 0));
    } else if (flag === '--no-redact') {
      args.redact = false;
    } else if (flag.startsWith('-') && flag !== '-') {
      return { ok: false, error: `unknown option ${flag}` };
    } else if (args.file === '') {
      args.file = a;
    } else {
      return { ok: false, error: `one HAR file at a time (got ${args.file} and ${a})` };
    }
  }
  if (args.file === '') return { ok: false, error: 'which HAR file? cors-lens analyze <file.har>' };
  return { ok: true, args };
}

/** Analyse a HAR's text as the arguments say. */
export function analyzeHarText(text: string, args: AnalyzeArgs, exportedAt: string): CliResult {
  const redact = redactionFor(args.redact, args.redactExtra);
  const result: HarReportResult = harToReport(text, { exportedAt, redact });
  if (!result.ok) return { stdout: '', stderr: `cors-lens: ${args.file}: ${result.error}\n`, code: 2 };
  const { report, conversion } = result;
  const input = { exchanges: conversion.exchanges, tab: report.tab, browser: report.browser, exportedAt, redact };
  let stdout: string;
  switch (args.format) {
    case 'json':
      stdout = exportSession(input, 'json').text;
      break;
    case 'markdown':
      stdout = exportSession(input, 'markdown').text + notesMarkdown(report, conversion.notes, conversion.confidence);
      break;
    case 'html':
      stdout = withHtmlNotes(exportSession(input, 'html').text, notesHtml(report, conversion.notes, conversion.confidence));
      break;
    default:
      stdout = renderText(report, conversion.confidence, args.failOn ?? 'blocked');
  }
  const stderr = [
    `cors-lens: ${summaryLine(report)}`,
    notesText(conversion.notes),
    args.redact ? '' : 'cors-lens: --no-redact: the output holds cookies and credentials in clear; share it only with people who may see them.',
  ].filter((l) => l.length > 0).join('\n');
  const failed = args.failOn !== null && report.exchanges.some((e) => failsOn(e, args.failOn!));
  return { stdout, stderr: `${stderr}\n`, code: failed ? 1 : 0 };
}
