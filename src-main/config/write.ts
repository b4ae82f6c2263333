// Writes an AppConfig as config.toml in the canonical shape of DESIGN §8 (`trigger = { Note = { note = 60 } }`),
// with unknown keys and tables kept and `~/…` plugin paths written as the user wrote them. Text only — no file I/O.
// Saves edit the user's file instead (preserve.ts); this whole-file text is for new files, for the document those
// edits aim at, and for the fallback when an edit cannot keep the file's layout.
import type { Action, AppConfig, Condition, ConfigExtra, Mapping, Mode, SendMidiMessage, TomlValue, Trigger } from '../../src-shared/config';
import { VELOCITY_LEVELS } from '../../src-shared/config';
import { expandHome } from '../common/paths';
import { inlineValue, isTomlTable, isTomlTableArray, tomlKey } from '../fs/toml-text';
import { PITCH_CENTRE } from './schema-actions';
import { RANGES } from './schema-fields';
import { ISOLATION_KEY, LIMIT_FIELDS } from './schema-wasm';
import { hexRgbColour } from '../../src-shared/led-colours';
import { DEVICE_LED_KEY, deviceLedFields, LED_SETTINGS_KEY, ledSettingsValue, MODE_LED_KEYS, modeLedFields } from './schema-led';

const PITCH_BEND_RANGE = RANGES.pitchBend;

export { inlineValue };

export const CONFIG_HEADER = `# Conductor Desktop configuration (docs/config.md describes every field).
# Written by Conductor Desktop. Saving from the app keeps comments and layout, changing only what changed.
`;

const key = tomlKey;
const isTable = isTomlTable;
const isTableArray = isTomlTableArray;

/**
 * A table's body: `lines` (already-written `key = value` lines) and the extra keys — plain values inline, sub-tables
 * as `[prefix.key]` sections and arrays of tables as `[[prefix.key]]` sections, so hand-written tables keep their look.
 */
function body(prefix: string, lines: string[], extra: Record<string, unknown> | undefined): string {
  const out = [...lines];
  const sections: string[] = [];
  for (const [k, v] of Object.entries(extra ?? {})) {
    if (v === null || v === undefined) continue;
    const full = prefix === '' ? key(k) : `${prefix}.${key(k)}`;
    // Conductor's colour tables ({ r, g, b }) stay inline, as Conductor writes them.
    if (isTable(v) && Object.keys(v).sort().join() === 'b,g,r') out.push(`${key(k)} = ${inlineValue(v)}`);
    else if (isTable(v) && Object.keys(v).length > 0) sections.push(`\n[${full}]\n${body(full, [], v)}`);
    else if (isTableArray(v)) for (const item of v) sections.push(`\n[[${full}]]\n${body(full, [], item)}`);
    else out.push(`${key(k)} = ${inlineValue(v)}`);
  }
  return out.map((l) => `${l}\n`).join('') + sections.join('');
}

function fields(entries: [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) if (v !== undefined) out[k] = v;
  return out;
}

