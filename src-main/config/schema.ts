// Reads config.toml into the normalised AppConfig (DESIGN §8): the spec's `{ Note = { … } }` shape and Conductor's
// `type = "Note"` shape, every field checked, ALL problems reported at once. Pure — never reads or writes files.
import type TOML from '@iarna/toml';
import {
  ACTION_FIELDS,
  ACTION_TYPES,
  DEFAULT_TIMING,
  TRIGGER_FIELDS,
  TRIGGER_TYPES,
  VELOCITY_LEVELS,
  type Action,
  type AppConfig,
  type ConfigExtra,
  type ConfigIssue,
  type DeviceConfig,
  type Mapping,
  type Mode,
  type SendMidiMessage,
  type TimingConfig,
  type TomlValue,
  type Trigger,
  type VelocityLevel,
  type WasmPolicyConfig,
} from '../../src-shared/config';
import { LIMIT_BOUNDS, type ActionParams, type EditableLimit, type ParamValue, type PluginLimitOverrides } from '../../src-shared/plugin';
import { parseToml, TomlFileError } from '../fs/toml-file';
import { expandHome } from '../common/paths';
import { formatPath, SourceMap, type ConfigPath } from './source-map';

/** Inclusive [min, max] of every numeric field (the file's own units: MIDI values, channels 0–15, milliseconds). */
export const RANGES = Object.freeze({
  note: [0, 127],
  velocity: [0, 127],
  channel: [0, 15],
  cc: [0, 127],
  ccValue: [0, 127],
  pressure: [0, 127],
  program: [0, 127],
  pitchBend: [0, 16383],
  centerDeadzone: [0, 8191],
  devicePort: [0, 255],
  holdMs: [1, 60_000],
  doubleTapMs: [1, 5_000],
  chordMs: [1, 5_000],
  delayMs: [0, 60_000],
  repeatCount: [1, 1_000],
  shellTimeoutMs: [1, 3_600_000],
} as const satisfies Record<string, readonly [number, number]>);

type Range = readonly [number, number];

/** A mapping's action is depth 1; Sequence items and Repeat's action are one deeper. Deeper than this is refused. */
export const MAX_ACTION_DEPTH = 8;
export const MAX_SEQUENCE_ACTIONS = 1_000;
export const MIN_CHORD_NOTES = 2;
export const MAX_CHORD_NOTES = 16;
export const SEND_MIDI_TYPES = ['NoteOn', 'NoteOff', 'CC', 'ProgramChange', 'PitchBend', 'Aftertouch'] as const;

/** Which SendMidi fields each message_type uses (channel and port are always allowed). */
const SEND_MIDI_FIELDS: Readonly<Record<SendMidiMessage['type'], readonly string[]>> = {
  NoteOn: ['note', 'velocity'],
  NoteOff: ['note', 'velocity'],
  CC: ['controller', 'value'],
  ProgramChange: ['program'],
  PitchBend: ['value'],
  Aftertouch: ['pressure'],
};

const ROOT_KEYS = ['device', 'wasm', 'advanced_settings', 'modes', 'global_mappings'];

export interface ConfigReadResult {
  /** The normalised config, or null when there is any issue. */
  config: AppConfig | null;
  /** Every problem found, in file order (syntax errors stop at the first: the parser cannot go on). */
  issues: ConfigIssue[];
}

type Table = Record<string, unknown>;

function isTable(value: unknown): value is Table {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
}

