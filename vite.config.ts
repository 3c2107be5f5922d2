/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { crx } from '@crxjs/vite-plugin';
import manifest from './manifest.json' with { type: 'json' };

export default defineConfig({
  // crxjs writes (and first empties) dist/ whenever it runs, in Vitest too: tests need the built extension intact.
  plugins: process.env.VITEST ? [preact()] : [preact(), crx({ manifest })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'chrome120',
    // Readable stack traces from a user's bug report are worth more than a few kB.
    minify: false,
    rollupOptions: {
      // crxjs builds what the manifest names; the panel is opened by the devtools page, so it needs its own entry.
      input: { panel: 'src/panel/panel.html' },
    },
  },
  server: { port: 5173, strictPort: true, hmr: { port: 5173 } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'lab/**/*.test.mjs', 'tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One browser at a time: two cores, and the lab's ports are shared.
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'firefox',
          include: ['tests/firefox/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // One browser at a time, as for Chromium.
          fileParallelism: false,
        },
      },
    ],
  },
});
