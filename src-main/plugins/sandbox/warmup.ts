// Warms a spare sandbox while it waits for a plugin: runs the module inspector and instrumenter (and V8's
// wasm compiler) on a synthetic module so the first real load is not spent in cold, unoptimised code.
// Runs only generated code of its own; stops as soon as real work arrives.
import { createHash } from 'node:crypto';
import { checkAbi } from '../common/abi-check';
import { inspectModule } from '../common/wasm/inspect';
import { instrumentModule } from '../common/wasm/instrument';
import { ByteWriter } from '../common/wasm/byte-writer';

const I32 = 0x7f;
const I64 = 0x7e;
const F64 = 0x7c;
const FUNCREF = 0x70;
const EMPTY = 0x40;
/** Small loop-free helpers (callers pay for them); all but the last, which calls the first, sit in the table. */
const LEAVES = 4;
/** Defined functions before the leaves: alloc, _initialize, init, dealloc, execute. */
const FIXED = 5;
/** Function index of the first leaf (one import comes first). */
const FIRST_LEAF = 1 + FIXED;

// Type indices.
const T_BINARY = 0; // (i32, i32) -> i32: execute and the generated functions
const T_UNARY = 1; // (i32) -> i32: alloc and the leaves
const T_FD_WRITE = 2;
const T_VOID = 3;
const T_INIT = 4;
const T_DEALLOC = 5;

/**
 * A valid plugin-shaped module shaped like clang/rustc output, so warming exercises the code paths real plugins take
 * (and V8 sees the same object shapes): a WASI import, a stack-pointer global, a table with an element segment, a data
 * segment, exported and table-reachable functions, caller-charged leaves, and `functions` generated bodies mixing
 * i32/i64/f32/f64 arithmetic, loads and stores with offsets, multi-byte constants, block/loop/if/else, br, br_if,
 * br_table, return, unreachable, select, direct, leaf and indirect calls, memory.size/grow and bulk memory
 * operations, each calling one small helper of its own (so `functions` helpers too, as C's static functions).
 */
export function synthesizeModule(functions: number): Uint8Array {
  const section = (build: (w: ByteWriter) => void): Uint8Array => {
    const w = new ByteWriter();
    build(w);
    return w.finish().slice();
  };
  const firstGen = FIRST_LEAF + LEAVES;
  const types = section((w) => {
    w.u32(6);
    w.bytes([0x60, 2, I32, I32, 1, I32]).bytes([0x60, 1, I32, 1, I32]).bytes([0x60, 4, I32, I32, I32, I32, 1, I32]);
    w.bytes([0x60, 0, 0]).bytes([0x60, 0, 1, I64]).bytes([0x60, 2, I32, I32, 0]);
  });
  const imports = section((w) => w.u32(1).name('wasi_snapshot_preview1').name('fd_write').byte(0).u32(T_FD_WRITE));
  const funcs = section((w) => {
    w.u32(FIXED + LEAVES + 2 * functions).u32(T_UNARY).u32(T_VOID).u32(T_INIT).u32(T_DEALLOC).u32(T_BINARY);
    for (let i = 0; i < LEAVES; i++) w.u32(T_UNARY);
    for (let i = 0; i < functions; i++) w.u32(T_BINARY);
    for (let i = 0; i < functions; i++) w.u32(T_UNARY);
  });
  const tableSize = LEAVES + Math.min(functions, 16);
  const table = section((w) => w.u32(1).byte(FUNCREF).byte(0x01).u32(tableSize).u32(tableSize));
  const memory = section((w) => w.u32(1).bytes([0x00, 2]));
  const globals = section((w) => {
    w.u32(2).byte(I32).byte(1).byte(0x41).bytes(sleb(131_072)).byte(0x0b); // __stack_pointer
    w.byte(I32).byte(0).byte(0x41).bytes(sleb(1024)).byte(0x0b);
  });
  const exports = section((w) => {
    w.u32(6).name('memory').byte(2).u32(0);
    const named: [string, number][] = [['alloc', 1], ['_initialize', 2], ['init', 3], ['dealloc', 4], ['execute', 5]];
    for (const [name, index] of named) w.name(name).byte(0).u32(index);
  });
  const elements = section((w) => {
    w.u32(1).u32(0).byte(0x41).bytes(sleb(1)).byte(0x0b).u32(tableSize - 1);
    for (let i = 0; i < LEAVES - 1; i++) w.u32(FIRST_LEAF + i);
    for (let i = 0; i < tableSize - LEAVES; i++) w.u32(firstGen + i);
  });
  const code = section((w) => {
    w.u32(FIXED + LEAVES + 2 * functions);
    const bodies = [
      ...fixedBodies(firstGen, functions),
      ...leafBodies(),
      ...generatedBodies(firstGen, functions),
      ...helperBodies(functions),
    ];
    for (const body of bodies) w.u32(body.length).bytes(body);
  });
  const data = section((w) => {
    const text = new TextEncoder().encode('{"name":"warm-up","version":"1.0.0"}');
    w.u32(1).u32(0).byte(0x41).bytes(sleb(1024)).byte(0x0b).u32(text.length).bytes(text);
  });
  const out = new ByteWriter();
  out.bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  const sections = [[1, types], [2, imports], [3, funcs], [4, table], [5, memory], [6, globals], [7, exports], [9, elements], [10, code], [11, data]] as const;
  for (const [id, content] of sections) out.section(id, content);
  return out.finish().slice();
}

