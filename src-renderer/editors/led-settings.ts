// LED feedback settings on the draft config, the pure part: a mode's scheme override and brightnesses, `[device]
// led_feedback`, `[led_settings]` (+ `.midi`), and what scheme a mode actually shows and why. Never calls IPC; unknown keys (`extra`) are never touched.
import { LED_DEFAULTS, LED_SCHEMES, ledFeedbackEnabled, type AppConfig, type LedSchemeName, type LedSettingsConfig, type Mode, type ModeLedConfig, type RgbColour } from '../../src-shared/config';
import { hexRgbColour } from '../../src-shared/led-colours';
import { deepEqual } from '../store/draft';

export { LED_DEFAULTS };

/** The numbers of `[led_settings]` and `.midi`, each with the bounds main's reader accepts (src-main/config/schema-led.ts). */
export type LedNumberKey = 'brightness' | 'noteOffset' | 'channel' | 'onVelocity' | 'offVelocity';
/** A mode's brightnesses (`led_idle_brightness`, `led_active_brightness`). */
export type ModeBrightnessKey = 'idleBrightness' | 'activeBrightness';

/** Every LED number a field edits: `[led_settings]` and `.midi`, a mode's brightnesses, `.reactive`'s fade time. */
export type LedFieldKey = LedNumberKey | ModeBrightnessKey | 'fadeDurationMs';

export const LED_BOUNDS: Readonly<Record<LedFieldKey, readonly [number, number]>> = Object.freeze({
  brightness: [0, 255],
  idleBrightness: [0, 255],
  activeBrightness: [0, 255],
  noteOffset: [-127, 127],
  channel: [0, 15],
  onVelocity: [0, 127],
  offVelocity: [0, 127],
  fadeDurationMs: [0, 60_000],
});

/** Why `value` cannot be saved as `key` (main would refuse it), or null when it can (undefined = "use the default" always can). */
export function ledNumberProblem(key: LedFieldKey, value: number | undefined): string | null {
  if (value === undefined) return null;
  const [min, max] = LED_BOUNDS[key];
  if (!Number.isInteger(value)) return `Enter a whole number ${min}–${max}`;
  if (value < min || value > max) return `Must be ${min}–${max}`;
  return null;
}

/** What the text typed into an LED number field means: a value (undefined = blank, the default) or why it cannot be saved. */
export function parseLedNumber(key: LedFieldKey, text: string): { value: number | undefined } | { problem: string } {
  const t = text.trim();
  if (t === '') return { value: undefined };
  const [min, max] = LED_BOUNDS[key];
  if (!/^[-+]?\d{1,5}$/.test(t)) return { problem: `Enter a whole number ${min}–${max}` };
  const value = Number(t);
  const problem = ledNumberProblem(key, value);
  return problem === null ? { value } : { problem };
}

/** LED feedback runs (main's rule, src-shared/config.ts). */
export const ledFeedbackOn = ledFeedbackEnabled;

// ── a mode's own settings ─────────────────────────────────────────────────────────────────────────────────────

function withModeLed(config: AppConfig, modeIndex: number, patch: (led: ModeLedConfig) => ModeLedConfig): AppConfig {
  const mode = config.modes[modeIndex];
  if (!mode) return config;
  const led = patch({ ...(mode.led ?? {}) });
  const same = led.scheme === mode.led?.scheme && led.idleBrightness === mode.led?.idleBrightness && led.activeBrightness === mode.led?.activeBrightness;
  if (same) return config;
  const next: Mode = { ...mode, led };
  if (Object.keys(led).length === 0) delete next.led;
  return { ...config, modes: config.modes.map((m, i) => (i === modeIndex ? next : m)) };
}

/** The mode's own scheme (`led_scheme`); null = "use the device setting" (the key is removed). */
export function setModeLedScheme(config: AppConfig, modeIndex: number, scheme: LedSchemeName | null): AppConfig {
  if (scheme !== null && !LED_SCHEMES.includes(scheme)) return config;
  return withModeLed(config, modeIndex, (led) => {
    if (scheme === null) delete led.scheme;
    else led.scheme = scheme;
    return led;
  });
}

/** The mode's idle or active brightness; undefined = the default (the key is removed). Unchanged when ledNumberProblem objects. */
export function setModeBrightness(config: AppConfig, modeIndex: number, key: ModeBrightnessKey, value: number | undefined): AppConfig {
  if (ledNumberProblem(key, value) !== null) return config;
  return withModeLed(config, modeIndex, (led) => {
    if (value === undefined) delete led[key];
    else if (led[key] !== undefined || value !== LED_DEFAULTS[key]) led[key] = value;
    return led;
  });
}

