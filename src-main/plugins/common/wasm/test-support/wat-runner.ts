// Test helpers for the wasm module: WAT compilation with wabt and a recording runner for instrumented modules.
// Used only by *.test.ts files; never imported by product code.

import { createHash } from 'node:crypto';
import wabtInit from 'wabt';
import { ByteWriter } from '../byte-writer';
import { inspectModule } from '../inspect';
import { FUEL_EXPORT, type ValType } from '../types';

type Wabt = Awaited<ReturnType<typeof wabtInit>>;
type WabtFeatures = NonNullable<Parameters<Wabt['parseWat']>[2]>;

/** Every proposal Node 20 can run, plus the ones only wabt can check (exnref try_table, relaxed SIMD). */
const ALL_FEATURES: WabtFeatures = {
  exceptions: true,
  mutable_globals: true,
  sat_float_to_int: true,
  sign_extension: true,
  simd: true,
  threads: true,
  multi_value: true,
  tail_call: true,
  bulk_memory: true,
  reference_types: true,
  relaxed_simd: true,
  extended_const: true,
};

let wabtPromise: Promise<Wabt> | undefined;

function loadWabt(): Promise<Wabt> {
  wabtPromise ??= wabtInit();
  return wabtPromise;
}

/**
 * Compiles WebAssembly text to a binary (with a "name" section). Not validated here: wabt.js refuses shared
 * memories whatever its flags say, so tests validate with V8 (or wabtValidate for proposals Node 20 lacks).
 */
export async function wat(source: string, features: WabtFeatures = ALL_FEATURES): Promise<Uint8Array> {
  const wabt = await loadWabt();
  const module = wabt.parseWat('test.wat', source, features);
  try {
    module.resolveNames();
    return module.toBinary({ write_debug_names: true }).buffer;
  } finally {
    module.destroy();
  }
}

/** Validates a binary with wabt (for proposals Node 20 cannot compile); throws with wabt's message when invalid. */
export async function wabtValidate(bytes: Uint8Array, features: WabtFeatures = ALL_FEATURES): Promise<void> {
  const wabt = await loadWabt();
  const module = wabt.readWasm(bytes, { ...features, check: true });
  try {
    module.validate();
  } finally {
    module.destroy();
  }
}

export type RawSection = readonly [id: number, content: readonly number[]];

/** Builds a module from raw sections, for inputs wabt refuses to produce (malformed or unsupported ones). */
export function buildModule(...sections: readonly RawSection[]): Uint8Array {
  const w = new ByteWriter().bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  for (const [id, content] of sections) w.section(id, Uint8Array.from(content));
  return w.finish().slice();
}

/** A function body (no locals) as code-section content for `count` identical functions. */
export function codeSection(count: number, instructions: readonly number[]): number[] {
  const w = new ByteWriter().u32(count);
  for (let i = 0; i < count; i++) w.u32(instructions.length + 1).byte(0x00).bytes(instructions);
  return Array.from(w.finish());
}

/** Appends a custom section (allowed anywhere) to a module. */
export function withCustomSection(bytes: Uint8Array, name: string, data: Uint8Array): Uint8Array {
  const content = new ByteWriter().name(name).bytes(data).finish();
  return new ByteWriter().bytes(bytes).section(0, content).finish().slice();
}

/** What one exported call did, in a form that compares exactly (floats by bit pattern). */
export interface CallRecord {
  readonly name: string;
  readonly outcome: string;
  readonly log: readonly string[];
  readonly memory: string;
  /** Fuel left after the call (instrumented runs only). */
  readonly fuelLeft: bigint | null;
  readonly outOfFuel: boolean;
  readonly stackOverflow: boolean;
}

const STACK_OVERFLOW = 'Maximum call stack size exceeded';
const HANG_LIMIT_EXPORT = 'hangLimitInitializer';

/**
 * Instantiates `bytes` with recording stubs for every function import (stubs whose name contains "throw" throw a
 * JS Error after recording) and calls every exported function in order
 * with zero arguments, binaryen-fuzzer style (hangLimitInitializer is called before each call when present).
 * With `fuelPerCall`, the module must be instrumented: the fuel global is set before each call and read after.
 */
export function runExports(bytes: Uint8Array, fuelPerCall: bigint | null): CallRecord[] {
  const module = new WebAssembly.Module(bytes);
  const log: string[] = [];
  const instance = new WebAssembly.Instance(module, stubImports(module, log));
  const exports = instance.exports;
  const fuel = fuelPerCall === null ? null : (exports[FUEL_EXPORT] as WebAssembly.Global);
  const hangLimit = exports[HANG_LIMIT_EXPORT];
  const records: CallRecord[] = [];
  for (const { name, kind, type } of inspectModule(bytes).exports) {
    if (kind !== 'func' || name === HANG_LIMIT_EXPORT) continue;
    log.length = 0;
    if (fuel !== null) fuel.value = fuelPerCall;
    if (typeof hangLimit === 'function') hangLimit();
    const outcome = callWithZeros(exports[name] as (...args: unknown[]) => unknown, type?.params ?? []);
    const fuelLeft = fuel === null ? null : (fuel.value as bigint);
    records.push({
      name,
      outcome,
      log: [...log],
      memory: memoryDigest(exports),
      fuelLeft,
      outOfFuel: outcome.startsWith('RuntimeError') && fuelLeft !== null && fuelLeft < 0n,
      stackOverflow: outcome.includes(STACK_OVERFLOW),
    });
  }
  return records;
}

function stubImports(module: WebAssembly.Module, log: string[]): WebAssembly.Imports {
  const imports: Record<string, Record<string, WebAssembly.ImportValue>> = {};
  for (const { module: from, name, kind } of WebAssembly.Module.imports(module)) {
    if (kind !== 'function') throw new Error(`test stub: cannot provide ${kind} import ${from}.${name}`);
    const recorder = (...args: unknown[]): void => {
      log.push(`${from}.${name}(${args.map(describe).join(', ')})`);
      if (name.includes('throw')) throw new Error(`${name} threw`);
    };
    (imports[from] ??= {})[name] = recorder;
  }
  return imports;
}

function callWithZeros(fn: (...args: unknown[]) => unknown, params: readonly ValType[]): string {
  try {
    return `ok ${describe(fn(...params.map(zeroOf)))}`;
  } catch (error) {
    return describeError(error);
  }
}

function zeroOf(type: ValType): unknown {
  if (type === 'i64') return 0n;
  if (type === 'funcref' || type === 'externref' || type === 'exnref') return null;
  return 0;
}

function describe(value: unknown): string {
  if (typeof value === 'number') return `f64:${floatBits(value)}`;
  if (typeof value === 'bigint') return `i64:${value}`;
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'function') return 'funcref';
  return typeof value;
}

function floatBits(value: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  return view.getBigUint64(0).toString(16);
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.constructor.name}: ${error.message}`;
  return `thrown ${Object.prototype.toString.call(error)}`;
}

function memoryDigest(exports: WebAssembly.Exports): string {
  const memory = Object.values(exports).find((value) => value instanceof WebAssembly.Memory);
  if (!(memory instanceof WebAssembly.Memory)) return 'none';
  return createHash('sha256').update(new Uint8Array(memory.buffer)).digest('hex').slice(0, 16);
}
