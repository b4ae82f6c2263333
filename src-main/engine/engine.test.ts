// The engine as a whole: modes (by name, index, relative with wrap-around), global mappings, hot reload, the
// per-mapping execution model, error isolation, the event stream and dispose. Manual clock; no wall-clock asserts.
import { afterEach, describe, expect, it } from 'vitest';
import type { Action, AppConfig, Trigger } from '../../src-shared/config';
import type { ActionErrorEvent, ActionFinishEvent, EngineEvent, ModeChangeEvent } from '../../src-shared/engine';
import type { MidiMessage } from '../../src-shared/midi';
import { failedCall, type CallResult } from '../../src-shared/plugin';
import type { PluginSource } from '../actions/types';
import { Engine, type EngineOptions } from './engine';
import { flushMicrotasks, ManualClock } from '../common/test-support/manual-clock';
import { makeConfig, mapping, midi } from './test-support/test-config';

const send = (value: number, port = 'out'): Action => ({ type: 'SendMidi', port, message: { type: 'CC', channel: 0, controller: 1, value } });
const note = (n: number): Trigger => ({ type: 'Note', note: n });

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.dispose();
  engine = null;
});

function setup(config: AppConfig, options: Partial<EngineOptions> = {}) {
  const clock = new ManualClock();
  const sent: { port: string; message: MidiMessage }[] = [];
  engine = new Engine({
    config,
    clock,
    timer: clock,
    midiOut: {
      send: (port, message) => {
        sent.push({ port, message });
      },
    },
    ...options,
  });
  const events: EngineEvent[] = [];
  engine.onDidEngineEvent((e) => events.push(e));
  const of = <K extends EngineEvent['kind']>(kind: K) => events.filter((e): e is Extract<EngineEvent, { kind: K }> => e.kind === kind);
  return { clock, engine, events, of, sent, m: midi(clock) };
}

const modesConfig = (): AppConfig =>
  makeConfig(
    [
      {
        name: 'Default',
        mappings: [
          mapping('to Edit', note(1), { type: 'ModeChange', mode: 'Edit' }),
          mapping('to 2', note(2), { type: 'ModeChange', mode: 2 }),
          mapping('next', note(3), { type: 'ModeChange', mode: 1, relative: true }),
          mapping('prev', note(4), { type: 'ModeChange', mode: -1, relative: true }),
          mapping('nowhere', note(5), { type: 'ModeChange', mode: 'Nope' }),
          mapping('default 60', note(60), send(10)),
        ],
      },
      { name: 'Edit', mappings: [mapping('edit 60', note(60), send(20)), mapping('next', note(3), { type: 'ModeChange', mode: 1, relative: true })] },
      { name: 'Live', mappings: [mapping('next', note(3), { type: 'ModeChange', mode: 1, relative: true }), mapping('prev', note(4), { type: 'ModeChange', mode: -1, relative: true })] },
    ],
    [mapping('global 70', note(70), send(70))],
  );

