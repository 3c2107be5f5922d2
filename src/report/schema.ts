import type { Exchange } from '../traffic/exchange';

export const REPORT_SCHEMA = 'cors-lens/session';
export const REPORT_VERSION = 1;

/** The session report, schema version 1 (docs/report.md). */
export interface SessionReport {
  schema: typeof REPORT_SCHEMA;
  version: typeof REPORT_VERSION;
  exportedAt: string;
  browser: string;
  tab: { id: number; url: string; origin: string | null };
  redacted: string[];
  exchanges: Exchange[];
}
