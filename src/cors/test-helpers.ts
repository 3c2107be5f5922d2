/**
 * Builders for test Observations (used by the *.test.ts files only).
 */
import type { HeaderList, Message, Observation, Redirect } from './types';

export const A = 'http://127.0.0.1:32943';
export const B = 'http://localhost:34255';

/** Headers from "Name=value" pairs as the trace prints them, names lower-cased. */
export function hdrs(...pairs: Array<[string, string]>): HeaderList {
  return pairs.map(([n, v]) => [n.toLowerCase(), v]);
}

export function msg(statusCode: number | undefined, headers: HeaderList): Message {
  return statusCode === undefined ? { headers } : { statusCode, headers };
}

/** A preflight the browser sent for `method` with these request headers. */
export function sentPreflight(method: string, acrh: string | null, response: Message | null, origin = A): Observation['preflight'] {
  const req: HeaderList = [['access-control-request-method', method]];
  if (acrh !== null) req.push(['access-control-request-headers', acrh]);
  req.push(['origin', origin]);
  return { observed: 'sent', request: { headers: req }, response, error: null };
}

export function obs(partial: Partial<Observation> & Pick<Observation, 'url' | 'method'>): Observation {
  return {
    initiatorOrigin: A,
    mode: 'cors',
    request: null,
    redirects: [] as Redirect[],
    preflight: null,
    response: null,
    error: null,
    ...partial,
  };
}