describe('modes', () => {
  it('switches by name, by index and relatively with wrap-around, and reports each change', async () => {
    const { engine, m, of } = setup(modesConfig());
    expect(engine.currentMode).toBe('Default');
    expect(engine.modeNames).toEqual(['Default', 'Edit', 'Live']);
    engine.handle(m.on(1));
    await engine.idle();
    expect(engine.currentMode).toBe('Edit');
    engine.handle(m.on(3));
    await engine.idle();
    expect(engine.currentMode).toBe('Live');
    engine.handle(m.on(3)); // last + 1 wraps to the first
    await engine.idle();
    expect(engine.currentMode).toBe('Default');
    engine.handle(m.on(4)); // first − 1 wraps to the last
    await engine.idle();
    expect(engine.currentMode).toBe('Live');
    expect(engine.setMode('Default')).toEqual({ ok: true, mode: 'Default', changed: true });
    engine.handle(m.on(2));
    await engine.idle();
    expect(engine.currentMode).toBe('Live');
    expect(of('mode-change').map((e: ModeChangeEvent) => [e.from, e.to, e.reason])).toEqual([
      ['Default', 'Edit', 'action'],
      ['Edit', 'Live', 'action'],
      ['Live', 'Default', 'action'],
      ['Default', 'Live', 'action'],
      ['Live', 'Default', 'api'],
      ['Default', 'Live', 'action'],
    ]);
  });

  it('reports an unknown mode as an action error and stays in the mode', async () => {
    const { engine, m, of } = setup(modesConfig());
    engine.handle(m.on(5));
    await engine.idle();
    expect(engine.currentMode).toBe('Default');
    expect(of('action-error')[0]?.error).toBe('ModeChange: there is no mode named "Nope" (modes: Default, Edit, Live)');
    expect(engine.setMode(7)).toEqual({ ok: false, error: 'there is no mode 7 (modes are numbered 0–2)' });
    expect(engine.setMode('edit')).toMatchObject({ ok: true, mode: 'Edit' }); // case-insensitive fallback
  });

  it("checks the current mode's mappings, then the global ones, in every mode; the context names the mode", async () => {
    const { engine, m, of, sent } = setup(modesConfig());
    engine.handle(m.on(60));
    engine.handle(m.on(70));
    engine.setMode('Edit');
    engine.handle(m.on(60));
    engine.handle(m.on(70));
    await engine.idle();
    expect(sent.map((s) => (s.message.type === 'controlChange' ? s.message.value : -1))).toEqual([10, 70, 20, 70]);
    expect(of('trigger').map((t) => [t.mapping.description, t.mode, t.context.mode])).toEqual([
      ['default 60', 'Default', 'Default'],
      ['global 70', 'Default', 'Default'],
      ['edit 60', 'Edit', 'Edit'],
      ['global 70', 'Edit', 'Edit'],
    ]);
  });

  it('keeps the current mode by name on hot reload, and falls back to the first mode when it is gone', () => {
    const { engine, m, of } = setup(modesConfig());
    engine.setMode('Live');
    engine.setConfig(makeConfig([{ name: 'Live', mappings: [mapping('new 60', note(60), send(1))] }, { name: 'Other' }]));
    expect(engine.currentMode).toBe('Live');
    engine.handle(m.on(60));
    expect(of('trigger').at(-1)?.mapping).toEqual({ scope: 'mode', mode: 'Live', index: 0, description: 'new 60' });
    engine.setConfig(makeConfig([{ name: 'Fresh' }]));
    expect(engine.currentMode).toBe('Fresh');
    expect(of('mode-change').at(-1)).toMatchObject({ from: 'Live', to: 'Fresh', reason: 'config' });
    expect(of('config').at(-1)).toMatchObject({ modes: ['Fresh'], mappingCount: 0 });
  });
});

