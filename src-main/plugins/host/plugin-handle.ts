// One loaded plugin: its state (moved only through the transition table), its sandbox process, its bounded call
// queue, its events. Never runs plugin code in this process, and `call` never throws: every failure is a CallResult.
import { mkdirSync } from 'node:fs';
import type { ApprovalRequest, GrantDecision } from '../../../src-shared/capabilities';
import { errorMessage } from '../../../src-shared/errors';
import {
  failedCall, type ActionParams, type CallResult, type Capability, type IsolationMode, type LifecycleEvent, type LifecyclePhase, type PluginHostEvent,
  type PluginIsolation, type PluginLimits, type PluginMetadata, type PluginSnapshot, type PluginState, type SettingValue, type TriggerContext, type VerificationResult,
} from '../../../src-shared/plugin';
import type { Clock } from '../../common/clock';
import { Emitter, type Event } from '../../../src-shared/emitter';
import type { AuthorizeHook, VerifyHook } from '../../trust/hooks';
import { resolveMetadata } from '../common/metadata';
import type { LoadReport } from '../common/protocol';
import { resolveSettings, type SandboxSettings } from '../common/settings';
import { CallQueue, NOT_STARTED } from './call-queue';
import { CallStats } from './call-stats';
import { decideIsolation } from './isolation';
import type { CrashBreaker } from './crash-breaker';
import { approvalRequest, buildExecuteInput, loadInto, PluginLoadError, readPluginFile, readSidecar, sameSet, sidecarMetadata } from './plugin-load';
import { gate, PluginStateMachine, waitingForApproval, type StateChange } from './plugin-state';
import { SandboxCallNotStartedError, SandboxCrashedError, SandboxTimeoutError, type ExitInfo, type SandboxProcess } from './sandbox-process';

/**
 * Calls sent to a plugin's sandbox ahead of the answer to the one before (pipelining, see CallQueue), at most: the
 * sandbox still runs them one at a time, each with its own deadline and fuel, but a burst of presses no longer waits
 * a whole round trip per call.
 */
export const MAX_CALLS_IN_FLIGHT = 8;

/** One plugin as it is loaded: every default already applied (see createPlugin). */
export interface PluginSpec {
  id: string;
  /** Absolute. */
  wasmPath: string;
  limits: PluginLimits;
  /** Fixed grants (no authorize hook is asked), or null: the authorize hook decides, or nothing is granted. */
  grants: Capability[] | null;
  dataDir: string;
  /** The user's setting values (checked against the metadata's declarations at each call). */
  settings: Record<string, SettingValue>;
}

/** A current OAuth access token for a plugin (refreshed first when `force` or near expiry), or null: not connected. */
export type OAuthTokenHook = (pluginId: string, force: boolean) => Promise<{ access_token: string; expires_at: number } | null>;

/** What a handle needs from outside, and nothing more. */
export interface PluginHandleDeps {
  /**
   * Where its sandboxes come from (a process of its own, or a worker in the shared sandbox process, as the isolation
   * policy decides); `refill` is called once a load is done.
   */
  sandboxes: { take(serviceName: string, isolation: IsolationMode): SandboxProcess; refill(): void; readonly moduleCacheDir?: string | null };
  verify: VerifyHook;
  authorize: AuthorizeHook | null;
  breaker: CrashBreaker;
  /** Stamps lifecycle events and errors; the breaker keeps its own time on the same clock. */
  clock: Clock;
  /** The app's OAuth tokens (manager); null: the plugin never gets one (command-line runs use an access_token setting). */
  oauthToken: OAuthTokenHook | null;
}

export class PluginHandle {
  readonly id: string;
  readonly wasmPath: string;
  readonly limits: PluginLimits;
  readonly dataDir: string;
  /** Resolves (never rejects) with this handle once the load has finished, whatever its outcome (see the state). */
  readonly loaded: Promise<PluginHandle>;

