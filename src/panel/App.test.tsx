// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import type { ToPanelMessage, ToWorkerMessage } from '../shared/protocol';
import { App } from './App';
import { curlForPreflight } from './curl';
import { blockedPut, counters, exchange, finding, snapshot } from './testing';

const XSS = '<img src=x onerror=alert(1)>';

let root: HTMLElement;
let push: (m: ToPanelMessage) => void;
let sent: ToWorkerMessage[];

function fakeConnect(_tabId: number, onMessage: (m: ToPanelMessage) => void) {
  push = (m) => act(() => onMessage(m));
  return { send: (m: ToWorkerMessage) => sent.push(m), close() {} };
}

const rows = () => [...root.querySelectorAll<HTMLElement>('[role=row][data-id]')];
const byLabel = (label: string) => root.querySelector<HTMLElement>(`[aria-label="${label}"]`)!;
const grid = () => root.querySelector<HTMLElement>('[role=grid]')!;
const key = (k: string) => act(() => void grid().dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true })));
const click = (el: Element) => act(() => void (el as HTMLElement).click());

beforeEach(() => {
  sent = [];
  root = document.createElement('div');
  document.body.appendChild(root);
  act(() => render(<App tabId={7} connect={fakeConnect} now={() => 1_700_000_000_000} popOut={() => {}} />, root));
});
afterEach(() => {
  act(() => render(null, root));
  root.remove();
});

