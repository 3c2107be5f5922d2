import { describe, expect, it } from 'vitest';
import { isOkStatus, validatePreflightResponse } from './preflight-response';
import type { HeaderList, Message } from './types';

const O = 'https://app.example';
const res = (statusCode: number, ...headers: HeaderList): Message => ({ statusCode, headers });
const ok = (...extra: HeaderList) => res(204, ['access-control-allow-origin', O], ...extra);

describe('validatePreflightResponse (#cors-preflight-fetch-0)', () => {
  it.each<[string, Message, boolean, string, string[], string | null, string?]>([
    ['all allowed', ok(['access-control-allow-methods', 'PUT'], ['access-control-allow-headers', 'x-custom']), false, 'PUT', ['x-custom'], null],
    ['safelisted method needs no Allow-Methods', ok(), false, 'POST', [], null],
    // order: redirect first
    ['302 with Location', res(302, ['location', '/x'], ['access-control-allow-origin', O]), false, 'PUT', [], 'PreflightDisallowedRedirect', ''],
    ['302 without Location is a bad status, after Allow-Origin', res(302), false, 'PUT', [], 'PreflightMissingAllowOriginHeader', ''],
    // Allow-Origin before status (measured)
    ['bare 404', res(404), false, 'PUT', ['x-custom'], 'PreflightMissingAllowOriginHeader', ''],
    ['404 with correct headers', res(404, ['access-control-allow-origin', O], ['access-control-allow-methods', 'PUT']), false, 'PUT', [], 'PreflightInvalidStatus', ''],
    ['500 with *', res(500, ['access-control-allow-origin', '*']), false, 'PUT', [], 'PreflightInvalidStatus', ''],
    ['another origin', res(204, ['access-control-allow-origin', 'https://x.example']), false, 'PUT', [], 'PreflightAllowOriginMismatch', 'https://x.example'],
    ['multiple origins', res(204, ['access-control-allow-origin', `${O},https://x.example`]), false, 'PUT', [], 'PreflightMultipleAllowOriginValues', `${O},https://x.example`],
    ['invalid origin', res(204, ['access-control-allow-origin', 'nope']), false, 'PUT', [], 'PreflightInvalidAllowOriginValue', 'nope'],
    ['* with credentials', res(204, ['access-control-allow-origin', '*']), true, 'PUT', [], 'PreflightWildcardOriginNotAllowed', ''],
    ['credentials without ACAC', ok(['access-control-allow-methods', 'PUT']), true, 'PUT', [], 'PreflightInvalidAllowCredentials', ''],
    // Chrome: Allow-Credentials (part of its access check) comes before the status too
    ['credentials, no ACAC, 404', res(404, ['access-control-allow-origin', O]), true, 'PUT', [], 'PreflightInvalidAllowCredentials', ''],
    // parsing: methods before headers
    ['methods do not parse', ok(['access-control-allow-methods', 'PUT;GET'], ['access-control-allow-headers', 'a b']), false, 'PUT', [], 'InvalidAllowMethodsPreflightResponse', ''],
    ['headers do not parse', ok(['access-control-allow-methods', 'PUT'], ['access-control-allow-headers', 'x-a, x b']), false, 'PUT', ['x-a'], 'InvalidAllowHeadersPreflightResponse', ''],
    ['empty list elements are fine', ok(['access-control-allow-methods', 'PUT,, GET,'], ['access-control-allow-headers', ',x-a,']), false, 'PUT', ['x-a'], null],
    // methods
    ['method missing', ok(['access-control-allow-methods', 'GET, POST']), false, 'PUT', [], 'MethodDisallowedByPreflightResponse', 'PUT'],
    ['method * without credentials', ok(['access-control-allow-methods', '*']), false, 'DELETE', [], null],
    ['method * with credentials is literal', ok(['access-control-allow-methods', '*'], ['access-control-allow-credentials', 'true']), true, 'DELETE', [], 'MethodDisallowedByPreflightResponse', 'DELETE'],
    ['methods are case-sensitive', ok(['access-control-allow-methods', 'put']), false, 'PUT', [], 'MethodDisallowedByPreflightResponse', 'PUT'],
    ['Chrome upper-cases patch: PATCH allows it', ok(['access-control-allow-methods', 'PATCH']), false, 'patch', [], null],
    ['Chrome upper-cases patch: patch does not allow it', ok(['access-control-allow-methods', 'patch']), false, 'patch', [], 'MethodDisallowedByPreflightResponse', 'patch'],
    // headers
    ['header missing', ok(['access-control-allow-methods', 'PUT'], ['access-control-allow-headers', 'content-type']), false, 'PUT', ['content-type', 'x-custom'], 'HeaderDisallowedByPreflightResponse', 'x-custom'],
    ['first missing header in sorted order', ok(['access-control-allow-methods', 'PUT']), false, 'PUT', ['x-a', 'x-b'], 'HeaderDisallowedByPreflightResponse', 'x-a'],
    ['header names are case-insensitive', ok(['access-control-allow-methods', 'PUT'], ['access-control-allow-headers', 'X-Custom, Content-Type']), false, 'PUT', ['content-type', 'x-custom'], null],
    ['* covers headers without credentials', ok(['access-control-allow-methods', 'PUT'], ['access-control-allow-headers', '*']), false, 'PUT', ['x-a', 'x-b'], null],
    ['* does not cover authorization', ok(['access-control-allow-headers', '*']), false, 'GET', ['authorization', 'x-a'], 'HeaderDisallowedByPreflightResponse', 'authorization'],
    ['authorization listed with *', ok(['access-control-allow-headers', '*, Authorization']), false, 'GET', ['authorization', 'x-a'], null],
    ['* with credentials is literal', ok(['access-control-allow-headers', '*'], ['access-control-allow-credentials', 'true']), true, 'GET', ['x-a'], 'HeaderDisallowedByPreflightResponse', 'x-a'],
  ])('%s', (_n, response, include, method, names, error, param) => {
    const f = validatePreflightResponse(response, O, include, method, names);
    expect(f?.error ?? null).toBe(error);
    if (error) expect(f?.failedParameter).toBe(param);
  });

  it('flags authorization left out by * and the Chrome/spec method difference', () => {
    expect(validatePreflightResponse(ok(['access-control-allow-headers', '*']), O, false, 'GET', ['authorization'])?.authorizationNotCoveredByWildcard).toBe(true);
    expect(validatePreflightResponse(ok(['access-control-allow-methods', 'patch']), O, false, 'patch', [])?.methodCaseDiffersFromSpec).toBe(true);
  });

  it.each([[199, false], [200, true], [204, true], [299, true], [300, false], [404, false]])('isOkStatus(%i) → %s', (s, out) => expect(isOkStatus(s)).toBe(out));
});