describe('execution model', () => {
  it('returns from handle() before any action starts', async () => {
    const { engine, m, of, sent } = setup(makeConfig([{ name: 'Default', mappings: [mapping('pad', note(60), send(1))] }]));
    engine.handle(m.on(60));
    expect(of('trigger')).toHaveLength(1);
    expect(of('action-start')).toHaveLength(0);
    expect(sent).toHaveLength(0);
    await engine.idle();
    expect(sent).toEqual([{ port: 'out', message: { type: 'controlChange', channel: 0, controller: 1, value: 1 } }]);
  });

  it("runs one mapping's triggers one after another, and different mappings concurrently", async () => {
    const slow: Action = { type: 'Sequence', actions: [{ type: 'Delay', ms: 100 }, send(1)] };
    const { engine, m, of, clock, sent } = setup(makeConfig([{ name: 'Default', mappings: [mapping('slow', note(60), slow), mapping('quick', note(61), send(2))] }]));
    engine.handle(m.on(60));
    engine.handle(m.on(60));
    engine.handle(m.on(61));
    await flushMicrotasks();
    const topStarts = () => of('action-start').filter((e) => e.parentActionId === null).map((e) => e.runId);
    expect(topStarts()).toEqual([1, 3]); // run 2 waits for run 1; run 3 (another mapping) does not
    expect(sent.map((s) => s.message.type === 'controlChange' && s.message.value)).toEqual([2]);
    await clock.advance(100);
    expect(topStarts()).toEqual([1, 3, 2]);
    await clock.advance(100);
    await engine.idle();
    expect(sent).toHaveLength(3);
    const finishes = of('action-finish').filter((e) => e.parentActionId === null);
    expect(finishes.map((e) => [e.runId, e.durationMs])).toEqual([
      [3, 0],
      [1, 100],
      [2, 100],
    ]);
  });

  it('drops the oldest waiting run when a mapping has too many waiting', async () => {
    const { engine, m, of, clock } = setup(makeConfig([{ name: 'Default', mappings: [mapping('slow', note(60), { type: 'Delay', ms: 50 })] }]), {
      maxPendingRunsPerMapping: 1,
    });
    for (let i = 0; i < 4; i++) engine.handle(m.on(60));
    expect(of('run-dropped').map((e) => e.runId)).toEqual([2, 3]);
    await clock.advance(100);
    await engine.idle();
    expect(of('action-finish').map((e) => e.runId)).toEqual([1, 4]);
  });

  it('counts every drop: each is a run-dropped event with its cause and the running total, and Engine.drops has them by cause and mapping', async () => {
    const config = makeConfig([{ name: 'Default', mappings: [mapping('slow', note(60), { type: 'Delay', ms: 50 }), mapping('other', note(61), { type: 'Delay', ms: 50 })] }]);
    const { engine, m, of } = setup(config, { maxPendingRunsPerMapping: 0 });
    expect(engine.drops).toEqual({ total: 0, byCause: { 'queue-full': 0, 'plugin-busy': 0, stopped: 0 }, byMapping: [], byPlugin: {} });
    engine.handle(m.on(60));
    engine.handle(m.on(60));
    engine.handle(m.on(61));
    engine.handle(m.on(60));
    engine.handle(m.on(61));
    expect(of('run-dropped').map((e) => [e.runId, e.cause, e.pluginId, e.dropped, e.mapping.description])).toEqual([
      [2, 'queue-full', null, 1, 'slow'],
      [4, 'queue-full', null, 2, 'slow'],
      [5, 'queue-full', null, 3, 'other'],
    ]);
    expect(engine.drops).toMatchObject({
      total: 3,
      byCause: { 'queue-full': 3, 'plugin-busy': 0, stopped: 0 },
      byMapping: [
        { mapping: { description: 'slow', index: 0 }, count: 2, byCause: { 'queue-full': 2 } },
        { mapping: { description: 'other', index: 1 }, count: 1, byCause: { 'queue-full': 1 } },
      ],
    });
  });

  it('reports a call the plugin refused as busy as a drop (after its action-error), counted per plugin', async () => {
    // A plugin source whose plugin takes one call at a time and refuses the rest the way the host's gate does.
    let running: (() => void) | null = null;
    const plugins: PluginSource = {
      ensureLoaded: () =>
        Promise.resolve({
          id: 'one-at-a-time',
          call: (): Promise<CallResult> => {
            if (running) return Promise.resolve({ ...failedCall('busy', 'plugin busy: 1 calls already queued') });
            return new Promise((resolve) => {
              running = () => resolve({ ok: true, code: 0, error: null, errorKind: null, fuelConsumed: 1, durationMs: 0, memoryBytes: 0, log: [] });
            });
          },
        }),
    };
    const wasm = (description: string, n: number) => mapping(description, note(n), { type: 'WasmPlugin', path: '/p.wasm', params: {} });
    const { engine, m, of } = setup(makeConfig([{ name: 'Default', mappings: [wasm('a', 1), wasm('b', 2), wasm('c', 3)] }]), { plugins });
    engine.handle(m.on(1));
    engine.handle(m.on(2));
    engine.handle(m.on(3));
    await flushMicrotasks();
    (running as (() => void) | null)?.();
    await engine.idle();
    expect(of('action-finish').map((e) => e.runId)).toEqual([1]);
    expect(of('action-error').map((e) => [e.runId, e.plugin?.errorKind])).toEqual([
      [2, 'busy'],
      [3, 'busy'],
    ]);
    expect(of('run-dropped').map((e) => [e.runId, e.cause, e.pluginId, e.dropped, e.mapping.description])).toEqual([
      [2, 'plugin-busy', 'one-at-a-time', 1, 'b'],
      [3, 'plugin-busy', 'one-at-a-time', 2, 'c'],
    ]);
    expect(of('run-dropped')[0]?.reason).toBe('plugin one-at-a-time refused the call: plugin busy: 1 calls already queued');
    expect(engine.drops).toMatchObject({ total: 2, byCause: { 'plugin-busy': 2 }, byPlugin: { 'one-at-a-time': 2 } });
  });

  it('isolates failures: a throwing, rejecting or hanging plugin source or MIDI output never affects other actions', async () => {
    const plugins: PluginSource = {
      ensureLoaded: async (path) => {
        if (path === 'throws.wasm') throw new Error('disk on fire');
        return {
          id: path,
          call: (_params, _context): Promise<CallResult> => (path === 'hangs.wasm' ? new Promise<CallResult>(() => undefined) : Promise.reject(new Error('boom'))),
        };
      },
    };
    const config = makeConfig([
      {
        name: 'Default',
        mappings: [
          mapping('throws', note(1), { type: 'WasmPlugin', path: 'throws.wasm', params: {} }),
          mapping('rejects', note(2), { type: 'WasmPlugin', path: 'rejects.wasm', params: {} }),
          mapping('hangs', note(3), { type: 'WasmPlugin', path: 'hangs.wasm', params: {} }),
          mapping('bad midi', note(4), send(1, 'broken')),
          mapping('throwing midi', note(5), send(1, 'throws')),
          mapping('fine', note(6), send(6)),
        ],
      },
    ]);
    const { engine, m, of, clock, sent } = setup(config, {
      plugins,
      pluginTimeoutMs: 1000,
      midiOut: {
        send: (port, message) => {
          if (port === 'broken') return { ok: false, error: 'port closed' };
          if (port === 'throws') throw new Error('driver crashed');
          sent.push({ port, message });
        },
      },
    });
    for (let n = 1; n <= 6; n++) engine.handle(m.on(n));
    await flushMicrotasks();
    expect(sent).toHaveLength(1);
    await clock.advance(1000);
    await engine.idle();
    const errors = of('action-error')
      .sort((a, b) => a.mapping.index - b.mapping.index)
      .map((e: ActionErrorEvent) => [e.mapping.description, e.error]);
    expect(errors).toEqual([
      ['throws', 'WasmPlugin: cannot load throws.wasm: disk on fire'],
      ['rejects', 'WasmPlugin: boom'],
      ['hangs', 'WasmPlugin: no answer within 1000 ms'],
      ['bad midi', 'SendMidi to "broken": port closed'],
      ['throwing midi', 'SendMidi to "throws": driver crashed'],
    ]);
    // And the engine keeps working afterwards, the hung mapping included.
    engine.handle(m.on(3));
    engine.handle(m.on(6));
    await flushMicrotasks();
    expect(sent).toHaveLength(2);
    await clock.advance(1000);
    await engine.idle();
    expect(of('action-error')).toHaveLength(6);
    expect(of('action-error').at(-1)?.mapping.description).toBe('hangs');
  });

  it('says so when WasmPlugin or SendMidi has nothing to talk to', async () => {
    const config = makeConfig([{ name: 'Default', mappings: [mapping('p', note(1), { type: 'WasmPlugin', path: 'x.wasm', params: {} }), mapping('s', note(2), send(1))] }]);
    const { engine, m, of } = setup(config, { midiOut: null });
    engine.handle(m.on(1));
    engine.handle(m.on(2));
    await engine.idle();
    expect(of('action-error').map((e) => e.error).sort()).toEqual(['SendMidi: no MIDI output is available', 'WasmPlugin: plugins are not available in this run']);
  });
});

