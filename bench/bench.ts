// `npm run bench`: measures the plugin runtime (load, execute through the sandbox, in-process and IPC floors,
// metering overhead, RSS of one and of 32 plugins). Prints a table, or with --json exactly one JSON object. Asserts nothing.
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_LIMITS } from '../src-shared/plugin';
import { buildWatFixtures, cFixture, watBytes } from '../plugins/fixtures';
import { createPlugin } from '../src-main/plugins/host/create-plugin';
import { SandboxPool } from '../src-main/plugins/host/sandbox-pool';
import { PluginRuntime } from '../src-main/plugins/sandbox/runtime';
import { Guest } from '../src-main/plugins/sandbox/wasi/test-support/wasi-harness';
import { generateKeyPair } from '../src-main/trust/keys';
import type { EngineEvent } from '../src-shared/engine';
import { createVerifier, DEFAULT_POLICY } from '../src-main/trust/policy';
import { signPlugin } from '../src-main/trust/signature';
import { TrustedKeyStore } from '../src-main/trust/trusted-keys';
import { descendantPids, pluginsFootprintInChild, rssMb, startEchoChild } from './process-figures';
import { engineOpenLoopFigures, startEngineRig } from './engine-figures';
import { meteringMicrobenchmarks, meteringRatio } from './metering-figures';

const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');
/** A whole-number option `--name N` or `--name=N` (sample counts), else `fallback`. */
function intOption(name: string, fallback: number): number {
  const args = process.argv;
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return fallback;
  const text = args[i]?.includes('=') ? args[i]?.slice(name.length + 3) : args[i + 1];
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`--${name} wants a whole number ≥ 1, got ${text}`);
  return n;
}
const ctx = { trigger: 'bench', mode: 'Default', timestamp: 0 };
const log = (line: string): void => {
  if (!json) process.stderr.write(`${line}\n`);
};

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? NaN;
}
const median = (xs: number[]): number => percentile([...xs].sort((a, b) => a - b), 50);
const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;


/** `moduleCacheDir`: the sandboxes' instrumented-module cache (as in the app); without it every load instruments. */
async function coldLoads(path: string, runs: number, moduleCacheDir?: string): Promise<{ loadMs: number[]; firstMs: number[] }> {
  const loadMs: number[] = [];
  const firstMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const p = await createPlugin({ wasmPath: path, id: `cold${i}` }, moduleCacheDir ? { moduleCacheDir } : {}).loaded;
    const t1 = performance.now();
    await p.call({ action: 'noop' }, ctx);
    const t2 = performance.now();
    loadMs.push(t1 - t0);
    firstMs.push(t2 - t1);
    await p.close();
  }
  return { loadMs, firstMs };
}

/** Loading into an already-started spare sandbox: what a user waits for when installing or enabling a plugin. */
async function spareLoads(path: string, runs: number, moduleCacheDir?: string): Promise<number[]> {
  const out: number[] = [];
  const pool = new SandboxPool({ spareSandboxes: 1, ...(moduleCacheDir ? { moduleCacheDir } : {}) });
  for (let i = 0; i < runs; i++) {
    await new Promise((r) => setTimeout(r, 400)); // let the spare boot and warm up
    const t0 = performance.now();
    const p = await createPlugin({ wasmPath: path, id: `spare${i}` }, { pool }).loaded;
    out.push(performance.now() - t0);
    if (p.state !== 'ready') throw new Error(`load failed: ${p.snapshot().reason}`);
    await p.close();
  }
  await pool.dispose();
  return out;
}

/**
 * Warm calls through a sandbox process of its own and through a worker of the shared sandbox process, and the same
 * message's round trip to a bare forked echo child (no wasm): the IPC floor. Measured in the same interleaved rounds
 * (a block of each per round, the order rotating), same sample count.
 */