  private readonly machine = new PluginStateMachine();
  private readonly lifecycleEvents = new Emitter<LifecycleEvent>();
  private readonly approvals = new Emitter<ApprovalRequest>();
  private readonly hostEvents = new Emitter<PluginHostEvent>();
  private readonly finishedCalls = new Emitter<CallResult>();
  private readonly closing = new Emitter<void>();
  /** Lifecycle phases, in order (load, verify, init, ready, execute, …, unload). */
  readonly onDidLifecycle: Event<LifecycleEvent> = this.lifecycleEvents.event;
  /** The user is asked to decide on pending capabilities (at load, when grants change, when a held call is refused). */
  readonly onDidRequestApproval: Event<ApprovalRequest> = this.approvals.event;
  /** MIDI to send, notifications to show: what the plugin asked for through granted host functions. */
  readonly onDidHostEvent: Event<PluginHostEvent> = this.hostEvents.event;
  /** A call finished, any outcome; the stats are already updated. */
  readonly onDidFinishCall: Event<CallResult> = this.finishedCalls.event;
  readonly onDidChangeState: Event<StateChange> = this.machine.onDidChangeState;
  /** The handle has closed (its sandbox is gone); fired just before the last lifecycle event, `unload`. */
  readonly onDidClose: Event<void> = this.closing.event;

  private decision: GrantDecision;
  private sha256 = '';
  private metadata: PluginMetadata | null = null;
  private verification: VerificationResult | null = null;
  private sandbox: SandboxProcess | null = null;
  /** Where the current sandbox runs and why (decided at each boot). */
  private isolation: PluginIsolation | null = null;
  private loadReport: LoadReport | null = null;
  private readonly queue = new CallQueue(
    (input) => this.runOne(input),
    { send: (input) => this.sendAhead(input), max: MAX_CALLS_IN_FLIGHT },
  );
  /** The grants and allowed_hosts the current sandbox was started with; a change restarts it. */
  private bootedGrants: Capability[] = [];
  private bootedAllowedHosts: string[] | null = null;
  /** allowed_hosts from the sidecar plugin.toml, which the sandbox cannot read itself (null: not from the sidecar). */
  private sidecarAllowedHosts: string[] | null = null;
  /** Why the sandbox must be replaced before the next call runs (grants changed or a reset during a call), or null. */
  private restartBeforeNextCall: string | null = null;
  private readonly stats = new CallStats();
  private userSettings: Record<string, SettingValue>;
  /** The sandbox that last got the settings, and what it got (as JSON): sent again only when either changes. */
  private settingsSent: { sandbox: SandboxProcess; json: string } | null = null;
  /** `loaded` has resolved: a call need not wait for it (one await less per call). */
  private loadFinished = false;

  constructor(
    spec: PluginSpec,
    private readonly deps: PluginHandleDeps,
  ) {
    this.id = spec.id;
    this.wasmPath = spec.wasmPath;
    this.limits = { ...spec.limits };
    this.dataDir = spec.dataDir;
    this.decision = { granted: spec.grants ? [...spec.grants] : [], pending: [], denied: [] };
    this.userSettings = { ...spec.settings };
    // Started on the next microtask, so whoever created the handle can subscribe before the first event (`load`).
    this.loaded = Promise.resolve()
      .then(() => this.load())
      .then(() => {
        this.loadFinished = true;
        return this;
      });
  }

  get state(): PluginState {
    return this.machine.state;
  }

  /** Capabilities the plugin may use now (what its sandbox gets). */
  get grants(): Capability[] {
    return [...this.decision.granted];
  }

  get pid(): number | undefined {
    return this.sandbox?.pid;
  }

  /** The load report of the current sandbox (exports, imports, timings). */
  get report(): LoadReport | null {
    return this.loadReport;
  }

  snapshot(): PluginSnapshot {
    return {
      id: this.id,
      wasmPath: this.wasmPath,
      sha256: this.sha256,
      state: this.machine.state,
      reason: this.machine.reason,
      metadata: this.metadata,
      verification: this.verification,
      limits: { ...this.limits },
      grants: [...this.decision.granted],
      pendingCapabilities: [...this.decision.pending],
      deniedCapabilities: [...this.decision.denied],
      dataDir: this.decision.granted.includes('filesystem') ? this.dataDir : null,
      stats: this.stats.snapshot(),
      isolation: this.isolation ? { ...this.isolation } : null,
    };
  }

