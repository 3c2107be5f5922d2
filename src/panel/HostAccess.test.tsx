// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { HostAccess, type PermissionsApi } from './HostAccess';

function fakePermissions(initial: boolean) {
  let granted = initial;
  const added = new Set<() => void>();
  const removed = new Set<() => void>();
  const api: PermissionsApi = {
    contains: async () => granted,
    request: async () => {
      granted = true;
      return true;
    },
    onAdded: { addListener: (f) => added.add(f), removeListener: (f) => added.delete(f) },
    onRemoved: { addListener: (f) => removed.add(f), removeListener: (f) => removed.delete(f) },
  };
  return {
    api,
    revoke: () => {
      granted = false;
      for (const f of removed) f();
    },
    grantElsewhere: () => {
      granted = true;
      for (const f of added) f();
    },
  };
}

const settle = () => act(async () => new Promise((r) => setTimeout(r, 0)));

describe('HostAccess', () => {
  it('shows a grant button while host access is withdrawn, and follows permission changes', async () => {
    const p = fakePermissions(true);
    const root = document.createElement('div');
    await act(async () => render(<HostAccess permissions={p.api} />, root));
    await settle();
    expect(root.textContent).toBe('');
    p.revoke();
    await settle();
    expect(root.textContent).toContain('no access to websites');
    p.grantElsewhere();
    await settle();
    expect(root.textContent).toBe('');
    p.revoke();
    await settle();
    await act(async () => root.querySelector('button')!.click());
    await settle();
    expect(root.textContent).toBe('');
  });
});
