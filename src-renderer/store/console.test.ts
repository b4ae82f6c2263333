import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src-shared/engine';
import { allKinds, DEFAULT_FILTER, mergeEvents, toRow, visibleRows } from './console';

const midi = (seq: number, note = 36): EngineEvent => ({ seq, at: 1_700_000_000_000 + seq, kind: 'midi', event: { deviceId: 'virtual:Virtual Controller', timestamp: 0, message: { type: 'noteOn', channel: 0, note, velocity: 100 } } });

const mapping = { scope: 'mode' as const, mode: 'Default', index: 0, description: 'Play' };

const pluginError: EngineEvent = {
  seq: 10,
  at: 1_700_000_000_010,
  kind: 'action-error',
  runId: 3,
  actionId: 4,
  parentActionId: null,
  action: 'WasmPlugin',
  summary: 'Run plugin spin.wasm',
  mapping,
  durationMs: 41.5,
  error: 'out of fuel (limit 1000000)',
  plugin: { path: '~/spin.wasm', pluginId: 'spin', code: null, errorKind: 'out-of-fuel', error: 'out of fuel (limit 1000000)', fuelConsumed: 1_000_000, sandboxDurationMs: 40.2, memoryBytes: 131072, log: [] },
  process: null,
};

describe('console events', () => {
  it('appends in seq order, drops duplicates and keeps only the newest N', () => {
    const a = mergeEvents([], [midi(1), midi(2)], 3);
    expect(a.map((e) => e.seq)).toEqual([1, 2]);
    expect(mergeEvents(a, [midi(2)], 3)).toBe(a);
    const b = mergeEvents(a, [midi(4), midi(3), midi(5)], 3);
    expect(b.map((e) => e.seq)).toEqual([3, 4, 5]);
    const c = mergeEvents(b, [midi(6)], 3);
    expect(c.map((e) => e.seq)).toEqual([4, 5, 6]);
  });

  it('bounds a flood to the limit', () => {
    let events: readonly EngineEvent[] = [];
    for (let i = 1; i <= 2500; i++) events = mergeEvents(events, [midi(i)]);
    expect(events).toHaveLength(2000);
    expect(events[0]?.seq).toBe(501);
  });

  it('shows plugin errors in red with the reason, fuel and duration', () => {
    const row = toRow(pluginError);
    expect(row.tone).toBe('error');
    expect(row.text).toBe('Run plugin spin.wasm — out of fuel (limit 1000000)');
    expect(row.detail).toContain('reason: out of fuel');
    expect(row.detail).toContain('fuel 1,000,000');
    expect(row.detail).toContain('40.2 ms in sandbox');
    expect(row.detail).toContain('took 41.5 ms');
  });

  it('shows a plugin’s MIDI that could not be sent in red: the plugin, the output, why, and the bytes', () => {
    const row = toRow({ seq: 11, at: 0, kind: 'plugin-midi-error', pluginId: 'caps', port: 'Launchpad', bytes: [0x90, 61, 100], byteCount: 3, error: 'no MIDI output named "Launchpad"' });
    expect(row).toMatchObject({ tone: 'error', label: 'Plugin MIDI ✗', text: 'caps: MIDI to "Launchpad" not sent — no MIDI output named "Launchpad"', detail: 'bytes 90 3D 64' });
  });

  it('describes MIDI in words', () => {
    expect(toRow(midi(1)).text).toBe('Note on C1 (36) velocity 100, channel 1');
  });

  it('shows game controller input as Gamepad rows, with their own kind filter', () => {
    const pad: EngineEvent = { seq: 3, at: 3, kind: 'gamepad', event: { deviceId: 'gamepad:window0 Pad', timestamp: 3, input: { kind: 'button', id: 128, pressed: true, value: 127 } } };
    expect(toRow(pad)).toMatchObject({ kind: 'gamepad', tone: 'midi', label: 'Gamepad', text: 'South (A / Cross) down', detail: 'gamepad:window0 Pad' });
    expect(visibleRows([midi(1), pad], { kinds: { ...allKinds(true), gamepad: false }, text: '' }).map((r) => r.seq)).toEqual([1]);
  });

  it('filters by kind and text, newest first', () => {
    const events = [midi(1, 36), midi(2, 40), pluginError];
    expect(visibleRows(events, DEFAULT_FILTER).map((r) => r.seq)).toEqual([10, 2, 1]);
    expect(visibleRows(events, { kinds: { ...allKinds(true), midi: false }, text: '' }).map((r) => r.seq)).toEqual([10]);
    expect(visibleRows(events, { kinds: allKinds(true), text: 'E1' }).map((r) => r.seq)).toEqual([2]);
    expect(visibleRows(events, { kinds: allKinds(true), text: 'OUT OF FUEL' }).map((r) => r.seq)).toEqual([10]);
  });
});
