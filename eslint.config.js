// Lint rules, including the layering table (who may import whom, DESIGN §2/§3 and docs/architecture.md) and
// who may import Electron. The table is the one place the layers are written down; the build fails on a breach.
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import tseslint from 'typescript-eslint';

/**
 * The main process's layers, lowest first. Each folder may import itself, `src-shared`, and the folders it lists —
 * nothing above it. The sandbox process (plugins/sandbox) sees only the plugin-common layer and src-shared, never
 * the main side. Tests (`*.test.ts`) and `test-support/` folders are outside the table; product code
 * may not import test support (bench may). The entry points (src-main/index.ts, src-main/serve.ts) sit on top of the
 * table: they may import any layer and nothing imports them.
 */
const LAYERS = {
  common: [],
  fs: ['common'],
  midi: ['common'],
  system: ['common'],
  gamepad: ['common'],
  led: ['midi', 'common'],
  config: ['common', 'fs'],
  'plugin-common': [],
  sandbox: ['plugin-common'],
  trust: ['config', 'fs', 'common'],
  actions: ['midi', 'common'],
  engine: ['actions', 'midi', 'system', 'common'],
  'plugin-host': ['plugin-common', 'trust', 'fs', 'common'],
  app: ['engine', 'plugin-host', 'config', 'midi', 'system', 'gamepad', 'led', 'trust', 'fs', 'common'],
  services: ['app', 'engine', 'plugin-host', 'config', 'midi', 'system', 'trust', 'fs', 'common'],
  transport: ['services', 'app', 'engine', 'common'],
  electron: ['services', 'app', 'plugin-host', 'plugin-common', 'common'],
  cli: ['app', 'engine', 'plugin-host', 'plugin-common', 'config', 'system', 'trust', 'fs', 'common'],
};
const ELEMENTS = [
  { type: 'shared', pattern: 'src-shared' },
  { type: 'plugin-common', pattern: 'src-main/plugins/common' },
  { type: 'sandbox', pattern: 'src-main/plugins/sandbox' },
  { type: 'plugin-host', pattern: 'src-main/plugins/host' },
  { type: 'ambient-types', pattern: 'src-main/types' },
  ...Object.keys(LAYERS)
    .filter((t) => !['plugin-common', 'sandbox', 'plugin-host'].includes(t))
    .map((t) => ({ type: t, pattern: `src-main/${t}` })),
];

export default tseslint.config(
  {
    ignores: ['dist/**', 'out/**', '**/node_modules/**', '**/target/**', 'plugins/fixtures/**/*.wasm', 'test-results/**', 'playwright-report/**',
      // AssemblyScript, not TypeScript (decorators on functions, i32/usize): compiled and checked by asc, not tsc/eslint.
      'plugins/sdk/assemblyscript/conductor/**', 'plugins/templates/assemblyscript/assembly/**', 'plugins/fixtures/assemblyscript/sdk-tour/**',
      'plugins/official/*/assembly/**'],
  },
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
    // The layer table above, enforced on product code; and no import cycles between any two modules.
    files: ['src-main/**/*.ts', 'src-shared/**/*.ts'],
    ignores: ['**/*.test.ts', '**/test-support/**', 'src-main/index.ts', 'src-main/serve.ts'],
    plugins: { boundaries, 'import-x': importX },
    settings: {
      'boundaries/elements': ELEMENTS,
      'boundaries/include': ['src-main/**/*.ts', 'src-shared/**/*.ts'],
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
      'import/resolver': { typescript: { project: 'tsconfig.json' } },
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          message: '{{from.type}} may not import {{to.type}} (layer table in eslint.config.js)',
          policies: [
            { from: { element: { type: 'shared' } }, allow: [{ to: { element: { type: 'shared' } } }] },
            ...Object.entries(LAYERS).map(([type, below]) => ({
              from: { element: { type } },
              allow: [type, 'shared', ...below].map((t) => ({ to: { element: { type: t } } })),
            })),
          ],
        },
      ],
      'boundaries/no-unknown-files': 'error',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/test-support/**'], message: 'product code never imports test support' }] }],
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
