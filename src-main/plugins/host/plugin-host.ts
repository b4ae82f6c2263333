// The plugin host (main process): one sandbox process per plugin, bounded call queues, deadlines,
// restart after crashes, a crash breaker, spare processes, lifecycle events. Never runs plugin code itself.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { describeCapabilities, type ApprovalRequest, type GrantDecision, type GrantStatus } from '../../../src-shared/capabilities';
import {
  DEFAULT_LIMITS,
  type ActionParams,
  type CallErrorKind,
  type CallResult,
  type Capability,
  type LifecycleEvent,
  type LifecyclePhase,
  type PluginLimits,
  type PluginHostEvent,
  type PluginMetadata,
  type PluginSnapshot,
  type PluginState,
  type PluginStats,
  type TriggerContext,
  type VerificationResult,
} from '../../../src-shared/plugin';
import { pluginDataDir } from '../../common/paths';
import type { AuthorizeHook, VerifyHook } from '../../trust/hooks';
import { MetadataError, resolveMetadata } from '../common/metadata';
import type { LoadReport } from '../common/protocol';
import {
  defaultSandboxEntry,
  forkSpawner,
  SandboxCrashedError,
  SandboxProcess,
  SandboxTimeoutError,
  type SandboxSpawner,
} from './sandbox-process';


const unchecked: VerifyHook = async () => ({
  ok: true,
  tier: 'unchecked',
  detail: 'no signature verifier is configured',
  signer: null,
  trustedKeyName: null,
  failedCheck: null,
});

export interface PluginHostOptions {
  spawner?: SandboxSpawner;
  /** Path of the built sandbox entry script (default: dist/sandbox.js). */
  sandboxEntry?: string;
  /** Sandbox processes kept started and idle so loading never waits for a process to boot (default 1). */
  spareSandboxes?: number;
  verify?: VerifyHook;
  /** Decides capability grants for plugins loaded without explicit `grants` (default: none granted). */
  authorize?: AuthorizeHook;
  /** Crashes/timeouts within `windowMs` that disable a plugin (default 3 in 60 s). */
  breaker?: { maxFailures: number; windowMs: number };
}

export interface LoadPluginOptions {
  wasmPath: string;
  /** Defaults to the file name without `.wasm`. */
  id?: string;
  limits?: Partial<PluginLimits>;
  /** Fixed grants (e.g. `conductor plugin run --grant`); when given, the host's authorize hook is not consulted. */
  grants?: Capability[];
  /** The plugin's data directory; default: the per-platform plugin-data/<id> (DESIGN §6). */
  dataDir?: string;
}

export class PluginLoadError extends Error {
  override readonly name = 'PluginLoadError';
}

/** Builds the execute input (DESIGN §4): params, plus `parameters` (Conductor's form) and `context`. */
export function buildExecuteInput(params: ActionParams, context: TriggerContext): string {
  return JSON.stringify({ ...params, parameters: params, context });
}

function failed(kind: CallErrorKind, error: string): CallResult {
  return { ok: false, code: null, error, errorKind: kind, fuelConsumed: 0, durationMs: 0, memoryBytes: 0, log: [] };
}

type Listener = (event: LifecycleEvent) => void;
type ApprovalListener = (request: ApprovalRequest) => void;
/** Something a plugin asked for through a host function (send MIDI, notify), with the plugin it came from. */
export interface PluginEventMessage {
  pluginId: string;
  event: PluginHostEvent;
}
type PluginEventListener = (message: PluginEventMessage) => void;

const sameSet = (a: readonly Capability[], b: readonly Capability[]): boolean => a.length === b.length && a.every((c) => b.includes(c));

/** Where a plugin's sidecar metadata lives: `<name>.plugin.toml` beside the .wasm (as installed), else `plugin.toml`. */
export function sidecarPaths(wasmPath: string): string[] {
  return [wasmPath.replace(/\.wasm$/i, '') + '.plugin.toml', join(dirname(wasmPath), 'plugin.toml')];
}

async function readSidecar(wasmPath: string): Promise<string | null> {
  for (const path of sidecarPaths(wasmPath)) {
    const text = await readFile(path, 'utf8').catch(() => null);
    if (text !== null) return text;
  }
  return null;
}

