// Plans the fuel metering of one function body: its basic blocks and their costs (small ones folded into a parent),
// where cached fuel is written back, and which bulk operations are charged by size. Checks block structure; never writes code.

import { ByteReader } from './byte-reader';
import type { CallPlan } from './call-plan';
import { E_END, E_FLOW, E_INDEX, E_LABEL_COUNT, E_LABELS, E_OFFSET, E_OPCODE, E_PLAIN_BEFORE, E_SUB_OPCODE, type CodeScan } from './code-scan';
import {
  F_BLOCK, F_BR, F_BR_IF, F_BR_TABLE, F_CALL, F_CATCH, F_DELEGATE, F_ELSE, F_END, F_IF, F_LOOP,
  F_MEMORY_GROW, F_BULK, F_PLAIN, F_REF_FUNC, F_RETHROW, F_RETURN, F_RETURN_CALL, F_THROW, F_TRY, F_TRY_TABLE, F_UNREACHABLE,
} from './code-cursor';
import type { FunctionBody } from './parsed-module';

/** Opcodes of the direct calls (the indirect ones name a type, not a function). */
const CALL = 0x10;
const RETURN_CALL = 0x12;

/**
 * Where a block starts: function entry, loop header, catch handler, just after a call, or after a forward
 * branch point (if/else arm, br_if fall-through, merge after an end).
 */
export type BlockKind = 'entry' | 'loop' | 'catch' | 'call' | 'forward';

/** A straight-line stretch of code whose fuel is charged once, where it starts. */
export interface Block {
  cost: number;
  readonly kind: BlockKind;
  /**
   * A block that always runs before this one, once per run of this one (no loop header in between), or null.
   * A small block's cost is folded into its parent's charge: see foldSmallBlocks.
   */
  readonly parent: Block | null;
  /** Fold into the parent when costing at most this much (0: only when free). */
  readonly foldLimit: number;
  folded: boolean;
  /** On an if's then-arm: its else arm (see hoistArms). */
  sibling: Block | null;
  /** Fuel given back where this folded block starts (a shorter if/else arm whose parent paid for the longer one). */
  refund: number;
}

/**
 * Blocks that may be skipped (if arms, merges after an end, the code after a br_if) are never folded: every fold of
 * one is an over-charge whenever it is skipped, and a short loop run or a recursive call pays it every time
 * (test-support/exact-count.ts measured 14% on recursion and 12% on a C tree walk with the folds of version 1).
 */
const FOLD_SKIPPABLE = 0;
/** Code after a call is skipped only when the callee traps or throws: it folds into the block before the call up to this cost. */
const FOLD_AFTER_CALL = 32;

export type BulkUnit = 'bytes' | 'elements' | 'pages';


/** Code inserted before the instruction at `at`. All variants have the same fields, so V8 sees one object shape. */
export type Patch =
  | { readonly at: number; readonly kind: 'charge'; readonly block: Block; readonly unit: null }
  | { readonly at: number; readonly kind: 'flush'; readonly block: null; readonly unit: null }
  | { readonly at: number; readonly kind: 'bulk'; readonly block: null; readonly unit: BulkUnit };

type FrameKind = 'function' | 'block' | 'loop' | 'if' | 'else' | 'try' | 'catch' | 'tryTable';

interface Frame {
  kind: FrameKind;
  /** Block open when the frame was entered; null when it was entered in dead code. */
  readonly outer: Block | null;
  /** An if's then-arm block (null for other frames or in dead code). */
  thenArm: Block | null;
  /** Earlier arms (then-arm, try body, catch handlers) that reached their end alive. */
  liveArms: number;
  /** A live branch targets this frame's label. */
  targeted: boolean;
  /** Smallest frame index a live exit from inside this frame leaves to (Infinity when none). */
  minTarget: number;
}

export interface Analysis {
  readonly patches: Patch[];
  /** Functions with try_table keep fuel in the global only: its catch clauses land on arbitrary labels. */
  readonly globalOnly: boolean;
  readonly needsTemp: boolean;
}

/**
 * Whether a loop-free function that calls out is cheaper keeping fuel in the global only: a cached local costs a
 * global write before and a read after every call, plus one read on entry and one write on return, while the global
 * costs a read and a write per charge. Each charge of a loop-free function runs at most once per call of it, so
 * with at most one charge more than calls the global costs no more when they all run (recursion, small wrappers
 * around calls; measured: recursion 0.87–0.94× the time of the cached local, see docs/architecture.md).
 * Only where fuel lives changes, never what is charged.
 */
