// The shared sandbox process's spare: one plugin worker started ahead, so that opening a slot does not wait for a
// thread to boot, kept only while plugins are being loaded (an idle spare costs as much memory as a loaded plugin).
// Never gives one spare out twice and never keeps more than one.

/** setTimeout/clearTimeout, injectable (the sandbox layer has its own: it sees nothing of the host's). */
export interface SpareTimer {
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(id: unknown): void;
}

/**
 * How long a spare may sit unused before it is stopped. Loads come in bursts (the app's start-up, an install, a
 * restart after a crash), and within a burst one load follows another within milliseconds; after it, a later load
 * pays one thread boot (tens of ms) instead of every idle process carrying a spare.
 */
export const SPARE_IDLE_MS = 2_000;

export class SpareKeeper<W> {
  private spare: W | null = null;
  private idleTimer: unknown = null;

  constructor(
    private readonly startWorker: () => W,
    private readonly stopWorker: (worker: W) => void,
    private readonly timer: SpareTimer,
    private readonly idleMs = SPARE_IDLE_MS,
  ) {}

  /** The spare, if one is waiting. */
  get current(): W | null {
    return this.spare;
  }

  /** Makes sure a spare is waiting (at the process's start, and after each load) and restarts its idle period. */
  refill(): void {
    this.spare ??= this.startWorker();
    this.clearIdle();
    this.idleTimer = this.timer.setTimeout(() => this.retire(), this.idleMs);
  }

  /** A worker for a new slot: the spare if one is waiting (then there is none until the next refill), else a new one. */
  take(): W {
    const worker = this.spare ?? this.startWorker();
    this.spare = null;
    this.clearIdle();
    return worker;
  }

  /** A worker has ended: if it was the spare, there is none now. */
  ended(worker: W): void {
    if (this.spare !== worker) return;
    this.spare = null;
    this.clearIdle();
  }

  private retire(): void {
    this.idleTimer = null;
    const spare = this.spare;
    this.spare = null;
    if (spare !== null) this.stopWorker(spare);
  }

  private clearIdle(): void {
    if (this.idleTimer === null) return;
    this.timer.clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}
