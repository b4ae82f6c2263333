// `conductor config check FILE [--json]`: the command function with captured output, and once as a real process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { defaultConfigPath } from '../config/default-config';
import { configCheckCommand, type ConfigCheckJson } from './config-commands';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'conductor-config-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function check(file: string, json = false): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await configCheckCommand(file, json, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
  return { code, stdout, stderr };
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const VALID = `[device]
name = "Pads"

[wasm]
require_signature = true

[[modes]]
name = "Default"
color = "green"

[[modes.mappings]]
description = "Play"
trigger = { Note = { note = 60 } }
action = { WasmPlugin = { path = "~/.conductor/wasm-plugins/spotify.wasm", params = { action = "play" } } }

[[modes.mappings]]
trigger = { type = "EncoderTurn", cc = 1, direction = "Clockwise" }
action = { type = "ModeChange", mode = 1, relative = true }

[[modes]]
name = "Edit"

[[global_mappings]]
trigger = { LongPress = { note = 36 } }
action = { Sequence = { actions = [{ Keystroke = { keys = "s", modifiers = ["cmd"] } }, { Delay = { ms = 50 } }, { Text = { text = "done" } }] } }

[led]
enabled = true
`;

const INVALID = `[[modes]]
name = "Default"

[[modes.mappings]]
trigger = { Note = { note = 200 } }
action = { ModeChange = { mode = "Missing" } }

[[modes.mappings]]
trigger = { NoteChord = { notes = [] } }
action = { Blink = {} }
`;

describe('conductor config check (command function)', () => {
  it('summarises a valid file: modes, mapping counts, and each trigger and action in words', async () => {
    const path = file('valid.toml', VALID);
    const { code, stdout, stderr } = await check(path);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toBe(
      [
        `${path}: OK`,
        'device: "Pads"; auto-connect on, auto-reconnect on',
        'signatures: trusted keys only: a plugin loads only when signed by a key in your trusted keys',
        'timing: hold 2000 ms, double-tap 300 ms, chord 50 ms',
        '2 modes, 3 mappings (1 global)',
        '',
        'mode "Default" (green): 2 mappings',
        '  1. "Play": Note C3 (60) → Run plugin ~/.conductor/wasm-plugins/spotify.wasm with {"action":"play"}',
        '  2. Turn CC 1 clockwise → Switch to the next mode',
        '',
        'mode "Edit": 0 mappings',
        '',
        'global mappings (every mode): 1',
        '  1. Hold C1 (36) for 2000 ms → Sequence: press cmd+s, then wait 50 ms, then type "done"',
        '',
        'not used by Conductor Desktop (kept when saving): led',
        '',
      ].join('\n'),
    );
  });

  it('lists every problem as FILE:LINE:COL: path: message and exits 1', async () => {
    const path = file('invalid.toml', INVALID);
    const { code, stdout, stderr } = await check(path);
    expect(code).toBe(1);
    expect(stdout.trimEnd().split('\n')).toEqual([
      `${path}:5:22: modes[0].mappings[0].trigger.Note.note: expected 0–127, got 200`,
      `${path}:6:27: modes[0].mappings[0].action.ModeChange.mode: no mode named "Missing" (modes: "Default")`,
      `${path}:9:27: modes[0].mappings[1].trigger.NoteChord.notes: empty chord: expected 2–16 notes`,
      expect.stringMatching(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:10:12: modes\\[0\\]\\.mappings\\[1\\]\\.action\\.Blink: unknown action type "Blink" \\(types: WasmPlugin, `)),
    ]);
    expect(stderr).toBe(`4 problems in ${path}\n`);
  });

  it('reports a syntax error with its position and no path', async () => {
    const path = file('syntax.toml', '[device]\nname = "x\n');
    const { code, stdout } = await check(path);
    expect(code).toBe(1);
    expect(stdout).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:\\d+: TOML syntax error: `));
  });

  it('reports a file that cannot be read as FILE: message', async () => {
    const path = join(dir, 'nope.toml');
    const { code, stdout } = await check(path);
    expect(code).toBe(1);
    expect(stdout).toBe(`${path}: cannot read: no such file\n`);
  });

  it('--json prints one object {ok, issues, summary}', async () => {
    const bad = await check(file('invalid.json.toml', INVALID), true);
    expect(bad.code).toBe(1);
    const badJson = JSON.parse(bad.stdout) as ConfigCheckJson;
    expect(badJson.ok).toBe(false);
    expect(badJson.summary).toBeNull();
    expect(badJson.issues).toHaveLength(4);
    expect(badJson.issues[0]).toEqual({ path: 'modes[0].mappings[0].trigger.Note.note', segments: ['modes', 0, 'mappings', 0, 'trigger', 'Note', 'note'], message: 'expected 0–127, got 200', line: 5, column: 22 });

    const good = await check(file('valid.json.toml', VALID), true);
    expect(good.code).toBe(0);
    const goodJson = JSON.parse(good.stdout) as ConfigCheckJson;
    expect(goodJson).toMatchObject({ ok: true, issues: [] });
    expect(goodJson.summary?.modes.map((m) => [m.name, m.mappings.length])).toEqual([
      ['Default', 2],
      ['Edit', 0],
    ]);
    expect(goodJson.summary?.modes[0]?.mappings[0]).toEqual({
      description: 'Play',
      triggerType: 'Note',
      trigger: 'Note C3 (60)',
      actionType: 'WasmPlugin',
      action: 'Run plugin ~/.conductor/wasm-plugins/spotify.wasm with {"action":"play"}',
    });
    expect(goodJson.summary?.mappingCount).toBe(3);
    expect(goodJson.summary?.wasm).toEqual({ requireSignature: true, allowSelfSigned: false });
  });

  it('passes the shipped default config', async () => {
    const path = defaultConfigPath();
    expect(path).not.toBeNull();
    const { code, stdout } = await check(path ?? '');
    expect(code).toBe(0);
    expect(stdout).toMatch(/: OK\n/);
    expect(stdout).toContain('mode "Default" (blue)');
  });
});

describe('conductor config check (as a process)', () => {
  it('exits 0 / 1 and prints through the real stdout, wired the way main.ts would wire it', async () => {
    // The entry the lead adds to main.ts amounts to this: `conductor config check FILE [--json]`.
    const entry = join(dir, 'entry.ts');
    const commands = fileURLToPath(new URL('./config-commands.ts', import.meta.url));
    writeFileSync(
      entry,
      `import { configCheckCommand } from ${JSON.stringify(commands)};\n` +
        'const [file = ""] = process.argv.slice(2).filter((a) => !a.startsWith("--"));\n' +
        'process.exitCode = await configCheckCommand(file, process.argv.includes("--json"));\n',
    );
    const bundle = join(dir, 'entry.mjs');
    await build({
      entryPoints: [entry],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'error',
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    });
    const run = promisify(execFile);
    const ok = await run(process.execPath, [bundle, file('p-valid.toml', VALID)]);
    expect(ok.stdout).toMatch(/: OK\n/);
    const failed = await run(process.execPath, [bundle, file('p-invalid.toml', INVALID), '--json']).then(
      () => null,
      (err: { code: number; stdout: string }) => err,
    );
    expect(failed?.code).toBe(1);
    expect((JSON.parse(failed?.stdout ?? '{}') as ConfigCheckJson).issues).toHaveLength(4);
  });
});