/** How a value is shown in "got …". */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value instanceof Date) return `a date (${value.toISOString()})`;
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : 'an array';
  if (isTable(value)) return 'a table';
  if (typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

/** `; did you mean "X"?` when one candidate is close (case-insensitive equal or ≤ 2 edits), else ''. */
function didYouMean(word: string, candidates: readonly string[]): string {
  const lower = word.toLowerCase();
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = c.toLowerCase() === lower ? 0 : editDistance(lower, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== null && bestDistance <= Math.min(2, Math.max(1, Math.floor(word.length / 3))) ? `; did you mean "${best}"?` : '';
}

function quoteList(items: readonly string[]): string {
  return items.map((i) => `"${i}"`).join(', ');
}

class Reader {
  readonly issues: ConfigIssue[] = [];
  private source: SourceMap | null = null;
  /** The source map is built on the first issue only: valid files (the common case) never pay for it. */
  constructor(private readonly text: string | null) {}

  fail(path: ConfigPath, message: string): void {
    if (this.source === null && this.text !== null) this.source = new SourceMap(this.text);
    const at = this.source?.locate(path) ?? null;
    this.issues.push({ path: formatPath(path), segments: [...path], message, line: at?.line ?? null, column: at?.column ?? null });
  }

  /** Runs `read` and returns its result only when it reported no issue. */
  clean<T>(read: () => T | null): T | null {
    const before = this.issues.length;
    const value = read();
    return this.issues.length === before ? value : null;
  }
}

/** Field access on one table: type and range checks, and the keys nobody asked for. */
class Fields {
  private readonly used = new Set<string>();

  constructor(
    private readonly r: Reader,
    readonly table: Table,
    readonly path: ConfigPath,
  ) {}

  at(key: string): ConfigPath {
    return [...this.path, key];
  }

  has(key: string): boolean {
    return this.table[key] !== undefined;
  }

  raw(key: string): unknown {
    this.used.add(key);
    return this.table[key];
  }

  private missing(key: string, required: boolean): boolean {
    if (required) this.r.fail(this.at(key), 'missing required field');
    return true;
  }

  int(key: string, range: Range, required = false): number | undefined {
    const v = this.raw(key);
    if (v === undefined) return void this.missing(key, required);
    const [min, max] = range;
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      this.r.fail(this.at(key), `expected an integer ${min}–${max}, got ${describeValue(v)}`);
      return undefined;
    }
    if (v < min || v > max) {
      this.r.fail(this.at(key), `expected ${min}–${max}, got ${v}`);
      return undefined;
    }
    return v;
  }

  bool(key: string): boolean | undefined {
    const v = this.raw(key);
    if (v === undefined || typeof v === 'boolean') return v;
    this.r.fail(this.at(key), `expected true or false, got ${describeValue(v)}`);
    return undefined;
  }

  str(key: string, required = false, nonEmpty = required): string | undefined {
    const v = this.raw(key);
    if (v === undefined) return void this.missing(key, required);
    if (typeof v !== 'string') {
      this.r.fail(this.at(key), `expected a string, got ${describeValue(v)}`);
      return undefined;
    }
    if (nonEmpty && v.trim() === '') {
      this.r.fail(this.at(key), 'expected a non-empty string');
      return undefined;
    }
    return v;
  }

  oneOf<T extends string>(key: string, options: readonly T[], required = false): T | undefined {
    const v = this.raw(key);
    if (v === undefined) return void this.missing(key, required);
    if (typeof v === 'string' && (options as readonly string[]).includes(v)) return v as T;
    const hint = typeof v === 'string' ? didYouMean(v, options) : '';
    this.r.fail(this.at(key), `expected one of ${quoteList(options)}, got ${describeValue(v)}${hint}`);
    return undefined;
  }

  strings(key: string): string[] | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) {
      this.r.fail(this.at(key), `expected an array of strings, got ${describeValue(v)}`);
      return undefined;
    }
    let ok = true;
    v.forEach((item: unknown, i) => {
      if (typeof item !== 'string' || item === '') {
        this.r.fail([...this.at(key), i], `expected a non-empty string, got ${describeValue(item)}`);
        ok = false;
      }
    });
    return ok ? (v as string[]) : undefined;
  }

  /** Keys not read so far. */
  rest(): string[] {
    return Object.keys(this.table).filter((k) => !this.used.has(k));
  }

  /** Unknown keys are errors (trigger and action bodies: a typo must not silently do nothing). */
  rejectRest(what: string, allowed: readonly string[]): void {
    for (const key of this.rest()) {
      this.r.fail(this.at(key), `unknown field for ${what} (fields: ${allowed.join(', ')})${didYouMean(key, allowed)}`);
    }
  }

  /** Unknown keys are kept, verbatim, for writing back. */
  extra(): ConfigExtra | undefined {
    const keys = this.rest();
    if (keys.length === 0) return undefined;
    const out: ConfigExtra = {};
    for (const key of keys) out[key] = this.table[key] as TomlValue;
    return out;
  }
}

function withExtra<T extends object>(value: T, extra: ConfigExtra | undefined): T {
  return extra === undefined ? value : { ...value, extra };
}

