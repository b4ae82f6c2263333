// MIDI-learn on the manual clock: each gesture played on the real virtual controller through a real DeviceManager,
// and the session rules (one at a time, cancel, timeout, restart).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TIMING, type DeviceConfig, type TimingConfig } from '../../src-shared/config';
import type { LearnEvent, LearnResult } from '../../src-shared/contract';
import { Emitter } from '../../src-shared/emitter';
import type { GamepadEvent, GamepadInput } from '../../src-shared/gamepad';
import { DeviceManager } from '../midi/device-manager';
import { VirtualDevice } from '../midi/virtual-device';
import { CC_MAX_GESTURE_MS, CC_SETTLE_MS, LEARN_PITCH_BEND_DEADZONE, Learner } from './learn';
import { Engine } from './engine';
import { ManualClock } from '../common/test-support/manual-clock';
import { makeConfig, mapping } from './test-support/test-config';

const DEVICE: DeviceConfig = { name: null, autoConnect: true, autoReconnect: true, port: null };
const PAD_DEVICE = 'virtual:Virtual Controller';

let clock: ManualClock;
let pads: VirtualDevice;
let devices: DeviceManager;
let timing: TimingConfig;
let learner: Learner;
let events: LearnEvent[];

beforeEach(() => {
  clock = new ManualClock();
  pads = new VirtualDevice({ now: () => clock.now() });
  devices = new DeviceManager(DEVICE, { backends: [], virtualDevice: pads, virtualPortName: null, pollIntervalMs: 0, now: () => clock.now(), log: () => undefined });
  timing = { ...DEFAULT_TIMING };
  learner = new Learner({ devices, config: { config: { get timing() { return timing; } } } }, { clock, timer: clock });
  events = [];
  learner.onDidLearn((e) => events.push(e));
});

afterEach(() => {
  learner.dispose();
  devices.dispose();
});

function learned(): LearnResult[] {
  return events.flatMap((e) => (e.kind === 'learned' ? [e.result] : []));
}

function only(): LearnResult {
  const results = learned();
  expect(results).toHaveLength(1);
  return results[0] as LearnResult;
}

describe('Learner: pads', () => {
  it('a press and release is a Note with its channel, velocity and a description in words', async () => {
    const id = learner.start();
    pads.pressPad(36, 90);
    await clock.advance(50);
    pads.releasePad(36);
    await clock.advance(200);
    expect(learned()).toEqual([]); // still within the double-tap interval: it could become a double tap
    await clock.advance(DEFAULT_TIMING.doubleTapTimeoutMs);
    expect(only()).toEqual({
      trigger: { type: 'Note', note: 36, channel: 0 },
      description: 'Pad C1 (note 36), channel 1',
      velocity: 90,
      deviceId: PAD_DEVICE,
    });
    expect(events.at(-1)).toMatchObject({ kind: 'learned', sessionId: id });
    expect(learner.activeSessionId).toBeNull();
  });

  it('a release after the double-tap interval decides a Note at once', async () => {
    learner.start();
    pads.pressPad(40, 64, 3);
    await clock.advance(500);
    pads.releasePad(40, 0, 3);
    expect(only().trigger).toEqual({ type: 'Note', note: 40, channel: 3 });
    expect(only().description).toBe('Pad E1 (note 40), channel 4');
  });

  it('released and pressed again within the double-tap interval is a DoubleTap', async () => {
    learner.start();
    pads.pressPad(37, 100);
    await clock.advance(80);
    pads.releasePad(37);
    await clock.advance(120);
    pads.pressPad(37, 110);
    expect(only()).toMatchObject({ trigger: { type: 'DoubleTap', note: 37, channel: 0 }, description: 'Double-tap pad C#1 (note 37), channel 1', velocity: 100 });
  });

  it('a second tap after the interval is not a double tap (the first tap was a Note)', async () => {
    learner.start();
    pads.pressPad(37, 100);
    await clock.advance(50);
    pads.releasePad(37);
    await clock.advance(400);
    pads.pressPad(37, 100);
    expect(only().trigger.type).toBe('Note');
  });

  it('held past the hold threshold is a LongPress with min_duration_ms = the threshold', async () => {
    learner.start();
    pads.pressPad(38, 70);
    await clock.advance(DEFAULT_TIMING.holdThresholdMs - 1);
    expect(learned()).toEqual([]);
    await clock.advance(1);
    expect(only()).toMatchObject({
      trigger: { type: 'LongPress', note: 38, minDurationMs: 2000, channel: 0 },
      description: 'Hold pad D1 (note 38) for 2000 ms, channel 1',
      velocity: 70,
    });
  });

  it('uses the running config’s timing (a shorter hold threshold)', async () => {
    timing = { ...DEFAULT_TIMING, holdThresholdMs: 600 };
    learner.start();
    pads.pressPad(36);
    await clock.advance(600);
    expect(only().trigger).toEqual({ type: 'LongPress', note: 36, minDurationMs: 600, channel: 0 });
  });

  it('other notes within the chord window make a NoteChord of every note pressed in it', async () => {
    learner.start();
    pads.pressPad(43, 80);
    await clock.advance(15);
    pads.pressPad(36, 90);
    await clock.advance(20);
    pads.pressPad(40, 100);
    await clock.advance(15); // 50 ms (Conductor's default chord_timeout_ms): the window is inclusive
    expect(learned()).toEqual([]);
    await clock.advance(1);
    pads.pressPad(45); // after the window: not part of it
    expect(only()).toEqual({
      trigger: { type: 'NoteChord', notes: [36, 40, 43], channel: 0 },
      description: 'Chord C1 + E1 + G1 (notes 36, 40, 43), channel 1',
      velocity: 80,
      deviceId: PAD_DEVICE,
    });
  });

  it('a chord is not mistaken for a long press when its notes are held', async () => {
    learner.start();
    pads.pressPad(36);
    pads.pressPad(37);
    await clock.advance(3000);
    expect(only().trigger).toEqual({ type: 'NoteChord', notes: [36, 37], channel: 0 });
  });

  it('ignores a release of a pad pressed before the session and the velocity-0 note-on of it', async () => {
    learner.start();
    pads.releasePad(50);
    pads.send([0x90, 50, 0]);
    await clock.advance(5000);
    expect(learned()).toEqual([]);
  });
});

