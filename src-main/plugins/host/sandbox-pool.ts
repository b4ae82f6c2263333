// Where plugins' sandboxes come from: sandbox processes of their own, kept started and idle so that loading a plugin
// never waits for a process to boot (take one, refill later), and the shared sandbox process whose worker threads
// host the plugins that the isolation policy lets share one (host/isolation.ts). Never loads or runs a plugin itself,
// and never hands out a process of its own twice.
import { dirname, join } from 'node:path';
import type { IsolationMode } from '../../../src-shared/plugin';
import type { Timer } from '../../common/clock';
import type { FromSharedSandbox, ToSharedSandbox } from '../common/protocol';
import { defaultSandboxEntry, forkSpawner, SandboxProcess, type SandboxSpawner } from './sandbox-process';
import { SharedSandbox } from './shared-sandbox';

export interface SandboxPoolOptions {
  /** How a process is started (default: child_process.fork; the Electron app passes its utilityProcess spawner). */
  spawner?: SandboxSpawner;
  /** Path of the built sandbox entry script (default: dist/sandbox.js). */
  sandboxEntry?: string;
  /** Processes kept started and idle (default 1; 0 starts a process on each `take`). */
  spareSandboxes?: number;
  /**
   * Start the spares only after the first plugin took a process of its own (default false: at once). The plugin
   * manager sets it: when every plugin shares the shared sandbox process, an idle spare would only cost memory.
   */
  lazySpares?: boolean;
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
/** The service name of the shared sandbox process. */
const SHARED_SERVICE_NAME = 'conductor-shared-sandbox';

export class SandboxPool {
  private spares: SandboxProcess[] = [];
  private shared: SharedSandbox | null = null;
  private disposed = false;
  /** Whether spares are kept (false until the first process-mode take when `lazySpares`). */
  private sparesWanted: boolean;
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
    this.sparesWanted = options.lazySpares !== true;
    this.refill();
  }

  /** The spares now started and idle, oldest first (a copy). */
  get idle(): readonly SandboxProcess[] {
    return [...this.spares];
  }

  /** The shared sandbox process now running, if any (started by the first `take(…, 'shared')`). */
  get sharedProcess(): SharedSandbox | null {
    return this.shared?.alive ? this.shared : null;
  }

  /**
   * `process`: a started process, now the caller's alone: the oldest live spare, else a new one. The caller calls
   * `refill` once its load is done: a new process booting meanwhile would compete with the load for CPU.
   * `shared`: a new worker thread in the shared sandbox process (started now if none is running, or the last one died).
   */
  take(serviceName: string, isolation: IsolationMode = 'process'): SandboxProcess {
    if (this.disposed) throw new Error('the sandbox pool is disposed');
    if (isolation === 'shared') return this.sharedSandbox().open();
    this.sparesWanted = true;
    for (let spare = this.spares.shift(); spare; spare = this.spares.shift()) {
      if (spare.alive) return spare;
    }
    return this.start(serviceName);
  }

  /** Starts spares until `spareSandboxes` are idle (nothing once disposed, or before any is wanted: `lazySpares`). */
  refill(): void {
    this.spares = this.spares.filter((s) => s.alive);
    while (!this.disposed && this.sparesWanted && this.spares.length < this.spareCount) {
      const spare = this.start(SPARE_SERVICE_NAME);
      // A spare that dies while idle is dropped; a taken one is its owner's business.
      spare.onExit(() => {
        this.spares = this.spares.filter((s) => s !== spare);
      });
      this.spares.push(spare);
    }
  }

  /**
   * Stops the idle spares and the shared sandbox process, and refuses further `take`s. Processes of their own already
   * taken are left to their owners; plugins still in the shared process end with it (their owners close them first).
   */
  async dispose(): Promise<void> {
    this.disposed = true;
    const spares = this.spares.splice(0);
    const shared = this.shared;
    this.shared = null;
    shared?.kill();
    await Promise.all([...spares.map((s) => (s.kill(), s.exit(1000))), shared?.exit()]);
  }

  private sharedSandbox(): SharedSandbox {
    if (!this.shared?.alive) {
      const channel = this.spawner<ToSharedSandbox, FromSharedSandbox>(sharedSandboxEntry(this.sandboxEntry), SHARED_SERVICE_NAME);
      this.shared = new SharedSandbox(channel, this.timer);
    }
    return this.shared;
  }

  private start(serviceName: string): SandboxProcess {
    return new SandboxProcess(this.spawner(this.sandboxEntry, serviceName), this.timer);
  }
}

/** The shared sandbox process's entry: dist/sandbox-shared.js beside the plugin sandbox entry. */
export function sharedSandboxEntry(sandboxEntry: string): string {
  return join(dirname(sandboxEntry), 'sandbox-shared.js');
}
