// The mapping engine: MIDI events in, triggers matched against the current mode's and the global mappings,
// actions queued per mapping and run asynchronously, everything reported on one event stream.
// handle() never waits on an action, and nothing an action does (throw, reject, hang) can crash or stall it.
import type { Action, AppConfig, ConfigIssue, Mapping, TimingConfig } from '../../src-shared/config';
import { DROP_CAUSES, PLUGIN_MIDI_ERROR_BYTES, type DropCause, type DropCounts, type EngineEvent, type EngineEventInput, type MappingRef } from '../../src-shared/engine';
import { gamepadInputStep, type GamepadEvent } from '../../src-shared/gamepad';
import type { MidiEvent } from '../../src-shared/midi';
import type { TriggerContext } from '../../src-shared/plugin';
import { ActionRunner, type ModeChanger, type RunScope } from '../actions/runner';
import type { AppQuery } from '../actions/conditions';
import { SystemWorker, type SystemRunner } from '../actions/system-worker';
import type { Env, MidiOut, PluginSource } from '../actions/types';
import { systemClock, systemTimer, type Clock, type Timer } from '../common/clock';
import { EngineEventLog, type EngineEventListener } from './event-log';
import { GamepadMatcher } from './gamepad-matcher';
import { TriggerMatcher, type MappingEntry } from './matcher';

export interface EngineOptions {
  config: AppConfig;
  /** Where WasmPlugin actions get plugins (a PluginManager); null = WasmPlugin actions fail with a clear error. */
  plugins?: PluginSource | null;
  /** Where SendMidi actions send; null = SendMidi actions fail with a clear error. */
  midiOut?: MidiOut | null;
  /** Default: Date.now. */
  clock?: Clock;
  /** Default: the global setTimeout/clearTimeout. */
  timer?: Timer;
  /** Which platform's tools Keystroke/Text/Launch/Shell use (default process.platform). */
  platform?: NodeJS.Platform;
  /** Environment for started processes and tool lookup (default process.env). */
  env?: Env;
  /** Recent events kept for late subscribers (default 1000). */
  eventBufferSize?: number;
  /** Runs waiting per mapping behind the running one; beyond it the oldest waiting run is dropped (default 16). */
  maxPendingRunsPerMapping?: number;
  /** Engine-side deadline on one WasmPlugin action, load included (default 30 000; the host's own per-call deadline is 5 s). */
  pluginTimeoutMs?: number;
  /** Deadline on Keystroke/Text tools and Launch's launcher (default 10 000). */
  toolTimeoutMs?: number;
  /** Which apps run and which is in front, for Conditional's AppRunning / AppFrontmost (default: none; they fail saying so). */
  apps?: AppQuery | null;
  /** Why `apps` is missing, for those conditions' errors. */
  appsUnavailable?: string;
  /** Runs VolumeControl's requests (default: the host's system-control worker, dist/system-worker.js, started on first use). */
  system?: SystemRunner | null;
}

/** The outcome of a mode switch. */
export type ModeSwitchResult = { ok: true; mode: string; changed: boolean } | { ok: false; error: string };

/** One queued run of a mapping's action; it is also the scope the runner gets (one object per press). */
interface Run extends RunScope {
  /** The action as it was when the trigger fired (a reload meanwhile does not change it). */
  readonly action: Action;
}

interface MappingQueue {
  running: boolean;
  pending: Run[];
}

interface CompiledMode {
  name: string;
  entries: MappingEntry[];
  /** This mode's mappings then the global ones: what the matcher checks in this mode (one list per mode, so its index is built once). */
  active: MappingEntry[];
}

function compile(config: AppConfig): { modes: CompiledMode[]; global: MappingEntry[] } {
  const entry = (mapping: Mapping, ref: Omit<MappingRef, 'description'>): MappingEntry => ({ mapping, ref: { ...ref, description: mapping.description } });
  const global = config.globalMappings.map((m, index) => entry(m, { scope: 'global', mode: null, index }));
  const modes = config.modes.map((mode) => {
    const entries = mode.mappings.map((m, index) => entry(m, { scope: 'mode', mode: mode.name, index }));
    return { name: mode.name, entries, active: [...entries, ...global] };
  });
  return { modes, global };
}

