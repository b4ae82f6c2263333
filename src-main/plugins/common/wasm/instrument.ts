// Rewrites a plugin module before compilation: caps every memory and table, and (optionally) adds fuel metering.
// Never lets an over-limit module through and never changes what the module computes, only when it is stopped.
//
// Memory and table caps
//   Every memory and table, defined or imported, must start at or below its cap (else WasmLoadError); its maximum is
//   set to the cap when absent or larger, so memory.grow / table.grow beyond it return -1. Only one 32-bit memory is
//   accepted (no memory64, no multi-memory).
//
// Fuel: where it lives
//   A new mutable i64 global, appended after the module's own globals (so no index shifts) and exported as
//   FUEL_EXPORT. The host stores the call's limit before each call and reads it after: consumed = limit − value.
//   "Out of fuel" is: the call trapped AND the global is negative. Its initial value (fuel for the start function
//   during instantiation) is `startFuel`, default DEFAULT_START_FUEL.
//
// Fuel: cost model (deterministic: the same module, inputs and fuel stop at exactly the same instruction)
//   - Every instruction costs 1, including block/loop/if/else/end; dead code (after br, return, unreachable…) is free.
//   - Fuel is charged per basic block, in advance, with one `fuel -= cost; if (fuel < 0) trap` at the block's start:
//     function entry, each loop header (every iteration), if arms, catch handlers, after br_if, after calls,
//     and after an `end` where control paths merge.
//   - Fewer checks, same totals: when a block/if/loop/try can only be left through its own end, the code after it is
//     charged with the code before it (it runs whenever that code runs). Code after a call is charged with the block
//     before the call (up to 32 units; it is skipped only when the callee traps or throws). For an if/else the block
//     before the `if` pays for the longer arm and the shorter arm adds the difference back, unchecked. Blocks that a
//     branch may skip (arms of an if without else, merges, the code after a br_if) are charged on their own, never
//     folded: since INSTRUMENTER_VERSION 2 a call that returns is charged exactly what it executed, apart from leaves.
//   - Small loop-free "leaf" functions (no loop, throw, bulk op or memory.grow, calls only to other leaves, at most 64
//     instructions including those; not exported, not the start function) are left unmetered and their callers pay
//     their whole size at the call site, for call_indirect the largest leaf of the call's type (call-plan.ts, which
//     also says when that would be unsafe).
//   - Consequently a trap or exception may leave part of the pre-charged fuel unused, and an out-of-fuel trap fires at
//     the start of the block that cannot be paid for in full (for an if/else: the longer arm's cost), before any of it
//     runs. A call that returns normally never leaves the global negative.
//   - "Exact" is checked against test-support/exact-count.ts (a reference that counts every executed instruction) on
//     the differential corpus and the metering microbenchmarks (exactness.test.ts): equal, except that leaves are
//     charged their whole size where a path through them may run fewer.
//   - Bulk operations additionally charge their length before they run: memory.fill/copy/init 1 per 16 bytes,
//     table.fill/copy/init/grow 1 per element, memory.grow 4096 per requested 64 KiB page (1 per 16 bytes).
//   - Inside a function the counter is kept in a local (a register, not memory) and written back to the global before
//     every call, return, throw and `unreachable`, and when out of fuel; it is re-read after calls and on entering catch
//     handlers, so the global is exact whenever control leaves the function. Functions containing try_table (whose
//     catch clauses land on arbitrary labels) use the global directly, and so do loop-free functions that call out
//     and have at most one charge more than calls (recursion, wrappers: cheaper than a write and a read per call).
//   - After a trap other than out-of-fuel (e.g. division by zero) the global may not yet include the fuel charged
//     since the trapping function's last call; the instance is reset after a trap anyway.

import { ByteReader } from './byte-reader';
import { ByteWriter } from './byte-writer';
import { planCalls } from './call-plan';
import { scanCode } from './code-scan';
import { meterFunction } from './metering';
import { importCount, SECTION_ORDER, type ByteRange, type FunctionBody, type ParsedLimits, type ParsedModule, type Section } from './parsed-module';
import { readModule } from './reader';
import { FUEL_EXPORT, WasmLoadError, type InstrumentOptions } from './types';
import { STACK_POINTER_EXPORT, stackPointerGlobal } from './stack-pointer';

/**
 * The instrumenter's output version, part of every instrumented-module cache key (sandbox/module-cache.ts).
 * BUMP IT whenever the bytes instrumentModule writes for the same input and options change in any way (metering,
 * caps, cost model, section layout): otherwise loads keep compiling the cached output of the previous version.
 */
export const INSTRUMENTER_VERSION = 2;

/** Fuel available to a module's start function while it is instantiated, unless `startFuel` says otherwise. */
export const DEFAULT_START_FUEL = 100_000_000n;

const MAX_MEMORY_PAGES = 65_536;
const MAX_TABLE_ELEMENTS = 0xffff_ffff;
const PAGE_BYTES = 65_536;
const GLOBAL_SECTION = 6;
const EXPORT_SECTION = 7;
const CODE_SECTION = 10;
const EXPORT_KIND_GLOBAL = 3;