function preferGlobal(blocks: readonly Block[], calls: number, hasLoop: boolean): boolean {
  if (hasLoop || calls === 0) return false;
  let charges = 0;
  for (const block of blocks) if (!block.folded) charges++;
  return charges <= calls + 1;
}

class Analyser {
  readonly patches: Patch[] = [];
  readonly blocks: Block[] = [];
  readonly frames: Frame[] = [];
  /** Scratch for br_table's resolved targets. */
  private readonly targets: number[] = [];
  current: Block | null;
  globalOnly = false;
  needsTemp = false;
  hasLoop = false;
  /** Calls to functions that meter themselves. */
  meteredCalls = 0;

  constructor(
    private readonly r: ByteReader,
    private readonly calls: CallPlan,
    codeStart: number,
  ) {
    this.current = this.startBlock(codeStart, 'entry', null, 0);
    this.frames.push(this.frame('function'));
  }

  /** Accounts for `plainBefore` plain instructions, then for the event `ins`. */
  step(ins: EventView, flow: number, plainBefore: number): void {
    if (this.current !== null) this.current.cost += plainBefore + 1;
    switch (flow) {
      case F_PLAIN:
      case F_REF_FUNC:
        return;
      case F_BLOCK:
        this.frames.push(this.frame('block'));
        return;
      case F_TRY:
        this.frames.push(this.frame('try'));
        return;
      case F_LOOP:
        this.hasLoop = true;
        this.frames.push(this.frame('loop'));
        this.startBlockIfLive(ins.end, 'loop', 0);
        return;
      case F_IF:
        this.frames.push(this.frame('if'));
        this.startBlockIfLive(ins.end, 'forward', FOLD_SKIPPABLE);
        this.top().thenArm = this.current;
        return;
      case F_TRY_TABLE:
        return this.enterTryTable(ins);
      case F_ELSE:
        return this.enterElse(ins);
      case F_CATCH:
        return this.enterCatch(ins);
      case F_END:
      case F_DELEGATE:
        return this.leave(ins, flow);
      case F_BR:
      case F_BR_IF:
        return this.branchInstruction(ins, flow, this.label(ins, ins.index));
      case F_BR_TABLE:
        return this.branchTable(ins);
      case F_RETURN_CALL:
        this.chargeLeafCall(ins);
        return this.exitFunction(ins);
      case F_RETURN:
      case F_THROW:
      case F_RETHROW:
        return this.exitFunction(ins);
      case F_UNREACHABLE:
        this.flush(ins);
        this.current = null;
        return;
      case F_CALL:
        return this.call(ins);
      case F_BULK:
      case F_MEMORY_GROW:
        return this.bulk(ins, flow);
    }
  }

  /** Control leaves the function (or may, for throws): write the cached fuel back; what follows is dead. */
  private exitFunction(ins: EventView): void {
    this.flush(ins);
    this.branch(0);
    this.current = null;
  }

  private frame(kind: FrameKind): Frame {
    return { kind, outer: this.current, thenArm: null, liveArms: 0, targeted: false, minTarget: Infinity };
  }

  private startBlock(at: number, kind: BlockKind, parent: Block | null, foldLimit: number): Block {
    const block: Block = { cost: 0, kind, parent, foldLimit, folded: false, sibling: null, refund: 0 };
    this.blocks.push(block);
    this.patches.push({ at, kind: 'charge', block, unit: null });
    return block;
  }

  /** Starts a new block at `at` when the code before it is alive (else the code there is dead). */
  private startBlockIfLive(at: number, kind: BlockKind, foldLimit: number): void {
    const parent = this.current;
    this.current = parent === null ? null : this.startBlock(at, kind, kind === 'loop' ? null : parent, foldLimit);
  }

  private top(): Frame {
    return this.frames[this.frames.length - 1] as Frame;
  }

