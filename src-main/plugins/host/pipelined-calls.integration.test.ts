// Calls sent ahead to a real sandbox process (dist/sandbox.js): they run one at a time there, in order; when the
// running call crashes or times out, only it fails, and the calls behind it (never begun) run in the next sandbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallResult } from '../../../src-shared/plugin';
import { buildWatFixtures } from '../../../plugins/fixtures';
import { createPlugin, type PluginManifest } from './create-plugin';
import type { PluginHandle } from './plugin-handle';
import { SandboxPool } from './sandbox-pool';

const ctx = { trigger: 'Note', note: 60, velocity: 100, channel: 0, mode: 'Default', timestamp: 1732500000000 };
let fx: Awaited<ReturnType<typeof buildWatFixtures>>;
const opened: PluginHandle[] = [];

let pool: SandboxPool;

/** `shared`: in a worker of the shared sandbox process (through the pool), else in a process of its own. */
async function load(manifest: PluginManifest, shared = false): Promise<PluginHandle> {
  const plugin = createPlugin(shared ? { ...manifest, limits: { ...manifest.limits, isolation: 'shared' } } : manifest, {
    ...(shared ? { pool } : {}),
    breaker: { maxFailures: 3, windowMs: 60_000 },
  });
  opened.push(plugin);
  return plugin.loaded;
}

/** Resolves once `plugin` has sent `count` execute messages (lifecycle `execute`) from now. */
function executes(plugin: PluginHandle, count: number): Promise<void> {
  let seen = 0;
  return new Promise((resolve) => {
    const off = plugin.onDidLifecycle((e) => {
      if (e.phase !== 'execute' || ++seen < count) return;
      off();
      resolve();
    });
  });
}

beforeAll(async () => {
  fx = await buildWatFixtures();
  pool = new SandboxPool({ spareSandboxes: 0 });
});

afterAll(async () => {
  await Promise.all(opened.map((p) => p.close()));
  await pool.dispose();
  fx.cleanup();
});

describe('calls sent ahead', () => {
  it('a burst is answered whole and in order', async () => {
    const p = await load({ wasmPath: fx.path('echo'), id: 'burst' });
    const order: number[] = [];
    const calls = Array.from({ length: 20 }, (_, i) => p.call({ action: 'n', i }, ctx).then((r) => (order.push(i), r)));
    const results = await Promise.all(calls);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.map((r) => JSON.parse((r.log[0] ?? '').replace(/^\[info\] /, '')).i)).toEqual(order);
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(p.snapshot().stats.calls).toBe(20);
  });

  it('the sandbox killed under a running call: it fails as a crash, the calls sent behind it run in the next sandbox', async () => {
    const p = await load({ wasmPath: fx.path('bombs'), id: 'killed-ahead', limits: { fuelPerCall: 1e15, callTimeoutMs: 20_000 } });
    const firstPid = p.pid;
    const sent = executes(p, 4);
    const stuck = p.call({ action: 'loop' }, ctx);
    const behind = [1, 2, 3].map(() => p.call({ action: 'nothing' }, ctx));
    await sent; // all four are in the sandbox's pipe: the three behind the loop were sent ahead
    process.kill(firstPid ?? -1, 'SIGKILL');
    expect(await stuck).toMatchObject({ ok: false, errorKind: 'crash' });
    const rest: CallResult[] = await Promise.all(behind);
    expect(rest.map((r) => r.code)).toEqual([1, 1, 1]); // "nothing" answers 1: each ran, in the new sandbox
    expect(p.pid).not.toBe(firstPid);
    expect(p.snapshot()).toMatchObject({ state: 'ready', stats: { calls: 4, crashes: 1 } });
  });

  it('a running call past its deadline: only it times out; the calls sent behind it run in the next sandbox', async () => {
    const p = await load({ wasmPath: fx.path('bombs'), id: 'timeout-ahead', limits: { fuelPerCall: 1e15, callTimeoutMs: 400 } });
    const sent = executes(p, 3);
    const stuck = p.call({ action: 'loop' }, ctx);
    const behind = [1, 2].map(() => p.call({ action: 'nothing' }, ctx));
    await sent;
    expect(await stuck).toMatchObject({ ok: false, errorKind: 'timeout' });
    expect((await Promise.all(behind)).map((r) => r.code)).toEqual([1, 1]);
    // Each call counted once (the two sent again are not counted twice), and the plugin stays ready.
    expect(p.snapshot()).toMatchObject({ state: 'ready', stats: { calls: 3, crashes: 0 } });
  });

  it('in the shared sandbox process: a burst in order, and a call past its deadline stops only its worker; the rest run again', async () => {
    const p = await load({ wasmPath: fx.path('bombs'), id: 'shared-ahead', limits: { fuelPerCall: 1e15, callTimeoutMs: 400 } }, true);
    expect(p.snapshot().isolation?.mode).toBe('shared');
    const burst = await Promise.all(Array.from({ length: 10 }, () => p.call({ action: 'nothing' }, ctx)));
    expect(burst.map((r) => r.code)).toEqual(Array.from({ length: 10 }, () => 1));
    const sent = executes(p, 3);
    const stuck = p.call({ action: 'loop' }, ctx);
    const behind = [1, 2].map(() => p.call({ action: 'nothing' }, ctx));
    await sent;
    expect(await stuck).toMatchObject({ ok: false, errorKind: 'timeout' });
    expect((await Promise.all(behind)).map((r) => r.code)).toEqual([1, 1]);
    expect(p.snapshot()).toMatchObject({ state: 'ready', stats: { calls: 13 } });
  });
});
