// One plugin instance inside a sandbox process: validate, meter, cap, instantiate, init, execute, reset.
// Runs plugin code — so it lives only in the sandbox process (and in-process benchmarks/tests), never in main.
import { performance } from 'node:perf_hooks';
import { errorMessage } from '../../../src-shared/errors';
import { failedCall, type CallResult, type PluginHostEvent } from '../../../src-shared/plugin';
import { checkAbi, type AbiShape } from '../common/abi-check';
import { CapabilityError, CONDUCTOR_MODULE, HOST_FUNCTIONS, WASI_MODULE } from '../common/import-catalogue';
import { inspectModule } from '../common/wasm/inspect';
import { validateModule } from '../common/wasm/validate';
import { FUEL_EXPORT, WasmLoadError } from '../common/wasm/types';
import { STACK_POINTER_EXPORT } from '../common/wasm/stack-pointer';
import { CallFailure, classifyFailure, withRefusal } from './call-failure';
import { ConductorImports, type HostPolicy } from './conductor-imports';
import { LogBuffer } from './log-buffer';
import { compileMetered, type ModuleCacheRef } from './module-cache';
import { allowedHostsOf, sectionMetadata } from './metadata-text';
import { rustPanic } from './trap-site';
import { withSettingHosts, type SandboxSettings } from '../common/settings';
import { MAX_METADATA_BYTES, METADATA_SECTION, PAGE_BYTES, type LoadReport, type RuntimeConfig } from '../common/protocol';
import { mib } from '../../../src-shared/units';
import { WasiPreview1 } from './wasi';

/** Wiring that cannot travel in RuntimeConfig (which is sent by structured clone). */
export interface RuntimeOptions {
  /** Receives what the plugin asks the host to do (conductor.midi_send, conductor.notify), in call order. */
  hostEvents?: (event: PluginHostEvent) => void;
  /** The instrumented-module cache to use (module-cache.ts); without it every load instruments. */
  moduleCache?: ModuleCacheRef;
}

interface PluginExports {
  memory: WebAssembly.Memory;
  execute: (ptr: number, len: number) => number;
  alloc?: (size: number) => number;
  dealloc?: (ptr: number, size: number) => void;
  init?: () => bigint | undefined;
  shutdown?: () => void;
  _initialize?: () => void;
  fuel: WebAssembly.Global;
  /** The shadow-stack pointer, exported by the instrumenter when the name section names `__stack_pointer`. */
  stackPointer?: WebAssembly.Global;
}

/** Largest input a plugin without `alloc` gets on its stack (see executeOnStack). */
export const MAX_STACK_INPUT_BYTES = 16 * 1024;
/** Stack bytes below the input the plugin keeps at the least (below this, the input does not go on the stack). */
const MIN_STACK_ROOM_BYTES = 4096;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Inputs up to this many UTF-16 units are encoded into one reused buffer (no new ArrayBuffer per call). */
const SCRATCH_INPUT_UNITS = 4096;
const inputScratch = new Uint8Array(SCRATCH_INPUT_UNITS * 3);

/**
 * `input` as UTF-8. A small input's bytes are a view of a buffer the next call reuses: callExecute copies them into
 * guest memory before the guest runs, and nothing keeps the view.
 */
function encodeInput(input: string): Uint8Array {
  if (input.length > SCRATCH_INPUT_UNITS) return encoder.encode(input);
  return inputScratch.subarray(0, encoder.encodeInto(input, inputScratch).written);
}

function exportsOf(instance: WebAssembly.Instance): PluginExports {
  const e = instance.exports as Record<string, unknown>;
  return {
    memory: e.memory as WebAssembly.Memory,
    execute: e.execute as PluginExports['execute'],
    alloc: e.alloc as PluginExports['alloc'],
    dealloc: e.dealloc as PluginExports['dealloc'],
    init: e.init as PluginExports['init'],
    shutdown: e.shutdown as PluginExports['shutdown'],
    _initialize: e._initialize as PluginExports['_initialize'],
    fuel: e[FUEL_EXPORT] as WebAssembly.Global,
    stackPointer: e[STACK_POINTER_EXPORT] as WebAssembly.Global | undefined,
  };
}