describe('Learner: knobs, encoders, aftertouch, pitch bend', () => {
  it('an absolute knob moving is a CC (decided once it rests)', async () => {
    learner.start();
    for (const value of [40, 44, 50, 58, 64]) {
      pads.turnKnob(1, value);
      await clock.advance(50);
    }
    expect(learned()).toEqual([]);
    await clock.advance(CC_SETTLE_MS);
    expect(only()).toEqual({ trigger: { type: 'CC', cc: 1, channel: 0 }, description: 'Knob/fader CC 1, channel 1', velocity: null, deviceId: PAD_DEVICE });
  });

  it('a knob near the bottom sweeping 1, 2, 3, 4 is still an absolute CC, not an encoder', async () => {
    learner.start();
    for (const value of [1, 2, 3, 4]) pads.turnKnob(2, value);
    await clock.advance(CC_SETTLE_MS);
    expect(only().trigger).toEqual({ type: 'CC', cc: 2, channel: 0 });
  });

  it('relative values 1–15 are an EncoderTurn clockwise', async () => {
    learner.start();
    for (const steps of [1, 1, 2, 1]) {
      pads.turnEncoder(7, steps);
      await clock.advance(40);
    }
    await clock.advance(CC_SETTLE_MS);
    expect(only()).toMatchObject({
      trigger: { type: 'EncoderTurn', cc: 7, direction: 'Clockwise', encoding: 'relative', channel: 0 },
      description: 'Encoder CC 7, channel 1, turned clockwise (relative)',
    });
  });

  it('relative values 113–127 are an EncoderTurn counter-clockwise', async () => {
    learner.start();
    for (const steps of [-1, -1, -3]) pads.turnEncoder(8, steps); // 127, 127, 125
    await clock.advance(CC_SETTLE_MS);
    expect(only().trigger).toEqual({ type: 'EncoderTurn', cc: 8, direction: 'CounterClockwise', encoding: 'relative', channel: 0 });
  });

  it('a knob turned without pause is decided after CC_MAX_GESTURE_MS', async () => {
    learner.start();
    const start = clock.now();
    let value = 0;
    let decidedAt: number | null = null;
    learner.onDidLearn((e) => {
      if (e.kind === 'learned') decidedAt = clock.now();
    });
    while (decidedAt === null && clock.now() - start < 5000) {
      pads.turnKnob(3, (value += 3) % 128);
      await clock.advance(100);
    }
    expect(decidedAt).toBe(start + CC_MAX_GESTURE_MS);
    expect(only().trigger.type).toBe('CC');
  });

  it('keeps one pending settle check however many values arrive', async () => {
    learner.start();
    for (let i = 0; i < 200; i++) pads.turnKnob(5, i % 2 === 0 ? 20 : 21);
    expect(clock.pendingCount).toBe(2); // the session deadline and one settle check
    await clock.advance(CC_SETTLE_MS);
    expect(only().trigger).toEqual({ type: 'CC', cc: 5, channel: 0 });
  });

  it('other controllers during a knob gesture are ignored', async () => {
    learner.start();
    pads.turnKnob(1, 10);
    pads.turnKnob(4, 90);
    pads.pressPad(36);
    pads.turnKnob(1, 12);
    await clock.advance(CC_SETTLE_MS);
    expect(only().trigger).toEqual({ type: 'CC', cc: 1, channel: 0 });
  });

  it('poly aftertouch is Aftertouch on that note; channel pressure is Aftertouch on the channel', async () => {
    learner.start();
    pads.aftertouch(60, 36);
    expect(only()).toMatchObject({ trigger: { type: 'Aftertouch', note: 36, channel: 0 }, description: 'Aftertouch on pad C1 (note 36), channel 1', velocity: null });
    events = [];
    learner.start();
    pads.aftertouch(90, undefined, 2);
    expect(only()).toMatchObject({ trigger: { type: 'Aftertouch', channel: 2 }, description: 'Channel aftertouch, channel 3' });
  });

  it('pitch bend is a PitchBend over the touched range, with a dead zone when it spans the centre', async () => {
    learner.start();
    for (const value of [8192, 9000, 12000, 10000, 8192]) {
      pads.pitchBend(value);
      await clock.advance(30);
    }
    await clock.advance(CC_SETTLE_MS);
    expect(only()).toMatchObject({
      trigger: { type: 'PitchBend', minValue: 8192, maxValue: 12000, centerDeadzone: LEARN_PITCH_BEND_DEADZONE, channel: 0 },
      description: 'Pitch bend 8192–12000 (up), channel 1',
    });
  });

  it('a pitch bend kept on one side has no dead zone', async () => {
    learner.start();
    pads.pitchBend(4000);
    pads.pitchBend(1000);
    await clock.advance(CC_SETTLE_MS);
    expect(only().trigger).toEqual({ type: 'PitchBend', minValue: 1000, maxValue: 4000, channel: 0 });
  });
});

