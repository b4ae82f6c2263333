// Rewrites one function body so it charges fuel per basic block (cost model and invariants: see ./instrument.ts).
// Copies every original instruction byte-for-byte and only inserts stack-neutral sequences; never reorders or drops code.

import { ByteReader } from './byte-reader';
import type { ByteWriter } from './byte-writer';
import type { CallPlan } from './call-plan';
import { readInstruction, type Instruction } from './instructions';
import { MAX_FUNCTION_LOCALS, type FunctionBody } from './reader';
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
  I64Sub = 0x7d,
  I64Shl = 0x86,
  I64ShrU = 0x88,
  I64ExtendI32U = 0xad,
  EmptyBlockType = 0x40,
  I64 = 0x7e,
  I32 = 0x7f,
}

/**
 * Where a block starts: function entry, loop header, catch handler, just after a call, or after a forward
 * branch point (if/else arm, br_if fall-through, merge after an end).
 */
type BlockKind = 'entry' | 'loop' | 'catch' | 'call' | 'forward';

/** A straight-line stretch of code whose fuel is charged once, where it starts. */
interface Block {
  cost: number;
  readonly kind: BlockKind;
  /**
   * A block that always runs before this one, once per run of this one (no loop header in between), or null.
   * A small block's cost is folded into its parent's charge: see foldSmallBlocks.
   */
  readonly parent: Block | null;
  /** Fold into the parent when costing at most this much (0: never). */
  readonly foldLimit: number;
  folded: boolean;
}

/** Blocks that may be skipped on any iteration (if arms, `continue`-like skips) fold into their parent up to this cost. */
const FOLD_SMALL = 2;
/** Blocks skipped at most once per loop run or call (loop exits, code after a call) fold up to this cost. */
const FOLD_LIKELY = 32;

type BulkUnit = 'bytes' | 'elements' | 'pages';

type Patch =
  | { readonly at: number; readonly kind: 'charge'; readonly block: Block }
  | { readonly at: number; readonly kind: 'flush' }
  | { readonly at: number; readonly kind: 'bulk'; readonly unit: BulkUnit };

type FrameKind = 'function' | 'block' | 'loop' | 'if' | 'else' | 'try' | 'catch' | 'tryTable';

interface Frame {
  kind: FrameKind;
  /** Block open when the frame was entered; null when it was entered in dead code. */
  readonly outer: Block | null;
  /** Earlier arms (then-arm, try body, catch handlers) that reached their end alive. */
  liveArms: number;
  /** A live branch targets this frame's label. */
  targeted: boolean;
  /** Smallest frame index a live exit from inside this frame leaves to (Infinity when none). */
  minTarget: number;
}

interface Analysis {
  readonly patches: Patch[];
  /** Functions with try_table keep fuel in the global only: its catch clauses land on arbitrary labels. */
  readonly globalOnly: boolean;
  readonly needsTemp: boolean;
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
 * for it; `scratch` is reused between calls.
 */
export function meterFunction(
  bytes: Uint8Array,
  body: FunctionBody,
  paramCount: number,
  fuelGlobal: number,
  calls: CallPlan,
  out: ByteWriter,
  scratch: ByteWriter,
): void {
  const analysis = analyse(bytes, body, calls); // also checks the body's structure, for caller-charged leaves too
  if (calls.callerCharged.has(body.funcIndex)) {
    out.u32(body.end - body.start).bytes(bytes.subarray(body.start, body.end));
    return;
  }
  const added = analysis.needsTemp ? 2 : 1;
  if (paramCount + body.localCount + added > MAX_FUNCTION_LOCALS) {
    throw new WasmLoadError(`function ${body.funcIndex} has too many locals to add fuel metering`);
  }
  const fuel = paramCount + body.localCount;
  const locals: MeterLocals = { fuel, temp: fuel + 1, fuelGlobal, globalOnly: analysis.globalOnly };
  scratch.reset();
  scratch.u32(body.localGroupCount + added).bytes(bytes.subarray(body.localGroupsStart, body.codeStart));
  scratch.bytes([1, Op.I64]);
  if (analysis.needsTemp) scratch.bytes([1, Op.I32]);
  let copied = body.codeStart;
  for (const patch of analysis.patches) {
    scratch.bytes(bytes.subarray(copied, patch.at));
    copied = patch.at;
    emitPatch(scratch, patch, locals);
  }
  scratch.bytes(bytes.subarray(copied, body.end));
  out.u32(scratch.size).bytes(scratch.finish());
}

class Analyser {
  readonly patches: Patch[] = [];
  readonly blocks: Block[] = [];
  readonly frames: Frame[] = [];
  current: Block | null;
  globalOnly = false;
  needsTemp = false;

