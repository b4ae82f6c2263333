// Sandbox processes kept started and idle, so that loading a plugin never waits for a process to boot: take one,
// refill later, dispose at the end. Never loads or runs a plugin itself, and never hands out a process twice.
import type { Timer } from '../../common/clock';
import { defaultSandboxEntry, forkSpawner, SandboxProcess, type SandboxSpawner } from './sandbox-process';

export interface SandboxPoolOptions {
  /** How a process is started (default: child_process.fork; the Electron app passes its utilityProcess spawner). */
  spawner?: SandboxSpawner;
  /** Path of the built sandbox entry script (default: dist/sandbox.js). */
  sandboxEntry?: string;
  /** Processes kept started and idle (default 1; 0 starts a process on each `take`). */
  spareSandboxes?: number;
  /** Runs the processes' request deadlines (default: the system's). */
  timer?: Timer;
  /**
   * Where the sandboxes cache instrumented modules (sandbox/module-cache.ts); the app passes
   * `instrumentedCacheDir()`. Default: no cache, every load instruments.
   */
  moduleCacheDir?: string | null;
}

/** The service name of a spare, which belongs to no plugin yet. */
const SPARE_SERVICE_NAME = 'conductor-plugin-sandbox';

export class SandboxPool {
  private spares: SandboxProcess[] = [];
  private disposed = false;
  private readonly spawner: SandboxSpawner;
  private readonly sandboxEntry: string;
  private readonly spareCount: number;
  private readonly timer: Timer | undefined;
  /** Named in every load request of a plugin taking its processes from here; null = no cache. */
  readonly moduleCacheDir: string | null;

  constructor(options: SandboxPoolOptions = {}) {
    const spareCount = options.spareSandboxes ?? 1;
    if (!Number.isSafeInteger(spareCount) || spareCount < 0) throw new RangeError(`spareSandboxes must be a whole number ≥ 0, got ${spareCount}`);
    this.spawner = options.spawner ?? forkSpawner;
    this.sandboxEntry = options.sandboxEntry ?? defaultSandboxEntry();
    this.spareCount = spareCount;
    this.timer = options.timer;
    this.moduleCacheDir = options.moduleCacheDir ?? null;
    this.refill();
  }

  /** The spares now started and idle, oldest first (a copy). */
  get idle(): readonly SandboxProcess[] {
    return [...this.spares];
  }

  /**
   * A started process, now the caller's alone: the oldest live spare, else a new one. The caller calls `refill` once
   * its load is done: a new process booting meanwhile would compete with the load for CPU.
   */
  take(serviceName: string): SandboxProcess {
    if (this.disposed) throw new Error('the sandbox pool is disposed');
    for (let spare = this.spares.shift(); spare; spare = this.spares.shift()) {
      if (spare.alive) return spare;
    }
    return this.start(serviceName);
  }

  /** Starts spares until `spareSandboxes` are idle (nothing once disposed). */
  refill(): void {
    this.spares = this.spares.filter((s) => s.alive);
    while (!this.disposed && this.spares.length < this.spareCount) {
      const spare = this.start(SPARE_SERVICE_NAME);
      // A spare that dies while idle is dropped; a taken one is its owner's business.
      spare.onExit(() => {
        this.spares = this.spares.filter((s) => s !== spare);
      });
      this.spares.push(spare);
    }
  }

  /** Stops the idle spares and refuses further `take`s. Processes already taken are left to their owners. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const spares = this.spares.splice(0);
    await Promise.all(spares.map((s) => (s.kill(), s.exit(1000))));
  }

  private start(serviceName: string): SandboxProcess {
    return new SandboxProcess(this.spawner(this.sandboxEntry, serviceName), this.timer);
  }
}