const zeroCauses = (): Record<DropCause, number> => Object.fromEntries(DROP_CAUSES.map((cause) => [cause, 0])) as Record<DropCause, number>;

export class Engine {
  private config: AppConfig;
  private modes: CompiledMode[] = [];
  private global: MappingEntry[] = [];
  private modeIndex = 0;
  private active: MappingEntry[] = [];
  private readonly clock: Clock;
  private readonly timer: Timer;
  private readonly log: EngineEventLog;
  private readonly matcher: TriggerMatcher;
  private readonly system: SystemRunner | null;
  private readonly gamepads: GamepadMatcher;
  /** The step each controller's stick or trigger was last reported at (gamepadInputStep), so a move shows once per step. */
  private readonly gamepadSteps = new Map<string, number>();
  private readonly runner: ActionRunner;
  /** Per mapping; kept while the mapping is in the config (pruned on reload when idle), so a press allocates none. */
  private readonly queues = new Map<Mapping, MappingQueue>();
  /** The mappings of the current config (their queues are kept between presses). */
  private mapped = new Set<Mapping>();
  /** Queues draining now; idle() waits until it is 0. */
  private activeDrains = 0;
  private idleWaiters: Array<() => void> = [];
  private readonly dropStats = { total: 0, byCause: zeroCauses(), byMapping: new Map<string, DropCounts['byMapping'][number]>(), byPlugin: new Map<string, number>() };
  private readonly abort = new AbortController();
  private readonly maxPending: number;
  private readonly plugins: PluginSource | null;
  private nextRunId = 1;
  private disposed = false;
  private matching = true;

  constructor(options: EngineOptions) {
    this.config = options.config;
    this.clock = options.clock ?? systemClock;
    this.timer = options.timer ?? systemTimer;
    this.maxPending = Math.max(0, options.maxPendingRunsPerMapping ?? 16);
    this.plugins = options.plugins ?? null;
    this.system = options.system === undefined ? new SystemWorker() : options.system;
    this.log = new EngineEventLog(this.clock, options.eventBufferSize);
    this.applyConfig(options.config);
    this.matcher = new TriggerMatcher({
      clock: this.clock,
      timer: this.timer,
      timing: (): TimingConfig => this.config.timing,
      entries: () => this.active,
      mode: () => this.currentMode,
      onFire: (entry, context) => this.fire(entry, context),
    });
    this.gamepads = new GamepadMatcher({
      timing: (): TimingConfig => this.config.timing,
      entries: () => this.active,
      mode: () => this.currentMode,
      onFire: (entry, context) => this.fire(entry, context),
    });
    this.runner = new ActionRunner(
      {
        plugins: this.plugins,
        midiOut: options.midiOut ?? null,
        clock: this.clock,
        timer: this.timer,
        platform: options.platform ?? process.platform,
        env: options.env ?? process.env,
        pluginTimeoutMs: options.pluginTimeoutMs ?? 30_000,
        toolTimeoutMs: options.toolTimeoutMs ?? 10_000,
        system: this.system,
        conditions: { now: () => this.clock.now(), apps: options.apps ?? null, ...(options.appsUnavailable ? { appsUnavailable: options.appsUnavailable } : {}) },
      },
      (event) => this.runnerEvent(event),
      this.modeChanger,
    );
  }

  /** The current mode's name; null when the config has no modes (only global mappings apply). */
  get currentMode(): string | null {
    return this.modes[this.modeIndex]?.name ?? null;
  }

  get currentModeIndex(): number {
    return this.modes.length > 0 ? this.modeIndex : -1;
  }

  /** The modes' names, in config order. */
  get modeNames(): string[] {
    return this.modes.map((m) => m.name);
  }

  /** Actions running or waiting, over all mappings. */
  get busyRuns(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.pending.length + (q.running ? 1 : 0);
    return n;
  }

