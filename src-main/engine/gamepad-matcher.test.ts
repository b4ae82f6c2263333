// Gamepad triggers end to end through the Engine with a manual clock: the same mapping precedence as MIDI (current
// mode before global, first match), buttons with depth, chords within their window, sticks by edge (not level) with a
// rest zone, analog triggers by rising crossing. Events come from an injected source (plain GamepadEvents).
import { afterEach, describe, expect, it } from 'vitest';
import type { Action, AppConfig, Mapping, Trigger } from '../../src-shared/config';
import type { GamepadInput } from '../../src-shared/gamepad';
import type { Engine } from './engine';
import { startEngine } from './test-support/engine-harness';
import { makeConfig, mapping } from './test-support/test-config';

const act: Action = { type: 'SendMidi', port: 'out', message: { type: 'CC', channel: 0, controller: 1, value: 1 } };
const on = (description: string, trigger: Trigger): Mapping => mapping(description, trigger, act);

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.dispose();
  engine = null;
});

function setup(config: AppConfig) {
  const { clock, engine: e, triggers, fired } = startEngine(config);
  engine = e;
  const pad = (input: GamepadInput, deviceId = 'gamepad:0 Xbox'): void => e.handleGamepad({ deviceId, input, timestamp: clock.now() });
  const press = (id: number, value = 127): void => pad({ kind: 'button', id, pressed: true, value });
  const release = (id: number): void => pad({ kind: 'button', id, pressed: false, value: 0 });
  return { clock, engine: e, triggers, fired, pad, press, release };
}
const single = (...mappings: Mapping[]) => setup(makeConfig([{ name: 'Default', mappings }]));

describe('GamepadButton', () => {
  it('fires on press (not release) when pressed deep enough, with the button in the context', () => {
    const { press, release, fired, triggers } = single(on('A', { type: 'GamepadButton', button: 128 }), on('deep RT', { type: 'GamepadButton', button: 144, velocityMin: 100 }));
    press(128);
    release(128);
    press(144, 99);
    press(144, 100);
    press(129);
    expect(fired()).toEqual(['A', 'deep RT']);
    expect(triggers()[0]?.context).toMatchObject({ trigger: 'GamepadButton', button: 128, value: 127, device: 'gamepad:0 Xbox', mode: 'Default' });
  });

  it('takes the current mode’s mapping before the global one, and stops when paused', () => {
    const t = setup(makeConfig([{ name: 'Default', mappings: [on('mode A', { type: 'GamepadButton', button: 128 })] }], [on('global A', { type: 'GamepadButton', button: 128 }), on('global B', { type: 'GamepadButton', button: 129 })]));
    t.press(128);
    t.press(129);
    t.engine.setMatching(false);
    t.press(128);
    expect(t.fired()).toEqual(['mode A', 'global B']);
  });
});

describe('GamepadButtonChord', () => {
  it('fires once when the last button arrives within the window, again only after one is released', async () => {
    const { press, release, fired, clock } = single(on('LB+RB', { type: 'GamepadButtonChord', buttons: [136, 137], maxIntervalMs: 100 }));
    press(136);
    await clock.advance(100);
    press(137);
    expect(fired()).toEqual(['LB+RB']);
    press(137); // still down: no second fire
    release(137);
    await clock.advance(50);
    press(137); // LB went down 150 ms ago: no longer "together"
    expect(fired()).toEqual(['LB+RB']);
    release(136);
    release(137);
    press(137);
    await clock.advance(30);
    press(136);
    expect(fired()).toEqual(['LB+RB', 'LB+RB']);
  });

  it('does not fire when the buttons are further apart than the window (default chord_timeout_ms)', async () => {
    const { press, fired, clock } = single(on('A+B', { type: 'GamepadButtonChord', buttons: [128, 129] }));
    press(128);
    await clock.advance(51);
    press(129);
    expect(fired()).toEqual([]);
  });

  it('keeps each controller’s buttons apart', () => {
    const { pad, fired } = single(on('A+B', { type: 'GamepadButtonChord', buttons: [128, 129] }));
    pad({ kind: 'button', id: 128, pressed: true, value: 127 }, 'pad one');
    pad({ kind: 'button', id: 129, pressed: true, value: 127 }, 'pad two');
    expect(fired()).toEqual([]);
  });
});

describe('GamepadAnalogStick', () => {
  it('fires when the stick leaves its rest zone, once per push, by direction (+ = Clockwise = right/up)', () => {
    const { pad, fired, triggers } = single(
      on('right', { type: 'GamepadAnalogStick', axis: 128, direction: 'Clockwise' }),
      on('left', { type: 'GamepadAnalogStick', axis: 128, direction: 'CounterClockwise' }),
      on('any Y', { type: 'GamepadAnalogStick', axis: 129 }),
    );
    for (const value of [0.05, 0.5, 0.9, 0.95, 0.02, 0.6, -0.7, -0.09]) pad({ kind: 'axis', id: 128, value });
    pad({ kind: 'axis', id: 129, value: -0.8 });
    pad({ kind: 'axis', id: 129, value: 0.8 });
    expect(fired()).toEqual(['right', 'right', 'left', 'any Y', 'any Y']);
    expect(triggers()[2]?.context).toMatchObject({ trigger: 'GamepadAnalogStick', axis: 128, direction: 'CounterClockwise', value: -0.7 });
  });
});

describe('GamepadTrigger', () => {
  it('fires when the trigger rises to its threshold (default 64), again only after falling below it', () => {
    const { pad, fired } = single(on('RT', { type: 'GamepadTrigger', trigger: 133 }), on('LT light', { type: 'GamepadTrigger', trigger: 132, threshold: 10 }));
    for (const value of [10, 63, 64, 127, 70, 20, 90]) pad({ kind: 'trigger', id: 133, value });
    pad({ kind: 'trigger', id: 132, value: 10 });
    expect(fired()).toEqual(['RT', 'RT', 'LT light']);
  });
});

describe('MIDI and gamepads side by side', () => {
  it('a gamepad id never matches a MIDI note mapping, nor a note a gamepad mapping', () => {
    const { press, fired, engine: e, clock } = single(on('note 60', { type: 'Note', note: 60 }), on('A', { type: 'GamepadButton', button: 128 }));
    press(128);
    e.handle({ deviceId: 'pads', message: { type: 'noteOn', channel: 0, note: 60, velocity: 100 }, timestamp: clock.now() });
    expect(fired()).toEqual(['A', 'note 60']);
  });
});