interface LimitsEdit {
  readonly range: ByteRange;
  readonly encoded: Uint8Array;
}

/** Where the fuel counter goes: its global index and initial value; and the stack pointer to export, if found. */
interface FuelGlobal {
  readonly index: number;
  readonly startFuel: bigint;
  readonly stackPointer: number | null;
}

/** Returns the rewritten module; throws WasmLoadError when it is malformed, unsupported or over a limit. */
export function instrumentModule(bytes: Uint8Array, opts: InstrumentOptions): Uint8Array {
  checkOptions(opts);
  const module = readModule(bytes);
  const edits = [...capMemories(module, opts.memoryMaxPages), ...capTables(module, opts.tableMaxElements)];
  if (!opts.meterFuel) return rewrite(module, edits, null);
  if (module.exports.some((entry) => entry.name === FUEL_EXPORT)) {
    throw new WasmLoadError(`the module already exports "${FUEL_EXPORT}", which is reserved for fuel metering`);
  }
  if (module.exports.some((entry) => entry.name === STACK_POINTER_EXPORT)) {
    throw new WasmLoadError(`the module already exports "${STACK_POINTER_EXPORT}", which is reserved for the host`);
  }
  const index = importCount(module, 'global') + module.globals.length;
  return rewrite(module, edits, { index, startFuel: opts.startFuel ?? DEFAULT_START_FUEL, stackPointer: stackPointerGlobal(module) });
}

/** Copies the module section by section, replacing what the edits and metering change, adding missing sections. */
function rewrite(module: ParsedModule, edits: readonly LimitsEdit[], fuel: FuelGlobal | null): Uint8Array {
  const { bytes } = module;
  const out = new Pieces();
  out.add(bytes.subarray(0, 8));
  const missing = fuel === null ? [] : [GLOBAL_SECTION, EXPORT_SECTION];
  const emitMissingBefore = (rankLimit: number): void => {
    while (missing.length > 0 && rank(missing[0] as number) < rankLimit) {
      const id = missing.shift() as number;
      out.section(id, fuelSection(module, id, null, fuel as FuelGlobal));
    }
  };
  for (const section of module.sections) {
    if (section.id !== 0) emitMissingBefore(rank(section.id));
    if (fuel !== null && missing[0] === section.id) {
      missing.shift();
      out.section(section.id, fuelSection(module, section.id, section, fuel));
    } else if (fuel !== null && section.id === CODE_SECTION) {
      out.section(section.id, codeSection(module, fuel.index));
    } else {
      emitSection(out, bytes, section, edits);
    }
  }
  emitMissingBefore(Infinity);
  return out.join();
}

/** The output as a list of byte runs (views or finished writers), joined once at the end: each byte is copied once. */
class Pieces {
  private readonly list: Uint8Array[] = [];
  private size = 0;

  add(bytes: Uint8Array): void {
    this.list.push(bytes);
    this.size += bytes.length;
  }

  /** A section: id, byte size, content. */
  section(id: number, content: Uint8Array): void {
    this.add(new ByteWriter(8).byte(id).u32(content.length).finish());
    this.add(content);
  }

  join(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const piece of this.list) {
      out.set(piece, at);
      at += piece.length;
    }
    return out;
  }
}

function checkOptions(opts: InstrumentOptions): void {
  if (!Number.isInteger(opts.memoryMaxPages) || opts.memoryMaxPages < 0 || opts.memoryMaxPages > MAX_MEMORY_PAGES) {
    throw new RangeError(`memoryMaxPages must be an integer from 0 to ${MAX_MEMORY_PAGES}, got ${opts.memoryMaxPages}`);
  }
  if (!Number.isInteger(opts.tableMaxElements) || opts.tableMaxElements < 0 || opts.tableMaxElements > MAX_TABLE_ELEMENTS) {
    throw new RangeError(`tableMaxElements must be an integer from 0 to ${MAX_TABLE_ELEMENTS}, got ${opts.tableMaxElements}`);
  }
  if (opts.startFuel !== undefined && (opts.startFuel < 0n || opts.startFuel >= 1n << 63n)) {
    throw new RangeError(`startFuel must be a non-negative 64-bit integer, got ${opts.startFuel}`);
  }
}

function rank(id: number): number {
  return SECTION_ORDER.indexOf(id);
}

function capMemories(module: ParsedModule, capPages: number): LimitsEdit[] {
  const memories = [
    ...module.imports.flatMap((entry) => (entry.desc.kind === 'memory' ? [entry.desc.memory] : [])),
    ...module.memories,
  ];
  if (memories.length > 1) throw new WasmLoadError('multiple memories (multi-memory proposal) are not supported');
  return memories.flatMap((memory) => {
    if (memory.memory64) throw new WasmLoadError('64-bit memory (memory64 proposal) is not supported');
    if (memory.initial > capPages) {
      throw new WasmLoadError(
        `initial memory of ${memory.initial} pages (${formatBytes(memory.initial)}) exceeds the limit of ${capPages} pages (${formatBytes(capPages)})`,
      );
    }
    return clamp(memory, capPages);
  });
}