  /**
   * One incoming MIDI message: reported, matched (synchronously), and every fired mapping's action queued to run
   * asynchronously. Returns before any action starts. Ignored after dispose().
   */
  handle(event: MidiEvent): void {
    if (this.disposed) return;
    this.emit({ kind: 'midi', event: { deviceId: event.deviceId, message: { ...event.message }, timestamp: event.timestamp } });
    if (this.matching) this.matcher.handle(event);
  }

  /** A game controller's button, stick or trigger changed (from the app's gamepad source): its mappings fire like MIDI's. */
  handleGamepad(event: GamepadEvent): void {
    if (this.disposed) return;
    const step = gamepadInputStep(event.input);
    const key = `${event.deviceId}\n${event.input.kind}${event.input.id}`;
    if (step === null || this.gamepadSteps.get(key) !== step) {
      if (step !== null) {
        if (this.gamepadSteps.size >= 1024) this.gamepadSteps.clear();
        this.gamepadSteps.set(key, step);
      }
      this.emit({ kind: 'gamepad', event: { deviceId: event.deviceId, input: { ...event.input }, timestamp: event.timestamp } });
    }
    if (this.matching) this.gamepads.handle(event);
  }

  /** Presses dropped so far (runs whose action did not run), by cause, mapping and plugin; each was a `run-dropped` event. */
  get drops(): DropCounts {
    const { total, byCause, byMapping, byPlugin } = this.dropStats;
    return {
      total,
      byCause: { ...byCause },
      byMapping: [...byMapping.values()].map((m) => ({ mapping: { ...m.mapping }, count: m.count, byCause: { ...m.byCause } })),
      byPlugin: Object.fromEntries(byPlugin),
    };
  }

  /** While false, MIDI still reaches the event stream but no mapping fires (used during MIDI-learn). */
  setMatching(enabled: boolean): void {
    this.matching = enabled;
  }

  /** Hot reload: the new mappings apply from the next event; the current mode is kept by name if it still exists. */
  setConfig(config: AppConfig): void {
    if (this.disposed) return;
    const previous = this.currentMode;
    this.config = config;
    this.applyConfig(config, previous);
    this.matcher.resetMappings();
    this.gamepads.reset();
    this.emit({ kind: 'config', modes: this.modeNames, mappingCount: this.modes.reduce((n, m) => n + m.entries.length, 0) + this.global.length });
    if (this.currentMode !== previous) this.emit({ kind: 'mode-change', from: previous, to: this.currentMode, toIndex: this.currentModeIndex, reason: 'config' });
  }

  /** Switches to a mode by name (exact, else case-insensitive) or by 0-based index. */
  setMode(target: string | number): ModeSwitchResult {
    return this.switchMode(target, false, 'api');
  }

  /** Every event from now on; returns the unsubscribe function. A throwing listener is ignored. */
  onDidEngineEvent(listener: EngineEventListener): () => void {
    return this.log.onDidEngineEvent(listener);
  }

  /**
   * Buffered recent events with seq > afterSeq, oldest first. Calling this and onDidEngineEvent in the same tick
   * misses nothing (events are emitted synchronously on the event loop).
   */
  recentEvents(afterSeq = 0): EngineEvent[] {
    return this.log.recent(afterSeq);
  }

  /** The seq of the latest event (0 before any). */
  get lastEventSeq(): number {
    return this.log.lastSeq;
  }

  /**
   * A plugin's `conductor.midi_send` could not be sent out (the MIDI outputs said why): reported on the event
   * stream, where the console shows it. Keeps the first PLUGIN_MIDI_ERROR_BYTES bytes. Ignored after dispose().
   */
  reportPluginMidiFailure(failure: { pluginId: string; port: string; bytes: readonly number[]; error: string }): void {
    if (this.disposed) return;
    const { pluginId, port, bytes, error } = failure;
    this.emit({ kind: 'plugin-midi-error', pluginId, port, bytes: bytes.slice(0, PLUGIN_MIDI_ERROR_BYTES), byteCount: bytes.length, error });
  }

