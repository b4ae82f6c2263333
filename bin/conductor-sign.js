#!/usr/bin/env node
// The `conductor-sign` command: runs the built signing CLI (dist/sign-cli.js, made by `npm install` / `npm run build`).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/sign-cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('conductor-sign: the CLI is not built yet; run `npm run build` in the project first\n');
  process.exit(2);
}
await import(cli.href);
