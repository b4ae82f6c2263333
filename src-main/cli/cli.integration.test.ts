// The `conductor` command as a user runs it: a real process, real sandboxes, real files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildWatFixtures, cFixture } from '../../plugins/fixtures';

const BIN = fileURLToPath(new URL('../../bin/conductor.js', import.meta.url));
const run = promisify(execFile);

async function conductor(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, CONDUCTOR_DATA_DIR: dataRoot } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let fx: Awaited<ReturnType<typeof buildWatFixtures>>;
let dataRoot: string;

beforeAll(async () => {
  fx = await buildWatFixtures();
  dataRoot = mkdtempSync(join(tmpdir(), 'conductor-cli-'));
});
afterAll(() => {
  fx.cleanup();
  rmSync(dataRoot, { recursive: true, force: true });
});

describe('conductor plugin run', () => {
  it('prints exactly one JSON object with --json', async () => {
    const r = await conductor('plugin', 'run', cFixture('good'), '--action', 'hello', '--json');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['ok', 'code', 'error', 'fuelConsumed', 'durationMs', 'memoryBytes', 'log']);
    expect(out).toMatchObject({ ok: true, code: 0, error: null });
    expect(out.fuelConsumed).toBeGreaterThan(1000);
    expect(out.memoryBytes).toBeGreaterThan(0);
    expect(out.log).toEqual(['Hello from counter! trigger=cli note=? velocity=?', '[info] hello action ran']);
  });

  it('uses --data-dir only with --grant filesystem', async () => {
    const dir = join(dataRoot, 'explicit');
    const granted = await conductor('plugin', 'run', cFixture('good'), '--action', 'count', '--params', '{"step":4}', '--grant', 'filesystem', '--data-dir', dir, '--json');
    expect(JSON.parse(granted.stdout).log).toEqual(['count: 4']);
    expect(readFileSync(join(dir, 'counter.txt'), 'utf8')).toBe('4\n');
    const denied = await conductor('plugin', 'run', cFixture('good'), '--action', 'count', '--data-dir', dir, '--json');
    expect(denied.code).toBe(1);
    expect(JSON.parse(denied.stdout)).toMatchObject({ ok: false, code: 2, error: 'plugin returned error code 2' });
  });

  it('names the limit that stopped a call and exits non-zero', async () => {
    const fuel = await conductor('plugin', 'run', cFixture('hostile'), '--action', 'loop', '--fuel', '1000000', '--json');
    expect(fuel.code).toBe(1);
    expect(JSON.parse(fuel.stdout)).toMatchObject({ ok: false, code: null, error: 'out of fuel (limit 1000000)', fuelConsumed: 1000000 });
    const mem = await conductor('plugin', 'run', cFixture('hostile'), '--action', 'membomb', '--memory-mb', '16', '--json');
    const memOut = JSON.parse(mem.stdout);
    expect(memOut.memoryBytes).toBeLessThanOrEqual(16 * 1024 * 1024);
    expect(memOut.log.join('\n')).toMatch(/membomb: got \d+ MiB/);
    const slow = await conductor('plugin', 'run', cFixture('hostile'), '--action', 'sleep', '--timeout-ms', '500', '--json');
    expect(JSON.parse(slow.stdout)).toMatchObject({ ok: false, error: 'timed out after 500 ms; the sandbox process was killed' });
  });

  it('reports a load error as JSON', async () => {
    const r = await conductor('plugin', 'run', fx.path('unknown-import'), '--action', 'x', '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error).toMatch(/unknown host import "env"\."system"/);
  });

  it('prints a human summary without --json', async () => {
    const r = await conductor('plugin', 'run', cFixture('good'), '--action', 'fail');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAILED: code 7 — plugin returned error code 7\nfuel consumed: \d+\nduration: +[\d.]+ ms\nmemory: +\d+ bytes/);
  });

  it('rejects bad flags with a usage error', async () => {
    const r = await conductor('plugin', 'run', cFixture('good'), '--action', 'hello', '--grant', 'root');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--grant: unknown capability "root"/);
    expect((await conductor('plugin', 'run', cFixture('good'), '--params', '[1]')).stderr).toMatch(/--params must be a JSON object/);
  });
});

describe('conductor plugin inspect', () => {
  it('shows exports, imports, metadata and capabilities', async () => {
    const r = await conductor('plugin', 'inspect', cFixture('good'), '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.valid).toBe(true);
    expect(out.exports.map((e: { name: string }) => e.name)).toEqual(expect.arrayContaining(['memory', 'alloc', 'execute', 'init', '_initialize']));
    expect(out.imports.some((i: { module: string }) => i.module === 'wasi_snapshot_preview1')).toBe(true);
    expect(out.hostImports).toEqual([{ name: 'log', capability: null }]);
    expect(out.metadata.name).toBe('counter');
    expect(out.capabilities).toEqual(['filesystem']);
    const text = await conductor('plugin', 'inspect', cFixture('good'));
    expect(text.stdout).toMatch(/valid Conductor plugin \(ABI v1\)/);
    expect(text.stdout).toMatch(/capabilities: filesystem/);
  });

  it("shows parameters written as plain names, as Conductor's own plugins do", async () => {
    // A sidecar plugin.toml beside the .wasm (the module itself has no metadata).
    const dir = join(dataRoot, 'obs-plugin');
    mkdirSync(dir, { recursive: true });
    const wasm = join(dir, 'obs.wasm');
    copyFileSync(fx.path('minimal'), wasm);
    writeFileSync(
      join(dir, 'plugin.toml'),
      [
        'name = "obs"',
        'version = "0.3.0"',
        '[[actions]]',
        'name = "switch_scene"',
        'description = "Show a scene"',
        'parameters = ["scene_name", { name = "fade_ms", type = "number", required = true, description = "Fade time" }]',
        '',
      ].join('\n'),
    );
    const r = await conductor('plugin', 'inspect', wasm, '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.metadata).toMatchObject({ name: 'obs', version: '0.3.0', source: 'plugin.toml' });
    expect(out.metadata.actions).toEqual([
      {
        name: 'switch_scene',
        description: 'Show a scene',
        parameters: [
          { name: 'scene_name', type: 'string', required: false, description: '' },
          { name: 'fade_ms', type: 'number', required: true, description: 'Fade time' },
        ],
      },
    ]);
    const text = await conductor('plugin', 'inspect', wasm);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/metadata \(from plugin\.toml\): obs 0\.3\.0/);
    expect(text.stdout).toContain('  action switch_scene: Show a scene\n    scene_name: string — \n    fade_ms: number (required) — Fade time\n');
  });

  it('says a module is invalid WebAssembly before any ABI complaint', async () => {
    // () -> i32 returning an i64: a type error; it also lacks every export the ABI needs.
    const bad = join(dataRoot, 'invalid.wasm');
    writeFileSync(bad, Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7f, 3, 2, 1, 0, 10, 6, 1, 4, 0, 0x42, 0, 0x0b]));
    const r = await conductor('plugin', 'inspect', bad);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/NOT LOADABLE: invalid WebAssembly: .*type/i);
    expect(r.stdout).not.toMatch(/missing export/);
  });

  it('explains why a module is not loadable', async () => {
    const r = await conductor('plugin', 'inspect', fx.path('missing-exports'));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/NOT LOADABLE: not a valid Conductor plugin \(ABI v1\): missing export "memory"/);
  });
});
