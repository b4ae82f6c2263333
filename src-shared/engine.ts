// The engine's event stream as the UI's event console reads it: raw MIDI, triggers, action runs, modes, failed plugin MIDI.
// Pure types and constants only — never imports Node, Electron or DOM APIs.
import type { ActionType, ConfigIssue, TriggerType } from './config';
import type { MidiEvent } from './midi';
import type { GamepadEvent } from './gamepad';
import type { CallErrorKind, TriggerContext } from './plugin';

/** Which mapping something refers to: `modes[mode].mappings[index]` or `globalMappings[index]`. */
export interface MappingRef {
  scope: 'mode' | 'global';
  /** The mode's name for scope 'mode'; null for global mappings. */
  mode: string | null;
  /** Index in that mode's mappings, or in the global mappings. */
  index: number;
  description: string;
}

/** What one WasmPlugin call reported (the plugin host's CallResult, as the console shows it). */
export interface PluginCallInfo {
  /** The mapping's `path`, as written in the config. */
  path: string;
  /** The loaded plugin's id, when the plugin could be loaded. */
  pluginId: string | null;
  /** The plugin's return code; null when it never returned. */
  code: number | null;
  errorKind: CallErrorKind | null;
  error: string | null;
  fuelConsumed: number;
  /** Time the call ran inside the sandbox (ms). */
  sandboxDurationMs: number;
  memoryBytes: number;
  log: string[];
}