/** `{ Note = { … } }` (one key naming the type) or `{ type = "Note", … }` → the type, its fields and their path. */
function untag<T extends string>(
  r: Reader,
  value: unknown,
  path: ConfigPath,
  kind: 'trigger' | 'action',
  types: readonly T[],
): { type: T; fields: Fields } | null {
  const example = kind === 'trigger' ? '{ Note = { note = 60 } }' : '{ Text = { text = "hello" } }';
  if (!isTable(value)) {
    r.fail(path, `expected a table naming the ${kind} type, e.g. ${example}, got ${describeValue(value)}`);
    return null;
  }
  if ('type' in value) {
    const tag = value.type;
    if (typeof tag !== 'string') {
      r.fail([...path, 'type'], `expected a string naming the ${kind} type, got ${describeValue(tag)}`);
      return null;
    }
    if (!(types as readonly string[]).includes(tag)) {
      r.fail([...path, 'type'], `unknown ${kind} type "${tag}" (types: ${types.join(', ')})${didYouMean(tag, types)}`);
      return null;
    }
    const fields = new Fields(r, value, path);
    fields.raw('type');
    return { type: tag as T, fields };
  }
  const keys = Object.keys(value);
  if (keys.length !== 1) {
    const named = keys.filter((k) => (types as readonly string[]).includes(k));
    r.fail(
      path,
      keys.length === 0
        ? `empty: expected one key naming the ${kind} type, e.g. ${example}`
        : named.length > 0
          ? `expected exactly one key naming the ${kind} type, found ${keys.length}: ${keys.join(', ')}`
          : `missing the ${kind} type: write it as ${example} or add type = "…" (types: ${types.join(', ')})`,
    );
    return null;
  }
  const [key] = keys as [string];
  if (!(types as readonly string[]).includes(key)) {
    r.fail([...path, key], `unknown ${kind} type "${key}" (types: ${types.join(', ')})${didYouMean(key, types)}`);
    return null;
  }
  const body = value[key];
  if (!isTable(body)) {
    r.fail([...path, key], `expected a table of the ${key} ${kind}'s fields, e.g. ${example}, got ${describeValue(body)}`);
    return null;
  }
  return { type: key as T, fields: new Fields(r, body, [...path, key]) };
}

function minMax(r: Reader, f: Fields, minKey: string, maxKey: string, min: number | undefined, max: number | undefined): void {
  if (min !== undefined && max !== undefined && min > max) r.fail(f.at(minKey), `${minKey} (${min}) is greater than ${maxKey} (${max})`);
}

function readTrigger(r: Reader, value: unknown, path: ConfigPath): Trigger | null {
  return r.clean(() => {
    const tag = untag(r, value, path, 'trigger', TRIGGER_TYPES);
    if (!tag) return null;
    const { fields: f, type } = tag;
    const channel = f.int('channel', RANGES.channel);
    const ch = channel === undefined ? {} : { channel };
    let trigger: Trigger | null = null;
    switch (type) {
      case 'Note': {
        const note = f.int('note', RANGES.note, true);
        const velocityMin = f.int('velocity_min', RANGES.velocity);
        if (note !== undefined) trigger = { type, note, ...(velocityMin === undefined ? {} : { velocityMin }), ...ch };
        break;
      }
      case 'VelocityRange': {
        const note = f.int('note', RANGES.note, true);
        const level = f.oneOf('level', Object.keys(VELOCITY_LEVELS) as VelocityLevel[]);
        if (f.has('level') && (f.has('min_velocity') || f.has('max_velocity'))) {
          r.fail(f.at('level'), 'give either level or min_velocity and max_velocity, not both');
        }
        const explicit = !f.has('level');
        const minVelocity = f.int('min_velocity', RANGES.velocity, explicit);
        const maxVelocity = f.int('max_velocity', RANGES.velocity, explicit);
        minMax(r, f, 'min_velocity', 'max_velocity', minVelocity, maxVelocity);
        if (note !== undefined && level !== undefined) {
          const [lo, hi] = VELOCITY_LEVELS[level];
          trigger = { type, note, minVelocity: lo, maxVelocity: hi, level, ...ch };
        } else if (note !== undefined && minVelocity !== undefined && maxVelocity !== undefined) {
          trigger = { type, note, minVelocity, maxVelocity, ...ch };
        }
        break;
      }
      case 'LongPress': {
        const note = f.int('note', RANGES.note, true);
        const minDurationMs = f.int('min_duration_ms', RANGES.holdMs);
        if (note !== undefined) trigger = { type, note, ...(minDurationMs === undefined ? {} : { minDurationMs }), ...ch };
        break;
      }
      case 'DoubleTap': {
        const note = f.int('note', RANGES.note, true);
        const maxIntervalMs = f.int('max_interval_ms', RANGES.doubleTapMs);
        if (note !== undefined) trigger = { type, note, ...(maxIntervalMs === undefined ? {} : { maxIntervalMs }), ...ch };
        break;
      }
      case 'NoteChord': {
        const notes = readChord(r, f);
        const maxIntervalMs = f.int('max_interval_ms', RANGES.chordMs);
        if (notes) trigger = { type, notes, ...(maxIntervalMs === undefined ? {} : { maxIntervalMs }), ...ch };
        break;
      }
      case 'CC': {
        const cc = f.int('cc', RANGES.cc, true);
        const valueMin = f.int('value_min', RANGES.ccValue);
        if (cc !== undefined) trigger = { type, cc, ...(valueMin === undefined ? {} : { valueMin }), ...ch };
        break;
      }
      case 'EncoderTurn': {
        const cc = f.int('cc', RANGES.cc, true);
        const direction = f.oneOf('direction', ['Clockwise', 'CounterClockwise'] as const, true);
        const encoding = f.oneOf('encoding', ['relative', 'absolute'] as const);
        if (cc !== undefined && direction !== undefined) trigger = { type, cc, direction, ...(encoding === undefined ? {} : { encoding }), ...ch };
        break;
      }
      case 'Aftertouch': {
        const note = f.int('note', RANGES.note);
        const minPressure = f.int('min_pressure', RANGES.pressure);
        const maxPressure = f.int('max_pressure', RANGES.pressure);
        minMax(r, f, 'min_pressure', 'max_pressure', minPressure, maxPressure);
        trigger = {
          type,
          ...(note === undefined ? {} : { note }),
          ...(minPressure === undefined ? {} : { minPressure }),
          ...(maxPressure === undefined ? {} : { maxPressure }),
          ...ch,
        };
        break;
      }
      case 'PitchBend': {
        const minValue = f.int('min_value', RANGES.pitchBend, true);
        const maxValue = f.int('max_value', RANGES.pitchBend, true);
        const centerDeadzone = f.int('center_deadzone', RANGES.centerDeadzone);
        minMax(r, f, 'min_value', 'max_value', minValue, maxValue);
        if (minValue !== undefined && maxValue !== undefined) {
          trigger = { type, minValue, maxValue, ...(centerDeadzone === undefined ? {} : { centerDeadzone }), ...ch };
        }
        break;
      }
    }
    f.rejectRest(`a ${type} trigger`, TRIGGER_FIELDS[type]);
    return trigger;
  });
}