/** The trigger's table in the file's field names, without the type tag. */
export function triggerFields(t: Trigger): Record<string, unknown> {
  switch (t.type) {
    case 'Note':
      return fields([['note', t.note], ['velocity_min', t.velocityMin], ['channel', t.channel]]);
    case 'VelocityRange': {
      if (t.softMax !== undefined || t.mediumMax !== undefined) {
        return fields([['note', t.note], ['soft_max', t.softMax], ['medium_max', t.mediumMax], ['channel', t.channel]]);
      }
      const level = t.level === undefined ? undefined : VELOCITY_LEVELS[t.level];
      const byLevel = level !== undefined && level[0] === t.minVelocity && level[1] === t.maxVelocity;
      return byLevel
        ? fields([['note', t.note], ['level', t.level], ['channel', t.channel]])
        : fields([['note', t.note], ['min_velocity', t.minVelocity], ['max_velocity', t.maxVelocity], ['channel', t.channel]]);
    }
    case 'LongPress':
      return fields([['note', t.note], [t.olderNames ? 'min_duration_ms' : 'duration_ms', t.minDurationMs], ['channel', t.channel]]);
    case 'DoubleTap':
      return fields([['note', t.note], [t.olderNames ? 'max_interval_ms' : 'timeout_ms', t.maxIntervalMs], ['channel', t.channel]]);
    case 'NoteChord':
      return fields([['notes', t.notes], [t.olderNames ? 'max_interval_ms' : 'timeout_ms', t.maxIntervalMs], ['channel', t.channel]]);
    case 'CC':
      return fields([['cc', t.cc], ['value_min', t.valueMin], ['channel', t.channel]]);
    case 'EncoderTurn':
      return fields([['cc', t.cc], ['direction', t.direction], ['encoding', t.encoding], ['channel', t.channel]]);
    case 'Aftertouch':
      return fields([['note', t.note], [t.olderNames ? 'min_pressure' : 'pressure_min', t.minPressure], ['max_pressure', t.maxPressure], ['channel', t.channel]]);
    case 'PitchBend': {
      if (t.olderNames) return fields([['min_value', t.minValue], ['max_value', t.maxValue], ['center_deadzone', t.centerDeadzone], ['channel', t.channel]]);
      // Conductor's bounds are optional: the whole range is written as neither.
      const [lo, hi] = PITCH_BEND_RANGE;
      return fields([['value_min', t.minValue === lo ? undefined : t.minValue], ['value_max', t.maxValue === hi ? undefined : t.maxValue], ['center_deadzone', t.centerDeadzone], ['channel', t.channel]]);
    }
    case 'GamepadButton':
      return fields([['button', t.button], ['velocity_min', t.velocityMin]]);
    case 'GamepadButtonChord':
      return fields([['buttons', t.buttons], ['timeout_ms', t.maxIntervalMs]]);
    case 'GamepadAnalogStick':
      return fields([['axis', t.axis], ['direction', t.direction]]);
    case 'GamepadTrigger':
      return fields([['trigger', t.trigger], ['threshold', t.threshold]]);
  }
}

function messageFields(m: SendMidiMessage, olderNames: boolean): [string, unknown][] {
  switch (m.type) {
    case 'NoteOn':
    case 'NoteOff':
      return [['note', m.note], ['velocity', m.velocity]];
    case 'CC':
      return [['controller', m.controller], ['value', m.value]];
    case 'ProgramChange':
      return [['program', m.program]];
    case 'PitchBend':
      return olderNames ? [['value', m.value]] : [['pitch', m.value - PITCH_CENTRE]];
    case 'Aftertouch':
      return [['pressure', m.pressure]];
  }
}

/** The action in the canonical externally-tagged shape, as a plain value (`{ Text: { text: "hi" } }`). */
export function canonicalAction(a: Action): Record<string, unknown> {
  switch (a.type) {
    case 'WasmPlugin': {
      // Keep `~/…` as written while it still names the same file.
      const path = a.pathAsWritten !== undefined && expandHome(a.pathAsWritten) === a.path ? a.pathAsWritten : a.path;
      const params = Object.keys(a.params).length > 0 ? a.params : undefined;
      return { WasmPlugin: fields([['path', path], ['params', params]]) };
    }
    case 'ModeChange':
      return { ModeChange: fields([['mode', a.mode], ['relative', a.relative]]) };
    case 'SendMidi':
      return {
        SendMidi: fields([['port', a.port], ['message_type', a.message.type], ['channel', a.message.channel], ...messageFields(a.message, a.olderNames === true)]),
      };
    case 'Sequence':
      return { Sequence: { actions: a.actions.map(canonicalAction) } };
    case 'Delay':
      return { Delay: { ms: a.ms } };
    case 'Repeat':
      return { Repeat: fields([['action', canonicalAction(a.action)], ['count', a.count], [a.olderNames ? 'delay_between_ms' : 'delay_ms', a.delayBetweenMs]]) };
    case 'Shell':
      return { Shell: fields([['command', a.command], ['shell', a.shell], ['timeout_ms', a.timeoutMs]]) };
    case 'Launch':
      return { Launch: fields([['app', a.app], ['args', a.args]]) };
    case 'Keystroke':
      return { Keystroke: fields([['keys', a.keys], ['modifiers', a.modifiers]]) };
    case 'Text':
      return { Text: { text: a.text } };
    case 'VolumeControl':
      return { VolumeControl: fields([['operation', a.operation], ['value', a.value]]) };
    case 'MouseClick':
      return { MouseClick: fields([['button', a.button], ['x', a.x], ['y', a.y]]) };
    case 'Conditional':
      return {
        Conditional: fields([['condition', canonicalCondition(a.condition)], ['then_action', canonicalAction(a.thenAction)], ['else_action', a.elseAction === undefined ? undefined : canonicalAction(a.elseAction)]]),
      };
  }
}

