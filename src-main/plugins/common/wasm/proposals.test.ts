// Every post-MVP proposal Node 20 runs: small modules that must behave identically before and after metering.
// Relaxed SIMD needs a V8 flag in Node 20 (Electron ships it); the flag only widens what this process accepts.

import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { instrumentModule } from './instrument';
import { buildModule, codeSection, runExports, wat } from './test-support/wat-runner';

setFlagsFromString('--experimental-wasm-relaxed-simd');

const OPTIONS = { meterFuel: true, memoryMaxPages: 64, tableMaxElements: 1000 };
const AMPLE_FUEL = 1n << 40n;

/** Runs every export of the original and the instrumented module and compares all observable behaviour. */
async function expectSameBehaviour(source: string): Promise<void> {
  const original = await wat(source);
  expect(WebAssembly.validate(original)).toBe(true);
  const instrumented = instrumentModule(original, OPTIONS);
  expect(WebAssembly.validate(instrumented)).toBe(true);
  const before = runExports(original, null);
  const after = runExports(instrumented, AMPLE_FUEL);
  expect(before.length).toBeGreaterThan(0);
  expect(after.map(({ name, outcome, log, memory }) => ({ name, outcome, log, memory }))).toEqual(
    before.map(({ name, outcome, log, memory }) => ({ name, outcome, log, memory })),
  );
  // A call that returns has written its fuel back; one that trapped may not have (see instrument.ts).
  const returned = after.filter((record) => record.outcome.startsWith('ok'));
  expect(returned.length).toBeGreaterThan(0);
  for (const record of returned) expect(record.fuelLeft).toBeLessThan(AMPLE_FUEL);
}

const SIMD_UNARY = `v128.not i8x16.abs i8x16.neg i8x16.popcnt i16x8.abs i16x8.neg i32x4.abs i32x4.neg i64x2.abs i64x2.neg
  f32x4.abs f32x4.neg f32x4.sqrt f32x4.ceil f32x4.floor f32x4.trunc f32x4.nearest
  f64x2.abs f64x2.neg f64x2.sqrt f64x2.ceil f64x2.floor f64x2.trunc f64x2.nearest
  i16x8.extadd_pairwise_i8x16_s i16x8.extadd_pairwise_i8x16_u i32x4.extadd_pairwise_i16x8_s i32x4.extadd_pairwise_i16x8_u
  i16x8.extend_low_i8x16_s i16x8.extend_high_i8x16_s i16x8.extend_low_i8x16_u i16x8.extend_high_i8x16_u
  i32x4.extend_low_i16x8_s i32x4.extend_high_i16x8_s i32x4.extend_low_i16x8_u i32x4.extend_high_i16x8_u
  i64x2.extend_low_i32x4_s i64x2.extend_high_i32x4_s i64x2.extend_low_i32x4_u i64x2.extend_high_i32x4_u
  i32x4.trunc_sat_f32x4_s i32x4.trunc_sat_f32x4_u f32x4.convert_i32x4_s f32x4.convert_i32x4_u
  i32x4.trunc_sat_f64x2_s_zero i32x4.trunc_sat_f64x2_u_zero f64x2.convert_low_i32x4_s f64x2.convert_low_i32x4_u
  f32x4.demote_f64x2_zero f64x2.promote_low_f32x4
  i32x4.relaxed_trunc_f32x4_s i32x4.relaxed_trunc_f32x4_u i32x4.relaxed_trunc_f64x2_s_zero i32x4.relaxed_trunc_f64x2_u_zero`;

