// Opcode tables: for every instruction the engine accepts, the shape of its immediates and its control-flow role.
// An opcode missing from these tables is never guessed at: the decoder rejects it (see ./instructions.ts).

/** What an instruction does to control flow; drives fuel metering. */
export type Flow =
  | 'plain'
  | 'block'
  | 'loop'
  | 'if'
  | 'else'
  | 'end'
  | 'try'
  | 'catch'
  | 'delegate'
  | 'tryTable'
  | 'br'
  | 'brIf'
  | 'brTable'
  | 'return'
  | 'unreachable'
  | 'throw'
  | 'rethrow'
  | 'call'
  | 'returnCall'
  /** memory.fill/copy/init, table.fill/copy/init/grow: an i32 element/byte count is on top of the stack. */
  | 'bulk'
  /** memory.grow: an i32 page count is on top of the stack. */
  | 'memoryGrow';

/** How the immediates following an opcode are encoded. */
export type ImmediateShape =
  | 'none'
  | 'blockType'
  /** One u32: label depth, function, local, global, table, tag, data or element index. */
  | 'index'
  /** Two u32s: call_indirect (type, table), table.init (elem, table), table.copy (dst, src). */
  | 'indexPair'
  | 'brTable'
  | 'memarg'
  | 'memargLane'
  | 'i32'
  | 'i64'
  | 'f32'
  | 'f64'
  | 'v128'
  | 'shuffle'
  | 'lane'
  | 'selectTypes'
  | 'refNull'
  | 'tryTable'
  /** One memory index (must be 0 without multi-memory). */
  | 'memory'
  /** memory.copy: two memory indices. */
  | 'memoryPair'
  /** memory.init: a data index, then a memory index. */
  | 'dataMemory'
  /** atomic.fence: one reserved zero byte. */
  | 'zeroByte';

export interface OpcodeInfo {
  readonly imm: ImmediateShape;
  readonly flow: Flow;
}

const PREFIX_GC = 0xfb;
const PREFIX_MISC = 0xfc;
const PREFIX_SIMD = 0xfd;
const PREFIX_ATOMIC = 0xfe;

type Table = (OpcodeInfo | undefined)[];

function op(imm: ImmediateShape, flow: Flow = 'plain'): OpcodeInfo {
  return { imm, flow };
}

function fill(table: Table, from: number, to: number, info: OpcodeInfo): void {
  for (let code = from; code <= to; code++) table[code] = info;
}

function buildCore(): Table {
  const t: Table = [];
  const none = op('none');
  t[0x00] = op('none', 'unreachable');
  t[0x01] = none;
  t[0x02] = op('blockType', 'block');
  t[0x03] = op('blockType', 'loop');
  t[0x04] = op('blockType', 'if');
  t[0x05] = op('none', 'else');
  t[0x06] = op('blockType', 'try');
  t[0x07] = op('index', 'catch');
  t[0x08] = op('index', 'throw');
  t[0x09] = op('index', 'rethrow');
  t[0x0a] = op('none', 'throw'); // throw_ref
  t[0x0b] = op('none', 'end');
  t[0x0c] = op('index', 'br');
  t[0x0d] = op('index', 'brIf');
  t[0x0e] = op('brTable', 'brTable');
  t[0x0f] = op('none', 'return');
  t[0x10] = op('index', 'call');
  t[0x11] = op('indexPair', 'call');
  t[0x12] = op('index', 'returnCall');
  t[0x13] = op('indexPair', 'returnCall');
  t[0x18] = op('index', 'delegate');
  t[0x19] = op('none', 'catch'); // catch_all
  t[0x1a] = none; // drop
  t[0x1b] = none; // select
  t[0x1c] = op('selectTypes');
  t[0x1f] = op('tryTable', 'tryTable');
  fill(t, 0x20, 0x26, op('index')); // local.get … global.set, table.get, table.set
  fill(t, 0x28, 0x3e, op('memarg')); // loads and stores
  t[0x3f] = op('memory'); // memory.size
  t[0x40] = op('memory', 'memoryGrow');
  t[0x41] = op('i32');
  t[0x42] = op('i64');
  t[0x43] = op('f32');
  t[0x44] = op('f64');
  fill(t, 0x45, 0xc4, none); // numeric MVP and sign-extension
  t[0xd0] = op('refNull');
  t[0xd1] = none; // ref.is_null
  t[0xd2] = op('index'); // ref.func
  return t;
}

