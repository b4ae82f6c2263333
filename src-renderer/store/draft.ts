// Pure edits of the draft config the Mappings view works on (modes, mappings, triggers, actions) and
// unsaved-changes detection. Every function returns a new config; none mutates its input or talks to IPC.
import { VELOCITY_LEVELS, type Action, type ActionType, type AppConfig, type Mapping, type Mode, type Trigger, type TriggerType, type VelocityLevel } from '../../src-shared/config';

/** Where a mapping sits in the draft: a mode's list (by mode index) or the global list. */
export type MappingScope = { kind: 'mode'; modeIndex: number } | { kind: 'global' };
export interface MappingLocation {
  scope: MappingScope;
  index: number;
}

/** A stable string for a location, e.g. "m0:3" or "g:2" (React keys, editor and learn targets, issue lookup). */
export function scopeKey(scope: MappingScope): string {
  return scope.kind === 'global' ? 'g' : `m${scope.modeIndex}`;
}
export function locationKey(loc: MappingLocation): string {
  return `${scopeKey(loc.scope)}:${loc.index}`;
}
export function parseLocationKey(key: string): MappingLocation | null {
  const m = /^(?:g|m(\d+)):(\d+)$/.exec(key);
  if (!m) return null;
  const index = Number(m[2]);
  return m[1] === undefined ? { scope: { kind: 'global' }, index } : { scope: { kind: 'mode', modeIndex: Number(m[1]) }, index };
}

export function mappingsOf(config: AppConfig, scope: MappingScope): Mapping[] {
  if (scope.kind === 'global') return config.globalMappings;
  return config.modes[scope.modeIndex]?.mappings ?? [];
}

export function getMapping(config: AppConfig, loc: MappingLocation): Mapping | undefined {
  return mappingsOf(config, loc.scope)[loc.index];
}

function withMappings(config: AppConfig, scope: MappingScope, fn: (list: Mapping[]) => Mapping[]): AppConfig {
  if (scope.kind === 'global') return { ...config, globalMappings: fn(config.globalMappings) };
  const mode = config.modes[scope.modeIndex];
  if (!mode) return config;
  const modes = config.modes.slice();
  modes[scope.modeIndex] = { ...mode, mappings: fn(mode.mappings) };
  return { ...config, modes };
}

export function updateMapping(config: AppConfig, loc: MappingLocation, fn: (m: Mapping) => Mapping): AppConfig {
  return withMappings(config, loc.scope, (list) => list.map((m, i) => (i === loc.index ? fn(m) : m)));
}

export function newMapping(): Mapping {
  return { description: '', trigger: { type: 'Note', note: 36 }, action: { type: 'Text', text: '' } };
}

/** Appends a mapping; returns the new config and where the mapping went. */
export function addMapping(config: AppConfig, scope: MappingScope, mapping: Mapping = newMapping()): { config: AppConfig; location: MappingLocation } {
  const index = mappingsOf(config, scope).length;
  return { config: withMappings(config, scope, (list) => [...list, mapping]), location: { scope, index } };
}

/** Inserts a copy right after the original. */
export function duplicateMapping(config: AppConfig, loc: MappingLocation): { config: AppConfig; location: MappingLocation } {
  const original = getMapping(config, loc);
  if (!original) return { config, location: loc };
  const copy: Mapping = structuredClone(original);
  if (copy.description) copy.description = `${copy.description} (copy)`;
  const next = withMappings(config, loc.scope, (list) => [...list.slice(0, loc.index + 1), copy, ...list.slice(loc.index + 1)]);
  return { config: next, location: { scope: loc.scope, index: loc.index + 1 } };
}

export function deleteMapping(config: AppConfig, loc: MappingLocation): AppConfig {
  return withMappings(config, loc.scope, (list) => list.filter((_, i) => i !== loc.index));
}

/** Moves a mapping one place up (-1) or down (+1); order matters (the first matching mapping wins). */
export function moveMapping(config: AppConfig, loc: MappingLocation, delta: -1 | 1): AppConfig {
  const to = loc.index + delta;
  return withMappings(config, loc.scope, (list) => {
    if (to < 0 || to >= list.length) return list;
    const next = list.slice();
    const [m] = next.splice(loc.index, 1);
    if (m) next.splice(to, 0, m);
    return next;
  });
}

