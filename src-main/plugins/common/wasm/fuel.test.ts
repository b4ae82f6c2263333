// Fuel metering semantics: accuracy, exhaustion, determinism, exceptions, bulk costs, start function, try_table.
// Runs instrumented modules in V8 the way the sandbox host does (set the global, call, read it back).

import { describe, expect, it } from 'vitest';
import { DEFAULT_START_FUEL, instrumentModule } from './instrument';
import { exactCountModule } from './test-support/exact-count';
import { wabtValidate, wat } from './test-support/wat-runner';
import { FUEL_EXPORT } from './types';

const OPTIONS = { meterFuel: true, memoryMaxPages: 64, tableMaxElements: 1000 };

interface Metered {
  readonly exports: WebAssembly.Exports;
  readonly fuel: WebAssembly.Global;
}

interface CallOutcome {
  readonly result: unknown;
  readonly error: unknown;
  readonly consumed: bigint;
  readonly left: bigint;
  readonly outOfFuel: boolean;
}

async function metered(source: string, imports: WebAssembly.Imports = {}): Promise<Metered> {
  const bytes = instrumentModule(await wat(source), OPTIONS);
  expect(WebAssembly.validate(bytes)).toBe(true);
  const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), imports).exports;
  return { exports, fuel: exports[FUEL_EXPORT] as WebAssembly.Global };
}

/** Calls an export the way the host does: set the limit, call, read what is left. */
function callWithFuel(module: Metered, name: string, limit: bigint, ...args: unknown[]): CallOutcome {
  module.fuel.value = limit;
  let result: unknown;
  let error: unknown = null;
  try {
    result = (module.exports[name] as (...params: unknown[]) => unknown)(...args);
  } catch (caught) {
    error = caught;
  }
  const left = module.fuel.value as bigint;
  const outOfFuel = error instanceof WebAssembly.RuntimeError && left < 0n;
  return { result, error, consumed: limit - left, left, outOfFuel };
}

// 11 instructions per iteration: local.get ×2, i32.add, local.set, local.get, i32.const, i32.add, local.tee,
// local.get, i32.lt_u, br_if; plus `loop`, the loop's `end`, the final local.get and the function's `end`.
const COUNTING_LOOP = `(module
  (func (export "count") (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (local.get $i)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $acc))
  (func (export "spin") (loop $l (br $l)))
  (func (export "three") (result i32) (i32.add (i32.const 1) (i32.const 2)))
  (func $down (export "down") (call $down)))`;

