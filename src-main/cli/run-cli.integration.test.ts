// `conductor run` as a user runs it: a real process with the real core — config file, virtual controller driven
// from stdin, engine, a real plugin in a real sandbox — printing the event stream as JSON lines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { buildWatFixtures } from '../../plugins/fixtures';

const BIN = fileURLToPath(new URL('../../bin/conductor.js', import.meta.url));
let root: string;
let fx: Awaited<ReturnType<typeof buildWatFixtures>>;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'conductor-run-'));
  fx = await buildWatFixtures();
});
afterAll(() => {
  fx.cleanup();
  rmSync(root, { recursive: true, force: true });
});

type Line = Record<string, unknown> & { kind: string };

describe('conductor run', () => {
  it('runs a plugin mapping when a virtual pad is pressed and logs fuel, result and plugin output', async () => {
    const config = join(root, 'config.toml');
    writeFileSync(
      config,
      [
        '[[modes]]',
        'name = "Live"',
        '[[modes.mappings]]',
        'description = "Echo the trigger"',
        'trigger = { Note = { note = 36 } }',
        `action = { WasmPlugin = { path = ${JSON.stringify(fx.path('echo'))}, params = { action = "play", volume = 7 } } }`,
        '',
      ].join('\n'),
    );
    const child = spawn(process.execPath, [BIN, 'run', '--config', config, '--json'], {
      env: { ...process.env, CONDUCTOR_CONFIG_DIR: join(root, 'cfg'), CONDUCTOR_PLUGINS_DIR: join(root, 'plugins'), CONDUCTOR_DATA_DIR: join(root, 'data') },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const lines: Line[] = [];
    const waiters: Array<{ test: (l: Line) => boolean; resolve: (l: Line) => void }> = [];
    createInterface({ input: child.stdout }).on('line', (text) => {
      const line = JSON.parse(text) as Line;
      lines.push(line);
      for (const w of [...waiters]) {
        if (!w.test(line)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    });
    const next = (test: (l: Line) => boolean): Promise<Line> =>
      new Promise((resolve) => {
        const seen = lines.find(test);
        if (seen) resolve(seen);
        else waiters.push({ test, resolve });
      });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    const ready = await next((l) => l.kind === 'ready');
    expect(ready).toMatchObject({ mode: 'Live', configIssues: [], midi: { available: expect.any(Boolean) } });
    expect(ready.devices).toContainEqual(expect.objectContaining({ id: 'virtual:Virtual Controller', state: 'connected' }));

    child.stdin.write('press 36 90\n');
    const finished = await next((l) => l.kind === 'action-finish' || l.kind === 'action-error');
    expect(finished.kind, JSON.stringify(finished)).toBe('action-finish');
    const plugin = finished.plugin as { fuelConsumed: number; code: number; log: string[] };
    expect(plugin.code).toBe(0);
    expect(plugin.fuelConsumed).toBeGreaterThan(0);
    const input = JSON.parse((plugin.log[0] ?? '').replace(/^\[info\] /, '')) as Record<string, unknown>;
    expect(input).toMatchObject({ action: 'play', volume: 7, context: { trigger: 'Note', mode: 'Live', note: 36, velocity: 90, channel: 0 } });
    expect(lines.map((l) => l.kind)).toEqual(expect.arrayContaining(['midi', 'trigger', 'action-start', 'action-finish']));

    child.stdin.write('press 200\n');
    expect((await next((l) => l.kind === 'command-error')).error).toMatch(/expected a number 0–127/);

    child.stdin.write('quit\n');
    expect(await exited).toBe(0);
  }, 30_000);
});
