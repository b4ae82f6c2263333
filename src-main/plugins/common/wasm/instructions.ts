// Decoder for single WebAssembly instructions and constant expressions, with fully decoded immediates.
// Never skips an opcode it does not know: unknown opcodes are malformed, known-but-refused proposals are named.

import type { ByteReader } from './byte-reader';
import {
  CORE_OPCODES,
  PREFIXED_OPCODES,
  UNSUPPORTED_CORE_OPCODES,
  type Flow,
  type ImmediateShape,
} from './opcodes';
import type { ValType } from './types';
import { hex, readBlockType, readHeapType, readValTypes, type BlockType } from './value-types';

export interface MemArg {
  /** log2 of the alignment hint. */
  readonly align: number;
  readonly offset: number;
}

export interface CatchClause {
  readonly kind: 'catch' | 'catchRef' | 'catchAll' | 'catchAllRef';
  /** Tag index, or null for catch_all clauses. */
  readonly tag: number | null;
  /** Label depth, relative to the block enclosing the try_table. */
  readonly label: number;
}

export type Immediate =
  | { readonly kind: 'none' }
  | { readonly kind: 'blockType'; readonly blockType: BlockType }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'indexPair'; readonly first: number; readonly second: number }
  | { readonly kind: 'brTable'; readonly targets: readonly number[]; readonly defaultTarget: number }
  | { readonly kind: 'memarg'; readonly memarg: MemArg; readonly lane: number | null }
  | { readonly kind: 'i32'; readonly value: number }
  | { readonly kind: 'i64'; readonly value: bigint }
  /** Raw bytes of f32/f64/v128 constants and i8x16.shuffle lane indices. */
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  | { readonly kind: 'lane'; readonly lane: number }
  | { readonly kind: 'valTypes'; readonly types: readonly ValType[] }
  | { readonly kind: 'refType'; readonly type: ValType }
  | { readonly kind: 'tryTable'; readonly blockType: BlockType; readonly catches: readonly CatchClause[] };

export interface Instruction {
  /** Absolute byte offset of the opcode. */
  readonly offset: number;
  /** Absolute byte offset just past the immediates. */
  readonly end: number;
  /** First opcode byte; 0xFC/0xFD/0xFE for prefixed instructions. */
  readonly opcode: number;
  /** Sub-opcode of a prefixed instruction, else -1. */
  readonly subOpcode: number;
  readonly flow: Flow;
  readonly imm: Immediate;
}

const NONE: Immediate = { kind: 'none' };
const CATCH_KINDS = ['catch', 'catchRef', 'catchAll', 'catchAllRef'] as const;

/** Reads one instruction at `r.pos`. */
export function readInstruction(r: ByteReader): Instruction {
  const offset = r.pos;
  const opcode = r.u8();
  const refused = UNSUPPORTED_CORE_OPCODES.get(opcode);
  if (refused !== undefined) refuse(r, opcode, refused, offset);
  const table = PREFIXED_OPCODES.get(opcode);
  const subOpcode = table === undefined ? -1 : r.u32();
  const info = table === undefined ? CORE_OPCODES[opcode] : table[subOpcode];
  if (info === undefined) {
    const code = subOpcode < 0 ? `0x${hex(opcode)}` : `0x${hex(opcode)} 0x${hex(subOpcode)}`;
    return r.fail(`unknown instruction ${code}`, offset);
  }
  const imm = readImmediate(r, info.imm);
  return { offset, end: r.pos, opcode, subOpcode, flow: info.flow, imm };
}

function refuse(r: ByteReader, opcode: number, proposal: string, offset: number): never {
  const isPrefix = opcode >= 0xfb;
  const sub = isPrefix && !r.atEnd() ? ` 0x${hex(r.u32())}` : '';
  return r.unsupported(`unsupported instruction 0x${hex(opcode)}${sub} (${proposal})`, offset);
}