function readChord(r: Reader, f: Fields): number[] | null {
  const v = f.raw('notes');
  const at = f.at('notes');
  if (v === undefined) {
    r.fail(at, `missing required field (${MIN_CHORD_NOTES}–${MAX_CHORD_NOTES} notes, e.g. notes = [60, 64, 67])`);
    return null;
  }
  if (!Array.isArray(v)) {
    r.fail(at, `expected an array of notes, e.g. [60, 64, 67], got ${describeValue(v)}`);
    return null;
  }
  if (v.length === 0) {
    r.fail(at, `empty chord: expected ${MIN_CHORD_NOTES}–${MAX_CHORD_NOTES} notes`);
    return null;
  }
  if (v.length < MIN_CHORD_NOTES || v.length > MAX_CHORD_NOTES) {
    r.fail(at, `expected ${MIN_CHORD_NOTES}–${MAX_CHORD_NOTES} notes, got ${v.length}`);
    return null;
  }
  const notes: number[] = [];
  let ok = true;
  v.forEach((item: unknown, i) => {
    const [min, max] = RANGES.note;
    if (typeof item !== 'number' || !Number.isInteger(item)) {
      r.fail([...at, i], `expected an integer ${min}–${max}, got ${describeValue(item)}`);
      ok = false;
    } else if (item < min || item > max) {
      r.fail([...at, i], `expected ${min}–${max}, got ${item}`);
      ok = false;
    } else if (notes.includes(item)) {
      r.fail([...at, i], `note ${item} is listed twice`);
      ok = false;
    } else {
      notes.push(item);
    }
  });
  return ok ? notes : null;
}

/** What ModeChange may refer to: the file's mode names (by index), known before any mapping is read. */
interface ModeRefs {
  names: (string | null)[];
}