async function warmCalls(path: string, calls: number, rounds: number): Promise<{ us: number[]; sharedUs: number[]; floorUs: number[]; rss: number }> {
  const p = await createPlugin({ wasmPath: path, id: 'warm' }).loaded;
  const shared = await createPlugin({ wasmPath: path, id: 'warm-shared', limits: { isolation: 'shared' } }).loaded;
  const echo = await startEchoChild();
  try {
    const input = JSON.stringify({ action: 'noop', context: ctx });
    const plugin = (): Promise<unknown> => p.callRaw(input);
    const inShared = (): Promise<unknown> => shared.callRaw(input);
    const floor = (): Promise<unknown> => echo.roundTrip(input);
    for (let i = 0; i < 2000; i++) {
      await plugin();
      await inShared();
      await floor();
    }
    const us: number[] = [];
    const sharedUs: number[] = [];
    const floorUs: number[] = [];
    const block = async (call: () => Promise<unknown>, into: number[], n: number): Promise<void> => {
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        await call();
        into.push((performance.now() - t0) * 1000);
      }
    };
    const series: Array<[() => Promise<unknown>, number[]]> = [[plugin, us], [inShared, sharedUs], [floor, floorUs]];
    for (let r = 0; r < rounds; r++) {
      const n = Math.floor(calls / rounds) + (r < calls % rounds ? 1 : 0);
      for (let k = 0; k < series.length; k++) {
        const [call, into] = series[(r + k) % series.length] as [() => Promise<unknown>, number[]];
        await block(call, into, n);
      }
    }
    const rss = rssMb(p.pid);
    const sort = (xs: number[]): number[] => xs.sort((a, b) => a - b);
    return { us: sort(us), sharedUs: sort(sharedUs), floorUs: sort(floorUs), rss };
  } finally {
    await echo.close();
    await Promise.all([p.close(), shared.close()]);
  }
}

async function inProcessCalls(path: string, calls: number): Promise<number[]> {
  const { runtime } = await PluginRuntime.load(new Uint8Array(readFileSync(path)), { limits: { ...DEFAULT_LIMITS }, grants: [], dataDir: null });
  const input = JSON.stringify({ action: 'noop', context: ctx });
  for (let i = 0; i < 2000; i++) runtime.execute(input);
  const us: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    runtime.execute(input);
    us.push((performance.now() - t0) * 1000);
  }
  return us.sort((a, b) => a - b);
}

/** The verify step of a load: read the .sig, SHA-256 of the plugin, Ed25519 verify, trusted-key lookup. */
async function signatureChecks(path: string, runs: number): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'conductor-bench-sig-'));
  try {
    const wasm = join(dir, 'plugin.wasm');
    copyFileSync(path, wasm);
    const keys = await generateKeyPair(join(dir, 'key'));
    await signPlugin(wasm, join(dir, 'key'), { name: 'Bench', email: '' });
    const trusted = new TrustedKeyStore(join(dir, 'trusted_keys.toml'));
    await trusted.add({ publicKey: keys.publicKey, name: 'Bench' });
    const verify = createVerifier(trusted, () => DEFAULT_POLICY);
    const bytes = new Uint8Array(readFileSync(wasm));
    const ms: number[] = [];
    for (let i = 0; i < runs + 2; i++) {
      const started = performance.now();
      const result = await verify({ id: 'bench', wasmPath: wasm, bytes, sha256: '' });
      if (i >= 2) ms.push(performance.now() - started);
      if (result.tier !== 'trusted') throw new Error(`bench: expected a trusted signature, got ${result.detail}`);
    }
    return ms;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Virtual controller → parser → device manager → engine (trigger matching) → WasmPlugin action → plugin sandbox →
 * action-finish event. Latency: one pad press at a time. Throughput: presses over 16 pads/mappings with at most
 * 8 in flight (one plugin, one sandbox). Matching only: presses that match no mapping.
 */
/** Guest open + read + close of a file two directories deep, through the WASI jail in-process (µs per call). */
function wasiReads(backend: 'fd-relative' | 'portable', n: number): number[] {
  const g = new Guest({ fsBackend: backend });
  try {
    g.pathCall('path_create_directory', 'a');
    g.pathCall('path_create_directory', 'a/b');
    g.writeFile('a/b/f.txt', 'x');
    for (let i = 0; i < n / 10; i++) g.readFile('a/b/f.txt');
    const us: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      g.readFile('a/b/f.txt');
      us.push((performance.now() - t0) * 1000);
    }
    return us.sort((a, b) => a - b);
  } finally {
    g.cleanup();
  }
}