export class PluginHost {
  private readonly plugins = new Map<string, PluginHandle>();
  private readonly listeners = new Set<Listener>();
  private readonly approvalListeners = new Set<ApprovalListener>();
  private readonly pluginEventListeners = new Set<PluginEventListener>();
  private readonly callListeners = new Set<(message: { pluginId: string; result: CallResult }) => void>();
  private spares: SandboxProcess[] = [];
  private closed = false;
  readonly spawner: SandboxSpawner;
  readonly sandboxEntry: string;
  readonly verify: VerifyHook;
  readonly authorize: AuthorizeHook | null;
  readonly breaker: { maxFailures: number; windowMs: number };
  private readonly spareCount: number;

  constructor(options: PluginHostOptions = {}) {
    this.spawner = options.spawner ?? forkSpawner;
    this.sandboxEntry = options.sandboxEntry ?? defaultSandboxEntry();
    this.verify = options.verify ?? unchecked;
    this.authorize = options.authorize ?? null;
    this.breaker = options.breaker ?? { maxFailures: 3, windowMs: 60_000 };
    this.spareCount = options.spareSandboxes ?? 1;
    this.refillSpares();
  }

  /** Lifecycle events of every plugin; returns an unsubscribe function. */
  onDidLifecycle(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Requests for the user to decide on pending capabilities; returns an unsubscribe function. */
  onDidRequestApproval(listener: ApprovalListener): () => void {
    this.approvalListeners.add(listener);
    return () => this.approvalListeners.delete(listener);
  }

  /** MIDI to send, notifications to show: requests plugins made through granted host functions. */
  onDidPluginEvent(listener: PluginEventListener): () => void {
    this.pluginEventListeners.add(listener);
    return () => this.pluginEventListeners.delete(listener);
  }

  /** Loads a plugin into its own sandbox. Resolves with the handle even if loading failed (see its state). */
  async load(options: LoadPluginOptions): Promise<PluginHandle> {
    if (this.closed) throw new PluginLoadError('the plugin host is shut down');
    const id = options.id ?? basename(options.wasmPath).replace(/\.wasm$/i, '');
    if (this.plugins.has(id)) throw new PluginLoadError(`a plugin with id "${id}" is already loaded`);
    const handle = new PluginHandle(this, id, options);
    this.plugins.set(id, handle);
    await handle.start();
    return handle;
  }

  get(id: string): PluginHandle | undefined {
    return this.plugins.get(id);
  }

  list(): PluginHandle[] {
    return [...this.plugins.values()];
  }

  /** Unloads every plugin (calling their `shutdown`) and stops the spare processes. */
  async shutdown(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.plugins.values()].map((p) => p.unload()));
    const spares = this.spares;
    this.spares = [];
    await Promise.all(spares.map((s) => (s.kill(), s.exit(1000))));
  }

  /**
   * @internal A started sandbox process: a spare if one is ready, else a new one. The caller calls
   * `refillSpares` once its load is done: a new process booting meanwhile would compete with the load for CPU.
   */
  takeSandbox(serviceName: string): SandboxProcess {
    const spare = this.spares.shift();
    if (spare?.alive) return spare;
    spare?.kill();
    return new SandboxProcess(this.spawner(this.sandboxEntry, serviceName));
  }

  /** @internal */
  emit(pluginId: string, phase: LifecyclePhase, detail?: string): void {
    const event: LifecycleEvent = { pluginId, phase, at: Date.now(), ...(detail === undefined ? {} : { detail }) };
    for (const l of this.listeners) l(event);
  }

  /** A call finished (any outcome; the plugin's stats have been updated). For views that show call stats. */
  onDidFinishCall(listener: (message: { pluginId: string; result: CallResult }) => void): () => void {
    this.callListeners.add(listener);
    return () => this.callListeners.delete(listener);
  }

  /** @internal */
  emitCallFinished(pluginId: string, result: CallResult): void {
    for (const l of this.callListeners) {
      try {
        l({ pluginId, result });
      } catch {
        // A failing listener must not break the plugin's call or the other listeners.
      }
    }
  }

  /** @internal */
  emitPluginEvent(pluginId: string, event: PluginHostEvent): void {
    for (const l of this.pluginEventListeners) {
      try {
        l({ pluginId, event });
      } catch {
        // A failing listener must not break the plugin's call or the other listeners.
      }
    }
  }

  /** @internal */
  emitApproval(request: ApprovalRequest): void {
    for (const l of this.approvalListeners) l(request);
  }

  /** @internal */
  forget(id: string): void {
    this.plugins.delete(id);
  }

  /** @internal Starts spare sandboxes until there are `spareSandboxes` of them. */
  refillSpares(): void {
    this.spares = this.spares.filter((s) => s.alive);
    while (!this.closed && this.spares.length < this.spareCount) {
      const spare = new SandboxProcess(this.spawner(this.sandboxEntry, 'conductor-plugin-sandbox'));
      spare.onExit(() => {
        this.spares = this.spares.filter((s) => s !== spare);
      });
      this.spares.push(spare);
    }
  }
}