function toParamValue(r: Reader, value: unknown, path: ConfigPath): ParamValue | undefined {
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    r.fail(path, `expected a JSON-compatible value (params go to the plugin as JSON), got ${describeValue(value)}`);
    return undefined;
  }
  if (Array.isArray(value)) {
    const out: ParamValue[] = [];
    let ok = true;
    value.forEach((item: unknown, i) => {
      const v = toParamValue(r, item, [...path, i]);
      if (v === undefined) ok = false;
      else out.push(v);
    });
    return ok ? out : undefined;
  }
  if (isTable(value)) {
    const out: Record<string, ParamValue> = {};
    let ok = true;
    for (const [k, item] of Object.entries(value)) {
      const v = toParamValue(r, item, [...path, k]);
      if (v === undefined) ok = false;
      else out[k] = v;
    }
    return ok ? out : undefined;
  }
  const why = value instanceof Date ? 'dates are not JSON; write it as a string' : 'not representable in JSON';
  r.fail(path, `expected a JSON-compatible value (params go to the plugin as JSON), got ${describeValue(value)}: ${why}`);
  return undefined;
}

function readModeTarget(r: Reader, f: Fields, modes: ModeRefs): { mode: string | number; relative?: boolean } | null {
  const relative = f.bool('relative');
  const mode = f.raw('mode');
  const at = f.at('mode');
  const count = modes.names.length;
  if (mode === undefined) {
    r.fail(at, 'missing required field (a mode name, a mode index, or with relative = true a step such as 1 or -1)');
    return null;
  }
  if (relative === true) {
    if (typeof mode !== 'number' || !Number.isInteger(mode)) {
      r.fail(at, `with relative = true, expected a whole number of modes to move by (1 = next, -1 = previous), got ${describeValue(mode)}`);
      return null;
    }
    return { mode, relative };
  }
  const rel = relative === false ? { relative } : {};
  if (typeof mode === 'string') {
    if (mode.trim() === '') {
      r.fail(at, 'expected a mode name, got an empty string');
      return null;
    }
    if (!modes.names.includes(mode)) {
      const known = modes.names.filter((n): n is string => n !== null);
      r.fail(at, `no mode named "${mode}" (modes: ${known.length > 0 ? quoteList(known) : 'none'})${didYouMean(mode, known)}`);
      return null;
    }
    return { mode, ...rel };
  }
  if (typeof mode === 'number' && Number.isInteger(mode)) {
    if (mode < 0 || mode >= count) {
      r.fail(at, count === 0 ? `no mode with index ${mode}: there are no modes` : `no mode with index ${mode}: expected 0–${count - 1}`);
      return null;
    }
    return { mode, ...rel };
  }
  r.fail(at, `expected a mode name or index, got ${describeValue(mode)}`);
  return null;
}

function readSendMidi(r: Reader, f: Fields): Action | null {
  const port = f.str('port', true);
  const messageType = f.oneOf('message_type', SEND_MIDI_TYPES, true);
  const channel = f.int('channel', RANGES.channel) ?? 0;
  if (messageType === undefined) {
    // Without a known type the other fields cannot be checked; only say what is unknown.
    for (const k of ['note', 'velocity', 'controller', 'value', 'program', 'pressure']) f.raw(k);
    return null;
  }
  const uses = SEND_MIDI_FIELDS[messageType];
  for (const k of ['note', 'velocity', 'controller', 'value', 'program', 'pressure']) {
    if (!uses.includes(k) && f.has(k)) {
      f.raw(k);
      r.fail(f.at(k), `not used by message_type "${messageType}" (it uses ${uses.join(', ')})`);
    }
  }
  let message: SendMidiMessage | null = null;
  switch (messageType) {
    case 'NoteOn':
    case 'NoteOff': {
      const note = f.int('note', RANGES.note, true);
      const velocity = f.int('velocity', RANGES.velocity) ?? (messageType === 'NoteOn' ? 100 : 0);
      if (note !== undefined) message = { type: messageType, channel, note, velocity };
      break;
    }
    case 'CC': {
      const controller = f.int('controller', RANGES.cc, true);
      const value = f.int('value', RANGES.ccValue, true);
      if (controller !== undefined && value !== undefined) message = { type: messageType, channel, controller, value };
      break;
    }
    case 'ProgramChange': {
      const program = f.int('program', RANGES.program, true);
      if (program !== undefined) message = { type: messageType, channel, program };
      break;
    }
    case 'PitchBend': {
      const value = f.int('value', RANGES.pitchBend, true);
      if (value !== undefined) message = { type: messageType, channel, value };
      break;
    }
    case 'Aftertouch': {
      const pressure = f.int('pressure', RANGES.pressure, true);
      if (pressure !== undefined) message = { type: messageType, channel, pressure };
      break;
    }
  }
  return port !== undefined && message ? { type: 'SendMidi', port, message } : null;
}

