// Trigger semantics end to end through the Engine with a manual clock: which mapping fires for which MIDI input,
// including the timing-based triggers' edge cases. Every timing assertion uses the manual clock, never wall time.
import { afterEach, describe, expect, it } from 'vitest';
import type { Action, AppConfig, Mapping, TimingConfig, Trigger } from '../../src-shared/config';
import type { TriggerEvent } from '../../src-shared/engine';
import type { MidiMessage } from '../../src-shared/midi';
import type { Engine } from './engine';
import { startEngine } from './test-support/engine-harness';
import { makeConfig, mapping, midi } from './test-support/test-config';
import { absoluteEncoderStep, aftertouchMatches, channelMatches, pitchBendMatches, pressMatches, relativeEncoderStep } from './triggers';

const act: Action = { type: 'SendMidi', port: 'out', message: { type: 'CC', channel: 0, controller: 1, value: 1 } };
const on = (description: string, trigger: Trigger): Mapping => mapping(description, trigger, act);

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.dispose();
  engine = null;
});

function setup(config: AppConfig) {
  const harness = startEngine(config);
  engine = harness.engine;
  return harness;
}

const single = (...mappings: Mapping[]) => setup(makeConfig([{ name: 'Default', mappings }]));

describe('Note and VelocityRange', () => {
  it('fires a Note on note-on at or above velocity_min, never on note-off or a velocity-0 note-on', () => {
    const { engine, m, fired, triggers } = single(on('pad', { type: 'Note', note: 60, velocityMin: 50 }));
    engine.handle(m.on(60, 49));
    engine.handle(m.on(60, 0));
    engine.handle(m.off(60));
    engine.handle(m.on(61, 127));
    expect(fired()).toEqual([]);
    engine.handle(m.on(60, 50));
    expect(fired()).toEqual(['pad']);
    expect(triggers()[0]?.context).toMatchObject({ trigger: 'Note', mode: 'Default', note: 60, velocity: 50, channel: 0, device: 'virtual:test' });
  });

  it('restricts any trigger to its channel', () => {
    const { engine, m, fired } = single(on('ch3', { type: 'Note', note: 60, channel: 2 }), on('cc ch1', { type: 'CC', cc: 7, channel: 0 }));
    engine.handle(m.on(60, 100, 0));
    engine.handle(m.cc(7, 10, 5));
    expect(fired()).toEqual([]);
    engine.handle(m.on(60, 100, 2));
    engine.handle(m.cc(7, 10, 0));
    expect(fired()).toEqual(['ch3', 'cc ch1']);
  });

  it('picks the VelocityRange whose inclusive range holds the velocity', () => {
    const { engine, m, fired } = single(
      on('soft', { type: 'VelocityRange', note: 36, minVelocity: 0, maxVelocity: 40 }),
      on('medium', { type: 'VelocityRange', note: 36, minVelocity: 41, maxVelocity: 80 }),
      on('hard', { type: 'VelocityRange', note: 36, minVelocity: 81, maxVelocity: 127 }),
    );
    for (const v of [1, 40, 41, 80, 81, 127]) engine.handle(m.on(36, v));
    expect(fired()).toEqual(['soft', 'soft', 'medium', 'medium', 'hard', 'hard']);
  });

  it("Conductor's VelocityRange fires on every press and gives its band (soft_max / medium_max) as the context's level", () => {
    const { engine, m, triggers } = single(on('pad', { type: 'VelocityRange', note: 36, minVelocity: 1, maxVelocity: 127, softMax: 30, mediumMax: 90 }));
    for (const v of [1, 30, 31, 90, 91, 127]) engine.handle(m.on(36, v));
    expect(triggers().map((t) => [t.context.velocity, t.context.level])).toEqual([
      [1, 'soft'],
      [30, 'soft'],
      [31, 'medium'],
      [90, 'medium'],
      [91, 'hard'],
      [127, 'hard'],
    ]);
  });

  it('fires only the first matching mapping of a class: the current mode before the global mappings', () => {
    const config = makeConfig([{ name: 'A', mappings: [on('mode 60', { type: 'Note', note: 60 }), on('mode 60 again', { type: 'Note', note: 60 })] }], [
      on('global 60', { type: 'Note', note: 60 }),
      on('global 61', { type: 'Note', note: 61 }),
    ]);
    const { engine, m, triggers } = setup(config);
    engine.handle(m.on(60));
    engine.handle(m.on(61));
    expect(triggers().map((t) => [t.mapping.description, t.mapping.scope, t.mapping.index])).toEqual([
      ['mode 60', 'mode', 0],
      ['global 61', 'global', 1],
    ]);
  });
});