// ── device-wide: [device] led_feedback and [led_settings] ──────────────────────────────────────────────────────

/** `[device] led_feedback`: written explicitly (true / false); unchanged when LED feedback already is that. */
export function setLedFeedback(config: AppConfig, on: boolean): AppConfig {
  if (ledFeedbackOn(config) === on) return config;
  return { ...config, device: { ...config.device, ledFeedback: on } };
}

function isEmptyLed(led: LedSettingsConfig): boolean {
  return led.scheme === undefined && led.brightness === undefined && led.midi === undefined && led.reactive === undefined && Object.keys(led.extra ?? {}).length === 0;
}

/**
 * The config with `[led_settings]` patched. Creating the table would turn LED feedback on by itself (a file with
 * `[led_settings]` and no `led_feedback` runs it), so then `led_feedback = false` is written to keep it as it was; a
 * table left empty is dropped when that changes nothing (`led_feedback` says on or off explicitly).
 */
function withLedSettings(config: AppConfig, patch: (led: LedSettingsConfig) => LedSettingsConfig): AppConfig {
  const before = config.led;
  const led = patch({ ...(before ?? {}), ...(before?.midi ? { midi: { ...before.midi } } : {}), ...(before?.reactive ? { reactive: { ...before.reactive } } : {}) });
  if (led.midi && Object.keys(led.midi).length === 0) delete led.midi;
  if (led.reactive && Object.keys(led.reactive).length === 0) delete led.reactive;
  if (before !== undefined && deepEqual(led, before)) return config;
  if (before === undefined && isEmptyLed(led)) return config;
  const next: AppConfig = { ...config, led };
  if (before === undefined && config.device.ledFeedback === undefined) next.device = { ...config.device, ledFeedback: false };
  if (isEmptyLed(led) && config.device.ledFeedback !== undefined) delete next.led;
  return next;
}

/** `[led_settings] scheme`; null = the default (the key is removed). Choosing the value already in effect changes nothing. */
export function setLedScheme(config: AppConfig, scheme: LedSchemeName | null): AppConfig {
  if (scheme !== null && !LED_SCHEMES.includes(scheme)) return config;
  if (scheme !== null && scheme === (config.led?.scheme ?? LED_DEFAULTS.scheme)) return config;
  return withLedSettings(config, (led) => {
    if (scheme === null) delete led.scheme;
    else led.scheme = scheme;
    return led;
  });
}

/** The current value of a `[led_settings]` number as the file has it (undefined = the default). */
export function ledNumber(config: AppConfig, key: LedNumberKey): number | undefined {
  return key === 'brightness' ? config.led?.brightness : config.led?.midi?.[key];
}

/**
 * `[led_settings] brightness` or a `.midi` field; undefined = the default (the key is removed, and `.midi` with its
 * last key). A default value where the file has none is not written; unchanged when ledNumberProblem objects.
 */
export function setLedNumber(config: AppConfig, key: LedNumberKey, value: number | undefined): AppConfig {
  if (ledNumberProblem(key, value) !== null) return config;
  const current = ledNumber(config, key);
  if (value === current) return config;
  if (current === undefined && value === LED_DEFAULTS[key]) return config;
  return withLedSettings(config, (led) => {
    if (key === 'brightness') {
      if (value === undefined) delete led.brightness;
      else led.brightness = value;
      return led;
    }
    const midi = { ...(led.midi ?? {}) };
    if (value === undefined) delete midi[key];
    else midi[key] = value;
    led.midi = midi;
    return led;
  });
}

// ── [led_settings.reactive]: the velocity colours and the fade ────────────────────────────────────────────────

/** The soft (velocity ≤ 40), medium (≤ 80) and hard colours of `reactive` and the vumeter. */
export type ReactiveBand = 'softColor' | 'mediumColor' | 'hardColor';
/** What main uses when the file leaves a band out (src-main/led/colours.ts velocityBandColour). */
export const REACTIVE_DEFAULTS: Readonly<Record<ReactiveBand, string>> = Object.freeze({ softColor: '#00ff00', mediumColor: '#ffff00', hardColor: '#ff0000' });
/** `fade_duration_ms` when the file leaves it out. */
export const REACTIVE_FADE_DEFAULT_MS = 1000;

const hex2 = (n: number) => n.toString(16).padStart(2, '0');

/** The band's colour as "#rrggbb" (what `<input type="color">` shows): the file's, else the default. */
export function reactiveColour(config: AppConfig, band: ReactiveBand): string {
  const c = config.led?.reactive?.[band];
  return c === undefined ? REACTIVE_DEFAULTS[band] : `#${hex2(c.r)}${hex2(c.g)}${hex2(c.b)}`;
}

