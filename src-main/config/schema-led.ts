// LED feedback in config.toml: `[device] led_feedback`, `[led_settings]` (+ `[led_settings.midi]`) and a mode's
// `led_scheme` / `led_idle_brightness` / `led_active_brightness`, read and written as the file has them. Pure — never sends MIDI.
import { LED_SCHEMES, type LedSettingsConfig, type ModeLedConfig, type RgbColour, type TomlValue } from '../../src-shared/config';
import { rgbHex } from '../../src-shared/led-colours';
import { describeValue, Fields, isTable, section, withExtra, type Reader, type Table } from './schema-fields';
import type { ConfigPath } from './source-map';

export const LED_SETTINGS_KEY = 'led_settings';
/** The keys of a `[[modes]]` table this module reads. */
export const MODE_LED_KEYS = ['led_scheme', 'led_idle_brightness', 'led_active_brightness'] as const;
export const DEVICE_LED_KEY = 'led_feedback';

const BRIGHTNESS: readonly [number, number] = [0, 255];
const VELOCITY: readonly [number, number] = [0, 127];
const CHANNEL: readonly [number, number] = [0, 15];
const NOTE_OFFSET: readonly [number, number] = [-127, 127];
/** `fade_duration_ms` of `[led_settings.reactive]`: up to a minute. */
const FADE_MS: readonly [number, number] = [0, 60_000];

/** Conductor's colour table `{ r = 0, g = 255, b = 0 }` (each 0–255, nothing else); undefined (with an issue) when it is not one. */
export function readRgb(r: Reader, value: unknown, path: ConfigPath): RgbColour | undefined {
  if (!isTable(value)) {
    r.fail(path, `expected a colour table like { r = 0, g = 255, b = 0 }, got ${describeValue(value)}`);
    return undefined;
  }
  const f = new Fields(r, value, path);
  const red = f.int('r', BRIGHTNESS, true);
  const green = f.int('g', BRIGHTNESS, true);
  const blue = f.int('b', BRIGHTNESS, true);
  f.rejectRest('a colour', ['r', 'g', 'b']);
  return red === undefined || green === undefined || blue === undefined ? undefined : { r: red, g: green, b: blue };
}

/**
 * A mode's `color`: a name or "#RRGGBB" string, or Conductor's `{ r, g, b }` table (read as "#RRGGBB", `rgb` true so
 * it is written back as a table). Call before the mode's `extra()`.
 */
export function readModeColour(r: Reader, f: Fields): { color: string | null; rgb: boolean } {
  const raw = f.raw('color');
  if (isTable(raw)) {
    const c = readRgb(r, raw, f.at('color'));
    return { color: c === undefined ? null : rgbHex(c), rgb: c !== undefined };
  }
  return { color: f.str('color', false, true) ?? null, rgb: false };
}

/** `[device] led_feedback` (undefined when the file leaves it out). Call before the device's `extra()`. */
export function readDeviceLed(f: Fields): { ledFeedback?: boolean } {
  const v = f.bool(DEVICE_LED_KEY);
  return v === undefined ? {} : { ledFeedback: v };
}

/** A mode's LED keys; undefined when it has none. Call before the mode's `extra()`. */
export function readModeLed(f: Fields): ModeLedConfig | undefined {
  const out: ModeLedConfig = {};
  const scheme = f.oneOf('led_scheme', LED_SCHEMES);
  const idle = f.int('led_idle_brightness', BRIGHTNESS);
  const active = f.int('led_active_brightness', BRIGHTNESS);
  if (scheme !== undefined) out.scheme = scheme;
  if (idle !== undefined) out.idleBrightness = idle;
  if (active !== undefined) out.activeBrightness = active;
  return Object.keys(out).length > 0 ? out : undefined;
}

function readMidi(r: Reader, value: unknown, path: ConfigPath): LedSettingsConfig['midi'] {
  if (value === undefined) return undefined;
  if (!isTable(value)) {
    r.fail(path, `expected a table ([led_settings.midi] with note_offset, channel, on_velocity, off_velocity), got ${describeValue(value)}`);
    return undefined;
  }
  const f = new Fields(r, value, path);
  const midi: NonNullable<LedSettingsConfig['midi']> = {};
  const noteOffset = f.int('note_offset', NOTE_OFFSET);
  const channel = f.int('channel', CHANNEL);
  const onVelocity = f.int('on_velocity', VELOCITY);
  const offVelocity = f.int('off_velocity', VELOCITY);
  if (noteOffset !== undefined) midi.noteOffset = noteOffset;
  if (channel !== undefined) midi.channel = channel;
  if (onVelocity !== undefined) midi.onVelocity = onVelocity;
  if (offVelocity !== undefined) midi.offVelocity = offVelocity;
  return withExtra(midi, f.extra());
}

