// Plugin settings end to end (issue #14): `conductor plugin run --setting KEY=VALUE` through a real sandbox — values
// typed by the plugin's declarations, defaults, notSet, undeclared names refused, a missing required setting failing
// the call with its name, and a secret never echoed by the host. Real processes, temp dirs.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watBytes } from '../../plugins/fixtures';

const BIN = fileURLToPath(new URL('../../bin/conductor.js', import.meta.url));
const exec = promisify(execFile);
let dir: string;
let wasm: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'conductor-settings-'));
  wasm = join(dir, 'settings.wasm');
  writeFileSync(wasm, await watBytes('settings'));
  writeFileSync(
    join(dir, 'plugin.toml'),
    [
      'name = "settings-demo"',
      '[[settings]]',
      'name = "host"',
      'type = "host"',
      'default = "127.0.0.1"',
      '[[settings]]',
      'name = "port"',
      'type = "number"',
      'default = 4455',
      '[[settings]]',
      'name = "password"',
      'type = "secret"',
      'required = true',
      '[[settings]]',
      'name = "verbose"',
      'type = "bool"',
      '[[settings]]',
      'name = "nickname"',
      '[[actions]]',
      'name = "show"',
      '',
    ].join('\n'),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...args: string[]): Promise<{ code: number; result: { ok: boolean; error: string | null; errorKind?: string; log: string[] } }> {
  try {
    const { stdout } = await exec(process.execPath, [BIN, 'plugin', 'run', wasm, '--action', 'show', '--json', ...args], { env: { ...process.env, CONDUCTOR_DATA_DIR: join(dir, 'data') } });
    return { code: 0, result: JSON.parse(stdout) };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, result: JSON.parse(e.stdout) };
  }
}

describe('plugin settings through plugin run --setting', () => {
  it('the plugin reads typed values, defaults and unset ones; undeclared names are refused', async () => {
    const { code, result } = await run('--setting', 'password=hunter2', '--setting', 'port=4466', '--setting', 'verbose=true');
    expect(code).toBe(0);
    expect(result.log).toEqual([
      '[info] {"name":"host","value":"127.0.0.1"}',
      '[info] {"name":"port","value":4466}',
      '[info] {"name":"password","value":"hunter2"}',
      '[info] {"name":"verbose","value":true}',
      '[info] nickname: not set',
      '[warn] conductor.setting: the metadata declares no setting "ghost" (returned -1)',
      '[info] ghost: invalid',
    ]);
  });

  it('a missing required setting fails the call, naming it, before the plugin runs', async () => {
    const { code, result } = await run('--setting', 'port=4466');
    expect(code).toBe(1);
    expect(result).toMatchObject({ ok: false, error: "set password in the plugin's settings", log: [] });
  });

  it('a value of the wrong type fails the call naming the setting, not the value', async () => {
    const { result } = await run('--setting', 'password=x', '--setting', 'port=forty-four');
    expect(result).toMatchObject({ ok: false, error: 'setting port must be a number' });
    expect(JSON.stringify(result)).not.toContain('forty-four');
  });
});
