// Main-side handle on one sandbox process: spawn, typed request/reply with deadlines, crash detection, kill.
// Never runs plugin code and never blocks: every request is a message with a deadline.
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { errorMessage } from '../../../src-shared/errors';
import type { CallResult, PluginHostEvent } from '../../../src-shared/plugin';
import { systemTimer, type Timer } from '../../common/clock';
import { Deadlines, type Deadline } from '../../common/deadlines';
import { Emitter } from '../../../src-shared/emitter';
import { HOST_LIMITS, passedEnvKeys, SYSTEM_ENV_KEYS } from '../common/import-catalogue';
import { fromWireResult, type FromSandbox, type ToSandbox } from '../common/protocol';

export interface ExitInfo {
  code: number | null;
  signal: string | null;
  /**
   * Absent: a sandbox process of its own ended. `worker`: only this plugin's worker thread in a shared sandbox process
   * ended. `shared-process`: the whole shared sandbox process ended, and with it every plugin in it.
   */
  scope?: 'worker' | 'shared-process';
}

/**
 * The transport to one sandbox process (or, `shared`, to one plugin's slot in a shared sandbox process); implemented
 * over child_process.fork here, utilityProcess in Electron and host/shared-sandbox.ts for a slot.
 */
export interface ProcessChannel<Out, In> {
  readonly pid: number | undefined;
  /** True when this is one plugin's slot in a shared sandbox process (kill ends only its worker thread). */
  readonly shared?: boolean;
  postMessage(message: Out): void;
  onMessage(handler: (message: In) => void): void;
  onExit(handler: (info: ExitInfo) => void): void;
  /** Ends the process at once (SIGKILL where the platform has it); for a slot, terminates its worker thread. */
  kill(): void;
}

export type SandboxChannel = ProcessChannel<ToSandbox, FromSandbox>;

/**
 * Starts an entry script (a plugin's sandbox, or the shared sandbox process) as a process. The message types are the
 * caller's to choose: a process's messages are only as typed as the entry on the other side.
 */
export type SandboxSpawner = <Out, In>(entryScript: string, serviceName: string) => ProcessChannel<Out, In>;

/**
 * Spawner for plain Node (CLI, headless runs, tests): child_process.fork with JSON IPC, which measured faster
 * than 'advanced' serialization for the small per-call messages (p50 38 vs 44 µs, p99 137 vs 385 µs here).
 */
export function forkSpawner<Out, In>(entryScript: string, _serviceName?: string): ProcessChannel<Out, In> {
  const child = fork(entryScript, [], {
    serialization: 'json',
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    // The sandbox needs no inherited Node options (e.g. a test runner's loaders).
    execArgv: [],
    env: sandboxEnv(),
  });
  return {
    get pid() {
      return child.pid;
    },
    postMessage: (message) => {
      // A child that died between the check and the write fails the send with EPIPE: given to the callback (and
      // dropped) rather than raised as an unhandled 'error' event; its 'exit' fails whatever was waiting.
      if (child.connected) child.send(message as object, ignoreSendError);
    },
    onMessage: (handler) => child.on('message', (m) => handler(m as In)),
    onExit: (handler) => child.once('exit', (code, signal) => handler({ code, signal })),
    kill: () => {
      child.kill('SIGKILL');
    },
  };
}

function ignoreSendError(): void {}

/**
 * The sandbox process's whole environment: NODE_ENV, what conductor.exec needs to find programs (PATH; on Windows
 * also SystemRoot and PATHEXT) and what conductor.system's tools need to reach the desktop (SYSTEM_ENV_KEYS: D-Bus,
 * sound server, display, HOME). Nothing else of the host's environment (tokens, proxies…) reaches it, and the plugin
 * itself sees none of it (its WASI environment is empty; exec passes only PATH).
 */
export function sandboxEnv(): Record<string, string> {
  const env: Record<string, string> = { NODE_ENV: process.env.NODE_ENV ?? 'production' };
  for (const key of new Set([...passedEnvKeys(process.platform), ...SYSTEM_ENV_KEYS])) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}

/** Where the built sandbox entry lives: beside the bundle that imports this module (dist/), or in dist/ from sources. */
export function defaultSandboxEntry(): string {
  const candidates = ['./sandbox.js', '../../../dist/sandbox.js'].map((rel) => new URL(rel, import.meta.url));
  for (const url of candidates) {
    const path = fileURLToPath(url);
    if (existsSync(path)) return path;
  }
  throw new Error('sandbox entry not built: run `npm run build` (looked for dist/sandbox.js)');
}

export class SandboxCrashedError extends Error {
  override readonly name = 'SandboxCrashedError';
  constructor(readonly exit: ExitInfo) {
    const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
    const what =
      exit.scope === 'worker' ? `sandbox worker ended (${how})` :
      exit.scope === 'shared-process' ? `shared sandbox process crashed (${how}), taking every plugin in it down` :
      `sandbox process crashed (${how})`;
    super(what);
  }
}

