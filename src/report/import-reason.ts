import type { ReasonValues } from '../cors/types';
import type { Readers } from './import-finding';

const BROWSERS = ['Chrome', 'Firefox'] as const;
const REASON_STRINGS = ['case', 'method', 'header', 'value', 'origin', 'failure', 'alternative', 'error', 'mode', 'scheme'] as const;

/**
 * What a reason quotes, each of its type (wire values stay as they are). A key this version does not
 * know (a report from a newer CORS Lens) drops the values: the reason is then shown as its stored text.
 */
export function reasonValues(r: Readers, v: unknown, path: string): ReasonValues | undefined {
  const o = r.obj(v, path);
  const out: ReasonValues = {};
  for (const k of Object.keys(o)) {
    if (k === 'browser') out.browser = r.oneOf(o.browser, BROWSERS, `${path}.browser`);
    else if (k === 'status') out.status = r.int(o.status, `${path}.status`);
    else if ((REASON_STRINGS as readonly string[]).includes(k)) out[k as (typeof REASON_STRINGS)[number]] = r.str(o[k], `${path}.${k}`);
    else return undefined;
  }
  return out;
}
