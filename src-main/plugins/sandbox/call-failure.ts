// How an entry into a plugin (start + init, execute, shutdown) failed, classified for the caller: a thrown value
// becomes one CallErrorKind with a message, and a refused capability wins over whatever the guest did next. Never runs guest code.
import type { CallErrorKind, PluginLimits } from '../../../src-shared/plugin';
import { mib } from '../../../src-shared/units';
import { CapabilityError } from '../common/import-catalogue';
import { PAGE_BYTES } from '../common/protocol';
import { trapSite, wasmFrames } from './trap-site';
import { ProcExit } from './wasi';

/** A failure classified for the caller; thrown inside the runtime, turned into a CallResult at its edge. */
export class CallFailure extends Error {
  constructor(
    readonly kind: CallErrorKind,
    message: string,
    readonly code: number | null = null,
  ) {
    super(message);
  }
}

/** The parts of a plugin instance a failure is read from: its fuel counter and its memory. */
export interface GuestState {
  fuel: WebAssembly.Global;
  memory: WebAssembly.Memory;
}

/** What an entry into the guest threw, as a CallFailure: exit, capability, fuel, stack, memory, trap or host error. */
export function classifyFailure(err: unknown, guest: GuestState, limits: Pick<PluginLimits, 'fuelPerCall' | 'memoryBytes'>): CallFailure {
  if (err instanceof CallFailure) return err;
  if (err instanceof ProcExit) {
    return new CallFailure('exit', `plugin exited with code ${err.code} (proc_exit)`, err.code);
  }
  if (err instanceof CapabilityError) return new CallFailure('capability', err.message);
  if ((guest.fuel.value as bigint) < 0n) {
    return new CallFailure('out-of-fuel', `out of fuel (limit ${limits.fuelPerCall})`);
  }
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    return new CallFailure('stack-overflow', 'stack overflow (unbounded recursion?)');
  }
  const message = err instanceof Error ? err.message : String(err);
  const capBytes = Math.floor(limits.memoryBytes / PAGE_BYTES) * PAGE_BYTES;
  if (err instanceof WebAssembly.RuntimeError && guest.memory.buffer.byteLength >= capBytes) {
    return new CallFailure('memory', `memory limit reached (${mib(capBytes)}): ${message}`);
  }
  if (err instanceof WebAssembly.RuntimeError) return new CallFailure('trap', `trap: ${message}${trapSite(wasmFrames(err))}`);
  return new CallFailure('trap', `host error: ${message}`);
}

/**
 * The entry's outcome as reported: a capability refused during it (`refusal`) wins over however the guest then
 * returned (normally, with an error code, or failing otherwise), so catching the refusal cannot hide it.
 */
export function withRefusal(refusal: CapabilityError | null, guest: CallFailure | null): CallFailure | null {
  if (refusal === null) return guest;
  const after = guest === null || guest.kind === 'plugin-error' || guest.message === refusal.message ? '' : `; then ${guest.message}`;
  return new CallFailure('capability', `${refusal.message}${after}`, guest?.code ?? null);
}