/** "Mode 2", "Mode 3"… the first name not taken. */
export function freshModeName(config: AppConfig, base = 'Mode'): string {
  const taken = new Set(config.modes.map((m) => m.name));
  for (let n = config.modes.length + 1; ; n++) if (!taken.has(`${base} ${n}`)) return `${base} ${n}`;
}

export function addMode(config: AppConfig, name: string = freshModeName(config)): AppConfig {
  const mode: Mode = { name, color: null, mappings: [] };
  return { ...config, modes: [...config.modes, mode] };
}

function mapActions(action: Action, fn: (a: Action) => Action): Action {
  const inner: Action =
    action.type === 'Sequence' ? { ...action, actions: action.actions.map((a) => mapActions(a, fn)) } : action.type === 'Repeat' ? { ...action, action: mapActions(action.action, fn) } : action;
  return fn(inner);
}

function mapAllActions(config: AppConfig, fn: (a: Action) => Action): AppConfig {
  const fix = (m: Mapping): Mapping => {
    const action = mapActions(m.action, fn);
    return action === m.action ? m : { ...m, action };
  };
  return { ...config, modes: config.modes.map((mode) => ({ ...mode, mappings: mode.mappings.map(fix) })), globalMappings: config.globalMappings.map(fix) };
}

/** Renames a mode and the ModeChange actions that name it. */
export function renameMode(config: AppConfig, modeIndex: number, name: string): AppConfig {
  const old = config.modes[modeIndex]?.name;
  if (old === undefined || old === name) return config;
  const renamed = { ...config, modes: config.modes.map((m, i) => (i === modeIndex ? { ...m, name } : m)) };
  return mapAllActions(renamed, (a) => (a.type === 'ModeChange' && a.relative !== true && a.mode === old ? { ...a, mode: name } : a));
}

/** Removes a mode with its mappings (ModeChange actions naming it are left for validation to point out). */
export function removeMode(config: AppConfig, modeIndex: number): AppConfig {
  return { ...config, modes: config.modes.filter((_, i) => i !== modeIndex) };
}

// ── triggers and actions ─────────────────────────────────────────────────────────────────────────────────────

function noteOf(t: Trigger | undefined): number {
  if (!t) return 36;
  if ('note' in t && typeof t.note === 'number') return t.note;
  if (t.type === 'NoteChord') return t.notes[0] ?? 36;
  return 36;
}

function ccOf(t: Trigger | undefined): number {
  return t && 'cc' in t ? t.cc : 1;
}

/** A trigger of `type` with sensible defaults, keeping the note/CC and channel of `previous` where they fit. */
export function defaultTrigger(type: TriggerType, previous?: Trigger): Trigger {
  const ch = previous?.channel === undefined ? {} : { channel: previous.channel };
  const note = noteOf(previous);
  switch (type) {
    case 'Note':
      return { type, note, ...ch };
    case 'VelocityRange':
      return { type, note, minVelocity: VELOCITY_LEVELS.hard[0], maxVelocity: VELOCITY_LEVELS.hard[1], level: 'hard', ...ch };
    case 'LongPress':
      return { type, note, ...ch };
    case 'DoubleTap':
      return { type, note, ...ch };
    case 'NoteChord':
      return { type, notes: [note, note + 4, note + 7].filter((n) => n <= 127), ...ch };
    case 'CC':
      return { type, cc: ccOf(previous), ...ch };
    case 'EncoderTurn':
      return { type, cc: ccOf(previous), direction: 'Clockwise', ...ch };
    case 'Aftertouch':
      return { type, ...ch };
    case 'PitchBend':
      return { type, minValue: 8192 + 1024, maxValue: 16383, ...ch };
    case 'GamepadButton':
      return { type, button: 128 };
    case 'GamepadButtonChord':
      return { type, buttons: [136, 137] };
    case 'GamepadAnalogStick':
      return { type, axis: 128, direction: 'Clockwise' };
    case 'GamepadTrigger':
      return { type, trigger: 133 };
  }
}