function readAction(r: Reader, value: unknown, path: ConfigPath, depth: number, modes: ModeRefs): Action | null {
  return r.clean(() => {
    if (depth > MAX_ACTION_DEPTH) {
      r.fail(path, `nested too deep: actions inside Sequence and Repeat may nest at most ${MAX_ACTION_DEPTH} levels`);
      return null;
    }
    const tag = untag(r, value, path, 'action', ACTION_TYPES);
    if (!tag) return null;
    const { fields: f, type } = tag;
    let action: Action | null = null;
    switch (type) {
      case 'WasmPlugin': {
        const written = f.str('path', true);
        const rawParams = f.raw('params');
        let params: ActionParams | undefined = {};
        if (rawParams !== undefined) {
          if (!isTable(rawParams)) {
            r.fail(f.at('params'), `expected a table, e.g. params = { action = "play" }, got ${describeValue(rawParams)}`);
            params = undefined;
          } else {
            params = toParamValue(r, rawParams, f.at('params')) as ActionParams | undefined;
          }
        }
        if (written !== undefined && params !== undefined) {
          const expanded = expandHome(written);
          action = { type, path: expanded, params, ...(expanded === written ? {} : { pathAsWritten: written }) };
        }
        break;
      }
      case 'ModeChange': {
        const target = readModeTarget(r, f, modes);
        if (target) action = { type, ...target };
        break;
      }
      case 'SendMidi':
        action = readSendMidi(r, f);
        break;
      case 'Sequence': {
        const list = f.raw('actions');
        const at = f.at('actions');
        if (list === undefined) r.fail(at, 'missing required field (an array of actions)');
        else if (!Array.isArray(list)) r.fail(at, `expected an array of actions, got ${describeValue(list)}`);
        else if (list.length === 0) r.fail(at, 'empty sequence: expected at least one action');
        else if (list.length > MAX_SEQUENCE_ACTIONS) r.fail(at, `expected at most ${MAX_SEQUENCE_ACTIONS} actions, got ${list.length}`);
        else {
          const actions = list.map((item: unknown, i) => readAction(r, item, [...at, i], depth + 1, modes));
          if (actions.every((a): a is Action => a !== null)) action = { type, actions };
        }
        break;
      }
      case 'Delay': {
        const ms = f.int('ms', RANGES.delayMs, true);
        if (ms !== undefined) action = { type, ms };
        break;
      }
      case 'Repeat': {
        const inner = f.raw('action');
        const repeated = inner === undefined ? (r.fail(f.at('action'), 'missing required field (the action to repeat)'), null) : readAction(r, inner, f.at('action'), depth + 1, modes);
        const count = f.int('count', RANGES.repeatCount, true);
        const delayBetweenMs = f.int('delay_between_ms', RANGES.delayMs);
        if (repeated && count !== undefined) action = { type, action: repeated, count, ...(delayBetweenMs === undefined ? {} : { delayBetweenMs }) };
        break;
      }
      case 'Shell': {
        const command = f.str('command', true);
        const shell = f.bool('shell');
        const timeoutMs = f.int('timeout_ms', RANGES.shellTimeoutMs);
        if (command !== undefined) {
          action = { type, command, ...(shell === undefined ? {} : { shell }), ...(timeoutMs === undefined ? {} : { timeoutMs }) };
        }
        break;
      }
      case 'Launch': {
        const app = f.str('app', true);
        const args = f.strings('args');
        if (app !== undefined) action = { type, app, ...(args === undefined ? {} : { args }) };
        break;
      }
      case 'Keystroke': {
        const keys = f.str('keys', true);
        const modifiers = f.strings('modifiers');
        if (keys !== undefined) action = { type, keys, ...(modifiers === undefined ? {} : { modifiers }) };
        break;
      }
      case 'Text': {
        const text = f.str('text', true);
        if (text !== undefined) action = { type, text };
        break;
      }
    }
    f.rejectRest(`a ${type} action`, ACTION_FIELDS[type]);
    return action;
  });
}

function readMapping(r: Reader, value: unknown, path: ConfigPath, modes: ModeRefs): Mapping | null {
  return r.clean(() => {
    if (!isTable(value)) {
      r.fail(path, `expected a mapping table with trigger and action, got ${describeValue(value)}`);
      return null;
    }
    const f = new Fields(r, value, path);
    const description = f.str('description') ?? '';
    const rawTrigger = f.raw('trigger');
    const rawAction = f.raw('action');
    const trigger = rawTrigger === undefined ? (r.fail(f.at('trigger'), 'missing required field, e.g. trigger = { Note = { note = 60 } }'), null) : readTrigger(r, rawTrigger, f.at('trigger'));
    const action = rawAction === undefined ? (r.fail(f.at('action'), 'missing required field, e.g. action = { Text = { text = "hello" } }'), null) : readAction(r, rawAction, f.at('action'), 1, modes);
    return trigger && action ? withExtra<Mapping>({ description, trigger, action }, f.extra()) : null;
  });
}