function readReactive(r: Reader, value: unknown, path: ConfigPath): LedSettingsConfig['reactive'] {
  if (value === undefined) return undefined;
  if (!isTable(value)) {
    r.fail(path, `expected a table ([led_settings.reactive] with soft_color, medium_color, hard_color, fade_duration_ms), got ${describeValue(value)}`);
    return undefined;
  }
  const f = new Fields(r, value, path);
  const reactive: NonNullable<LedSettingsConfig['reactive']> = {};
  for (const [key, field] of [['soft_color', 'softColor'], ['medium_color', 'mediumColor'], ['hard_color', 'hardColor']] as const) {
    const raw = f.raw(key);
    const colour = raw === undefined ? undefined : readRgb(r, raw, f.at(key));
    if (colour !== undefined) reactive[field] = colour;
  }
  const fade = f.int('fade_duration_ms', FADE_MS);
  if (fade !== undefined) reactive.fadeDurationMs = fade;
  return withExtra(reactive, f.extra());
}

/** `[led_settings]`; undefined when the file has none. Unknown keys (Conductor's `[led_settings.transitions]`, …) are kept. */
export function readLedSettings(r: Reader, doc: Table): LedSettingsConfig | undefined {
  if (doc[LED_SETTINGS_KEY] === undefined) return undefined;
  const f = section(r, doc, LED_SETTINGS_KEY);
  const led: LedSettingsConfig = {};
  const scheme = f.oneOf('scheme', LED_SCHEMES);
  const brightness = f.int('brightness', BRIGHTNESS);
  const midi = readMidi(r, f.raw('midi'), f.at('midi'));
  const reactive = readReactive(r, f.raw('reactive'), f.at('reactive'));
  if (scheme !== undefined) led.scheme = scheme;
  if (brightness !== undefined) led.brightness = brightness;
  if (midi !== undefined) led.midi = midi;
  if (reactive !== undefined) led.reactive = reactive;
  return withExtra(led, f.extra());
}

type Line = [string, unknown];

/** `led_feedback` for the `[device]` table's lines (none when absent). */
export function deviceLedFields(ledFeedback: boolean | undefined): Line[] {
  return ledFeedback === undefined ? [] : [[DEVICE_LED_KEY, ledFeedback]];
}

/** A mode's LED keys in file order (none when absent). */
export function modeLedFields(led: ModeLedConfig | undefined): Line[] {
  if (led === undefined) return [];
  const lines: Line[] = [
    ['led_scheme', led.scheme],
    ['led_idle_brightness', led.idleBrightness],
    ['led_active_brightness', led.activeBrightness],
  ];
  return lines.filter(([, v]) => v !== undefined);
}

/**
 * `[led_settings]` as a plain TOML value (scheme, brightness, extra keys, `midi` sub-table), for the writer to put
 * with the unknown top-level tables; undefined when the config has none.
 */
export function ledSettingsValue(led: LedSettingsConfig | undefined): { [key: string]: TomlValue } | undefined {
  if (led === undefined) return undefined;
  const out: { [key: string]: TomlValue } = {};
  if (led.scheme !== undefined) out.scheme = led.scheme;
  if (led.brightness !== undefined) out.brightness = led.brightness;
  for (const [k, v] of Object.entries(led.extra ?? {})) if (!(k in out) && k !== 'midi' && k !== 'reactive') out[k] = v;
  if (led.midi !== undefined) {
    const m = led.midi;
    const midi: { [key: string]: TomlValue } = {};
    if (m.noteOffset !== undefined) midi.note_offset = m.noteOffset;
    if (m.channel !== undefined) midi.channel = m.channel;
    if (m.onVelocity !== undefined) midi.on_velocity = m.onVelocity;
    if (m.offVelocity !== undefined) midi.off_velocity = m.offVelocity;
    for (const [k, v] of Object.entries(m.extra ?? {})) if (!(k in midi)) midi[k] = v;
    out.midi = midi;
  }
  if (led.reactive !== undefined) {
    const x = led.reactive;
    const reactive: { [key: string]: TomlValue } = {};
    const table = (c: RgbColour): { [key: string]: TomlValue } => ({ r: c.r, g: c.g, b: c.b });
    if (x.softColor !== undefined) reactive.soft_color = table(x.softColor);
    if (x.mediumColor !== undefined) reactive.medium_color = table(x.mediumColor);
    if (x.hardColor !== undefined) reactive.hard_color = table(x.hardColor);
    if (x.fadeDurationMs !== undefined) reactive.fade_duration_ms = x.fadeDurationMs;
    for (const [k, v] of Object.entries(x.extra ?? {})) if (!(k in reactive)) reactive[k] = v;
    out.reactive = reactive;
  }
  return out;
}