  constructor(
    private readonly r: ByteReader,
    private readonly calls: CallPlan,
    codeStart: number,
  ) {
    this.current = this.startBlock(codeStart, 'entry', null, 0);
    this.frames.push(this.frame('function'));
  }

  step(ins: Instruction): void {
    if (this.current !== null) this.current.cost++;
    switch (ins.flow) {
      case 'plain':
        return;
      case 'block':
      case 'try':
        this.frames.push(this.frame(ins.flow));
        return;
      case 'loop':
        this.frames.push(this.frame('loop'));
        this.startBlockIfLive(ins.end, 'loop', 0);
        return;
      case 'if':
        this.frames.push(this.frame('if'));
        this.startBlockIfLive(ins.end, 'forward', FOLD_SMALL);
        return;
      case 'tryTable':
        return this.enterTryTable(ins);
      case 'else':
        return this.enterElse(ins);
      case 'catch':
        return this.enterCatch(ins);
      case 'end':
      case 'delegate':
        return this.leave(ins);
      case 'br':
      case 'brIf':
      case 'brTable':
        return this.branchInstruction(ins);
      case 'returnCall':
        this.chargeLeafCall(ins);
        return this.exitFunction(ins);
      case 'return':
      case 'throw':
      case 'rethrow':
        return this.exitFunction(ins);
      case 'unreachable':
        this.flush(ins);
        this.current = null;
        return;
      case 'call':
        return this.call(ins);
      case 'bulk':
      case 'memoryGrow':
        return this.bulk(ins);
    }
  }

  /** Control leaves the function (or may, for throws): write the cached fuel back; what follows is dead. */
  private exitFunction(ins: Instruction): void {
    this.flush(ins);
    this.branch(0);
    this.current = null;
  }

  private frame(kind: FrameKind): Frame {
    return { kind, outer: this.current, liveArms: 0, targeted: false, minTarget: Infinity };
  }

  private startBlock(at: number, kind: BlockKind, parent: Block | null, foldLimit: number): Block {
    const block: Block = { cost: 0, kind, parent, foldLimit, folded: false };
    this.blocks.push(block);
    this.patches.push({ at, kind: 'charge', block });
    return block;
  }

  /** Starts a new block at `at` when the code before it is alive (else the code there is dead). */
  private startBlockIfLive(at: number, kind: BlockKind, foldLimit: number): void {
    const parent = this.current;
    this.current = parent === null ? null : this.startBlock(at, kind, kind === 'loop' ? null : parent, foldLimit);
  }

  /**
   * The code after a br_if runs unless the branch is taken. A loop back-edge is usually taken: never fold.
   * A branch out of the innermost loop (or in loop-free code) is taken at most once per loop run: fold generously.
   * Anything else (a `continue`-like skip) may be taken every iteration: fold only tiny blocks.
   */
  private fallThroughFoldLimit(target: number): number {
    const innermostLoop = this.innermostLoop();
    if ((this.frames[target] as Frame).kind === 'loop') return 0;
    return target < innermostLoop ? FOLD_LIKELY : FOLD_SMALL;
  }

  private innermostLoop(): number {
    for (let i = this.frames.length - 1; i >= 0; i--) if ((this.frames[i] as Frame).kind === 'loop') return i;
    return Infinity;
  }

  private top(): Frame {
    return this.frames[this.frames.length - 1] as Frame;
  }

  /** Frame index targeted by label `depth`. */
  private label(ins: Instruction, depth: number): number {
    const index = this.frames.length - 1 - depth;
    if (index < 0) this.r.fail(`branch depth ${depth} exceeds the block nesting`, ins.offset);
    return index;
  }

