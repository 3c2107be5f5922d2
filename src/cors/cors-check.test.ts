import { describe, expect, it } from 'vitest';
import { corsCheck } from './cors-check';
import type { HeaderList } from './types';

const O = 'https://app.example';
const acao = (v: string): HeaderList => [['access-control-allow-origin', v]];

describe('corsCheck (#concept-cors-check), Chrome order and failedParameter', () => {
  it.each<[string, HeaderList, boolean, string | null, string?]>([
    ['exact origin, no credentials', acao(O), false, null],
    ['* without credentials', acao('*'), false, null],
    ['* with credentials', acao('*'), true, 'WildcardOriginNotAllowed', ''],
    ['missing', [], false, 'MissingAllowOriginHeader', ''],
    ['missing, with credentials', [], true, 'MissingAllowOriginHeader', ''],
    ['another origin', acao('https://other.example'), false, 'AllowOriginMismatch', 'https://other.example'],
    ['trailing slash', acao(`${O}/`), false, 'AllowOriginMismatch', `${O}/`],
    ['case differs', acao('https://APP.example'), false, 'AllowOriginMismatch', 'https://APP.example'],
    ['a list', acao(`${O}, https://b.example`), false, 'MultipleAllowOriginValues', `${O}, https://b.example`],
    ['space separated', acao(`${O} https://b.example`), false, 'MultipleAllowOriginValues', `${O} https://b.example`],
    ['sent twice', [...acao(O), ...acao(O)], false, 'MultipleAllowOriginValues', `${O}, ${O}`],
    ['* sent twice', [...acao('*'), ...acao('*')], false, 'MultipleAllowOriginValues', '*, *'],
    ['not a URL', acao('app.example'), false, 'InvalidAllowOriginValue', 'app.example'],
    ['empty', acao(''), false, 'InvalidAllowOriginValue', ''],
    ['null for a real origin', acao('null'), false, 'AllowOriginMismatch', 'null'],
    ['credentials without ACAC', acao(O), true, 'InvalidAllowCredentials', ''],
    ['credentials with ACAC True', [...acao(O), ['access-control-allow-credentials', 'True']], true, 'InvalidAllowCredentials', 'True'],
    ['credentials with ACAC true', [...acao(O), ['access-control-allow-credentials', 'true']], true, null],
    ['whitespace around the value is trimmed', acao(`  ${O}\t`), false, null],
  ])('%s', (_n, headers, include, error, param) => {
    const f = corsCheck(200, headers, O, include);
    expect(f?.error ?? null).toBe(error);
    if (error) expect(f?.failedParameter).toBe(param);
  });

  it('a tainted (null) origin matches only * or null', () => {
    expect(corsCheck(200, acao('null'), 'null', false)).toBeNull();
    expect(corsCheck(200, acao('*'), 'null', false)).toBeNull();
    expect(corsCheck(200, acao(O), 'null', false)?.error).toBe('AllowOriginMismatch');
  });

  it('status 0 is InvalidResponse; any HTTP status is checked (even 500)', () => {
    expect(corsCheck(0, acao(O), O, false)?.error).toBe('InvalidResponse');
    expect(corsCheck(500, acao(O), O, false)).toBeNull();
    expect(corsCheck(undefined, acao(O), O, false)).toBeNull();
  });
});