/** The velocity level a velocity falls in (soft 0–40, medium 41–80, hard 81–127). */
export function levelOfVelocity(velocity: number): VelocityLevel {
  for (const level of Object.keys(VELOCITY_LEVELS) as VelocityLevel[]) {
    const [lo, hi] = VELOCITY_LEVELS[level];
    if (velocity >= lo && velocity <= hi) return level;
  }
  return velocity < 0 ? 'soft' : 'hard';
}

/** A learned Note trigger turned into a VelocityRange at the level of the learned velocity. */
export function toVelocityRange(trigger: Trigger, velocity: number): Trigger {
  const level = levelOfVelocity(velocity);
  const [lo, hi] = VELOCITY_LEVELS[level];
  const ch = trigger.channel === undefined ? {} : { channel: trigger.channel };
  return { type: 'VelocityRange', note: noteOf(trigger), minVelocity: lo, maxVelocity: hi, level, ...ch };
}

/** Keeps a VelocityRange's `level` only while min/max still match it. */
export function normaliseVelocityRange(t: Extract<Trigger, { type: 'VelocityRange' }>): Trigger {
  if (t.level === undefined) return t;
  const [lo, hi] = VELOCITY_LEVELS[t.level];
  if (t.minVelocity === lo && t.maxVelocity === hi) return t;
  const rest = { ...t };
  delete rest.level;
  return rest;
}

export function defaultAction(type: ActionType, modeNames: readonly string[] = []): Action {
  switch (type) {
    case 'WasmPlugin':
      return { type, path: '', params: {} };
    case 'ModeChange':
      return { type, mode: modeNames[0] ?? 0 };
    case 'SendMidi':
      return { type, port: '', message: { type: 'NoteOn', channel: 0, note: 36, velocity: 100 } };
    case 'Sequence':
      return { type, actions: [{ type: 'Delay', ms: 100 }] };
    case 'Delay':
      return { type, ms: 100 };
    case 'Repeat':
      return { type, action: { type: 'Text', text: '' }, count: 2 };
    case 'Shell':
      return { type, command: '' };
    case 'Launch':
      return { type, app: '' };
    case 'Keystroke':
      return { type, keys: '' };
    case 'Text':
      return { type, text: '' };
    case 'MouseClick':
      return { type, button: 'left' };
    case 'VolumeControl':
      return { type, operation: 'Up' };
    case 'Conditional':
      return { type, condition: { type: 'ModeIs', mode: typeof modeNames[0] === 'string' ? modeNames[0] : 'Default' }, thenAction: { type: 'Text', text: '' } };
  }
}

// ── unsaved changes ──────────────────────────────────────────────────────────────────────────────────────────

/** Structural equality for config values (plain objects, arrays, bigint, Date); `undefined` members count as absent. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) if (!deepEqual(ao[k], bo[k])) return false;
  return true;
}

/**
 * What to save from a draft edited on top of `baseline` while the running config may have moved on (the Settings and
 * Plugins views write `[wasm]` themselves, the file may be edited by hand): each top-level section the draft did not
 * change comes from `running`, so saving mappings never reverts a signature policy or a plugin limit set meanwhile.
 */
export function rebaseDraft(draft: AppConfig, baseline: AppConfig, running: AppConfig): AppConfig {
  const out: Record<string, unknown> = { ...draft };
  const d = draft as unknown as Record<string, unknown>;
  const b = baseline as unknown as Record<string, unknown>;
  const r = running as unknown as Record<string, unknown>;
  for (const key of new Set([...Object.keys(d), ...Object.keys(r)])) {
    if (!deepEqual(d[key], b[key])) continue;
    if (r[key] === undefined) delete out[key];
    else out[key] = r[key];
  }
  return out as unknown as AppConfig;
}

export function hasUnsavedChanges(draft: AppConfig | null, baseline: AppConfig | null): boolean {
  if (!draft || !baseline) return false;
  return !deepEqual(draft, baseline);
}

