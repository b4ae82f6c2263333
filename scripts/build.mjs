// Builds the Node-side bundles into dist/: the sandbox entry, the CLI and the benchmark.
// esbuild bundles our sources only; npm packages stay external and load from node_modules.
import { build } from 'esbuild';

const entries = {
  sandbox: 'src-main/plugins/sandbox/entry.ts',
  cli: 'src-main/cli/main.ts',
  'sign-cli': 'src-main/cli/sign-main.ts',
  bench: 'bench/bench.ts',
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
