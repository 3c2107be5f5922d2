import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vite';

/**
 * The command line (`cors-lens`) and the test-suite helper, for Node: the same toolchain as the
 * extension, the same pure engine, bundled into dist-cli/ with Node's built-ins left external.
 */
export default defineConfig({
  // The extension's icons are not the command's.
  publicDir: false,
  plugins: [
    {
      // Executable as built, like the installed bin npm links: `./dist-cli/cors-lens.mjs analyze f.har`.
      name: 'cors-lens-executable',
      writeBundle(options) {
        chmodSync(join(options.dir ?? 'dist-cli', 'cors-lens.mjs'), 0o755);
      },
    },
  ],
  build: {
    ssr: true,
    outDir: 'dist-cli',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    rollupOptions: {
      input: { 'cors-lens': 'src/cli/main.ts' },
      output: { format: 'es', entryFileNames: '[name].mjs', chunkFileNames: 'chunks/[name]-[hash].mjs', banner: (chunk) => (chunk.name === 'cors-lens' ? '#!/usr/bin/env node' : '') },
    },
  },
  ssr: { noExternal: true, target: 'node' },
});
