// Shared state of one WASI instance, handed to each group of preview1 functions.
// Never holds anything the guest can reach except through the checked memory, the fd table and the sandbox.

import type { FdTable } from './fd-table';
import type { FsSandbox } from './fs-sandbox';
import type { GuestMemory } from './memory';

/** Clocks in nanoseconds (overridable in tests). */
export interface WasiClock {
  realtime(): bigint;
  monotonic(): bigint;
}

export interface WasiContext {
  readonly mem: GuestMemory;
  readonly fds: FdTable;
  /** null when the filesystem capability is not granted. */
  readonly sandbox: FsSandbox | null;
  readonly stdout: (chunk: Uint8Array) => void;
  readonly stderr: (chunk: Uint8Array) => void;
  readonly clock: WasiClock;
  readonly random: (buf: Uint8Array) => void;
  readonly sleep: (ns: bigint) => void;
  /** argv and environ, each string UTF-8 encoded and NUL-terminated. */
  readonly args: readonly Uint8Array[];
  readonly env: readonly Uint8Array[];
}

/** A preview1 function as implemented: i32 params as numbers, i64 as bigint; returns an errno (or never returns). */
export type WasiFunction = (...args: never[]) => number;
