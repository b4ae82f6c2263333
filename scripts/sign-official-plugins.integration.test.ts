// The release step that signs the official plugins (issue #14): with a key, every plugin is copied and gets a valid
// .wasm.sig by that key; without one it skips, saying so, and writes nothing.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cFixture } from '../plugins/fixtures';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const exec = promisify(execFile);
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'conductor-sign-official-'));
  mkdirSync(join(dir, 'from'));
  copyFileSync(cFixture('good'), join(dir, 'from', 'good.wasm'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scripts/sign-official-plugins.mjs', () => {
  it('without a key: skips, says why, writes nothing', async () => {
    const env = { ...process.env };
    delete env.CONDUCTOR_OFFICIAL_KEY;
    const { stdout } = await exec(process.execPath, ['scripts/sign-official-plugins.mjs', '--from', join(dir, 'from'), '--to', join(dir, 'none')], { cwd: ROOT, env });
    expect(stdout).toMatch(/no official key given .*skipped/);
    expect(existsSync(join(dir, 'none'))).toBe(false);
  });

  it('with a key: copies each plugin and signs it; the signature verifies against that key', async () => {
    const key = join(dir, 'official');
    await exec(process.execPath, ['bin/conductor-sign.js', 'generate-key', key], { cwd: ROOT });
    await exec(process.execPath, ['scripts/sign-official-plugins.mjs', '--from', join(dir, 'from'), '--to', join(dir, 'out')], { cwd: ROOT, env: { ...process.env, CONDUCTOR_OFFICIAL_KEY: key } });
    const trusted = join(dir, 'trusted_keys.toml');
    writeFileSync(trusted, '');
    await exec(process.execPath, ['bin/conductor-sign.js', 'trust', 'add', readFileSync(`${key}.public`, 'utf8').trim(), 'Official', '--trusted-keys', trusted], { cwd: ROOT });
    const verified = await exec(process.execPath, ['bin/conductor-sign.js', 'verify', join(dir, 'out', 'good.wasm'), '--trusted-keys', trusted, '--json'], { cwd: ROOT });
    expect(JSON.parse(verified.stdout)).toMatchObject({ status: 'valid', trusted: true });
  });
});
