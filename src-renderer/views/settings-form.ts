// Settings → Device and Timing, the pure part: the choices for [device] name, the bounds of [advanced_settings]
// (mirroring main's schema), per-field problems, draft edits, and which issues of a refused save belong here. Never calls IPC.
import { DEFAULT_TIMING, type AppConfig, type ConfigIssue, type DeviceConfig, type TimingConfig } from '../../src-shared/config';
import type { DeviceInfo } from '../../src-shared/midi';
import { deepEqual } from '../store/draft';

// ── timing ([advanced_settings]) ─────────────────────────────────────────────────────────────────────────────

export type TimingKey = 'holdThresholdMs' | 'doubleTapTimeoutMs' | 'chordTimeoutMs';

export interface TimingField {
  key: TimingKey;
  /** The key in config.toml's [advanced_settings]. */
  toml: string;
  label: string;
  /** Inclusive, in ms: the same as main's schema (RANGES.holdMs / doubleTapMs / chordMs in src-main/config/schema-fields.ts). */
  bounds: readonly [number, number];
  hint: string;
}

export const TIMING_FIELDS: readonly TimingField[] = Object.freeze([
  { key: 'holdThresholdMs', toml: 'hold_threshold_ms', label: 'Hold (long press)', bounds: [1, 60_000], hint: 'How long a pad is held before a LongPress fires, for mappings that set no time of their own.' },
  { key: 'doubleTapTimeoutMs', toml: 'double_tap_timeout_ms', label: 'Double-tap window', bounds: [1, 5_000], hint: 'The longest gap between the two presses of a DoubleTap.' },
  { key: 'chordTimeoutMs', toml: 'chord_timeout_ms', label: 'Chord window', bounds: [1, 5_000], hint: 'The longest time from the first to the last note of a chord; 50–100 ms suits most hands.' },
] as const);

export type TimingTexts = Record<TimingKey, string>;

export function timingTexts(t: TimingConfig): TimingTexts {
  return { holdThresholdMs: String(t.holdThresholdMs), doubleTapTimeoutMs: String(t.doubleTapTimeoutMs), chordTimeoutMs: String(t.chordTimeoutMs) };
}

/** "1–60,000 ms, default 2,000" — what the field accepts. */
export function timingBoundsText(field: TimingField): string {
  const n = (v: number) => v.toLocaleString('en-US');
  return `${n(field.bounds[0])}–${n(field.bounds[1])} ms, default ${n(DEFAULT_TIMING[field.key])}`;
}

/** The whole number of ms `text` means, or null when it is not one (empty, a fraction, "1e3", a sign). */
export function parseMs(text: string): number | null {
  const t = text.trim();
  if (!/^\d{1,9}$/.test(t)) return null;
  return Number(t);
}

/** Why `text` cannot be saved for `field` (main refuses the same), or null when it can. */
export function timingProblem(field: TimingField, text: string): string | null {
  if (text.trim() === '') return 'Required';
  const n = parseMs(text);
  const [min, max] = field.bounds;
  if (n === null) return `Enter a whole number of milliseconds (${min}–${max.toLocaleString('en-US')})`;
  if (n < min || n > max) return `Must be ${min}–${max.toLocaleString('en-US')} ms`;
  return null;
}

export function timingProblems(texts: TimingTexts): Record<TimingKey, string | null> {
  const out = {} as Record<TimingKey, string | null>;
  for (const f of TIMING_FIELDS) out[f.key] = timingProblem(f, texts[f.key]);
  return out;
}

/** The config with one timing value set (unknown keys of [advanced_settings] kept). */
export function withTiming(config: AppConfig, key: TimingKey, value: number): AppConfig {
  if (config.timing[key] === value) return config;
  return { ...config, timing: { ...config.timing, [key]: value } };
}

/** The config with Conductor's default timing (unknown keys of [advanced_settings] kept). */
export function withDefaultTiming(config: AppConfig): AppConfig {
  const t = config.timing;
  if (TIMING_FIELDS.every((f) => t[f.key] === DEFAULT_TIMING[f.key])) return config;
  return { ...config, timing: { ...t, holdThresholdMs: DEFAULT_TIMING.holdThresholdMs, doubleTapTimeoutMs: DEFAULT_TIMING.doubleTapTimeoutMs, chordTimeoutMs: DEFAULT_TIMING.chordTimeoutMs } };
}

// ── device ([device]) ────────────────────────────────────────────────────────────────────────────────────────

/** The select's value for "no name: the first hardware input". */
export const FIRST_INPUT = 'first';
/** The select's value for "the input whose name contains …" (free text). */
export const NAME_CONTAINS = 'contains';
const INPUT_PREFIX = 'input:';

/**
 * A port name without the ALSA "client:port" numbers that change when a device is re-plugged — what to write as
 * `[device] name` for a listed input. The same rule as main's stablePortName (src-main/midi/backend.ts).
 */
export function stablePortName(name: string): string {
  return name.replace(/\s+\d+:\d+$/, '');
}