interface QueuedCall {
  input: string;
  resolve: (result: CallResult) => void;
}

/** One loaded plugin: its state, its sandbox, its queue. `call` never throws. */
export class PluginHandle {
  readonly limits: PluginLimits;
  readonly dataDir: string;
  private state: PluginState = 'loading';
  private reason: string | null = null;
  private sha256 = '';
  private metadata: PluginMetadata | null = null;
  private verification: VerificationResult | null = null;
  private sandbox: SandboxProcess | null = null;
  private readonly options: LoadPluginOptions;
  private readonly queue: QueuedCall[] = [];
  private running = false;
  private decision: GrantDecision = { granted: [], pending: [], denied: [] };
  /** The grants the current sandbox was started with; a change restarts it. */
  private bootedGrants: Capability[] = [];
  private restartForGrants = false;
  /** allowed_hosts from the sidecar plugin.toml, which the sandbox cannot read itself (null: not from the sidecar). */
  private sidecarAllowedHosts: string[] | null = null;
  private bootedAllowedHosts: string[] | null = null;
  private failures: number[] = [];
  /** Settles when the load (start) has finished; calls made meanwhile wait for it. */
  private loading: Promise<void> = Promise.resolve();
  private readonly stats: PluginStats = { calls: 0, errors: 0, lastFuelConsumed: null, lastDurationMs: null, crashes: 0, lastError: null };
  /** The load report of the current sandbox (exports, imports, timings). */
  report: LoadReport | null = null;

  constructor(
    private readonly host: PluginHost,
    readonly id: string,
    options: LoadPluginOptions,
  ) {
    this.options = { ...options, wasmPath: resolve(options.wasmPath) };
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    if (options.grants) this.decision = { granted: [...new Set(options.grants)], pending: [], denied: [] };
    this.dataDir = options.dataDir ?? pluginDataDir(id);
  }

  /** Capabilities the plugin may use now (what its sandbox gets). */
  get grants(): Capability[] {
    return [...this.decision.granted];
  }

  snapshot(): PluginSnapshot {
    return {
      id: this.id,
      wasmPath: this.options.wasmPath,
      sha256: this.sha256,
      state: this.state,
      reason: this.reason,
      metadata: this.metadata,
      verification: this.verification,
      limits: { ...this.limits },
      grants: [...this.decision.granted],
      pendingCapabilities: [...this.decision.pending],
      deniedCapabilities: [...this.decision.denied],
      dataDir: this.grants.includes('filesystem') ? this.dataDir : null,
      stats: { ...this.stats, lastError: this.stats.lastError ? { ...this.stats.lastError } : null },
    };
  }

  get pid(): number | undefined {
    return this.sandbox?.pid;
  }

  /** @internal Load → verify → init (in a sandbox) → ready. Failures leave the state 'failed' with the reason. */
  start(): Promise<void> {
    this.loading = this.startOnce();
    return this.loading;
  }

