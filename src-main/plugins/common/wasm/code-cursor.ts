// Instruction scanner for function bodies that allocates nothing on its fast path: decodes one instruction at a time
// into mutable fields, keeping only what metering and call planning use (control-flow role, first index, labels).
// Accepts and rejects exactly what ./instructions.ts does: anything off its table-driven fast path (prefixed and
// proposal opcodes, long or unusual encodings, every error) is re-read by readInstruction from the same offset.

import type { ByteReader } from './byte-reader';
import { readInstruction, type Instruction } from './instructions';
import { CORE_OPCODES, UNSUPPORTED_CORE_OPCODES, type Flow, type ImmediateShape } from './opcodes';

// Control-flow roles as small integers (the Flow strings of ./opcodes.ts, in the same meaning).
export const F_PLAIN = 0;
export const F_BLOCK = 1;
export const F_LOOP = 2;
export const F_IF = 3;
export const F_ELSE = 4;
export const F_END = 5;
export const F_TRY = 6;
export const F_CATCH = 7;
export const F_DELEGATE = 8;
export const F_TRY_TABLE = 9;
export const F_BR = 10;
export const F_BR_IF = 11;
export const F_BR_TABLE = 12;
export const F_RETURN = 13;
export const F_UNREACHABLE = 14;
export const F_THROW = 15;
export const F_RETHROW = 16;
export const F_CALL = 17;
export const F_RETURN_CALL = 18;
export const F_BULK = 19;
export const F_MEMORY_GROW = 20;
/** ref.func: plain code, told apart because call planning must know every function a body takes a reference to. */
export const F_REF_FUNC = 21;

const FLOW_CODES: Readonly<Record<Flow, number>> = {
  plain: F_PLAIN,
  block: F_BLOCK,
  loop: F_LOOP,
  if: F_IF,
  else: F_ELSE,
  end: F_END,
  try: F_TRY,
  catch: F_CATCH,
  delegate: F_DELEGATE,
  tryTable: F_TRY_TABLE,
  br: F_BR,
  brIf: F_BR_IF,
  brTable: F_BR_TABLE,
  return: F_RETURN,
  unreachable: F_UNREACHABLE,
  throw: F_THROW,
  rethrow: F_RETHROW,
  call: F_CALL,
  returnCall: F_RETURN_CALL,
  bulk: F_BULK,
  memoryGrow: F_MEMORY_GROW,
};

/** The flow code of a Flow (ref.func, though plain, has its own: F_REF_FUNC). */
export function flowCode(flow: Flow): number {
  return FLOW_CODES[flow];
}

/** Whether each flow code may appear in a caller-charged leaf (see ./call-plan.ts), indexed by flow code. */
export function flowSet(flows: readonly Flow[]): Uint8Array {
  const set = new Uint8Array(F_REF_FUNC + 1);
  for (const flow of flows) set[FLOW_CODES[flow]] = 1;
  set[F_REF_FUNC] = set[F_PLAIN] as number;
  return set;
}

const REF_FUNC = 0xd2;

// Immediate shapes handled without readInstruction; SLOW sends the opcode through it.
const SLOW = 0;
const NONE = 1;
const INDEX = 2;
const INDEX_PAIR = 3;
const MEMARG = 4;
const I32 = 5;
const I64 = 6;
const F32 = 7;
const F64 = 8;
const BLOCK_TYPE = 9;
const BR_TABLE = 10;
const MEMORY = 11;

const FAST_SHAPES: Partial<Record<ImmediateShape, number>> = {
  none: NONE,
  index: INDEX,
  indexPair: INDEX_PAIR,
  memarg: MEMARG,
  i32: I32,
  i64: I64,
  f32: F32,
  f64: F64,
  blockType: BLOCK_TYPE,
  brTable: BR_TABLE,
  memory: MEMORY,
};

/** Per core opcode: its fast immediate shape (SLOW when none) and its flow code. */
const SHAPE = new Uint8Array(256);
const FLOW = new Uint8Array(256);
for (let code = 0; code < 256; code++) {
  const info = CORE_OPCODES[code];
  if (info === undefined || UNSUPPORTED_CORE_OPCODES.has(code)) continue;
  SHAPE[code] = FAST_SHAPES[info.imm] ?? SLOW;
  FLOW[code] = FLOW_CODES[info.flow];
}
FLOW[REF_FUNC] = F_REF_FUNC;
/**
 * How a scanner may skip a plain instruction without decoding it (see ./code-scan.ts): 0 not at all, else by shape.
 * Only encodings that are always valid are skipped: immediates of one byte (a complete LEB128 below 0x80, an
 * alignment below 0x40) and the fixed-size float constants; anything else goes through CodeCursor.next.
 */
export const SKIP_NONE = 0;
export const SKIP_OPCODE = 1;
export const SKIP_ONE_BYTE = 2;
export const SKIP_MEMARG = 3;
export const SKIP_F32 = 4;
export const SKIP_F64 = 5;
export const PLAIN_SKIP = new Uint8Array(256);
for (let code = 0; code < 256; code++) {
  if (FLOW[code] !== F_PLAIN || SHAPE[code] === SLOW) continue;
  const shape = SHAPE[code] as number;
  if (shape === NONE) PLAIN_SKIP[code] = SKIP_OPCODE;
  else if (shape === INDEX || shape === I32 || shape === I64) PLAIN_SKIP[code] = SKIP_ONE_BYTE;
  else if (shape === MEMARG) PLAIN_SKIP[code] = SKIP_MEMARG;
  else if (shape === F32) PLAIN_SKIP[code] = SKIP_F32;
  else if (shape === F64) PLAIN_SKIP[code] = SKIP_F64;
}

