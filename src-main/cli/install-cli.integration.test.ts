// `conductor plugin install|list|grant|deny|revoke|uninstall` as a user runs them: real processes, temp dirs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { cFixture } from '../../plugins/fixtures';

const BIN = fileURLToPath(new URL('../../bin/conductor.js', import.meta.url));
const run = promisify(execFile);
let root: string;

async function conductor(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    CONDUCTOR_DATA_DIR: join(root, 'data'),
    CONDUCTOR_CONFIG_DIR: join(root, 'config'),
    CONDUCTOR_PLUGINS_DIR: join(root, 'plugins'),
  };
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'conductor-install-cli-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('conductor plugin install / list / grant / uninstall', () => {
  it('installs, lists, approves, revokes and uninstalls', async () => {
    const file = join(root, 'counter.wasm');
    copyFileSync(cFixture('good'), file);

    const installed = await conductor('plugin', 'install', file);
    expect(installed.code).toBe(0);
    expect(installed.stdout).toMatch(/^installed: counter 1\.0\.0 {2}\[waiting-approval\]/);
    expect(installed.stdout).toMatch(/signature: unsigned/);
    expect(installed.stdout).toContain('runs in:   a sandbox process of its own (unsigned plugins run in a process of their own)');
    expect(installed.stdout).toMatch(/🟡 filesystem +medium +pending/);
    expect(installed.stdout).toContain('conductor plugin grant counter <capability>');
    expect(readdirSync(join(root, 'plugins'))).toEqual(['counter.wasm']);
    // First run trusted the shipped official key.
    expect(readFileSync(join(root, 'config', 'trusted_keys.toml'), 'utf8')).toContain('Conductor (official plugins)');

    const again = await conductor('plugin', 'install', file);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already installed .*--update/);

    const granted = await conductor('plugin', 'grant', 'counter', 'filesystem', '--json');
    expect(granted.code).toBe(0);
    expect(JSON.parse(granted.stdout).plugin).toMatchObject({ state: 'ready', capabilities: { granted: ['filesystem'], pending: [] } });

    const list = await conductor('plugin', 'list', '--json');
    const listed = JSON.parse(list.stdout) as { plugins: { name: string; state: string; signature: { tier: string } }[]; policy: unknown };
    expect(listed.policy).toEqual({ requireSignature: false, allowSelfSigned: false });
    expect(listed.plugins).toMatchObject([{ name: 'counter', state: 'ready', signature: { tier: 'unsigned' }, isolation: { mode: 'process', override: null } }]);

    const revoked = await conductor('plugin', 'revoke', 'counter', 'filesystem');
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(/\[waiting-approval\] — waiting for approval of: filesystem \(medium risk\)/);

    const bad = await conductor('plugin', 'grant', 'counter', 'root');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown capability "root"');
    const notRequested = await conductor('plugin', 'grant', 'counter', 'subprocess');
    expect(notRequested.code).toBe(1);
    expect(notRequested.stderr).toContain('does not request the "subprocess" capability');

    const removed = await conductor('plugin', 'uninstall', 'counter');
    expect(removed.code).toBe(0);
    expect(removed.stdout).toMatch(/uninstalled counter/);
    expect(readdirSync(join(root, 'plugins'))).toEqual([]);
    const empty = await conductor('plugin', 'list');
    expect(empty.stdout).toContain('(none; install one with');
  });

  it('refuses a tampered signed plugin and a policy that requires signatures blocks unsigned ones', async () => {
    const file = join(root, 'signed.wasm');
    copyFileSync(cFixture('good'), file);
    const sign = fileURLToPath(new URL('../../bin/conductor-sign.js', import.meta.url));
    await run(process.execPath, [sign, 'generate-key', join(root, 'dev')]);
    await run(process.execPath, [sign, 'sign', file, join(root, 'dev'), '--name', 'Dev', '--email', 'dev@example.org']);
    const bytes = readFileSync(file);
    bytes[100] = (bytes[100] ?? 0) ^ 1;
    writeFileSync(file, bytes);
    const tampered = await conductor('plugin', 'install', file);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toMatch(/plugin was modified after signing/);
    expect(existsSync(join(root, 'plugins', 'signed.wasm'))).toBe(false);

    writeFileSync(join(root, 'config', 'config.toml'), '[wasm]\nrequire_signature = true\n');
    copyFileSync(cFixture('good'), join(root, 'plugins', 'counter.wasm'));
    const list = await conductor('plugin', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('trusted keys only');
    expect(list.stdout).toMatch(/counter {2}\[failed\] — signature check failed: plugin is not signed/);

    writeFileSync(join(root, 'config', 'config.toml'), '[wasm]\nrequire_signature = "yes"\n');
    const badConfig = await conductor('plugin', 'list');
    expect(badConfig.code).toBe(1);
    expect(badConfig.stderr).toContain('config.toml: wasm.require_signature: expected true or false, got "yes"');
  });
});
