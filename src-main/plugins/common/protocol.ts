// The message protocol between the plugin host (main process) and a sandbox process.
// Types and their constants only; both sides import it. Messages travel by structured clone — never functions or handles.
import type { CallResult, Capability, PluginHostEvent, PluginLimits } from '../../../src-shared/plugin';
import type { AbiShape } from './abi-check';
import type { SandboxSettings } from './settings';

export const PAGE_BYTES = 65_536;
/** Largest metadata JSON accepted from `init() -> i64` or the custom section. */
export const MAX_METADATA_BYTES = 1024 * 1024;
export const METADATA_SECTION = 'conductor.plugin';

export interface RuntimeConfig {
  limits: PluginLimits;
  grants: readonly Capability[];
  /** Host path of the plugin's data directory; visible to the plugin only with the filesystem grant. */
  dataDir: string | null;
  /**
   * Hosts `conductor.http_request` may reach (see http-client.ts for the entry syntax); empty = any public host
   * (loopback, private and link-local addresses only when an entry names them: see addressRefusal). When absent,
   * the plugin's own metadata decides: `allowed_hosts` from `init() -> i64`, else from the `conductor.plugin`
   * custom section, else any public host.
   */
  allowedHosts?: readonly string[];
}

export interface LoadReport {
  abi: AbiShape;
  exports: string[];
  imports: string[];
  /** Metadata JSON text from `init() -> i64`, if that form is exported. */
  initMetadata: string | null;
  /** Metadata JSON text from the `conductor.plugin` custom section, if present. */
  sectionMetadata: string | null;
  initLog: string[];
  fuelConsumedByInit: number;
  memoryBytes: number;
  /**
   * Where the load time went inside the sandbox (`read` = reading and hashing the file, filled in by the entry;
   * `validate` = the engine validating the original bytes before they are instrumented).
   */
  timingsMs: { read: number; inspect: number; validate: number; instrument: number; compile: number; instantiate: number; init: number };
  /** Whether the instrumented module came from the cache on disk (sandbox/module-cache.ts); on a hit `instrument` is the read. */
  moduleCache: ModuleCacheReport;
}

/**
 * `off`: no cache directory given; `miss`: instrumented and saved; `hit`: a checked entry was compiled, nothing was
 * instrumented; `rebuilt`: an entry was bad (corrupt, truncated, stale), deleted, and instrumented again.
 */
export type ModuleCacheState = 'off' | 'miss' | 'hit' | 'rebuilt';

export interface ModuleCacheReport {
  state: ModuleCacheState;
  /** Why an entry was rebuilt, and/or why the new one could not be saved; null when neither. */
  note: string | null;
}

export type ToSandbox =
  /** The sandbox reads the file itself (sending ~100 KB over IPC cost 7–15 ms) and refuses it unless its
   *  SHA-256 is the one the host verified. `moduleCacheDir`: where instrumented modules are cached (none: no cache). */
  | { type: 'load'; id: number; name: string; wasmPath: string; sha256: string; config: RuntimeConfig; moduleCacheDir?: string }
  /** `settings` only when they differ from what this sandbox last got (a new sandbox always gets them first). */
  | { type: 'execute'; id: number; input: string; settings?: SandboxSettings }
  | { type: 'shutdown'; id: number };

export type FromSandbox =
  | { type: 'ready'; pid: number }
  | { type: 'loaded'; id: number; report: LoadReport }
  | { type: 'load-failed'; id: number; error: string }
  | { type: 'result'; id: number; result: WireCallResult }
  | { type: 'shut-down'; id: number; log: string[] }
  /** Unsolicited: the plugin asked the host to do something (conductor.midi_send, conductor.notify) during a call;
   *  sent before that call's `result`. */
  | { type: 'host-event'; event: PluginHostEvent };

/**
 * A CallResult as the sandbox sends it: `error` and `errorKind` left out when null, `log` when empty, `tokenRefused`
 * when false (a trivial call's reply is then ≈ 40% smaller). The host restores them with fromWireResult.
 */
export type WireCallResult = Omit<CallResult, 'error' | 'errorKind' | 'log'> & Partial<Pick<CallResult, 'error' | 'errorKind' | 'log'>>;

/** The sandbox side: `result` without its default fields (a new object: deleting fields would slow V8's objects down). */
export function toWireResult(result: CallResult): WireCallResult {
  const { ok, code, fuelConsumed, durationMs, memoryBytes } = result;
  const wire: WireCallResult = { ok, code, fuelConsumed, durationMs, memoryBytes };
  if (result.error !== null) wire.error = result.error;
  if (result.errorKind !== null) wire.errorKind = result.errorKind;
  if (result.log.length > 0) wire.log = result.log;
  if (result.tokenRefused === true) wire.tokenRefused = true;
  return wire;
}

/** The host side: the whole CallResult again, the fields toWireResult left out restored (one object of one shape). */
export function fromWireResult(wire: WireCallResult): CallResult {
  const result: CallResult = {
    ok: wire.ok,
    code: wire.code,
    error: wire.error ?? null,
    errorKind: wire.errorKind ?? null,
    fuelConsumed: wire.fuelConsumed,
    durationMs: wire.durationMs,
    memoryBytes: wire.memoryBytes,
    log: wire.log ?? [],
  };
  if (wire.tokenRefused === true) result.tokenRefused = true;
  return result;
}

/**
 * Messages to a shared sandbox process (host/shared-sandbox.ts ↔ sandbox/shared-sandbox-main.ts). Each plugin there is
 * a slot (a worker thread): `open` starts one, `close` terminates it at once (its deadline passed, or it is done), and
 * the plugin's own messages travel with their slot.
 */
export type ToSharedSandbox = { type: 'open'; slot: number } | { type: 'close'; slot: number } | (ToSandbox & { slot: number });

/** `ready` without a slot: the shared process itself is up. `closed`: that slot's worker has ended (`code` = its exit code). */
export type FromSharedSandbox = { type: 'ready'; pid: number } | { type: 'closed'; slot: number; code: number } | (FromSandbox & { slot: number });