export class PluginRuntime {
  private exports!: PluginExports;
  private wasi!: WasiPreview1;
  private readonly log: LogBuffer;
  private readonly hostCalls: ConductorImports;
  private broken: string | null = null;
  /** performance.now() at which the current guest entry's wall-clock budget ends. */
  private callDeadline = 0;
  /** Metadata text returned by the first `init() -> i64`, once it has returned. */
  private initMetadata: string | null = null;
  private initDone = false;
  /**
   * The first host function refused for want of a capability during the current entry (start function + init,
   * execute, shutdown). A host-side fact: the guest may catch the exception (exception handling), but the entry's
   * outcome still reports the refusal.
   */
  private refusal: CapabilityError | null = null;
  /** Set by `oauth_token(1)` during the current entry: the result asks the host to refresh the token and retry. */
  private tokenRefused = false;
  /** The plugin's settings, as the host last sent them with a call (none until then). */
  private settings: SandboxSettings = { values: {}, declared: [], hosts: [] };

  private constructor(
    private readonly module: WebAssembly.Module,
    private readonly abi: AbiShape,
    private readonly config: RuntimeConfig,
    private readonly sectionMetadata: string | null,
    options: RuntimeOptions,
  ) {
    this.log = new LogBuffer(config.limits.logBytesPerCall);
    this.hostCalls = new ConductorImports({
      bytes: (ptr, len, what) => this.guestBytes(ptr, len, what),
      log: (level, text) => this.log.message(level, encoder.encode(text)),
      deadline: () => this.callDeadline,
      callTimeoutMs: () => this.config.limits.callTimeoutMs,
      workDir: () => (this.config.grants.includes('filesystem') ? this.config.dataDir : null),
      hostPolicy: () => this.hostPolicy(),
      settings: () => this.settings,
      tokenRefused: () => {
        this.tokenRefused = true;
      },
      emit: options.hostEvents ?? null,
    });
  }

  /**
   * Validates, instruments (or takes the instrumented form from `options.moduleCache`), compiles, instantiates and
   * initialises a plugin. Throws WasmLoadError with the reason.
   */
  static async load(
    bytes: Uint8Array,
    config: RuntimeConfig,
    options: RuntimeOptions = {},
  ): Promise<{ runtime: PluginRuntime; report: LoadReport }> {
    const t0 = performance.now();
    const info = inspectModule(bytes);
    const t1 = performance.now();
    // Nothing the engine rejects may reach the instrumenter, which could rewrite it into a valid module.
    validateModule(bytes);
    const tValid = performance.now();
    const abi = checkAbi(info);
    const section = sectionMetadata(info);
    const metered = await compileMetered(
      bytes,
      {
        meterFuel: true,
        memoryMaxPages: Math.floor(config.limits.memoryBytes / PAGE_BYTES),
        tableMaxElements: config.limits.tableElements,
        // A module's start function runs during instantiation, before the host can set the fuel: give it one call's worth.
        startFuel: BigInt(config.limits.fuelPerCall),
      },
      options.moduleCache ?? null,
    );
    const { module } = metered;
    const t3 = performance.now();
    const runtime = new PluginRuntime(module, abi, config, section, options);
    let t4: number;
    let initialised: { metadata: string | null; fuelConsumed: number };
    try {
      runtime.instantiate();
      t4 = performance.now();
      initialised = runtime.initialise();
    } catch (err) {
      runtime.hostCalls.close(); // a start function or init may have started the HTTP worker
      (runtime.wasi as WasiPreview1 | undefined)?.dispose(); // and opened files; the data directory handle too
      throw err;
    }
    const { metadata, fuelConsumed } = initialised;
    runtime.initMetadata = metadata;
    runtime.initDone = true;
    const t5 = performance.now();
    return {
      runtime,
      report: {
        abi,
        exports: info.exports.map((e) => `${e.name} (${e.kind})`),
        imports: info.imports.map((i) => `${i.module}.${i.name}`),
        initMetadata: metadata,
        sectionMetadata: section,
        initLog: runtime.log.take(),
        fuelConsumedByInit: fuelConsumed,
        memoryBytes: runtime.exports.memory.buffer.byteLength,
        timingsMs: { read: 0, inspect: t1 - t0, validate: tValid - t1, instrument: metered.instrumentMs, compile: metered.compileMs, instantiate: t4 - t3, init: t5 - t4 },
        moduleCache: metered.cache,
      },
    };
  }

