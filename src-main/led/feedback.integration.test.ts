// LED feedback on a real Core with its services and the virtual controller: under `reactive` the mode's pads rest in
// the mode colour, a pressed pad sends its velocity band's note-on to the virtual output and the UI's light feed shows
// it, then it fades back; a mode change recolours; a config reload to "off" darkens; stop turns the lights off.
import { afterEach, describe, expect, it } from 'vitest';
import type { ContractEvent, VirtualLightChange } from '../../src-shared/contract';
import type { MidiOutputRecord } from '../../src-shared/midi';
import { startTestCore, type TestCore } from '../services/test-support/test-core';

const CONFIG = `[device]
led_feedback = true

[led_settings]
scheme = "reactive"

[[modes]]
name = "Default"
color = "blue"
led_idle_brightness = 96

[[modes.mappings]]
trigger = { Note = { note = 36 } }
action = { Delay = { ms = 1 } }

[[modes.mappings]]
description = "to Edit"
trigger = { Note = { note = 37 } }
action = { ModeChange = { mode = "Edit" } }

[[modes]]
name = "Edit"
color = "#00FF00"
led_scheme = "static"
led_idle_brightness = 255

[[modes.mappings]]
trigger = { Note = { note = 40 } }
action = { Delay = { ms = 1 } }
`;

let t: TestCore | null = null;
afterEach(async () => {
  await t?.stop();
  t = null;
});

/** Resolves once `check` holds, re-checking every 10 ms (generous deadline; never depends on the machine's speed). */
async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('LED feedback on a real core', () => {
  it('reactive: rest in the mode colour, a press lights its velocity band on the virtual output and the light feed, then fades back', async () => {
    t = await startTestCore({ configText: CONFIG });
    const { core, services } = t;
    const device = core.devices.virtualDevice;
    const feed: VirtualLightChange[] = [];
    services.onDidEmitEvent((e: ContractEvent) => {
      if (e.event === 'virtual.didChangeLight') feed.push(e.payload);
    });
    const received: MidiOutputRecord[] = [];
    device.onDidReceive((r) => received.push(r));

    // At rest: the mode's pads (36, 37) in dim blue (palette 47), nothing else.
    await until(() => device.padLight(36) === 47 && device.padLight(37) === 47, 'the resting colour');
    expect(device.padLights()).toEqual({ 36: 47, 37: 47 });

    device.pressPad(36, 110); // hard: red (palette 5)
    await until(() => device.padLight(36) === 5, 'the press to light pad 36 red');
    expect(received.some((r) => r.bytes[0] === 0x90 && r.bytes[1] === 36 && r.bytes[2] === 5)).toBe(true);
    await until(() => feed.some((c) => c.note === 36 && c.velocity === 5), 'the light feed to show it');

    device.releasePad(36);
    await until(() => device.padLight(36) === 47, 'the fade back to the mode colour');
    const steps = received.filter((r) => r.bytes[1] === 36).map((r) => r.bytes[2]);
    expect(steps.length).toBeGreaterThan(3); // faded in steps

    // ModeChange to Edit: its pads (40) static green at full brightness; Default's pads go dark.
    device.pressPad(37, 60);
    device.releasePad(37);
    await until(() => device.padLight(40) === 25 && device.padLight(36) === 0, "the Edit mode's colours");
    expect(core.engine.currentMode).toBe('Edit');

    // A reload with LED feedback off turns the lights off.
    const config = core.config.config;
    await core.config.save({ ...config, device: { ...config.device, ledFeedback: false } });
    await until(() => Object.keys(device.padLights()).length === 0, 'the lights to go off after the reload');
  });

  it('stop turns every light it lit off; without led_feedback or [led_settings] nothing is sent', async () => {
    t = await startTestCore({ configText: CONFIG });
    const device = t.core.devices.virtualDevice;
    await until(() => device.padLight(36) === 47, 'the resting colour');
    await t.stop();
    expect(device.padLights()).toEqual({});
    t = await startTestCore({ configText: CONFIG.replace('led_feedback = true', '').replace('[led_settings]\nscheme = "reactive"', '') });
    const plain = t.core.devices.virtualDevice;
    plain.pressPad(36, 100);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(plain.received).toEqual([]);
  });
});
