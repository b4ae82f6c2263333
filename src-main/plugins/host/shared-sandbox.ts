// Main-side handle on one shared sandbox process: several plugins, each in a worker thread (a "slot") of that
// process. Opens a slot as a SandboxProcess of its own — same requests, deadlines, events and exit as a process of
// its own — so the plugin handle needs no second code path. Never runs plugin code and never blocks.
//
// A deadline or a close ends only that slot's worker. A worker that does not end within `stopGraceMs` (it should,
// V8 stops even a wasm loop) is taken as a stuck process: the whole process is killed, and every plugin in it fails
// its in-flight call with a clear error and starts again on its next call.
import { systemTimer, type Timer, type TimerId } from '../../common/clock';
import type { FromSandbox, FromSharedSandbox, ToSandbox, ToSharedSandbox } from '../common/protocol';
import { SandboxProcess, type ExitInfo, type ProcessChannel, type SandboxChannel } from './sandbox-process';

/** How long a slot's worker may take to end after it was told to, before the whole process is killed. */
export const DEFAULT_STOP_GRACE_MS = 2_000;

export class SharedSandbox {
  readonly ready: Promise<void>;
  private readonly slots = new Map<number, SlotChannel>();
  private nextSlot = 1;
  private exited: ExitInfo | null = null;
  private dying = false;
  /** Messages held until the process has said `ready` (a transport may drop what is posted before its child runs). */
  private held: ToSharedSandbox[] | null = [];
  private readonly exitHandlers: ((info: ExitInfo) => void)[] = [];

  constructor(
    private readonly channel: ProcessChannel<ToSharedSandbox, FromSharedSandbox>,
    private readonly timer: Timer = systemTimer,
    private readonly stopGraceMs = DEFAULT_STOP_GRACE_MS,
  ) {
    this.ready = new Promise((resolve, reject) => {
      channel.onMessage((message) => {
        if (!('slot' in message)) {
          if (message.type === 'ready') {
            const held = this.held ?? [];
            this.held = null;
            for (const m of held) channel.postMessage(m);
            resolve();
          }
          return;
        }
        const slot = this.slots.get(message.slot);
        if (!slot) return;
        if (message.type === 'closed') {
          this.slots.delete(message.slot);
          slot.ended({ code: message.code, signal: null, scope: 'worker' });
        } else {
          slot.deliver(message);
        }
      });
      channel.onExit((info) => {
        this.exited = info;
        reject(new Error(`shared sandbox process ended before it started (${info.signal ?? `exit code ${info.code}`})`));
        const slots = [...this.slots.values()];
        this.slots.clear();
        for (const slot of slots) slot.ended({ ...info, scope: 'shared-process' });
        for (const handler of this.exitHandlers.splice(0)) handler(info);
      });
    });
    this.ready.catch(() => {});
  }

  get pid(): number | undefined {
    return this.channel.pid;
  }

  /** False once the process has exited or is being killed: open no more slots in it. */
  get alive(): boolean {
    return this.exited === null && !this.dying;
  }

  /** Plugins (slots) open in it now. */
  get size(): number {
    return this.slots.size;
  }

  /** A new slot (its worker starts now, or a started spare is used) as a sandbox of its own. */
  open(): SandboxProcess {
    if (!this.alive) throw new Error('the shared sandbox process has ended');
    const slot = this.nextSlot++;
    const channel = new SlotChannel(this, slot);
    this.slots.set(slot, channel);
    this.send({ type: 'open', slot });
    return new SandboxProcess(channel, this.timer);
  }

  kill(): void {
    if (this.exited) return;
    this.dying = true;
    this.channel.kill();
  }

  /** Resolves once the process has exited. */
  exit(): Promise<ExitInfo> {
    if (this.exited) return Promise.resolve(this.exited);
    return new Promise((resolve) => this.exitHandlers.push(resolve));
  }

  private send(message: ToSharedSandbox): void {
    if (this.exited) return;
    if (this.held) this.held.push(message);
    else this.channel.postMessage(message);
  }

  /** @internal A slot's message to its worker. */
  post(slot: number, message: ToSandbox): void {
    // The request's own object (SandboxProcess builds one per request): tagged in place, not copied.
    const tagged = message as ToSandbox & { slot: number };
    tagged.slot = slot;
    this.send(tagged);
  }

  /** @internal Ends a slot's worker; kills the whole process if the worker has not ended in time. */
  close(slot: number): void {
    if (this.exited || !this.slots.has(slot)) return;
    this.send({ type: 'close', slot });
    const timer: TimerId = this.timer.setTimeout(() => {
      if (this.slots.has(slot)) this.kill();
    }, this.stopGraceMs);
    this.slots.get(slot)?.onEnded(() => this.timer.clearTimeout(timer));
  }
}

/** One plugin's slot, seen by its SandboxProcess as a channel to a process of its own. */
class SlotChannel implements SandboxChannel {
  readonly shared = true;
  private handler: ((message: FromSandbox) => void) | null = null;
  private readonly exitHandlers: ((info: ExitInfo) => void)[] = [];
  private done = false;

  constructor(
    private readonly owner: SharedSandbox,
    private readonly slot: number,
  ) {}

  get pid(): number | undefined {
    return this.owner.pid;
  }

  postMessage(message: ToSandbox): void {
    if (!this.done) this.owner.post(this.slot, message);
  }

  onMessage(handler: (message: FromSandbox) => void): void {
    this.handler = handler;
  }

  onExit(handler: (info: ExitInfo) => void): void {
    if (this.done) return;
    this.exitHandlers.push(handler);
  }

  kill(): void {
    if (!this.done) this.owner.close(this.slot);
  }

  /** @internal */
  deliver(message: FromSandbox): void {
    this.handler?.(message);
  }

  /** @internal */
  onEnded(handler: () => void): void {
    if (this.done) handler();
    else this.exitHandlers.push(() => handler());
  }

  /** @internal Its worker (or the whole process) has ended. */
  ended(info: ExitInfo): void {
    if (this.done) return;
    this.done = true;
    for (const handler of this.exitHandlers.splice(0)) handler(info);
  }
}