/** alloc, _initialize, init, dealloc, execute. */
function fixedBodies(firstGen: number, functions: number): number[][] {
  const alloc = [1, 1, I32, 0x23, 0, 0x22, 1, 0x20, 0, 0x6a, 0x24, 0, 0x20, 1, 0x0b]; // bump the stack pointer
  const initialize = [0, 0x41, ...sleb(2048), 0x41, 0, 0x41, ...sleb(256), 0xfc, 0x0b, 0, 0x41, ...sleb(4096), 0x41, ...sleb(2048), 0x41, 16, 0xfc, 0x0a, 0, 0, 0x0b];
  const init = [0, 0x42, ...sleb(0x1000_0000_0400), 0x0b];
  const dealloc = [0, 0x0b];
  const last = functions > 0 ? [0x20, 0, 0x20, 1, 0x10, ...uleb(firstGen + functions - 1), 0x0f] : [];
  // if (!b) skip; br_table on a select; call the last generated function and return; memory.grow(memory.size)
  const execute = [
    0, 0x02, EMPTY, 0x20, 1, 0x45, 0x0d, 0, 0x20, 1, 0x41, 1, 0x6b, 0x41, 0, 0x20, 1, 0x41, 2, 0x49, 0x1b, 0x0e, 1, 0, 0, 0x0b,
    ...last, 0x3f, 0, 0x40, 0, 0x0b,
  ];
  return [alloc, initialize, init, dealloc, execute];
}

/** Loop-free (i32) -> i32 helpers; the last calls the first. */
function leafBodies(): number[][] {
  const bodies: number[][] = [];
  for (let i = 0; i < LEAVES; i++) {
    const call = i === LEAVES - 1 ? [0x10, ...uleb(FIRST_LEAF)] : [];
    bodies.push([0, 0x20, 0, ...call, 0x41, ...sleb(0x45d9f3b + i), 0x73, 0x20, 0, 0x41, 3 + i, 0x74, 0x6a, 0x0b]);
  }
  return bodies;
}

/** One small static (i32) -> i32 function per generated function, called by it: many small leaves, as in C. */
function helperBodies(functions: number): number[][] {
  const bodies: number[][] = [];
  for (let i = 0; i < functions; i++) {
    // prettier-ignore
    bodies.push([
      0, 0x20, 0, 0x20, 0, 0x41, 1 + (i % 31), 0x76, 0x73, 0x41, ...sleb(0x2c1b3c6d + i * 977), 0x6c, // x ^ (x >> k), * c
      0x22, 0, 0x20, 0, 0x41, 15, 0x74, 0x6a, 0x0b,
    ]);
  }
  return bodies;
}