export class SandboxTimeoutError extends Error {
  override readonly name = 'SandboxTimeoutError';
  constructor(
    readonly timeoutMs: number,
    shared = false,
  ) {
    super(`timed out after ${timeoutMs} ms; ${shared ? "the plugin's sandbox worker was stopped" : 'the sandbox process was killed'}`);
  }
}

/**
 * A call sent behind others (`request(…, sequenced)`) that the sandbox never began: it ended (crash, timeout of an
 * earlier call) while this one still waited behind an earlier one. Nothing of it ran; the caller may send it again.
 */
export class SandboxCallNotStartedError extends Error {
  override readonly name = 'SandboxCallNotStartedError';
  constructor(readonly exit: ExitInfo) {
    super('the sandbox ended before this call started');
  }
}

/** A reply as the host sees it: a `result` carries the whole CallResult again (fromWireResult). */
type Reply = Exclude<FromSandbox, { type: 'ready' } | { type: 'host-event' } | { type: 'result' }> | { type: 'result'; id: number; result: CallResult };
type WireReply = Exclude<FromSandbox, { type: 'ready' } | { type: 'host-event' }>;

/** One request waiting for its reply; also its entry in the sandbox's deadline list (no timer of its own). */
class Pending implements Deadline {
  dueAt = 0;
  prevDeadline: Deadline | null = null;
  nextDeadline: Deadline | null = null;
  constructor(
    readonly id: number,
    /** null: no deadline. */
    readonly timeoutMs: number | null,
    /** Answered in send order behind the other sequenced requests (see SandboxProcess.request). */
    readonly sequenced: boolean,
    readonly resolve: (reply: Reply) => void,
    readonly reject: (err: Error) => void,
  ) {}
}

/** One live sandbox process. `ready` resolves once the process has booted. */
export class SandboxProcess {
  readonly ready: Promise<void>;
  private readonly pending = new Map<number, Pending>();
  /** Every pending request's deadline, on one armed timer: the first to pass kills this sandbox (and only it). */
  private readonly deadlines: Deadlines<Pending>;
  /**
   * The sequenced requests not yet answered, in send order: the sandbox runs them one after another, so only the first
   * is running; the others wait in the sandbox, their deadlines not started.
   */
  private readonly sequence: Pending[] = [];
  private nextId = 1;
  private exited: ExitInfo | null = null;
  private readonly exitEmitter = new Emitter<{ info: ExitInfo; expected: boolean }>();
  private readonly eventEmitter = new Emitter<PluginHostEvent>({
    // One failing listener must not break the others or the request/reply channel.
    onListenerError: (err) => process.emitWarning(`host-event listener failed: ${err instanceof Error ? (err.stack ?? err.message) : errorMessage(err)}`),
  });
  private killedOnPurpose = false;

  /** `timer` runs the request deadlines and the exit grace period (default: the system's; a ManualClock is also their clock). */
  constructor(
    private readonly channel: SandboxChannel,
    private readonly timer: Timer = systemTimer,
  ) {
    this.deadlines = new Deadlines<Pending>(timer, (p) => this.expire(p));
    this.ready = new Promise((resolve, reject) => {
      channel.onMessage((message) => {
        if (message.type === 'ready') resolve();
        else if (message.type === 'host-event') this.dispatchEvent(message.event);
        else this.settle(message);
      });
      channel.onExit((info) => {
        this.exited = info;
        reject(new SandboxCrashedError(info));
        this.deadlines.clear();
        // Only the first sequenced request was running (or had timed out); those behind it never began.
        const running = this.sequence[0];
        for (const p of this.pending.values()) p.reject(p.sequenced && p !== running ? new SandboxCallNotStartedError(info) : new SandboxCrashedError(info));
        this.pending.clear();
        this.sequence.length = 0;
        this.exitEmitter.fire({ info, expected: this.killedOnPurpose });
        this.exitEmitter.dispose();
      });
    });
    this.ready.catch(() => {});
  }

  get pid(): number | undefined {
    return this.channel.pid;
  }

  get alive(): boolean {
    return this.exited === null;
  }

  /** True when this is a plugin's worker thread in a shared sandbox process (`pid` is that process's). */
  get shared(): boolean {
    return this.channel.shared === true;
  }

  /** Exit notification (once); `expected` is true when we killed it ourselves. Returns an unsubscribe function. */
  onExit(handler: (info: ExitInfo, expected: boolean) => void): () => void {
    return this.exitEmitter.event(({ info, expected }) => handler(info, expected));
  }