  private async startOnce(): Promise<void> {
    this.host.emit(this.id, 'load', this.options.wasmPath);
    try {
      const bytes = new Uint8Array(await readFile(this.options.wasmPath));
      this.sha256 = createHash('sha256').update(bytes).digest('hex');
      this.verification = await this.host.verify({ id: this.id, wasmPath: this.options.wasmPath, bytes, sha256: this.sha256 });
      this.host.emit(this.id, 'verify', `${this.verification.tier}: ${this.verification.detail}`);
      if (!this.verification.ok) throw new PluginLoadError(`signature check failed: ${this.verification.detail}`);
      const sidecar = await readSidecar(this.options.wasmPath);
      // Grants before the sandbox starts: from the sidecar's metadata when there is one (errors surface below).
      let early: PluginMetadata | null = null;
      try {
        early = sidecar === null ? null : resolveMetadata({ init: null, sidecarToml: sidecar, section: null }, this.id);
      } catch (err) {
        if (!(err instanceof MetadataError)) throw err;
      }
      this.sidecarAllowedHosts = early ? early.allowedHosts : null;
      await this.authorizeWith(early);
      await this.boot();
      const report = this.report as LoadReport | null;
      if (!report) throw new PluginLoadError('sandbox did not report');
      this.metadata = resolveMetadata({ init: report.initMetadata, sidecarToml: sidecar, section: report.sectionMetadata }, this.id);
      // init() / the custom section win over the sidecar; then the sandbox uses the plugin's own allowed_hosts.
      if (this.metadata.source !== 'plugin.toml') this.sidecarAllowedHosts = null;
      await this.authorizeWith(this.metadata);
      if (!sameSet(this.bootedGrants, this.decision.granted) || this.bootedAllowedHosts !== this.sidecarAllowedHosts) {
        await this.restartSandbox('capabilities known after init');
      }
      this.settle('load');
      this.host.emit(this.id, 'ready', `${this.metadata.name} ${this.metadata.version}`);
    } catch (err) {
      this.fail((err as Error).message);
    }
  }

  /** Runs one action. Resolves with a CallResult; failures (limits, crashes, busy…) are results, not exceptions. */
  call(params: ActionParams, context: TriggerContext): Promise<CallResult> {
    return this.callRaw(buildExecuteInput(params, context));
  }

  /** Like `call`, with the execute input already serialised. */
  callRaw(input: string): Promise<CallResult> {
    if (this.state === 'disabled') return Promise.resolve(failed('disabled', `plugin disabled: ${this.reason ?? ''}`));
    if (this.state === 'failed') return Promise.resolve(failed('load', `plugin failed to load: ${this.reason ?? ''}`));
    if (this.state === 'unloaded') return Promise.resolve(failed('disabled', 'plugin is unloaded'));
    if (this.state === 'waiting-approval') return Promise.resolve(this.waiting('call'));
    if (this.queue.length + (this.running ? 1 : 0) >= this.limits.maxQueuedCalls) {
      return Promise.resolve(failed('busy', `plugin busy: ${this.limits.maxQueuedCalls} calls already queued`));
    }
    return new Promise((resolve) => {
      this.queue.push({ input, resolve });
      void this.pump();
    });
  }

  /** Re-enables a plugin the crash breaker disabled. */
  enable(): void {
    if (this.state !== 'disabled') return;
    this.failures = [];
    this.setState(this.sandbox ? 'ready' : 'restarting', null);
    if (this.sandbox) this.settle('grants-changed');
  }

  /**
   * Asks the authorize hook again (after the user approved, denied or revoked something) and applies the answer:
   * a changed granted set restarts the sandbox with exactly the new set; pending capabilities block execution.
   */
  async reauthorize(): Promise<GrantDecision> {
    if (this.options.grants || !this.verification || this.state === 'failed' || this.state === 'unloaded' || this.state === 'loading') {
      return { ...this.decision };
    }
    await this.authorizeWith(this.metadata);
    if (!sameSet(this.bootedGrants, this.decision.granted)) {
      if (this.running) this.restartForGrants = true;
      else if (this.sandbox) {
        try {
          await this.restartSandbox(`capabilities changed (granted: ${this.decision.granted.join(', ') || 'none'})`);
        } catch (err) {
          this.fail((err as Error).message);
          return { ...this.decision };
        }
      }
    }
    if (this.state === 'ready' || this.state === 'waiting-approval' || this.state === 'restarting') this.settle('grants-changed');
    return { ...this.decision };
  }

