// Builds everything into dist/: the Node-side bundles (sandbox entry, CLIs, benchmark, browser-mode server,
// Electron main), the sandboxed preload (one CommonJS file) and the renderer (Vite). `--no-renderer` skips Vite.
// esbuild bundles our sources only; npm packages stay external and load from node_modules (not in the preload).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const entries = {
  sandbox: 'src-main/plugins/sandbox/entry.ts',
  // The shared sandbox process's main thread: routing only; its plugins' workers run sandbox-worker.cjs (below).
  'sandbox-shared': 'src-main/plugins/sandbox/shared-entry.ts',
  cli: 'src-main/cli/main.ts',
  'sign-cli': 'src-main/cli/sign-main.ts',
  bench: 'bench/bench.ts',
  // The host's system-control worker thread (VolumeControl through conductor.system's layer).
  'system-worker': 'src-main/plugins/sandbox/system-worker-entry.ts',
  // One footprint round's host process, started by the bench.
  'bench-footprint': 'bench/footprint-child.ts',
  serve: 'src-main/serve.ts',
  // Electron's main process, ESM (the core finds its resources through import.meta.url).
  main: 'src-main/index.ts',
};

/** What every Node-side bundle shares. */
const node = { outdir: 'dist', bundle: true, platform: 'node', target: 'node20', sourcemap: 'linked', logLevel: 'warning' };
/** A CommonJS bundle (dist/<name>.cjs). */
const cjs = { ...node, format: 'cjs', outExtension: { '.js': '.cjs' } };

await build({ ...node, entryPoints: entries, format: 'esm', packages: 'external' });

// One plugin's worker thread in the shared sandbox process: one copy of this bundle lives in every plugin's isolate,
// so it is built for memory (measured per worker, 32 workers: 9.8 MB as the ESM bundle, 8.2 MB like this with the
// shared process's V8 flags). CommonJS: a worker's ESM loader costs about 0.7 MB more. Whitespace and syntax
// minified (names kept, for stack traces), and pure ASCII: one non-ASCII character anywhere (say, in a kept doc
// comment) makes V8 hold the whole source as a two-byte string, twice its size in every isolate.
await build({
  ...cjs,
  entryPoints: { 'sandbox-worker': 'src-main/plugins/sandbox/worker-entry.ts' },
  packages: 'external',
  minifyWhitespace: true,
  minifySyntax: true,
  charset: 'ascii',
  // The sources find packages (ws, ipaddr.js) through createRequire(import.meta.url): give CommonJS the same URL.
  define: { 'import.meta.url': '__conductorModuleUrl' },
  // The directive first: esbuild's own "use strict" would come after the banner and no longer count.
  banner: { js: "'use strict';var __conductorModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
const workerSource = readFileSync('dist/sandbox-worker.cjs', 'latin1');
const nonAscii = /[^\t\n\r\x20-\x7e]/.exec(workerSource);
if (nonAscii) throw new Error(`dist/sandbox-worker.cjs holds a non-ASCII character at offset ${nonAscii.index}: it would double the bundle's memory in every plugin's worker`);

// A sandboxed preload can only require('electron'): everything else is bundled in.
await build({ ...cjs, entryPoints: { preload: 'src-preload/index.ts' }, external: ['electron'] });

// dist/*.js are ES modules also where no package.json is above them (app.asar.unpacked in a packaged app).
mkdirSync('dist', { recursive: true });
writeFileSync('dist/package.json', '{ "type": "module" }\n');

if (!process.argv.includes('--no-renderer')) {
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: 'src-renderer/vite.config.ts', logLevel: 'warn' });
}