/** The band's colour from "#rrggbb"; null = the default (the key is removed). Anything else changes nothing. */
export function setReactiveColour(config: AppConfig, band: ReactiveBand, hex: string | null): AppConfig {
  let colour: RgbColour | undefined;
  if (hex !== null) {
    colour = hexRgbColour(hex);
    if (colour === undefined) return config;
    if (config.led?.reactive?.[band] === undefined && hex.toLowerCase() === REACTIVE_DEFAULTS[band]) return config;
  }
  return withLedSettings(config, (led) => {
    const reactive = { ...(led.reactive ?? {}) };
    if (colour === undefined) delete reactive[band];
    else reactive[band] = colour;
    led.reactive = reactive;
    return led;
  });
}

/** `fade_duration_ms`; undefined = the default (the key is removed). Unchanged when ledNumberProblem objects. */
export function setReactiveFade(config: AppConfig, ms: number | undefined): AppConfig {
  if (ledNumberProblem('fadeDurationMs', ms) !== null) return config;
  const current = config.led?.reactive?.fadeDurationMs;
  if (ms === current || (current === undefined && ms === REACTIVE_FADE_DEFAULT_MS)) return config;
  return withLedSettings(config, (led) => {
    const reactive = { ...(led.reactive ?? {}) };
    if (ms === undefined) delete reactive.fadeDurationMs;
    else reactive.fadeDurationMs = ms;
    led.reactive = reactive;
    return led;
  });
}

// ── what a mode shows ──────────────────────────────────────────────────────────────────────────────────────────

export type LedSchemeSource = 'mode' | 'settings' | 'off';

export interface ModeLedSummary {
  /** The scheme the mode's pads run ('off' when LED feedback is off). */
  scheme: LedSchemeName;
  /** Where it comes from: the mode's `led_scheme`, `[led_settings]` (or its default), or LED feedback is off. */
  source: LedSchemeSource;
  /** "from this mode" / "from LED settings" / "LED feedback off". */
  why: string;
  idleBrightness: number;
  activeBrightness: number;
  /** One line: what the pads of this mode show. */
  text: string;
}

const WHY: Record<LedSchemeSource, string> = { mode: 'from this mode', settings: 'from LED settings', off: 'LED feedback off' };

/** What each scheme shows, in words (docs/led.md's table); `c` is the mode colour's name. */
function schemeText(scheme: LedSchemeName, c: string, idle: number, active: number): string {
  switch (scheme) {
    case 'off':
      return 'The pads stay dark.';
    case 'static':
      return `The pads rest in ${c} at ${idle}/255 and light at ${active}/255 while pressed.`;
    case 'vumeter':
      return `The pads are a meter from the lowest note up: a press fills it as high as its velocity, in the velocity colours (soft, medium, hard), then it falls back.`;
    case 'spiral':
      return `A light in ${c} walks the pads in a spiral every two seconds; a pressed pad lights at ${active}/255.`;
    case 'reactive':
      return `The pads rest in ${c} at ${idle}/255; a press lights green, yellow or red by its velocity, then fades back.`;
    case 'rainbow':
      return `The pads show a turning rainbow at ${active}/255.`;
    case 'pulse':
      return `The pads flash in ${c} every half second; a pressed pad lights at ${active}/255.`;
    case 'breathing':
      return `The pads rise and fall in ${c} over two seconds; a pressed pad lights at ${active}/255.`;
    case 'wave':
      return `A wave of ${c} runs across the pads once a second; a pressed pad lights at ${active}/255.`;
    case 'sparkle':
      return `The pads rest in ${c} at ${idle}/255 and twinkle; a pressed pad lights at ${active}/255.`;
  }
}

/** The scheme mode `modeIndex` actually shows and why, with its brightnesses and a one-line description. */
export function effectiveModeLed(config: AppConfig, modeIndex: number): ModeLedSummary {
  const mode = config.modes[modeIndex];
  const idleBrightness = mode?.led?.idleBrightness ?? LED_DEFAULTS.idleBrightness;
  const activeBrightness = mode?.led?.activeBrightness ?? LED_DEFAULTS.activeBrightness;
  if (!ledFeedbackOn(config)) {
    return { scheme: 'off', source: 'off', why: WHY.off, idleBrightness, activeBrightness, text: 'No lights: LED feedback is off (Settings → LED feedback).' };
  }
  const own = mode?.led?.scheme;
  const source: LedSchemeSource = own !== undefined ? 'mode' : 'settings';
  const scheme = own ?? config.led?.scheme ?? LED_DEFAULTS.scheme;
  const colour = mode?.color?.trim() || 'white';
  return { scheme, source, why: WHY[source], idleBrightness, activeBrightness, text: schemeText(scheme, colour, idleBrightness, activeBrightness) };
}