  /** New values for the plugin's settings; the next call uses them (no reload). Values are checked at that call. */
  setSettings(values: Readonly<Record<string, SettingValue>>): void {
    this.userSettings = { ...values };
  }

  /** Runs one action. Resolves with a CallResult; failures (limits, crashes, busy…) are results, not exceptions. */
  call(params: ActionParams, context: TriggerContext): Promise<CallResult> {
    return this.callRaw(buildExecuteInput(params, context));
  }

  /** Like `call`, with the execute input already serialised. */
  callRaw(input: string): Promise<CallResult> {
    const refused = this.refusal(this.queue.size);
    return refused ? Promise.resolve(refused) : this.queue.enqueue(input);
  }

  /**
   * Forgets the crash history and re-enables a plugin the crash breaker disabled. The next call runs in a fresh
   * instance (a new sandbox process). Nothing to do for a plugin that is loading, failed or unloaded.
   */
  reset(): void {
    const state = this.machine.state;
    if (state === 'loading' || state === 'failed' || state === 'unloaded') return;
    this.deps.breaker.reset();
    if (this.sandbox) this.restartBeforeNextCall = 'reset';
    if (state === 'disabled') this.machine.transition('restarting');
  }

  /**
   * Asks the authorize hook again (after the user approved, denied or revoked something) and applies the answer:
   * a changed granted set restarts the sandbox with exactly the new set; pending capabilities block execution.
   */
  async reauthorize(): Promise<GrantDecision> {
    const state = this.machine.state;
    if (!this.deps.authorize || !this.verification || state === 'failed' || state === 'unloaded' || state === 'loading') return { ...this.decision };
    await this.authorizeWith(this.metadata);
    if (!sameSet(this.bootedGrants, this.decision.granted)) {
      const why = `capabilities changed (granted: ${this.decision.granted.join(', ') || 'none'})`;
      if (this.queue.running) this.restartBeforeNextCall = why;
      else if (this.sandbox) {
        try {
          await this.restartSandbox(why);
        } catch (err) {
          this.fail(errorMessage(err));
          return { ...this.decision };
        }
      }
    }
    const now = this.machine.state;
    if (now === 'ready' || now === 'waiting-approval' || now === 'restarting') this.settle('grants-changed');
    return { ...this.decision };
  }

  /** Shutdown (the plugin's `shutdown` export, under the call deadline) → the process ends → closed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.machine.transition('unloaded');
    this.refuseQueued();
    const sandbox = this.sandbox;
    this.sandbox = null;
    if (sandbox?.alive) {
      try {
        const reply = await sandbox.request({ type: 'shutdown' }, this.limits.callTimeoutMs);
        this.lifecycle('shutdown', reply.type === 'shut-down' ? reply.log.join('\n') : undefined);
      } catch (err) {
        this.lifecycle('shutdown', `shutdown failed: ${errorMessage(err)}`);
      }
      sandbox.kill();
      await sandbox.exit(1000);
    }
    this.closing.fire();
    this.lifecycle('unload');
    for (const emitter of [this.lifecycleEvents, this.approvals, this.hostEvents, this.finishedCalls, this.closing]) emitter.dispose();
    this.machine.dispose();
  }

  private get closed(): boolean {
    return this.machine.state === 'unloaded';
  }

  /** Load → verify → init (in a sandbox) → ready. Failures leave the state 'failed' with the reason. */
  private async load(): Promise<void> {
    this.lifecycle('load', this.wasmPath);
    try {
      const { bytes, sha256 } = await readPluginFile(this.wasmPath);
      this.sha256 = sha256;
      this.verification = await this.deps.verify({ id: this.id, wasmPath: this.wasmPath, bytes, sha256 });
      this.lifecycle('verify', `${this.verification.tier}: ${this.verification.detail}`);
      if (!this.verification.ok) throw new PluginLoadError(`signature check failed: ${this.verification.detail}`);
      const sidecar = await readSidecar(this.wasmPath);
      // Grants before the sandbox starts: from the sidecar's metadata when there is one (errors surface below).
      const early = sidecarMetadata(sidecar, this.id);
      this.sidecarAllowedHosts = early ? early.allowedHosts : null;
      await this.authorizeWith(early);
      const { report } = await this.boot();
      this.metadata = resolveMetadata({ init: report.initMetadata, sidecarToml: sidecar, section: report.sectionMetadata }, this.id);
      // init() / the custom section win over the sidecar; then the sandbox uses the plugin's own allowed_hosts.
      if (this.metadata.source !== 'plugin.toml') this.sidecarAllowedHosts = null;
      await this.authorizeWith(this.metadata);
      if (!sameSet(this.bootedGrants, this.decision.granted) || this.bootedAllowedHosts !== this.sidecarAllowedHosts) {
        await this.restartSandbox('capabilities known after init');
      }
      if (this.closed) return;
      this.settle('load');
      this.lifecycle('ready', `${this.metadata.name} ${this.metadata.version}`);
    } catch (err) {
      this.fail(errorMessage(err));
    }
  }