const SIMD_BINARY = `v128.and v128.andnot v128.or v128.xor i8x16.swizzle
  i8x16.eq i8x16.ne i8x16.lt_s i8x16.lt_u i8x16.gt_s i8x16.gt_u i8x16.le_s i8x16.le_u i8x16.ge_s i8x16.ge_u
  i16x8.eq i16x8.ne i16x8.lt_s i16x8.lt_u i16x8.gt_s i16x8.gt_u i16x8.le_s i16x8.le_u i16x8.ge_s i16x8.ge_u
  i32x4.eq i32x4.ne i32x4.lt_s i32x4.lt_u i32x4.gt_s i32x4.gt_u i32x4.le_s i32x4.le_u i32x4.ge_s i32x4.ge_u
  i64x2.eq i64x2.ne i64x2.lt_s i64x2.gt_s i64x2.le_s i64x2.ge_s
  f32x4.eq f32x4.ne f32x4.lt f32x4.gt f32x4.le f32x4.ge f64x2.eq f64x2.ne f64x2.lt f64x2.gt f64x2.le f64x2.ge
  i8x16.narrow_i16x8_s i8x16.narrow_i16x8_u i16x8.narrow_i32x4_s i16x8.narrow_i32x4_u
  i8x16.add i8x16.add_sat_s i8x16.add_sat_u i8x16.sub i8x16.sub_sat_s i8x16.sub_sat_u
  i8x16.min_s i8x16.min_u i8x16.max_s i8x16.max_u i8x16.avgr_u
  i16x8.add i16x8.add_sat_s i16x8.add_sat_u i16x8.sub i16x8.sub_sat_s i16x8.sub_sat_u i16x8.mul
  i16x8.min_s i16x8.min_u i16x8.max_s i16x8.max_u i16x8.avgr_u i16x8.q15mulr_sat_s
  i16x8.extmul_low_i8x16_s i16x8.extmul_high_i8x16_s i16x8.extmul_low_i8x16_u i16x8.extmul_high_i8x16_u
  i32x4.add i32x4.sub i32x4.mul i32x4.min_s i32x4.min_u i32x4.max_s i32x4.max_u i32x4.dot_i16x8_s
  i32x4.extmul_low_i16x8_s i32x4.extmul_high_i16x8_s i32x4.extmul_low_i16x8_u i32x4.extmul_high_i16x8_u
  i64x2.add i64x2.sub i64x2.mul
  i64x2.extmul_low_i32x4_s i64x2.extmul_high_i32x4_s i64x2.extmul_low_i32x4_u i64x2.extmul_high_i32x4_u
  f32x4.add f32x4.sub f32x4.mul f32x4.div f32x4.min f32x4.max f32x4.pmin f32x4.pmax
  f64x2.add f64x2.sub f64x2.mul f64x2.div f64x2.min f64x2.max f64x2.pmin f64x2.pmax
  i8x16.relaxed_swizzle f32x4.relaxed_min f32x4.relaxed_max f64x2.relaxed_min f64x2.relaxed_max
  i16x8.relaxed_q15mulr_s i16x8.relaxed_dot_i8x16_i7x16_s`;

const SIMD_TERNARY = `v128.bitselect f32x4.relaxed_madd f32x4.relaxed_nmadd f64x2.relaxed_madd f64x2.relaxed_nmadd
  i8x16.relaxed_laneselect i16x8.relaxed_laneselect i32x4.relaxed_laneselect i64x2.relaxed_laneselect
  i32x4.relaxed_dot_i8x16_i7x16_add_s`;

const SIMD_TO_I32 = `v128.any_true i8x16.all_true i16x8.all_true i32x4.all_true i64x2.all_true
  i8x16.bitmask i16x8.bitmask i32x4.bitmask i64x2.bitmask`;

const SIMD_SHIFTS = 'i8x16.shl i8x16.shr_s i8x16.shr_u i16x8.shl i16x8.shr_s i16x8.shr_u i32x4.shl i32x4.shr_s i32x4.shr_u i64x2.shl i64x2.shr_s i64x2.shr_u';

const SIMD_LOADS = `v128.load v128.load8x8_s v128.load8x8_u v128.load16x4_s v128.load16x4_u v128.load32x2_s v128.load32x2_u
  v128.load8_splat v128.load16_splat v128.load32_splat v128.load64_splat v128.load32_zero v128.load64_zero`;

