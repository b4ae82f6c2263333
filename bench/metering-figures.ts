// Metering overhead for `npm run bench`: one module run plain and fuel-metered in this process, interleaved rounds,
// medians; plus the named microbenchmarks of issue #16 (the shapes metering handles worst). Never asserts a speed.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { cFixture, watBytes } from '../plugins/fixtures';
import { instrumentModule } from '../src-main/plugins/common/wasm/instrument';
import { FUEL_EXPORT } from '../src-main/plugins/common/wasm/types';
import { WasiPreview1 } from '../src-main/plugins/sandbox/wasi';

/** One module's median `execute` time unmetered and metered, and their ratio. */
export interface MeteringCase {
  readonly ratio: number;
  readonly plainMs: number;
  readonly meteredMs: number;
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length / 2) - 1)] ?? NaN;
}

/** A timed `execute(input)` on a fresh instance of `bytes`, metered (with ample fuel) or not; same caps, same WASI. */
async function timedExecute(bytes: Uint8Array, input: string, meterFuel: boolean): Promise<() => number> {
  const module = await WebAssembly.compile(instrumentModule(bytes, { memoryMaxPages: 2048, tableMaxElements: 10_000, meterFuel }));
  const wasi = new WasiPreview1({ dataDir: null, stdout: () => {}, stderr: () => {} });
  const instance = new WebAssembly.Instance(module, { wasi_snapshot_preview1: wasi.imports, conductor: { log: () => {} } });
  const e = instance.exports as Record<string, unknown>;
  wasi.bindMemory(e.memory as WebAssembly.Memory);
  (e._initialize as (() => void) | undefined)?.();
  (e.init as (() => void) | undefined)?.();
  const fuel = e[FUEL_EXPORT] as WebAssembly.Global | undefined;
  const data = new TextEncoder().encode(input);
  return () => {
    if (fuel) fuel.value = 1n << 60n;
    const ptr = (e.alloc as (n: number) => number)(data.byteLength);
    new Uint8Array((e.memory as WebAssembly.Memory).buffer, ptr, data.byteLength).set(data);
    const t0 = performance.now();
    const code = (e.execute as (p: number, l: number) => number)(ptr, data.byteLength);
    const dt = performance.now() - t0;
    (e.dealloc as ((p: number, l: number) => void) | undefined)?.(ptr, data.byteLength);
    if (code !== 0) throw new Error(`benchmark plugin returned ${code}`);
    return dt;
  };
}

/** Median time of `execute` for the same module unmetered vs metered, interleaved (3 warm-up pairs, then `rounds`). */
export async function meteringRatio(bytes: Uint8Array, input: string, rounds: number): Promise<MeteringCase> {
  const plain = await timedExecute(bytes, input, false);
  const metered = await timedExecute(bytes, input, true);
  for (let i = 0; i < 3; i++) {
    plain();
    metered();
  }
  const p: number[] = [];
  const m: number[] = [];
  for (let i = 0; i < rounds; i++) {
    p.push(plain());
    m.push(metered());
  }
  const plainMs = median(p);
  const meteredMs = median(m);
  return { ratio: meteredMs / plainMs, plainMs, meteredMs };
}

/** The microbenchmarks: WAT in plugins/fixtures/wat/metering/, C in plugins/fixtures/c/tree.c. */
export interface MeteringMicrobenchmarks {
  /** Nested loops whose inner loop runs 1–4 times. */
  readonly nestedShortLoops: MeteringCase;
  /** Calls to a small function whose body is a 4-iteration loop. */
  readonly smallFnLoop: MeteringCase;
  /** call_indirect to small non-leaf functions. */
  readonly callIndirect: MeteringCase;
  /** Linear recursion 1,000 deep. */
  readonly recursion: MeteringCase;
  /** C: build, walk and free a binary search tree (malloc per node, recursive walk). */
  readonly cTree: MeteringCase;
}

export async function meteringMicrobenchmarks(rounds: number): Promise<MeteringMicrobenchmarks> {
  const wat = async (name: string): Promise<MeteringCase> => meteringRatio(await watBytes(`metering/${name}`), '{}', rounds);
  return {
    nestedShortLoops: await wat('nested-short-loops'),
    smallFnLoop: await wat('small-fn-loop'),
    callIndirect: await wat('call-indirect'),
    recursion: await wat('recursion'),
    cTree: await meteringRatio(new Uint8Array(readFileSync(cFixture('tree'))), JSON.stringify({ action: 'tree', n: 60_000 }), rounds),
  };
}
