// planCalls: which small loop-free functions are paid for by their callers, and when that would be unsafe.
// Checks the plan on real modules and that callers really pay: fuel still counts every executed instruction.

import { describe, expect, it } from 'vitest';
import { planCalls, type CallPlan } from './call-plan';
import { instrumentModule } from './instrument';
import { readModule } from './reader';
import { wat } from './test-support/wat-runner';
import { FUEL_EXPORT } from './types';

async function plan(source: string): Promise<CallPlan> {
  return planCalls(readModule(await wat(source)));
}

const LEAVES = `
  (type $bin (func (param i32 i32) (result i32)))
  (func $add (type $bin) (i32.add (local.get 0) (local.get 1)))
  (func $sub (type $bin) (i32.sub (local.get 0) (local.get 1)))`;

describe('planCalls', () => {
  it('lets callers pay for small loop-free functions, by their instruction count', async () => {
    const calls = await plan(`(module ${LEAVES} (func (export "run") (result i32) (call $add (i32.const 1) (i32.const 2))))`);
    expect([...calls.callerCharged]).toEqual([0, 1]);
    expect(calls.directCost(0)).toBe(4);
    expect(calls.directCost(2)).toBeNull();
  });

  it('lets leaves call leaves, directly or through a table, adding up their costs', async () => {
    const calls = await plan(`(module ${LEAVES}
      (table 1 funcref) (elem (i32.const 0) $sub)
      (func $wrapper (param i32 i32 i32) (result i32)
        (call_indirect (type $bin) (call $add (local.get 0) (local.get 1)) (local.get 1) (local.get 2)))
      (func $outer (result i32) (call $wrapper (i32.const 1) (i32.const 2) (i32.const 0))))`);
    expect([...calls.callerCharged]).toEqual([0, 1, 2, 3]);
    expect(calls.directCost(2)).toBe(7 + 4 + 4);
    expect(calls.directCost(3)).toBe(5 + 15);
  });

  it('keeps self-metering for exported functions, the start function and anything that loops, calls, throws or grows', async () => {
    const calls = await plan(`(module
      (memory 1) (tag $e)
      (func $exported (export "e") (nop))
      (func $start (nop)) (start $start)
      (func $loops (loop (nop)))
      (func $calls (call $exported))
      (func $throws (throw $e))
      (func $fills (memory.fill (i32.const 0) (i32.const 0) (i32.const 0)))
      (func $large ${'(drop (i32.const 0)) '.repeat(40)}))`);
    expect([...calls.callerCharged]).toEqual([]);
  });

  it('charges call_indirect the largest cost of the table functions of its type', async () => {
    const calls = await plan(`(module ${LEAVES}
      (func $long (type $bin) (i32.mul (i32.add (local.get 0) (local.get 1)) (i32.const 3)))
      (table 3 funcref) (elem (i32.const 0) $add $sub $long)
      (type $other (func (result i64))))`);
    expect([...calls.callerCharged]).toEqual([0, 1, 2]);
    expect(calls.indirectCost(0)).toBe(6);
    expect(calls.indirectCost(1)).toBe(0); // no table function has this type: the call can only trap
  });

  it('meters around call_indirect when a function of that type meters itself', async () => {
    const calls = await plan(`(module ${LEAVES}
      (func $loops (type $bin) (loop (br_if 0 (local.get 0))) (local.get 1))
      (func $unrelated (result i32) (i32.const 1))
      (table 2 funcref) (elem (i32.const 0) $add $loops))`);
    expect(calls.indirectCost(0)).toBeNull();
    expect([...calls.callerCharged]).toEqual([1, 3]); // $sub and $unrelated are in no table
  });

  it('counts exported functions as table candidates only when code takes a reference to them', async () => {
    const source = (takeRef: string): string => `(module ${LEAVES}
      (func $execute (export "execute") (type $bin) (loop (br_if 0 (local.get 0))) (local.get 1))
      (table 2 funcref) (elem (i32.const 0) $add)
      (func (export "setup") ${takeRef}))`;
    expect((await plan(source(''))).indirectCost(0)).toBe(4);
    expect((await plan(source('(table.set (i32.const 1) (ref.func $execute))'))).indirectCost(0)).toBeNull();
  });

  it('meters every indirect call when functions from outside can reach a table', async () => {
    const exportedTable = await plan(`(module ${LEAVES} (table (export "t") 1 funcref) (elem (i32.const 0) $add))`);
    expect(exportedTable.indirectCost(0)).toBeNull();
    expect(exportedTable.callerCharged.has(0)).toBe(false);
    expect(exportedTable.callerCharged.has(1)).toBe(true);
    const funcrefParameter = await plan(`(module ${LEAVES}
      (table 1 funcref) (elem (i32.const 0) $add)
      (func (export "put") (param funcref) (table.set (i32.const 0) (local.get 0))))`);
    expect(funcrefParameter.indirectCost(0)).toBeNull();
    const importedInTable = await plan(`(module
      (type $bin (func (param i32 i32) (result i32)))
      (import "env" "f" (func $f (type $bin)))
      (func $add (type $bin) (i32.add (local.get 0) (local.get 1)))
      (table 2 funcref) (elem (i32.const 0) $f $add))`);
    expect(importedInTable.indirectCost(0)).toBeNull();
  });
});

describe('caller-charged leaves at run time', () => {
  it('leaves their bodies untouched and still charges exactly the instructions executed', async () => {
    const bytes = await wat(`(module ${LEAVES}
      (table 2 funcref) (elem (i32.const 0) $add $sub)
      (func (export "run") (param $n i32) (result i32) (local $i i32) (local $acc i32)
        (loop $l
          (local.set $acc (call $add (local.get $acc) (local.get $i)))
          (local.set $acc (call_indirect (type $bin) (local.get $acc) (i32.const 1) (i32.and (local.get $i) (i32.const 1))))
          (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
        (local.get $acc))
      (func (export "tail") (result i32) (return_call $add (i32.const 1) (i32.const 2))))`);
    const instrumented = instrumentModule(bytes, { meterFuel: true, memoryMaxPages: 1, tableMaxElements: 10 });
    const [before, after] = [readModule(bytes), readModule(instrumented)];
    const body = (module: typeof before, i: number): number[] => {
      const range = module.bodies[i];
      return range === undefined ? [] : [...module.bytes.subarray(range.start, range.end)];
    };
    expect(body(after, 0)).toEqual(body(before, 0));
    expect(body(after, 1)).toEqual(body(before, 1));
    expect(body(after, 2)).not.toEqual(body(before, 2));

    const exports = new WebAssembly.Instance(new WebAssembly.Module(instrumented)).exports;
    const fuel = exports[FUEL_EXPORT] as WebAssembly.Global;
    fuel.value = 1n << 40n;
    expect((exports.run as (n: number) => number)(1000)).toBe((999 * 1000) / 2);
    // Per iteration: 18 instructions in the loop, 4 in $add, 4 in $add or $sub; plus loop, end, local.get, end.
    expect((1n << 40n) - (fuel.value as bigint)).toBe(26n * 1000n + 4n);
    fuel.value = 100n;
    expect((exports.tail as () => number)()).toBe(3);
    expect(100n - (fuel.value as bigint)).toBe(3n + 4n); // i32.const ×2 and return_call, then $add's 4
  });
});