const A = '(v128.load (i32.const 0))';
const B = '(v128.load (i32.const 16))';
const C = '(v128.load (i32.const 32))';
const OUT = '(i32.const 1024)';

function names(list: string): string[] {
  return list.split(/\s+/).filter((name) => name.length > 0);
}

/** One exported function per SIMD instruction, each storing its result in memory. */
function simdModule(): string {
  const funcs = [
    ...names(SIMD_UNARY).map((op) => [op, `(v128.store ${OUT} (${op} ${A}))`]),
    ...names(SIMD_BINARY).map((op) => [op, `(v128.store ${OUT} (${op} ${A} ${B}))`]),
    ...names(SIMD_TERNARY).map((op) => [op, `(v128.store ${OUT} (${op} ${A} ${B} ${C}))`]),
    ...names(SIMD_TO_I32).map((op) => [op, `(i32.store ${OUT} (${op} ${A}))`]),
    ...names(SIMD_SHIFTS).map((op) => [op, `(v128.store ${OUT} (${op} ${A} (i32.const 3)))`]),
    ...names(SIMD_LOADS).map((op) => [op, `(v128.store ${OUT} (${op} offset=3 (i32.const 5)))`]),
    ...[8, 16, 32, 64].flatMap((bits) => [
      [`load${bits}_lane`, `(v128.store ${OUT} (v128.load${bits}_lane 1 (i32.const 7) ${A}))`],
      [`store${bits}_lane`, `(v128.store${bits}_lane offset=1 1 ${OUT} ${B})`],
    ]),
    ['splats', `(v128.store ${OUT} (i8x16.splat (i32.const 300))) (v128.store offset=16 ${OUT} (i16x8.splat (i32.const -2)))
      (v128.store offset=32 ${OUT} (i32x4.splat (i32.const 9))) (v128.store offset=48 ${OUT} (i64x2.splat (i64.const -9)))
      (v128.store offset=64 ${OUT} (f32x4.splat (f32.const -0.5))) (v128.store offset=80 ${OUT} (f64x2.splat (f64.const nan:0x123)))`],
    ['extract', `(i32.store ${OUT} (i32.add (i8x16.extract_lane_s 15 ${A}) (i8x16.extract_lane_u 3 ${A})))
      (i32.store offset=4 ${OUT} (i32.add (i16x8.extract_lane_s 7 ${A}) (i16x8.extract_lane_u 2 ${B})))
      (i32.store offset=8 ${OUT} (i32x4.extract_lane 3 ${B})) (i64.store offset=16 ${OUT} (i64x2.extract_lane 1 ${A}))
      (f32.store offset=24 ${OUT} (f32x4.extract_lane 2 ${C})) (f64.store offset=32 ${OUT} (f64x2.extract_lane 1 ${C}))`],
    ['replace', `(v128.store ${OUT} (f64x2.replace_lane 0 (f32x4.replace_lane 3 (i64x2.replace_lane 1 (i32x4.replace_lane 2
      (i16x8.replace_lane 5 (i8x16.replace_lane 9 ${A} (i32.const 77)) (i32.const -3)) (i32.const 5)) (i64.const 11))
      (f32.const 2.5)) (f64.const -1)))`],
    ['const_and_shuffle', `(v128.store ${OUT} (i8x16.shuffle 0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31
      ${A} (v128.const i32x4 0x01020304 0x05060708 0xfffefdfc 0x80000000)))`],
  ];
  const bodies = funcs.map(([name, body]) => `(func (export "${name}") ${body})`).join('\n');
  return `(module (memory (export "memory") 1)
    (data (i32.const 0) "\\01\\80\\ff\\7f\\00\\10\\fe\\33\\c0\\7f\\00\\00\\80\\ff\\ff\\ff"
      "\\00\\00\\c0\\7f\\00\\00\\80\\3f\\9a\\99\\99\\99\\99\\99\\f1\\bf"
      "\\f0\\0f\\55\\aa\\00\\00\\00\\80\\00\\00\\00\\00\\00\\00\\f8\\7f")
    ${bodies})`;
}

