import { describe, expect, it } from 'vitest';
import { exportSession, redactionFor } from './export';
import { parseReport } from './import';

const input = {
  exchanges: [],
  tab: { id: 7, url: 'http://127.0.0.1:8701/app' },
  browser: 'test',
  exportedAt: '2026-11-23T10:05:09.123Z',
  redact: redactionFor(true, ['X-Api-Key']),
};

describe('exportSession', () => {
  it('names each file after the page and the moment, with the format\u2019s extension', () => {
    expect(exportSession(input, 'json').fileName).toBe('cors-session-127.0.0.1_8701-20261123-100509.json');
    expect(exportSession(input, 'html').fileName.endsWith('.html')).toBe(true);
    expect(exportSession(input, 'markdown').fileName.endsWith('.md')).toBe(true);
  });

  it('exports JSON that imports back', () => {
    const parsed = parseReport(exportSession(input, 'json').text);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.report.redacted).toContain('x-api-key');
  });

  it('redacts the defaults plus the user\u2019s names, or nothing when secrets are included', () => {
    expect([...redactionFor(true, ['X-Tenant']).headers]).toEqual(expect.arrayContaining(['cookie', 'authorization', 'x-api-key', 'x-tenant']));
    expect([...redactionFor(true, ['X-Tenant']).params]).toEqual(expect.arrayContaining(['access_token', 'x-tenant']));
    expect(redactionFor(false, ['x-api-key'])).toEqual({ headers: new Set(), params: new Set() });
  });
});
