// The trigger schemas of config.toml: each trigger type's fields, ranges and cross-field rules (min ≤ max, a chord's
// notes), read into the normalised Trigger. Pure — never reads files, never decides whether a MIDI event matches.
import { DEFAULT_MEDIUM_MAX, DEFAULT_SOFT_MAX, GAMEPAD_TRIGGER_TYPES, TRIGGER_FIELDS, TRIGGER_TYPES, VELOCITY_LEVELS, type Trigger, type VelocityLevel } from '../../src-shared/config';
import { describeValue, RANGES, untag, type Fields, type Reader } from './schema-fields';
import type { ConfigPath } from './source-map';

export const MIN_CHORD_NOTES = 2;
export const MAX_CHORD_NOTES = 16;

function minMax(r: Reader, f: Fields, minKey: string, maxKey: string, min: number | undefined, max: number | undefined): void {
  if (min !== undefined && max !== undefined && min > max) r.fail(f.at(minKey), `${minKey} (${min}) is greater than ${maxKey} (${max})`);
}

/** One trigger at `path`; null when it has any issue. */
export function readTrigger(r: Reader, value: unknown, path: ConfigPath): Trigger | null {
  return r.clean(() => {
    const tag = untag(r, value, path, 'trigger', TRIGGER_TYPES);
    if (!tag) return null;
    const { fields: f, type } = tag;
    // Game controllers have no MIDI channel: their `channel` is refused as an unknown field below.
    const channel = GAMEPAD_TRIGGER_TYPES.includes(type) ? undefined : f.int('channel', RANGES.channel);
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
        if (!f.has('level') && !f.has('min_velocity') && !f.has('max_velocity')) {
          // Conductor's form: every press of the note, classified soft / medium / hard.
          const softMax = f.int('soft_max', RANGES.velocity) ?? DEFAULT_SOFT_MAX;
          const mediumMax = f.int('medium_max', RANGES.velocity) ?? DEFAULT_MEDIUM_MAX;
          if (softMax >= mediumMax) r.fail(f.at(f.has('soft_max') ? 'soft_max' : 'medium_max'), `soft_max (${softMax}) must be less than medium_max (${mediumMax})`);
          else if (note !== undefined) trigger = { type, note, minVelocity: 1, maxVelocity: 127, softMax, mediumMax, ...ch };
          break;
        }
        for (const k of ['soft_max', 'medium_max']) {
          if (f.has(k)) {
            f.raw(k);
            r.fail(f.at(k), 'soft_max and medium_max classify every press of the note; give them, or a band (level, or min_velocity and max_velocity), not both');
          }
        }
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
        const { value: minDurationMs, older } = f.intEither('duration_ms', 'min_duration_ms', RANGES.holdMs);
        if (note !== undefined) trigger = { type, note, ...(minDurationMs === undefined ? {} : { minDurationMs }), ...ch, ...olderNames(older) };
        break;
      }
      case 'DoubleTap': {
        const note = f.int('note', RANGES.note, true);
        const { value: maxIntervalMs, older } = f.intEither('timeout_ms', 'max_interval_ms', RANGES.doubleTapMs);
        if (note !== undefined) trigger = { type, note, ...(maxIntervalMs === undefined ? {} : { maxIntervalMs }), ...ch, ...olderNames(older) };
        break;
      }
      case 'NoteChord': {
        const notes = readChord(r, f);
        const { value: maxIntervalMs, older } = f.intEither('timeout_ms', 'max_interval_ms', RANGES.chordMs);
        if (notes) trigger = { type, notes, ...(maxIntervalMs === undefined ? {} : { maxIntervalMs }), ...ch, ...olderNames(older) };
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
        // Left out: either way (Conductor's default).
        const direction = f.oneOf('direction', ['Clockwise', 'CounterClockwise'] as const);
        const encoding = f.oneOf('encoding', ['relative', 'absolute'] as const);
        if (cc !== undefined) trigger = { type, cc, ...(direction === undefined ? {} : { direction }), ...(encoding === undefined ? {} : { encoding }), ...ch };
        break;
      }
      case 'Aftertouch': {
        const note = f.int('note', RANGES.note);
        const { value: minPressure, older } = f.intEither('pressure_min', 'min_pressure', RANGES.pressure);
        const maxPressure = f.int('max_pressure', RANGES.pressure);
        minMax(r, f, older ? 'min_pressure' : 'pressure_min', 'max_pressure', minPressure, maxPressure);
        trigger = {
          type,
          ...(note === undefined ? {} : { note }),
          ...(minPressure === undefined ? {} : { minPressure }),
          ...(maxPressure === undefined ? {} : { maxPressure }),
          ...ch,
          ...olderNames(older),
        };
        break;
      }
      case 'PitchBend': {
        // Conductor's value_min/value_max are optional (the whole range); our older files' min_value/max_value were not.
        const min = f.intEither('value_min', 'min_value', RANGES.pitchBend);
        const max = f.intEither('value_max', 'max_value', RANGES.pitchBend);
        const older = min.older || max.older;
        if (older && (min.value === undefined) !== (max.value === undefined)) {
          const absent = min.value === undefined ? 'min_value' : 'max_value';
          r.fail(f.at(absent), 'missing required field (min_value and max_value go together; or use value_min / value_max, each optional)');
        }
        const minValue = min.value ?? RANGES.pitchBend[0];
        const maxValue = max.value ?? RANGES.pitchBend[1];
        const centerDeadzone = f.int('center_deadzone', RANGES.centerDeadzone);
        minMax(r, f, min.older ? 'min_value' : 'value_min', max.older ? 'max_value' : 'value_max', minValue, maxValue);
        trigger = { type, minValue, maxValue, ...(centerDeadzone === undefined ? {} : { centerDeadzone }), ...ch, ...olderNames(older) };
        break;
      }
      case 'GamepadButton': {
        const button = f.int('button', RANGES.gamepadId, true);
        const velocityMin = f.int('velocity_min', RANGES.velocity);
        if (button !== undefined) trigger = { type, button, ...(velocityMin === undefined ? {} : { velocityMin }) };
        break;
      }
      case 'GamepadButtonChord': {
        const buttons = readIdList(r, f, 'buttons', RANGES.gamepadId, 'buttons', 'e.g. buttons = [136, 137]');
        const maxIntervalMs = f.int('timeout_ms', RANGES.chordMs);
        if (buttons) trigger = { type, buttons, ...(maxIntervalMs === undefined ? {} : { maxIntervalMs }) };
        break;
      }
      case 'GamepadAnalogStick': {
        const axis = f.int('axis', RANGES.gamepadAxis, true);
        const direction = f.oneOf('direction', ['Clockwise', 'CounterClockwise'] as const);
        if (axis !== undefined) trigger = { type, axis, ...(direction === undefined ? {} : { direction }) };
        break;
      }
      case 'GamepadTrigger': {
        const id = f.int('trigger', RANGES.gamepadTrigger, true);
        const threshold = f.int('threshold', RANGES.velocity);
        if (id !== undefined) trigger = { type, trigger: id, ...(threshold === undefined ? {} : { threshold }) };
        break;
      }
    }
    f.rejectRest(`a ${type} trigger`, TRIGGER_FIELDS[type]);
    return trigger;
  });
}

