// The configuration as the app uses it (DESIGN §8): device, signature policy, timing, modes, mappings,
// triggers and actions, normalised from config.toml. Pure types and defaults — no parsing, no I/O here
// (src-main/config reads and writes the TOML file; field names there are Conductor's snake_case ones).
import type { ActionParams, PluginLimitOverrides } from './plugin';

/**
 * A TOML value as @iarna/toml reads it (integers beyond 2^53 are bigints). Used for `extra`: the keys of a table
 * that this version does not know, kept verbatim so saving the config does not drop them.
 */
export type TomlValue = string | number | bigint | boolean | Date | TomlValue[] | { [key: string]: TomlValue };
export type ConfigExtra = Record<string, TomlValue>;

export interface DeviceConfig {
  /** The MIDI input to use (substring match on the port name); null = the first hardware input, else virtual. */
  name: string | null;
  autoConnect: boolean;
  autoReconnect: boolean;
  /** Port index to use when several ports share the name; null = the first match. */
  port: number | null;
  /** `led_feedback`: LED schemes on (true) / off (false); absent = on when the file has `[led_settings]` (docs/led.md). */
  ledFeedback?: boolean;
  /** Unknown keys of `[device]`, kept for writing back. */
  extra?: ConfigExtra;
}

/** `[wasm]`: the signature policy, and per-plugin limits (`[wasm.limits.<plugin id>]`, absent when none are set). */
export interface WasmPolicyConfig {
  requireSignature: boolean;
  allowSelfSigned: boolean;
  /** Keyed by plugin id (the .wasm file name without `.wasm`); only the limits that differ from the defaults. */
  limits?: Record<string, PluginLimitOverrides>;
  /** Unknown keys of `[wasm]`, kept for writing back. */
  extra?: ConfigExtra;
}

/** `[logging]` levels, least to most talkative. */
export const LOGGING_LEVELS = ['off', 'error', 'warn', 'info', 'debug', 'trace'] as const;

/** `[logging]` (Conductor's): the app's diagnostic log — its level and, optionally, a file instead of stderr. */
export interface LoggingConfig {
  level: (typeof LOGGING_LEVELS)[number];
  /** `~` expanded; null: stderr. */
  file: string | null;
  /** The file's own text (e.g. `~/…`), written back while `file` still matches it. */
  fileAsWritten?: string;
  /** Unknown keys of `[logging]`, kept for writing back. */
  extra?: ConfigExtra;
}

/** `[advanced_settings]`: timing defaults of the timing-based triggers (Conductor's defaults). */
export interface TimingConfig {
  /** LongPress default hold (`hold_threshold_ms`, 2000). */
  holdThresholdMs: number;
  /** DoubleTap default interval (`double_tap_timeout_ms`, 300). */
  doubleTapTimeoutMs: number;
  /** NoteChord default window (`chord_timeout_ms`, 50 as in Conductor). */
  chordTimeoutMs: number;
  /** Unknown keys of `[advanced_settings]`, kept for writing back. */
  extra?: ConfigExtra;
}

export const DEFAULT_TIMING: Readonly<TimingConfig> = Object.freeze({ holdThresholdMs: 2000, doubleTapTimeoutMs: 300, chordTimeoutMs: 50 });

/** Velocity levels of VelocityRange (`level = "soft" | "medium" | "hard"`), as Conductor defines them. */
export const VELOCITY_LEVELS = Object.freeze({ soft: [0, 40], medium: [41, 80], hard: [81, 127] } as const);
export type VelocityLevel = keyof typeof VELOCITY_LEVELS;

/** Conductor's VelocityRange levels when a file leaves them out: soft ≤ 40 < medium ≤ 80 < hard. */
export const DEFAULT_SOFT_MAX = 40;
export const DEFAULT_MEDIUM_MAX = 80;

/**
 * `olderNames`: the file spelled this trigger's or action's fields the way Conductor Desktop's own earlier files did
 * (`min_duration_ms`, `max_interval_ms`, `min_pressure`, `min_value`/`max_value`, `delay_between_ms`, SendMidi
 * PitchBend's `value`) rather than Conductor's (`duration_ms`, `timeout_ms`, `pressure_min`, `value_min`/`value_max`,
 * `delay_ms`, `pitch`): saving writes them back as they were. New mappings are written with Conductor's names.
 */
export type OlderNames = { olderNames?: true };