  /** Frame index targeted by label `depth`. */
  private label(ins: EventView, depth: number): number {
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

  private flush(ins: EventView): void {
    if (this.current !== null) this.patches.push({ at: ins.offset, kind: 'flush', block: null, unit: null });
  }

  /** br or br_if to frame `target`. */
  private branchInstruction(ins: EventView, flow: number, target: number): void {
    // A branch to the function's own label returns: the cached fuel must be written back first.
    if (target === 0) this.flush(ins);
    this.branch(target);
    if (flow === F_BR_IF) this.startBlockIfLive(ins.end, 'forward', FOLD_SKIPPABLE); // skipped whenever the branch is taken
    else this.current = null;
  }

  private branchTable(ins: EventView): void {
    const targets = this.targets;
    let returns = false;
    for (let i = 0; i < ins.labelCount; i++) {
      const target = this.label(ins, ins.label(i));
      targets[i] = target;
      returns ||= target === 0;
    }
    if (returns) this.flush(ins);
    for (let i = 0; i < ins.labelCount; i++) this.branch(targets[i] as number);
    this.current = null;
  }

  /** A call to a caller-charged leaf is paid for here like any instruction; other callees meter themselves. */
  private call(ins: EventView): void {
    if (this.chargeLeafCall(ins)) return;
    if (this.current !== null) this.meteredCalls++;
    this.flush(ins);
    this.startBlockIfLive(ins.end, 'call', FOLD_AFTER_CALL);
  }

  /** Adds a caller-charged callee's cost to the current block; false when the callee meters itself. */
  private chargeLeafCall(ins: EventView): boolean {
    const cost = callSiteCost(ins, this.calls);
    if (cost !== null && this.current !== null) this.current.cost += cost;
    return cost !== null;
  }

  private bulk(ins: EventView, flow: number): void {
    if (this.current === null) return;
    this.needsTemp = true;
    this.patches.push({ at: ins.offset, kind: 'bulk', block: null, unit: bulkUnit(ins, flow) });
  }

  /** try_table's catch clauses branch (from anywhere in its body) to labels resolved outside it. */
  private enterTryTable(ins: EventView): void {
    this.globalOnly = true;
    const frame = this.frame('tryTable');
    for (let i = 0; i < ins.labelCount; i++) {
      const target = this.label(ins, ins.label(i));
      if (this.current === null) continue;
      (this.frames[target] as Frame).targeted = true;
      frame.minTarget = Math.min(frame.minTarget, target);
    }
    this.frames.push(frame);
  }

  private enterElse(ins: EventView): void {
    const frame = this.top();
    if (frame.kind !== 'if') this.r.fail('else outside an if', ins.offset);
    frame.kind = 'else';
    this.enterArm(frame, ins, 'forward');
    if (frame.thenArm !== null) frame.thenArm.sibling = this.current;
  }

  private enterCatch(ins: EventView): void {
    const frame = this.top();
    if (frame.kind !== 'try' && frame.kind !== 'catch') this.r.fail('catch outside a try', ins.offset);
    frame.kind = 'catch';
    this.enterArm(frame, ins, 'catch');
  }

  /** Ends the previous arm of `frame` and starts the next one (else arm or catch handler). */
  private enterArm(frame: Frame, ins: EventView, kind: 'forward' | 'catch'): void {
    if (this.current !== null) frame.liveArms++;
    const catching = kind === 'catch';
    this.current = frame.outer === null ? null : this.startBlock(ins.end, kind, catching ? null : frame.outer, catching ? 0 : FOLD_SKIPPABLE);
  }

  private leave(ins: EventView, flow: number): void {
    const index = this.frames.length - 1;
    const frame = this.frames.pop() as Frame;
    if (flow === F_DELEGATE && frame.kind !== 'try') this.r.fail('delegate outside a try', ins.offset);
    if (frame.kind === 'function') return this.flush(ins);
    const parent = this.top();
    parent.minTarget = Math.min(parent.minTarget, frame.minTarget);
    if (frame.outer === null) return;
    const incoming = this.incomingPaths(frame);
    if (incoming === 0) this.current = null;
    else if (frame.minTarget >= index) this.current = frame.outer;
    else if (incoming > 1 || this.current === null) this.current = this.startBlock(ins.end, 'forward', frame.outer, FOLD_SKIPPABLE);
  }

  /** How many control paths arrive just after the frame's end (2 stands for "several"). */
  private incomingPaths(frame: Frame): number {
    const fallthrough = this.current === null ? 0 : 1;
    if (frame.kind === 'loop') return fallthrough;
    const implicitElse = frame.kind === 'if' ? 1 : 0;
    return fallthrough + frame.liveArms + implicitElse + (frame.targeted ? 2 : 0);
  }
}

function callSiteCost(ins: EventView, calls: CallPlan): number | null {
  if (ins.opcode === CALL || ins.opcode === RETURN_CALL) return calls.directCost(ins.index);
  return calls.indirectCost(ins.index);
}

function bulkUnit(ins: EventView, flow: number): BulkUnit {
  if (flow === F_MEMORY_GROW) return 'pages';
  const sub = ins.subOpcode; // memory.init, memory.copy, memory.fill
  return sub === 0x08 || sub === 0x0a || sub === 0x0b ? 'bytes' : 'elements';
}

/** One event of a CodeScan (see ./code-scan.ts), as the analyser reads it. */
class EventView {
  offset = 0;
  end = 0;
  opcode = 0;
  subOpcode = 0;
  index = 0;
  labelCount = 0;
  private at = 0;

