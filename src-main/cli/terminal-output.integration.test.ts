// Plugin-controlled text printed by the real commands is escaped (issue #11 item 7): a plugin's log and output, its
// metadata, a .sig's developer fields and load errors cannot inject terminal controls or forge a line such as
// `result: ok`. Real processes (bin/conductor.js, bin/conductor-sign.js), real sandboxes, temp dirs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { watBytes, watToWasm } from '../../plugins/fixtures';

const CONDUCTOR = fileURLToPath(new URL('../../bin/conductor.js', import.meta.url));
const CONDUCTOR_SIGN = fileURLToPath(new URL('../../bin/conductor-sign.js', import.meta.url));

let root: string;
let env: NodeJS.ProcessEnv;
/** plugins/fixtures/wat/forge.wat: its log, stdout, stderr and metadata all try to forge terminal output. */
let forge: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(bin: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: root, env }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr });
    });
  });
}

// Everything terminal-text.ts escapes, except tab and the newline that ends each printed line.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const RAW_CONTROL = /[\0-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** No raw control reaches the terminal and no printed line is a forged `result: ok`. */
function expectSafe(output: string): void {
  expect(output).not.toMatch(RAW_CONTROL);
  for (const line of output.split('\n')) expect(line.trimStart().startsWith('result: ok'), line).toBe(false);
}

