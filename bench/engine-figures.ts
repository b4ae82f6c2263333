// Open-loop figures of the MIDI hot path (issue #16): presses injected on a fixed schedule, independent of when earlier
// ones finish, through virtual controller → engine → one trivial plugin in its sandbox. Bench only; asserts nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { EngineEvent } from '../src-shared/engine';
import { Engine } from '../src-main/engine';
import { makeConfig, mapping } from '../src-main/engine/test-support/test-config';
import { createDeviceManager } from '../src-main/midi/device-manager';
import type { VirtualDevice } from '../src-main/midi/virtual-device';
import { PluginManager } from '../src-main/plugins/host/manager';
import { DEFAULT_POLICY } from '../src-main/trust/policy';

/** One open-loop step: `presses` presses at `rate`/s. */
export interface OpenLoopStep {
  rate: number;
  presses: number;
  /** Scheduled press time → its action finished (ok or error), sorted ascending (µs); dropped presses have none. */
  latencyUs: number[];
  p50Us: number;
  p99Us: number;
  /** Presses that never ran: dropped by the engine (queue full, plugin busy) or not finished within the grace time. */
  dropped: number;
  /** Presses whose action finished with an error (other than a drop). */
  errors: number;
  /** How late the injector was against the schedule, p99 (µs): large values mean this process was stalled. */
  injectLagP99Us: number;
}

export interface EngineOpenLoopFigures {
  /** The 1,000 presses/s step. */
  at1k: OpenLoopStep;
  /** The highest rate of `rates` whose step had no drop, no error and p99 ≤ `p99LimitUs` (0 if none). */
  maxPressesPerSec: number;
  /** Every step run, in order (the search stops at the first failing step). */
  steps: OpenLoopStep[];
}

export interface EngineOpenLoopOptions {
  /** Presses per step (≥ 5,000 for the reported figures; lower for a smoke run). */
  samples: number;
  /** Rates tried for the maximum, ascending (presses/s). */
  rates?: readonly number[];
  /** A step passes with p99 at or under this (µs). Default 5,000. */
  p99LimitUs?: number;
  /** How long to wait after the last injection for every press to finish (ms). Default 10,000. */
  graceMs?: number;
  log?: (line: string) => void;
}

export const DEFAULT_OPEN_LOOP_RATES: readonly number[] = [1000, 2000, 3000, 4000, 5000, 6000, 8000, 10_000, 12_000, 15_000, 20_000, 25_000, 30_000];

function percentile(sorted: ArrayLike<number>, p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? NaN;
}

/** A running engine for the engine figures: 16 pads, each a Note mapping into one trivial plugin, on the virtual controller. */
export interface EngineRig {
  engine: Engine;
  /** The virtual controller the presses come from. */
  pad: VirtualDevice;
  /** Presses and releases one pad (the action runs on its own). */
  press: (note: number) => void;
  pads: number[];
  close: () => Promise<void>;
}

