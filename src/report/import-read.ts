import type { Readers } from './import-finding';

/**
 * Reading one value of an untrusted report: each reader checks a type and returns the value, or
 * throws `Invalid` with the path that was wrong, for `parseReport` to tell the user.
 */

/** Thrown inside the reader only; `parseReport` turns it into `{ ok: false }`. */
export class Invalid {
  constructor(readonly path: string, readonly problem: string) {}
}

export type Obj = Record<string, unknown>;

/** A short, one-line picture of a wrong value, for the message. */
export function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

export function fail(path: string, expected: string, got: unknown): never {
  throw new Invalid(path, `should be ${expected}, got ${describe(got)}`);
}

export function obj(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'an object', v);
  return v as Obj;
}

export function arr(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) fail(path, 'an array', v);
  return v;
}

export function str(v: unknown, path: string): string {
  if (typeof v !== 'string') fail(path, 'a string', v);
  return v;
}

export function strOrNull(v: unknown, path: string): string | null {
  if (v === null) return null;
  if (typeof v !== 'string') fail(path, 'a string or null', v);
  return v;
}

export function bool(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') fail(path, 'true or false', v);
  return v;
}

export function num(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, 'a number', v);
  return v;
}

export function int(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) fail(path, 'an integer', v);
  return v;
}

export function oneOf<T extends string>(v: unknown, allowed: readonly T[], path: string): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    fail(path, `one of ${allowed.map((a) => `"${a}"`).join(', ')}`, v);
  }
  return v as T;
}

export function oneOfOrNull<T extends string>(v: unknown, allowed: readonly T[], path: string): T | null {
  if (v === null) return null;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    fail(path, `one of ${allowed.map((a) => `"${a}"`).join(', ')} or null`, v);
  }
  return v as T;
}

export function statusCode(v: unknown, path: string): number {
  const n = int(v, path);
  if (n < 0 || n > 999) fail(path, 'an HTTP status code', v);
  return n;
}

/** The readers the finding reader (import-finding.ts) is handed. */
export const READERS: Readers = { obj, str, strOrNull, bool, int, arr, oneOf, oneOfOrNull, fail };