/** `{ olderNames: true }` when the file used Conductor Desktop's older field names, else nothing. */
function olderNames(older: boolean): { olderNames?: true } {
  return older ? { olderNames: true } : {};
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

/** A list of distinct ids in `range` (a gamepad chord's buttons), 2–16 of them; null when it has any issue. */
function readIdList(r: Reader, f: Fields, key: string, range: readonly [number, number], what: string, example: string): number[] | null {
  const v = f.raw(key);
  const at = f.at(key);
  if (v === undefined) return (r.fail(at, `missing required field (${MIN_CHORD_NOTES}–${MAX_CHORD_NOTES} ${what}, ${example})`), null);
  if (!Array.isArray(v) || v.length < MIN_CHORD_NOTES || v.length > MAX_CHORD_NOTES) {
    r.fail(at, `expected ${MIN_CHORD_NOTES}–${MAX_CHORD_NOTES} ${what}, ${example}, got ${describeValue(v)}`);
    return null;
  }
  const ids: number[] = [];
  let ok = true;
  v.forEach((item: unknown, i) => {
    const [min, max] = range;
    if (typeof item !== 'number' || !Number.isInteger(item) || item < min || item > max) {
      r.fail([...at, i], `expected an integer ${min}–${max}, got ${describeValue(item)}`);
      ok = false;
    } else if (ids.includes(item)) {
      r.fail([...at, i], `${item} is listed twice`);
      ok = false;
    } else {
      ids.push(item);
    }
  });
  return ok ? ids : null;
}
