import { describe, expect, it } from 'vitest';
import { urlFacts } from './origin';
import { checkRedirectLocation, isFollowedRedirect, isRedirectStatus, taintsOrigin } from './redirects';

const A = 'https://a.example';
const B = 'https://b.example';
const C = 'https://c.example';

describe('redirect rules (#concept-http-redirect-fetch)', () => {
  it.each([[301, true], [302, true], [303, true], [307, true], [308, true], [300, false], [304, false], [200, false]])(
    'isRedirectStatus(%i) → %s', (s, out) => expect(isRedirectStatus(s)).toBe(out));

  it('a redirect the browser follows needs a Location', () => {
    expect(isFollowedRedirect(302, [['location', '/x']])).toBe(true);
    expect(isFollowedRedirect(302, [])).toBe(false);
  });

  it.each<[string, string, string, boolean]>([
    ['A→A→B: not tainted (request origin is the current URL\'s)', A, B, false],
    ['B→C from A: tainted', B, C, true],
    ['B→B from A: not tainted', B, B, false],
    ['B→A from A: tainted', B, A, true],
  ])('%s', (_n, current, location, out) => expect(taintsOrigin(current, location, A)).toBe(out));

  it.each<[string, string, boolean, boolean, string | null]>([
    ['https target', `${B}/x`, false, true, null],
    ['non-HTTP(S) scheme', 'ftp://b.example/x', false, true, 'CorsDisabledScheme'],
    ['credentials, cross-origin', 'https://u:p@b.example/', false, false, 'RedirectContainsCredentials'],
    ['credentials, same origin but tainted', 'https://u:p@a.example/', true, false, 'RedirectContainsCredentials'],
    ['credentials, same origin, CORS flag set (Chrome)', 'https://u:p@a.example/', false, true, 'RedirectContainsCredentials'],
    ['credentials, same origin, untainted, no CORS flag', 'https://u:p@a.example/', false, false, null],
  ])('checkRedirectLocation: %s', (_n, loc, tainted, corsFlag, out) =>
    expect(checkRedirectLocation(urlFacts(loc)!, A, tainted, corsFlag)).toBe(out));
});

describe('urlFacts', () => {
  it('parses once, never throws', () => {
    expect(urlFacts('HTTP://Example.COM:80/a/b?c#d')).toMatchObject({ scheme: 'http', origin: 'http://example.com', path: '/a/b', hasCredentials: false });
    expect(urlFacts('/d-ok', 'http://localhost:34255/g2?s=g2')?.href).toBe('http://localhost:34255/d-ok');
    expect(urlFacts('not a url')).toBeNull();
    expect(urlFacts('data:text/plain,x')?.origin).toBe('null');
  });
});