/** `[logging]` as a table to write (`~/…` file paths as the user wrote them), or undefined when the config has none. */
function loggingValue(logging: AppConfig['logging']): ConfigExtra | undefined {
  if (logging === undefined) return undefined;
  const file = logging.file === null ? undefined : logging.fileAsWritten !== undefined && expandHome(logging.fileAsWritten) === logging.file ? logging.fileAsWritten : logging.file;
  return { level: logging.level, ...(file === undefined ? {} : { file }), ...withoutKeys(logging.extra, ['level', 'file']) };
}

/** A condition in Conductor's own shape, `{ type = "ModeIs", mode = "Edit" }`, as a plain value. */
export function canonicalCondition(c: Condition): Record<string, unknown> {
  switch (c.type) {
    case 'Always':
    case 'Never':
      return { type: c.type };
    case 'TimeRange':
      return { type: c.type, start: c.start, end: c.end };
    case 'DayOfWeek':
      return { type: c.type, days: c.days };
    case 'AppRunning':
    case 'AppFrontmost':
      return { type: c.type, app_name: c.appName };
    case 'ModeIs':
      return { type: c.type, mode: c.mode };
    case 'And':
    case 'Or':
      return { type: c.type, conditions: c.conditions.map(canonicalCondition) };
    case 'Not':
      return { type: c.type, condition: canonicalCondition(c.condition) };
  }
}

/** The trigger in the canonical externally-tagged shape, as a plain value (`{ Note: { note: 60 } }`). */
export function canonicalTrigger(t: Trigger): Record<string, unknown> {
  return { [t.type]: triggerFields(t) };
}

/** `action = …`; a long top-level Sequence puts one action per line (newlines are allowed inside arrays). */
function actionLine(a: Action): string {
  const line = `action = ${inlineValue(canonicalAction(a))}`;
  if (a.type !== 'Sequence' || line.length <= 100) return line;
  return `action = { Sequence = { actions = [\n${a.actions.map((x) => `  ${inlineValue(canonicalAction(x))},\n`).join('')}] } }`;
}

function mapping(header: string, m: Mapping): string {
  const lines = [
    ...(m.description === '' ? [] : [`description = ${inlineValue(m.description)}`]),
    `trigger = ${inlineValue(canonicalTrigger(m.trigger))}`,
    actionLine(m.action),
  ];
  return `\n[[${header}]]\n${body(header, lines, withoutKeys(m.extra, ['description', 'trigger', 'action']))}`;
}

function mode(m: Mode): string {
  const table = m.colorForm === 'rgb' && m.color !== null ? hexRgbColour(m.color) : undefined;
  const lines = [`name = ${inlineValue(m.name)}`, ...(m.color === null ? [] : [`color = ${inlineValue(table ? { r: table.r, g: table.g, b: table.b } : m.color)}`]), ...modeLedFields(m.led).map(([k, v]) => `${k} = ${inlineValue(v)}`), ...(m.apps && m.apps.length > 0 ? [`apps = ${inlineValue(m.apps)}`] : [])];
  return `\n[[modes]]\n${body('modes', lines, withoutKeys(m.extra, ['name', 'color', 'mappings', 'apps', ...MODE_LED_KEYS]))}${m.mappings.map((x) => mapping('modes.mappings', x)).join('')}`;
}