  private async authorizeWith(metadata: PluginMetadata | null): Promise<void> {
    if (!this.deps.authorize || !this.verification) return;
    this.decision = await this.deps.authorize({ id: this.id, sha256: this.sha256, verification: this.verification, metadata });
  }

  /** Ready, or waiting for approval (and asking for it) when capabilities are pending. */
  private settle(reason: ApprovalRequest['reason']): void {
    if (this.decision.pending.length === 0) {
      this.machine.transition('ready');
      return;
    }
    this.machine.transition('waiting-approval', waitingForApproval(this.decision.pending));
    this.requestApproval(reason);
  }

  private requestApproval(reason: ApprovalRequest['reason']): void {
    this.approvals.fire(approvalRequest(this.id, this.metadata, this.verification, this.decision, reason));
  }

  /** The gate's answer for a call now, as a result; a call held for approval asks for it again and is counted. */
  private refusal(queuedCalls: number): CallResult | null {
    // The per-call case, answered without building the gate's input (gate() says the same: ready, room in the queue).
    if (this.machine.state === 'ready' && queuedCalls < this.limits.maxQueuedCalls) return null;
    const { state, reason } = this.machine;
    const refused = gate({ state, reason, pending: this.decision.pending, queuedCalls, maxQueuedCalls: this.limits.maxQueuedCalls });
    if (!refused) return null;
    const result = failedCall(refused.kind, refused.error);
    if (refused.kind !== 'approval') return result;
    this.requestApproval('call');
    return this.count(result);
  }

  /** Answers every queued call with the gate's refusal (after the plugin was disabled or closed). */
  private refuseQueued(): void {
    const refused = this.refusal(0);
    if (refused) this.queue.refuseWaiting(refused);
  }

  /** Replaces the sandbox with a new one started with the current grants. */
  private async restartSandbox(why: string): Promise<SandboxProcess> {
    const old = this.sandbox;
    this.sandbox = null;
    old?.kill();
    this.lifecycle('restart', why);
    return (await this.boot()).sandbox;
  }

  private fail(message: string): void {
    if (this.closed) return; // closing stopped the sandbox; what failed on the way no longer matters
    this.sandbox?.kill();
    this.sandbox = null;
    this.machine.transition('failed', message);
    this.lifecycle('failed', message);
  }

