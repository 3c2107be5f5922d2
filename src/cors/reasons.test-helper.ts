/** Values with backticks and markup, and observations whose inference reasons quote each of them. */
import { analyzeExchange } from './analyze';
import { A, B, hdrs, msg, obs, sentPreflight } from './test-helpers';

export const MARKUP = '<img src=x onerror=alert(1)>';
export const EVIL = {
  header: `x-a\`b\`${MARKUP}`,
  value: `tr\`ue${MARKUP}`,
  origin: `http://a\`b.test${MARKUP}`,
  method: `PU\`T\`${MARKUP}`,
};

const acao = hdrs(['access-control-allow-origin', A]);

/** Observations whose reasons quote each hostile value, through the engine. */
export const hostileReasons = {
  header: () => analyzeExchange(obs({ url: `${B}/x`, method: 'GET', mode: null, request: msg(undefined, hdrs(['origin', A], [EVIL.header, 'v'])), response: msg(200, acao) })),
  method: () => analyzeExchange(obs({ url: `${B}/x`, method: EVIL.method, mode: null, request: msg(undefined, hdrs(['origin', A])), response: msg(200, acao) })),
  origin: () => analyzeExchange(obs({ url: `${B}/x`, method: 'GET', mode: null, request: msg(undefined, hdrs(['origin', EVIL.origin])), response: msg(200, acao) })),
  value: () => {
    const preflight = msg(204, hdrs(['access-control-allow-origin', A], ['access-control-allow-methods', 'PUT'], ['access-control-allow-headers', 'x-custom-header'], ['access-control-allow-credentials', EVIL.value]));
    const request = msg(undefined, hdrs(['origin', A], ['x-custom-header', 'lab']));
    return analyzeExchange(obs({ url: `${B}/x`, method: 'PUT', preflight: sentPreflight('PUT', 'x-custom-header', preflight), request, response: msg(200, acao) }));
  },
};