describe('instrumentation preserves every proposal Node 20 runs', () => {
  it('SIMD, including lane loads/stores, shuffles and relaxed SIMD', async () => {
    await expectSameBehaviour(simdModule());
  });

  it('bulk memory and table operations', async () => {
    await expectSameBehaviour(`(module
      (memory (export "memory") 1)
      (table $t 4 funcref)
      (data $d "hello, bulk memory")
      (elem $e func $one $two)
      (func $one (result i32) (i32.const 1))
      (func $two (result i32) (i32.const 2))
      (func (export "init") (memory.init $d (i32.const 100) (i32.const 0) (i32.const 18)) (data.drop $d))
      (func (export "copy_overlapping") (memory.copy (i32.const 104) (i32.const 100) (i32.const 14)))
      (func (export "fill") (memory.fill (i32.const 200) (i32.const 0xab) (i32.const 50)))
      (func (export "init_again_traps") (memory.init $d (i32.const 0) (i32.const 0) (i32.const 1)))
      (func (export "tables") (result i32)
        (table.init $t $e (i32.const 0) (i32.const 0) (i32.const 2))
        (elem.drop $e)
        (table.copy (i32.const 2) (i32.const 0) (i32.const 2))
        (i32.add (call_indirect (result i32) (i32.const 3)) (call_indirect (result i32) (i32.const 2))))
      (func (export "copy_out_of_bounds") (memory.copy (i32.const 65530) (i32.const 0) (i32.const 10))))`);
  });

  it('reference types: ref.null/is_null/func, table.get/set/grow/size/fill, typed select, multiple tables', async () => {
    await expectSameBehaviour(`(module
      (table $funcs 2 funcref)
      (table $externs 1 10 externref)
      (elem declare func $seven)
      (func $seven (result i32) (i32.const 7))
      (func (export "refs") (result i32)
        (table.set $funcs (i32.const 1) (ref.func $seven))
        (i32.add (ref.is_null (table.get $funcs (i32.const 0)))
          (call_indirect $funcs (result i32) (i32.const 1))))
      (func (export "grow_fill") (result i32)
        (drop (table.grow $externs (ref.null extern) (i32.const 3)))
        (table.fill $externs (i32.const 0) (ref.null extern) (table.size $externs))
        (i32.add (table.size $externs) (table.grow $externs (ref.null extern) (i32.const 100))))
      (func (export "typed_select") (result i32)
        (ref.is_null (select (result funcref) (ref.func $seven) (ref.null func) (i32.const 0))))
      (func (export "null_call") (call_indirect $funcs (i32.const 0))))`);
  });

  it('multi-value blocks, ifs, loops, branches and functions', async () => {
    await expectSameBehaviour(`(module
      (type $pair (func (param i32 i32) (result i32 i32)))
      (type $merge (func (param i32 i32) (result i32)))
      (func $swap (type $pair) (local.get 1) (local.get 0))
      (func (export "three") (result i32 i64 f64) (i32.const 1) (i64.const -2) (f64.const 3.5))
      (func (export "blocks") (result i32)
        (i32.const 3) (i32.const 4)
        (block (type $pair) (call $swap))
        (if (type $merge) (i32.const 1) (then (i32.sub)) (else (i32.add))))
      (func (export "branch_values") (result i32)
        (block $b (result i32 i32) (br $b (i32.const 1) (i32.const 2)))
        (i32.add))
      (func (export "loop_params") (result i32) (local $k i32)
        (i32.const 0) (i32.const 10)
        (loop $l (param i32 i32) (result i32)
          (local.set $k)
          (i32.add (local.get $k))
          (i32.sub (local.get $k) (i32.const 1))
          (local.tee $k)
          (br_if $l (local.get $k))
          (drop))))`);
  });

  it('tail calls (return_call, return_call_indirect) far deeper than the stack', async () => {
    await expectSameBehaviour(`(module
      (type $count (func (param i32 i64) (result i64)))
      (table 1 funcref) (elem (i32.const 0) $direct)
      (func $direct (type $count)
        (if (result i64) (i32.eqz (local.get 0)) (then (local.get 1))
          (else (return_call $indirect (i32.sub (local.get 0) (i32.const 1)) (i64.add (local.get 1) (i64.const 3))))))
      (func $indirect (type $count)
        (return_call_indirect (type $count) (local.get 0) (local.get 1) (i32.const 0)))
      (func (export "deep") (result i64) (call $direct (i32.const 1000000) (i64.const 0))))`);
  });

  it('exception handling: throw, catch, catch_all, rethrow, delegate, escaping exceptions', async () => {
    await expectSameBehaviour(`(module
      (import "host" "log" (func $log (param i32)))
      (import "host" "js_throws" (func $js_throws (param f64)))
      (tag $e (param i32))
      (tag $other)
      (func $throw (param i32) (throw $e (local.get 0)))
      (func (export "caught") (result i32)
        (try (result i32) (do (call $throw (i32.const 42)) (i32.const 0)) (catch $e (i32.add (i32.const 1)))))
      (func (export "catch_all_rethrow") (result i32)
        (try (result i32)
          (do (try (do (call $throw (i32.const 5))) (catch_all (call $log (i32.const 1)) (rethrow 0))) (i32.const 0))
          (catch $e)))
      (func (export "delegate") (result i32)
        (try (result i32)
          (do (try (do (throw $other)) (delegate 0)) (i32.const 0))
          (catch $other (i32.const 9))))
      (func (export "loop_of_throws") (result i32) (local $i i32) (local $sum i32)
        (loop $l
          (try (do (call $throw (local.get $i))) (catch $e (local.set $sum (i32.add (local.get $sum)))))
          (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 100))))
        (local.get $sum))
      (func (export "escapes") (call $throw (i32.const 3)))
      (func (export "js_exception_caught") (result i32)
        (try (result i32) (do (call $js_throws (f64.const 0)) (i32.const 0)) (catch_all (i32.const 2)))))`);
  });

  it('sign extension and non-trapping float-to-int conversions', async () => {
    await expectSameBehaviour(`(module
      (func (export "sign_ext") (result i64)
        (i64.add (i64.extend_i32_s (i32.add (i32.extend8_s (i32.const 0x80)) (i32.extend16_s (i32.const 0x8000))))
          (i64.add (i64.extend8_s (i64.const 0xff)) (i64.add (i64.extend16_s (i64.const 0x7fff)) (i64.extend32_s (i64.const 0x80000000))))))
      (func (export "sat_i32") (result i32)
        (i32.add (i32.add (i32.trunc_sat_f32_s (f32.const nan)) (i32.trunc_sat_f32_u (f32.const -1)))
          (i32.add (i32.trunc_sat_f64_s (f64.const 1e100)) (i32.trunc_sat_f64_u (f64.const 4e9)))))
      (func (export "sat_i64") (result i64)
        (i64.add (i64.add (i64.trunc_sat_f32_s (f32.const -inf)) (i64.trunc_sat_f32_u (f32.const 1e30)))
          (i64.add (i64.trunc_sat_f64_s (f64.const -1e300)) (i64.trunc_sat_f64_u (f64.const nan))))))`);
  });

  it('atomics on shared memory: loads, stores, read-modify-writes, wait, notify, fence', async () => {
    await expectSameBehaviour(`(module
      (memory (export "memory") 1 1 shared)
      (func (export "rmw") (result i64)
        (i32.atomic.store (i32.const 0) (i32.const 10))
        (i64.atomic.store (i32.const 8) (i64.const 100))
        (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 5)))
        (drop (i32.atomic.rmw8.sub_u (i32.const 0) (i32.const 1)))
        (drop (i32.atomic.rmw16.and_u (i32.const 0) (i32.const 0xff)))
        (drop (i64.atomic.rmw.or (i32.const 8) (i64.const 3)))
        (drop (i64.atomic.rmw32.xor_u (i32.const 8) (i64.const 1)))
        (drop (i64.atomic.rmw8.xchg_u (i32.const 8) (i64.const 7)))
        (drop (i32.atomic.rmw.cmpxchg (i32.const 0) (i32.const 14) (i32.const 99)))
        (drop (i64.atomic.rmw16.cmpxchg_u (i32.const 8) (i64.const 7) (i64.const 8)))
        (atomic.fence)
        (i64.add (i64.extend_i32_u (i32.add (i32.atomic.load (i32.const 0)) (i32.atomic.load8_u (i32.const 1))))
          (i64.add (i64.atomic.load (i32.const 8)) (i64.atomic.load32_u (i32.const 12)))))
      (func (export "wait_notify") (result i32)
        (i32.add (memory.atomic.notify (i32.const 0) (i32.const 1))
          (i32.add (memory.atomic.wait32 (i32.const 0) (i32.const 12345) (i64.const 0))
            (memory.atomic.wait64 (i32.const 8) (i64.const 12345) (i64.const 0)))))
      (func (export "unaligned_traps") (result i32) (i32.atomic.load (i32.const 2))))`);
  });
});

