// The window's Gamepad API in Conductor's ids: the W3C standard mapping, other mappings, the diff between polls, and
// gamepad input in words (the joydev cross-check is in src-main/gamepad/window-source.test.ts: src-shared imports no main).
import { describe, expect, it } from 'vitest';
import { describeGamepadInput, gamepadInputStep, type GamepadInput } from './gamepad';
import { diffPadState, padState, quantizeAxis, REST_STATE, type PadSnapshot } from './gamepad-standard';

/** A standard pad at rest (17 buttons, 4 axes) with the given buttons pressed (index → value) and axes set. */
function pad(pressed: Record<number, number> = {}, axes: number[] = [0, 0, 0, 0], mapping = 'standard'): PadSnapshot {
  return {
    mapping,
    buttons: Array.from({ length: 17 }, (_, i) => ({ pressed: (pressed[i] ?? 0) > 0.1, value: pressed[i] ?? 0 })),
    axes,
  };
}

const press = (index: number, m = 'standard'): GamepadInput[] => diffPadState(padState(pad({}, undefined, m)), padState(pad({ [index]: 1 }, undefined, m)));

describe('the standard mapping', () => {
  it('gives every standard button its Conductor id', () => {
    const ids = [0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13, 14, 15, 16].map((i) => press(i)[0]);
    expect(ids.map((i) => (i?.kind === 'button' ? i.id : null))).toEqual([128, 129, 130, 131, 136, 137, 141, 140, 138, 139, 132, 133, 134, 135, 142]);
    expect(press(0)).toEqual([{ kind: 'button', id: 128, pressed: true, value: 127 }]);
  });

  it('reads the analog triggers as 0–127, and their digital buttons past half', () => {
    const before = padState(pad());
    const light = padState(pad({ 6: 0.25 }));
    expect(diffPadState(before, light)).toEqual([{ kind: 'trigger', id: 132, value: 32 }]);
    const hard = padState(pad({ 6: 0.25, 7: 0.9 }));
    expect(diffPadState(light, hard)).toEqual([
      { kind: 'button', id: 144, pressed: true, value: 114 },
      { kind: 'trigger', id: 133, value: 114 },
    ]);
    expect(diffPadState(hard, before)).toEqual([
      { kind: 'button', id: 144, pressed: false, value: 0 },
      { kind: 'trigger', id: 132, value: 0 },
      { kind: 'trigger', id: 133, value: 0 },
    ]);
  });
});

describe('other mappings', () => {
  it('button n → 128 + n, axes 0–3 → 128–131 with up = +', () => {
    expect(press(0, '')).toEqual([{ kind: 'button', id: 128, pressed: true, value: 127 }]);
    expect(press(6, '')).toEqual([{ kind: 'button', id: 134, pressed: true, value: 127 }]);
    expect(press(16, '')).toEqual([{ kind: 'button', id: 144, pressed: true, value: 127 }]);
    expect(diffPadState(REST_STATE, padState(pad({}, [0.5, 0.5, -1, 1, 0.9], '')))).toEqual([
      { kind: 'axis', id: 128, value: 0.5 },
      { kind: 'axis', id: 129, value: -0.5 },
      { kind: 'axis', id: 130, value: -1 },
      { kind: 'axis', id: 131, value: -1 },
    ]);
  });
});

describe('the diff between polls', () => {
  it('sends nothing when nothing changed, and no jitter inside the dead zone or below a step', () => {
    expect(diffPadState(padState(pad({ 0: 1 })), padState(pad({ 0: 1 })))).toEqual([]);
    expect(diffPadState(padState(pad({}, [0.03, -0.05, 0, 0])), padState(pad({}, [0.08, 0.02, 0, 0])))).toEqual([]);
    expect(diffPadState(padState(pad({}, [0.5, 0, 0, 0])), padState(pad({}, [0.505, 0, 0, 0])))).toEqual([]);
    expect(diffPadState(padState(pad({}, [0.5, 0, 0, 0])), padState(pad({}, [0.56, 0, 0, 0])))).toEqual([{ kind: 'axis', id: 128, value: 0.56 }]);
  });

  it('sends a stick back in the dead zone once as 0, and releases before presses', () => {
    const pushed = padState(pad({ 0: 1 }, [0.9, 0, 0, 0]));
    expect(diffPadState(pushed, padState(pad({ 1: 1 }, [0.04, 0, 0, 0])))).toEqual([
      { kind: 'button', id: 128, pressed: false, value: 0 },
      { kind: 'button', id: 129, pressed: true, value: 127 },
      { kind: 'axis', id: 128, value: 0 },
    ]);
    expect(diffPadState(pushed, REST_STATE)).toEqual([
      { kind: 'button', id: 128, pressed: false, value: 0 },
      { kind: 'axis', id: 128, value: 0 },
    ]);
  });

  it('clamps and cleans values a browser should never give', () => {
    expect(quantizeAxis(Number.NaN)).toBe(0);
    expect(quantizeAxis(7)).toBe(1);
    expect(quantizeAxis(-0.333)).toBe(-0.34);
    expect(padState({ mapping: 'standard', buttons: [{ pressed: true, value: Number.POSITIVE_INFINITY }], axes: [] }).buttons.get(128)).toBe(1);
  });
});

describe('in words, and in steps for the event console', () => {
  it('describes each kind', () => {
    expect(describeGamepadInput({ kind: 'button', id: 128, pressed: true, value: 127 })).toBe('South (A / Cross) down');
    expect(describeGamepadInput({ kind: 'axis', id: 129, value: -0.75 })).toBe('left stick Y down 0.75');
    expect(describeGamepadInput({ kind: 'axis', id: 130, value: 0.02 })).toBe('right stick X centred');
    expect(describeGamepadInput({ kind: 'trigger', id: 133, value: 90 })).toBe('right trigger (R2 / RT) 90');
  });

  it('steps a stick by quarters and a trigger by 32; a button has none', () => {
    expect([0.05, 0.2, 0.4, -0.6, 1].map((value) => gamepadInputStep({ kind: 'axis', id: 128, value }))).toEqual([0, 1, 2, -2, 4]);
    expect([0, 20, 64, 127].map((value) => gamepadInputStep({ kind: 'trigger', id: 132, value }))).toEqual([0, 1, 2, 4]);
    expect(gamepadInputStep({ kind: 'button', id: 128, pressed: true, value: 127 })).toBeNull();
  });
});
