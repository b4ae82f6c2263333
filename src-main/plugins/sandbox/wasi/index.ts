// Our own wasi_snapshot_preview1 for plugin sandboxes: every preview1 function, filesystem confined to the data dir.
// Never uses node:wasi (not a sandbox) and never touches a host path outside the plugin's data directory.

import { PREVIEW1_FUNCTIONS, type Preview1Function } from '../../common/import-catalogue';
import { clockImports, sleepNs, systemClock } from './clock-ops';
import type { WasiClock, WasiContext, WasiFunction } from './context';
import { DIR_INHERITING, DIR_RIGHTS, STDIN_RIGHTS, STDOUT_RIGHTS } from './constants';
import { errnoOf } from './errno';
import { fdImports } from './fd-ops';
import { FdTable } from './fd-table';
import type { BackendKind } from './dir-handle';
import { FsSandbox } from './fs-sandbox';
import { GuestMemory, type MemoryLike } from './memory';
import { pathImports } from './path-ops';
import { ProcExit, cryptoRandom, processImports } from './process-ops';
import { readdirImports } from './readdir';

export { ProcExit } from './process-ops';
export { Errno, type ErrnoValue } from './errno';
export type { WasiClock } from './context';
export type { MemoryLike } from './memory';
export { FILE_MODE } from './path-open';
export { DIR_MODE } from './path-ops';

export interface WasiOptions {
  /** argv (args_get); default ['plugin']. */
  args?: string[];
  /** environ; default {}. */
  env?: Record<string, string>;
  /**
   * Absolute host path of the plugin's own data directory, preopened as fd 3 with the guest name "/" (created with
   * mode 0o700 when missing). null = the filesystem capability is not granted: no preopen at all.
   */
  dataDir: string | null;
  /** Test override: the filesystem jail's backend (default: fd-relative where the platform allows, see dir-handle.ts). */
  fsBackend?: BackendKind;
  /** fd 1 writes (each call gets its own copy of the bytes). */
  stdout(chunk: Uint8Array): void;
  /** fd 2 writes. */
  stderr(chunk: Uint8Array): void;
  /** Test override: realtime/monotonic clocks in nanoseconds. */
  clock?: WasiClock;
  /** Test override: fills a buffer for random_get (default: node:crypto). */
  random?(buf: Uint8Array): void;
  /** Test override: how poll_oneoff sleeps (default: Atomics.wait, at least `ns`). */
  sleep?(ns: bigint): void;
}


/** An import function: i32 params arrive as numbers, i64 params as BigInt; returns an errno. */
export type WasiImport = WasiFunction;

/** The guest fd of the data-directory preopen. */
export const PREOPEN_FD = 3;

const encoder = new TextEncoder();

function cString(text: string, what: string): Uint8Array {
  if (text.includes('\0')) throw new TypeError(`WASI ${what} must not contain NUL: ${JSON.stringify(text)}`);
  return encoder.encode(`${text}\0`);
}

function encodeEnv(env: Record<string, string>): Uint8Array[] {
  return Object.entries(env).map(([key, value]) => {
    if (key === '' || key.includes('=')) throw new TypeError(`WASI environment name is invalid: ${JSON.stringify(key)}`);
    return cString(`${key}=${value}`, 'environment entry');
  });
}

/** Wraps an implementation: a WasiError or host fs error becomes its errno; ProcExit and host bugs propagate. */
function guard(fn: WasiFunction): WasiFunction {
  return (...args: never[]): number => {
    try {
      return fn(...args);
    } catch (err) {
      if (err instanceof ProcExit) throw err;
      const errno = errnoOf(err);
      if (errno === null) throw err;
      return errno;
    }
  };
}

export class WasiPreview1 {
  /**
   * The import object for module "wasi_snapshot_preview1". Typed structurally (plain functions) because this
   * project's TypeScript config has no global WebAssembly types; it is assignable to Record<string, ImportValue>.
   */
  readonly imports: Readonly<Record<Preview1Function, WasiImport>> & Record<string, WasiImport>;
  private readonly memory = new GuestMemory();
  private readonly fds = new FdTable();
  private readonly sandbox: FsSandbox | null;

  constructor(opts: WasiOptions) {
    this.sandbox = opts.dataDir === null ? null : new FsSandbox(opts.dataDir, opts.fsBackend);
    const ctx: WasiContext = {
      mem: this.memory,
      fds: this.fds,
      sandbox: this.sandbox,
      stdout: (chunk) => opts.stdout(chunk),
      stderr: (chunk) => opts.stderr(chunk),
      clock: opts.clock ?? systemClock,
      random: opts.random ?? cryptoRandom,
      sleep: opts.sleep ?? sleepNs,
      args: (opts.args ?? ['plugin']).map((a) => cString(a, 'argument')),
      env: encodeEnv(opts.env ?? {}),
    };
    const impl = {
      ...processImports(ctx),
      ...clockImports(ctx),
      ...fdImports(ctx),
      ...readdirImports(ctx),
      ...pathImports(ctx),
    } satisfies Record<Preview1Function, WasiFunction>;
    const wrapped = {} as Record<Preview1Function, WasiImport>;
    for (const name of PREVIEW1_FUNCTIONS) wrapped[name] = guard(impl[name]);
    this.imports = Object.freeze(wrapped);
    this.openStandardFds();
  }

  /** Binds the guest's exported memory after instantiation (its buffer is re-read on every call). */
  bindMemory(memory: MemoryLike): void {
    this.memory.bind(memory);
  }

  /** Closes every host fd the guest opened and restores the start-up table (stdio + preopen). */
  closeAll(): void {
    this.fds.clear();
    this.openStandardFds();
  }

  /** Closes everything, the data directory's own handle included; the instance must not be used afterwards. */
  dispose(): void {
    this.fds.clear();
    this.sandbox?.dispose();
  }

  /** Which filesystem jail backend this instance uses; null without the filesystem grant. */
  get fsBackend(): BackendKind | null {
    return this.sandbox?.backend ?? null;
  }

  private openStandardFds(): void {
    this.fds.set(0, { kind: 'stdin', rightsBase: STDIN_RIGHTS, rightsInheriting: 0n, fdflags: 0 });
    this.fds.set(1, { kind: 'stdout', rightsBase: STDOUT_RIGHTS, rightsInheriting: 0n, fdflags: 0 });
    this.fds.set(2, { kind: 'stderr', rightsBase: STDOUT_RIGHTS, rightsInheriting: 0n, fdflags: 0 });
    if (this.sandbox === null) return;
    this.fds.set(PREOPEN_FD, {
      kind: 'dir',
      handle: this.sandbox.root(),
      preopenName: '/',
      listing: null,
      rightsBase: DIR_RIGHTS,
      rightsInheriting: DIR_INHERITING,
      fdflags: 0,
    });
  }
}
