#!/usr/bin/env node
// The `conductor` command: runs the built CLI (dist/cli.js, made by `npm install` / `npm run build`).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('conductor: the CLI is not built yet; run `npm run build` in the project first\n');
  process.exit(2);
}
await import(cli.href);
