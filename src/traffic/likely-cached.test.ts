import { describe, expect, it } from 'vitest';
import { likelyFromPreflightCache, type LikelyCachedSubject } from './likely-cached';

const unseen = (over: Partial<LikelyCachedSubject> = {}): LikelyCachedSubject => ({
  preflight: { observed: 'missing' },
  reachedServer: false,
  request: { headers: [['origin', 'http://a.test']] },
  response: null,
  ...over,
});

describe('a preflight needed but not seen', () => {
  it('most likely came from the preflight cache when the request itself went out', () => {
    expect(likelyFromPreflightCache(unseen({ reachedServer: true }))).toBe(true);
    expect(likelyFromPreflightCache(unseen({ response: { statusCode: 200, headers: [] } }))).toBe(true);
    expect(likelyFromPreflightCache(unseen({ request: { headers: [['origin', 'http://a.test'], ['x-custom-header', '1']] } }))).toBe(true);
  });

  it('proves nothing when the request was not seen going out either (only its Origin)', () => {
    expect(likelyFromPreflightCache(unseen())).toBe(false);
  });

  it('is not said of a preflight that was sent, known cached, or not needed', () => {
    for (const preflight of [{ observed: 'sent' as const }, { observed: 'cached' as const }, null]) {
      expect(likelyFromPreflightCache(unseen({ preflight, reachedServer: true }))).toBe(false);
    }
  });
});