  /**
   * Host events (conductor.midi_send, conductor.notify) the plugin raises during its calls, in order; each arrives
   * before the `result` of the call that raised it. Malformed events are dropped. Returns an unsubscribe function.
   */
  onEvent(listener: (event: PluginHostEvent) => void): () => void {
    return this.eventEmitter.event(listener);
  }

  /**
   * Sends a request; rejects with SandboxTimeoutError (after killing the process) or SandboxCrashedError. `message`
   * gets its id written into it (the caller's fresh object is sent as it is, not copied).
   *
   * `sequenced` (execute requests): the sandbox answers these one after another, in send order, so one sent while an
   * earlier one is unanswered waits behind it there. Its deadline starts when the one before it is answered (when it
   * begins, give or take the reply's way back), not when it is sent; if the sandbox ends before it began, it rejects
   * with SandboxCallNotStartedError (nothing of it ran) rather than as a crash.
   */
  request<T extends ToSandbox['type']>(
    message: DistributiveOmit<Extract<ToSandbox, { type: T }>, 'id'>,
    timeoutMs: number | null,
    sequenced = false,
  ): Promise<Reply> {
    if (this.exited) return Promise.reject(new SandboxCrashedError(this.exited));
    const id = this.nextId++;
    return new Promise<Reply>((resolve, reject) => {
      const p = new Pending(id, timeoutMs, sequenced, resolve, reject);
      this.pending.set(id, p);
      // One waiting behind an earlier call gets its deadline when that one is answered (sequenceAnswered).
      const waitsBehind = sequenced && this.sequence.push(p) > 1;
      if (timeoutMs !== null && !waitsBehind) this.deadlines.add(p, timeoutMs);
      const out = message as unknown as ToSandbox;
      out.id = id;
      this.channel.postMessage(out);
    });
  }

  kill(): void {
    if (!this.exited) {
      this.killedOnPurpose = true;
      this.channel.kill();
    }
  }

  /** Resolves when the process has exited (kills it after `graceMs`). */
  async exit(graceMs: number): Promise<ExitInfo> {
    if (this.exited) return this.exited;
    const done = new Promise<ExitInfo>((resolve) => this.onExit((info) => resolve(info)));
    const timer = this.timer.setTimeout(() => this.kill(), graceMs);
    const info = await done;
    this.timer.clearTimeout(timer);
    return info;
  }

  private dispatchEvent(event: unknown): void {
    // The sandbox runs plugin code: check the shape rather than trust it.
    if (isPluginHostEvent(event)) this.eventEmitter.fire(event);
  }

  private settle(reply: WireReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    this.deadlines.remove(p);
    if (p.sequenced) this.sequenceAnswered(p);
    p.resolve(reply.type === 'result' ? { type: 'result', id: reply.id, result: fromWireResult(reply.result) } : reply);
  }

  /** A sequenced request was answered: the next one has begun in the sandbox, and its deadline starts now. */
  private sequenceAnswered(p: Pending): void {
    const sequence = this.sequence;
    if (sequence[0] !== p) {
      // Not the first (the sandbox answers in order, so this does not happen): only forget it.
      const at = sequence.indexOf(p);
      if (at >= 0) sequence.splice(at, 1);
      return;
    }
    sequence.shift();
    const next = sequence[0];
    if (next !== undefined && next.timeoutMs !== null) this.deadlines.add(next, next.timeoutMs);
  }

  /** A request's deadline passed before its reply: it fails, and the sandbox (only this one) is killed. */
  private expire(p: Pending): void {
    // A timed-out sequenced request stays first in `sequence`: the ones behind it fail as not started when the sandbox ends.
    if (!this.pending.delete(p.id)) return;
    p.reject(new SandboxTimeoutError(p.timeoutMs ?? 0, this.channel.shared === true));
    this.kill();
  }
}

/** Whether a message from a sandbox is a well-formed PluginHostEvent within the host functions' limits. */
export function isPluginHostEvent(value: unknown): value is PluginHostEvent {
  if (value === null || typeof value !== 'object') return false;
  const e = value as Record<string, unknown>;
  if (e.kind === 'midi') {
    return (
      Array.isArray(e.bytes) &&
      e.bytes.length > 0 &&
      e.bytes.length <= HOST_LIMITS.midiMessageBytes &&
      e.bytes.every((b) => Number.isInteger(b) && (b as number) >= 0 && (b as number) <= 255) &&
      (e.port === null || typeof e.port === 'string')
    );
  }
  if (e.kind === 'notify') {
    return (
      typeof e.title === 'string' &&
      typeof e.body === 'string' &&
      Buffer.byteLength(e.title) <= HOST_LIMITS.notifyTitleBytes &&
      Buffer.byteLength(e.body) <= HOST_LIMITS.notifyBodyBytes
    );
  }
  return false;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