describe('LongPress', () => {
  const hold = (minDurationMs?: number): Trigger => ({ type: 'LongPress', note: 60, ...(minDurationMs === undefined ? {} : { minDurationMs }) });

  it('fires at the threshold while the note is still held, once per hold', async () => {
    const { engine, m, fired, triggers, clock } = single(on('hold', hold(500)));
    engine.handle(m.on(60, 90));
    await clock.advance(499);
    expect(fired()).toEqual([]);
    await clock.advance(1);
    expect(fired()).toEqual(['hold']);
    expect(triggers()[0]?.context).toMatchObject({ trigger: 'LongPress', note: 60, velocity: 90, durationMs: 500 });
    await clock.advance(5000);
    expect(fired()).toEqual(['hold']);
    engine.handle(m.off(60));
    engine.handle(m.on(60));
    await clock.advance(500);
    expect(fired()).toEqual(['hold', 'hold']);
  });

  it('does not fire when released early, by note-off or by a velocity-0 note-on', async () => {
    const { engine, m, fired, clock } = single(on('hold', hold(500)));
    engine.handle(m.on(60));
    await clock.advance(300);
    engine.handle(m.off(60));
    await clock.advance(1000);
    engine.handle(m.on(60));
    await clock.advance(499);
    engine.handle(m.on(60, 0));
    await clock.advance(1000);
    expect(fired()).toEqual([]);
    expect(clock.pendingCount).toBe(0);
  });

  it('keeps each device and channel apart: another device or channel releasing the note does not end the hold', async () => {
    const { engine, fired, clock } = single(on('hold', hold(500)));
    const a = midi(clock, 'device:a');
    const b = midi(clock, 'device:b');
    engine.handle(a.on(60));
    engine.handle(b.on(60));
    engine.handle(b.off(60));
    engine.handle(a.off(60, 1));
    await clock.advance(500);
    expect(fired()).toEqual(['hold']);
    // A re-press restarts the hold: the first press's timer does not fire for the second.
    engine.handle(a.off(60));
    await clock.advance(100);
    engine.handle(a.on(60));
    await clock.advance(499);
    expect(fired()).toEqual(['hold']);
    await clock.advance(1);
    expect(fired()).toEqual(['hold', 'hold']);
  });

  it('forgets note state when more than 64 devices have been seen, without firing anything stale', async () => {
    const { engine, fired, clock } = single(on('hold', hold(500)));
    for (let i = 0; i < 65; i++) engine.handle(midi(clock, `device:${i}`).on(60));
    await clock.advance(500);
    // The 65th device's note is kept; the others' holds were cancelled when their state was forgotten.
    expect(fired()).toEqual(['hold']);
    expect(clock.pendingCount).toBe(0);
  });

  it('uses [advanced_settings] hold_threshold_ms when the trigger has no min_duration_ms', async () => {
    const config = makeConfig([{ name: 'Default', mappings: [on('hold', hold())] }]);
    config.timing.holdThresholdMs = 1200;
    const { engine, m, fired, clock } = setup(config);
    engine.handle(m.on(60));
    await clock.advance(1199);
    expect(fired()).toEqual([]);
    await clock.advance(1);
    expect(fired()).toEqual(['hold']);
  });

  it('lets a plain Note on the same pad fire at once, and the LongPress later', async () => {
    const { engine, m, fired, clock } = single(on('hold', hold(800)), on('tap', { type: 'Note', note: 60 }));
    engine.handle(m.on(60));
    expect(fired()).toEqual(['tap']);
    await clock.advance(800);
    expect(fired()).toEqual(['tap', 'hold']);
  });

  it('gives each distinct threshold its own moment (a 1 s and a 2 s hold on one pad)', async () => {
    const { engine, m, fired, clock } = single(on('2s', hold(2000)), on('1s', hold(1000)));
    engine.handle(m.on(60));
    await clock.advance(1000);
    expect(fired()).toEqual(['1s']);
    await clock.advance(1000);
    expect(fired()).toEqual(['1s', '2s']);
  });
});

