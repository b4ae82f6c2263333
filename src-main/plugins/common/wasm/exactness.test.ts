// Fuel against the exact count of executed work (test-support/exact-count.ts): within 10% on the differential corpus
// and the metering microbenchmarks, and deterministic. Never times anything.

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cFixture, watBytes } from '../../../../plugins/fixtures';
import { instrumentModule } from './instrument';
import { exactCountModule } from './test-support/exact-count';
import { runExports, wat, type CallRecord } from './test-support/wat-runner';
import { FUEL_EXPORT } from './types';

const CORPUS_DIR = fileURLToPath(new URL('../../../../plugins/fixtures/ttf/', import.meta.url));
const corpus = readdirSync(CORPUS_DIR).filter((name) => name.endsWith('.wasm')).sort();
const OPTIONS = { meterFuel: true, memoryMaxPages: 2048, tableMaxElements: 10_000 };
const AMPLE = 1n << 50n;
/** Fuel may exceed the exact count by this fraction of it (issue #16: "exact to within 10%"). */
const TOLERANCE = 0.1;
/**
 * A single corpus call may exceed it by this much more: a small loop-free "leaf" is charged at its call site by its
 * whole size (at most 64 instructions, call-plan.ts), though a path through it may run fewer. Over a call of a few
 * dozen instructions that alone can pass 10% (worst found: 57 executed, 73 charged). Fuel never counts LESS than ran.
 */
const LEAF_SLACK = 32;

/** Work done (reference module) or fuel consumed (metered module) by each call, null where the call did not return. */
function used(records: readonly CallRecord[]): (bigint | null)[] {
  return records.map((record) => (record.outcome.startsWith('ok') && record.fuelLeft !== null ? AMPLE - record.fuelLeft : null));
}

/** Calls up to the first stack overflow in either run (metered frames are larger: see differential.test.ts). */
function comparable(a: readonly CallRecord[], b: readonly CallRecord[]): number {
  const overflow = [a, b].map((records) => records.findIndex((record) => record.stackOverflow)).filter((i) => i >= 0);
  return overflow.length === 0 ? Math.min(a.length, b.length) : Math.min(...overflow);
}

interface Comparison {
  readonly exact: bigint;
  readonly fuel: bigint;
}

function ratio({ exact, fuel }: Comparison): number {
  return exact === 0n ? (fuel === 0n ? 1 : Infinity) : Number(fuel) / Number(exact);
}

/** `execute(0, 0)` of a benchmark plugin on a fresh instance, with the counter (or fuel) global set to AMPLE first. */
function executeOnce(bytes: Uint8Array, input: string): bigint {
  const module = new WebAssembly.Module(bytes);
  const imports: Record<string, Record<string, WebAssembly.ImportValue>> = {};
  let memory: WebAssembly.Memory | null = null;
  for (const entry of WebAssembly.Module.imports(module)) (imports[entry.module] ??= {})[entry.name] = () => 0;
  // tree.c prints one line: fd_write reports every byte written (and drops them).
  (imports.wasi_snapshot_preview1 ??= {}).fd_write = (_fd: number, iovs: number, count: number, written: number): number => {
    const view = new DataView(memory!.buffer);
    let total = 0;
    for (let i = 0; i < count; i++) total += view.getUint32(iovs + 8 * i + 4, true);
    view.setUint32(written, total, true);
    return 0;
  };
  const e = new WebAssembly.Instance(module, imports).exports as Record<string, unknown>;
  memory = e.memory as WebAssembly.Memory;
  (e._initialize as (() => void) | undefined)?.();
  (e.init as (() => void) | undefined)?.();
  const data = new TextEncoder().encode(input);
  const ptr = (e.alloc as (n: number) => number)(data.byteLength);
  new Uint8Array((e.memory as WebAssembly.Memory).buffer, ptr, data.byteLength).set(data);
  const counter = e[FUEL_EXPORT] as WebAssembly.Global;
  counter.value = AMPLE;
  const code = (e.execute as (p: number, l: number) => number)(ptr, data.byteLength);
  expect(code).toBe(0);
  return AMPLE - (counter.value as bigint);
}

function compareExecute(bytes: Uint8Array, input: string): Comparison {
  const exact = executeOnce(exactCountModule(bytes), input);
  const instrumented = instrumentModule(bytes, OPTIONS);
  const fuel = executeOnce(instrumented, input);
  expect(executeOnce(instrumented, input)).toBe(fuel); // deterministic
  return { exact, fuel };
}