  /** Takes a started sandbox (a spare if one is ready) and loads the plugin into it with the current grants. */
  private async boot(): Promise<{ sandbox: SandboxProcess; report: LoadReport }> {
    if (this.closed) throw new PluginLoadError('plugin was unloaded');
    const isolation = decideIsolation({ tier: this.verification?.tier ?? null, grants: this.decision.granted, override: this.limits.isolation });
    const sandbox = this.deps.sandboxes.take(`conductor-plugin-${this.id}`, isolation.mode);
    this.sandbox = sandbox;
    this.isolation = isolation;
    this.bootedGrants = [...this.decision.granted];
    this.bootedAllowedHosts = this.sidecarAllowedHosts;
    this.restartBeforeNextCall = null;
    sandbox.onEvent((event) => this.hostEvents.fire(event));
    sandbox.onExit((info, expected) => this.sandboxExited(sandbox, info, expected));
    try {
      if (this.bootedGrants.includes('filesystem')) mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
      await sandbox.ready;
      this.lifecycle('init');
      const { id, wasmPath, sha256, limits, dataDir } = this;
      const moduleCacheDir = this.deps.sandboxes.moduleCacheDir ?? null;
      const report = await loadInto(sandbox, { id, wasmPath, sha256, limits, grants: this.bootedGrants, dataDir, allowedHosts: this.bootedAllowedHosts, moduleCacheDir });
      this.loadReport = report;
      return { sandbox, report };
    } finally {
      setImmediate(() => this.deps.sandboxes.refill());
    }
  }

  private sandboxExited(sandbox: SandboxProcess, info: ExitInfo, expected: boolean): void {
    if (this.sandbox !== sandbox) return;
    this.sandbox = null;
    if (!expected && !this.queue.running && this.machine.state === 'ready') {
      // Died while idle: count it, restart on the next call.
      this.stats.crashed();
      this.lifecycle('crash', new SandboxCrashedError(info).message);
      this.recordFailure('sandbox process died while idle');
    }
  }

  /**
   * One call; when the plugin says its OAuth token was refused (oauth_token flags 1), the token is refreshed and the
   * call runs once more — a second refusal, or no token to refresh, ends with "reconnect <provider>".
   */
  private runOne(input: string): Promise<CallResult> {
    // Without an OAuth provider there is nothing to retry: the call's own promise (no async frame per call).
    return this.loadFinished && !this.metadata?.oauth ? this.runOnce(input) : this.runWithRetry(input);
  }

  private async runWithRetry(input: string): Promise<CallResult> {
    const first = await this.runOnce(input);
    const oauth = this.metadata?.oauth;
    if (!first.tokenRefused || !oauth || !this.deps.oauthToken) return first;
    const fresh = await this.deps.oauthToken(this.id, true);
    const result = fresh ? await this.runOnce(input) : first;
    if (!result.tokenRefused || result.ok) return result;
    return { ...result, error: `${result.error ?? 'the token was refused'}; reconnect ${oauth.provider} in the plugin's settings` };
  }

  private async runOnce(input: string): Promise<CallResult> {
    // Always one turn (even when loaded): a call made just before close() is then refused, never sent (see the tests).
    await this.loaded;
    const refused = this.refusal(0);
    if (refused) return refused;
    try {
      let sandbox = this.sandbox;
      if (sandbox && this.restartBeforeNextCall !== null) sandbox = await this.restartSandbox(this.restartBeforeNextCall);
      if (!sandbox) {
        if (this.machine.state === 'ready') this.machine.transition('restarting');
        this.lifecycle('restart');
        sandbox = (await this.boot()).sandbox;
        if (this.machine.state === 'restarting') this.machine.transition('ready');
      }
      const metadata = this.metadata;
      // Nothing is computed (or awaited) per call for a plugin that declares no settings and no OAuth provider.
      const settings = !metadata || (metadata.settings.length === 0 && !metadata.oauth) ? null : await this.settingsForCall(sandbox);
      if (typeof settings === 'string') return this.count(failedCall('settings', settings));
      const message: { type: 'execute'; input: string; settings?: SandboxSettings } = { type: 'execute', input };
      if (settings) message.settings = settings;
      const request = sandbox.request(message, this.limits.callTimeoutMs, true);
      // Announced once the call is on its way (the sandbox works meanwhile); still before its result.
      this.lifecycle('execute');
      // Calls waiting behind this one may now be sent behind it (sendAhead).
      this.queue.posted();
      const reply = await request;
      if (reply.type !== 'result') throw new Error(`unexpected reply ${reply.type}`);
      return this.count(reply.result);
    } catch (err) {
      return this.count(this.failureOf(err));
    }
  }