describe('SendMidi', () => {
  it('maps every SendMidi message type to the MidiMessage the output receives, and refuses out-of-range values', async () => {
    const seq: Action = {
      type: 'Sequence',
      actions: [
        { type: 'SendMidi', port: 'A', message: { type: 'NoteOn', channel: 1, note: 60, velocity: 100 } },
        { type: 'SendMidi', port: 'A', message: { type: 'NoteOff', channel: 1, note: 60, velocity: 0 } },
        { type: 'SendMidi', port: 'B', message: { type: 'CC', channel: 15, controller: 7, value: 127 } },
        { type: 'SendMidi', port: 'B', message: { type: 'ProgramChange', channel: 0, program: 5 } },
        { type: 'SendMidi', port: 'B', message: { type: 'PitchBend', channel: 0, value: 16383 } },
        { type: 'SendMidi', port: 'B', message: { type: 'Aftertouch', channel: 2, pressure: 64 } },
        { type: 'SendMidi', port: 'B', message: { type: 'CC', channel: 16, controller: 7, value: 1 } },
      ],
    };
    const { engine, m, of, sent } = setup(makeConfig([{ name: 'Default', mappings: [mapping('burst', note(60), seq)] }]));
    engine.handle(m.on(60));
    await engine.idle();
    expect(sent).toEqual([
      { port: 'A', message: { type: 'noteOn', channel: 1, note: 60, velocity: 100 } },
      { port: 'A', message: { type: 'noteOff', channel: 1, note: 60, velocity: 0 } },
      { port: 'B', message: { type: 'controlChange', channel: 15, controller: 7, value: 127 } },
      { port: 'B', message: { type: 'programChange', channel: 0, program: 5 } },
      { port: 'B', message: { type: 'pitchBend', channel: 0, value: 16383 } },
      { port: 'B', message: { type: 'channelAftertouch', channel: 2, pressure: 64 } },
    ]);
    expect(of('action-error').map((e) => e.error)).toEqual(['SendMidi: controlChange: channel must be an integer 0–15, got 16', 'step 7 of 7 (SendMidi) failed; the rest was skipped']);
    expect(of('action-finish').find((e: ActionFinishEvent) => e.action === 'SendMidi')?.detail).toBe('Note on C3 (60) velocity 100, channel 2 → A');
  });
});

