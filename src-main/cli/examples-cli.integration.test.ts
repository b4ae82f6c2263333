// The shipped examples in Conductor's own format (examples/*.toml): each passes `conductor config check` (the real
// CLI, built), together they cover every trigger, action, condition and SendMidi message of Conductor's reference, and
// every mapping of the every-feature example fires in the engine when its control is played.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CONDITION_TYPES, TRIGGER_TYPES, type Action, type AppConfig, type Condition } from '../../src-shared/config';
import type { EngineEvent } from '../../src-shared/engine';
import { ManualClock } from '../common/test-support/manual-clock';
import { parseConfigText } from '../config/schema';
import { Engine } from '../engine/engine';
import { midi } from '../engine/test-support/test-config';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const EXAMPLES = join(ROOT, 'examples');
const CLI = join(ROOT, 'dist', 'cli.js');
const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.toml'));

/** Conductor's reference (conductor-config-format.md): its actions (WasmPlugin is ours) and SendMidi message types. */
const CONDUCTOR_ACTIONS = ['Keystroke', 'Text', 'Launch', 'Shell', 'Sequence', 'Delay', 'MouseClick', 'VolumeControl', 'ModeChange', 'Repeat', 'Conditional', 'SendMidi'];
const SEND_MIDI_TYPES = ['NoteOn', 'NoteOff', 'CC', 'ProgramChange', 'PitchBend', 'Aftertouch'];

function read(file: string): AppConfig {
  const { config, issues } = parseConfigText(readFileSync(join(EXAMPLES, file), 'utf8'), file);
  expect(issues).toEqual([]);
  if (!config) throw new Error(`${file} did not read`);
  return config;
}

function actionsIn(a: Action): Action[] {
  switch (a.type) {
    case 'Sequence':
      return [a, ...a.actions.flatMap(actionsIn)];
    case 'Repeat':
      return [a, ...actionsIn(a.action)];
    case 'Conditional':
      return [a, ...actionsIn(a.thenAction), ...(a.elseAction ? actionsIn(a.elseAction) : [])];
    default:
      return [a];
  }
}

function conditionsIn(c: Condition): Condition[] {
  if (c.type === 'And' || c.type === 'Or') return [c, ...c.conditions.flatMap(conditionsIn)];
  if (c.type === 'Not') return [c, ...conditionsIn(c.condition)];
  return [c];
}

describe('examples/*.toml', () => {
  it.each(files)('%s passes `conductor config check`', async (file) => {
    const result = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(process.execPath, [CLI, 'config', 'check', join(EXAMPLES, file)], { timeout: 30_000 }, (error, stdout) => resolve({ code: error ? Number(error.code) : 0, stdout }));
    });
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain(`${file}: OK`);
  });

  it("together cover every trigger, action, condition and SendMidi message of Conductor's reference", () => {
    const mappings = files.map(read).flatMap((c) => [...c.modes.flatMap((m) => m.mappings), ...c.globalMappings]);
    const actions = mappings.flatMap((m) => actionsIn(m.action));
    const conditions = actions.flatMap((a) => (a.type === 'Conditional' ? conditionsIn(a.condition) : []));
    expect(new Set(mappings.map((m) => m.trigger.type))).toEqual(new Set(TRIGGER_TYPES));
    expect([...new Set(actions.map((a) => a.type))].sort()).toEqual([...CONDUCTOR_ACTIONS].sort());
    expect(new Set(conditions.map((c) => c.type))).toEqual(new Set(CONDITION_TYPES));
    expect(new Set(actions.flatMap((a) => (a.type === 'SendMidi' ? [a.message.type] : [])))).toEqual(new Set(SEND_MIDI_TYPES));
  });
});

describe('conductor-every-feature.toml in the engine', () => {
  let engine: Engine | null = null;
  afterEach(async () => {
    await engine?.dispose();
    engine = null;
  });

  it('fires every mapping when its control is played', async () => {
    const clock = new ManualClock(new Date(2026, 11, 6, 12, 0).getTime());
    // No side effects: no tools on PATH, no system-control worker, an app source that sees nothing.
    engine = new Engine({
      config: read('conductor-every-feature.toml'),
      clock,
      timer: clock,
      env: { PATH: '' },
      system: null,
      apps: { isRunning: async () => false, isFrontmost: async () => false },
      midiOut: { send: () => undefined },
    });
    const e = engine;
    const fired: string[] = [];
    e.onDidEngineEvent((ev: EngineEvent) => {
      if (ev.kind === 'trigger') fired.push(ev.mapping.description);
    });
    const m = midi(clock);
    const pad = (input: Parameters<Engine['handleGamepad']>[0]['input']): void => e.handleGamepad({ deviceId: 'gamepad:js0 Xbox', input, timestamp: clock.now() });

    e.handle(m.on(36));
    e.handle(m.on(37, 90));
    e.handle(m.on(38));
    await clock.advance(1000);
    e.handle(m.off(38));
    e.handle(m.on(39));
    e.handle(m.off(39));
    await clock.advance(100);
    e.handle(m.on(39));
    await clock.advance(400);
    e.handle(m.on(40));
    e.handle(m.on(41));
    e.handle(m.on(42));
    e.handle(m.cc(1, 1));
    e.handle(m.cc(1, 127));
    e.handle(m.cc(64, 100));
    e.handle(m.chanAt(110));
    e.handle(m.bend(13000));
    e.handle(m.on(43));
    e.handle(m.on(44));
    const toGaming = new Promise<void>((resolve) => e.onDidEngineEvent((ev) => ev.kind === 'mode-change' && ev.to === 'Gaming' && resolve()));
    e.handle(m.on(45));
    await toGaming;
    pad({ kind: 'button', id: 128, pressed: true, value: 127 });
    pad({ kind: 'axis', id: 131, value: 0.9 });
    pad({ kind: 'trigger', id: 133, value: 120 });
    pad({ kind: 'button', id: 136, pressed: true, value: 127 });
    pad({ kind: 'button', id: 137, pressed: true, value: 127 });
    e.handle(m.on(47));

    const config = read('conductor-every-feature.toml');
    const every = [...config.modes.flatMap((mode) => mode.mappings), ...config.globalMappings].map((x) => x.description);
    expect(new Set(fired)).toEqual(new Set(every));
  });
});