async function engineFigures(wasm: string, presses: number): Promise<{ latencyUs: number[]; eventsPerSec: number; matchOnlyPerSec: number }> {
  const rig = await startEngineRig(wasm, { maxPendingRunsPerMapping: 64 });
  const { engine, pad, pads } = rig;
  const finished: Array<() => void> = [];
  engine.onDidEngineEvent((e: EngineEvent) => {
    if (e.kind === 'action-finish' || e.kind === 'action-error') finished.shift()?.();
  });
  const press = (note: number): Promise<void> =>
    new Promise((resolve) => {
      finished.push(resolve);
      rig.press(note);
    });
  try {
    for (let i = 0; i < 50; i++) await press(36); // warm up: sandbox, JIT, event path
    const latencyUs: number[] = [];
    for (let i = 0; i < presses; i++) {
      const started = performance.now();
      await press(pads[i % pads.length] ?? 36);
      latencyUs.push((performance.now() - started) * 1000);
    }
    latencyUs.sort((a, b) => a - b);

    const inFlight = new Set<Promise<void>>();
    const t0 = performance.now();
    for (let i = 0; i < presses; i++) {
      if (inFlight.size >= 8) await Promise.race(inFlight);
      const p = press(pads[i % pads.length] ?? 36).then(() => void inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
    const eventsPerSec = presses / ((performance.now() - t0) / 1000);

    const unmatched = presses * 20;
    const t1 = performance.now();
    for (let i = 0; i < unmatched; i++) pad.pressPad(100, 100);
    const matchOnlyPerSec = unmatched / ((performance.now() - t1) / 1000);
    return { latencyUs, eventsPerSec, matchOnlyPerSec };
  } finally {
    await rig.close();
  }
}

async function main(): Promise<void> {
  const fx = await buildWatFixtures();
  try {
    const minimal = fx.path('minimal');
    const runs = quick ? 3 : 10;
    const calls = intOption('calls', quick ? 2000 : 20_000);
    const footprintRounds = intOption('footprint-rounds', quick ? 1 : 3);
    // 1 then 32 trivial plugins through the app's loading path, each round in a host process of its own (this one holds
    // the bench's tooling), with the app's instrumented-module cache. One pass with it empty (the app's first start), then the rounds measured
    // with it filled (every later start).
    log('footprint: 1 and 32 trusted trivial plugins through the plugin manager…');
    const footprintCache = mkdtempSync(join(tmpdir(), 'conductor-bench-footprint-cache-'));
    const firstStart = await pluginsFootprintInChild(minimal, 32, { moduleCacheDir: footprintCache, settleMs: 0 });
    const one: number[] = [];
    const many: Array<{ loadMs: number; rssMb: number }> = [];
    for (let i = 0; i < footprintRounds; i++) {
      one.push((await pluginsFootprintInChild(minimal, 1, { moduleCacheDir: footprintCache })).rssMb);
      many.push(await pluginsFootprintInChild(minimal, 32, { moduleCacheDir: footprintCache }));
    }
    rmSync(footprintCache, { recursive: true, force: true });
    const rss1 = median(one);
    const rss32 = median(many.map((m) => m.rssMb));
    log('cold loads…');
    const cold = await coldLoads(minimal, runs);
    log('loads of a ~100 KB plugin into a started spare sandbox…');
    const spare = await spareLoads(cFixture('big'), runs);
    log('the same two with the instrumented module cached on disk (the first load of each fills the cache)…');
    const moduleCache = mkdtempSync(join(tmpdir(), 'conductor-bench-cache-'));
    const cachedCold = await coldLoads(minimal, runs + 1, moduleCache);
    const cold100Kb = await coldLoads(cFixture('big'), runs);
    const cachedCold100Kb = await coldLoads(cFixture('big'), runs + 1, moduleCache);
    const cachedSpare = await spareLoads(cFixture('big'), runs + 1, moduleCache);
    rmSync(moduleCache, { recursive: true, force: true });
    log('warm calls through the sandbox…');
    const warm = await warmCalls(minimal, calls, intOption('rounds', quick ? 4 : 10));
    log('in-process calls…');
    const inProc = await inProcessCalls(minimal, calls);
    log('signature checks…');
    const sig = await signatureChecks(cFixture('big'), quick ? 5 : 30);
    log('MIDI → engine → plugin…');
    const engineRun = await engineFigures(minimal, intOption('presses', quick ? 300 : 2000));
    log('MIDI → engine → plugin, open loop (1,000 presses/s, then rising rates until a drop or p99 > 5 ms)…');
    const openLoop = await engineOpenLoopFigures(minimal, { samples: intOption('open-loop-samples', quick ? 2000 : 5000), log });
    log('WASI file reads through the jail…');
    const jailReads = process.platform === 'linux' ? wasiReads('fd-relative', quick ? 2000 : 20_000) : null;
    const portableReads = wasiReads('portable', quick ? 2000 : 20_000);
    log('metering overhead…');
    const rounds = quick ? 5 : 15;
    const benchWasm = new Uint8Array(readFileSync(cFixture('bench')));
    const typicalCases = [
      await meteringRatio(benchWasm, JSON.stringify({ action: 'primes', n: 2_000_000 }), rounds),
      await meteringRatio(benchWasm, JSON.stringify({ action: 'sort', n: 200_000 }), rounds),
      await meteringRatio(benchWasm, JSON.stringify({ action: 'crc32', n: 4_000_000 }), rounds),
    ];
    const tight = await meteringRatio(await watBytes('tight-loop'), '{}', rounds);
    const typicalRatio = typicalCases.reduce((a, c) => a * c.ratio, 1) ** (1 / typicalCases.length);
    log('metering microbenchmarks (issue #16)…');
    const micro = await meteringMicrobenchmarks(rounds);
    const worstMetering = Math.max(typicalRatio, tight.ratio, ...typicalCases.map((c) => c.ratio), ...Object.values(micro).map((c) => c.ratio));

    const figures = {
      coldLoadMs: round(median(cold.loadMs)),
      coldLoadCachedMs: round(median(cachedCold.loadMs.slice(1))),
      coldLoad100KbMs: round(median(cold100Kb.loadMs)),
      coldLoadCached100KbMs: round(median(cachedCold100Kb.loadMs.slice(1))),
      spareLoadCached100KbMs: round(median(cachedSpare.slice(1)), 2),
      firstExecuteMs: round(median(cold.firstMs), 3),
      warmP50Us: round(percentile(warm.us, 50), 1),
      warmP99Us: round(percentile(warm.us, 99), 1),
      warmSharedP50Us: round(percentile(warm.sharedUs, 50), 1),
      warmSharedP99Us: round(percentile(warm.sharedUs, 99), 1),
      inProcessP50Us: round(percentile(inProc, 50), 2),
      meteringRatio: round(typicalRatio, 3),
      meteringRatioTightLoop: round(tight.ratio, 3),
      meteringNestedShortLoopsRatio: round(micro.nestedShortLoops.ratio, 3),
      meteringSmallFnLoopRatio: round(micro.smallFnLoop.ratio, 3),
      meteringCallIndirectRatio: round(micro.callIndirect.ratio, 3),
      meteringRecursionRatio: round(micro.recursion.ratio, 3),
      meteringCTreeRatio: round(micro.cTree.ratio, 3),
      meteringWorstRatio: round(worstMetering, 3),
      spareLoad100KbMs: round(median(spare), 2),
      verifySignature100KbMs: round(median(sig), 2),
      engineLatencyP50Us: round(percentile(engineRun.latencyUs, 50), 1),
      engineLatencyP99Us: round(percentile(engineRun.latencyUs, 99), 1),
      engineEventsPerSec: Math.round(engineRun.eventsPerSec),
      matchOnlyEventsPerSec: Math.round(engineRun.matchOnlyPerSec),
      sandboxRssMb: round(warm.rss, 1),
      wasiReadP50Us: jailReads ? round(percentile(jailReads, 50), 1) : null,
      wasiReadPortableP50Us: round(percentile(portableReads, 50), 1),
      ipcFloorP50Us: round(percentile(warm.floorUs, 50), 1),
      ipcFloorP99Us: round(percentile(warm.floorUs, 99), 1),
      plugins32RssMb: round(rss32, 1),
      plugins32LoadMs: round(median(many.map((m) => m.loadMs)), 1),
      plugins32FirstLoadMs: round(firstStart.loadMs, 1),
      marginalPluginRssMb: round((rss32 - rss1) / 31, 2),
      engineOverheadP50Us: round(percentile(engineRun.latencyUs, 50) - percentile(warm.us, 50), 1),
      engineP99At1kUs: round(openLoop.at1k.p99Us, 1),
      engineMaxPressesPerSec: openLoop.maxPressesPerSec,
    };
    if (json) {
      process.stdout.write(`${JSON.stringify(figures)}\n`);
      return;
    }
    const rows: Array<[string, string, string]> = [
      ['coldLoadMs', 'cold load: spawn + verify + instrument + compile + init (median)', 'ms'],
      ['coldLoadCachedMs', 'the same, instrumented module from the cache on disk (median)', 'ms'],
      ['coldLoad100KbMs', 'cold load of a ~100 KB plugin (median)', 'ms'],
      ['coldLoadCached100KbMs', 'the same, instrumented module from the cache on disk (median)', 'ms'],
      ['firstExecuteMs', 'first execute after load (median)', 'ms'],
      ['warmP50Us', 'warm execute through the sandbox, p50', 'µs'],
      ['warmP99Us', 'warm execute through the sandbox, p99', 'µs'],
      ['warmSharedP50Us', 'the same through a worker of the shared sandbox process, p50', 'µs'],
      ['warmSharedP99Us', 'the same, p99', 'µs'],
      ['inProcessP50Us', 'the same call in-process, no sandbox (the floor), p50', 'µs'],
      ['meteringRatio', 'metered / unmetered time, typical C code (geomean of primes, sort, crc32)', '×'],
      ['meteringRatioTightLoop', 'metered / unmetered time, tight arithmetic loop', '×'],
      ['meteringNestedShortLoopsRatio', 'metered / unmetered, nested loops whose inner loop runs 1–4 times', '×'],
      ['meteringSmallFnLoopRatio', 'metered / unmetered, calls to a small function with a 4-iteration loop', '×'],
      ['meteringCallIndirectRatio', 'metered / unmetered, call_indirect to small non-leaf functions', '×'],
      ['meteringRecursionRatio', 'metered / unmetered, linear recursion 1,000 deep', '×'],
      ['meteringCTreeRatio', 'metered / unmetered, C binary search tree build + walk + free (60,000 keys)', '×'],
      ['meteringWorstRatio', 'the largest metering ratio above (and of primes, sort, crc32 alone)', '×'],
      ['spareLoad100KbMs', 'load a ~100 KB plugin into a started spare sandbox (median)', 'ms'],
      ['spareLoadCached100KbMs', 'the same, instrumented module from the cache on disk (median)', 'ms'],
      ['engineLatencyP50Us', 'virtual pad press → matched → trivial plugin → action finished, p50', 'µs'],
      ['engineLatencyP99Us', 'the same, p99', 'µs'],
      ['engineEventsPerSec', 'pad presses/s through matching into the plugin (16 mappings, ≤ 8 in flight)', '/s'],
      ['matchOnlyEventsPerSec', 'MIDI events/s through the parser and trigger matching (no mapping matches)', '/s'],
      ['verifySignature100KbMs', 'verify step of a load, ~100 KB plugin: .sig + SHA-256 + Ed25519 + trusted keys (median)', 'ms'],
      ['sandboxRssMb', 'sandbox process RSS with a plugin loaded', 'MiB'],
      ['wasiReadP50Us', 'guest open+read+close of a/b/f.txt through the fd-relative jail (Linux), p50', 'µs'],
      ['wasiReadPortableP50Us', 'the same through the portable path-check jail (the fallback), p50', 'µs'],
      ['ipcFloorP50Us', 'bare fork JSON round trip of the same message (echo child, no wasm), same rounds as warm, p50', 'µs'],
      ['ipcFloorP99Us', 'the same, p99', 'µs'],
      ['plugins32RssMb', 'RSS of this process + every process it started, 32 trusted trivial plugins loaded (default policy)', 'MiB'],
      ['plugins32LoadMs', 'load those 32 as the app does at start (PluginManager.discover; module cache filled)', 'ms'],
      ['plugins32FirstLoadMs', 'the same on the first start ever (module cache empty: each plugin instrumented)', 'ms'],
      ['marginalPluginRssMb', '(RSS with 32 − RSS with 1) / 31', 'MiB'],
      ['engineOverheadP50Us', 'engineLatencyP50Us − warmP50Us: what the engine adds to the sandbox round trip', 'µs'],
      ['engineP99At1kUs', 'open loop, 1,000 presses/s on a fixed schedule: scheduled press → action finished, p99', 'µs'],
      ['engineMaxPressesPerSec', 'highest open-loop rate (steps) with no dropped press and p99 ≤ 5 ms', '/s'],
    ];
    for (const [key, label, unit] of rows) {
      process.stdout.write(`${key.padEnd(24)} ${String(figures[key as keyof typeof figures]).padStart(10)} ${unit.padEnd(4)} ${label}\n`);
    }
    for (const [name, c] of [['primes', typicalCases[0]], ['sort', typicalCases[1]], ['crc32', typicalCases[2]], ['tight-loop', tight]] as const) {
      process.stdout.write(`  metering ${name.padEnd(10)} plain ${c?.plainMs.toFixed(2)} ms, metered ${c?.meteredMs.toFixed(2)} ms, ratio ${c?.ratio.toFixed(3)}\n`);
    }
  } finally {
    fx.cleanup();
    // Everything the bench started must be stopped by now; say so (on stderr, even with --json) if not.
    const left = descendantPids(process.pid);
    if (left.length > 0) process.stderr.write(`bench: ${left.length} started process(es) still running: ${left.join(', ')}\n`);
  }
}

await main();
