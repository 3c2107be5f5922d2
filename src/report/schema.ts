import type { Exchange } from '../traffic/exchange';

export const REPORT_SCHEMA = 'cors-lens/session';
/** Version 2: findings are data (id and values), rendered from the catalogue. Version 1 files still open. */
export const REPORT_VERSION = 2;

/** The session report, schema version 2 (docs/report.md). */
export interface SessionReport {
  schema: typeof REPORT_SCHEMA;
  version: typeof REPORT_VERSION;
  exportedAt: string;
  browser: string;
  tab: { id: number; url: string; origin: string | null };
  redacted: string[];
  exchanges: Exchange[];
}