describe('DoubleTap', () => {
  it('fires on the second note-on within max_interval_ms', async () => {
    const { engine, m, fired, triggers, clock } = single(on('double', { type: 'DoubleTap', note: 60, maxIntervalMs: 250 }));
    engine.handle(m.on(60));
    engine.handle(m.off(60));
    await clock.advance(250);
    engine.handle(m.on(60));
    expect(fired()).toEqual(['double']);
    expect(triggers()[0]?.context).toMatchObject({ trigger: 'DoubleTap', intervalMs: 250 });
  });

  it('does not fire when too slow; the slow tap starts a new pair', async () => {
    const { engine, m, fired, clock } = single(on('double', { type: 'DoubleTap', note: 60 }));
    engine.handle(m.on(60));
    await clock.advance(301); // default double_tap_timeout_ms is 300
    engine.handle(m.on(60));
    expect(fired()).toEqual([]);
    await clock.advance(100);
    engine.handle(m.on(60));
    expect(fired()).toEqual(['double']);
  });

  it('counts a triple tap as one double tap (a completed pair starts over)', async () => {
    const { engine, m, fired, clock } = single(on('double', { type: 'DoubleTap', note: 60 }));
    for (let i = 0; i < 3; i++) {
      engine.handle(m.on(60));
      await clock.advance(50);
    }
    expect(fired()).toEqual(['double']);
    engine.handle(m.on(60));
    expect(fired()).toEqual(['double', 'double']);
  });

  it('needs both taps on the same note and channel', async () => {
    const { engine, m, fired, clock } = single(on('double', { type: 'DoubleTap', note: 60 }));
    engine.handle(m.on(60, 100, 0));
    await clock.advance(50);
    engine.handle(m.on(60, 100, 1));
    await clock.advance(50);
    engine.handle(m.on(61, 100, 0));
    expect(fired()).toEqual([]);
  });
});

describe('NoteChord', () => {
  const chord = (maxIntervalMs?: number): Trigger => ({ type: 'NoteChord', notes: [60, 64, 67], ...(maxIntervalMs === undefined ? {} : { maxIntervalMs }) });

  it('fires once when the last note arrives, in any order', async () => {
    const { engine, m, fired, triggers, clock } = single(on('triad', chord()));
    engine.handle(m.on(67));
    await clock.advance(20);
    engine.handle(m.on(60));
    await clock.advance(20);
    expect(fired()).toEqual([]);
    engine.handle(m.on(64));
    expect(fired()).toEqual(['triad']);
    expect(triggers()[0]?.context).toMatchObject({ trigger: 'NoteChord', note: 64, notes: '60,64,67', spanMs: 40 });
  });

  it('fires only once per set of presses (pressing a chord note again does not fire it again)', async () => {
    const { engine, m, fired, clock } = single(on('triad', chord()));
    engine.handle(m.on(60));
    engine.handle(m.on(64));
    engine.handle(m.on(67));
    await clock.advance(10);
    engine.handle(m.off(67));
    engine.handle(m.on(67));
    expect(fired()).toEqual(['triad']);
    engine.handle(m.on(60));
    engine.handle(m.on(64));
    expect(fired()).toEqual(['triad', 'triad']);
  });

  it('does not fire when the notes are spread over more than the window', async () => {
    const { engine, m, fired, clock } = single(on('triad', chord(100)));
    engine.handle(m.on(60));
    await clock.advance(60);
    engine.handle(m.on(64));
    await clock.advance(41);
    engine.handle(m.on(67));
    expect(fired()).toEqual([]);
    // The window slides: 64 and 67 are recent, a new 60 completes it.
    await clock.advance(30);
    engine.handle(m.on(60));
    expect(fired()).toEqual(['triad']);
  });

  it('keeps to its channel when it has one', () => {
    const { engine, m, fired } = single(on('triad', { type: 'NoteChord', notes: [60, 64], channel: 1 }));
    engine.handle(m.on(60, 100, 1));
    engine.handle(m.on(64, 100, 0));
    expect(fired()).toEqual([]);
    engine.handle(m.on(64, 100, 1));
    expect(fired()).toEqual(['triad']);
  });
});