/** Starts an EngineRig (plugins preloaded); `engineOptions` beyond the app's defaults (e.g. a deeper per-mapping queue). */
export async function startEngineRig(wasm: string, engineOptions: { maxPendingRunsPerMapping?: number } = {}): Promise<EngineRig> {
  const dir = mkdtempSync(join(tmpdir(), 'conductor-bench-engine-'));
  const plugins = await PluginManager.open({
    pluginsDir: join(dir, 'plugins'),
    trustedKeysPath: join(dir, 'trusted_keys.toml'),
    grantsPath: join(dir, 'grants.toml'),
    policy: DEFAULT_POLICY,
    officialKeyPath: null,
    host: { spareSandboxes: 0 },
  });
  const pads = Array.from({ length: 16 }, (_, i) => 36 + i);
  const config = makeConfig([
    { name: 'Bench', mappings: pads.map((note) => mapping(`pad ${note}`, { type: 'Note', note }, { type: 'WasmPlugin', path: wasm, params: { action: 'bench' } })) },
  ]);
  const devices = createDeviceManager(config.device, { backends: [], pollIntervalMs: 0, log: () => undefined });
  const engine = new Engine({ config, plugins, midiOut: devices.outputs, ...engineOptions });
  devices.onDidMidiEvent((e) => engine.handle(e));
  const pad = devices.virtualDevice;
  await engine.preloadPlugins();
  return {
    engine,
    pad,
    pads,
    press: (note) => {
      pad.pressPad(note, 100);
      pad.releasePad(note);
    },
    close: async () => {
      await engine.dispose();
      devices.dispose();
      await plugins.shutdown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One step: `n` presses scheduled at t0 + i/rate, injected from a setImmediate loop (every press due is injected at
 * once, so a stall of this process delays presses and the delay counts: latency is measured from the scheduled time).
 */
async function openLoopStep(rig: EngineRig, rate: number, n: number, graceMs: number): Promise<OpenLoopStep> {
  const { engine, pads, press } = rig;
  const scheduled = new Float64Array(n);
  const injected = new Float64Array(n);
  const finished = new Float64Array(n).fill(NaN);
  const failed = new Uint8Array(n); // 1 = error, 2 = dropped
  let firstRunId = -1;
  let lastRunId = -1;
  let done = 0;
  let allDone: (() => void) | null = null;
  const indexOf = (runId: number): number => (firstRunId < 0 ? -1 : runId - firstRunId);
  const settle = (i: number, at: number, kind: 0 | 1 | 2): void => {
    if (i < 0 || i >= n || !Number.isNaN(finished[i] ?? 0)) return;
    finished[i] = at;
    failed[i] = kind;
    if (++done === n) allDone?.();
  };
  const off = engine.onDidEngineEvent((e: EngineEvent) => {
    switch (e.kind) {
      case 'trigger':
        lastRunId = e.runId;
        break;
      case 'run-dropped':
        settle(indexOf(e.runId), performance.now(), 2);
        break;
      case 'action-finish':
        if (e.parentActionId === null) settle(indexOf(e.runId), performance.now(), 0);
        break;
      case 'action-error':
        if (e.parentActionId === null) settle(indexOf(e.runId), performance.now(), e.plugin?.errorKind === 'busy' ? 2 : 1);
        break;
      default:
        break;
    }
  });
  try {
    const stepMs = 1000 / rate;
    const t0 = performance.now() + 5;
    let i = 0;
    await new Promise<void>((resolve, reject) => {
      const tick = (): void => {
        const now = performance.now();
        const due = Math.min(n, Math.floor((now - t0) / stepMs) + 1);
        for (; i < due; i++) {
          scheduled[i] = t0 + i * stepMs;
          injected[i] = performance.now();
          press(pads[i % pads.length] ?? 36);
          if (i === 0) firstRunId = lastRunId;
          else if (lastRunId !== firstRunId + i) return reject(new Error(`bench: press ${i} fired run ${lastRunId}, expected ${firstRunId + i}`));
        }
        if (i < n) setImmediate(tick);
        else resolve();
      };
      setImmediate(tick);
    });
    if (done < n) {
      await new Promise<void>((resolve) => {
        allDone = resolve;
        setTimeout(resolve, graceMs).unref();
      });
    }
    await engine.idle();
  } finally {
    off();
  }
  const latencyUs: number[] = [];
  const lagUs: number[] = [];
  let dropped = 0;
  let errors = 0;
  for (let i = 0; i < n; i++) {
    lagUs.push(((injected[i] ?? 0) - (scheduled[i] ?? 0)) * 1000);
    const at = finished[i] ?? NaN;
    if (Number.isNaN(at) || failed[i] === 2) {
      dropped++;
      continue;
    }
    if (failed[i] === 1) errors++;
    latencyUs.push((at - (scheduled[i] ?? 0)) * 1000);
  }
  latencyUs.sort((a, b) => a - b);
  lagUs.sort((a, b) => a - b);
  return { rate, presses: n, latencyUs, p50Us: percentile(latencyUs, 50), p99Us: percentile(latencyUs, 99), dropped, errors, injectLagP99Us: percentile(lagUs, 99) };
}

/**
 * `engineP99At1kUs` and `engineMaxPressesPerSec`: the 1,000/s step, then the rates of `rates` in order until one fails
 * (a drop, an error, or p99 over the limit). Each step waits for the engine to be idle and pauses 200 ms before the next.
 */
export async function engineOpenLoopFigures(wasm: string, options: EngineOpenLoopOptions): Promise<EngineOpenLoopFigures> {
  const { samples, rates = DEFAULT_OPEN_LOOP_RATES, p99LimitUs = 5000, graceMs = 10_000, log = () => undefined } = options;
  const rig = await startEngineRig(wasm);
  try {
    // Warm up: sandbox, JIT, event path (open loop at a moderate rate).
    await openLoopStep(rig, 1000, Math.min(2000, Math.max(200, samples)), graceMs);
    const pause = (): Promise<void> => new Promise((r) => setTimeout(r, 200));
    await pause();
    const at1k = await openLoopStep(rig, 1000, samples, graceMs);
    log(`  open loop 1000/s: p50 ${at1k.p50Us.toFixed(0)} µs, p99 ${at1k.p99Us.toFixed(0)} µs, dropped ${at1k.dropped}, errors ${at1k.errors}`);
    const steps: OpenLoopStep[] = [];
    let maxPressesPerSec = 0;
    for (const rate of rates) {
      await pause();
      const step = rate === 1000 ? at1k : await openLoopStep(rig, rate, samples, graceMs);
      steps.push(step);
      const ok = step.dropped === 0 && step.errors === 0 && step.p99Us <= p99LimitUs;
      log(`  open loop ${rate}/s: p50 ${step.p50Us.toFixed(0)} µs, p99 ${step.p99Us.toFixed(0)} µs, dropped ${step.dropped}, errors ${step.errors}${ok ? '' : ' ✗'}`);
      if (!ok) break;
      maxPressesPerSec = rate;
    }
    return { at1k, maxPressesPerSec, steps };
  } finally {
    await rig.close();
  }
}