describe('instructions outside what V8 in Node 20 and Electron are given', () => {
  const TYPE_VOID = [0x01, 0x60, 0x00, 0x00];
  const ONE_FUNCTION = [0x01, 0x00];
  const withBody = (...instructions: number[]): Uint8Array =>
    buildModule([1, TYPE_VOID], [3, ONE_FUNCTION], [5, [0x01, 0x00, 0x01]], [10, codeSection(1, instructions)]);
  const meter = (bytes: Uint8Array): Uint8Array => instrumentModule(bytes, OPTIONS);
  // header 8 + type section 6 + function section 4 + memory section 5 + code section id, size, count, body size, locals
  const FIRST_INSTRUCTION = 28;

  it('refuses GC, typed function references and multi-memory by name and place', () => {
    expect(() => meter(withBody(0xfb, 0x01, 0x0b))).toThrow(
      `unsupported instruction 0xFB 0x01 (GC proposal) in function 0 at byte offset ${FIRST_INSTRUCTION}`,
    );
    expect(() => meter(withBody(0x14, 0x00, 0x0b))).toThrow(
      `unsupported instruction 0x14 (typed function references proposal) in function 0 at byte offset ${FIRST_INSTRUCTION}`,
    );
    expect(() => meter(withBody(0x41, 0x00, 0x28, 0x42, 0x01, 0x00, 0x1a, 0x0b))).toThrow(
      `unsupported memory index in memory access (multi-memory proposal) in function 0 at byte offset ${FIRST_INSTRUCTION + 3}`,
    );
    expect(() => meter(withBody(0x3f, 0x01, 0x1a, 0x0b))).toThrow('unsupported memory index other than 0 (multi-memory proposal)');
  });

  it('rejects unknown opcodes and unassigned SIMD opcodes as malformed', () => {
    expect(() => meter(withBody(0xff, 0x0b))).toThrow(
      `malformed module: unknown instruction 0xFF in function 0 at byte offset ${FIRST_INSTRUCTION}`,
    );
    expect(() => meter(withBody(0xfd, 0x9a, 0x01, 0x0b))).toThrow('malformed module: unknown instruction 0xFD 0x9A');
    expect(() => meter(withBody(0xfc, 0x12, 0x0b))).toThrow('malformed module: unknown instruction 0xFC 0x12');
  });

  it('rejects bodies that end early, late or with unbalanced blocks', () => {
    expect(() => meter(withBody(0x01))).toThrow('malformed module: function 0 truncated');
    expect(() => meter(withBody(0x0b, 0x01))).toThrow('malformed module: unexpected bytes after the end of the function');
    expect(() => meter(withBody(0x05, 0x0b))).toThrow('malformed module: else outside an if');
    expect(() => meter(withBody(0x0c, 0x05, 0x0b))).toThrow('malformed module: branch depth 5 exceeds the block nesting');
  });
});
