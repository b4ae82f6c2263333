// Reads config.toml into the normalised AppConfig (DESIGN §8): the spec's `{ Note = { … } }` shape and Conductor's
// `type = "Note"` shape, every field checked, ALL problems reported at once. Pure — never reads or writes files.
import type TOML from '@iarna/toml';
import { DEFAULT_TIMING, LOGGING_LEVELS, type AppConfig, type ConfigExtra, type ConfigIssue, type DeviceConfig, type LoggingConfig, type Mapping, type Mode, type TimingConfig, type TomlValue } from '../../src-shared/config';
import { expandHome } from '../common/paths';
import { parseToml, TomlFileError } from '../fs/toml-file';
import { readAction, modeRefs, type ModeRefs } from './schema-actions';
import { describeValue, Fields, isTable, RANGES, Reader, section, withExtra, type Table } from './schema-fields';
import { readTrigger } from './schema-triggers';
import { readWasm } from './schema-wasm';
import { LED_SETTINGS_KEY, readDeviceLed, readLedSettings, readModeColour, readModeLed } from './schema-led';
import type { ConfigPath } from './source-map';

const ROOT_KEYS = ['device', 'wasm', 'advanced_settings', 'modes', 'global_mappings', LED_SETTINGS_KEY, 'logging'];

export interface ConfigReadResult {
  /** The normalised config, or null when there is any issue. */
  config: AppConfig | null;
  /** Every problem found, in file order (syntax errors stop at the first: the parser cannot go on). */
  issues: ConfigIssue[];
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

function readDevice(r: Reader, doc: Table): DeviceConfig {
  const f = section(r, doc, 'device');
  const name = f.str('name');
  const device: DeviceConfig = {
    name: name === undefined || name.trim() === '' ? null : name,
    autoConnect: f.bool('auto_connect') ?? true,
    autoReconnect: f.bool('auto_reconnect') ?? true,
    port: f.int('port', RANGES.devicePort) ?? null,
    ...readDeviceLed(f),
  };
  return withExtra(device, f.extra());
}

/** `[logging]` (Conductor's): `level` and `file`; undefined when the file has no such table. */
function readLogging(r: Reader, doc: Table): LoggingConfig | undefined {
  if (doc.logging === undefined) return undefined;
  const f = section(r, doc, 'logging');
  const level = f.oneOf('level', LOGGING_LEVELS) ?? 'info';
  const written = f.str('file', false, true);
  const file = written === undefined ? null : expandHome(written);
  return withExtra<LoggingConfig>({ level, file, ...(written !== undefined && file !== written ? { fileAsWritten: written } : {}) }, f.extra());
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
      const { color, rgb } = readModeColour(r, f);
      const led = readModeLed(f);
      const apps = readModeApps(r, f);
      const mappings = readMappings(r, f.raw('mappings'), [...path, 'mappings'], refs, '[[modes.mappings]]');
      return name === undefined ? null : withExtra<Mode>({ name, color, ...(rgb ? { colorForm: 'rgb' as const } : {}), mappings, ...(led ? { led } : {}), ...(apps && apps.length > 0 ? { apps } : {}) }, f.extra());
    });
    if (mode) out.push(mode);
  });
  return out;
}

/** A mode's `apps` (per-app profiles): non-empty names; a pattern of only `*` would follow every app and is refused. */
function readModeApps(r: Reader, f: Fields): string[] | undefined {
  const apps = f.strings('apps');
  if (apps === undefined) return undefined;
  let ok = true;
  apps.forEach((name, i) => {
    if (name.trim() === '') r.fail([...f.at('apps'), i], 'expected an app name, got only spaces');
    else if (name.replace(/\*/g, '').trim() === '') r.fail([...f.at('apps'), i], `"${name}" would match every app: name one (wildcards: "*Adobe*")`);
    else return;
    ok = false;
  });
  return ok ? apps : undefined;
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
  const led = readLedSettings(r, doc);
  const logging = readLogging(r, doc);
  const extra: ConfigExtra = {};
  for (const [key, value] of Object.entries(doc)) if (!ROOT_KEYS.includes(key)) extra[key] = value as TomlValue;
  const config: AppConfig = withExtra({ device, wasm, timing, modes, globalMappings, ...(led ? { led } : {}), ...(logging ? { logging } : {}) }, Object.keys(extra).length > 0 ? extra : undefined);
  // Issues in file order where positions are known (the reader visits sections in a fixed order).
  const issues = r.issues
    .map((issue, i) => ({ issue, i }))
    .sort((a, b) => (a.issue.line ?? Infinity) - (b.issue.line ?? Infinity) || (a.issue.column ?? 0) - (b.issue.column ?? 0) || a.i - b.i)
    .map(({ issue }) => issue);
  return { config: issues.length === 0 ? config : null, issues };
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
