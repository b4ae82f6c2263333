// Builds everything into dist/: the Node-side bundles (sandbox entry, CLIs, benchmark, browser-mode server,
// Electron main), the sandboxed preload (one CommonJS file) and the renderer (Vite). `--no-renderer` skips Vite.
// esbuild bundles our sources only; npm packages stay external and load from node_modules (not in the preload).
import { mkdirSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const entries = {
  sandbox: 'src-main/plugins/sandbox/entry.ts',
  // The shared sandbox process's main thread: routing only; its plugins' workers run sandbox.js.
  'sandbox-shared': 'src-main/plugins/sandbox/shared-entry.ts',
  cli: 'src-main/cli/main.ts',
  'sign-cli': 'src-main/cli/sign-main.ts',
  bench: 'bench/bench.ts',
  serve: 'src-main/serve.ts',
  // Electron's main process, ESM (the core finds its resources through import.meta.url).
  main: 'src-main/index.ts',
};

await build({
  entryPoints: entries,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});

// A sandboxed preload can only require('electron'): everything else is bundled in.
await build({
  entryPoints: { preload: 'src-preload/index.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['electron'],
  sourcemap: 'linked',
  logLevel: 'warning',
});

// dist/*.js are ES modules also where no package.json is above them (app.asar.unpacked in a packaged app).
mkdirSync('dist', { recursive: true });
writeFileSync('dist/package.json', '{ "type": "module" }\n');

if (!process.argv.includes('--no-renderer')) {
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: 'src-renderer/vite.config.ts', logLevel: 'warn' });
}
