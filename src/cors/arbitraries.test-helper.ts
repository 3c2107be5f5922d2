/**
 * Random observations for the engine's property and fuzz tests: header names the rules read and
 * arbitrary ones; values of every kind (controls, bytes beyond ASCII, lone surrogates, HTML, huge
 * repeats); URLs that parse, that do not, and opaque ones; preflight and redirect shapes.
 */
import fc from 'fast-check';
import type { HeaderList, Message, Observation } from './types';

const A = 'http://127.0.0.1:8701';
const B = 'http://localhost:8702';

const token = fc.constantFrom(
  '', '*', 'null', ' ', ',', ', ,', 'true', 'TRUE', '0', '-1', '86400', '1e3', A, `${A}/`, B, 'http://example.com', 'GET', 'PUT', 'x-custom',
  'content-type', 'X-Custom, Content-Type', 'text/plain', 'application/json', '\u0000', '\r\n', '\t', '\u00e9', '\u00ff', '\ufffd', '日本',
  '<script>alert(1)</script>', '"\'\\', '\ud800', 'a'.repeat(300),
);
/** Strings of every kind: ASCII, bytes beyond ASCII as a latin1 decode gives them, lone surrogates, controls. */
const text = fc.oneof(
  { weight: 3, arbitrary: token },
  { weight: 2, arbitrary: fc.string({ maxLength: 24 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 24 }).map((b) => String.fromCharCode(...b)) },
  { weight: 1, arbitrary: fc.array(token, { maxLength: 4 }).map((t) => t.join(', ')) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 300 }).map((s) => s.repeat(20)) },
);
const name = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'access-control-allow-origin', 'access-control-allow-credentials', 'access-control-allow-methods', 'access-control-allow-headers',
      'access-control-max-age', 'access-control-expose-headers', 'access-control-allow-private-network', 'vary', 'location', 'origin',
      'cookie', 'content-type', 'accept', 'range', 'authorization', 'x-custom', 'sec-fetch-mode', 'sec-fetch-site',
      'access-control-request-method', 'access-control-request-headers', 'access-control-request-private-network',
    ),
  },
  { weight: 1, arbitrary: text.map((t) => t.toLowerCase()) },
);
const headers: fc.Arbitrary<HeaderList> = fc.array(fc.tuple(name, text), { maxLength: 10 });
const status = fc.oneof(fc.constantFrom(0, 200, 204, 206, 301, 302, 303, 307, 308, 400, 404, 405, 500), fc.integer({ min: -1, max: 999 }));
const message: fc.Arbitrary<Message> = fc.record({ statusCode: status, headers }, { requiredKeys: ['headers'] });
const method = fc.oneof(fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'patch', 'OPTIONS', 'CONNECT', 'TRACE', 'QUERY'), text);
const url = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.constantFrom(`${B}/s/x`, `${B}/s/x?q=1#f`, `${A}/same`, 'http://127.0.0.1:8703/next', 'https://example.com/', 'ftp://127.0.0.1/', 'data:,x', 'blob:null/x', 'http://[::1]/', 'http://10.0.0.1/', 'http://u:p@localhost/', '/relative', '', 'http://exa mple.com/'),
  text,
);
const error = fc.option(fc.oneof(fc.constantFrom('net::ERR_FAILED', 'net::ERR_CONNECTION_REFUSED', 'net::ERR_ABORTED', 'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS', 'net::ERR_INVALID_REDIRECT'), text), { nil: null });

export const observation: fc.Arbitrary<Observation> = fc.record({
  url,
  method,
  initiatorOrigin: fc.oneof(fc.constant(A), fc.constant(B), fc.constant(null), fc.constant('null'), text),
  mode: fc.constantFrom('cors', 'no-cors', 'navigate', 'same-origin', null),
  request: fc.option(message, { nil: null }),
  // Redirect chains: to another origin, back, to an opaque URL, with credentials in the URL.
  redirects: fc.array(fc.record({ statusCode: status, location: url, headers }), { maxLength: 3 }),
  preflight: fc.option(
    fc.record({
      observed: fc.constantFrom('sent', 'cached', 'missing'),
      request: fc.option(message, { nil: null }),
      response: fc.option(message, { nil: null }),
      error,
    }),
    { nil: null },
  ),
  response: fc.option(message, { nil: null }),
  error,
});
