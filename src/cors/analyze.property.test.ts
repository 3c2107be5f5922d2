/**
 * Properties of analyzeExchange over arbitrary input: it never throws, it is
 * deterministic, and every block is explained by an error finding first.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeExchange } from './analyze';
import { catalogue } from './catalogue';
import type { HeaderList, Message, Observation } from './types';

const A = 'http://127.0.0.1:32943';

const anyString = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 300 }).map((s) => s.repeat(20)),
  fc.constantFrom('', '*', 'null', ' ', ',', '\u0000', '\r\n', A, `${A}/`, `${A}, ${A}`, 'true', 'True', 'http://example.com', '86400', '-1'),
);

const headerName = fc.oneof(
  fc.constantFrom(
    'access-control-allow-origin', 'access-control-allow-credentials', 'access-control-allow-methods', 'access-control-allow-headers',
    'access-control-max-age', 'access-control-expose-headers', 'vary', 'location', 'origin', 'cookie', 'content-type', 'accept',
    'accept-language', 'content-language', 'range', 'authorization', 'x-custom', 'pragma', 'cache-control', 'sec-fetch-mode',
    'access-control-request-method', 'access-control-request-headers', 'user-agent',
  ),
  anyString,
);

const headers: fc.Arbitrary<HeaderList> = fc.array(fc.tuple(headerName, anyString), { maxLength: 12 });
const status = fc.oneof(fc.constantFrom(0, 200, 204, 301, 302, 307, 308, 404, 405, 500), fc.integer({ min: -5, max: 1000 }));
const message: fc.Arbitrary<Message> = fc.record({ statusCode: status, headers }, { requiredKeys: ['headers'] });

const url = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.constantFrom(`${A}/same`, 'http://localhost:34255/x', 'ftp://localhost/x', 'data:text/plain,x', 'http://u:p@localhost/x', '/relative', '', 'http://[::1]:80/', 'http://exa mple.com/'),
  anyString,
);

const observation: fc.Arbitrary<Observation> = fc.record({
  url,
  method: fc.oneof(fc.constantFrom('GET', 'POST', 'PUT', 'patch', 'DELETE', 'OPTIONS', 'head'), anyString),
  initiatorOrigin: fc.oneof(fc.constant(A), fc.constant(null), fc.constant('null'), anyString),
  mode: fc.constantFrom('cors', 'no-cors', 'navigate', 'same-origin', null),
  request: fc.option(message, { nil: null }),
  redirects: fc.array(fc.record({ statusCode: status, location: url, headers }), { maxLength: 3 }),
  preflight: fc.option(
    fc.record({
      observed: fc.constantFrom('sent', 'cached', 'missing'),
      request: fc.option(message, { nil: null }),
      response: fc.option(message, { nil: null }),
      error: fc.option(fc.constantFrom('net::ERR_FAILED', 'net::ERR_CONNECTION_REFUSED', 'net::ERR_INVALID_REDIRECT'), { nil: null }),
    }),
    { nil: null },
  ),
  response: fc.option(message, { nil: null }),
  error: fc.option(fc.oneof(fc.constantFrom('net::ERR_FAILED', 'net::ERR_CONNECTION_REFUSED', 'net::ERR_ABORTED'), anyString), { nil: null }),
});

const ids = new Set(catalogue.map((e) => e.id));

describe('analyzeExchange properties', () => {
  it('never throws, and its output is well-formed', () => {
    fc.assert(
      fc.property(observation, (o) => {
        const a = analyzeExchange(o);
        expect(['allowed', 'blocked', 'not-cors', 'failed-before-cors', 'unknown']).toContain(a.verdict);
        for (const f of a.findings) {
          expect(ids.has(f.id)).toBe(true);
          expect(typeof f.detail).toBe('string');
          expect(typeof f.fix).toBe('string');
        }
        // Errors first, then warnings.
        const firstWarning = a.findings.findIndex((f) => f.severity === 'warning');
        if (firstWarning >= 0) expect(a.findings.slice(firstWarning).every((f) => f.severity === 'warning')).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(observation, (o) => {
        const copy = structuredClone(o);
        expect(analyzeExchange(copy)).toEqual(analyzeExchange(o));
      }),
      { numRuns: 1000 },
    );
  });

  it('every blocked verdict starts with an error finding', () => {
    fc.assert(
      fc.property(observation, (o) => {
        const a = analyzeExchange(o);
        if (a.verdict === 'blocked') expect(a.findings[0]?.severity).toBe('error');
        if (a.verdict === 'failed-before-cors') expect(a.findings[0]?.id).toBe('network-error');
        if (a.verdict === 'allowed' || a.verdict === 'not-cors') expect(a.findings.every((f) => f.severity === 'warning')).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('the browser is never contradicted: a request it did not fail is never blocked', () => {
    fc.assert(
      fc.property(observation, (o) => {
        const a = analyzeExchange(o);
        if (o.error === null && o.response !== null) expect(a.verdict).not.toBe('blocked');
      }),
      { numRuns: 2000 },
    );
  });

  it('a non-CORS network error is never labelled with a Chrome CorsError', () => {
    fc.assert(
      fc.property(observation, fc.constantFrom('net::ERR_CONNECTION_REFUSED', 'net::ERR_NAME_NOT_RESOLVED'), (o, error) => {
        const a = analyzeExchange({ ...o, error });
        expect(a.verdict).toBe('failed-before-cors');
        expect(a.findings.every((f) => f.chromeCorsError === null)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