  private branch(target: number): void {
    if (this.current === null) return;
    (this.frames[target] as Frame).targeted = true;
    const top = this.top();
    top.minTarget = Math.min(top.minTarget, target);
  }

  private flush(ins: Instruction): void {
    if (this.current !== null) this.patches.push({ at: ins.offset, kind: 'flush' });
  }

  private branchInstruction(ins: Instruction): void {
    const depths = ins.imm.kind === 'brTable' ? [...ins.imm.targets, ins.imm.defaultTarget] : [indexOf(ins)];
    const targets = depths.map((depth) => this.label(ins, depth));
    // A branch to the function's own label returns: the cached fuel must be written back first.
    if (targets.includes(0)) this.flush(ins);
    for (const target of targets) this.branch(target);
    if (ins.flow === 'brIf') this.startBlockIfLive(ins.end, 'forward', this.fallThroughFoldLimit(targets[0] as number));
    else this.current = null;
  }

  /** A call to a caller-charged leaf is paid for here like any instruction; other callees meter themselves. */
  private call(ins: Instruction): void {
    if (this.chargeLeafCall(ins)) return;
    this.flush(ins);
    this.startBlockIfLive(ins.end, 'call', FOLD_LIKELY);
  }

  /** Adds a caller-charged callee's cost to the current block; false when the callee meters itself. */
  private chargeLeafCall(ins: Instruction): boolean {
    const cost = callSiteCost(ins, this.calls);
    if (cost !== null && this.current !== null) this.current.cost += cost;
    return cost !== null;
  }

  private bulk(ins: Instruction): void {
    if (this.current === null) return;
    this.needsTemp = true;
    this.patches.push({ at: ins.offset, kind: 'bulk', unit: bulkUnit(ins) });
  }

  /** try_table's catch clauses branch (from anywhere in its body) to labels resolved outside it. */
  private enterTryTable(ins: Instruction): void {
    this.globalOnly = true;
    const frame = this.frame('tryTable');
    const catches = ins.imm.kind === 'tryTable' ? ins.imm.catches : [];
    for (const clause of catches) {
      const target = this.label(ins, clause.label);
      if (this.current === null) continue;
      (this.frames[target] as Frame).targeted = true;
      frame.minTarget = Math.min(frame.minTarget, target);
    }
    this.frames.push(frame);
  }

  private enterElse(ins: Instruction): void {
    const frame = this.top();
    if (frame.kind !== 'if') this.r.fail('else outside an if', ins.offset);
    frame.kind = 'else';
    this.enterArm(frame, ins, 'forward');
  }

  private enterCatch(ins: Instruction): void {
    const frame = this.top();
    if (frame.kind !== 'try' && frame.kind !== 'catch') this.r.fail('catch outside a try', ins.offset);
    frame.kind = 'catch';
    this.enterArm(frame, ins, 'catch');
  }

  /** Ends the previous arm of `frame` and starts the next one (else arm or catch handler). */
  private enterArm(frame: Frame, ins: Instruction, kind: 'forward' | 'catch'): void {
    if (this.current !== null) frame.liveArms++;
    const [parent, foldLimit] = kind === 'catch' ? [null, 0] : [frame.outer, FOLD_SMALL];
    this.current = frame.outer === null ? null : this.startBlock(ins.end, kind, parent, foldLimit);
  }

  private leave(ins: Instruction): void {
    const index = this.frames.length - 1;
    const frame = this.frames.pop() as Frame;
    if (ins.flow === 'delegate' && frame.kind !== 'try') this.r.fail('delegate outside a try', ins.offset);
    if (frame.kind === 'function') return this.flush(ins);
    const parent = this.top();
    parent.minTarget = Math.min(parent.minTarget, frame.minTarget);
    if (frame.outer === null) return;
    const incoming = this.incomingPaths(frame);
    if (incoming === 0) this.current = null;
    else if (frame.minTarget >= index) this.current = frame.outer;
    else if (incoming > 1 || this.current === null) this.current = this.startBlock(ins.end, 'forward', frame.outer, FOLD_SMALL);
  }