function withoutKeys(extra: ConfigExtra | undefined, known: readonly string[]): ConfigExtra | undefined {
  if (extra === undefined) return undefined;
  const out: ConfigExtra = {};
  for (const [k, v] of Object.entries(extra)) if (!known.includes(k)) out[k] = v;
  return out;
}

/** config.toml text for `config`: header comment, [device], [wasm], [advanced_settings], unknown tables, modes, global mappings. */
export function serializeConfig(config: AppConfig, header: string = CONFIG_HEADER): string {
  const { device, wasm, timing } = config;
  const led = ledSettingsValue(config.led);
  const logging = loggingValue(config.logging);
  const rootExtra = {
    ...(led === undefined ? {} : { [LED_SETTINGS_KEY]: led }),
    ...(logging === undefined ? {} : { logging }),
    ...withoutKeys(config.extra, ['device', 'wasm', 'advanced_settings', 'modes', 'global_mappings', LED_SETTINGS_KEY, 'logging']),
  };
  // Top-level plain values must come before the first [table] header; unknown tables go after the known ones.
  const rootPlain: Record<string, TomlValue> = {};
  const rootTables: Record<string, TomlValue> = {};
  for (const [k, v] of Object.entries(rootExtra)) {
    if ((isTable(v) && Object.keys(v).length > 0) || isTableArray(v)) rootTables[k] = v;
    else rootPlain[k] = v;
  }
  const known = (names: string[]) => (e: ConfigExtra | undefined) => withoutKeys(e, names);
  const parts = [
    header,
    Object.keys(rootPlain).length > 0 ? `\n${body('', [], rootPlain)}` : '',
    '\n[device]\n',
    body(
      'device',
      [
        ...(device.name === null ? [] : [`name = ${inlineValue(device.name)}`]),
        `auto_connect = ${device.autoConnect}`,
        `auto_reconnect = ${device.autoReconnect}`,
        ...(device.port === null ? [] : [`port = ${device.port}`]),
        ...deviceLedFields(device.ledFeedback).map(([k, v]) => `${k} = ${inlineValue(v)}`),
      ],
      known(['name', 'auto_connect', 'auto_reconnect', 'port', DEVICE_LED_KEY])(device.extra),
    ),
    '\n[wasm]\n',
    body('wasm', [`require_signature = ${wasm.requireSignature}`, `allow_self_signed = ${wasm.allowSelfSigned}`], known(['require_signature', 'allow_self_signed', 'limits'])(wasm.extra)),
    ...Object.entries(wasm.limits ?? {}).map(([id, overrides]) => {
      const lines = LIMIT_FIELDS.flatMap(({ key: k, limit, unit }) => (overrides[limit] === undefined ? [] : [`${k} = ${Math.floor(overrides[limit] / unit)}`]));
      if (overrides.isolation !== undefined) lines.push(`${ISOLATION_KEY} = ${inlineValue(overrides.isolation)}`);
      return lines.length === 0 ? '' : `\n[wasm.limits.${key(id)}]\n${body('', lines, undefined)}`;
    }),
    '\n[advanced_settings]\n',
    body(
      'advanced_settings',
      [`hold_threshold_ms = ${timing.holdThresholdMs}`, `double_tap_timeout_ms = ${timing.doubleTapTimeoutMs}`, `chord_timeout_ms = ${timing.chordTimeoutMs}`],
      known(['hold_threshold_ms', 'double_tap_timeout_ms', 'chord_timeout_ms'])(timing.extra),
    ),
    body('', [], rootTables),
    ...config.modes.map(mode),
    ...config.globalMappings.map((m) => mapping('global_mappings', m)),
  ];
  return parts.join('').replace(/\n{3,}/g, '\n\n');
}
