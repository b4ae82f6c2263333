// The window's game controllers in main: the report check at the contract's boundary (parseCall, the real schema), the
// source's own clamping, slots and rate limit, and that the window and joydev give one physical control the same id.
import { describe, expect, it } from 'vitest';
import { InvalidRequestError, parseCall } from '../../src-shared/contract';
import type { GamepadEvent, GamepadInput } from '../../src-shared/gamepad';
import { diffPadState, padState, REST_STATE, type PadSnapshot } from '../../src-shared/gamepad-standard';
import { ManualClock } from '../common/test-support/manual-clock';
import { JoydevTranslator, PLAYSTATION_LAYOUT, XBOX_LAYOUT } from './joydev';
import { MAX_INPUTS_PER_REPORT, WindowGamepadSource } from './window-source';

function pad(pressed: Record<number, number> = {}, axes: number[] = [0, 0, 0, 0]): PadSnapshot {
  return { mapping: 'standard', buttons: Array.from({ length: 17 }, (_, i) => ({ pressed: (pressed[i] ?? 0) > 0.1, value: pressed[i] ?? 0 })), axes };
}
const press = (index: number): GamepadInput[] => diffPadState(padState(pad()), padState(pad({ [index]: 1 })));

function source(maxReportsPerSecond?: number): { src: WindowGamepadSource; seen: GamepadEvent[]; changes: () => number; clock: ManualClock } {
  const clock = new ManualClock();
  const src = new WindowGamepadSource({ clock, ...(maxReportsPerSecond ? { maxReportsPerSecond } : {}) });
  const seen: GamepadEvent[] = [];
  let changed = 0;
  src.onDidGamepad((e) => seen.push(e));
  src.onDidChangeControllers(() => changed++);
  return { src, seen, changes: () => changed, clock };
}

const A_DOWN: GamepadInput = { kind: 'button', id: 128, pressed: true, value: 127 };

describe('a report at the boundary (the contract schema)', () => {
  const ok = (report: unknown) => parseCall('gamepads.input', [report]);
  const refused = (report: unknown) => expect(() => ok(report)).toThrow(InvalidRequestError);

  it('lets a well-formed report through', () => {
    expect(ok({ index: 0, name: 'Pad', connected: true, inputs: [A_DOWN, { kind: 'axis', id: 129, value: -0.5 }, { kind: 'trigger', id: 133, value: 64 }] }).args).toHaveLength(1);
  });

  it('refuses ids outside their kind, values that are not numbers, slots past 15, big batches and extra fields', () => {
    refused({ index: 0, name: 'Pad', connected: true, inputs: [{ kind: 'button', id: 127, pressed: true, value: 127 }] });
    refused({ index: 0, name: 'Pad', connected: true, inputs: [{ kind: 'axis', id: 132, value: 0 }] });
    refused({ index: 0, name: 'Pad', connected: true, inputs: [{ kind: 'trigger', id: 131, value: 0 }] });
    refused({ index: 0, name: 'Pad', connected: true, inputs: [{ kind: 'axis', id: 128, value: Number.NaN }] });
    refused({ index: 0, name: 'Pad', connected: true, inputs: [{ kind: 'axis', id: 128, value: Number.POSITIVE_INFINITY }] });
    refused({ index: 0, name: 'Pad', connected: true, inputs: [{ kind: 'hat', id: 128, value: 1 }] });
    refused({ index: 16, name: 'Pad', connected: true, inputs: [] });
    refused({ index: 0, name: 'x'.repeat(513), connected: true, inputs: [] });
    refused({ index: 0, name: 'Pad', connected: true, inputs: Array.from({ length: MAX_INPUTS_PER_REPORT + 1 }, () => A_DOWN) });
    refused({ index: 0, name: 'Pad', connected: true, inputs: [], extra: 1 });
  });
});

