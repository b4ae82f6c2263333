// Decoding of value types, heap types and block types shared by the section reader and the instruction decoder.
// Accepts only the single-byte encodings the engine shares with us; GC and typed-reference types are refused by name.

import type { ByteReader } from './byte-reader';
import type { ValType } from './types';

export type BlockType =
  | { readonly kind: 'empty' }
  | { readonly kind: 'value'; readonly type: ValType }
  | { readonly kind: 'typeIndex'; readonly index: number };

const VALUE_TYPES: ReadonlyMap<number, ValType> = new Map<number, ValType>([
  [0x7f, 'i32'],
  [0x7e, 'i64'],
  [0x7d, 'f32'],
  [0x7c, 'f64'],
  [0x7b, 'v128'],
  [0x70, 'funcref'],
  [0x6f, 'externref'],
  [0x69, 'exnref'],
]);

/** Heap types usable in ref.null, mapped to the nullable reference type they produce. */
const HEAP_TYPES: ReadonlyMap<number, ValType> = new Map<number, ValType>([
  [0x70, 'funcref'],
  [0x6f, 'externref'],
  [0x69, 'exnref'],
]);

const TYPED_REF_CODES = new Set([0x63, 0x64]);
/** any, eq, i31, struct, array, none, noextern, nofunc, noexn; i8 and i16 storage types. */
const GC_CODES = new Set([0x6e, 0x6d, 0x6c, 0x6b, 0x6a, 0x71, 0x72, 0x73, 0x74, 0x78, 0x77]);

const EMPTY_BLOCK: BlockType = { kind: 'empty' };
const VALUE_BLOCKS: ReadonlyMap<number, BlockType> = new Map(
  [...VALUE_TYPES].map(([code, type]) => [code, { kind: 'value', type }] as const),
);

/** Throws the "unsupported" error for a type code of a proposal we refuse, if it is one. */
function refuseProposalType(r: ByteReader, code: number, offset: number): void {
  if (TYPED_REF_CODES.has(code)) r.unsupported(`unsupported type 0x${hex(code)} (typed function references proposal)`, offset);
  if (GC_CODES.has(code)) r.unsupported(`unsupported type 0x${hex(code)} (GC proposal)`, offset);
}

export function readValType(r: ByteReader): ValType {
  const offset = r.pos;
  const code = r.u8();
  const type = VALUE_TYPES.get(code);
  if (type !== undefined) return type;
  refuseProposalType(r, code, offset);
  return r.fail(`invalid value type 0x${hex(code)}`, offset);
}

/** A vector of value types. */
export function readValTypes(r: ByteReader): ValType[] {
  const count = r.u32();
  const types: ValType[] = [];
  for (let i = 0; i < count; i++) types.push(readValType(r));
  return types;
}

/** The heap type of ref.null, as the reference type the instruction pushes. */
export function readHeapType(r: ByteReader): ValType {
  const offset = r.pos;
  const code = r.u8();
  const type = HEAP_TYPES.get(code);
  if (type !== undefined) return type;
  if (code < 0x40) r.unsupported('unsupported concrete heap type (typed function references proposal)', offset);
  refuseProposalType(r, code, offset);
  return r.fail(`invalid heap type 0x${hex(code)}`, offset);
}

export function readBlockType(r: ByteReader): BlockType {
  const offset = r.pos;
  const code = r.u8();
  if (code === 0x40) return EMPTY_BLOCK;
  const valueBlock = VALUE_BLOCKS.get(code);
  if (valueBlock !== undefined) return valueBlock;
  refuseProposalType(r, code, offset);
  if ((code & 0xc0) === 0x40) r.fail(`invalid block type 0x${hex(code)}`, offset);
  r.pos = offset;
  const index = r.s33();
  if (index < 0) r.fail('invalid block type', offset);
  return { kind: 'typeIndex', index };
}

export function hex(value: number): string {
  return value.toString(16).toUpperCase().padStart(2, '0');
}