describe('App', () => {
  it('says what to do when nothing is captured', () => {
    expect(root.textContent).toContain('No cross-origin requests yet. Reload the page to capture its requests.');
  });

  it('says when stored entries were dropped or storage is full, and only then', () => {
    push(snapshot([exchange({})]));
    expect(root.querySelector('.storage-notice')).toBeNull();
    push(snapshot([exchange({})], { counters: { ...counters(1, 0), storage: { discarded: 3, unpersisted: 2 } } }));
    const notice = root.querySelector('.storage-notice')!;
    expect(notice.textContent).toContain('3 stored entries could not be read back');
    expect(notice.textContent).toContain('2 exchanges are kept in memory only');
  });

  it('renders hostile header values as text, never as HTML', async () => {
    const ex = exchange({
      url: 'http://127.0.0.1:9002/x?q=<b>bold</b>',
      findings: [finding({ severity: 'warning', id: 'allow-origin-without-vary', values: { origin: XSS, url: `http://127.0.0.1:9002/${XSS}`, path: `/${XSS}`, method: 'GET', credentials: null, received: XSS } })],
      response: { statusCode: 200, headers: [['x-evil', XSS], ['access-control-allow-origin', '*']] },
    });
    push(snapshot([ex]));
    expect(rows()).toHaveLength(1);
    expect(rows()[0]!.textContent).toContain('Access-Control-Allow-Origin names the origin but Vary lacks Origin');
    click(rows()[0]!);
    const detail = byLabel('Exchange detail');
    expect(detail).toBeTruthy();
    const cell = detail.querySelector('[data-header="x-evil"] td')!;
    expect(cell.textContent).toContain(XSS);
    // The finding quotes the hostile values seen, as text inside code.
    const quoted = detail.querySelector('.finding-detail')!;
    expect(quoted.textContent).toContain(XSS);
    expect([...quoted.querySelectorAll('code')].some((c) => c.textContent!.includes(XSS))).toBe(true);
    expect(root.querySelector('img')).toBeNull();
    expect(root.querySelector('b')).toBeNull();
  });

  it('says when the request itself was not seen, rather than showing it sent no headers', () => {
    push(snapshot([exchange({ request: { headers: [] } }), exchange()]));
    click(rows()[0]!);
    expect(byLabel('Request (GET)').textContent).toContain('(not seen: CORS Lens began observing after this request was sent');
    click(rows()[1]!);
    expect(byLabel('Request (GET)').textContent).not.toContain('not seen');
  });

  it('lists the exchanges with counters and explains a blocked one', () => {
    const first = exchange();
    const put = blockedPut();
    push(snapshot([first, put], { counters: counters(5, 3) }));
    expect(rows().map((r) => r.dataset.id)).toEqual([first.id, put.id]);
    const counter = root.querySelector('[data-testid=counters]')!;
    expect(counter.textContent).toContain('5 captured');
    expect(counter.textContent).toContain('1 blocked');
    expect(counter.textContent).toContain('3 dropped');
    const cells = [...rows()[1]!.querySelectorAll('[role=gridcell]')].map((c) => c.textContent);
    expect(cells).toEqual(['127.0.0.1:9002/gin?s=custom-header', 'PUT', 'CORS error', 'sent 204', 'blocked', 'preflight: x-custom-header not in Access-Control-Allow-Headers', expect.stringMatching(/^\d\d:\d\d:\d\d\.\d{3}$/)]);

    click(rows()[1]!);
    const detail = byLabel('Exchange detail');
    expect(detail.textContent).toContain('HeaderDisallowedByPreflightResponse');
    expect(detail.textContent).toContain('Access-Control-Allow-Headers: Content-Type, x-custom-header');
    expect(detail.querySelector('[data-testid=headline]')!.textContent).toBe('Preflight failed: x-custom-header not in Access-Control-Allow-Headers');
    expect(detail.querySelector('[data-reached]')!.getAttribute('data-reached')).toBe('no');
    expect(detail.textContent).toContain('The PUT never reached the server');
    // One fix, shown once; the request Chrome never sent has no header table.
    // The fix is said once (the Try fix box shows the same header as a diff row, not as a second fix).
    expect(detail.textContent!.split('Add Access-Control-Allow-Headers: Content-Type, x-custom-header to the OPTIONS response').length - 1).toBe(1);
    expect(detail.querySelector('[aria-label="Request (PUT)"] table')).toBeNull();
    expect(detail.textContent).not.toContain('`');
    expect(detail.textContent).toContain('method PUT is not CORS-safelisted');
    const link = detail.querySelector<HTMLAnchorElement>('.finding a')!;
    expect(link.getAttribute('href')).toBe('https://fetch.spec.whatwg.org/#cors-preflight-fetch-0');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toBe('noreferrer');
    const decisive = [...detail.querySelectorAll('tr.decisive')].map((r) => r.getAttribute('data-header'));
    // Only the rows that decided it: not Allow-Origin *, not Origin.
    expect(decisive.sort()).toEqual(['access-control-allow-headers', 'access-control-request-headers']);
  });

  it('copies the preflight as curl and the fix', async () => {
    const put = blockedPut();
    push(snapshot([put]));
    click(rows()[0]!);
    const copies: string[] = [];
    const spy = vi.spyOn(navigator.clipboard, 'writeText').mockImplementation(async (t: string) => void copies.push(t));
    await act(async () => byLabel('Copy preflight as curl').click());
    expect(copies.at(-1)).toBe(curlForPreflight(put));
    await act(async () => byLabel('Copy fix').click());
    expect(copies.at(-1)).toBe('Access-Control-Allow-Headers: Content-Type, x-custom-header');
    // Nothing copied stays in the page.
    expect(document.documentElement.outerHTML).not.toContain('curl -i');
    expect(Object.keys(window).filter((k) => /copy/i.test(k))).toEqual([]);
    spy.mockRestore();
  });

  it('filters by text and by toggles', () => {
    push(snapshot([exchange({ url: 'http://127.0.0.1:9002/a' }), blockedPut(), exchange({ url: 'http://127.0.0.1:9002/b' })]));
    const input = byLabel('Filter') as HTMLInputElement;
    act(() => {
      input.value = '/b';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    expect(rows()).toHaveLength(1);
    act(() => {
      input.value = '';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    click(byLabel('Show only blocked requests'));
    expect(rows()).toHaveLength(1);
    expect(byLabel('Show only blocked requests').getAttribute('aria-pressed')).toBe('true');
    expect(root.querySelector('[data-testid=counters]')!.getAttribute('data-shown')).toBe('1');
  });

  it('moves with the arrow keys, opens with Enter, closes with Escape', () => {
    const [a, b] = [exchange(), blockedPut()];
    push(snapshot([a, b]));
    key('ArrowDown');
    expect(rows()[0]!.getAttribute('aria-selected')).toBe('true');
    key('ArrowDown');
    expect(rows()[1]!.getAttribute('aria-selected')).toBe('true');
    expect(root.querySelector('.detail')).toBeNull();
    key('Enter');
    expect(root.querySelector<HTMLElement>('.detail')!.dataset.id).toBe(b.id);
    key('Escape');
    expect(root.querySelector('.detail')).toBeNull();
  });

  it('sends clear and preserve-log to the worker, and applies updates', () => {
    push(snapshot([exchange()]));
    click(byLabel('Clear'));
    act(() => void byLabel('Preserve log').click());
    expect(sent).toEqual([{ type: 'clear' }, { type: 'preserve-log', on: true }]);
    push({ type: 'update', changed: [blockedPut()], removed: [], counters: counters(2) });
    expect(rows()).toHaveLength(2);
    push({ type: 'cleared', counters: counters(0) });
    expect(rows()).toHaveLength(0);
    expect(root.textContent).toContain('No cross-origin requests yet.');
  });

  it('folds very long values until asked', () => {
    const long = 'v'.repeat(1000);
    push(snapshot([exchange({ response: { statusCode: 200, headers: [['set-cookie', long]] } })]));
    click(rows()[0]!);
    const cell = () => root.querySelector('[data-header="set-cookie"] td')!;
    expect(cell().textContent).not.toContain(long);
    click(cell().querySelector('button')!);
    expect(cell().textContent).toContain(long);
  });

  it('shows the server headers and the final ones after an override, marking what it added', () => {
    const ex = exchange({
      response: { statusCode: 200, headers: [['content-type', 'text/plain']] },
      finalResponse: { statusCode: 200, headers: [['content-type', 'text/plain'], ['access-control-allow-origin', 'http://127.0.0.1:9001']] },
    });
    push(snapshot([ex]));
    click(rows()[0]!);
    const added = root.querySelector('tr.change-added')!;
    expect(added.getAttribute('data-header')).toBe('access-control-allow-origin');
    expect(added.textContent).toContain('added by override');
    expect(root.textContent).toContain('as the server sent them');
  });

  it('renders only a window of 10,000 rows', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => exchange({ startedAt: i }));
    push(snapshot(many));
    expect(rows().length).toBeGreaterThan(10);
    expect(rows().length).toBeLessThan(100);
    expect(root.querySelector('[data-testid=counters]')!.textContent).toContain('10000 captured');
  });
});