describe('the exact reference count', () => {
  it('counts every executed instruction once: loops per iteration, ends only when fallen through, dead code never', async () => {
    const bytes = exactCountModule(
      await wat(`(module
        (func (export "count") (param $n i32) (result i32) (local $i i32) (local $acc i32)
          (loop $l
            (local.set $acc (i32.add (local.get $acc) (local.get $i)))
            (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
          (local.get $acc))
        (func (export "three") (result i32) (i32.add (i32.const 1) (i32.const 2)))
        (func (export "skip") (result i32)
          (block $b (br $b) (drop (i32.const 1)) (drop (i32.const 2)))
          (if (result i32) (i32.const 0) (then (i32.const 1)) (else (i32.const 2))))
        (memory (export "memory") 1)
        (func (export "fill") (memory.fill (i32.const 0) (i32.const 0) (i32.const 100))))`),
    );
    const e = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as Record<string, (...args: number[]) => number>;
    const counter = e[FUEL_EXPORT] as unknown as WebAssembly.Global;
    const run = (name: string, ...args: number[]): bigint => {
      counter.value = 1000n << 20n;
      e[name]!(...args);
      return (1000n << 20n) - (counter.value as bigint);
    };
    expect(run('count', 1000)).toBe(11n * 1000n + 4n); // as fuel.test.ts counts it by hand
    expect(run('three')).toBe(4n);
    // block, br; i32.const, if; else-arm i32.const, end; the function's end. The block's `end` is branched over.
    expect(run('skip')).toBe(7n);
    expect(run('fill')).toBe(5n + 6n); // 3 consts, memory.fill, end; 100 bytes = 6 units of 16
  });
});

describe('fuel against the exact count', () => {
  it(`never counts less, and at most ${TOLERANCE * 100}% (+${LEAF_SLACK} for leaf calls) more, on every call of the ${corpus.length} corpus modules that returns; deterministic`, () => {
    let worst = { name: '', ratio: 1, exact: 0n, fuel: 0n };
    let calls = 0;
    let strictMisses = 0;
    let [exactTotal, fuelTotal] = [0n, 0n];
    const misses: string[] = [];
    for (const name of corpus) {
      const original = readFileSync(CORPUS_DIR + name);
      const reference = runExports(exactCountModule(original), AMPLE);
      const instrumented = instrumentModule(original, OPTIONS);
      const metered = runExports(instrumented, AMPLE);
      expect(runExports(instrumented, AMPLE)).toEqual(metered);
      const n = comparable(reference, metered);
      const [exact, fuel] = [used(reference.slice(0, n)), used(metered.slice(0, n))];
      for (let i = 0; i < n; i++) {
        expect(metered[i]!.outcome).toBe(reference[i]!.outcome);
        const e = exact[i];
        const f = fuel[i];
        if (e === null || e === undefined || f === null || f === undefined) continue;
        calls++;
        const r = ratio({ exact: e, fuel: f });
        if (Math.abs(r - 1) > Math.abs(worst.ratio - 1)) worst = { name: `${name} ${metered[i]!.name}`, ratio: r, exact: e, fuel: f };
        exactTotal += e;
        fuelTotal += f;
        if (Number(f - e) > TOLERANCE * Number(e)) strictMisses++;
        if (f < e || Number(f - e) > TOLERANCE * Number(e) + LEAF_SLACK) misses.push(`${name} ${metered[i]!.name}: exact ${e}, fuel ${f}`);
      }
    }
    const total = Number(fuelTotal) / Number(exactTotal);
    console.log(
      `corpus: ${calls} calls compared; all together fuel/exact ${total.toFixed(4)}; worst call ${worst.ratio.toFixed(4)} ` +
        `(${worst.name}: exact ${worst.exact}, fuel ${worst.fuel}); ${strictMisses} calls over ${TOLERANCE * 100}% (leaf calls)`,
    );
    expect(calls).toBeGreaterThan(200);
    expect(misses).toEqual([]);
    expect(total).toBeLessThanOrEqual(1 + TOLERANCE);
  }, 120_000);

  const microbenchmarks: readonly [string, () => Promise<[Uint8Array, string]>][] = [
    ['nested short loops', async () => [await watBytes('metering/nested-short-loops'), '{}']],
    ['small function with a loop', async () => [await watBytes('metering/small-fn-loop'), '{}']],
    ['call_indirect to non-leaf functions', async () => [await watBytes('metering/call-indirect'), '{}']],
    ['linear recursion', async () => [await watBytes('metering/recursion'), '{}']],
    ['C tree', () => Promise.resolve([new Uint8Array(readFileSync(cFixture('tree'))), JSON.stringify({ action: 'tree', n: 5_000 })])],
  ];

  it.each(microbenchmarks)(`is within ${TOLERANCE * 100}% of it on the %s microbenchmark, and deterministic`, async (label, load) => {
    const [bytes, input] = await load();
    const comparison = compareExecute(bytes, input);
    console.log(`${label}: exact ${comparison.exact}, fuel ${comparison.fuel}, fuel/exact ${ratio(comparison).toFixed(4)}`);
    expect(comparison.fuel).toBeGreaterThanOrEqual(comparison.exact);
    expect(ratio(comparison)).toBeLessThanOrEqual(1 + TOLERANCE);
  }, 60_000);
});