  /** The plugin's settings from now on (`conductor.setting`, and the hosts url/host settings add to allowed_hosts). */
  configure(settings: SandboxSettings): void {
    this.settings = settings;
  }

  /** Runs one `execute` call with the JSON input. Never throws: every failure is a CallResult. */
  execute(input: string): CallResult {
    const start = performance.now();
    if (this.broken) return this.result(start, 0, new CallFailure('load', this.broken));
    const limit = this.config.limits.fuelPerCall;
    this.beginEntry(start);
    let code: number | null = null;
    let failure: CallFailure | null = null;
    try {
      code = this.callExecute(encodeInput(input));
      if (code !== 0) failure = new CallFailure('plugin-error', `plugin returned error code ${code}`, code);
    } catch (err) {
      failure = this.classify(err);
    }
    const fuelConsumed = this.fuelConsumed(limit);
    const result = this.result(start, fuelConsumed, withRefusal(this.refusal, failure), code);
    // A trap or exit leaves the instance in an unknown state: start a fresh one for the next call. (A refusal the
    // guest caught and returned from does not: its own state is consistent, and the refusal is reported above.)
    if (failure && failure.kind !== 'plugin-error') this.reset();
    return result;
  }

  /** Calls the optional `shutdown` export (metered); returns its log. */
  shutdown(): string[] {
    if (!this.broken && this.abi.hasShutdown && this.exports.shutdown) {
      this.beginEntry(performance.now());
      let failure: CallFailure | null = null;
      try {
        this.exports.shutdown();
      } catch (err) {
        failure = this.classify(err);
      }
      const reported = withRefusal(this.refusal, failure);
      if (reported) this.log.message(3, encoder.encode(`shutdown failed: ${reported.message}`));
    }
    this.wasi.dispose(); // closes the guest's files and the data directory's own handle
    this.hostCalls.close();
    return this.log.take();
  }

  private instantiate(): void {
    this.wasi = new WasiPreview1({
      args: ['plugin'],
      env: {},
      dataDir: this.config.grants.includes('filesystem') ? this.config.dataDir : null,
      stdout: (chunk) => this.log.stream('stdout', chunk),
      stderr: (chunk) => this.log.stream('stderr', chunk),
    });
    const imports: WebAssembly.Imports = {
      [CONDUCTOR_MODULE]: this.hostImports(),
    };
    if (this.abi.usesWasi) imports[WASI_MODULE] = this.wasi.imports;
    let instance: WebAssembly.Instance;
    this.clearRefusal(); // the start function is an entry of its own
    try {
      instance = new WebAssembly.Instance(this.module, imports);
    } catch (err) {
      const why = err instanceof WebAssembly.RuntimeError ? ` (the start function trapped or used up its ${this.config.limits.fuelPerCall} fuel)` : '';
      throw new WasmLoadError(`instantiation failed${why}: ${errorMessage(err)}`);
    }
    const refused = withRefusal(this.refusal, null);
    if (refused) throw new WasmLoadError(`instantiation failed: ${refused.message}`);
    this.exports = exportsOf(instance);
    if (!this.abi.hasAlloc && !this.exports.stackPointer) {
      throw new WasmLoadError(
        'the plugin exports no "alloc" and has no "__stack_pointer" global to put its input on: export alloc(size) -> ptr, or keep the name section when linking (clang, rustc and zig keep it unless told to strip everything)',
      );
    }
    this.wasi.bindMemory(this.exports.memory);
  }

