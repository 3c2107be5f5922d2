/**
 * Lists the import cycles among the files of a folder (default src/), type-only imports included:
 * a depth-first walk over the relative imports TypeScript's own scanner finds. Exits 1 on a cycle.
 * Usage: node scripts/import-cycles.mjs [folder]
 */
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import ts from 'typescript';
const root = resolve(process.argv[2] ?? 'src');
const files = [];
const walk = (d) => { for (const f of readdirSync(d)) { const p = join(d, f); if (statSync(p).isDirectory()) walk(p); else if (/\.(ts|tsx)$/.test(f)) files.push(p); } };
walk(root);
const graph = new Map();
for (const f of files) {
  const text = readFileSync(f, 'utf8');
  const deps = [];
  // TypeScript's own scan of import and export lines, type-only ones included.
  for (const { fileName } of ts.preProcessFile(text, true, true).importedFiles) {
    if (!fileName.startsWith('.')) continue;
    const base = resolve(dirname(f), fileName);
    const hit = [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((p) => existsSync(p) && statSync(p).isFile());
    if (hit) deps.push(hit);
  }
  graph.set(f, deps);
}
const cycles = [];
const state = new Map();
const stack = [];
const visit = (f) => {
  state.set(f, 1); stack.push(f);
  for (const d of graph.get(f) ?? []) {
    if (state.get(d) === 1) cycles.push(stack.slice(stack.indexOf(d)).concat(d).map((p) => p.slice(root.length + 1)));
    else if (!state.has(d)) visit(d);
  }
  stack.pop(); state.set(f, 2);
};
for (const f of files) if (!state.has(f)) visit(f);
for (const c of cycles) console.log(c.join(' -> '));
console.log(`${files.length} files, ${cycles.length} import cycles`);
process.exitCode = cycles.length > 0 ? 1 : 0;
