// Two projects (docs/testing.md): `unit` — no processes, sockets, workers or servers (scripts/unit-guard.ts makes
// each of those throw), no build; and `integration` (`*.integration.test.ts`) — real sandboxes, servers and CLIs
// against the dist/ bundle that its global setup builds first.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

const roots = ['src-main', 'src-shared', 'src-preload', 'src-renderer', 'plugins', 'scripts', 'bench'];

export default defineConfig({
  test: {
    // Sandbox processes and WASI fixtures do real I/O; deadlines leave room for a fully loaded 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-results.json' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: roots.map((r) => `${r}/**/*.test.ts`),
          exclude: ['**/*.integration.test.ts', '**/node_modules/**'],
          setupFiles: ['scripts/unit-guard.ts'],
          pool: 'threads',
          // One module graph per worker (no re-import per file): ~15 s instead of ~30 s. Unit tests therefore keep no
          // state between files; `--sequence.shuffle` runs pass.
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: roots.map((r) => `${r}/**/*.integration.test.ts`),
          exclude: ['**/node_modules/**'],
          globalSetup: ['scripts/vitest-global-setup.ts'],
          // A Core started without a temp data dir would cache instrumented modules under the real home; tests that
          // look at the cache set their own dir.
          env: { CONDUCTOR_MODULE_CACHE_DIR: process.env.CONDUCTOR_MODULE_CACHE_DIR ?? join(tmpdir(), 'conductor-tests-module-cache') },
        },
      },
    ],
  },
});
