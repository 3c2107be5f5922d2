import { buildReport } from '../report/json';
import type { Redaction } from '../report/redact';
import type { SessionReport } from '../report/schema';
import { convertHar, type HarConversion } from './convert';
import { SOURCE_NAME } from './notes';
import { DEFAULT_LIMITS, looksLikeHar, readHar, type ReadLimits } from './read';

export { looksLikeHar, readHar, DEFAULT_LIMITS } from './read';
export type { HarEntry, HarFile, ReadLimits } from './read';
export { convertHar } from './convert';
export type { HarConversion } from './convert';
export { SOURCE_NAME, type Confidence, type HarNote, type HarSource } from './notes';

export type HarReportResult = { ok: true; report: SessionReport; conversion: HarConversion } | { ok: false; error: string };

export interface HarReportOptions {
  /** ISO-8601; handed in because the core has no clock. */
  exportedAt: string;
  /** What to hide (the export's redaction): a policy, or lower-case header names; empty for none. */
  redact: readonly string[] | Redaction;
  limits?: ReadLimits;
}

/** A HAR file's text as a session report (schema `cors-lens/session` version 2), with what the HAR lacked. Never throws. */
export function harToReport(text: string, opts: HarReportOptions): HarReportResult {
  const read = readHar(text, opts.limits ?? DEFAULT_LIMITS);
  if (!read.ok) return read;
  const conversion = convertHar(read.har);
  const report = buildReport({
    exchanges: conversion.exchanges,
    tab: { id: 0, url: conversion.pageUrl },
    browser: `${read.har.browser} (from a HAR by ${SOURCE_NAME[conversion.source]})`,
    exportedAt: opts.exportedAt,
    redact: opts.redact,
  });
  return { ok: true, report, conversion };
}

/** Is this text more likely a HAR than a CORS Lens report? Decides which reader "Open…" uses. */
export function isHarText(text: string): boolean {
  return looksLikeHar(text);
}
