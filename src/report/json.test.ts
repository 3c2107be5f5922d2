import { describe, expect, it } from 'vitest';
import { EXPORTED_AT, realisticExchanges } from './fixtures.test-helper';
import { buildReport, reportFileName } from './json';
import { DEFAULT_REDACTED } from './redact';

describe('buildReport', () => {
  it('makes a schema version 2 report of the tab', () => {
    const r = buildReport({ exchanges: realisticExchanges, tab: { id: 5, url: 'https://app.example:8443/p?q' }, browser: 'UA', exportedAt: EXPORTED_AT, redact: DEFAULT_REDACTED });
    expect(r).toMatchObject({ schema: 'cors-lens/session', version: 2, exportedAt: EXPORTED_AT, browser: 'UA' });
    expect(r.tab).toEqual({ id: 5, url: 'https://app.example:8443/p?q', origin: 'https://app.example:8443' });
    expect(r.exchanges.map((e) => e.id)).toEqual(realisticExchanges.map((e) => e.id));
  });

  it('names the file by host and UTC time', () => {
    expect(reportFileName('https://app.example:8443/x', '2026-01-01T00:05:09.123Z', 'json')).toBe('cors-session-app.example_8443-20260101-000509.json');
    expect(reportFileName('not a url', '2026-01-01T00:05:09Z', 'html')).toBe('cors-session-tab-20260101-000509.html');
  });

  // A 5,000-exchange export (JSON, HTML, Markdown) is measured by the bench's Node part (npm run bench);
  // the round trip is import.test.ts's, one article per blocked exchange html.test.ts's.
});