function readImmediate(r: ByteReader, shape: ImmediateShape): Immediate {
  switch (shape) {
    case 'none':
      return NONE;
    case 'blockType':
      return { kind: 'blockType', blockType: readBlockType(r) };
    case 'index':
      return { kind: 'index', index: r.u32() };
    case 'indexPair':
      return { kind: 'indexPair', first: r.u32(), second: r.u32() };
    case 'brTable':
      return readBrTable(r);
    case 'memarg':
      return { kind: 'memarg', memarg: readMemArg(r), lane: null };
    case 'memargLane':
      return { kind: 'memarg', memarg: readMemArg(r), lane: r.u8() };
    case 'i32':
      return { kind: 'i32', value: r.s32() };
    case 'i64':
      return { kind: 'i64', value: r.s64() };
    case 'f32':
      return { kind: 'bytes', bytes: r.take(4) };
    case 'f64':
      return { kind: 'bytes', bytes: r.take(8) };
    case 'v128':
    case 'shuffle':
      return { kind: 'bytes', bytes: r.take(16) };
    case 'lane':
      return { kind: 'lane', lane: r.u8() };
    case 'selectTypes':
      return { kind: 'valTypes', types: readValTypes(r) };
    case 'refNull':
      return { kind: 'refType', type: readHeapType(r) };
    case 'tryTable':
      return readTryTable(r);
    case 'memory':
      readMemoryIndex(r);
      return NONE;
    case 'memoryPair':
      readMemoryIndex(r);
      readMemoryIndex(r);
      return NONE;
    case 'dataMemory': {
      const index = r.u32();
      readMemoryIndex(r);
      return { kind: 'index', index };
    }
    case 'zeroByte':
      if (r.u8() !== 0) r.fail('expected a zero byte', r.pos - 1);
      return NONE;
  }
}

function readBrTable(r: ByteReader): Immediate {
  const count = r.u32();
  const targets: number[] = [];
  for (let i = 0; i < count; i++) targets.push(r.u32());
  return { kind: 'brTable', targets, defaultTarget: r.u32() };
}

function readMemArg(r: ByteReader): MemArg {
  const offset = r.pos;
  const align = r.u32();
  if (align >= 0x40) {
    if (align < 0x80) r.unsupported('unsupported memory index in memory access (multi-memory proposal)', offset);
    r.fail(`invalid alignment ${align}`, offset);
  }
  return { align, offset: r.u32() };
}

function readMemoryIndex(r: ByteReader): void {
  const offset = r.pos;
  if (r.u32() !== 0) r.unsupported('unsupported memory index other than 0 (multi-memory proposal)', offset);
}

function readTryTable(r: ByteReader): Immediate {
  const blockType = readBlockType(r);
  const count = r.u32();
  const catches: CatchClause[] = [];
  for (let i = 0; i < count; i++) {
    const offset = r.pos;
    const kind = CATCH_KINDS[r.u8()];
    if (kind === undefined) return r.fail('invalid catch clause kind', offset);
    const tag = kind === 'catch' || kind === 'catchRef' ? r.u32() : null;
    catches.push({ kind, tag, label: r.u32() });
  }
  return { kind: 'tryTable', blockType, catches };
}

/** Instructions allowed in constant expressions (including the extended-const proposal). */
const CONSTANT_OPCODES = new Set([0x23, 0x41, 0x42, 0x43, 0x44, 0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e, 0xd0, 0xd2]);
const V128_CONST = 0x0c;

/** Reads a constant expression up to and including its `end`; returns the instructions before `end`. */
export function readConstExpr(r: ByteReader): Instruction[] {
  const body: Instruction[] = [];
  for (;;) {
    const instruction = readInstruction(r);
    if (instruction.flow === 'end') return body;
    if (!isConstant(instruction)) {
      return r.fail(`instruction 0x${hex(instruction.opcode)} is not allowed in a constant expression`, instruction.offset);
    }
    body.push(instruction);
  }
}

function isConstant(instruction: Instruction): boolean {
  if (instruction.subOpcode >= 0) return instruction.opcode === 0xfd && instruction.subOpcode === V128_CONST;
  return CONSTANT_OPCODES.has(instruction.opcode);
}