/**
 * How many edits separate two lists, matched by content rather than position (deleting the first of five mappings is
 * one change, not five): items equal in both, in order, are kept (longest common subsequence); between two kept items,
 * n removed and m added items are max(n, m) changes (an edited item is one removed plus one added); a removed item
 * that comes back elsewhere unchanged is one move.
 */
export function listChanges<T>(before: readonly T[], after: readonly T[], same: (a: T, b: T) => boolean = deepEqual): number {
  const n = before.length;
  const m = after.length;
  // lcs[i][j] = length of the longest common subsequence of before[i..] and after[j..].
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    const row = lcs[i] as number[];
    const next = lcs[i + 1] as number[];
    for (let j = m - 1; j >= 0; j--) row[j] = same(before[i] as T, after[j] as T) ? (next[j + 1] as number) + 1 : Math.max(next[j] as number, row[j + 1] as number);
  }
  // Walk the common subsequence, collecting what was removed and added between two kept items (a "gap").
  const gaps: { removed: T[]; added: T[] }[] = [{ removed: [], added: [] }];
  const gap = () => gaps[gaps.length - 1] as { removed: T[]; added: T[] };
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && same(before[i] as T, after[j] as T)) {
      gaps.push({ removed: [], added: [] });
      i++;
      j++;
    } else if (j >= m || (i < n && (lcs[i + 1]?.[j] ?? 0) >= (lcs[i]?.[j + 1] ?? 0))) {
      gap().removed.push(before[i] as T);
      i++;
    } else {
      gap().added.push(after[j] as T);
      j++;
    }
  }
  // A removed item that comes back unchanged elsewhere is one move; what is left pairs up within its gap.
  let changes = 0;
  for (const g of gaps) {
    for (let r = g.removed.length - 1; r >= 0; r--) {
      const item = g.removed[r] as T;
      const home = gaps.find((other) => other.added.some((a) => same(item, a)));
      if (!home) continue;
      home.added.splice(
        home.added.findIndex((a) => same(item, a)),
        1,
      );
      g.removed.splice(r, 1);
      changes++;
    }
  }
  for (const g of gaps) changes += Math.max(g.removed.length, g.added.length);
  return changes;
}

/**
 * How many changes the "N unsaved changes" hint counts: each mapping added, removed, edited or moved; each mode added,
 * removed, renamed or recoloured; one for the other settings (device, timing, signature policy, unknown keys) together.
 */
export function countChanges(draft: AppConfig, baseline: AppConfig): number {
  // Modes are matched by name; a renamed one is matched by position among the unmatched.
  const byName = new Map(baseline.modes.map((m) => [m.name, m]));
  const unmatchedBase = baseline.modes.filter((m) => !draft.modes.some((d) => d.name === m.name));
  let n = 0;
  for (const d of draft.modes) {
    const b = byName.get(d.name) ?? unmatchedBase.shift();
    if (!b) {
      n += 1 + d.mappings.length;
      continue;
    }
    if (d.name !== b.name || d.color !== b.color || !deepEqual(d.apps, b.apps) || !deepEqual(d.led, b.led) || !deepEqual(d.extra, b.extra)) n++;
    n += listChanges(b.mappings, d.mappings);
  }
  n += unmatchedBase.length;
  n += listChanges(baseline.globalMappings, draft.globalMappings);
  const rest = (c: AppConfig) => ({ device: c.device, wasm: c.wasm, timing: c.timing, led: c.led, logging: c.logging, extra: c.extra });
  if (!deepEqual(rest(draft), rest(baseline))) n++;
  return n;
}

/** Sets a mode's colour (`color` in config.toml: a name like "blue" or "#rrggbb"); null or blank = no colour. */
export function setModeColor(config: AppConfig, modeIndex: number, color: string | null): AppConfig {
  const mode = config.modes[modeIndex];
  const next = color === null || color.trim() === '' ? null : color.trim();
  if (!mode || mode.color === next) return config;
  return { ...config, modes: config.modes.map((m, i) => (i === modeIndex ? { ...m, color: next } : m)) };
}
