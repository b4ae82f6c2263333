// VolumeControl through the host's system-control worker (dist/system-worker.js, conductor.system's own layer) on a
// real headless PipeWire with a null sink, read back with pactl; through the engine on a MIDI press; and the plain
// errors without a sound server, without the worker, and for each request the operations make.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemTimer } from '../common/clock';
import { Engine } from '../engine/engine';
import { makeConfig, mapping } from '../engine/test-support/test-config';
import { audioPeersMissing, pactlState, Peers } from '../plugins/sandbox/test-support/system-peers';
import { defaultSystemWorkerPath, SystemWorker } from './system-worker';
import { volumeControl, volumeRequest } from './volume-control';

describe('VolumeControl requests', () => {
  it('asks conductor.system for what each operation means', () => {
    expect(volumeRequest({ type: 'VolumeControl', operation: 'Up' })).toBe('{"op":"volume","change":5}');
    expect(volumeRequest({ type: 'VolumeControl', operation: 'Down', value: 10 })).toBe('{"op":"volume","change":-10}');
    expect(volumeRequest({ type: 'VolumeControl', operation: 'Mute' })).toBe('{"op":"volume","mute":true}');
    expect(volumeRequest({ type: 'VolumeControl', operation: 'Unmute' })).toBe('{"op":"volume","mute":false}');
    expect(volumeRequest({ type: 'VolumeControl', operation: 'Set', value: 42 })).toBe('{"op":"volume","set":42}');
  });

  it('says so when the worker is not built', async () => {
    const worker = new SystemWorker(null);
    expect(await volumeControl({ type: 'VolumeControl', operation: 'Up' }, worker, 1000)).toEqual({
      ok: false,
      error: 'VolumeControl: the system-control worker is not built (run `npm run build`: dist/system-worker.js)',
    });
  });
});

const audioMissing = audioPeersMissing();
const workerPath = defaultSystemWorkerPath();
if (audioMissing) console.warn(`skipping VolumeControl on PipeWire: ${audioMissing}`);

describe.skipIf(audioMissing !== null || workerPath === null)('VolumeControl on a headless PipeWire', () => {
  let dir: string;
  let peers: Peers;
  let runtimeDir: string;
  const saved = { XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR, PULSE_SERVER: process.env.PULSE_SERVER };
  let worker: SystemWorker | null = null;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'conductor-volume-'));
    peers = new Peers(dir);
    runtimeDir = join(dir, 'runtime');
    const sessionBus = await peers.bus('volume-session-bus', 'session');
    await peers.pipewire(runtimeDir, sessionBus);
    // The worker copies the environment when it starts: point it at this PipeWire first.
    process.env.XDG_RUNTIME_DIR = runtimeDir;
    delete process.env.PULSE_SERVER;
  }, 60_000);
  afterEach(async () => {
    await worker?.dispose();
    worker = null;
  });
  afterAll(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    peers?.stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sets, raises, lowers, mutes and unmutes the default sink; pactl reads back the same', async () => {
    worker = new SystemWorker();
    const run = (operation: 'Up' | 'Down' | 'Mute' | 'Unmute' | 'Set', value?: number) =>
      volumeControl({ type: 'VolumeControl', operation, ...(value === undefined ? {} : { value }) }, worker, 10_000);
    expect(await run('Set', 40)).toEqual({ ok: true, detail: 'volume 40%' });
    expect(pactlState(runtimeDir)).toEqual({ volume: 40, muted: false });
    expect(await run('Up')).toEqual({ ok: true, detail: 'volume 45%' });
    expect(await run('Down', 20)).toEqual({ ok: true, detail: 'volume 25%' });
    expect(await run('Mute')).toEqual({ ok: true, detail: 'volume 25%, muted' });
    expect(pactlState(runtimeDir)).toEqual({ volume: 25, muted: true });
    expect(await run('Unmute')).toEqual({ ok: true, detail: 'volume 25%' });
    expect(pactlState(runtimeDir)).toEqual({ volume: 25, muted: false });
  });

  it('runs from a MIDI press through the engine', async () => {
    const engine = new Engine({
      config: makeConfig([{ name: 'Default', mappings: [mapping('knob up', { type: 'Note', note: 60 }, { type: 'VolumeControl', operation: 'Set', value: 70 })] }]),
      timer: systemTimer,
    });
    try {
      const finished = new Promise((resolve) => engine.onDidEngineEvent((e) => (e.kind === 'action-finish' || e.kind === 'action-error') && resolve(e)));
      engine.handle({ deviceId: 'pads', message: { type: 'noteOn', channel: 0, note: 60, velocity: 100 }, timestamp: Date.now() });
      expect(await finished).toMatchObject({ kind: 'action-finish', action: 'VolumeControl', detail: 'volume 70%' });
      expect(pactlState(runtimeDir).volume).toBe(70);
    } finally {
      await engine.dispose();
    }
  });

  it('says plainly when there is no sound server', async () => {
    const before = process.env.XDG_RUNTIME_DIR;
    process.env.XDG_RUNTIME_DIR = join(dir, 'no-server-here');
    process.env.PULSE_SERVER = `unix:${join(dir, 'no-server-here', 'native')}`;
    try {
      worker = new SystemWorker();
      const outcome = await volumeControl({ type: 'VolumeControl', operation: 'Up' }, worker, 10_000);
      expect(outcome.ok).toBe(false);
      expect(outcome.ok ? '' : outcome.error).toMatch(/^VolumeControl: no PulseAudio\/PipeWire server/);
    } finally {
      process.env.XDG_RUNTIME_DIR = before;
      delete process.env.PULSE_SERVER;
    }
  });
});