  /** Shutdown (the plugin's `shutdown` export, under the call deadline) → unload (the process ends). */
  async unload(): Promise<void> {
    if (this.state === 'unloaded') return;
    this.setState('unloaded', null);
    for (const q of this.queue.splice(0)) q.resolve(failed('disabled', 'plugin was unloaded'));
    const sandbox = this.sandbox;
    this.sandbox = null;
    if (sandbox?.alive) {
      try {
        const reply = await sandbox.request({ type: 'shutdown' }, this.limits.callTimeoutMs);
        this.host.emit(this.id, 'shutdown', reply.type === 'shut-down' ? reply.log.join('\n') : undefined);
      } catch (err) {
        this.host.emit(this.id, 'shutdown', `shutdown failed: ${(err as Error).message}`);
      }
      sandbox.kill();
      await sandbox.exit(1000);
    }
    this.host.forget(this.id);
    this.host.emit(this.id, 'unload');
  }

  private async authorizeWith(metadata: PluginMetadata | null): Promise<void> {
    if (this.options.grants || !this.host.authorize || !this.verification) return;
    this.decision = await this.host.authorize({ id: this.id, sha256: this.sha256, verification: this.verification, metadata });
  }

  /** Ready, or waiting for approval (and asking for it) when capabilities are pending. */
  private settle(reason: ApprovalRequest['reason']): void {
    if (this.decision.pending.length === 0) {
      this.setState('ready', null);
      return;
    }
    this.setState('waiting-approval', `waiting for approval of: ${describeCapabilities(this.decision.pending)}`);
    this.requestApproval(reason);
  }

  private waiting(reason: ApprovalRequest['reason']): CallResult {
    this.requestApproval(reason);
    return this.count(failed('approval', `waiting for approval of: ${describeCapabilities(this.decision.pending)}`));
  }

  private requestApproval(reason: ApprovalRequest['reason']): void {
    const m = this.metadata;
    const status = (c: Capability): GrantStatus =>
      this.decision.granted.includes(c) ? 'granted' : this.decision.denied.includes(c) ? 'denied' : 'pending';
    this.host.emitApproval({
      pluginId: this.id,
      name: m?.name ?? this.id,
      version: m?.version ?? '',
      tier: this.verification?.tier ?? 'unchecked',
      signer: this.verification?.signer ?? null,
      capabilities: (m?.capabilities ?? []).map((capability) => ({ capability, status: status(capability) })),
      pending: [...this.decision.pending],
      allowedHosts: m?.allowedHosts ?? [],
      reason,
    });
  }

  /** Replaces the sandbox with a new one started with the current grants. */
  private async restartSandbox(why: string): Promise<void> {
    const old = this.sandbox;
    this.sandbox = null;
    old?.kill();
    this.host.emit(this.id, 'restart', why);
    await this.boot();
  }

  private fail(message: string): void {
    this.sandbox?.kill();
    this.sandbox = null;
    this.setState('failed', message);
    this.host.emit(this.id, 'failed', message);
  }

  private setState(state: PluginState, reason: string | null): void {
    this.state = state;
    this.reason = reason;
  }

  /** Starts a sandbox (a spare if ready) and loads the plugin into it. */
  private async boot(): Promise<void> {
    const sandbox = this.host.takeSandbox(`conductor-plugin-${this.id}`);
    this.sandbox = sandbox;
    this.bootedGrants = [...this.decision.granted];
    this.bootedAllowedHosts = this.sidecarAllowedHosts;
    this.restartForGrants = false;
    sandbox.onEvent((event) => this.host.emitPluginEvent(this.id, event));
    sandbox.onExit((info, expected) => {
      if (this.sandbox !== sandbox) return;
      this.sandbox = null;
      if (!expected && !this.running && this.state === 'ready') {
        // Died while idle: count it, restart on the next call.
        this.stats.crashes++;
        this.host.emit(this.id, 'crash', new SandboxCrashedError(info).message);
        this.recordFailure('sandbox process died while idle');
      }
    });
    if (this.bootedGrants.includes('filesystem')) mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    try {
      await sandbox.ready;
      this.host.emit(this.id, 'init');
      await this.loadInto(sandbox);
    } finally {
      setImmediate(() => this.host.refillSpares());
    }
  }

