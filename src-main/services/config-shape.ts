// The structural pre-check of a config the UI asks to save: the tables and arrays the writer walks must be there,
// so a broken object comes back as issues with paths instead of a crash. Values are checked by the config module.
import { ACTION_TYPES, TRIGGER_TYPES, type ConfigIssue, type ConfigPathSegments } from '../../src-shared/config';
import { formatPath } from '../config/source-map';

const MAX_ISSUES = 50;

function isTable(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a date';
  return typeof value === 'object' ? 'a table' : `a ${typeof value}`;
}

/**
 * Problems that would stop the writer (missing or mistyped tables, arrays, trigger/action types), with segments and
 * paths like the config module's (`modes[0].mappings[2].action`), in the app's names (`globalMappings`).
 * Empty = the object can be written and read back for full checks.
 */
export function configShapeIssues(config: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add = (path: ConfigPathSegments, message: string): void => {
    if (issues.length < MAX_ISSUES) issues.push({ path: formatPath(path), segments: path, message, line: null, column: null });
  };
  const table = (value: unknown, path: ConfigPathSegments): value is Record<string, unknown> => {
    if (isTable(value)) return true;
    add(path, `expected a table, got ${kind(value)}`);
    return false;
  };
  const array = (value: unknown, path: ConfigPathSegments): value is unknown[] => {
    if (Array.isArray(value)) return true;
    add(path, `expected an array, got ${kind(value)}`);
    return false;
  };
  const action = (value: unknown, path: ConfigPathSegments, depth: number): void => {
    if (!table(value, path)) return;
    if (typeof value.type !== 'string' || !(ACTION_TYPES as readonly string[]).includes(value.type)) {
      add([...path, 'type'], `expected one of ${ACTION_TYPES.join(', ')}, got ${typeof value.type === 'string' ? JSON.stringify(value.type.slice(0, 64)) : kind(value.type)}`);
      return;
    }
    if (depth > 16) {
      add(path, 'actions are nested too deeply');
      return;
    }
    if (value.type === 'Sequence' && array(value.actions, [...path, 'actions'])) value.actions.forEach((a, i) => action(a, [...path, 'actions', i], depth + 1));
    if (value.type === 'Repeat') action(value.action, [...path, 'action'], depth + 1);
    if (value.type === 'WasmPlugin') table(value.params, [...path, 'params']);
    if (value.type === 'SendMidi') table(value.message, [...path, 'message']);
    if (value.type === 'Launch' && value.args !== undefined) array(value.args, [...path, 'args']);
    if (value.type === 'Keystroke' && value.modifiers !== undefined) array(value.modifiers, [...path, 'modifiers']);
  };
  const mapping = (value: unknown, path: ConfigPathSegments): void => {
    if (!table(value, path)) return;
    if (typeof value.description !== 'string') add([...path, 'description'], `expected a string, got ${kind(value.description)}`);
    if (table(value.trigger, [...path, 'trigger'])) {
      const t = value.trigger;
      if (typeof t.type !== 'string' || !(TRIGGER_TYPES as readonly string[]).includes(t.type)) {
        add([...path, 'trigger', 'type'], `expected one of ${TRIGGER_TYPES.join(', ')}, got ${typeof t.type === 'string' ? JSON.stringify(t.type.slice(0, 64)) : kind(t.type)}`);
      } else if (t.type === 'NoteChord') array(t.notes, [...path, 'trigger', 'notes']);
    }
    action(value.action, [...path, 'action'], 0);
    if (value.extra !== undefined) table(value.extra, [...path, 'extra']);
  };

  if (!table(config, [])) return issues;
  for (const key of ['device', 'wasm', 'timing'] as const) {
    if (table(config[key], [key]) && config[key].extra !== undefined) table(config[key].extra, [key, 'extra']);
  }
  if (array(config.modes, ['modes'])) {
    config.modes.forEach((mode, i) => {
      if (!table(mode, ['modes', i])) return;
      if (typeof mode.name !== 'string') add(['modes', i, 'name'], `expected a string, got ${kind(mode.name)}`);
      if (mode.color !== null && typeof mode.color !== 'string') add(['modes', i, 'color'], `expected a string or null, got ${kind(mode.color)}`);
      if (mode.extra !== undefined) table(mode.extra, ['modes', i, 'extra']);
      if (array(mode.mappings, ['modes', i, 'mappings'])) mode.mappings.forEach((m, j) => mapping(m, ['modes', i, 'mappings', j]));
    });
  }
  if (array(config.globalMappings, ['globalMappings'])) config.globalMappings.forEach((m, i) => mapping(m, ['globalMappings', i]));
  if (config.extra !== undefined) table(config.extra, ['extra']);
  return issues;
}
