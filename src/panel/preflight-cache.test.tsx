// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { render } from 'preact';
import { preflightCacheCell, preflightFromCache } from './preflight-cache';
import { Detail } from './Detail';
import { blockedPut, exchange } from './testing';

const unseen = { ...blockedPut().preflight!, observed: 'missing' as const, response: null, request: { headers: [] } };

describe('a preflight needed but not seen', () => {
  it('is most likely from the preflight cache when the request itself went out', () => {
    const ex = exchange({ method: 'PUT', preflight: unseen });
    expect(preflightFromCache(ex)).toContain("most likely answered from the browser's preflight cache");
    expect(preflightCacheCell(ex)).toBe('cache (likely)');
  });

  it('is only "not seen" when the request was not seen going out either', () => {
    const ex = blockedPut({ preflight: unseen, request: { headers: [['origin', 'http://127.0.0.1:9001']] }, findings: [] });
    expect(preflightFromCache(ex)).toBeNull();
  });

  it('is shown in the detail as the cache, not as a fault with no response', () => {
    const root = document.createElement('div');
    render(<Detail ex={exchange({ method: 'PUT', preflight: unseen })} onClose={() => {}} now={() => 0} />, root);
    const side = root.querySelector('[aria-label="Preflight (OPTIONS)"]')!;
    expect(side.textContent).toContain('most likely from the preflight cache');
    expect(side.textContent).not.toContain('no response');
    expect(side.querySelector('table')).toBeNull();
    expect(root.querySelector('[data-fact=preflight]')!.textContent).toContain('preflight cache');
    render(null, root);
  });
});
