// Game controllers reported by the app window, on a real Core through the real services (the contract's dispatch):
// a press fires its GamepadButton mapping, the input shows as `gamepad` engine events (a stick once per step), MIDI-learn
// hears it, and with window input off the same report is refused and fires nothing.
import { afterEach, describe, expect, it } from 'vitest';
import type { LearnEvent } from '../../src-shared/contract';
import type { EngineEvent } from '../../src-shared/engine';
import { startTestCore, type TestCore } from '../services/test-support/test-core';

const CONFIG = `[[modes]]
name = "Default"

[[modes.mappings]]
trigger = { type = "GamepadButton", button = 128 }
action = { type = "ModeChange", mode = "Game" }

[[modes]]
name = "Game"
`;

let t: TestCore | null = null;
afterEach(async () => {
  await t?.stop();
  t = null;
});

const PAD = 'Xbox Wireless Controller (STANDARD GAMEPAD Vendor: 045e Product: 02fd)';

function events(core: TestCore['core']): EngineEvent[] {
  const seen: EngineEvent[] = [];
  core.engine.onDidEngineEvent((e) => seen.push(e));
  return seen;
}

describe('game controllers from the app window', () => {
  it('a press fires its mapping; input shows as gamepad events, a stick only per step', async () => {
    t = await startTestCore({ configText: CONFIG, core: { gamepads: false, windowGamepads: true } });
    const { core, services } = t;
    const seen = events(core);
    expect(await services.dispatch('gamepads.state', [])).toEqual({ windowInput: true, controllers: [] });

    const reply = await services.dispatch('gamepads.input', [{ index: 0, name: PAD, connected: true, inputs: [{ kind: 'button', id: 128, pressed: true, value: 127 }] }]);
    expect(reply).toEqual({ ok: true });
    expect(core.engine.currentMode).toBe('Game');
    expect(seen.find((e) => e.kind === 'gamepad')).toMatchObject({ event: { deviceId: `gamepad:window0 ${PAD}`, input: { kind: 'button', id: 128, pressed: true } } });
    expect(seen.find((e) => e.kind === 'mode-change')).toMatchObject({ to: 'Game' });
    expect(await services.dispatch('gamepads.state', [])).toEqual({ windowInput: true, controllers: [{ id: `gamepad:window0 ${PAD}`, name: PAD, source: 'window' }] });

    // A stick swept in small moves: its first value, then only where it enters another quarter of its travel.
    const sweep = Array.from({ length: 50 }, (_, i) => ({ kind: 'axis' as const, id: 128, value: (i + 1) / 50 }));
    await services.dispatch('gamepads.input', [{ index: 0, name: PAD, connected: true, inputs: sweep }]);
    const stick = seen.filter((e) => e.kind === 'gamepad' && e.event.input.kind === 'axis');
    expect(stick.map((e) => (e.kind === 'gamepad' ? e.event.input.value : null))).toEqual([0.02, 0.14, 0.38, 0.64, 0.88]);
  });

  it('MIDI-learn hears a window button', async () => {
    t = await startTestCore({ configText: CONFIG, core: { gamepads: false, windowGamepads: true } });
    const { services } = t;
    const learned = new Promise<LearnEvent>((resolve) => {
      services.onDidEmitEvent((e) => {
        if (e.event === 'learn.didChange' && e.payload.kind === 'learned') resolve(e.payload);
      });
    });
    await services.dispatch('learn.start', []);
    await services.dispatch('gamepads.input', [{ index: 2, name: PAD, connected: true, inputs: [{ kind: 'button', id: 131, pressed: true, value: 127 }] }]);
    expect(await learned).toMatchObject({ kind: 'learned', result: { trigger: { type: 'GamepadButton', button: 131 }, deviceId: `gamepad:window2 ${PAD}` } });
  });

  it('is refused and fires nothing when window input is off', async () => {
    t = await startTestCore({ configText: CONFIG, core: { gamepads: false, windowGamepads: false } });
    const { core, services } = t;
    const seen = events(core);
    expect(await services.dispatch('gamepads.state', [])).toEqual({ windowInput: false, controllers: [] });
    const reply = (await services.dispatch('gamepads.input', [{ index: 0, name: PAD, connected: true, inputs: [{ kind: 'button', id: 128, pressed: true, value: 127 }] }])) as { ok: boolean };
    expect(reply.ok).toBe(false);
    expect(core.engine.currentMode).toBe('Default');
    expect(seen.filter((e) => e.kind === 'gamepad' || e.kind === 'trigger')).toEqual([]);
  });
});