describe('CC and EncoderTurn', () => {
  it('fires CC at or above value_min', () => {
    const { engine, m, fired, triggers } = single(on('button', { type: 'CC', cc: 20, valueMin: 64 }));
    engine.handle(m.cc(20, 63));
    engine.handle(m.cc(21, 127));
    engine.handle(m.cc(20, 64));
    expect(fired()).toEqual(['button']);
    expect(triggers()[0]?.context).toMatchObject({ trigger: 'CC', cc: 20, value: 64 });
  });

  it('reads relative encoders: 1–63 clockwise, 65–127 counter-clockwise, 0 and 64 no movement', () => {
    const { engine, m, triggers } = single(
      on('cw', { type: 'EncoderTurn', cc: 10, direction: 'Clockwise', encoding: 'relative' }),
      on('ccw', { type: 'EncoderTurn', cc: 10, direction: 'CounterClockwise' }),
    );
    for (const v of [1, 63, 65, 127, 0, 64]) engine.handle(m.cc(10, v));
    expect(triggers().map((t) => [t.mapping.description, t.context.steps])).toEqual([
      ['cw', 1],
      ['cw', 63],
      ['ccw', 63],
      ['ccw', 1],
    ]);
  });

  it('reads absolute encoders by the previous value of that CC, with 127→0 clockwise and 0→127 counter-clockwise', () => {
    const { engine, m, fired } = single(
      on('cw', { type: 'EncoderTurn', cc: 11, direction: 'Clockwise', encoding: 'absolute' }),
      on('ccw', { type: 'EncoderTurn', cc: 11, direction: 'CounterClockwise', encoding: 'absolute' }),
    );
    engine.handle(m.cc(11, 126)); // first value: no direction yet
    engine.handle(m.cc(11, 127));
    engine.handle(m.cc(11, 0));
    engine.handle(m.cc(11, 0)); // no change
    engine.handle(m.cc(11, 127));
    engine.handle(m.cc(11, 100));
    engine.handle(m.cc(12, 0)); // another CC keeps its own previous value
    engine.handle(m.cc(11, 101));
    expect(fired()).toEqual(['cw', 'cw', 'ccw', 'ccw', 'cw']);
  });

  it('without a direction (Conductor\'s default) fires on turns either way, with the direction in the context', () => {
    const { engine, m, triggers } = single(on('any', { type: 'EncoderTurn', cc: 13 }));
    for (const v of [2, 0, 126]) engine.handle(m.cc(13, v));
    expect(triggers().map((t) => [t.mapping.description, t.context.direction, t.context.steps])).toEqual([
      ['any', 'Clockwise', 2],
      ['any', 'CounterClockwise', 2],
    ]);
  });
});

describe('Aftertouch and PitchBend', () => {
  it('matches poly aftertouch only with a note, channel aftertouch only without, within the pressure range', () => {
    const { engine, m, fired } = single(
      on('poly 60', { type: 'Aftertouch', note: 60, minPressure: 10, maxPressure: 100 }),
      on('channel', { type: 'Aftertouch', minPressure: 50 }),
    );
    engine.handle(m.polyAt(61, 50));
    engine.handle(m.polyAt(60, 5));
    engine.handle(m.polyAt(60, 101));
    engine.handle(m.chanAt(49));
    expect(fired()).toEqual([]);
    engine.handle(m.polyAt(60, 10));
    engine.handle(m.chanAt(50));
    engine.handle(m.polyAt(60, 100));
    expect(fired()).toEqual(['poly 60', 'channel', 'poly 60']);
  });

  it('matches pitch bend within its range and outside the center deadzone', () => {
    const { engine, m, triggers } = single(on('bend', { type: 'PitchBend', minValue: 0, maxValue: 16383, centerDeadzone: 200 }));
    for (const v of [8192, 8392, 7992, 8393, 7991, 0, 16383]) engine.handle(m.bend(v));
    expect(triggers().map((t) => t.context.value)).toEqual([8393, 7991, 0, 16383]);
  });

  it('respects the pitch bend range (upper half only)', () => {
    const { engine, m, triggers } = single(on('up', { type: 'PitchBend', minValue: 8193, maxValue: 16383 }));
    for (const v of [0, 8192, 8193, 16383]) engine.handle(m.bend(v));
    expect(triggers().map((t) => t.context.value)).toEqual([8193, 16383]);
  });
});