/** Single-byte block types: empty and the value types readBlockType accepts. */
const SIMPLE_BLOCK_TYPES = new Uint8Array(256);
for (const code of [0x40, 0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f, 0x69]) SIMPLE_BLOCK_TYPES[code] = 1;

export class CodeCursor {
  /** Absolute offset of the current instruction's opcode. */
  offset = 0;
  /** Just past the current instruction. */
  end = 0;
  opcode = 0;
  /** Sub-opcode of a prefixed instruction, else -1. */
  subOpcode = -1;
  flow = F_PLAIN;
  /** First index immediate (label depth, function, type of call_indirect, …), else 0. */
  index = 0;
  /** br_table: label depths, default last; try_table: catch clause labels. Valid up to `labelCount`. */
  labels: number[] = [];
  labelCount = 0;

  constructor(readonly r: ByteReader) {}

  /** Decodes the instruction at `r.pos` and moves past it; returns its flow code. */
  next(): number {
    const r = this.r;
    const bytes = r.bytes;
    const offset = r.pos;
    this.offset = offset;
    if (offset >= r.end) return this.slow(offset);
    const opcode = bytes[offset] as number;
    const shape = SHAPE[opcode] as number;
    if (shape === SLOW) return this.slow(offset);
    r.pos = offset + 1;
    this.opcode = opcode;
    this.subOpcode = -1;
    this.index = 0;
    this.labelCount = 0;
    switch (shape) {
      case NONE:
        break;
      case INDEX:
        this.index = r.u32();
        break;
      case INDEX_PAIR:
        this.index = r.u32();
        r.u32();
        break;
      case MEMARG:
        if (r.u32() >= 0x40) return this.slow(offset);
        r.u32();
        break;
      case I32:
        if (!skipSigned(r, 5, 0x78)) return this.slow(offset);
        break;
      case I64:
        if (!skipSigned(r, 10, 0x7f)) return this.slow(offset);
        break;
      case F32:
        if (r.end - r.pos < 4) return this.slow(offset);
        r.pos += 4;
        break;
      case F64:
        if (r.end - r.pos < 8) return this.slow(offset);
        r.pos += 8;
        break;
      case BLOCK_TYPE:
        if (r.pos >= r.end || SIMPLE_BLOCK_TYPES[bytes[r.pos] as number] !== 1) return this.slow(offset);
        r.pos++;
        break;
      case BR_TABLE:
        this.readBrTable();
        break;
      case MEMORY:
        if (r.pos >= r.end || bytes[r.pos] !== 0) return this.slow(offset);
        r.pos++;
        break;
    }
    this.end = r.pos;
    return (this.flow = FLOW[opcode] as number);
  }

  private readBrTable(): void {
    const r = this.r;
    const count = r.u32();
    const labels = this.labels;
    for (let i = 0; i < count; i++) labels[i] = r.u32();
    labels[count] = r.u32();
    this.labelCount = count + 1;
  }

  /** Decodes the instruction at `offset` with the full decoder (which also raises every error). */
  private slow(offset: number): number {
    const r = this.r;
    r.pos = offset;
    const ins = readInstruction(r);
    this.copy(ins);
    return this.flow;
  }

  private copy(ins: Instruction): void {
    this.end = ins.end;
    this.opcode = ins.opcode;
    this.subOpcode = ins.subOpcode;
    this.flow = ins.opcode === REF_FUNC ? F_REF_FUNC : FLOW_CODES[ins.flow];
    this.index = 0;
    this.labelCount = 0;
    const imm = ins.imm;
    if (imm.kind === 'index') this.index = imm.index;
    else if (imm.kind === 'indexPair') this.index = imm.first;
    else if (imm.kind === 'brTable') {
      imm.targets.forEach((target, i) => (this.labels[i] = target));
      this.labels[imm.targets.length] = imm.defaultTarget;
      this.labelCount = imm.targets.length + 1;
    } else if (imm.kind === 'tryTable') {
      imm.catches.forEach((clause, i) => (this.labels[i] = clause.label));
      this.labelCount = imm.catches.length;
    }
  }
}

/**
 * Skips a signed LEB128 integer of at most `maxBytes` bytes whose last possible byte has only the bits of
 * `unusedMask` beyond the value (all clear, or all set for a negative value). Returns false, not moving, when the
 * encoding is overlong, out of range or truncated: the full decoder then reports it.
 */
function skipSigned(r: ByteReader, maxBytes: number, unusedMask: number): boolean {
  const bytes = r.bytes;
  const start = r.pos;
  const limit = Math.min(r.end, start + maxBytes);
  for (let pos = start; pos < limit; pos++) {
    const byte = bytes[pos] as number;
    if (byte < 0x80) {
      if (pos === start + maxBytes - 1) {
        const unused = byte & unusedMask;
        if (unused !== 0 && unused !== unusedMask) return false;
      }
      r.pos = pos + 1;
      return true;
    }
  }
  return false;
}
