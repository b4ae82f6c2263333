// Rewrites one function body so it charges fuel per basic block (cost model and invariants: see ./instrument.ts).
// Copies every original instruction byte-for-byte and only inserts stack-neutral sequences; never reorders or drops code.

import type { ByteWriter } from './byte-writer';
import type { CallPlan } from './call-plan';
import type { CodeScan } from './code-scan';
import { analyse, type Block, type BulkUnit, type Patch } from './metering-analysis';
import { MAX_FUNCTION_LOCALS, type FunctionBody } from './parsed-module';
import { WasmLoadError } from './types';

/** Bytes of memory.fill/copy/init charged per unit of fuel, as a shift: 1 fuel per 16 bytes. */
const BYTES_PER_FUEL_SHIFT = 4;
/** Fuel charged per 64 KiB page requested by memory.grow, as a shift: 4096, i.e. the same 1 fuel per 16 bytes. */
const FUEL_PER_PAGE_SHIFT = 12;

const enum Op {
  Unreachable = 0x00,
  If = 0x04,
  End = 0x0b,
  LocalGet = 0x20,
  LocalSet = 0x21,
  LocalTee = 0x22,
  GlobalGet = 0x23,
  GlobalSet = 0x24,
  I64Const = 0x42,
  I64LtS = 0x53,
  I64Add = 0x7c,
  I64Sub = 0x7d,
  I64Shl = 0x86,
  I64ShrU = 0x88,
  I64ExtendI32U = 0xad,
  EmptyBlockType = 0x40,
  I64 = 0x7e,
  I32 = 0x7f,
}

/** Locals appended by metering: the fuel cache (i64) and, for bulk operations, a length temp (i32). */
interface MeterLocals {
  readonly fuel: number;
  readonly temp: number;
  readonly fuelGlobal: number;
  readonly globalOnly: boolean;
}

/**
 * Appends the metered version of `body` (size prefix included) to `out`, or the body unchanged when its callers pay
 * for it; `scratch` is reused between calls. `scan` holds the module's decoded bodies, `bodyIndex` says which is `body`.
 */
export function meterFunction(
  bytes: Uint8Array,
  body: FunctionBody,
  scan: CodeScan,
  bodyIndex: number,
  paramCount: number,
  fuelGlobal: number,
  calls: CallPlan,
  out: ByteWriter,
  scratch: ByteWriter,
): void {
  const analysis = analyse(bytes, body, scan, bodyIndex, calls); // also checks the body's structure, for caller-charged leaves too
  if (calls.callerCharged.has(body.funcIndex)) {
    out.u32(body.end - body.start).copy(bytes, body.start, body.end);
    return;
  }
  const added = analysis.needsTemp ? 2 : 1;
  if (paramCount + body.localCount + added > MAX_FUNCTION_LOCALS) {
    throw new WasmLoadError(`function ${body.funcIndex} has too many locals to add fuel metering`);
  }
  const fuel = paramCount + body.localCount;
  const locals: MeterLocals = { fuel, temp: fuel + 1, fuelGlobal, globalOnly: analysis.globalOnly };
  scratch.reset();
  scratch.u32(body.localGroupCount + added).copy(bytes, body.localGroupsStart, body.codeStart);
  scratch.byte(1).byte(Op.I64);
  if (analysis.needsTemp) scratch.byte(1).byte(Op.I32);
  let copied = body.codeStart;
  for (const patch of analysis.patches) {
    scratch.copy(bytes, copied, patch.at);
    copied = patch.at;
    emitPatch(scratch, patch, locals);
  }
  scratch.copy(bytes, copied, body.end);
  out.u32(scratch.size).bytes(scratch.finish());
}

function emitPatch(w: ByteWriter, patch: Patch, locals: MeterLocals): void {
  switch (patch.kind) {
    case 'flush':
      if (!locals.globalOnly) w.byte(Op.LocalGet).u32(locals.fuel).byte(Op.GlobalSet).u32(locals.fuelGlobal);
      return;
    case 'charge':
      return emitCharge(w, patch.block, locals);
    case 'bulk':
      w.byte(Op.LocalTee).u32(locals.temp);
      emitSource(w, locals, false);
      w.byte(Op.LocalGet).u32(locals.temp).byte(Op.I64ExtendI32U);
      emitScale(w, patch.unit);
      return emitSubtractAndCheck(w, locals);
  }
}

function emitCharge(w: ByteWriter, block: Block, locals: MeterLocals): void {
  const reload = block.kind !== 'loop' && block.kind !== 'forward';
  if (block.folded) {
    // Already paid for by the parent block; after a call the cached counter must still be refreshed.
    if (reload && !locals.globalOnly) w.byte(Op.GlobalGet).u32(locals.fuelGlobal).byte(Op.LocalSet).u32(locals.fuel);
    if (block.refund > 0) emitRefund(w, block.refund, locals);
    return;
  }
  emitSource(w, locals, reload);
  w.byte(Op.I64Const).sleb(block.cost);
  emitSubtractAndCheck(w, locals);
}

/** Gives back fuel the parent charged for a longer if/else arm than the one running: no check needed. */
function emitRefund(w: ByteWriter, amount: number, locals: MeterLocals): void {
  emitSource(w, locals, false);
  w.byte(Op.I64Const).sleb(amount).byte(Op.I64Add);
  if (locals.globalOnly) w.byte(Op.GlobalSet).u32(locals.fuelGlobal);
  else w.byte(Op.LocalSet).u32(locals.fuel);
}

/** Pushes the remaining fuel: the cached local, or the global where the cache may be stale or is not used. */
function emitSource(w: ByteWriter, locals: MeterLocals, reload: boolean): void {
  if (reload || locals.globalOnly) w.byte(Op.GlobalGet).u32(locals.fuelGlobal);
  else w.byte(Op.LocalGet).u32(locals.fuel);
}

function emitScale(w: ByteWriter, unit: BulkUnit): void {
  if (unit === 'bytes') w.byte(Op.I64Const).sleb(BYTES_PER_FUEL_SHIFT).byte(Op.I64ShrU);
  if (unit === 'pages') w.byte(Op.I64Const).sleb(FUEL_PER_PAGE_SHIFT).byte(Op.I64Shl);
}

/** [fuel, cost] → []: stores fuel − cost and traps (with the global negative) when it went below zero. */
function emitSubtractAndCheck(w: ByteWriter, locals: MeterLocals): void {
  w.byte(Op.I64Sub).byte(Op.LocalTee).u32(locals.fuel);
  if (locals.globalOnly) w.byte(Op.GlobalSet).u32(locals.fuelGlobal).byte(Op.LocalGet).u32(locals.fuel);
  w.byte(Op.I64Const).byte(0).byte(Op.I64LtS).byte(Op.If).byte(Op.EmptyBlockType);
  if (!locals.globalOnly) w.byte(Op.LocalGet).u32(locals.fuel).byte(Op.GlobalSet).u32(locals.fuelGlobal);
  w.byte(Op.Unreachable).byte(Op.End);
}