function generatedBodies(firstGen: number, functions: number): number[][] {
  const bodies: number[][] = [];
  for (let i = 0; i < functions; i++) {
    const previous = i === 0 ? [] : [0x20, 3, 0x20, 1, 0x10, ...uleb(firstGen + i - 1), 0x21, 3];
    const helper = [0x20, 3, 0x10, ...uleb(firstGen + functions + i), 0x21, 3];
    const early = i % 5 === 0 ? [0x20, 3, 0x41, 0, 0x48, 0x04, EMPTY, 0x41, 0x7f, 0x0f, 0x0b] : [];
    const trap = i % 7 === 3 ? [0x20, 0, 0x41, ...sleb(-0x1000), 0x46, 0x04, EMPTY, 0x02, EMPTY, 0x00, 0x0b, 0x0b] : [];
    // prettier-ignore
    bodies.push([
      3, 2, I32, 1, I64, 1, F64, // locals 2, 3: i32; 4: i64; 5: f64
      0x23, 0, 0x41, 32, 0x6b, 0x22, 2, 0x24, 0, // sp -= 32
      0x20, 0, 0xad, 0x42, ...sleb64(0x9e3779b97f4a7c15n + BigInt(i)), 0x7e, 0x20, 1, 0xac, 0x85, 0x21, 4, // i64 mix
      0x20, 0, 0xb7, 0x44, 0, 0, 0, 0, 0, 0, 0xf8, 0x3f, 0xa2, 0x21, 5, // f64: a * 1.5
      0x43, 0, 0, 0x20, 0x40, 0x1a, 0x20, 3, 0x41, ...sleb(-0x61c88647 + i), 0x6c, 0x21, 3, // f32 const; x *= 0x9E3779B9
      0x20, 2, 0x20, 0, 0x36, 2, 8, 0x20, 2, 0x20, 4, 0x37, 3, 16, // stores with offsets
      0x20, 2, 0x2d, 0, 8, 0x20, 2, 0x2e, 1, ...uleb(300 + i), 0x6a, 0x21, 3, // loads
      0x20, 3, 0x41, ...sleb(100 + i), 0x4b, 0x04, I32, 0x20, 3, 0x41, 3, 0x76, 0x05, 0x20, 3, 0x41, 0x7b, 0x6c, 0x0b, 0x21, 3,
      0x02, EMPTY, 0x20, 0, 0x45, 0x0d, 0, 0x20, 3, 0x41, 1, 0x6a, 0x21, 3, 0x0b, // block { br_if out }
      0x02, EMPTY, 0x02, EMPTY, 0x02, EMPTY, 0x20, 1, 0x41, 3, 0x71, 0x0e, 3, 0, 1, 2, 2, 0x0b, // br_table switch
      0x20, 3, 0x41, ...sleb(11 * i), 0x6a, 0x21, 3, 0x0c, 1, 0x0b, 0x20, 3, 0x41, 13, 0x73, 0x21, 3, 0x0b,
      0x02, EMPTY, 0x03, EMPTY, // loop: leaf call, call_indirect, counted back edge
      0x20, 3, 0x10, ...uleb(FIRST_LEAF + (i % LEAVES)), 0x21, 3,
      0x20, 3, 0x41, 1 + (i % (LEAVES - 1)), 0x11, T_UNARY, 0, 0x21, 3,
      0x20, 1, 0x41, 1, 0x6b, 0x22, 1, 0x41, 0, 0x4a, 0x0d, 0, 0x0b, 0x0b,
      ...previous,
      ...helper,
      0x20, 3, 0x20, 0, 0x20, 0, 0x20, 1, 0x49, 0x1b, 0x21, 3, // select
      0x20, 4, 0x42, 32, 0x88, 0xa7, 0x20, 5, 0xaa, 0x6a, 0x20, 3, 0x6a, 0x21, 3, // i64 >> 32, f64 -> i32
      ...early, ...trap,
      0x20, 2, 0x41, 32, 0x6a, 0x24, 0, // sp += 32
      0x20, 3, 0x0b,
    ]);
  }
  return bodies;
}

function uleb(value: number): number[] {
  return [...new ByteWriter(16).u32(value).finish()];
}

function sleb(value: number): number[] {
  return [...new ByteWriter(16).sleb(value).finish()];
}

function sleb64(value: bigint): number[] {
  return [...new ByteWriter(16).s64(value).finish()];
}

/**
 * Module size (functions) per round: small ones first, while the code is still cold and slow, since real work
 * waits for the current round to end; the large one gives the bulk of the feedback the JIT optimizes with.
 */
function functionsForRound(round: number): number {
  if (round < 4) return 16;
  return round < 8 ? 60 : 200;
}

/**
 * Runs warm-up rounds one per macrotask until `rounds` are done or `shouldStop()` says real work arrived.
 * Returns a promise that settles when warming stopped.
 */
export function warmUp(shouldStop: () => boolean, rounds = 40): Promise<void> {
  const modules = new Map<number, Uint8Array>();
  const options = { meterFuel: true, memoryMaxPages: 2048, tableMaxElements: 10_000 };
  return new Promise((resolve) => {
    let done = 0;
    const step = (): void => {
      if (shouldStop() || done >= rounds) {
        resolve();
        return;
      }
      const functions = functionsForRound(done);
      const bytes = modules.get(functions);
      if (bytes === undefined) {
        modules.set(functions, synthesizeModule(functions)); // a macrotask of its own
      } else {
        createHash('sha256').update(bytes).digest('hex'); // the load checks the file's hash first
        checkAbi(inspectModule(bytes));
        const instrumented = instrumentModule(bytes, options);
        if (done === 0) void WebAssembly.compile(instrumented).catch(() => {});
        done++;
      }
      setImmediate(step);
    };
    setImmediate(step);
  });
}