describe('Learner: sessions', () => {
  it('announces the start and times out with reason "timeout" when nothing is played', async () => {
    const id = learner.start(5000);
    expect(events).toEqual([{ kind: 'started', sessionId: id, timeoutMs: 5000 }]);
    await clock.advance(4999);
    expect(events).toHaveLength(1);
    await clock.advance(1);
    expect(events).toEqual([
      { kind: 'started', sessionId: id, timeoutMs: 5000 },
      { kind: 'cancelled', sessionId: id, reason: 'timeout' },
    ]);
    pads.pressPad(36);
    await clock.advance(1000);
    expect(learned()).toEqual([]); // no session: MIDI is not learned
  });

  it('at the timeout a gesture in progress is decided with what was seen', async () => {
    learner.start(1000);
    await clock.advance(900);
    pads.pressPad(36, 55);
    await clock.advance(100);
    expect(only()).toMatchObject({ trigger: { type: 'Note', note: 36, channel: 0 }, velocity: 55 });
    expect(events.some((e) => e.kind === 'cancelled')).toBe(false);
  });

  it('cancel ends the session (reason "user"); later MIDI is ignored; a second cancel reports nothing to cancel', async () => {
    const id = learner.start();
    expect(learner.cancel()).toBe(true);
    expect(events.at(-1)).toEqual({ kind: 'cancelled', sessionId: id, reason: 'user' });
    pads.pressPad(36);
    await clock.advance(3000);
    expect(learned()).toEqual([]);
    expect(learner.cancel()).toBe(false);
    expect(clock.pendingCount).toBe(0);
  });

  it('cancel in the middle of a gesture drops it and its timers', async () => {
    learner.start();
    pads.pressPad(36);
    learner.cancel();
    await clock.advance(3000);
    expect(learned()).toEqual([]);
    expect(clock.pendingCount).toBe(0);
  });

  it('a new start cancels the running session and the next gesture goes to the new one', async () => {
    const first = learner.start();
    pads.pressPad(36); // begins a gesture in the first session
    const second = learner.start();
    expect(second).not.toBe(first);
    expect(events.slice(1)).toEqual([
      { kind: 'cancelled', sessionId: first, reason: 'user' },
      { kind: 'started', sessionId: second, timeoutMs: 10_000 },
    ]);
    pads.pressPad(41);
    await clock.advance(600);
    pads.releasePad(41);
    const results = events.filter((e) => e.kind === 'learned');
    expect(results).toEqual([{ kind: 'learned', sessionId: second, result: expect.objectContaining({ trigger: { type: 'Note', note: 41, channel: 0 } }) }]);
  });

  it('refuses a non-positive timeout and starting after dispose', () => {
    expect(() => learner.start(0)).toThrow(RangeError);
    learner.dispose();
    expect(() => learner.start()).toThrow(/disposed/);
  });

  it('dispose stops listening to MIDI and ends the session silently', async () => {
    learner.start();
    learner.dispose();
    pads.pressPad(36);
    await clock.advance(20_000);
    expect(events.map((e) => e.kind)).toEqual(['started']);
  });
});