export interface InputChoice {
  /** The select's option value. */
  value: string;
  /** What `[device] name` becomes. */
  name: string;
  label: string;
}

/** The hardware MIDI inputs main lists now (the ones `[device]` can choose; never the virtual controller), one per name. */
export function inputChoices(devices: readonly DeviceInfo[]): InputChoice[] {
  const out: InputChoice[] = [];
  const seen = new Set<string>();
  for (const d of devices) {
    if (d.kind !== 'hardware' || d.direction !== 'input' || d.state === 'unavailable') continue;
    const name = stablePortName(d.name);
    if (name.trim() === '' || seen.has(name)) continue;
    seen.add(name);
    out.push({ value: `${INPUT_PREFIX}${name}`, name, label: `${name} — ${d.state === 'connected' ? 'connected' : 'not connected'}` });
  }
  return out;
}

/** Which option shows `[device] name`: the first hardware input (no name), a listed input by its exact name, else "name contains". */
export function deviceSelection(name: string | null, choices: readonly InputChoice[]): string {
  if (name === null) return FIRST_INPUT;
  return choices.find((c) => c.name === name)?.value ?? NAME_CONTAINS;
}

/** What a select value writes to `[device] name`: null, the input's name, or undefined for "name contains" (the text field decides). */
export function nameForSelection(value: string, choices: readonly InputChoice[]): string | null | undefined {
  if (value === FIRST_INPUT) return null;
  if (value === NAME_CONTAINS) return undefined;
  return choices.find((c) => c.value === value)?.name;
}

/** Why a typed "name contains" cannot be saved (a blank name would mean "the first hardware input"), or null. */
export function deviceNameProblem(text: string): string | null {
  return text.trim() === '' ? 'Type part of the input’s name, or choose “First hardware input”' : null;
}

/** The config with some of `[device]` changed (port and unknown keys kept). */
export function withDevice(config: AppConfig, patch: Partial<Pick<DeviceConfig, 'name' | 'autoConnect' | 'autoReconnect'>>): AppConfig {
  const device = { ...config.device, ...patch };
  return deepEqual(device, config.device) ? config : { ...config, device };
}

// ── unsaved changes and issues ───────────────────────────────────────────────────────────────────────────────

export interface SettingsChanges {
  device: boolean;
  timing: boolean;
  /** LED feedback: `[device] led_feedback` or `[led_settings]` (views/LedPanel.tsx). */
  led: boolean;
  /** The draft differs elsewhere too (mappings, modes): one Save writes the whole draft. */
  elsewhere: boolean;
}

export function settingsChanges(draft: AppConfig | null, baseline: AppConfig | null): SettingsChanges {
  if (!draft || !baseline) return { device: false, timing: false, led: false, elsewhere: false };
  return {
    device: !deepEqual({ ...draft.device, ledFeedback: baseline.device.ledFeedback }, baseline.device),
    timing: !deepEqual(draft.timing, baseline.timing),
    led: draft.device.ledFeedback !== baseline.device.ledFeedback || !deepEqual(draft.led, baseline.led),
    elsewhere: !deepEqual({ ...draft, device: baseline.device, timing: baseline.timing, led: baseline.led }, baseline),
  };
}

/** The draft with device, timing and the LED settings as in `baseline` (edits elsewhere, e.g. a mode's own LED keys, kept). */
export function revertSettings(draft: AppConfig, baseline: AppConfig): AppConfig {
  return { ...draft, device: baseline.device, timing: baseline.timing, led: baseline.led };
}

export interface SettingsIssues {
  /** By [device] key (`name`, `auto_connect`…; '' = the section as a whole). */
  device: Record<string, string[]>;
  /** By [advanced_settings] key (`hold_threshold_ms`…; '' = the section as a whole). */
  timing: Record<string, string[]>;
  /** Issues elsewhere in the config (mappings, modes, [wasm]…). */
  elsewhere: ConfigIssue[];
}

/** Sorts issues (of a refused save, or of config.toml on disk) into the Device and Timing fields and the rest. */
export function settingsIssues(issues: readonly ConfigIssue[]): SettingsIssues {
  const out: SettingsIssues = { device: {}, timing: {}, elsewhere: [] };
  for (const issue of issues) {
    const [section, key] = issue.segments;
    const table = section === 'device' ? out.device : section === 'advanced_settings' ? out.timing : null;
    if (!table) {
      out.elsewhere.push(issue);
      continue;
    }
    const k = typeof key === 'string' ? key : '';
    (table[k] ??= []).push(issue.message);
  }
  return out;
}

/** Issues of a section not shown at one of the form's fields (e.g. `port`, an unknown key, the section itself). */
export function otherSectionIssues(byKey: Record<string, string[]>, shownKeys: readonly string[]): string[] {
  return Object.entries(byKey).flatMap(([k, msgs]) => (shownKeys.includes(k) ? [] : msgs.map((m) => (k ? `${k}: ${m}` : m))));
}
