import { renderHtml } from './html';
import { buildReport, reportFileName, type ReportInput } from './json';
import { renderMarkdown } from './markdown';
import { redactionPolicy, type Redaction } from './redact';
import type { SessionReport } from './schema';

export type ExportFormat = 'json' | 'html' | 'markdown';

export interface ExportedFile {
  format: ExportFormat;
  fileName: string;
  mime: string;
  text: string;
}

/** What to hide: the default secrets plus the user's own names, or nothing when the user chose to include secrets. */
export function redactionFor(redact: boolean, extra: readonly string[] = []): Redaction {
  return redactionPolicy(redact, extra);
}

const FORMATS: Record<ExportFormat, { ext: string; mime: string; render: (r: SessionReport) => string }> = {
  json: { ext: 'json', mime: 'application/json', render: (r) => `${JSON.stringify(r, null, 2)}\n` },
  html: { ext: 'html', mime: 'text/html', render: renderHtml },
  markdown: { ext: 'md', mime: 'text/markdown', render: renderMarkdown },
};

export function isExportFormat(x: unknown): x is ExportFormat {
  return x === 'json' || x === 'html' || x === 'markdown';
}

/** One session as a file a person or a tool can open: the same report, rendered once. */
export function exportSession(input: ReportInput, format: ExportFormat): ExportedFile {
  const f = FORMATS[format];
  return { format, fileName: reportFileName(input.tab.url, input.exportedAt, f.ext), mime: f.mime, text: f.render(buildReport(input)) };
}
