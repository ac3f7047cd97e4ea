import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.data/', 'coverage/', 'scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'no-console': 'off',
    },
  },
  {
    // core/ runs in Node and in the browser: no DOM, no Node built-ins, no browser-only libraries (DESIGN.md).
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'crypto', 'http', 'os', 'url', 'buffer'],
              message: 'core/ must not import Node built-ins',
            },
            {
              group: ['lit', 'lit/*', 'hls.js', 'idb-keyval', 'fastify'],
              message: 'core/ must not import browser or server libraries',
            },
            {
              group: ['../player/*', '../server/*', '../editor/*', '../cli/*'],
              message: 'dependencies point inward: core/ imports none of the outer folders',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'Buffer'],
    },
  },
);
