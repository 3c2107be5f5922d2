import { defineConfig } from 'vite';

/**
 * The command line (`cors-lens`) and the test-suite helper, for Node: the same toolchain as the
 * extension, the same pure engine, bundled into dist-cli/ with Node's built-ins left external.
 */
export default defineConfig({
  // The extension's icons are not the command's.
  publicDir: false,
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
