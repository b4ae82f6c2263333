#!/usr/bin/env node
// Release step: signs the official plugins for distribution outside the app — copies resources/plugins/*.wasm into
// out/official-plugins/ and writes each one's .wasm.sig with the official key. Never runs without the key (it says
// so and exits 0: the app itself does not need the signatures, its plugins load as tier "bundled").
//
// Usage: CONDUCTOR_OFFICIAL_KEY=/path/to/BASE node scripts/sign-official-plugins.mjs [--from DIR] [--to DIR]
//        (BASE.private is the key file conductor-sign generate-key wrote; --key BASE works too)
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' }, key: { type: 'string' } } });
const from = resolve(values.from ?? join(ROOT, 'resources', 'plugins'));
const to = resolve(values.to ?? join(ROOT, 'out', 'official-plugins'));
const key = values.key ?? process.env.CONDUCTOR_OFFICIAL_KEY;

if (!key) {
  console.log('sign-official-plugins: no official key given (CONDUCTOR_OFFICIAL_KEY or --key): skipped; the app loads its own plugins as "bundled"');
  process.exit(0);
}
if (!existsSync(`${key}.private`)) {
  console.error(`sign-official-plugins: ${key}.private does not exist`);
  process.exit(1);
}
const files = existsSync(from) ? readdirSync(from).filter((f) => f.endsWith('.wasm')).sort() : [];
mkdirSync(to, { recursive: true });
for (const file of files) {
  const target = join(to, file);
  copyFileSync(join(from, file), target);
  execFileSync(process.execPath, [join(ROOT, 'bin', 'conductor-sign.js'), 'sign', target, key, '--name', 'Conductor (official plugins)', '--email', 'plugins@conductor.invalid'], { stdio: 'inherit' });
}
console.log(`sign-official-plugins: ${files.length} plugin(s) signed into ${to}`);
