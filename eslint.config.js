import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// The pure core must run in Node and compute the same answer from the same input:
// no browser APIs, no extension APIs, no clock or randomness it was not handed.
const impureGlobals = ['chrome', 'browser', 'window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'fetch', 'XMLHttpRequest', 'setTimeout', 'setInterval', 'performance'];
const impureRestriction = {
  'no-restricted-globals': ['error', ...impureGlobals.map((name) => ({ name, message: `src/cors, src/fix, src/traffic and src/report are pure: ${name} belongs in an adapter.` }))],
  'no-restricted-imports': ['error', {
    patterns: [
      { group: ['webextension-polyfill', 'preact', 'preact/*', '**/background/**', '**/panel/**', '**/devtools/**', '**/options/**'], message: 'The pure core imports no adapters and no UI.' },
    ],
  }],
  'no-restricted-properties': ['error',
    { object: 'Date', property: 'now', message: 'Pass the time in: the pure core has no clock.' },
    { object: 'Math', property: 'random', message: 'Pass randomness in: the pure core is deterministic.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'dist-firefox/**', 'packages/**', 'node_modules/**', 'reports/**', 'test-artifacts/**', 'bench/results*', 'dist-cli/**', '.probe/**', 'src/har/.scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node, chrome: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['src/cors/**/*.ts', 'src/fix/**/*.ts', 'src/traffic/**/*.ts', 'src/report/**/*.ts', 'src/picture/**/*.ts', 'src/har/**/*.ts'], ignores: ['**/*.test.ts'], rules: impureRestriction },
  {
    // cors/ is the innermost layer: it may import nothing outside itself.
    files: ['src/cors/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../*', '!../cors/*'], message: 'src/cors imports nothing outside src/cors.' }, { group: ['webextension-polyfill', 'preact', 'preact/*'], message: 'The pure core imports no adapters and no UI.' }] }],
    },
  },
);
