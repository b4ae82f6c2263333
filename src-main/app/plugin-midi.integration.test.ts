// A plugin's conductor.midi_send through the whole core: pad → engine → WasmPlugin (the C fixture in a real sandbox)
// → the MIDI outputs' routing. A send that fails shows on the engine's event stream; one that works lights the pad.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cFixture } from '../../plugins/fixtures';
import type { EngineEvent, PluginMidiErrorEvent } from '../../src-shared/engine';
import { Core } from './core';

const ENV_KEYS = ['CONDUCTOR_CONFIG_DIR', 'CONDUCTOR_DATA_DIR'] as const;

let root: string;
let saved: (readonly [string, string | undefined])[];
let core: Core | null = null;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'conductor-plugin-midi-'));
  saved = ENV_KEYS.map((key) => [key, process.env[key]] as const);
  process.env.CONDUCTOR_CONFIG_DIR = join(root, 'config');
  process.env.CONDUCTOR_DATA_DIR = join(root, 'data');
  mkdirSync(join(root, 'config'), { recursive: true });
});

afterEach(async () => {
  await core?.stop();
  core = null;
  for (const [key, value] of saved) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  rmSync(root, { recursive: true, force: true });
});

/** A core whose pad 36 runs the caps fixture's `midi` action (a note-on 61, velocity 100), `[device] name` as given. */
async function startCore(deviceName: string | null): Promise<{ core: Core; events: EngineEvent[] }> {
  const wasm = join(root, 'caps.wasm');
  copyFileSync(cFixture('caps'), wasm);
  const configPath = join(root, 'config', 'config.toml');
  writeFileSync(
    configPath,
    [
      ...(deviceName === null ? [] : ['[device]', `name = ${JSON.stringify(deviceName)}`, '']),
      '[[modes]]',
      'name = "Default"',
      '',
      '[[modes.mappings]]',
      'description = "light pad 61"',
      'trigger = { Note = { note = 36 } }',
      `action = { WasmPlugin = { path = ${JSON.stringify(wasm)}, params = { action = "midi", note = 61 } } }`,
      '',
    ].join('\n'),
  );
  const started = await Core.start({
    configPath,
    pluginsDir: join(root, 'plugins'),
    watchConfig: false,
    devices: { backends: [], pollIntervalMs: 0, virtualPortName: null, log: () => undefined },
    pluginHost: { spareSandboxes: 0 },
  });
  core = started;
  // The fixture also asks for filesystem and subprocess; denied, it runs without them (midi is granted by itself).
  const plugin = await started.plugins.ensureLoaded(wasm);
  await vi.waitFor(() => expect(plugin.state).toBe('waiting-approval'), { timeout: 10_000 });
  await started.plugins.decide('caps', 'filesystem', 'denied');
  await started.plugins.decide('caps', 'subprocess', 'denied');
  const events: EngineEvent[] = [];
  started.engine.onDidEngineEvent((e) => events.push(e));
  return { core: started, events };
}

const pluginMidiErrors = (events: readonly EngineEvent[]): PluginMidiErrorEvent[] => events.filter((e): e is PluginMidiErrorEvent => e.kind === 'plugin-midi-error');

describe('a plugin’s MIDI through the core', () => {
  it('reports a send to a configured device that has no output as an engine event, and sends nothing elsewhere', async () => {
    const { core, events } = await startCore('Launchpad');
    core.devices.virtualDevice.pressPad(36);
    await core.engine.idle();
    await vi.waitFor(() => expect(pluginMidiErrors(events)).toHaveLength(1));

    expect(pluginMidiErrors(events)[0]).toMatchObject({
      pluginId: 'caps',
      port: 'Launchpad',
      bytes: [0x90, 61, 100],
      byteCount: 3,
      error: 'no MIDI output named "Launchpad"; available: Virtual Controller',
    });
    // The plugin was told "received" (0); its action succeeded. The failure is the event above, not a detour.
    expect(events.find((e) => e.kind === 'action-finish')).toMatchObject({ action: 'WasmPlugin', summary: 'Run plugin caps.wasm: midi (note)' });
    expect(core.devices.virtualDevice.received).toEqual([]);
    expect(core.engine.recentEvents().filter((e) => e.kind === 'plugin-midi-error')).toHaveLength(1);
  });

  it('without a configured device, sends to the virtual controller and reports nothing', async () => {
    const { core, events } = await startCore(null);
    core.devices.virtualDevice.pressPad(36);
    await core.engine.idle();
    await vi.waitFor(() => expect(core.devices.virtualDevice.padLight(61)).toBe(100));
    expect(pluginMidiErrors(events)).toEqual([]);
  });
});