/** `channel` (0–15) on any trigger restricts it to that channel; absent = any channel. */
export type Trigger =
  | { type: 'Note'; note: number; velocityMin?: number; channel?: number }
  /**
   * Either a band of velocities (`min_velocity`/`max_velocity`, or `level` = one of Conductor's bands), or Conductor's
   * own form (`note` with optional `soft_max`/`medium_max`): every press of the note, classified soft / medium / hard
   * by those bounds (`softMax`/`mediumMax` set; the band is then 1–127).
   */
  | { type: 'VelocityRange'; note: number; minVelocity: number; maxVelocity: number; level?: VelocityLevel; softMax?: number; mediumMax?: number; channel?: number }
  | ({ type: 'LongPress'; note: number; minDurationMs?: number; channel?: number } & OlderNames)
  | ({ type: 'DoubleTap'; note: number; maxIntervalMs?: number; channel?: number } & OlderNames)
  | ({ type: 'NoteChord'; notes: number[]; maxIntervalMs?: number; channel?: number } & OlderNames)
  | { type: 'CC'; cc: number; valueMin?: number; channel?: number }
  /** `direction` left out (Conductor's default): either way. */
  | { type: 'EncoderTurn'; cc: number; direction?: 'Clockwise' | 'CounterClockwise'; encoding?: 'relative' | 'absolute'; channel?: number }
  | ({ type: 'Aftertouch'; note?: number; minPressure?: number; maxPressure?: number; channel?: number } & OlderNames)
  /** Conductor's `value_min`/`value_max` are optional (0 and 16383 when left out). */
  | ({ type: 'PitchBend'; minValue: number; maxValue: number; centerDeadzone?: number; channel?: number } & OlderNames)
  /** Game controllers (src-shared/gamepad.ts; no MIDI channel): a button 128–255 pressed, at least `velocityMin` (0–127) deep. */
  | { type: 'GamepadButton'; button: number; velocityMin?: number; channel?: never }
  /** Every button of `buttons` pressed within `maxIntervalMs` (`timeout_ms`; default `chord_timeout_ms`). */
  | { type: 'GamepadButtonChord'; buttons: number[]; maxIntervalMs?: number; channel?: never }
  /** A stick axis (128–131) pushed out of its rest zone; `direction` Clockwise = right/up (left out: either way). */
  | { type: 'GamepadAnalogStick'; axis: number; direction?: 'Clockwise' | 'CounterClockwise'; channel?: never }
  /** An analog trigger (132 left, 133 right) pressed past `threshold` (0–127, default 64). */
  | { type: 'GamepadTrigger'; trigger: number; threshold?: number; channel?: never };

export type TriggerType = Trigger['type'];
export const TRIGGER_TYPES: readonly TriggerType[] = [
  'Note',
  'VelocityRange',
  'LongPress',
  'DoubleTap',
  'NoteChord',
  'CC',
  'EncoderTurn',
  'Aftertouch',
  'PitchBend',
  'GamepadButton',
  'GamepadButtonChord',
  'GamepadAnalogStick',
  'GamepadTrigger',
];
/** The triggers a game controller fires (the others are MIDI's). */
export const GAMEPAD_TRIGGER_TYPES: readonly TriggerType[] = ['GamepadButton', 'GamepadButtonChord', 'GamepadAnalogStick', 'GamepadTrigger'];

/** A MIDI message for SendMidi (channel 0–15). */
export type SendMidiMessage =
  | { type: 'NoteOn' | 'NoteOff'; channel: number; note: number; velocity: number }
  | { type: 'CC'; channel: number; controller: number; value: number }
  | { type: 'ProgramChange'; channel: number; program: number }
  | { type: 'PitchBend'; channel: number; value: number }
  | { type: 'Aftertouch'; channel: number; pressure: number };

/**
 * A Conditional action's test (Conductor's conditions). TimeRange's `start`/`end` are local "HH:MM", 24-hour, start
 * inclusive and end exclusive; start after end crosses midnight. DayOfWeek's days are 1 = Monday … 7 = Sunday.
 * AppRunning / AppFrontmost match `appName` case-insensitively against the app's name or executable.
 * ModeIs compares with the mode the press happened in.
 */
export type Condition =
  | { type: 'Always' }
  | { type: 'Never' }
  | { type: 'TimeRange'; start: string; end: string }
  | { type: 'DayOfWeek'; days: number[] }
  | { type: 'AppRunning'; appName: string }
  | { type: 'AppFrontmost'; appName: string }
  | { type: 'ModeIs'; mode: string }
  | { type: 'And'; conditions: Condition[] }
  | { type: 'Or'; conditions: Condition[] }
  | { type: 'Not'; condition: Condition };

