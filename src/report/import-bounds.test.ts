import { describe, expect, it } from 'vitest';
import { MAX_REPORT_DEPTH, MAX_REPORT_EXCHANGES, parseReport, reportSizeProblem } from './import';

const header = '"schema":"cors-lens/session","version":1,"exportedAt":"2026-01-02T03:04:05Z","browser":"x","tab":{"id":1,"url":"","origin":null},"redacted":[]';

describe('import bounds', () => {
  it('refuses a 500 MB file from its size, before reading it', () => {
    expect(reportSizeProblem(500 * 1024 * 1024)).toMatch(/the file is 500 MB, more than the 128 MB/);
    expect(reportSizeProblem(10 * 1024 * 1024)).toBeNull();
  });

  it('refuses JSON nested 2 million deep with a message, without parsing it', () => {
    const deep = `${'['.repeat(2_000_000)}${']'.repeat(2_000_000)}`;
    const r = parseReport(deep);
    expect(r).toEqual({ ok: false, error: `Cannot open this file: it nests more than ${MAX_REPORT_DEPTH} levels deep, and a CORS Lens report nests about eight.` });
    const inReport = parseReport(`{${header},"exchanges":[${'{"a":'.repeat(2_000_000)}1${'}'.repeat(2_000_000)}]}`);
    expect(inReport.ok).toBe(false);
  });

  it('counts brackets inside strings as text, not nesting', () => {
    const r = parseReport(`{${header},"exchanges":[],"note":"${'[{'.repeat(500)}\\"${'['.repeat(100)}"}`);
    expect(r.ok).toBe(true);
  });

  it('refuses more exchanges than a session can hold', () => {
    const r = parseReport(`{${header},"exchanges":[${new Array(MAX_REPORT_EXCHANGES + 1).fill('0').join(',')}]}`);
    expect(r).toEqual({ ok: false, error: 'Cannot open this file: the report has 100,001 exchanges, more than the 100,000 a session can hold.' });
  });
});