describe('event stream', () => {
  it('numbers events in order, keeps a bounded buffer for late subscribers, and survives a throwing listener', async () => {
    const { engine, m, events } = setup(makeConfig([{ name: 'Default', mappings: [mapping('pad', note(60), send(1))] }]), { eventBufferSize: 5 });
    engine.onDidEngineEvent(() => {
      throw new Error('listener bug');
    });
    engine.handle(m.on(60));
    await engine.idle();
    expect(events.map((e) => e.kind)).toEqual(['midi', 'trigger', 'action-start', 'action-finish']);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    engine.handle(m.off(60));
    engine.handle(m.on(61));
    expect(engine.lastEventSeq).toBe(6);
    expect(engine.recentEvents().map((e) => e.seq)).toEqual([2, 3, 4, 5, 6]);
    expect(engine.recentEvents(4).map((e) => e.seq)).toEqual([5, 6]);
    const midiIn = engine.recentEvents(5)[0];
    expect(midiIn).toMatchObject({ kind: 'midi', event: { deviceId: 'virtual:test', message: { type: 'noteOn', note: 61 } } });
  });

  it('reports a plugin’s MIDI that could not be sent, keeping the first 16 bytes and the count; not after dispose', async () => {
    const { engine, of, clock } = setup(makeConfig([{ name: 'Default' }]));
    const sysex = [0xf0, ...Array.from({ length: 30 }, (_, i) => i), 0xf7];
    engine.reportPluginMidiFailure({ pluginId: 'lights', port: 'Launchpad', bytes: sysex, error: 'no MIDI output named "Launchpad"' });
    expect(of('plugin-midi-error')).toEqual([
      { kind: 'plugin-midi-error', seq: 1, at: clock.now(), pluginId: 'lights', port: 'Launchpad', bytes: sysex.slice(0, 16), byteCount: 32, error: 'no MIDI output named "Launchpad"' },
    ]);
    await engine.dispose();
    engine.reportPluginMidiFailure({ pluginId: 'lights', port: 'Launchpad', bytes: [0xf8], error: 'late' });
    expect(of('plugin-midi-error')).toHaveLength(1);
  });

  it('stops delivering after unsubscribe', () => {
    const { engine, m } = setup(makeConfig([{ name: 'Default' }]));
    const seen: number[] = [];
    const off = engine.onDidEngineEvent((e) => seen.push(e.seq));
    engine.handle(m.on(1));
    off();
    engine.handle(m.on(2));
    expect(seen).toEqual([1]);
  });

  it('links nested actions to their parent and their run', async () => {
    const { engine, m, of } = setup(makeConfig([{ name: 'Default', mappings: [mapping('seq', note(60), { type: 'Sequence', actions: [send(1), send(2)] })] }]));
    engine.handle(m.on(60));
    await engine.idle();
    const starts = of('action-start');
    expect(starts.map((e) => [e.action, e.parentActionId, e.runId])).toEqual([
      ['Sequence', null, 1],
      ['SendMidi', starts[0]?.actionId, 1],
      ['SendMidi', starts[0]?.actionId, 1],
    ]);
    expect(starts.map((e) => e.summary)).toEqual(['Sequence: send CC 1 = 1 on channel 1 to "out", then send CC 1 = 2 on channel 1 to "out"', 'Send CC 1 = 1 on channel 1 to "out"', 'Send CC 1 = 2 on channel 1 to "out"']);
  });
});

describe('dispose', () => {
  it('cancels hold timers, drops waiting runs, aborts running delays, and ignores later events', async () => {
    const config = makeConfig([
      {
        name: 'Default',
        mappings: [mapping('hold', { type: 'LongPress', note: 1, minDurationMs: 100 }, send(1)), mapping('wait', note(2), { type: 'Delay', ms: 10_000 })],
      },
    ]);
    const { engine, m, of, clock, sent } = setup(config);
    engine.handle(m.on(1));
    engine.handle(m.on(2));
    engine.handle(m.on(2));
    await flushMicrotasks();
    await engine.dispose();
    expect(clock.pendingCount).toBe(0);
    expect(of('run-dropped').map((e) => [e.runId, e.cause, e.dropped])).toEqual([[2, 'stopped', 1]]);
    expect(engine.drops.byCause.stopped).toBe(1);
    expect(of('action-error').map((e) => [e.runId, e.error])).toEqual([[1, 'aborted: the engine is shutting down']]);
    const count = of('midi').length;
    engine.handle(m.on(2));
    await clock.advance(1000);
    expect(of('midi')).toHaveLength(count);
    expect(sent).toHaveLength(0);
  });
});