function readMappings(r: Reader, value: unknown, path: ConfigPath, modes: ModeRefs, header: string): Mapping[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    r.fail(path, `expected an array of tables (${header}), got ${describeValue(value)}`);
    return [];
  }
  const out: Mapping[] = [];
  value.forEach((item: unknown, i) => {
    const m = readMapping(r, item, [...path, i], modes);
    if (m) out.push(m);
  });
  return out;
}

function section(r: Reader, doc: Table, key: string): Fields {
  const value = doc[key];
  if (value === undefined) return new Fields(r, {}, [key]);
  if (!isTable(value)) {
    r.fail([key], `expected a table ([${key}]), got ${describeValue(value)}`);
    return new Fields(r, {}, [key]);
  }
  return new Fields(r, value, [key]);
}

function readDevice(r: Reader, doc: Table): DeviceConfig {
  const f = section(r, doc, 'device');
  const name = f.str('name');
  const device: DeviceConfig = {
    name: name === undefined || name.trim() === '' ? null : name,
    autoConnect: f.bool('auto_connect') ?? true,
    autoReconnect: f.bool('auto_reconnect') ?? true,
    port: f.int('port', RANGES.devicePort) ?? null,
  };
  return withExtra(device, f.extra());
}

/** `[wasm.limits.<plugin>]` keys: the file's name and unit (memory in MiB) for each editable limit. */
export const LIMIT_FIELDS: readonly { key: string; limit: EditableLimit; unit: number }[] = [
  { key: 'max_fuel', limit: 'fuelPerCall', unit: 1 },
  { key: 'max_memory_mb', limit: 'memoryBytes', unit: 1024 * 1024 },
  { key: 'max_table_elements', limit: 'tableElements', unit: 1 },
  { key: 'timeout_ms', limit: 'callTimeoutMs', unit: 1 },
];

function readLimits(r: Reader, value: unknown, path: ConfigPath): Record<string, PluginLimitOverrides> | undefined {
  if (value === undefined) return undefined;
  if (!isTable(value)) {
    r.fail(path, `expected a table of per-plugin limits ([wasm.limits.my-plugin] with max_fuel = …), got ${describeValue(value)}`);
    return undefined;
  }
  const out: Record<string, PluginLimitOverrides> = {};
  for (const [id, entry] of Object.entries(value)) {
    const at = [...path, id];
    if (!isTable(entry)) {
      r.fail(at, `expected a table of limits (${LIMIT_FIELDS.map((l) => l.key).join(', ')}), got ${describeValue(entry)}`);
      continue;
    }
    const f = new Fields(r, entry, at);
    const overrides: PluginLimitOverrides = {};
    for (const { key, limit, unit } of LIMIT_FIELDS) {
      const [min, max] = LIMIT_BOUNDS[limit];
      const v = f.int(key, [min / unit, max / unit]);
      if (v !== undefined) overrides[limit] = v * unit;
    }
    f.rejectRest('per-plugin limits', LIMIT_FIELDS.map((l) => l.key));
    out[id] = overrides;
  }
  return out;
}

function readWasm(r: Reader, doc: Table): WasmPolicyConfig {
  const f = section(r, doc, 'wasm');
  const policy: WasmPolicyConfig = { requireSignature: f.bool('require_signature') ?? false, allowSelfSigned: f.bool('allow_self_signed') ?? false };
  const limits = readLimits(r, f.raw('limits'), f.at('limits'));
  return withExtra(limits === undefined ? policy : { ...policy, limits }, f.extra());
}

function readTiming(r: Reader, doc: Table): TimingConfig {
  const f = section(r, doc, 'advanced_settings');
  const timing: TimingConfig = {
    holdThresholdMs: f.int('hold_threshold_ms', RANGES.holdMs) ?? DEFAULT_TIMING.holdThresholdMs,
    doubleTapTimeoutMs: f.int('double_tap_timeout_ms', RANGES.doubleTapMs) ?? DEFAULT_TIMING.doubleTapTimeoutMs,
    chordTimeoutMs: f.int('chord_timeout_ms', RANGES.chordMs) ?? DEFAULT_TIMING.chordTimeoutMs,
  };
  return withExtra(timing, f.extra());
}