/** What a process started by Shell, Launch, Keystroke or Text did. Output is truncated (see docs/engine.md). */
export interface ProcessInfo {
  /** The program and its arguments as started (for `shell = true`: the shell's argv). */
  argv: string[];
  /** null when it was killed or has not exited (Launch returns once the app is started). */
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

interface EventBase {
  /** 1, 2, 3… per engine instance, in emission order: sort and dedupe by it. */
  seq: number;
  /** Epoch ms from the engine's clock. */
  at: number;
}

/** A MIDI message as it entered the engine (before matching). */
export interface MidiInEvent extends EventBase {
  kind: 'midi';
  event: MidiEvent;
}

/**
 * A game controller's input as it entered the engine (before matching). Every button change is one; a stick or an
 * analog trigger only when it crosses a step (a quarter of its travel), so moving one cannot flood the event log.
 */
export interface GamepadInEvent extends EventBase {
  kind: 'gamepad';
  event: GamepadEvent;
}

/** A mapping's trigger fired; its action run `runId` is queued (see the action events with the same runId). */
export interface TriggerEvent extends EventBase {
  kind: 'trigger';
  runId: number;
  mapping: MappingRef;
  trigger: TriggerType;
  /** The mode that was current when the trigger fired. */
  mode: string | null;
  /** The context a WasmPlugin action receives. */
  context: TriggerContext;
}

interface ActionEventBase extends EventBase {
  runId: number;
  /** Unique per engine; nested actions (Sequence, Repeat) name their parent. */
  actionId: number;
  parentActionId: number | null;
  action: ActionType;
  /** The action in words, as the UI's mapping list words it (src-shared/wording.ts), e.g. `Run "echo hi"`, `Run plugin spotify.wasm: play`. */
  summary: string;
  mapping: MappingRef;
}

export interface ActionStartEvent extends ActionEventBase {
  kind: 'action-start';
}

export interface ActionFinishEvent extends ActionEventBase {
  kind: 'action-finish';
  /** From action start to finish, by the engine's clock. */
  durationMs: number;
  /** What the action did, e.g. "mode → Edit", "exit code 0"; null when there is nothing to add. */
  detail: string | null;
  plugin: PluginCallInfo | null;
  process: ProcessInfo | null;
}

export interface ActionErrorEvent extends ActionEventBase {
  kind: 'action-error';
  durationMs: number;
  /** Why it failed, in words (e.g. `plugin error: returned 7`, `Keystroke needs xdotool … none found`). */
  error: string;
  plugin: PluginCallInfo | null;
  process: ProcessInfo | null;
}

/**
 * Why a press's action did not run. `queue-full`: its mapping already had `maxPendingRunsPerMapping` runs waiting (the
 * oldest waiting one is dropped); `plugin-busy`: the plugin refused the call because its own queue was full (the run
 * started and its action-error says so too); `stopped`: the engine was disposed before the run started.
 */
export type DropCause = 'queue-full' | 'plugin-busy' | 'stopped';
export const DROP_CAUSES: readonly DropCause[] = ['queue-full', 'plugin-busy', 'stopped'];

/** A press whose action did not run (see DropCause). Never silent: every drop is one of these, and counted. */
export interface RunDroppedEvent extends EventBase {
  kind: 'run-dropped';
  runId: number;
  mapping: MappingRef;
  reason: string;
  cause: DropCause;
  /** The plugin that refused the call (`plugin-busy`), else null. */
  pluginId: string | null;
  /** Drops by this engine so far, this one included (Engine.drops has them by cause, mapping and plugin). */
  dropped: number;
}

/** Drops by one engine since it started (Engine.drops); a mapping or plugin with none is absent. */
export interface DropCounts {
  total: number;
  byCause: Record<DropCause, number>;
  /** Per mapping, in the order of their first drop. */
  byMapping: Array<{ mapping: MappingRef; count: number; byCause: Record<DropCause, number> }>;
  /** Per plugin id (`plugin-busy` only). */
  byPlugin: Record<string, number>;
}

export interface ModeChangeEvent extends EventBase {
  kind: 'mode-change';
  from: string | null;
  to: string | null;
  toIndex: number;
  /** 'action': a ModeChange action; 'api': Engine.setMode; 'config': a reload removed the current mode. */
  reason: 'action' | 'api' | 'config';
}

/**
 * A plugin's `conductor.midi_send` that could not be sent out (no such output, the port is gone, MIDI unavailable,
 * bytes the output refused). The plugin was already told 0 ("received"); this is where the failure shows.
 */
export interface PluginMidiErrorEvent extends EventBase {
  kind: 'plugin-midi-error';
  pluginId: string;
  /** The output it was routed to: the port the plugin named, else `[device] name`, else the virtual controller. */
  port: string;
  /** The first PLUGIN_MIDI_ERROR_BYTES bytes of what the plugin sent… */
  bytes: number[];
  /** …and how many there were in all. */
  byteCount: number;
  /** Why, e.g. `no MIDI output named "Launchpad"; available: Virtual Controller`. */
  error: string;
}

/** How many of a failed plugin send's bytes an event keeps (a SysEx can be 64 KiB; the event log keeps 1000 events). */
export const PLUGIN_MIDI_ERROR_BYTES = 16;

/** A new config was applied (Engine.setConfig). */
export interface ConfigAppliedEvent extends EventBase {
  kind: 'config';
  modes: string[];
  mappingCount: number;
}

/** config.toml changed on disk but could not be applied (a broken hand edit); the last good config keeps running. */
export interface ConfigErrorEvent extends EventBase {
  kind: 'config-error';
  /** The file, as the user knows it. */
  path: string;
  /** What is wrong and where (line, column, and the structured path to the field). */
  issues: ConfigIssue[];
}

export type EngineEvent =
  | MidiInEvent
  | GamepadInEvent
  | TriggerEvent
  | ActionStartEvent
  | ActionFinishEvent
  | ActionErrorEvent
  | RunDroppedEvent
  | ModeChangeEvent
  | ConfigAppliedEvent
  | ConfigErrorEvent
  | PluginMidiErrorEvent;

export type EngineEventKind = EngineEvent['kind'];
export const ENGINE_EVENT_KINDS: readonly EngineEventKind[] = [
  'midi',
  'gamepad',
  'trigger',
  'action-start',
  'action-finish',
  'action-error',
  'run-dropped',
  'mode-change',
  'config',
  'config-error',
  'plugin-midi-error',
];

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event as emitted, before the engine's event log gives it `seq` and `at`. */
export type EngineEventInput = DistributiveOmit<EngineEvent, 'seq' | 'at'>;

/** How many recent events an engine keeps for late subscribers, unless configured otherwise. */
export const DEFAULT_EVENT_BUFFER_SIZE = 1000;