  private async loadInto(sandbox: SandboxProcess): Promise<void> {
    const reply = await sandbox.request(
      {
        type: 'load',
        name: this.id,
        wasmPath: this.options.wasmPath,
        sha256: this.sha256,
        config: {
          limits: this.limits,
          grants: this.bootedGrants,
          dataDir: this.bootedGrants.includes('filesystem') ? this.dataDir : null,
          ...(this.bootedAllowedHosts ? { allowedHosts: this.bootedAllowedHosts } : {}),
        },
      },
      this.limits.callTimeoutMs,
    );
    if (reply.type === 'load-failed') throw new PluginLoadError(reply.error);
    if (reply.type !== 'loaded') throw new PluginLoadError(`unexpected reply ${reply.type}`);
    this.report = reply.report;
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        next.resolve(await this.runOne(next.input));
      }
    } finally {
      this.running = false;
    }
  }

  private async runOne(input: string): Promise<CallResult> {
    await this.loading;
    if (this.state === 'failed') return failed('load', `plugin failed to load: ${this.reason ?? ''}`);
    if (this.state === 'disabled') return failed('disabled', `plugin disabled: ${this.reason ?? ''}`);
    if (this.state === 'unloaded') return failed('disabled', 'plugin was unloaded');
    if (this.state === 'waiting-approval') return this.waiting('call');
    try {
      if (this.restartForGrants && this.sandbox) {
        await this.restartSandbox(`capabilities changed (granted: ${this.decision.granted.join(', ') || 'none'})`);
      }
      if (!this.sandbox) {
        this.setState('restarting', null);
        this.host.emit(this.id, 'restart');
        await this.boot();
        this.setState('ready', null);
      }
      const sandbox = this.sandbox as SandboxProcess | null;
      if (!sandbox) throw new SandboxCrashedError({ code: null, signal: null });
      this.host.emit(this.id, 'execute');
      const reply = await sandbox.request({ type: 'execute', input }, this.limits.callTimeoutMs);
      if (reply.type !== 'result') throw new Error(`unexpected reply ${reply.type}`);
      return this.count(reply.result);
    } catch (err) {
      return this.count(this.failureOf(err));
    }
  }

  private failureOf(err: unknown): CallResult {
    if (err instanceof SandboxTimeoutError) {
      this.sandbox = null;
      this.host.emit(this.id, 'timeout', err.message);
      this.recordFailure(err.message);
      return failed('timeout', err.message);
    }
    if (err instanceof SandboxCrashedError) {
      this.sandbox = null;
      this.stats.crashes++;
      this.host.emit(this.id, 'crash', err.message);
      this.recordFailure(err.message);
      return failed('crash', `${err.message}; it will be restarted on the next call`);
    }
    const message = (err as Error).message;
    this.fail(message);
    return failed('load', `plugin failed to restart: ${message}`);
  }

  private count(result: CallResult): CallResult {
    this.stats.calls++;
    if (!result.ok) {
      this.stats.errors++;
      this.stats.lastError = { kind: result.errorKind ?? 'crash', message: result.error ?? 'failed', at: Date.now() };
    }
    this.stats.lastFuelConsumed = result.fuelConsumed;
    this.stats.lastDurationMs = result.durationMs;
    this.host.emitCallFinished(this.id, result);
    return result;
  }

  /** Crash/timeout breaker: too many within the window disables the plugin with a visible reason. */
  private recordFailure(reason: string): void {
    const now = Date.now();
    const { maxFailures, windowMs } = this.host.breaker;
    this.failures = [...this.failures.filter((t) => now - t < windowMs), now];
    if (this.failures.length >= maxFailures && this.state !== 'unloaded') {
      const why = `disabled after ${this.failures.length} crashes or timeouts within ${Math.round(windowMs / 1000)} s (last: ${reason})`;
      this.setState('disabled', why);
      this.host.emit(this.id, 'disabled', why);
      for (const q of this.queue.splice(0)) q.resolve(failed('disabled', `plugin disabled: ${why}`));
    }
  }
}