  /**
   * A call sent behind the ones in flight (the queue's SendAhead), or null when it must wait its turn: only to the
   * current sandbox of a ready plugin that takes no settings or OAuth token (nothing to compute or retry per call)
   * and needs no restart. The sandbox runs it after the earlier ones; its deadline starts when it begins there.
   */
  private sendAhead(input: string): Promise<CallResult | typeof NOT_STARTED> | null {
    const { sandbox, metadata } = this;
    if (!sandbox?.alive || !this.loadFinished || this.machine.state !== 'ready' || this.restartBeforeNextCall !== null) return null;
    if (metadata && (metadata.settings.length > 0 || metadata.oauth)) return null;
    return this.runAhead(sandbox, input);
  }

  private async runAhead(sandbox: SandboxProcess, input: string): Promise<CallResult | typeof NOT_STARTED> {
    // Sent now, synchronously (before the first await), behind the calls already sent.
    const request = sandbox.request({ type: 'execute', input }, this.limits.callTimeoutMs, true);
    this.lifecycle('execute');
    try {
      const reply = await request;
      if (reply.type !== 'result') throw new Error(`unexpected reply ${reply.type}`);
      return this.count(reply.result);
    } catch (err) {
      // The sandbox ended before this call began (an earlier call crashed or timed out): it runs again, in order.
      if (err instanceof SandboxCallNotStartedError) return NOT_STARTED;
      return this.count(this.failureOf(err));
    }
  }

  /**
   * The settings to send with this call: null when this sandbox already has them (or the plugin declares none and has
   * no OAuth provider — nothing is computed per press then), or why the call cannot run (a missing required setting).
   */
  private async settingsForCall(sandbox: SandboxProcess): Promise<SandboxSettings | string | null> {
    const metadata = this.metadata;
    if (!metadata || (metadata.settings.length === 0 && !metadata.oauth)) return null;
    const resolved = resolveSettings(metadata.settings, this.userSettings);
    const problem = resolved.problems[0];
    if (problem !== undefined) return problem;
    const oauthToken = metadata.oauth && this.deps.oauthToken ? await this.deps.oauthToken(this.id, false) : null;
    const settings: SandboxSettings = { ...resolved.sandbox, oauthToken };
    const json = JSON.stringify(settings);
    if (this.settingsSent?.sandbox === sandbox && this.settingsSent.json === json) return null;
    this.settingsSent = { sandbox, json };
    return settings;
  }

  private failureOf(err: unknown): CallResult {
    const refused = this.closed ? this.refusal(0) : null;
    if (refused) return refused;
    if (err instanceof SandboxTimeoutError) {
      this.sandbox = null;
      this.lifecycle('timeout', err.message);
      this.recordFailure(err.message);
      return failedCall('timeout', err.message);
    }
    if (err instanceof SandboxCrashedError) {
      this.sandbox = null;
      this.stats.crashed();
      this.lifecycle('crash', err.message);
      this.recordFailure(err.message);
      return failedCall('crash', `${err.message}; it will be restarted on the next call`);
    }
    const message = errorMessage(err);
    this.fail(message);
    return failedCall('load', `plugin failed to restart: ${message}`);
  }

  /** Counts a finished call in the stats and announces it. */
  private count(result: CallResult): CallResult {
    this.stats.record(result, this.deps.clock.now());
    this.finishedCalls.fire(result);
    return result;
  }

  /** Counts a crash or timeout; when the breaker trips, the plugin is disabled with a visible reason. */
  private recordFailure(reason: string): void {
    const why = this.deps.breaker.record(reason);
    if (why === null || this.closed) return;
    this.machine.transition('disabled', why);
    this.lifecycle('disabled', why);
    this.refuseQueued();
  }

  private lifecycle(phase: LifecyclePhase, detail?: string): void {
    const event: LifecycleEvent = { pluginId: this.id, phase, at: this.deps.clock.now() };
    if (detail !== undefined) event.detail = detail;
    this.lifecycleEvents.fire(event);
  }
}