describe('fuel metering', () => {
  it('exports a mutable i64 fuel global that starts at the start-function budget', async () => {
    const { fuel } = await metered('(module)');
    expect(fuel.value).toBe(DEFAULT_START_FUEL);
    fuel.value = 5n;
    expect(fuel.value).toBe(5n);
  });

  it('charges a loop within 10% of the instructions it executes', async () => {
    const module = await metered(COUNTING_LOOP);
    const iterations = 1_000_000;
    const executed = BigInt(11 * iterations + 4);
    const outcome = callWithFuel(module, 'count', 1n << 40n, iterations);
    expect(outcome.error).toBeNull();
    expect(outcome.result).toBe((iterations * (iterations - 1)) / 2 | 0);
    expect(Number(outcome.consumed)).toBeGreaterThanOrEqual(Number(executed) * 0.9);
    expect(Number(outcome.consumed)).toBeLessThanOrEqual(Number(executed) * 1.1);
  });

  it('charges straight-line code exactly and lets a call use its whole budget but not one unit more', async () => {
    const module = await metered(COUNTING_LOOP);
    expect(callWithFuel(module, 'three', 1000n)).toMatchObject({ result: 3, consumed: 4n });
    expect(callWithFuel(module, 'three', 4n)).toMatchObject({ result: 3, left: 0n, outOfFuel: false });
    expect(callWithFuel(module, 'three', 3n)).toMatchObject({ result: undefined, outOfFuel: true });
  });

  it('charges a loop left by a branch out exactly, the same every time', async () => {
    const module = await metered(`(module
      (func (export "find") (param $n i32) (result i32) (local $i i32)
        (block $found
          (loop $l
            (br_if $found (i32.eq (local.get $i) (local.get $n)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $l (i32.lt_u (local.get $i) (i32.const 1000)))))
        (local.get $i)))`);
    // Left through $found after n + 1 header visits: block, loop; 12 per full iteration; 4 on the last visit
    // (local.get ×2, i32.eq, br_if); local.get, end of function. The branch lands after the block's `end`, which does
    // not run (test-support/exact-count.ts defines what counts). Since INSTRUMENTER_VERSION 2 the code after the
    // br_if is no longer folded into the loop header's charge, so nothing is charged for code that did not run.
    const executed = (n: number): bigint => BigInt(2 + 12 * n + 4 + 2);
    for (const n of [0, 1, 5, 500]) {
      const outcome = callWithFuel(module, 'find', 1n << 40n, n);
      expect(outcome.result).toBe(n);
      expect(outcome.consumed).toBe(executed(n));
      expect(callWithFuel(module, 'find', 1n << 40n, n).consumed).toBe(outcome.consumed);
    }
  });

  it('charges if/else exactly: the parent pays for the longer arm in advance, the shorter one gives the difference back', async () => {
    const source = `(module
      (func (export "pick") (param $x i32) (result i32)
        (if (result i32) (local.get $x)
          (then (i32.const 7))
          (else (i32.add (i32.mul (local.get $x) (i32.const 3)) (i32.const 1))))))`;
    const module = await metered(source);
    const reference = new WebAssembly.Instance(new WebAssembly.Module(exactCountModule(await wat(source)))).exports;
    const counter = reference[FUEL_EXPORT] as WebAssembly.Global;
    const exact = (x: number): bigint => {
      counter.value = 1000n;
      (reference.pick as (x: number) => number)(x);
      return 1000n - (counter.value as bigint);
    };
    // then path: local.get, if, i32.const, else, end of function = 5; else path: local.get, if, 5 in the arm, the
    // if's end, end of function = 9.
    expect([exact(1), exact(0)]).toEqual([5n, 9n]);
    expect(callWithFuel(module, 'pick', 1000n, 1)).toMatchObject({ result: 7, consumed: 5n });
    expect(callWithFuel(module, 'pick', 1000n, 0)).toMatchObject({ result: 1, consumed: 9n });
    // Charged in advance: the then path needs the longer arm's budget to start (and gets the rest back).
    expect(callWithFuel(module, 'pick', 9n, 1)).toMatchObject({ result: 7, left: 4n, outOfFuel: false });
    expect(callWithFuel(module, 'pick', 8n, 1).outOfFuel).toBe(true);
  });

  it('stops an infinite loop and unbounded recursion with a trap and a negative global', async () => {
    const module = await metered(COUNTING_LOOP);
    const spin = callWithFuel(module, 'spin', 1_000_000n);
    expect(spin.outOfFuel).toBe(true);
    expect(spin.consumed).toBeGreaterThan(1_000_000n);
    expect(spin.consumed).toBeLessThan(1_000_100n);
    expect(callWithFuel(module, 'down', 10_000n).outOfFuel).toBe(true);
  });

  it('runs out of fuel at exactly the same point every time, and later with more fuel', async () => {
    const source = `(module
      (import "host" "log" (func $log (param i32)))
      (func (export "run") (local $i i32)
        (loop $l
          (if (i32.and (local.get $i) (i32.const 1)) (then (call $log (local.get $i))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $l))))`;
    const runOnce = async (limit: bigint): Promise<{ logged: number[]; left: bigint }> => {
      const logged: number[] = [];
      const module = await metered(source, { host: { log: (value: number) => logged.push(value) } });
      const outcome = callWithFuel(module, 'run', limit);
      expect(outcome.outOfFuel).toBe(true);
      return { logged, left: outcome.left };
    };
    const first = await runOnce(100_003n);
    expect(await runOnce(100_003n)).toEqual(first);
    expect(first.logged.length).toBeGreaterThan(1000);
    const more = await runOnce(200_003n);
    expect(more.logged.slice(0, first.logged.length)).toEqual(first.logged);
    expect(more.logged.length).toBeGreaterThan(first.logged.length);
  });

  it('keeps the callee fuel when an exception unwinds into a catch handler', async () => {
    const nops = 'nop '.repeat(20);
    const module = await metered(`(module
      (tag $e)
      (func $thrower ${nops} (throw $e))
      (func (export "run") (param $n i32) (result i32) (local $i i32)
        (loop $l
          (try (do (call $thrower)) (catch $e))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
        (local.get $i)))`);
    const once = callWithFuel(module, 'run', 1n << 40n, 1000);
    const twice = callWithFuel(module, 'run', 1n << 40n, 2000);
    expect(once.result).toBe(1000);
    const perIteration = (twice.consumed - once.consumed) / 1000n;
    expect(twice.consumed - once.consumed).toBe(perIteration * 1000n);
    // try, call, 8 loop-control instructions in the caller, 20 nops and throw in the callee.
    expect(perIteration).toBeGreaterThanOrEqual(31n);
    expect(perIteration).toBeLessThanOrEqual(36n);
  });

  it('charges code in catch and catch_all handlers: endless loops there run out of fuel, counted loops pay per iteration', async () => {
    const module = await metered(
      `(module
        (import "host" "fail" (func $fail))
        (tag $e)
        (func $thrower (throw $e))
        (func (export "in_catch") (try (do (call $thrower)) (catch $e (loop $l (br $l)))))
        (func (export "in_catch_all_of_host_error") (try (do (call $fail)) (catch_all (loop $l (br $l)))))
        (func (export "in_nested_handler")
          (try (do (throw $e)) (catch_all (try (do (call $thrower)) (catch $e (loop $l (br $l)))))))
        (func (export "counted") (param $n i32) (result i32)
          (try (result i32) (do (call $thrower) (i32.const -1))
            (catch_all
              (loop $l (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
              (local.get $n)))))`,
      { host: { fail: () => { throw new Error('host refused'); } } },
    );
    for (const name of ['in_catch', 'in_catch_all_of_host_error', 'in_nested_handler']) {
      const outcome = callWithFuel(module, name, 100_000n);
      expect(outcome.outOfFuel, name).toBe(true);
      expect(outcome.consumed, name).toBeGreaterThan(100_000n);
      expect(outcome.consumed, name).toBeLessThan(100_100n);
    }
    const once = callWithFuel(module, 'counted', 1n << 40n, 1000);
    const twice = callWithFuel(module, 'counted', 1n << 40n, 2000);
    expect([once.result, twice.result]).toEqual([0, 0]);
    // local.get, i32.const, i32.sub, local.tee, br_if per iteration (the loop header is charged with them).
    expect(twice.consumed - once.consumed).toBe(5n * 1000n);
  });

  it('charges bulk memory and table operations by length, before they run', async () => {
    const module = await metered(`(module
      (memory (export "memory") 1)
      (table 0 funcref)
      (func (export "fill") (param $n i32) (memory.fill (i32.const 0) (i32.const 7) (local.get $n)))
      (func (export "grow") (param $pages i32) (result i32) (memory.grow (local.get $pages)))
      (func (export "growTable") (param $n i32) (result i32) (table.grow (ref.null func) (local.get $n))))`);
    const fillCost = (n: number): bigint => callWithFuel(module, 'fill', 1n << 40n, n).consumed;
    expect(fillCost(16_000) - fillCost(0)).toBe(1000n);
    const growCost = (pages: number): bigint => callWithFuel(module, 'grow', 1n << 40n, pages).consumed;
    expect(growCost(2) - growCost(0)).toBe(2n * 4096n);
    const tableCost = (n: number): bigint => callWithFuel(module, 'growTable', 1n << 40n, n).consumed;
    expect(tableCost(50) - tableCost(0)).toBe(50n);

    const memory = new Uint8Array((module.exports.memory as WebAssembly.Memory).buffer);
    memory.fill(0);
    const starved = callWithFuel(module, 'fill', fillCost(0) + 10n, 16_000);
    expect(starved.outOfFuel).toBe(true);
    expect(memory.every((byte) => byte === 0)).toBe(true);
  });

  it('meters the start function with the start budget', async () => {
    const looping = instrumentModule(await wat('(module (func $s (loop (br 0))) (start $s))'), {
      ...OPTIONS,
      startFuel: 10_000n,
    });
    expect(() => new WebAssembly.Instance(new WebAssembly.Module(looping))).toThrow(WebAssembly.RuntimeError);
    const finite = instrumentModule(await wat('(module (global $g (mut i32) (i32.const 0)) (func $s (global.set $g (i32.const 1))) (start $s))'), OPTIONS);
    expect(() => new WebAssembly.Instance(new WebAssembly.Module(finite))).not.toThrow();
  });

  it('meters functions using try_table (exnref) through the global; output validated by wabt', async () => {
    const bytes = await wat(`(module
      (tag $t (param i32))
      (func (export "f") (param $n i32) (result i32)
        (block $h (result i32)
          (try_table (catch $t $h)
            (loop $l (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
            (throw $t (i32.const 5)))
          (i32.const 0)))
      (func (export "g") (result exnref)
        (block $h (result exnref) (try_table (catch_all_ref $h) (call 0 (i32.const 1)) (drop)) (ref.null exn))))`);
    const instrumented = instrumentModule(bytes, OPTIONS);
    await expect(wabtValidate(instrumented)).resolves.toBeUndefined();
  });
});
