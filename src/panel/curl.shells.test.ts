import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shellQuote } from './curl';

/**
 * Copy as curl must mean the same to every shell a user may paste it into or run it with:
 * bash and zsh (terminals), dash (Debian's /bin/sh, `sh -c`, Dockerfile RUN, make) and busybox sh
 * (Alpine); `.ci/run` installs the ones Debian lacks. Each shell runs one script with every value, `curl` replaced by a function that
 * prints its arguments NUL-separated, so 10,000 values cost one process per shell.
 */
const SHELLS: Array<[string, string[]]> = [
  ['bash', ['bash']],
  ['dash', ['dash']],
  ['zsh', ['zsh', '-f']],
  ['busybox sh', ['busybox', 'sh']],
];

/** A seeded generator: a failure names its seed and comes back the same. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SPECIAL = ["'", '\\', '$', '`', '"', '!', '%', '-', '\n', '\u2028', '\ud83d\ude00', '\ufeff'];
const UNPRINTABLE = [
  ...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)).filter((c) => c !== '\0' && c !== '\n'),
  ...Array.from({ length: 0x21 }, (_, i) => String.fromCharCode(0x7f + i)),
  '\u061c', '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069',
];
const PRINTABLE = Array.from({ length: 0xff - 0x1f }, (_, i) => String.fromCharCode(0x20 + i)).filter((c) => !UNPRINTABLE.includes(c));
const pick = (rand: () => number, xs: readonly string[]) => xs[Math.floor(rand() * xs.length)]!;

/**
 * A header value as a page can send it: any byte but NUL (fetch also refuses CR and LF, but an
 * opened report may carry them, so they are in), read as Latin-1 or UTF-8 text, plus the
 * characters that matter to shells and terminals. Unprintable characters are rarer than chance
 * would make them (each value that has one costs each shell a command substitution), and the
 * test checks that every one of them is still used.
 */
function randomValue(rand: () => number): string {
  const len = Math.floor(rand() * 24);
  let s = '';
  for (let i = 0; i < len; i++) {
    const r = rand();
    s += r < 0.025 ? pick(rand, UNPRINTABLE) : r < 0.1 ? pick(rand, SPECIAL) : pick(rand, PRINTABLE);
  }
  return s;
}

function roundTrip(shell: string[], values: readonly string[], dir: string): string[] {
  const script = join(dir, 'script.sh');
  writeFileSync(script, `curl() { printf '%s\\0' "$@"; }\n${values.map((v) => `curl ${shellQuote(v)}`).join('\n')}\n`);
  const out = execFileSync(shell[0]!, [...shell.slice(1), script], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, cwd: dir });
  return out.split('\0').slice(0, -1);
}

describe('shellQuote in real shells', () => {
  const seed = 0x5eed;
  const rand = mulberry32(seed);
  const values = Array.from({ length: 10_000 }, () => randomValue(rand));
  it('the values use every byte a header can carry but NUL, and every unprintable character', () => {
    const used = new Set(values.join(''));
    for (const c of [...UNPRINTABLE, ...PRINTABLE, ...SPECIAL]) expect(used.has(c), JSON.stringify(c)).toBe(true);
  });
  values.push(`a\t'; touch pwned; #`, `x'$'\\''; touch pwned #`, '\x1b[201~touch pwned\n', '\n', 'end\n\n', '');

  for (const [name, shell] of SHELLS) {
    it(`${name} reads 10,000 random header values back exactly and runs none (seed ${seed})`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'cors-lens-sh-'));
      try {
        const got = roundTrip(shell, values, dir);
        expect(got.length).toBe(values.length);
        for (let i = 0; i < values.length; i++) if (got[i] !== values[i]) expect({ i, got: got[i] }).toEqual({ i, got: values[i] });
        expect(existsSync(join(dir, 'pwned'))).toBe(false);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 120_000);
  }

});
