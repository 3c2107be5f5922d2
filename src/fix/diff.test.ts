import { describe, expect, it } from 'vitest';
import { appliedLines, serverDiff } from './diff';
import { msg, hdrs, A } from '../cors/test-helpers';

describe('serverDiff', () => {
  it('marks added, changed and kept lines; a scope line is kept, never changed silently', () => {
    const server = msg(204, hdrs(['access-control-allow-origin', '*'], ['access-control-allow-methods', 'GET'], ['access-control-max-age', '600'], ['content-type', 'text/plain']));
    const rows = serverDiff(server, [
      { name: 'access-control-allow-origin', value: A, scope: true },
      { name: 'access-control-allow-methods', value: 'GET, PUT' },
      { name: 'access-control-allow-headers', value: 'x-custom' },
    ]);
    expect(rows).toEqual([
      { name: 'access-control-allow-origin', state: 'kept', before: '*', after: '*' },
      { name: 'access-control-allow-methods', state: 'changed', before: 'GET', after: 'GET, PUT' },
      { name: 'access-control-allow-headers', state: 'added', before: null, after: 'x-custom' },
      { name: 'access-control-max-age', state: 'kept', before: '600', after: '600' },
    ]);
    expect(appliedLines(rows)).toEqual([
      { name: 'access-control-allow-methods', value: 'GET, PUT' },
      { name: 'access-control-allow-headers', value: 'x-custom' },
    ]);
  });

  it('a rescue shows the status change and replaces the whole answer', () => {
    const rows = serverDiff(msg(405, hdrs(['allow', 'GET'])), [{ name: 'access-control-allow-origin', value: A }], 204);
    expect(rows).toEqual([
      { name: ':status', state: 'changed', before: '405', after: '204' },
      { name: 'access-control-allow-origin', state: 'added', before: null, after: A },
    ]);
  });
});