/** A WAT string literal of `text`'s UTF-8 bytes. */
function watString(text: string): string {
  return [...Buffer.from(text)].map((b) => (b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c ? String.fromCharCode(b) : `\\${b.toString(16).padStart(2, '0')}`)).join('');
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'conductor-terminal-'));
  const base: NodeJS.ProcessEnv = { ...process.env };
  delete base.CONDUCTOR_DEBUG;
  env = {
    ...base,
    CONDUCTOR_DATA_DIR: join(root, 'data'),
    CONDUCTOR_CONFIG_DIR: join(root, 'config'),
    CONDUCTOR_PLUGINS_DIR: join(root, 'plugins'),
    CONDUCTOR_TRUSTED_KEYS: join(root, 'trusted_keys.toml'),
  };
  forge = join(root, 'forge.wasm');
  writeFileSync(forge, await watBytes('forge'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('plugin-controlled text on the terminal', () => {
  it('conductor plugin run: the log is escaped, one line per entry, and the real result line stays', async () => {
    const r = await run(CONDUCTOR, ['plugin', 'run', forge, '--action', 'run']);
    expect(r.code).toBe(0);
    expectSafe(r.stdout);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('ok: code 0');
    expect(lines).toContain('log (4 lines):');
    expect(lines).toContain('  \\x1b[2K\\rresult: ok');
    expect(lines).toContain('  \\u{202e}evil');
    expect(lines).toContain('  [stderr] \\x1b]0;pwned\\x07title');
    expect(lines).toContain('  [info] x\\nresult: ok \\x1b[31mred\\x1b[0m \\x9b2K \\\\x1b');
  });

  it('conductor plugin run --json: the exact text, with every control as a JSON escape', async () => {
    const r = await run(CONDUCTOR, ['plugin', 'run', forge, '--action', 'run', '--json']);
    expect(r.code).toBe(0);
    expectSafe(r.stdout);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(r.stdout).log).toEqual([
      '\x1b[2K\rresult: ok',
      '\u202eevil',
      '[stderr] \x1b]0;pwned\x07title',
      '[info] x\nresult: ok \x1b[31mred\x1b[0m \u009b2K \\x1b',
    ]);
  });

  it('conductor plugin inspect: metadata from the .wasm is escaped (and exact in --json)', async () => {
    const r = await run(CONDUCTOR, ['plugin', 'inspect', forge]);
    expect(r.code).toBe(0);
    expectSafe(r.stdout);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('metadata (from init): forge 1.0.0\\x1b[8m — forges lines\\nresult: ok \\x1b[31mred\\x1b[0m \\u{202e}evil');
    expect(lines).toContain('  author: Mallory \\x9b2K, license: MIT');
    expect(lines).toContain('  action run: runs\\r\\nresult: ok');
    expect(lines).toContain('    p: string — x\\u{2028}result: ok');

    const json = await run(CONDUCTOR, ['plugin', 'inspect', forge, '--json']);
    expectSafe(json.stdout);
    expect(JSON.parse(json.stdout).metadata).toMatchObject({ version: '1.0.0\x1b[8m', author: 'Mallory \u009b2K' });
  });

  it("a .sig's developer name and email are escaped by conductor-sign verify and by plugin install / list", async () => {
    const signed = join(root, 'signed');
    const file = join(signed, 'forge.wasm');
    mkdirSync(signed);
    copyFileSync(forge, file);
    expect((await run(CONDUCTOR_SIGN, ['generate-key', 'keys/mallory'])).code).toBe(0);
    const sign = await run(CONDUCTOR_SIGN, ['sign', file, 'keys/mallory', '--name', 'Mallory \x1b[2K\rresult: ok', '--email', 'm@example.com\n\u202ez']);
    expect(sign.code).toBe(0);
    expectSafe(sign.stdout);
    expect(sign.stdout).toContain('  developer:  Mallory \\x1b[2K\\rresult: ok <m@example.com\\n\\u{202e}z>');

    const verify = await run(CONDUCTOR_SIGN, ['verify', file]);
    expect(verify.code).toBe(3); // valid, key not trusted
    expectSafe(verify.stdout);
    expect(verify.stdout.split('\n')).toEqual(expect.arrayContaining(['  developer:  Mallory \\x1b[2K\\rresult: ok', '  email:      m@example.com\\n\\u{202e}z']));

    const install = await run(CONDUCTOR, ['plugin', 'install', file]);
    expect(install.code, install.stderr).toBe(0);
    expectSafe(install.stdout);
    expect(install.stdout.split('\n')[0]).toBe('installed: forge 1.0.0\\x1b[8m  [ready]');

    const list = await run(CONDUCTOR, ['plugin', 'list']);
    expectSafe(list.stdout);
    expect(list.stdout).toContain('forge 1.0.0\\x1b[8m  [ready]\n');
    expect(list.stdout).toMatch(/ {4}signature: self-signed — Mallory \\x1b\[2K\\rresult: ok <m@example\.com\\n\\u\{202e\}z>, key [0-9a-f]{64}\n/);
    const listJson = await run(CONDUCTOR, ['plugin', 'list', '--json']);
    expectSafe(listJson.stdout);
    expect(JSON.parse(listJson.stdout).plugins[0].signature.developer).toEqual({ name: 'Mallory \x1b[2K\rresult: ok', email: 'm@example.com\n\u202ez' });
  });

  it('a load error quoting the plugin is escaped by plugin run and by the install refusal', async () => {
    const meta = JSON.stringify({ name: 'badcap', capabilities: ['net\u202ework\u009b2K\x7f'] });
    const wasm = await watToWasm(`(module
      (memory (export "memory") 1)
      (data (i32.const 256) "${watString(meta)}")
      (func (export "init") (result i64) (i64.or (i64.shl (i64.const 256) (i64.const 32)) (i64.const ${Buffer.byteLength(meta)})))
      (func (export "alloc") (param i32) (result i32) (i32.const 4096))
      (func (export "execute") (param i32 i32) (result i32) (i32.const 0)))`);
    const file = join(root, 'badcap.wasm');
    writeFileSync(file, wasm);

    const r = await run(CONDUCTOR, ['plugin', 'run', file, '--action', 'x']);
    expect(r.code).toBe(1);
    expectSafe(r.stdout);
    expect(r.stdout.split('\n')[0]).toMatch(/^FAILED — .*unknown capability "net\\u\{202e\}work\\x9b2K\\x7f"$/);

    const install = await run(CONDUCTOR, ['plugin', 'install', file]);
    expect(install.code).toBe(1);
    expectSafe(install.stderr);
    expect(install.stderr).toMatch(/^conductor: .*unknown capability "net\\u\{202e\}work\\x9b2K\\x7f"\n$/);
  });

  it("conductor run: a plugin's log in the event lines is escaped, one line per entry", async () => {
    const config = join(root, 'config.toml');
    writeFileSync(
      config,
      [
        '[[modes]]',
        'name = "Live"',
        '[[modes.mappings]]',
        'description = "Forge"',
        'trigger = { Note = { note = 36 } }',
        `action = { WasmPlugin = { path = ${JSON.stringify(forge)}, params = { action = "run" } } }`,
        '',
      ].join('\n'),
    );
    const child = spawn(process.execPath, [CONDUCTOR, 'run', '--config', config], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    const lines: string[] = [];
    const waiters: Array<{ test: (l: string) => boolean; resolve: () => void }> = [];
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (output += chunk));
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      for (const w of waiters.filter((w) => w.test(line))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    });
    const seen = (test: (l: string) => boolean): Promise<void> =>
      new Promise((resolve) => (lines.some(test) ? resolve() : waiters.push({ test, resolve })));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));

    await seen((l) => l.startsWith('type "help"'));
    child.stdin.write('press 36 90\n');
    await seen((l) => l.includes('[info] x'));
    child.stdin.write('quit\n');
    await exited;

    expectSafe(output);
    const finish = lines.findIndex((l) => l.startsWith('ok       '));
    expect(finish, output).toBeGreaterThanOrEqual(0);
    expect(lines.slice(finish + 1, finish + 5)).toEqual([
      '           \\x1b[2K\\rresult: ok',
      '           \\u{202e}evil',
      '           [stderr] \\x1b]0;pwned\\x07title',
      '           [info] x\\nresult: ok \\x1b[31mred\\x1b[0m \\x9b2K \\\\x1b',
    ]);
  });
});
