import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { crx } from '@crxjs/vite-plugin';
import manifest from './manifest.json' with { type: 'json' };
import { firefoxManifest } from './scripts/firefox-manifest';

// The Firefox build: the same sources, crxjs's Firefox target, written to dist-firefox/.
export default defineConfig({
  plugins: [preact(), crx({ manifest: firefoxManifest(manifest), browser: 'firefox' })],
  build: {
    outDir: 'dist-firefox',
    emptyOutDir: true,
    target: 'firefox128',
    minify: false,
    rollupOptions: {
      input: { panel: 'src/panel/panel.html' },
    },
  },
});
