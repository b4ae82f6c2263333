// LED feedback in config.toml: `[device] led_feedback`, `[led_settings]` (+ `.midi`) and a mode's LED keys read with
// Conductor's names, wrong values reported at their paths, and read → write → read (whole file and patched save) the same.
import { describe, expect, it } from 'vitest';
import type { AppConfig } from '../../src-shared/config';
import { configSaveText } from './preserve';
import { parseConfigText } from './schema';
import { serializeConfig } from './write';
import { parseToml } from '../fs/toml-file';

function read(text: string): AppConfig {
  const { config, issues } = parseConfigText(text);
  expect(issues).toEqual([]);
  if (!config) throw new Error('no config');
  return config;
}

const CONDUCTOR = `[device]
name = "Mikro"
led_feedback = true

[led_settings]
scheme = "reactive"
brightness = 200
fade_time_ms = 1000

[led_settings.midi]
note_offset = -36
channel = 2
on_velocity = 127
off_velocity = 0

[led_settings.reactive]
soft_color = { r = 0, g = 255, b = 0 }

[[modes]]
name = "Default"
color = "blue"
led_idle_brightness = 20
led_active_brightness = 255

[[modes.mappings]]
trigger = { type = "Note", note = 36 }
action = { type = "Text", text = "a" }

[[modes]]
name = "Show"
color = "#FF8800"
led_scheme = "rainbow"
`;

