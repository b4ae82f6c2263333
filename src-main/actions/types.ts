// What built-in actions need from the outside (plugins, MIDI out, time, platform) and what they report back.
// Types only; an action module must never reach for these things any other way (no globals, no singletons).
import type { MidiMessage } from '../../src-shared/midi';
import type { PluginCallInfo, ProcessInfo } from '../../src-shared/engine';
import type { ActionParams, CallResult, TriggerContext } from '../../src-shared/plugin';
import type { Clock, Timer } from '../common/clock';
import type { ConditionSources } from './conditions';
import type { SystemRunner } from './system-worker';

/** A loaded plugin as WasmPlugin uses it (PluginHandle satisfies it). `call` must not throw. */
export interface PluginCaller {
  readonly id?: string;
  call(params: ActionParams, context: TriggerContext): Promise<CallResult>;
  /** The same call with the input already serialised (plugin-load.ts: buildExecuteInput); used when present. Must not throw. */
  callRaw?(input: string): Promise<CallResult>;
}

/** Where WasmPlugin gets plugins from (PluginManager satisfies it). */
export interface PluginSource {
  ensureLoaded(path: string): Promise<PluginCaller>;
}

/**
 * Where SendMidi sends to: an output port by name. Returning `{ok: false, error}` or throwing fails the action;
 * nothing or `{ok: true}` (the shape of src-shared/midi's MidiSendResult) is success.
 */
export interface MidiOut {
  send(port: string, message: MidiMessage): void | { ok: true } | { ok: false; error: string };
}

/** Environment variables as actions see them (PATH for tool lookup, DISPLAY/WAYLAND_DISPLAY for the session). */
export type Env = Readonly<Record<string, string | undefined>>;

/** Everything the built-in actions depend on. */
export interface ActionDeps {
  plugins: PluginSource | null;
  midiOut: MidiOut | null;
  clock: Clock;
  timer: Timer;
  platform: NodeJS.Platform;
  env: Env;
  /** Engine-side deadline on one WasmPlugin action (load + call); the host's own per-call deadline is shorter. */
  pluginTimeoutMs: number;
  /** Deadline on a Keystroke/Text tool run and on Launch's launcher (macOS `open`, Windows `start`). */
  toolTimeoutMs: number;
  /** Runs VolumeControl's conductor.system requests (the host's system-control worker); null: none in this process. */
  system?: SystemRunner | null;
  /** What Conditional's conditions read (time, apps); default: `clock`, the machine's local time, no app source. */
  conditions?: ConditionSources;
}

/** The result of one leaf action. */
export type ActionOutcome =
  | { ok: true; detail: string | null; plugin?: PluginCallInfo; process?: ProcessInfo }
  | { ok: false; error: string; plugin?: PluginCallInfo; process?: ProcessInfo };

export const succeeded = (detail: string | null = null, extra: Pick<ActionOutcome, 'plugin' | 'process'> = {}): ActionOutcome => ({
  ok: true,
  detail,
  ...extra,
});

export const failed = (error: string, extra: Pick<ActionOutcome, 'plugin' | 'process'> = {}): ActionOutcome => ({ ok: false, error, ...extra });
