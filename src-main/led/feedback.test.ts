// LedFeedback over a real DeviceManager with stand-in OS ports: the connected device's output gets its layout's codes
// (APC mini), a device no layout knows gets on_velocity / off_velocity, a device plugged in later is lit too, and the
// config's defaults, mode overrides and pads resolve as docs/led.md says.
import { afterEach, describe, expect, it } from 'vitest';
import type { AppConfig } from '../../src-shared/config';
import { ManualClock } from '../common/test-support/manual-clock';
import { parseConfigText } from '../config/schema';
import { TrackedManagers, config as deviceConfig } from '../midi/test-support/manager-harness';
import { ledFeedbackEnabled } from '../../src-shared/config';
import { LedFeedback, resolveLedState } from './feedback';

const managers = new TrackedManagers();
afterEach(() => managers.disposeAll());

function read(text: string): AppConfig {
  const { config, issues } = parseConfigText(text);
  expect(issues).toEqual([]);
  if (!config) throw new Error('no config');
  return config;
}

const CONFIG = `[device]
led_feedback = true

[led_settings]
scheme = "reactive"

[[modes]]
name = "Default"
led_idle_brightness = 0

[[modes.mappings]]
trigger = { Note = { note = 36 } }
action = { Delay = { ms = 1 } }

[[modes]]
name = "Chords"
color = "red"
led_scheme = "pulse"

[[modes.mappings]]
trigger = { NoteChord = { notes = [48, 52] } }
action = { Delay = { ms = 1 } }

[[global_mappings]]
trigger = { CC = { cc = 7 } }
action = { Delay = { ms = 1 } }

[[global_mappings]]
trigger = { LongPress = { note = 44 } }
action = { Delay = { ms = 1 } }
`;

describe('LED feedback settings', () => {
  it('resolves defaults, the mode colour and scheme override, and the pads from the mode and global mappings', () => {
    const config = read(CONFIG);
    expect(ledFeedbackEnabled(config)).toBe(true);
    const def = resolveLedState(config, 'Default');
    expect(def).toMatchObject({ scheme: 'reactive', brightness: 255, colour: [255, 255, 255], idleBrightness: 0, activeBrightness: 255, pads: [36, 44], channel: 0, noteOffset: 0, onVelocity: 127, offVelocity: 0 });
    expect(resolveLedState(config, 'Chords')).toMatchObject({ scheme: 'pulse', colour: [255, 0, 0], idleBrightness: 96, pads: [44, 48, 52] });
    expect(resolveLedState(config, 'Nope').pads).toEqual([36, 44]); // the first mode
    expect(def.bands).toBeUndefined();
    expect(def.fadeMs).toBeUndefined();
  });

  it("[led_settings.reactive] colours and fade, and a mode colour written as Conductor's { r, g, b } table", () => {
    const config = read(`${CONFIG}
[led_settings.reactive]
medium_color = { r = 0, g = 0, b = 255 }
fade_duration_ms = 250
`.replace('name = "Default"', 'name = "Default"\ncolor = { r = 0, g = 100, b = 255 }'));
    const def = resolveLedState(config, 'Default');
    expect(def.colour).toEqual([0, 100, 255]);
    // The colours the file leaves out keep their defaults (soft green, hard red).
    expect(def.bands).toEqual([
      [0, 255, 0],
      [0, 0, 255],
      [255, 0, 0],
    ]);
    expect(def.fadeMs).toBe(250);
  });

  it('on when led_feedback = true, or when [led_settings] is there and led_feedback is not false', () => {
    expect(ledFeedbackEnabled(read('[[modes]]\nname = "A"\n'))).toBe(false);
    expect(ledFeedbackEnabled(read('[led_settings]\nscheme = "static"\n'))).toBe(true);
    expect(ledFeedbackEnabled(read('[device]\nled_feedback = false\n[led_settings]\nscheme = "static"\n'))).toBe(false);
    expect(ledFeedbackEnabled(read('[device]\nled_feedback = true\n'))).toBe(true);
  });
});

describe('LED feedback on device outputs', () => {
  it("a press on an APC mini lights its own pad with the APC mini's code; an unknown device gets on/off velocities; a device plugged in later too", async () => {
    const { manager, os, timers } = managers.harness(deviceConfig(), (os) => {
      os.inputs = ['APC MINI'];
      os.outputs = ['APC MINI'];
    });
    const clock = new ManualClock();
    const leds = new LedFeedback(read(CONFIG), 'Default', { devices: manager, clock, timer: clock });
    expect(os.sent).toEqual([
      { port: 'APC MINI', bytes: [0x90, 36, 0] },
      { port: 'APC MINI', bytes: [0x90, 44, 0] },
    ]);
    os.sent.length = 0;
    await clock.advance(100);
    os.play('APC MINI', [0x90, 36, 100]);
    expect(os.sent).toEqual([{ port: 'APC MINI', bytes: [0x90, 36, 3] }]); // red
    expect(manager.virtualDevice.padLight(36)).toBe(5); // and red on the virtual controller

    // A second device, one no layout knows, plugged in and connected: on/off (pad 36 is still held).
    os.inputs.push('Pads Deluxe');
    os.outputs.push('Pads Deluxe');
    os.sent.length = 0;
    timers.tick();
    expect(manager.connect('hw-in:Pads Deluxe')).toEqual({ ok: true });
    await clock.advance(100);
    expect(os.sent.filter((s) => s.port === 'Pads Deluxe')).toEqual([
      { port: 'Pads Deluxe', bytes: [0x90, 36, 127] },
      { port: 'Pads Deluxe', bytes: [0x90, 44, 0] },
    ]);

    // A mode change: Chords pulses red on 44, 48, 52; 36 goes dark.
    leds.setMode('Chords');
    await clock.advance(100);
    os.sent.length = 0;
    leds.dispose();
    expect(os.sent.every((s) => s.bytes[2] === 0)).toBe(true);
    expect(manager.virtualDevice.padLights()).toEqual({});
  });
});