  /**
   * Loads every plugin the config's WasmPlugin actions name (nested ones too), so the first press does not wait
   * for a sandbox to start. Failures are not thrown: they show when the action runs. Resolves with the paths tried.
   */
  async preloadPlugins(): Promise<string[]> {
    const plugins = this.plugins;
    if (!plugins) return [];
    const paths = new Set<string>();
    const visit = (action: Action): void => {
      if (action.type === 'WasmPlugin') paths.add(action.path);
      else if (action.type === 'Sequence') action.actions.forEach(visit);
      else if (action.type === 'Repeat') visit(action.action);
    };
    for (const entry of [...this.modes.flatMap((m) => m.entries), ...this.global]) visit(entry.mapping.action);
    await Promise.all([...paths].map((path) => plugins.ensureLoaded(path).catch(() => undefined)));
    return [...paths];
  }

  /** Resolves once no action is running or waiting (new triggers meanwhile extend the wait). */
  async idle(): Promise<void> {
    while (this.activeDrains > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stops: no more events are handled, hold timers are cancelled, waiting runs are dropped, running actions are
   * aborted (delays end, processes are killed, plugin calls are no longer awaited). Resolves when all have ended.
   */
  async dispose(): Promise<void> {
    if (!this.disposed) {
      this.disposed = true;
      this.matcher.dispose();
      for (const queue of this.queues.values()) {
        for (const run of queue.pending.splice(0)) this.drop(run.runId, run.mapping, 'stopped', 'the engine was stopped before it started');
      }
      this.abort.abort();
      void this.system?.dispose();
    }
    await this.idle();
  }

  /**
   * config.toml changed but could not be applied (the app keeps the last good config): an event in the log, so the
   * console shows what is wrong and where next to what the engine did.
   */
  reportConfigIssues(path: string, issues: readonly ConfigIssue[]): void {
    this.emit({ kind: 'config-error', path, issues: [...issues] });
  }

  private emit(event: EngineEventInput): void {
    this.log.emit(event);
  }

  /** The runner's events go to the log; a plugin call refused as busy is also a drop (counted, `run-dropped`). */
  private runnerEvent(event: EngineEventInput): void {
    this.emit(event);
    if (event.kind === 'action-error' && event.plugin?.errorKind === 'busy') {
      const pluginId = event.plugin.pluginId ?? event.plugin.path;
      this.drop(event.runId, event.mapping, 'plugin-busy', `plugin ${pluginId} refused the call: ${event.plugin.error ?? 'busy'}`, pluginId);
    }
  }

  /** Counts a drop and reports it: nothing is dropped without a `run-dropped` event. */
  private drop(runId: number, mapping: MappingRef, cause: DropCause, reason: string, pluginId: string | null = null): void {
    const stats = this.dropStats;
    stats.total++;
    stats.byCause[cause]++;
    const key = `${mapping.scope}\u0000${mapping.mode ?? ''}\u0000${mapping.index}`;
    let perMapping = stats.byMapping.get(key);
    if (!perMapping) {
      perMapping = { mapping, count: 0, byCause: zeroCauses() };
      stats.byMapping.set(key, perMapping);
    }
    perMapping.mapping = mapping;
    perMapping.count++;
    perMapping.byCause[cause]++;
    if (pluginId !== null) stats.byPlugin.set(pluginId, (stats.byPlugin.get(pluginId) ?? 0) + 1);
    this.emit({ kind: 'run-dropped', runId, mapping, reason, cause, pluginId, dropped: stats.total });
  }

  private applyConfig(config: AppConfig, keepMode: string | null = null): void {
    const compiled = compile(config);
    this.modes = compiled.modes;
    this.global = compiled.global;
    // Idle queues of mappings that are gone; a busy one is deleted when it drains (see drain).
    this.mapped = new Set<Mapping>([...this.global, ...this.modes.flatMap((m) => m.entries)].map((e) => e.mapping));
    for (const [mapping, queue] of this.queues) if (!queue.running && !this.mapped.has(mapping)) this.queues.delete(mapping);
    const kept = keepMode === null ? -1 : this.modes.findIndex((m) => m.name === keepMode);
    this.modeIndex = kept >= 0 ? kept : 0;
    this.refreshActive();
  }

  private refreshActive(): void {
    this.active = this.modes[this.modeIndex]?.active ?? this.global;
  }

  private resolveMode(target: string | number, relative: boolean): { ok: true; index: number } | { ok: false; error: string } {
    const count = this.modes.length;
    if (count === 0) return { ok: false, error: 'no modes are configured' };
    if (relative) {
      if (typeof target !== 'number' || !Number.isInteger(target)) return { ok: false, error: `a relative mode change needs a whole number offset (got "${target}")` };
      return { ok: true, index: (((this.modeIndex + target) % count) + count) % count };
    }
    if (typeof target === 'number') {
      if (!Number.isInteger(target) || target < 0 || target >= count) return { ok: false, error: `there is no mode ${target} (modes are numbered 0–${count - 1})` };
      return { ok: true, index: target };
    }
    let index = this.modes.findIndex((m) => m.name === target);
    if (index < 0) index = this.modes.findIndex((m) => m.name.toLowerCase() === target.toLowerCase());
    if (index < 0) return { ok: false, error: `there is no mode named "${target}" (modes: ${this.modeNames.join(', ')})` };
    return { ok: true, index };
  }

  private switchMode(target: string | number, relative: boolean, reason: 'action' | 'api'): ModeSwitchResult {
    const resolved = this.resolveMode(target, relative);
    if (!resolved.ok) return resolved;
    const from = this.currentMode;
    const changed = resolved.index !== this.modeIndex;
    this.modeIndex = resolved.index;
    this.refreshActive();
    const to = this.currentMode ?? '';
    if (changed) this.emit({ kind: 'mode-change', from, to, toIndex: this.modeIndex, reason });
    return { ok: true, mode: to, changed };
  }

  private readonly modeChanger: ModeChanger = (target, relative) => {
    if (this.disposed) return { ok: false, error: 'the engine is stopped' };
    const from = this.currentMode;
    const result = this.switchMode(target, relative, 'action');
    if (!result.ok) return result;
    return { ok: true, detail: result.changed ? `mode ${from ?? '(none)'} → ${result.mode}` : `already in mode ${result.mode}` };
  };

  private fire(entry: MappingEntry, context: TriggerContext): void {
    if (this.disposed) return;
    const run: Run = { runId: this.nextRunId++, mapping: entry.ref, context, signal: this.abort.signal, action: entry.mapping.action };
    this.emit({ kind: 'trigger', runId: run.runId, mapping: entry.ref, trigger: entry.mapping.trigger.type, mode: this.currentMode, context });
    const mapping = entry.mapping;
    let queue = this.queues.get(mapping);
    if (!queue) {
      queue = { running: false, pending: [] };
      this.queues.set(mapping, queue);
    }
    if (queue.running && queue.pending.length >= this.maxPending) {
      const dropped = queue.pending.shift();
      if (dropped) {
        this.drop(dropped.runId, dropped.mapping, 'queue-full', `its mapping already had ${this.maxPending} runs waiting; the oldest waiting run was dropped`);
      } else {
        this.drop(run.runId, run.mapping, 'queue-full', 'its mapping is still running its previous action');
        return;
      }
    }
    queue.pending.push(run);
    if (!queue.running) {
      queue.running = true;
      this.activeDrains++;
      void this.drain(mapping, queue);
    }
  }

  /** Runs a mapping's queued runs one after another, starting after the current call stack (handle() returns first). */
  private async drain(mapping: Mapping, queue: MappingQueue): Promise<void> {
    // Taken before yielding, so `pending` only ever holds runs that wait behind a started one.
    let run = queue.pending.shift();
    await undefined;
    try {
      for (; run; run = queue.pending.shift()) {
        try {
          await this.runner.run(run.action, run);
        } catch {
          // The runner reports its own failures; nothing may stop the queue.
        }
      }
    } finally {
      // In the same microtask as the last empty check, so a run queued now always finds running = false.
      queue.running = false;
      // A queue of a mapping no longer in the config goes; the others stay for the next press.
      if (this.queues.get(mapping) === queue && !this.mapped.has(mapping)) this.queues.delete(mapping);
      if (--this.activeDrains === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
    }
  }
}