  /** Runs `_initialize` and `init` under the per-call fuel limit; returns metadata text from `init() -> i64`. */
  private initialise(): { metadata: string | null; fuelConsumed: number } {
    const limit = this.config.limits.fuelPerCall;
    this.beginEntry(performance.now());
    let metadata: string | null = null;
    let failure: CallFailure | null = null;
    try {
      this.exports._initialize?.();
      const packed = this.exports.init?.();
      if (this.abi.initForm === 'metadata' && typeof packed === 'bigint') metadata = this.readMetadata(packed);
    } catch (err) {
      failure = this.classify(err);
    }
    const reported = withRefusal(this.refusal, failure);
    if (reported) {
      const panic = reported.kind === 'trap' ? rustPanic(this.log.take()) : null;
      throw new WasmLoadError(`plugin initialisation failed: ${panic === null ? reported.message : `panicked at ${panic}`}`);
    }
    return { metadata, fuelConsumed: this.fuelConsumed(limit) };
  }

  private readMetadata(packed: bigint): string {
    const ptr = Number((packed >> 32n) & 0xffffffffn);
    const len = Number(packed & 0xffffffffn);
    if (len > MAX_METADATA_BYTES) {
      throw new CallFailure('trap', `init() returned metadata of ${len} bytes (limit ${MAX_METADATA_BYTES})`);
    }
    const bytes = this.guestBytes(ptr, len, 'init() metadata');
    try {
      return decoder.decode(bytes);
    } catch {
      throw new CallFailure('trap', 'init() returned metadata that is not valid UTF-8');
    }
  }

  private reset(): void {
    this.hostCalls.closeConnections(); // the fresh instance knows none of the old one's WebSocket handles
    try {
      this.wasi.dispose(); // instantiate() below makes a fresh WASI instance
      this.instantiate();
      this.initialise();
      this.log.take();
      this.broken = null;
    } catch (err) {
      this.broken = `plugin could not be re-initialised after a failure: ${errorMessage(err)}`;
    }
  }

  private callExecute(input: Uint8Array): number {
    const { alloc, execute, dealloc } = this.exports;
    if (!this.abi.hasAlloc || !alloc) return this.executeOnStack(input);
    const ptr = alloc(input.byteLength) >>> 0;
    if (ptr === 0 && input.byteLength > 0) {
      throw new CallFailure('memory', `alloc(${input.byteLength}) returned NULL (memory limit ${mib(this.config.limits.memoryBytes)})`);
    }
    this.guestBytes(ptr, input.byteLength, `alloc(${input.byteLength}) result`).set(input);
    const code = execute(ptr, input.byteLength);
    if (this.abi.hasDealloc && dealloc) dealloc(ptr, input.byteLength);
    return code;
  }

  /**
   * The input of a plugin without `alloc` goes on its own shadow stack, as a caller's frame would: the host lowers
   * `__stack_pointer` by the input's size (16-byte aligned), writes the input there, calls execute, and restores the
   * pointer. No allocator owns stack memory — unlike pages the host could grow, which wasi-libc's malloc (and so
   * Rust's std on wasm32-wasi) and AssemblyScript's TLSF take as heap at their first allocation. Bounded: at most
   * MAX_STACK_INPUT_BYTES, so the plugin keeps most of its stack (64 KiB with clang's defaults, 1 MiB with Rust's).
   */
  private executeOnStack(input: Uint8Array): number {
    const sp = this.exports.stackPointer as WebAssembly.Global;
    if (input.byteLength > MAX_STACK_INPUT_BYTES) {
      throw new CallFailure(
        'memory',
        `the input is ${input.byteLength} bytes; a plugin without alloc gets its input on its stack, at most ${MAX_STACK_INPUT_BYTES} bytes — export alloc to take larger inputs`,
      );
    }
    const top = (sp.value as number) >>> 0;
    const ptr = (top - input.byteLength) & ~15;
    if (ptr < MIN_STACK_ROOM_BYTES) throw new CallFailure('memory', `no room on the plugin's stack for the ${input.byteLength}-byte input`);
    this.guestBytes(ptr, input.byteLength, 'the input on the stack').set(input);
    sp.value = ptr;
    try {
      return this.exports.execute(ptr, input.byteLength);
    } finally {
      sp.value = top;
    }
  }

  /** A view of guest memory, bounds-checked. */
  private guestBytes(ptr: number, len: number, what: string): Uint8Array {
    const buffer = this.exports.memory.buffer;
    if (ptr < 0 || len < 0 || ptr + len > buffer.byteLength) {
      throw new CallFailure('trap', `${what} is out of bounds: ${len} bytes at ${ptr}, memory is ${buffer.byteLength} bytes`);
    }
    return new Uint8Array(buffer, ptr, len);
  }

