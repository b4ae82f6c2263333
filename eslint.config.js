// Lint rules, including the layering table: who may import Electron (DESIGN §2).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'plugins/fixtures/**/*.wasm', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Layering: Electron is imported only by the bootstrap and the Electron adapters; type-only imports
    // (erased at build) are allowed so adapters stay type-checked against Electron's own typings.
    files: ['src-main/**/*.ts', 'src-shared/**/*.ts', 'bench/**/*.ts'],
    ignores: ['src-main/index.ts', 'src-main/electron/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'Electron only in src-main/index.ts and src-main/electron/', allowTypeImports: true }] },
      ],
    },
  },
  {
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', '../src-main/*', '../../src-main/*'], message: 'src-shared is runtime-neutral' }] }],
    },
  },
  {
    // Raw IPC lives in two wrapper modules only (STYLE.md: one typed channel list); everything else goes through them.
    files: ['src-main/index.ts', 'src-main/electron/**/*.ts', 'src-preload/**/*.ts'],
    ignores: ['src-main/electron/ipc-main.ts', 'src-preload/index.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', importNames: ['ipcMain', 'ipcRenderer'], message: 'Raw IPC only in src-main/electron/ipc-main.ts and src-preload/index.ts' }] },
      ],
    },
  },
  {
    // The preload runs in a sandboxed renderer: Electron and the shared contract only — no Node built-ins, no main or UI code.
    files: ['src-preload/**/*.ts'],
    ignores: ['src-preload/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'a sandboxed preload cannot load Node modules' },
            { group: ['../src-main/**', '../src-renderer/**'], message: 'the preload imports src-shared only' },
          ],
        },
      ],
    },
  },
  {
    // The renderer runs sandboxed: DOM and src-shared only.
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.tsx'],
    ignores: ['src-renderer/vite.config.ts', 'src-renderer/**/*.test.ts', 'src-renderer/test-support/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'electron', '**/src-main/**'], message: 'the renderer runs sandboxed: DOM only' }] }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