describe('the window source', () => {
  it('fires the inputs with the controller as device, and lists it until it is gone', () => {
    const { src, seen, changes } = source();
    expect(src.report({ index: 1, name: 'Xbox Wireless Controller (STANDARD GAMEPAD)', connected: true, inputs: [A_DOWN] })).toEqual({ ok: true });
    expect(seen).toEqual([{ deviceId: 'gamepad:window1 Xbox Wireless Controller (STANDARD GAMEPAD)', input: A_DOWN, timestamp: 1_700_000_000_000 }]);
    expect(src.controllers).toEqual([{ id: 'gamepad:window1 Xbox Wireless Controller (STANDARD GAMEPAD)', index: 1, name: 'Xbox Wireless Controller (STANDARD GAMEPAD)' }]);
    expect(changes()).toBe(1);
    src.report({ index: 1, name: 'Xbox Wireless Controller (STANDARD GAMEPAD)', connected: false, inputs: [{ kind: 'button', id: 128, pressed: false, value: 0 }] });
    expect(seen.at(-1)?.input).toEqual({ kind: 'button', id: 128, pressed: false, value: 0 });
    expect(src.controllers).toEqual([]);
    expect(changes()).toBe(2);
  });

  it('clamps values, drops ids of the wrong kind, and cleans the name', () => {
    const { src, seen } = source();
    src.report({
      index: 0,
      name: '  Evil\u001b[31m\nPad\u0007 ',
      connected: true,
      inputs: [
        { kind: 'axis', id: 128, value: 5 },
        { kind: 'trigger', id: 132, value: -3 },
        { kind: 'button', id: 130, pressed: true, value: 900.4 },
        { kind: 'button', id: 131, pressed: false, value: 50 },
        { kind: 'axis', id: 140, value: 0 },
        { kind: 'button', id: 300, pressed: true, value: 1 },
      ],
    });
    expect(seen.map((e) => e.input)).toEqual([
      { kind: 'axis', id: 128, value: 1 },
      { kind: 'trigger', id: 132, value: 0 },
      { kind: 'button', id: 130, pressed: true, value: 127 },
      { kind: 'button', id: 131, pressed: false, value: 0 },
    ]);
    expect(seen[0]?.deviceId).toBe('gamepad:window0 Evil [31m Pad');
  });

  it('refuses a slot out of range, too many inputs, and reports past the rate limit', async () => {
    const { src, seen, clock } = source(3);
    expect(src.report({ index: 99, name: 'Pad', connected: true, inputs: [A_DOWN] }).ok).toBe(false);
    expect(src.report({ index: 0, name: 'Pad', connected: true, inputs: Array.from({ length: MAX_INPUTS_PER_REPORT + 1 }, () => A_DOWN) }).ok).toBe(false);
    expect(seen).toEqual([]);
    for (let i = 0; i < 3; i++) expect(src.report({ index: 0, name: 'Pad', connected: true, inputs: [A_DOWN] }).ok).toBe(true);
    expect(src.report({ index: 0, name: 'Pad', connected: true, inputs: [A_DOWN] })).toEqual({ ok: false, error: 'too many game controller reports; slow down' });
    expect(seen).toHaveLength(3);
    await clock.advance(1000);
    expect(src.report({ index: 0, name: 'Pad', connected: true, inputs: [A_DOWN] }).ok).toBe(true);
  });

  it('treats another name in a slot as another controller', () => {
    const { src, changes } = source();
    src.report({ index: 0, name: 'One', connected: true, inputs: [] });
    src.report({ index: 0, name: 'Two', connected: true, inputs: [] });
    expect(src.controllers.map((c) => c.id)).toEqual(['gamepad:window0 Two']);
    expect(changes()).toBe(2);
  });

  it('says so after dispose', () => {
    const { src } = source();
    src.dispose();
    expect(src.report({ index: 0, name: 'Pad', connected: true, inputs: [A_DOWN] }).ok).toBe(false);
  });
});

describe('the same ids as joydev', () => {
  it('matches the joydev numbering for the same physical controls', () => {
    // Xbox through xpad: A B X Y LB RB Back Start Guide L3 R3 are joydev buttons 0–10.
    const xbox = new JoydevTranslator(XBOX_LAYOUT);
    const joydev = (n: number) => xbox.translate({ timeMs: 0, type: 'button', number: n, value: 1, initial: false })[0];
    const standardIndexOfXpad = [0, 1, 2, 3, 4, 5, 8, 9, 16, 10, 11];
    standardIndexOfXpad.forEach((std, n) => expect(press(std)[0], `xpad button ${n}`).toEqual(joydev(n)));
    // PlayStation: Cross Circle Triangle Square → standard bottom right top left.
    const ps = new JoydevTranslator(PLAYSTATION_LAYOUT);
    const psButton = (n: number) => ps.translate({ timeMs: 0, type: 'button', number: n, value: 1, initial: false })[0];
    expect([0, 1, 3, 2].map((std) => press(std)[0])).toEqual([0, 1, 2, 3].map(psButton));
    // The D-pad hat: up (axis 7 −) is standard 12, left (axis 6 −) is standard 14.
    const hat = (axis: number, value: number) => new JoydevTranslator(XBOX_LAYOUT).translate({ timeMs: 0, type: 'axis', number: axis, value, initial: false })[0];
    expect(press(12)[0]).toEqual(hat(7, -32767));
    expect(press(13)[0]).toEqual(hat(7, 32767));
    expect(press(14)[0]).toEqual(hat(6, -32767));
    expect(press(15)[0]).toEqual(hat(6, 32767));
    // Sticks: pushed up is + in both (joydev −32767 on axis 1, the API −1 on axis 1).
    const stickUp = diffPadState(REST_STATE, padState(pad({}, [0, -1, 0, 0])));
    expect(stickUp).toEqual([{ kind: 'axis', id: 129, value: 1 }]);
    expect(xbox.translate({ timeMs: 0, type: 'axis', number: 1, value: -32767, initial: false })).toEqual(stickUp);
  });

});