  constructor(private readonly events: Uint32Array) {}

  /** Points at the record at `at`; returns its flow code. */
  load(at: number): number {
    const events = this.events;
    this.at = at;
    this.offset = events[at + E_OFFSET] as number;
    this.end = events[at + E_END] as number;
    this.opcode = events[at + E_OPCODE] as number;
    this.subOpcode = events[at + E_SUB_OPCODE] as number;
    this.index = events[at + E_INDEX] as number;
    this.labelCount = events[at + E_LABEL_COUNT] as number;
    return events[at + E_FLOW] as number;
  }

  label(i: number): number {
    return this.events[this.at + E_LABELS + i] as number;
  }
}

/** Replays the body's events (see ./code-scan.ts); checks its block structure. */
export function analyse(bytes: Uint8Array, body: FunctionBody, scan: CodeScan, bodyIndex: number, calls: CallPlan): Analysis {
  const r = new ByteReader(bytes, body.codeStart, body.end, `function ${body.funcIndex}`);
  const analyser = new Analyser(r, calls, body.codeStart);
  const { events, eventStarts } = scan;
  const ev = new EventView(events);
  const last = eventStarts[bodyIndex + 1] as number;
  let at = eventStarts[bodyIndex] as number;
  while (analyser.frames.length > 0) {
    if (at >= last) r.truncated(); // the decoder ran out of instructions before the function's end
    const flow = ev.load(at);
    analyser.step(ev, flow, events[at + E_PLAIN_BEFORE] as number);
    at += E_LABELS + ev.labelCount;
  }
  if (at < last || (scan.trailingPlain[bodyIndex] as number) > 0) r.fail('unexpected bytes after the end of the function', ev.end);
  foldSmallBlocks(analyser.blocks);
  const globalOnly = analyser.globalOnly || preferGlobal(analyser.blocks, analyser.meteredCalls, analyser.hasLoop);
  return { patches: analyser.patches, globalOnly, needsTemp: analyser.needsTemp };
}

/**
 * Charges each small block together with its parent instead of checking it separately. Children come after their
 * parents in `blocks`, so walking backwards folds whole chains while no fold exceeds the child's limit: when the
 * branch that skips a folded block is taken, at most that limit is charged for code that did not run.
 */
function foldSmallBlocks(blocks: readonly Block[]): void {
  for (let i = blocks.length - 1; i >= 0; i--) {
    const block = blocks[i] as Block;
    if (block.sibling !== null) hoistArms(block, block.sibling);
    if (block.folded || block.parent === null || block.cost > block.foldLimit) continue;
    block.parent.cost += block.cost;
    block.folded = true;
  }
}

/**
 * An if/else: exactly one arm runs each time the block before the `if` (both arms' parent) reaches it. The parent pays
 * for the longer arm, which then needs no check; the shorter one gives the difference back (no check either: adding
 * fuel cannot run out). Exact, one check fewer per `if`. Called when the walk of foldSmallBlocks reaches the then-arm:
 * both arms' costs are final then (the else arm and every block inside either arm come after it in `blocks`), the
 * parent's is not yet (it comes before).
 */
function hoistArms(thenArm: Block, elseArm: Block): void {
  const parent = thenArm.parent;
  if (parent === null || elseArm.parent !== parent || thenArm.folded || elseArm.folded) return;
  const longer = Math.max(thenArm.cost, elseArm.cost);
  parent.cost += longer;
  for (const arm of [thenArm, elseArm]) {
    arm.refund = longer - arm.cost;
    arm.cost = 0;
    arm.folded = true;
  }
}