  /** How many control paths arrive just after the frame's end (2 stands for "several"). */
  private incomingPaths(frame: Frame): number {
    const fallthrough = this.current === null ? 0 : 1;
    if (frame.kind === 'loop') return fallthrough;
    const implicitElse = frame.kind === 'if' ? 1 : 0;
    return fallthrough + frame.liveArms + implicitElse + (frame.targeted ? 2 : 0);
  }
}

function indexOf(ins: Instruction): number {
  return ins.imm.kind === 'index' ? ins.imm.index : 0;
}

function callSiteCost(ins: Instruction, calls: CallPlan): number | null {
  if (ins.imm.kind === 'index') return calls.directCost(ins.imm.index);
  if (ins.imm.kind === 'indexPair') return calls.indirectCost(ins.imm.first);
  return null;
}

function bulkUnit(ins: Instruction): BulkUnit {
  if (ins.flow === 'memoryGrow') return 'pages';
  const memoryOps = [0x08, 0x0a, 0x0b]; // memory.init, memory.copy, memory.fill
  return memoryOps.includes(ins.subOpcode) ? 'bytes' : 'elements';
}

function analyse(bytes: Uint8Array, body: FunctionBody, calls: CallPlan): Analysis {
  const r = new ByteReader(bytes, body.codeStart, body.end, `function ${body.funcIndex}`);
  const analyser = new Analyser(r, calls, body.codeStart);
  while (analyser.frames.length > 0) {
    analyser.step(readInstruction(r));
  }
  if (!r.atEnd()) r.fail('unexpected bytes after the end of the function');
  foldSmallBlocks(analyser.blocks);
  return { patches: analyser.patches, globalOnly: analyser.globalOnly, needsTemp: analyser.needsTemp };
}

/**
 * Charges each small block together with its parent instead of checking it separately. Children come after their
 * parents in `blocks`, so walking backwards folds whole chains while no fold exceeds the child's limit: when the
 * branch that skips a folded block is taken, at most that limit is charged for code that did not run.
 */
function foldSmallBlocks(blocks: readonly Block[]): void {
  for (let i = blocks.length - 1; i >= 0; i--) {
    const block = blocks[i] as Block;
    if (block.parent === null || block.cost > block.foldLimit) continue;
    block.parent.cost += block.cost;
    block.folded = true;
  }
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
    return;
  }
  emitSource(w, locals, reload);
  w.byte(Op.I64Const).s64(BigInt(block.cost));
  emitSubtractAndCheck(w, locals);
}

/** Pushes the remaining fuel: the cached local, or the global where the cache may be stale or is not used. */
function emitSource(w: ByteWriter, locals: MeterLocals, reload: boolean): void {
  if (reload || locals.globalOnly) w.byte(Op.GlobalGet).u32(locals.fuelGlobal);
  else w.byte(Op.LocalGet).u32(locals.fuel);
}

function emitScale(w: ByteWriter, unit: BulkUnit): void {
  if (unit === 'bytes') w.byte(Op.I64Const).s64(BigInt(BYTES_PER_FUEL_SHIFT)).byte(Op.I64ShrU);
  if (unit === 'pages') w.byte(Op.I64Const).s64(BigInt(FUEL_PER_PAGE_SHIFT)).byte(Op.I64Shl);
}

/** [fuel, cost] → []: stores fuel − cost and traps (with the global negative) when it went below zero. */
function emitSubtractAndCheck(w: ByteWriter, locals: MeterLocals): void {
  w.byte(Op.I64Sub).byte(Op.LocalTee).u32(locals.fuel);
  if (locals.globalOnly) w.byte(Op.GlobalSet).u32(locals.fuelGlobal).byte(Op.LocalGet).u32(locals.fuel);
  w.byte(Op.I64Const).byte(0).byte(Op.I64LtS).byte(Op.If).byte(Op.EmptyBlockType);
  if (!locals.globalOnly) w.byte(Op.LocalGet).u32(locals.fuel).byte(Op.GlobalSet).u32(locals.fuelGlobal);
  w.byte(Op.Unreachable).byte(Op.End);
}