/** TimeRange's "HH:MM" (24-hour) → minutes after midnight, or null when it is not such a time. */
export function minutesOfDay(time: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

export type ConditionType = Condition['type'];
export const CONDITION_TYPES: readonly ConditionType[] = ['Always', 'Never', 'TimeRange', 'DayOfWeek', 'AppRunning', 'AppFrontmost', 'ModeIs', 'And', 'Or', 'Not'];

/** The fields each condition type takes in the file (snake_case). */
export const CONDITION_FIELDS: Readonly<Record<ConditionType, readonly string[]>> = Object.freeze({
  Always: [],
  Never: [],
  TimeRange: ['start', 'end'],
  DayOfWeek: ['days'],
  AppRunning: ['app_name'],
  AppFrontmost: ['app_name'],
  ModeIs: ['mode'],
  And: ['conditions'],
  Or: ['conditions'],
  Not: ['condition'],
});

export type Action =
  /** `path` has `~` expanded; `pathAsWritten` is the file's text (e.g. `~/…`), written back while `path` still matches it. */
  | { type: 'WasmPlugin'; path: string; params: ActionParams; pathAsWritten?: string }
  | { type: 'ModeChange'; mode: string | number; relative?: boolean }
  /** A PitchBend message's `value` is 0–16383 (8192 = centre); Conductor's files give `pitch`, −8192…8191. */
  | ({ type: 'SendMidi'; port: string; message: SendMidiMessage } & OlderNames)
  | { type: 'Sequence'; actions: Action[] }
  | { type: 'Delay'; ms: number }
  | ({ type: 'Repeat'; action: Action; count: number; delayBetweenMs?: number } & OlderNames)
  /** `command` runs without a shell (split into words) unless `shell = true`; `timeoutMs` default 30 s. */
  | { type: 'Shell'; command: string; shell?: boolean; timeoutMs?: number }
  | { type: 'Launch'; app: string; args?: string[] }
  | { type: 'Keystroke'; keys: string; modifiers?: string[] }
  | { type: 'Text'; text: string }
  /**
   * The system volume (the default output): Up / Down by `value` points (default 5), Mute, Unmute, Set to `value`
   * (0–100, required for Set).
   */
  | { type: 'VolumeControl'; operation: 'Up' | 'Down' | 'Mute' | 'Unmute' | 'Set'; value?: number }
  /** Clicks `button`; at the screen point (x, y) when both are given, else where the pointer is. */
  | { type: 'MouseClick'; button: 'left' | 'right' | 'middle'; x?: number; y?: number }
  /** `thenAction` when `condition` holds at the press, else `elseAction` (none: nothing happens). */
  | { type: 'Conditional'; condition: Condition; thenAction: Action; elseAction?: Action };

export type ActionType = Action['type'];
export const ACTION_TYPES: readonly ActionType[] = ['WasmPlugin', 'ModeChange', 'SendMidi', 'Sequence', 'Delay', 'Repeat', 'Shell', 'Launch', 'Keystroke', 'Text', 'MouseClick', 'VolumeControl', 'Conditional'];

/**
 * The fields each trigger type takes in the file (snake_case), besides the `type` tag of the tagged form. The config
 * reader refuses others; the mapping editor shows issues at them (camelCased, as the app's types name them).
 */
export const TRIGGER_FIELDS: Readonly<Record<TriggerType, readonly string[]>> = Object.freeze({
  Note: ['note', 'velocity_min', 'channel'],
  VelocityRange: ['note', 'soft_max', 'medium_max', 'min_velocity', 'max_velocity', 'level', 'channel'],
  LongPress: ['note', 'duration_ms', 'min_duration_ms', 'channel'],
  DoubleTap: ['note', 'timeout_ms', 'max_interval_ms', 'channel'],
  NoteChord: ['notes', 'timeout_ms', 'max_interval_ms', 'channel'],
  CC: ['cc', 'value_min', 'channel'],
  EncoderTurn: ['cc', 'direction', 'encoding', 'channel'],
  Aftertouch: ['note', 'pressure_min', 'min_pressure', 'max_pressure', 'channel'],
  PitchBend: ['value_min', 'value_max', 'min_value', 'max_value', 'center_deadzone', 'channel'],
  GamepadButton: ['button', 'velocity_min'],
  GamepadButtonChord: ['buttons', 'timeout_ms'],
  GamepadAnalogStick: ['axis', 'direction'],
  GamepadTrigger: ['trigger', 'threshold'],
});

/** The fields each action type takes in the file (snake_case). */
export const ACTION_FIELDS: Readonly<Record<ActionType, readonly string[]>> = Object.freeze({
  WasmPlugin: ['path', 'params'],
  ModeChange: ['mode', 'relative'],
  SendMidi: ['port', 'message_type', 'channel', 'note', 'velocity', 'controller', 'value', 'program', 'pitch', 'pressure'],
  Sequence: ['actions'],
  Delay: ['ms'],
  Repeat: ['action', 'count', 'delay_ms', 'delay_between_ms'],
  Shell: ['command', 'shell', 'timeout_ms'],
  Launch: ['app', 'args'],
  Keystroke: ['keys', 'modifiers'],
  Text: ['text'],
  MouseClick: ['button', 'x', 'y'],
  VolumeControl: ['operation', 'value'],
  Conditional: ['condition', 'then_action', 'else_action'],
});

export interface Mapping {
  description: string;
  trigger: Trigger;
  action: Action;
  /** Unknown keys of this `[[modes.mappings]]` / `[[global_mappings]]` table, kept for writing back. */
  extra?: ConfigExtra;
}

export interface Mode {
  name: string;
  /** A colour name or "#RRGGBB"; a file's `{ r, g, b }` table reads as "#RRGGBB" with `colorForm: 'rgb'`. */
  color: string | null;
  /** The file wrote `color` as Conductor's `{ r = …, g = …, b = … }` table: written back that way while it is "#RRGGBB". */
  colorForm?: 'rgb';
  mappings: Mapping[];
  /** Per-app profiles: the apps (names as AppFrontmost's `app_name`, `*` wildcards) that make this mode current when in front (docs/per-app.md). Absent or empty: none. */
  apps?: string[];
  /** This mode's LED settings (`led_scheme`, `led_idle_brightness`, `led_active_brightness`); absent when it sets none. */
  led?: ModeLedConfig;
  /** Unknown keys of this `[[modes]]` table, kept for writing back. */
  extra?: ConfigExtra;
}

export interface AppConfig {
  device: DeviceConfig;
  wasm: WasmPolicyConfig;
  timing: TimingConfig;
  modes: Mode[];
  /** Active in every mode (`[[global_mappings]]`), checked after the current mode's mappings. */
  globalMappings: Mapping[];
  /** `[led_settings]` (+ `.midi`) as the file has it; absent when the file has none. */
  led?: LedSettingsConfig;
  /** `[logging]`; absent when the file has none (then: level info, to stderr). */
  logging?: LoggingConfig;
  /** Unknown top-level keys and tables (e.g. Conductor's `[led]`), kept for writing back. */
  extra?: ConfigExtra;
}

/** LED feedback schemes (docs/led.md): what the device's pads show. */
export const LED_SCHEMES = ['off', 'static', 'reactive', 'rainbow', 'pulse', 'breathing', 'wave', 'sparkle', 'vumeter', 'spiral'] as const;
export type LedSchemeName = (typeof LED_SCHEMES)[number];

/** `[led_settings]` with `[led_settings.midi]`, each field as the file has it (absent = the default, src-main/led). */
export interface LedSettingsConfig {
  scheme?: LedSchemeName;
  /** 0–255. */
  brightness?: number;
  /** `[led_settings.midi]`: `note_offset` (added to a mapping's note), `channel`, `on_velocity` / `off_velocity` (on/off devices). */
  midi?: { noteOffset?: number; channel?: number; onVelocity?: number; offVelocity?: number; extra?: ConfigExtra };
  /** `[led_settings.reactive]`: the soft / medium / hard velocity colours and the fade after release (ms). */
  reactive?: { softColor?: RgbColour; mediumColor?: RgbColour; hardColor?: RgbColour; fadeDurationMs?: number; extra?: ConfigExtra };
  /** Unknown keys of `[led_settings]` (e.g. Conductor's `[led_settings.reactive]`), kept for writing back. */
  extra?: ConfigExtra;
}

/** Conductor's colour table `{ r = 0, g = 255, b = 0 }`, each 0–255. */
export interface RgbColour {
  r: number;
  g: number;
  b: number;
}

/** What the LED settings the file leaves out mean (docs/led.md); main's LED engine and the renderer's editors both use these. */
export const LED_DEFAULTS = Object.freeze({
  scheme: 'reactive' as LedSchemeName,
  brightness: 255,
  idleBrightness: 96,
  activeBrightness: 255,
  noteOffset: 0,
  channel: 0,
  onVelocity: 127,
  offVelocity: 0,
});

/** LED feedback runs when `[device] led_feedback = true`, or when the file has `[led_settings]` and does not say false. */
export function ledFeedbackEnabled(config: Pick<AppConfig, 'device' | 'led'>): boolean {
  return config.device.ledFeedback ?? config.led !== undefined;
}

/** A mode's own LED settings: a scheme replacing `[led_settings] scheme` while the mode is current, brightnesses 0–255. */
export interface ModeLedConfig {
  scheme?: LedSchemeName;
  idleBrightness?: number;
  activeBrightness?: number;
}

/** A place in a config: table keys and array indices, e.g. `['modes', 0, 'mappings', 3, 'trigger', 'Note', 'note']`. */
export type ConfigPathSegments = readonly (string | number)[];

/**
 * One problem in a config file; line/column are 1-based, null when not known.
 * `segments` is where, as keys and indices — what code (the UI finding the field) reads; empty for the
 * whole file (a TOML syntax error, a file that cannot be read). `path` is the same place written for people
 * (`modes[0].mappings[3].trigger.Note.note`, '' for the whole file): for display only, never parsed.
 */
export interface ConfigIssue {
  path: string;
  segments: ConfigPathSegments;
  message: string;
  line: number | null;
  column: number | null;
}