function modeRefs(value: unknown): ModeRefs {
  return { names: Array.isArray(value) ? value.map((m: unknown) => (isTable(m) && typeof m.name === 'string' ? m.name : null)) : [] };
}

function readModes(r: Reader, value: unknown, refs: ModeRefs): Mode[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    r.fail(['modes'], `expected an array of tables ([[modes]]), got ${describeValue(value)}`);
    return [];
  }
  const out: Mode[] = [];
  const firstIndex = new Map<string, number>();
  value.forEach((item: unknown, i) => {
    const path = ['modes', i];
    if (!isTable(item)) {
      r.fail(path, `expected a mode table with a name, got ${describeValue(item)}`);
      return;
    }
    const mode = r.clean(() => {
      const f = new Fields(r, item, path);
      const name = f.str('name', true);
      if (name !== undefined) {
        const twin = firstIndex.get(name);
        if (twin === undefined) firstIndex.set(name, i);
        else r.fail(f.at('name'), `duplicate mode name "${name}" (modes[${twin}] has it too)`);
      }
      const color = f.str('color', false, true);
      const mappings = readMappings(r, f.raw('mappings'), [...path, 'mappings'], refs, '[[modes.mappings]]');
      return name === undefined ? null : withExtra<Mode>({ name, color: color ?? null, mappings }, f.extra());
    });
    if (mode) out.push(mode);
  });
  return out;
}

/** Validates and normalises a parsed config.toml. `text` (what `doc` was parsed from) adds line/column to issues. */
export function readConfig(doc: Table, text: string | null = null): ConfigReadResult {
  const r = new Reader(text);
  const device = readDevice(r, doc);
  const wasm = readWasm(r, doc);
  const timing = readTiming(r, doc);
  const refs = modeRefs(doc.modes);
  const modes = readModes(r, doc.modes, refs);
  const globalMappings = readMappings(r, doc.global_mappings, ['global_mappings'], refs, '[[global_mappings]]');
  const extra: ConfigExtra = {};
  for (const [key, value] of Object.entries(doc)) if (!ROOT_KEYS.includes(key)) extra[key] = value as TomlValue;
  const config: AppConfig = withExtra({ device, wasm, timing, modes, globalMappings }, Object.keys(extra).length > 0 ? extra : undefined);
  // Issues in file order where positions are known (the reader visits sections in a fixed order).
  const issues = r.issues
    .map((issue, i) => ({ issue, i }))
    .sort((a, b) => (a.issue.line ?? Infinity) - (b.issue.line ?? Infinity) || (a.issue.column ?? 0) - (b.issue.column ?? 0) || a.i - b.i)
    .map(({ issue }) => issue);
  return { config: issues.length === 0 ? config : null, issues };
}

/** `[wasm]` alone (the signature policy), for callers that need it even when the rest of the file is broken. */
export function readWasmPolicy(doc: Table): { policy: WasmPolicyConfig; issues: ConfigIssue[] } {
  const r = new Reader(null);
  const policy = readWasm(r, doc);
  return { policy, issues: r.issues };
}

/** Hints for the two mistakes the spec's own example invites: JSON colons and inline tables over several lines. */
function syntaxHint(text: string, line: number | null, column: number | null): string {
  if (line === null) return '';
  const source = (text.replace(/^\uFEFF/, '').split(/\r?\n/)[line - 1] ?? '').replace(/#.*$/, '').trimEnd();
  if (column !== null && source[column - 1] === ':') return ' (TOML writes key = value, not "key": value as JSON does)';
  if (source.endsWith('{')) {
    return ' (an inline table { … } must be on one line in TOML: write it on one line, or as [modes.mappings.action.WasmPlugin]-style tables)';
  }
  return '';
}

/** Parses config.toml text: a syntax error is one issue with line and column; otherwise every schema issue. */
export function parseConfigText(text: string, file = 'config.toml'): ConfigReadResult {
  let doc: TOML.JsonMap;
  try {
    doc = parseToml(file, text);
  } catch (err) {
    if (!(err instanceof TomlFileError)) throw err;
    const hint = syntaxHint(text, err.line, err.column);
    return { config: null, issues: [{ path: '', segments: [], message: `TOML syntax error: ${err.reason}${hint}`, line: err.line, column: err.column }] };
  }
  return readConfig(doc, text);
}