  /** Starts one entry into the guest (init, execute, shutdown): fresh fuel, deadline, host-call budgets, no refusal. */
  private beginEntry(start: number): void {
    this.setFuel(this.config.limits.fuelPerCall);
    this.callDeadline = start + this.config.limits.callTimeoutMs;
    this.hostCalls.beginCall();
    this.clearRefusal();
    this.tokenRefused = false;
  }

  private clearRefusal(): void {
    this.refusal = null;
  }

  /** The allowed_hosts of conductor.http_request and ws_open: the plugin's own, plus the hosts its url/host settings name. */
  private hostPolicy(): HostPolicy {
    const own = this.ownHostPolicy();
    return 'hosts' in own ? { hosts: withSettingHosts(own.hosts, this.settings.hosts) } : own;
  }

  /** The plugin's own allowed_hosts: RuntimeConfig.allowedHosts, else its metadata's. */
  private ownHostPolicy(): HostPolicy {
    if (this.config.allowedHosts) return { hosts: this.config.allowedHosts };
    if (this.abi.initForm === 'metadata') {
      if (!this.initDone) return { refused: "allowed_hosts come from init()'s metadata, which is not known until init() returns" };
      if (this.initMetadata !== null) return allowedHostsOf(this.initMetadata, 'init() metadata');
    }
    if (this.sectionMetadata !== null) return allowedHostsOf(this.sectionMetadata, `the "${METADATA_SECTION}" section`);
    return { hosts: [] };
  }

  private hostImports(): Record<string, WebAssembly.ImportValue> {
    const grants = new Set(this.config.grants);
    const impls: Record<string, (...args: number[]) => number | void> = {
      log: (level, ptr, len) => {
        const p = (ptr ?? 0) >>> 0;
        const n = (len ?? 0) >>> 0;
        this.log.message(level ?? 1, this.guestBytes(p, n, 'conductor.log message'));
      },
      ...this.hostCalls.implementations(),
    };
    const out: Record<string, WebAssembly.ImportValue> = {};
    for (const spec of HOST_FUNCTIONS.values()) {
      const impl = impls[spec.name];
      const cap = spec.capability;
      if (cap && !grants.has(cap)) {
        out[spec.name] = () => {
          const refusal = new CapabilityError(spec.name, cap);
          this.refusal ??= refusal; // recorded before the guest can catch it
          throw refusal;
        };
      } else if (impl) {
        out[spec.name] = impl;
      }
    }
    return out;
  }

  private setFuel(limit: number): void {
    this.exports.fuel.value = BigInt(limit);
  }

  private fuelConsumed(limit: number): number {
    const remaining = this.exports.fuel.value as bigint;
    return remaining < 0n ? limit : limit - Number(remaining);
  }

  private classify(err: unknown): CallFailure {
    return classifyFailure(err, this.exports, this.config.limits);
  }

  private result(start: number, fuelConsumed: number, failure: CallFailure | null, code: number | null = null): CallResult {
    const durationMs = performance.now() - start;
    const memoryBytes = this.broken ? 0 : this.exports.memory.buffer.byteLength;
    const log = this.log.take();
    const exitOk = failure?.kind === 'exit' && failure.code === 0;
    if (!failure || exitOk) {
      // The per-call path: one object, written out (no spreads).
      const ok: CallResult = { ok: true, code: failure?.code ?? code, error: null, errorKind: null, fuelConsumed, durationMs, memoryBytes, log };
      if (this.tokenRefused) ok.tokenRefused = true;
      return ok;
    }
    const measured = { code: failure.code ?? code, fuelConsumed, durationMs, memoryBytes, log, ...(this.tokenRefused ? { tokenRefused: true } : {}) };
    if (failure.kind === 'trap') {
      // A Rust panic traps inside the panic machinery; its own message and location (printed to stderr) say more.
      const panic = rustPanic(measured.log);
      if (panic !== null) return failedCall('trap', `panicked at ${panic}`, measured);
    }
    return failedCall(failure.kind, failure.message, measured);
  }

}