describe('Learner and the engine', () => {
  it('mappings do not fire while a session runs, and fire again once it has ended', async () => {
    const config = makeConfig([{ name: 'Default', mappings: [mapping('pad 36', { type: 'Note', note: 36 }, { type: 'Delay', ms: 1 })] }]);
    const engine = new Engine({ config, clock, timer: clock });
    const triggers: string[] = [];
    engine.onDidEngineEvent((e) => {
      if (e.kind === 'trigger') triggers.push(e.mapping.description);
    });
    devices.onDidMidiEvent((e) => engine.handle(e));
    learner.dispose();
    learner = new Learner({ devices, config: { config: { get timing() { return timing; } } }, engine }, { clock, timer: clock });
    learner.onDidLearn((e) => events.push(e));

    learner.start();
    pads.pressPad(36, 90);
    pads.releasePad(36);
    await clock.advance(timing.doubleTapTimeoutMs + 1);
    expect(only().trigger).toMatchObject({ type: 'Note', note: 36 });
    expect(triggers).toEqual([]);

    pads.pressPad(36, 90);
    expect(triggers).toEqual(['pad 36']);
    await engine.dispose();
  });
});

describe('Learner: game controllers', () => {
  /** A learner that also hears a stand-in gamepad source. */
  function withPads(): { learner: Learner; results: () => LearnResult[]; pad: (input: GamepadInput, deviceId?: string) => void; midi: VirtualDevice } {
    const emitter = new Emitter<GamepadEvent>();
    const own = new Learner({ devices, gamepads: { onDidGamepad: emitter.event }, config: { config: { get timing() { return timing; } } } }, { clock, timer: clock });
    const seen: LearnEvent[] = [];
    own.onDidLearn((e) => seen.push(e));
    learner.dispose();
    learner = own;
    return {
      learner: own,
      results: () => seen.flatMap((e) => (e.kind === 'learned' ? [e.result] : [])),
      pad: (input, deviceId = 'gamepad:js0 Xbox') => emitter.fire({ deviceId, input, timestamp: clock.now() }),
      midi: pads,
    };
  }

  it('a button alone → GamepadButton once the chord window has passed', async () => {
    const t = withPads();
    t.learner.start();
    t.pad({ kind: 'button', id: 129, pressed: true, value: 127 });
    expect(t.results()).toEqual([]);
    await clock.advance(DEFAULT_TIMING.chordTimeoutMs + 1);
    expect(t.results()).toEqual([{ trigger: { type: 'GamepadButton', button: 129 }, description: 'Gamepad East (B / Circle) (129)', velocity: null, deviceId: 'gamepad:js0 Xbox' }]);
  });

  it('buttons pressed together → GamepadButtonChord; another controller’s button and MIDI meanwhile are ignored', async () => {
    const t = withPads();
    t.learner.start();
    t.pad({ kind: 'button', id: 136, pressed: true, value: 127 });
    t.pad({ kind: 'button', id: 128, pressed: true, value: 127 }, 'gamepad:js1 other');
    t.midi.pressPad(36, 100);
    await clock.advance(20);
    t.pad({ kind: 'button', id: 137, pressed: true, value: 127 });
    await clock.advance(DEFAULT_TIMING.chordTimeoutMs);
    expect(t.results().map((r) => r.trigger)).toEqual([{ type: 'GamepadButtonChord', buttons: [136, 137] }]);
  });

  it('a stick pushed past half its travel, or a trigger pressed past half, is learned at once', () => {
    const t = withPads();
    t.learner.start();
    t.pad({ kind: 'axis', id: 131, value: 0.3 });
    t.pad({ kind: 'axis', id: 131, value: -0.8 });
    t.learner.start();
    t.pad({ kind: 'trigger', id: 133, value: 40 });
    t.pad({ kind: 'trigger', id: 133, value: 100 });
    expect(t.results().map((r) => r.trigger)).toEqual([
      { type: 'GamepadAnalogStick', axis: 131, direction: 'CounterClockwise' },
      { type: 'GamepadTrigger', trigger: 133 },
    ]);
  });
});
