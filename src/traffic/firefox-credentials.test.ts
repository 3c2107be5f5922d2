import { describe, expect, it } from 'vitest';
import { findingProse } from '../cors/describe';
import { TabSession } from './session';
import type { CaptureEvent } from './events';

const PAGE = 'http://127.0.0.1:4000';
const API = 'http://localhost:4001/items';

/** One simple GET as Firefox reports it: onSendHeaders, then onHeadersReceived, and no error event. */
function firefoxGet(requestHeaders: Array<[string, string]>, responseHeaders: Array<[string, string]>) {
  const base = { requestId: '7', tabId: 1, frameId: 0, initiator: PAGE, url: API, method: 'GET', type: 'xmlhttprequest', browser: 'firefox' as const };
  const events: CaptureEvent[] = [
    { kind: 'send', ...base, timeStamp: 1, headers: [['origin', PAGE], ['sec-fetch-mode', 'cors'], ...requestHeaders] },
    { kind: 'headers', ...base, timeStamp: 2, statusCode: 200, headers: responseHeaders },
  ];
  const s = new TabSession(1, 1000);
  for (const ev of events) s.handle(ev);
  return s.exchanges()[0]!;
}

describe('Firefox: credentials mode "include" proven by what the request carried', () => {
  it('Sec-Fetch-Storage-Access: a `*` answer is a block, named as Firefox names it', () => {
    const ex = firefoxGet([['sec-fetch-storage-access', 'none']], [['access-control-allow-origin', '*']]);
    expect(ex.verdict).toBe('blocked');
    expect(ex.findings[0]).toMatchObject({ id: 'wildcard-origin-with-credentials', severity: 'error' });
    expect(ex.credentials).toMatchObject({ value: 'include', rule: 'credentials-storage-access-sent' });
  });

  it('Sec-Fetch-Storage-Access: no Allow-Credentials is a block', () => {
    const ex = firefoxGet([['sec-fetch-storage-access', 'none']], [['access-control-allow-origin', PAGE]]);
    expect(ex.verdict).toBe('blocked');
    expect(ex.findings[0]).toMatchObject({ id: 'invalid-allow-credentials', severity: 'error' });
  });

  it('neither header: only a warning that names Firefox', () => {
    const ex = firefoxGet([], [['access-control-allow-origin', '*']]);
    expect(ex.verdict).toBe('allowed');
    const w = ex.findings.find((f) => f.id === 'wildcard-origin-with-credentials');
    expect(w?.severity).toBe('warning');
    expect(findingProse(w!).detail).toMatch(/^Firefox blocks this if the request was made with credentials: 'include'/);
  });
});
