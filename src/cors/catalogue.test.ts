import { describe, expect, it } from 'vitest';
import { findingProse } from './describe';
import { catalogue, catalogueEntry, catalogueMarkdownTable, entryForChromeError, makeFinding } from './catalogue';
import type { FindingParams } from './catalogue-entry';

/** Chrome 156's Network.CorsError values (docs/platform.md). */
const CHROME_CORS_ERRORS = [
  'DisallowedByMode', 'InvalidResponse', 'WildcardOriginNotAllowed', 'MissingAllowOriginHeader', 'MultipleAllowOriginValues',
  'InvalidAllowOriginValue', 'AllowOriginMismatch', 'InvalidAllowCredentials', 'CorsDisabledScheme', 'PreflightInvalidStatus',
  'PreflightDisallowedRedirect', 'PreflightWildcardOriginNotAllowed', 'PreflightMissingAllowOriginHeader',
  'PreflightMultipleAllowOriginValues', 'PreflightInvalidAllowOriginValue', 'PreflightAllowOriginMismatch',
  'PreflightInvalidAllowCredentials', 'PreflightMissingAllowExternal', 'PreflightInvalidAllowExternal',
  'InvalidAllowMethodsPreflightResponse', 'InvalidAllowHeadersPreflightResponse', 'MethodDisallowedByPreflightResponse',
  'HeaderDisallowedByPreflightResponse', 'RedirectContainsCredentials', 'InsecureLocalNetwork', 'InvalidLocalNetworkAccess',
  'NoCorsRedirectModeNotFollow', 'LocalNetworkAccessPermissionDenied',
];

const minimal: FindingParams = { origin: 'https://a.example', url: 'https://b.example/api/data', path: '/api/data', method: 'PUT', credentials: null };
const full: FindingParams = {
  ...minimal, credentials: 'include', received: 'x', allowCredentials: null, header: 'x-custom', requestedHeaders: ['content-type', 'x-custom'],
  allowMethods: 'GET', allowHeaders: 'content-type', status: 404, location: '/elsewhere', error: 'net::ERR_CONNECTION_REFUSED',
};

describe('the findings catalogue', () => {
  it('ids are unique and kebab-case', () => {
    const ids = catalogue.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  it('has an entry for every Chrome CorsError', () => {
    for (const name of CHROME_CORS_ERRORS) expect(entryForChromeError(name), name).not.toBeNull();
    expect(entryForChromeError('PreflightMissingAllowPrivateNetwork')).toBeNull();
  });

  it.each(catalogue.map((e) => [e.id, e] as const))('%s is complete', (_id, e) => {
    expect(['preflight', 'actual', 'redirect']).toContain(e.stage);
    expect(['error', 'warning']).toContain(e.severity);
    expect(e.spec).toMatch(/^https:\/\/(fetch\.spec\.whatwg\.org\/#|wicg\.github\.io\/)/);
    expect(e.title.length).toBeGreaterThan(5);
    if (e.severity === 'warning') expect(e.chromeCorsError).toBeNull();
    if (e.firefoxReason !== null) expect(e.firefoxReason).toMatch(/^CORS[A-Z]/);
    if (e.demotesTo) expect(catalogueEntry(e.demotesTo).severity).toBe('warning');
    for (const p of [minimal, full]) {
      const f = makeFinding(e.id, p, null);
      expect(findingProse(f).detail).not.toMatch(/undefined|null\b(?!`| is|\))|\[object/);
      expect(findingProse(f).fix).not.toMatch(/undefined|\[object/);
    }
  });

  it('fixes are exact header lines naming the route', () => {
    const f = makeFinding('header-not-allowed-by-preflight', full, 'x-custom');
    expect(findingProse(f).fix).toBe('Add `Access-Control-Allow-Headers: content-type, x-custom` to the OPTIONS response of /api/data.');
    expect(findingProse(makeFinding('missing-allow-origin', { ...minimal, method: 'GET' }, '')).fix)
      .toBe('Add `Access-Control-Allow-Origin: https://a.example` to the GET response of /api/data.');
    expect(findingProse(makeFinding('missing-allow-origin', { ...minimal, method: 'GET', credentials: 'include' }, '')).fix)
      .toBe('Add `Access-Control-Allow-Origin: https://a.example` and `Access-Control-Allow-Credentials: true` to the GET response of /api/data.');
    expect(findingProse(makeFinding('method-not-allowed-by-preflight', full, 'PUT')).fix)
      .toBe('Add PUT: `Access-Control-Allow-Methods: GET, PUT` on the OPTIONS response of /api/data.');
  });

  it('throws on an unknown id (a programming error, not input)', () => {
    expect(() => catalogueEntry('nope')).toThrow();
  });

  it('renders the README table, one row per entry', () => {
    const table = catalogueMarkdownTable().split('\n');
    expect(table[0]).toBe('| id | Chrome error | stage | title | spec |');
    expect(table).toHaveLength(catalogue.length + 2);
    expect(table).toContain('| `preflight-invalid-status` | `PreflightInvalidStatus` | preflight | Preflight answered with a status other than 2xx | [#cors-preflight-fetch-0](https://fetch.spec.whatwg.org/#cors-preflight-fetch-0) |');
    expect(table.find((r) => r.startsWith('| `network-error`'))).toContain('| – |');
  });
});