describe('the (class, channel, data1) index', () => {
  /** A small deterministic PRNG (mulberry32), so a failure can be replayed. */
  function rng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  /** Many overlapping triggers on few notes/controllers and channels, some with values no MIDI message carries. */
  function randomTrigger(r: () => number): Trigger {
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
    const channel = pick([undefined, undefined, 0, 1, 15, 16]);
    const note = pick([36, 37, 38, 39, 127, 128]);
    const ch = channel === undefined ? {} : { channel };
    switch (pick(['Note', 'VelocityRange', 'DoubleTap', 'CC', 'EncoderTurn', 'EncoderTurnAbs', 'Aftertouch', 'PitchBend'] as const)) {
      case 'Note':
        return { type: 'Note', note, ...ch, ...(r() < 0.5 ? { velocityMin: Math.floor(r() * 128) } : {}) };
      case 'VelocityRange': {
        const a = Math.floor(r() * 128);
        const b = Math.floor(r() * 128);
        return { type: 'VelocityRange', note, minVelocity: Math.min(a, b), maxVelocity: Math.max(a, b), ...ch };
      }
      case 'DoubleTap':
        return { type: 'DoubleTap', note, ...ch, ...(r() < 0.5 ? { maxIntervalMs: Math.floor(r() * 400) } : {}) };
      case 'CC':
        return { type: 'CC', cc: note - 30, ...ch, ...(r() < 0.5 ? { valueMin: Math.floor(r() * 128) } : {}) };
      case 'EncoderTurn':
        return { type: 'EncoderTurn', cc: note - 30, direction: pick(['Clockwise', 'CounterClockwise'] as const), ...ch };
      case 'EncoderTurnAbs':
        return { type: 'EncoderTurn', cc: note - 30, direction: pick(['Clockwise', 'CounterClockwise'] as const), encoding: 'absolute', ...ch };
      case 'Aftertouch':
        return { type: 'Aftertouch', ...(r() < 0.5 ? { note } : {}), minPressure: Math.floor(r() * 64), maxPressure: 64 + Math.floor(r() * 64), ...ch };
      case 'PitchBend':
        return { type: 'PitchBend', minValue: Math.floor(r() * 8192), maxValue: 8192 + Math.floor(r() * 8192), centerDeadzone: pick([0, 0, 100]), ...ch };
    }
  }

  type Entry = { trigger: Trigger; ref: string };

  /** What a scan of every mapping in precedence order fires for one message: first match per class (press, then double tap). */
  function linearScan(entries: readonly Entry[], message: MidiMessage, state: { taps: Map<string, number>; cc: Map<string, number> }, at: number, timing: TimingConfig): string[] {
    const out: string[] = [];
    const first = (ok: (t: Trigger) => boolean): void => {
      const hit = entries.find((e) => ok(e.trigger));
      if (hit) out.push(hit.ref);
    };
    switch (message.type) {
      case 'noteOn': {
        const { channel, note, velocity } = message;
        first((t) => pressMatches(t, channel, note, velocity));
        const key = `${channel}/${note}`;
        const previous = state.taps.get(key);
        let tapped = false;
        if (previous !== undefined) {
          const hit = entries.find((e) => e.trigger.type === 'DoubleTap' && e.trigger.note === note && channelMatches(e.trigger, channel) && at - previous <= (e.trigger.maxIntervalMs ?? timing.doubleTapTimeoutMs));
          if (hit) {
            out.push(hit.ref);
            tapped = true;
          }
        }
        if (tapped) state.taps.delete(key);
        else state.taps.set(key, at);
        break;
      }
      case 'controlChange': {
        const { channel, controller, value } = message;
        const key = `${channel}/${controller}`;
        const previous = state.cc.get(key);
        state.cc.set(key, value);
        first((t) => {
          if ((t.type !== 'CC' && t.type !== 'EncoderTurn') || t.cc !== controller || !channelMatches(t, channel)) return false;
          if (t.type === 'CC') return value >= (t.valueMin ?? 0);
          const step = t.encoding === 'absolute' ? absoluteEncoderStep(previous, value) : relativeEncoderStep(value);
          return step !== null && step.direction === t.direction;
        });
        break;
      }
      case 'polyAftertouch':
      case 'channelAftertouch':
        first((t) => t.type === 'Aftertouch' && aftertouchMatches(t, message));
        break;
      case 'pitchBend':
        first((t) => t.type === 'PitchBend' && pitchBendMatches(t, message.channel, message.value));
        break;
      default:
        break;
    }
    return out;
  }

  function randomMessage(r: () => number): MidiMessage {
    const channel = [0, 1, 2, 15][Math.floor(r() * 4)] ?? 0;
    const note = [36, 37, 38, 39, 40, 127][Math.floor(r() * 6)] ?? 36;
    const kind = Math.floor(r() * 5);
    if (kind === 0 || kind === 1) return { type: 'noteOn', channel, note, velocity: 1 + Math.floor(r() * 127) };
    if (kind === 2) return { type: 'controlChange', channel, controller: note - 30, value: Math.floor(r() * 128) };
    if (kind === 3) return r() < 0.5 ? { type: 'polyAftertouch', channel, note, pressure: Math.floor(r() * 128) } : { type: 'channelAftertouch', channel, pressure: Math.floor(r() * 128) };
    return { type: 'pitchBend', channel, value: Math.floor(r() * 16384) };
  }

  it('fires exactly what a scan of every mapping would, with 600 mappings over two modes and global ones, across mode switches and a reload', async () => {
    const r = rng(16);
    const many = (prefix: string, n: number): Mapping[] => Array.from({ length: n }, (_, i) => on(`${prefix}${i}`, randomTrigger(r)));
    const config = makeConfig([{ name: 'A', mappings: many('a', 250) }, { name: 'B', mappings: many('b', 250) }], many('g', 100));
    const { engine, clock } = setup(config);
    const refOf = (e: TriggerEvent): string => (e.mapping.scope === 'global' ? `global[${e.mapping.index}]` : `${e.mapping.mode}[${e.mapping.index}]`);
    let got: string[] = [];
    engine.onDidEngineEvent((e) => {
      if (e.kind === 'trigger') got.push(refOf(e));
    });
    const state = { taps: new Map<string, number>(), cc: new Map<string, number>() };
    const entriesOf = (c: AppConfig, mode: string): Entry[] => [
      ...(c.modes.find((x) => x.name === mode)?.mappings ?? []).map((m, i) => ({ trigger: m.trigger, ref: `${mode}[${i}]` })),
      ...c.globalMappings.map((m, i) => ({ trigger: m.trigger, ref: `global[${i}]` })),
    ];
    let current = config;
    let fires = 0;
    for (let step = 0; step < 4000; step++) {
      if (step === 1000) engine.setMode('B');
      if (step === 2000) {
        current = makeConfig([{ name: 'A', mappings: many('a2-', 250) }, { name: 'B', mappings: many('b2-', 250) }], many('g2-', 100));
        engine.setConfig(current);
      }
      if (step === 3000) engine.setMode('A');
      await clock.advance(Math.floor(r() * 150));
      const message = randomMessage(r);
      got = [];
      engine.handle({ deviceId: 'virtual:test', message, timestamp: clock.now() });
      const expected = linearScan(entriesOf(current, engine.currentMode ?? ''), message, state, clock.now(), current.timing);
      fires += got.length;
      expect({ step, message, got }).toEqual({ step, message, got: expected });
    }
    // The random mix is dense enough that most messages fire something.
    expect(fires).toBeGreaterThan(2000);
  });
});
