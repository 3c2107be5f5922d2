import { describe, expect, it } from 'vitest';
import { diffHeaders, fold } from './headers';

describe('override diff', () => {
  it('marks what the override added, changed and removed', () => {
    const original = { statusCode: 200, headers: [['content-type', 'text/plain'], ['access-control-allow-origin', 'http://x.test'], ['x-gone', '1']] as [string, string][] };
    const final = { statusCode: 200, headers: [['content-type', 'text/plain'], ['access-control-allow-origin', 'http://a.test'], ['access-control-allow-credentials', 'true']] as [string, string][] };
    expect(diffHeaders(original, final)).toEqual([
      { name: 'content-type', value: 'text/plain', change: 'same' },
      { name: 'access-control-allow-origin', value: 'http://a.test', change: 'changed', was: 'http://x.test' },
      { name: 'access-control-allow-credentials', value: 'true', change: 'added' },
      { name: 'x-gone', value: '1', change: 'removed' },
    ]);
    expect(diffHeaders(null, final).every((h) => h.change === 'added')).toBe(true);
  });
});

describe('fold', () => {
  it('folds values past 300 characters', () => {
    expect(fold('short')).toEqual({ shown: 'short', hidden: 0 });
    const long = 'a'.repeat(1000);
    expect(fold(long)).toEqual({ shown: 'a'.repeat(300), hidden: 700 });
  });
});
