#!/usr/bin/env node
// Builds Conductor's official plugins: plugins/official/<dir>/assembly/index.ts -> resources/plugins/<metadata name>.wasm.
// Developer tool only, with the repo's own `assemblyscript`; never runs a plugin's actions (only _initialize and init, stubbed).
//
// Usage: node plugins/official/build.mjs [dir ...]     (default: every plugins/official/<dir> with an assembly/index.ts)
/* global WebAssembly, TextDecoder */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkModule } from '../fixtures/check-module.mjs';
import { ASC_FLAGS, ASC_REQUIRED_EXPORTS, ascEntry } from '../fixtures/asc-build.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const OUT_DIR = join(ROOT, 'resources', 'plugins');

function fail(message) {
  console.error(`official plugins: ${message}`);
  process.exit(1);
}

function pluginDirs(names) {
  const all = readdirSync(HERE)
    .filter((d) => statSync(join(HERE, d)).isDirectory() && existsSync(join(HERE, d, 'assembly', 'index.ts')))
    .sort();
  if (names.length === 0) return all;
  for (const n of names) if (!all.includes(n)) fail(`no such plugin: ${relative(process.cwd(), join(HERE, n))}/assembly/index.ts`);
  return names;
}

/**
 * The metadata JSON the module's `init` returns, read by instantiating it with every import stubbed (returning 0).
 * Only `_initialize` and `init` run: they register the metadata and touch no host function.
 */
function metadataOf(bytes) {
  const module = new WebAssembly.Module(bytes);
  const imports = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.kind !== 'function') fail(`unexpected non-function import ${imp.module}.${imp.name}`);
    imports[imp.module] ??= {};
    imports[imp.module][imp.name] = () => 0;
  }
  const instance = new WebAssembly.Instance(module, imports);
  instance.exports._initialize();
  const packed = instance.exports.init();
  const ptr = Number(BigInt.asUintN(64, packed) >> 32n);
  const len = Number(BigInt.asUintN(32, packed));
  const text = new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(instance.exports.memory.buffer, ptr, len));
  return JSON.parse(text);
}

const asc = ascEntry(ROOT) ?? fail('assemblyscript is not installed: run `npm install` in the repository root');
mkdirSync(OUT_DIR, { recursive: true });
let failed = false;
for (const dir of pluginDirs(process.argv.slice(2))) {
  const entry = relative(ROOT, join(HERE, dir, 'assembly', 'index.ts'));
  const tmp = join(OUT_DIR, `.${dir}.building.wasm`);
  const t0 = performance.now();
  const res = spawnSync(process.execPath, [asc, entry, ...ASC_FLAGS, '--outFile', relative(ROOT, tmp)], { cwd: ROOT, encoding: 'utf8' });
  if (res.stdout) process.stdout.write(res.stdout);
  if (res.stderr) process.stderr.write(res.stderr);
  if (res.error || res.status !== 0) {
    rmSync(tmp, { force: true });
    fail(`compiling ${entry} failed`);
  }
  const bytes = readFileSync(tmp);
  const { problems, imports } = checkModule(bytes, ASC_REQUIRED_EXPORTS);
  let name = '';
  if (problems.length === 0) {
    try {
      const metadata = metadataOf(bytes);
      name = typeof metadata.name === 'string' ? metadata.name : '';
      if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) problems.push(`metadata name ${JSON.stringify(metadata.name)} is not a kebab-case file name`);
    } catch (err) {
      problems.push(`reading its metadata failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (problems.length > 0) {
    failed = true;
    rmSync(tmp, { force: true });
    console.error(`${entry}: ${problems.join('; ')}`);
    continue;
  }
  const out = join(OUT_DIR, `${name}.wasm`);
  renameSync(tmp, out);
  const ms = Math.round(performance.now() - t0);
  console.log(`${relative(ROOT, out)}: ${bytes.byteLength} bytes in ${ms} ms; imports ${imports.join(', ')}`);
}
if (failed) process.exit(1);
