// The action schemas of config.toml: each action type's fields (WasmPlugin params as JSON values, ModeChange targets
// checked against the file's modes, SendMidi by message type, Sequence and Repeat nested to a bounded depth). Pure — never runs an action.
import { ACTION_FIELDS, ACTION_TYPES, type Action, type SendMidiMessage } from '../../src-shared/config';
import type { ActionParams, ParamValue } from '../../src-shared/plugin';
import { expandHome } from '../common/paths';
import { readCondition } from './schema-conditions';
import { describeValue, didYouMean, isTable, quoteList, RANGES, untag, type Fields, type Reader } from './schema-fields';
import type { ConfigPath } from './source-map';

/** A mapping's action is depth 1; Sequence items, Repeat's action and Conditional's branches are one deeper. Deeper than this is refused. */
export const MAX_ACTION_DEPTH = 8;
export const MAX_SEQUENCE_ACTIONS = 1_000;
export const SEND_MIDI_TYPES = ['NoteOn', 'NoteOff', 'CC', 'ProgramChange', 'PitchBend', 'Aftertouch'] as const;

/** The 14-bit pitch-bend value of the centre: Conductor's signed `pitch` 0 is this `value`. */
export const PITCH_CENTRE = 8192;
const SEND_MIDI_VALUE_KEYS = ['note', 'velocity', 'controller', 'value', 'program', 'pitch', 'pressure'] as const;

/** Which SendMidi fields each message_type uses (channel and port are always allowed). */
const SEND_MIDI_FIELDS: Readonly<Record<SendMidiMessage['type'], readonly string[]>> = {
  NoteOn: ['note', 'velocity'],
  NoteOff: ['note', 'velocity'],
  CC: ['controller', 'value'],
  ProgramChange: ['program'],
  PitchBend: ['pitch', 'value'],
  Aftertouch: ['pressure'],
};

/** What ModeChange may refer to: the file's mode names (by index), known before any mapping is read. */
export interface ModeRefs {
  names: (string | null)[];
}

/** The mode names of the file's [[modes]] (null where an entry has none), before any mode is checked. */
export function modeRefs(value: unknown): ModeRefs {
  return { names: Array.isArray(value) ? value.map((m: unknown) => (isTable(m) && typeof m.name === 'string' ? m.name : null)) : [] };
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
    for (const k of SEND_MIDI_VALUE_KEYS) f.raw(k);
    return null;
  }
  const uses = SEND_MIDI_FIELDS[messageType];
  for (const k of SEND_MIDI_VALUE_KEYS) {
    if (!uses.includes(k) && f.has(k)) {
      f.raw(k);
      r.fail(f.at(k), `not used by message_type "${messageType}" (it uses ${uses.join(', ')})`);
    }
  }
  let message: SendMidiMessage | null = null;
  let older = false;
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
      // Conductor's `pitch` is signed around the centre; our older files' `value` is the 14-bit wire value.
      if (f.has('pitch') && f.has('value')) {
        f.raw('value');
        r.fail(f.at('value'), 'give pitch (-8192 to 8191) or value (0 to 16383, its older form), not both');
      }
      if (f.has('value') && !f.has('pitch')) {
        older = true;
        const value = f.int('value', RANGES.pitchBend, true);
        if (value !== undefined) message = { type: messageType, channel, value };
      } else {
        const pitch = f.int('pitch', RANGES.pitch, true);
        if (pitch !== undefined) message = { type: messageType, channel, value: pitch + PITCH_CENTRE };
      }
      break;
    }
    case 'Aftertouch': {
      const pressure = f.int('pressure', RANGES.pressure, true);
      if (pressure !== undefined) message = { type: messageType, channel, pressure };
      break;
    }
  }
  return port !== undefined && message ? { type: 'SendMidi', port, message, ...(older ? { olderNames: true as const } : {}) } : null;
}

/** One action at `path`, `depth` levels deep (a mapping's own action is 1); null when it has any issue. */
export function readAction(r: Reader, value: unknown, path: ConfigPath, depth: number, modes: ModeRefs): Action | null {
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
        const { value: delayBetweenMs, older } = f.intEither('delay_ms', 'delay_between_ms', RANGES.delayMs);
        if (repeated && count !== undefined) {
          action = { type, action: repeated, count, ...(delayBetweenMs === undefined ? {} : { delayBetweenMs }), ...(older ? { olderNames: true as const } : {}) };
        }
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
      case 'VolumeControl': {
        const operation = f.oneOf('operation', ['Up', 'Down', 'Mute', 'Unmute', 'Set'] as const, true);
        const value = f.int('value', RANGES.percent, operation === 'Set');
        if ((operation === 'Mute' || operation === 'Unmute') && f.has('value')) r.fail(f.at('value'), `not used by operation "${operation}" (value is the step of Up / Down, or the level of Set)`);
        else if (operation !== undefined) action = { type, operation, ...(value === undefined ? {} : { value }) };
        break;
      }
      case 'MouseClick': {
        const raw = f.raw('button');
        const button = typeof raw === 'string' ? raw.toLowerCase() : raw;
        if (raw === undefined) r.fail(f.at('button'), 'missing required field ("left", "right" or "middle")');
        else if (button !== 'left' && button !== 'right' && button !== 'middle') r.fail(f.at('button'), `expected one of "left", "right", "middle", got ${describeValue(raw)}`);
        const x = f.int('x', RANGES.screen);
        const y = f.int('y', RANGES.screen);
        if (f.has('x') !== f.has('y')) r.fail(f.at(f.has('x') ? 'y' : 'x'), 'missing: give x and y together (neither: click where the pointer is)');
        else if (button === 'left' || button === 'right' || button === 'middle') action = { type, button, ...(x === undefined || y === undefined ? {} : { x, y }) };
        break;
      }
      case 'Conditional': {
        const rawCondition = f.raw('condition');
        const condition = rawCondition === undefined ? (r.fail(f.at('condition'), 'missing required field, e.g. condition = { type = "ModeIs", mode = "Default" }'), null) : readCondition(r, rawCondition, f.at('condition'), 1, modes);
        const rawThen = f.raw('then_action');
        const thenAction = rawThen === undefined ? (r.fail(f.at('then_action'), 'missing required field (the action when the condition holds)'), null) : readAction(r, rawThen, f.at('then_action'), depth + 1, modes);
        const rawElse = f.raw('else_action');
        const elseAction = rawElse === undefined ? undefined : readAction(r, rawElse, f.at('else_action'), depth + 1, modes);
        if (condition && thenAction && elseAction !== null) action = { type, condition, thenAction, ...(elseAction === undefined ? {} : { elseAction }) };
        break;
      }
    }
    f.rejectRest(`a ${type} action`, ACTION_FIELDS[type]);
    return action;
  });
}