describe('LED settings in config.toml', () => {
  it("reads Conductor's [device] led_feedback, [led_settings], [led_settings.midi] and the modes' LED keys", () => {
    const config = read(CONDUCTOR);
    expect(config.device.ledFeedback).toBe(true);
    expect(config.device.extra).toBeUndefined();
    expect(config.led).toEqual({
      scheme: 'reactive',
      brightness: 200,
      midi: { noteOffset: -36, channel: 2, onVelocity: 127, offVelocity: 0 },
      reactive: { softColor: { r: 0, g: 255, b: 0 } },
      extra: { fade_time_ms: 1000 },
    });
    expect(config.extra).toBeUndefined();
    expect(config.modes[0]?.led).toEqual({ idleBrightness: 20, activeBrightness: 255 });
    expect(config.modes[0]?.extra).toBeUndefined();
    expect(config.modes[1]?.led).toEqual({ scheme: 'rainbow' });
  });

  it("reads Conductor's { r, g, b } colour tables: a mode's color and [led_settings.reactive]; writes them back as tables", () => {
    const text = `[led_settings.reactive]
soft_color = { r = 0, g = 0, b = 255 }
hard_color = { r = 255, g = 0, b = 255 }
fade_duration_ms = 300
fade_steps = 10

[[modes]]
name = "Default"
color = { r = 128, g = 64, b = 200 }

[[modes]]
name = "Named"
color = "purple"
`;
    const config = read(text);
    expect(config.modes.map((m) => [m.color, m.colorForm])).toEqual([
      ['#8040C8', 'rgb'],
      ['purple', undefined],
    ]);
    expect(config.led?.reactive).toEqual({ softColor: { r: 0, g: 0, b: 255 }, hardColor: { r: 255, g: 0, b: 255 }, fadeDurationMs: 300, extra: { fade_steps: 10 } });
    const written = serializeConfig(config);
    expect(written).toContain('color = { r = 128, g = 64, b = 200 }');
    expect(written).toMatch(/\[led_settings\.reactive\]\nsoft_color = \{ r = 0, g = 0, b = 255 \}\nhard_color = \{ r = 255, g = 0, b = 255 \}\nfade_duration_ms = 300\n/);
    expect(written).toContain('color = "purple"');
    expect(read(written)).toEqual(config);
    // A colour chosen in the app as a name is written as a name; as "#RRGGBB", still as the file's table.
    const renamed: AppConfig = { ...config, modes: config.modes.map((m, i) => (i === 0 ? { ...m, color: 'red' } : m)) };
    expect(serializeConfig(renamed)).toMatch(/name = "Default"\ncolor = "red"/);
    const rehexed: AppConfig = { ...config, modes: config.modes.map((m, i) => (i === 0 ? { ...m, color: '#FF8800' } : m)) };
    expect(serializeConfig(rehexed)).toContain('color = { r = 255, g = 136, b = 0 }');
  });

  it("a save that adds reactive colours or changes a table colour writes them inline in the user's file", () => {
    const text = `# mine\n[led_settings]\nscheme = "reactive"\n\n[[modes]]\nname = "A"\ncolor = { r = 1, g = 2, b = 3 }\n`;
    const before = read(text);
    const after: AppConfig = {
      ...before,
      led: { ...before.led, reactive: { softColor: { r: 0, g: 0, b: 255 }, fadeDurationMs: 500 } },
      modes: before.modes.map((m) => ({ ...m, color: '#FF8800' })),
    };
    const expectedText = serializeConfig(after);
    const saved = configSaveText({ text, config: before }, { text: expectedText, doc: parseToml('config.toml', expectedText), config: after });
    expect(saved.fallback).toBeNull();
    expect(saved.text).toContain('# mine');
    expect(saved.text).toContain('color = { r = 255, g = 136, b = 0 }');
    expect(saved.text).toMatch(/\[led_settings\.reactive\]\r?\nsoft_color = \{ r = 0, g = 0, b = 255 \}\r?\nfade_duration_ms = 500/);
    expect(read(saved.text)).toEqual(after);
  });

  it('a colour table that is not r, g, b 0–255 is an issue at its place', () => {
    const text = `[led_settings.reactive]
soft_color = { r = 0, g = 300, b = 0 }
medium_color = "yellow"
fade_duration_ms = -5

[[modes]]
name = "A"
color = { r = 1, g = 2 }
`;
    const issues = parseConfigText(text).issues.map((i) => `${i.path} @${i.line}: ${i.message}`);
    expect(issues).toEqual([
      'led_settings.reactive.soft_color.g @2: expected 0–255, got 300',
      'led_settings.reactive.medium_color @3: expected a colour table like { r = 0, g = 255, b = 0 }, got "yellow"',
      'led_settings.reactive.fade_duration_ms @4: expected 0–60000, got -5',
      'modes[0].color.b @8: missing required field',
    ]);
  });

  it('leaves everything out when the file has no LED keys', () => {
    const config = read('[[modes]]\nname = "Default"\n');
    expect(config.led).toBeUndefined();
    expect(config.device.ledFeedback).toBeUndefined();
    expect(config.modes[0]?.led).toBeUndefined();
    const text = serializeConfig(config);
    expect(text).not.toMatch(/led/);
  });

  it('reports wrong values at their paths', () => {
    const text = `[device]
led_feedback = "yes"

[led_settings]
scheme = "rainbw"
brightness = 300

[led_settings.midi]
channel = 16
note_offset = 200

[[modes]]
name = "A"
led_scheme = "glitter"
led_idle_brightness = -1
`;
    const issues = parseConfigText(text).issues.map((i) => `${i.path} @${i.line}: ${i.message}`);
    expect(issues).toEqual([
      'device.led_feedback @2: expected true or false, got "yes"',
      'led_settings.scheme @5: expected one of "off", "static", "reactive", "rainbow", "pulse", "breathing", "wave", "sparkle", "vumeter", "spiral", got "rainbw"; did you mean "rainbow"?',
      'led_settings.brightness @6: expected 0–255, got 300',
      'led_settings.midi.channel @9: expected 0–15, got 16',
      'led_settings.midi.note_offset @10: expected -127–127, got 200',
      'modes[0].led_scheme @14: expected one of "off", "static", "reactive", "rainbow", "pulse", "breathing", "wave", "sparkle", "vumeter", "spiral", got "glitter"',
      'modes[0].led_idle_brightness @15: expected 0–255, got -1',
    ]);
    expect(parseConfigText('led_settings = 3\n').issues.map((i) => i.message)).toEqual(['expected a table ([led_settings]), got 3']);
  });

  it('read → write → read gives the same config, Conductor keys and unknown LED keys included', () => {
    const config = read(CONDUCTOR);
    const text = serializeConfig(config);
    expect(text).toContain('led_feedback = true');
    expect(text).toMatch(/\[led_settings\]\nscheme = "reactive"\nbrightness = 200\nfade_time_ms = 1000\n/);
    expect(text).toMatch(/\[led_settings\.midi\]\nnote_offset = -36\nchannel = 2\non_velocity = 127\noff_velocity = 0\n/);
    expect(text).toContain('led_scheme = "rainbow"');
    expect(read(text)).toEqual(config);
  });

  it('an empty [led_settings] stays a table of its own', () => {
    const config = read('[led_settings]\n\n[[modes]]\nname = "A"\n');
    expect(config.led).toEqual({});
    expect(read(serializeConfig(config))).toEqual(config);
  });

  it("a save that changes the scheme edits only that line of the user's file", () => {
    const before = read(CONDUCTOR);
    const after: AppConfig = { ...before, led: { ...before.led, scheme: 'breathing' }, modes: before.modes.map((m, i) => (i === 0 ? { ...m, led: { ...m.led, idleBrightness: 40 } } : m)) };
    const expectedText = serializeConfig(after);
    const saved = configSaveText({ text: CONDUCTOR, config: before }, { text: expectedText, doc: parseToml('config.toml', expectedText), config: after });
    expect(saved.fallback).toBeNull();
    expect(saved.text).toBe(CONDUCTOR.replace('scheme = "reactive"', 'scheme = "breathing"').replace('led_idle_brightness = 20', 'led_idle_brightness = 40'));
    expect(read(saved.text)).toEqual(after);
  });
});