function buildMisc(): Table {
  const t: Table = [];
  fill(t, 0x00, 0x07, op('none')); // non-trapping float-to-int
  t[0x08] = op('dataMemory', 'bulk'); // memory.init
  t[0x09] = op('index'); // data.drop
  t[0x0a] = op('memoryPair', 'bulk'); // memory.copy
  t[0x0b] = op('memory', 'bulk'); // memory.fill
  t[0x0c] = op('indexPair', 'bulk'); // table.init
  t[0x0d] = op('index'); // elem.drop
  t[0x0e] = op('indexPair', 'bulk'); // table.copy
  t[0x0f] = op('index', 'bulk'); // table.grow
  t[0x10] = op('index'); // table.size
  t[0x11] = op('index', 'bulk'); // table.fill
  return t;
}

/** Sub-opcodes in 0x0E–0xFF that the SIMD proposal leaves unassigned. */
const SIMD_GAPS = [
  0x9a, 0xa2, 0xa5, 0xa6, 0xaf, 0xb0, 0xb2, 0xb3, 0xb4, 0xbb, 0xc2, 0xc5, 0xc6, 0xcf, 0xd0, 0xd2, 0xd3, 0xd4, 0xe2, 0xee,
];

function buildSimd(): Table {
  const t: Table = [];
  fill(t, 0x00, 0x0b, op('memarg')); // v128.load*, v128.store
  t[0x0c] = op('v128');
  t[0x0d] = op('shuffle');
  fill(t, 0x0e, 0xff, op('none'));
  fill(t, 0x15, 0x22, op('lane')); // extract_lane / replace_lane
  fill(t, 0x54, 0x5b, op('memargLane')); // load*_lane / store*_lane
  fill(t, 0x5c, 0x5d, op('memarg')); // load32_zero / load64_zero
  for (const gap of SIMD_GAPS) t[gap] = undefined;
  fill(t, 0x100, 0x113, op('none')); // relaxed SIMD
  return t;
}

function buildAtomic(): Table {
  const t: Table = [];
  fill(t, 0x00, 0x02, op('memarg')); // notify, wait32, wait64
  t[0x03] = op('zeroByte'); // atomic.fence
  fill(t, 0x10, 0x4e, op('memarg')); // atomic loads, stores, read-modify-writes
  return t;
}

export const CORE_OPCODES: readonly (OpcodeInfo | undefined)[] = buildCore();

export const PREFIXED_OPCODES: ReadonlyMap<number, readonly (OpcodeInfo | undefined)[]> = new Map([
  [PREFIX_MISC, buildMisc()],
  [PREFIX_SIMD, buildSimd()],
  [PREFIX_ATOMIC, buildAtomic()],
]);

/** Opcodes of proposals the engine may know but this module refuses, with the proposal's name. */
export const UNSUPPORTED_CORE_OPCODES: ReadonlyMap<number, string> = new Map([
  [0x14, 'typed function references proposal'], // call_ref
  [0x15, 'typed function references proposal'], // return_call_ref
  [0xd3, 'GC proposal'], // ref.eq
  [0xd4, 'typed function references proposal'], // ref.as_non_null
  [0xd5, 'typed function references proposal'], // br_on_null
  [0xd6, 'typed function references proposal'], // br_on_non_null
  [0xe0, 'stack switching proposal'],
  [0xe1, 'stack switching proposal'],
  [0xe2, 'stack switching proposal'],
  [0xe3, 'stack switching proposal'],
  [0xe4, 'stack switching proposal'],
  [0xe5, 'stack switching proposal'],
  [0xe6, 'stack switching proposal'],
  [PREFIX_GC, 'GC proposal'],
]);