function capTables(module: ParsedModule, capElements: number): LimitsEdit[] {
  const tables = [
    ...module.imports.flatMap((entry) => (entry.desc.kind === 'table' ? [entry.desc.table] : [])),
    ...module.tables,
  ];
  return tables.flatMap(({ limits }) => {
    if (limits.initial > capElements) {
      throw new WasmLoadError(`initial table of ${limits.initial} elements exceeds the limit of ${capElements} elements`);
    }
    return clamp(limits, capElements);
  });
}

/** An edit setting the maximum to `cap` when it is absent or larger; none when already within. */
function clamp(limits: ParsedLimits, cap: number): LimitsEdit[] {
  if (limits.maximum !== null && limits.maximum <= cap) return [];
  const flags = 0x01 | (limits.shared ? 0x02 : 0);
  const encoded = new ByteWriter(16).byte(flags).u32(limits.initial).u32(cap).finish();
  return [{ range: limits.range, encoded }];
}

function formatBytes(pages: number): string {
  const bytes = pages * PAGE_BYTES;
  return bytes >= 1 << 20 ? `${+(bytes / (1 << 20)).toFixed(2)} MiB` : `${bytes / 1024} KiB`;
}

/** Copies a section, applying the limits edits that fall inside it. */
function emitSection(out: Pieces, bytes: Uint8Array, section: Section, edits: readonly LimitsEdit[]): void {
  const inside = edits.filter((edit) => edit.range.start >= section.start && edit.range.end <= section.end);
  if (inside.length === 0) {
    out.add(bytes.subarray(section.offset, section.end));
    return;
  }
  const content = new ByteWriter(section.end - section.start + 16 * inside.length);
  let copied = section.start;
  for (const edit of [...inside].sort((a, b) => a.range.start - b.range.start)) {
    content.bytes(bytes.subarray(copied, edit.range.start)).bytes(edit.encoded);
    copied = edit.range.end;
  }
  content.bytes(bytes.subarray(copied, section.end));
  out.section(section.id, content.finish());
}

/** The global or export section (`section`, or a new one when null) with the fuel entry appended. */
function fuelSection(module: ParsedModule, id: number, section: Section | null, fuel: FuelGlobal): Uint8Array {
  return id === GLOBAL_SECTION ? globalSection(module, section, fuel.startFuel) : exportSection(module, section, fuel);
}

/** Existing entries of a vector section (count and bytes), or none when the section is absent. */
function vectorEntries(module: ParsedModule, section: Section | null): { count: number; entries: Uint8Array } {
  if (section === null) return { count: 0, entries: new Uint8Array(0) };
  const r = new ByteReader(module.bytes, section.start, section.end, `section ${section.id}`);
  const count = r.u32();
  return { count, entries: module.bytes.subarray(r.pos, section.end) };
}

function globalSection(module: ParsedModule, section: Section | null, startFuel: bigint): Uint8Array {
  const { count, entries } = vectorEntries(module, section);
  const w = new ByteWriter(entries.length + 32).u32(count + 1).bytes(entries);
  // (global (mut i64) (i64.const startFuel))
  return w.byte(0x7e).byte(0x01).byte(0x42).s64(startFuel).byte(0x0b).finish();
}

/** The export section with the fuel counter's export appended, and the stack pointer's when the module has one. */
function exportSection(module: ParsedModule, section: Section | null, fuel: FuelGlobal): Uint8Array {
  const { count, entries } = vectorEntries(module, section);
  const extra = fuel.stackPointer === null ? 1 : 2;
  const w = new ByteWriter(entries.length + 64).u32(count + extra).bytes(entries);
  w.name(FUEL_EXPORT).byte(EXPORT_KIND_GLOBAL).u32(fuel.index);
  if (fuel.stackPointer !== null) w.name(STACK_POINTER_EXPORT).byte(EXPORT_KIND_GLOBAL).u32(fuel.stackPointer);
  return w.finish();
}

/** The metered code section: bodies are decoded once (./code-scan.ts), for call planning and metering alike. */
function codeSection(module: ParsedModule, fuelGlobal: number): Uint8Array {
  const out = new ByteWriter(2 * module.bytes.length + 64); // metering rarely adds more than 70 %
  const scratch = new ByteWriter(4096);
  const scan = scanCode(module);
  const calls = planCalls(module, scan);
  const { bodies, types, functionTypes } = module;
  out.u32(bodies.length);
  for (let i = 0; i < bodies.length; i++) {
    const paramCount = types[functionTypes[i] as number]?.params.length ?? 0;
    meterFunction(module.bytes, bodies[i] as FunctionBody, scan, i, paramCount, fuelGlobal, calls, out, scratch);
  }
  return out.finish();
}
