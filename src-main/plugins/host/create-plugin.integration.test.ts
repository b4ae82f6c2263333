// createPlugin and the plugin handle against real sandbox processes (dist/sandbox.js, built by `npm test`), sharing
// one sandbox pool as the app does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorMessage } from '../../../src-shared/errors';
import type { LifecycleEvent, LifecyclePhase } from '../../../src-shared/plugin';
import { buildWatFixtures, cFixture, watToWasm } from '../../../plugins/fixtures';
import { ManualClock } from '../../common/test-support/manual-clock';
import type { PluginHandle } from './plugin-handle';
import { createPlugin, PluginOptionsError, type PluginManifest } from './create-plugin';
import { buildExecuteInput } from './plugin-load';
import { SandboxPool } from './sandbox-pool';

const ctx = { trigger: 'Note', note: 60, velocity: 100, channel: 0, mode: 'Default', timestamp: 1732500000000 };
let fx: Awaited<ReturnType<typeof buildWatFixtures>>;
let pool: SandboxPool;
const opened: PluginHandle[] = [];

/** A plugin in the shared pool, closed after all tests if a test did not close it. */
function open(manifest: PluginManifest): PluginHandle {
  const plugin = createPlugin(manifest, { pool, breaker: { maxFailures: 3, windowMs: 60_000 } });
  opened.push(plugin);
  return plugin;
}
const load = (manifest: PluginManifest): Promise<PluginHandle> => open(manifest).loaded;

/** Resolves with the first lifecycle event of `plugin` in `phase`. */
function next(plugin: PluginHandle, phase: LifecyclePhase): Promise<LifecycleEvent> {
  return new Promise((resolve) => {
    const off = plugin.onDidLifecycle((e) => {
      if (e.phase !== phase) return;
      off();
      resolve(e);
    });
  });
}

beforeAll(async () => {
  fx = await buildWatFixtures();
  pool = new SandboxPool({ spareSandboxes: 1 });
});

afterAll(async () => {
  await Promise.all(opened.map((p) => p.close()));
  await pool.dispose();
  fx.cleanup();
});

describe('createPlugin', () => {
  it('passes params and the trigger context as the execute input', async () => {
    const p = await load({ wasmPath: fx.path('echo'), id: 'echo' });
    const r = await p.call({ action: 'play', volume: 7 }, ctx);
    expect(r).toMatchObject({ ok: true, code: 0, error: null });
    expect(r.log).toHaveLength(1);
    const logged = JSON.parse((r.log[0] ?? '').replace(/^\[info\] /, ''));
    expect(logged).toEqual({ action: 'play', volume: 7, parameters: { action: 'play', volume: 7 }, context: ctx });
    expect(r.fuelConsumed).toBeGreaterThan(0);
    await p.close();
  });

  it('runs the lifecycle in order and keeps the instance warm across calls', async () => {
    const events: LifecycleEvent[] = [];
    const plugin = open({ wasmPath: fx.path('lifecycle'), id: 'lifecycle' });
    plugin.onDidLifecycle((e) => events.push(e));
    const p = await plugin.loaded;
    expect(p.snapshot().state).toBe('ready');
    expect(p.report?.initLog).toEqual(['[info] init']);
    expect((await p.callRaw('{}')).code).toBe(0);
    expect((await p.callRaw('{}')).code).toBe(102);
    expect((await p.callRaw('{}')).code).toBe(103);
    await p.close();
    const phases = events.filter((e) => e.pluginId === 'lifecycle').map((e) => e.phase);
    expect(phases).toEqual(['load', 'verify', 'init', 'ready', 'execute', 'execute', 'execute', 'shutdown', 'unload']);
    expect(events.find((e) => e.phase === 'shutdown')?.detail).toContain('bye');
    expect(p.snapshot().state).toBe('unloaded');
  });

  it('reads metadata from init() -> i64', async () => {
    const p = await load({ wasmPath: fx.path('metadata'), id: 'metadata' });
    const m = p.snapshot().metadata;
    expect(m).toMatchObject({ name: 'meta-demo', version: '1.2.3', source: 'init', capabilities: ['network', 'filesystem'] });
    expect(m?.actions[0]?.parameters[0]).toEqual({ name: 'volume', type: 'number', required: false, description: '0-100' });
    await p.close();
  });

  it('reads metadata from a sidecar plugin.toml when init() does not return it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conductor-sidecar-'));
    try {
      const wasm = join(dir, 'demo.wasm');
      writeFileSync(wasm, readFileSync(fx.path('minimal')));
      writeFileSync(join(dir, 'plugin.toml'), 'name = "sidecar-demo"\nversion = "0.3.0"\ncapabilities = ["midi"]\n[[actions]]\nname = "go"\ndescription = "Go"\n');
      const p = await load({ wasmPath: wasm, id: 'sidecar' });
      expect(p.snapshot().metadata).toMatchObject({ name: 'sidecar-demo', version: '0.3.0', source: 'plugin.toml', capabilities: ['midi'] });
      await p.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('queues a call made while the plugin is still loading until the load has finished', async () => {
    const handle = open({ wasmPath: fx.path('echo'), id: 'early' });
    expect(handle.snapshot().state).toBe('loading');
    const r = await handle.call({ action: 'now' }, ctx);
    expect(r).toMatchObject({ ok: true, code: 0 });
    await handle.close();
  });

  it("gives the sandbox the sidecar's allowed_hosts, which the plugin cannot read itself", async () => {
    // A plugin without init metadata that calls http_request on 127.0.0.1:9 and returns the host's return code.
    const request = JSON.stringify({ url: 'http://127.0.0.1:9/' });
    const wat = `(module
      (import "conductor" "http_request" (func $http (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (data (i32.const 64) ${JSON.stringify(request)})
      (func (export "alloc") (param i32) (result i32) (i32.const 4096))
      (func (export "execute") (param i32 i32) (result i32)
        (call $http (i32.const 64) (i32.const ${request.length}) (i32.const 8192) (i32.const 16384))))`;
    const dir = mkdtempSync(join(tmpdir(), 'conductor-hosts-'));
    try {
      const wasm = join(dir, 'net.wasm');
      writeFileSync(wasm, await watToWasm(wat));
      writeFileSync(join(dir, 'net.plugin.toml'), 'name = "net"\ncapabilities = ["network"]\nallowed_hosts = ["api.example.org"]\n');
      const limited = await load({ wasmPath: wasm, id: 'hosts-limited', grants: ['network'] });
      expect(limited.snapshot().metadata).toMatchObject({ source: 'plugin.toml', allowedHosts: ['api.example.org'] });
      const refused = await limited.callRaw('{}');
      expect(refused.code).toBe(-3);
      expect(refused.log.join('\n')).toMatch(/127\.0\.0\.1/);
      await limited.close();

      writeFileSync(join(dir, 'net.plugin.toml'), 'name = "net"\ncapabilities = ["network"]\nallowed_hosts = ["127.0.0.1"]\n');
      const allowed = await load({ wasmPath: wasm, id: 'hosts-allowed', grants: ['network'] });
      // Allowed: the request is made (port 9 refuses it), so the host writes a response and returns its length.
      expect((await allowed.callRaw('{}')).code).toBeGreaterThan(0);
      await allowed.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails a load with the reason and keeps other plugins running', async () => {
    const good = await load({ wasmPath: fx.path('minimal'), id: 'bystander' });
    for (const [name, reason] of [
      ['missing-exports', /missing export "memory"/],
      ['bad-init', /export "init" has type \(i32\) -> \(i32\)/],
      ['unknown-import', /unknown host import "env"\."system"/],
      ['big-memory', /initial memory.*exceeds the limit/],
      ['big-table', /initial table.*exceeds the limit/],
      ['huge-metadata', /metadata of 4294967295 bytes/],
      ['start-loop', /instantiation failed \(the start function trapped or used up its 100000000 fuel\)/],
    ] as const) {
      const p = await load({ wasmPath: fx.path(name), id: name });
      const s = p.snapshot();
      expect(s.state, name).toBe('failed');
      expect(s.reason, name).toMatch(reason);
      const r = await p.callRaw('{}');
      expect(r.errorKind).toBe('load');
      await p.close();
    }
    expect((await good.callRaw('{}')).ok).toBe(true);
    await good.close();
  });

  it('refuses to restart from a file that changed after it was verified', async () => {
    const file = join(fx.dir, 'swapped.wasm');
    writeFileSync(file, readFileSync(fx.path('bombs')));
    const p = await load({ wasmPath: file, id: 'swapped', limits: { fuelPerCall: 1e15, callTimeoutMs: 300 } });
    expect(p.snapshot().state).toBe('ready');
    writeFileSync(file, readFileSync(fx.path('echo')));
    expect((await p.call({ action: 'loop' }, ctx)).errorKind).toBe('timeout'); // the sandbox is gone
    const r = await p.call({ action: 'nothing' }, ctx);
    expect(r).toMatchObject({ ok: false, errorKind: 'load' });
    expect(r.error).toMatch(/swapped\.wasm changed after it was verified \(SHA-256 [0-9a-f]{64}, expected [0-9a-f]{64}\)/);
    expect(p.snapshot().state).toBe('failed');
    await p.close();
  });

  it('rejects garbage bytes with a clear error', async () => {
    const file = join(fx.dir, 'garbage.wasm');
    writeFileSync(file, Buffer.from('this is not wasm at all'));
    const p = await load({ wasmPath: file, id: 'garbage' });
    expect(p.snapshot().state).toBe('failed');
    expect(p.snapshot().reason).toMatch(/not a WebAssembly module/);
    await p.close();
  });

  it('contains fuel, memory, table, recursion, trap and log bombs, and recovers after each', async () => {
    const p = await load({ wasmPath: fx.path('bombs'), id: 'bombs' });
    const run = (action: string) => p.call({ action }, ctx);

    const loop = await run('loop');
    expect(loop).toMatchObject({ ok: false, errorKind: 'out-of-fuel', error: 'out of fuel (limit 100000000)', fuelConsumed: 100_000_000 });

    const mem = await run('membomb');
    expect(mem.ok).toBe(true);
    expect(mem.log).toEqual(['[info] pages=02033']);
    expect(mem.memoryBytes).toBe(2033 * 65536);

    const table = await run('tablebomb');
    expect(table.log).toEqual(['[info] elements=09001']);

    const rec = await run('recurse');
    expect(rec).toMatchObject({ ok: false, errorKind: expect.stringMatching(/stack-overflow|out-of-fuel/) });

    const trap = await run('unreachable');
    expect(trap).toMatchObject({ ok: false, errorKind: 'trap' });
    expect(trap.error).toMatch(/unreachable/);

    const flood = await run('flood');
    expect(flood.ok).toBe(true); // a million log calls, of which only the first 64 KiB are kept
    expect(flood.log.join('\n').length).toBeLessThanOrEqual(64 * 1024 + 200);
    expect(flood.log.at(-1)).toMatch(/log truncated: \d+ bytes over the 65536-byte limit dropped/);

    const oob = await run('ghost-log');
    expect(oob).toMatchObject({ ok: false, errorKind: 'trap' });
    expect(oob.error).toMatch(/conductor.log message is out of bounds/);

    const big = await run('big-log');
    expect(big.ok).toBe(true);
    expect(big.log.at(-1)).toMatch(/log truncated/);

    // After all of that the plugin still answers, from a fresh instance.
    expect((await run('nothing')).code).toBe(1);
    expect(p.snapshot().state).toBe('ready');
    await p.close();
  });

  it('kills a call past its deadline, restarts the sandbox, and disables after repeated failures', async () => {
    const p = await load({ wasmPath: fx.path('bombs'), id: 'deadline', limits: { fuelPerCall: 1e15, callTimeoutMs: 300 } });
    const firstPid = p.pid;
    const r = await p.call({ action: 'loop' }, ctx);
    expect(r).toMatchObject({ ok: false, errorKind: 'timeout', error: 'timed out after 300 ms; the sandbox process was killed' });
    const ok = await p.call({ action: 'nothing' }, ctx);
    expect(ok.code).toBe(1); // it came back, in a new process
    expect(p.pid).not.toBe(firstPid);
    await p.call({ action: 'loop' }, ctx);
    await p.call({ action: 'loop' }, ctx);
    const s = p.snapshot();
    expect(s.state).toBe('disabled');
    expect(s.reason).toMatch(/disabled after 3 crashes or timeouts within 60 s \(last: timed out after 300 ms/);
    expect((await p.call({ action: 'nothing' }, ctx)).errorKind).toBe('disabled');
    p.reset();
    expect(p.snapshot()).toMatchObject({ state: 'restarting', reason: null });
    expect((await p.call({ action: 'nothing' }, ctx)).code).toBe(1);
    expect(p.snapshot().state).toBe('ready');
    await p.close();
  });

  it('fails the in-flight call when the sandbox process is killed, and comes back on the next call', async () => {
    const p = await load({ wasmPath: fx.path('bombs'), id: 'killed', limits: { fuelPerCall: 1e15, callTimeoutMs: 20_000 } });
    const executing = next(p, 'execute');
    const pending = p.call({ action: 'loop' }, ctx);
    await executing;
    process.kill(p.pid ?? -1, 'SIGKILL');
    const r = await pending;
    expect(r).toMatchObject({ ok: false, errorKind: 'crash' });
    expect(r.error).toMatch(/sandbox process crashed \(signal SIGKILL\)/);
    expect((await p.call({ action: 'nothing' }, ctx)).code).toBe(1);
    expect(p.snapshot().stats.crashes).toBe(1);
    await p.close();
  });

  it('bounds the queue: overflow fails fast with "plugin busy" while the main side stays responsive', async () => {
    const p = await load({ wasmPath: fx.path('bombs'), id: 'busy', limits: { fuelPerCall: 1e15, callTimeoutMs: 1_000, maxQueuedCalls: 2 } });
    const settled: string[] = [];
    const a = p.call({ action: 'loop' }, ctx).finally(() => settled.push('a'));
    const b = p.call({ action: 'nothing' }, ctx);
    const c = await p.call({ action: 'nothing' }, ctx);
    // The overflow was answered while the first call was still stuck in the plugin, not after it.
    expect(settled).toEqual([]);
    expect(c).toMatchObject({ ok: false, errorKind: 'busy', error: 'plugin busy: 2 calls already queued' });
    expect((await a).errorKind).toBe('timeout');
    expect((await b).code).toBe(1);
    await p.close();
  });

  it('builds execute input with params first, then parameters and context', () => {
    expect(JSON.parse(buildExecuteInput({ action: 'x' }, ctx))).toEqual({ action: 'x', parameters: { action: 'x' }, context: ctx });
  });

  it('refuses impossible options at creation, before anything starts', () => {
    const wasmPath = fx.path('echo');
    const refused = (manifest: PluginManifest, options: Parameters<typeof createPlugin>[1] = {}): string => {
      try {
        createPlugin(manifest, options);
      } catch (err) {
        expect(err).toBeInstanceOf(PluginOptionsError);
        return errorMessage(err);
      }
      throw new Error('createPlugin accepted the options');
    };
    expect(refused({ wasmPath, grants: ['midi'], authorize: async () => ({ granted: [], pending: [], denied: [] }) })).toMatch(/both fixed grants and an authorize hook/);
    expect(refused({ wasmPath }, { pool, spawner: () => ({}) as never })).toMatch(/a pool and a spawner or sandbox entry/);
    expect(refused({ wasmPath }, { pool, sandboxEntry: '/elsewhere/sandbox.js' })).toMatch(/a pool and a spawner or sandbox entry/);
    expect(refused({ wasmPath }, { breaker: { maxFailures: 0, windowMs: 1000 } })).toMatch(/breaker\.maxFailures must be a whole number ≥ 1, got 0/);
    expect(refused({ wasmPath }, { breaker: { maxFailures: 3, windowMs: 0 } })).toMatch(/breaker\.windowMs must be a positive number of milliseconds/);
    expect(refused({ wasmPath, limits: { callTimeoutMs: -5 } })).toBe('limits.callTimeoutMs must be a positive whole number, got -5');
    expect(refused({ wasmPath, limits: { memoryBytes: 1.5 } })).toBe('limits.memoryBytes must be a positive whole number, got 1.5');
    expect(refused({ wasmPath, grants: ['root' as never] })).toBe('unknown capability "root" in grants');
    expect(refused({ wasmPath: '' })).toBe('the manifest names no wasmPath');
  });

  it('without a pool, starts its own process and stops it on close', async () => {
    const plugin = await createPlugin({ wasmPath: fx.path('echo'), id: 'own-process' }).loaded;
    expect((await plugin.call({ action: 'x' }, ctx)).ok).toBe(true);
    const pid = plugin.pid ?? -1;
    expect(pid).toBeGreaterThan(0);
    await plugin.close();
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  });

  it('reports each state change; a call not yet in the sandbox when close begins, and any later, is refused alike', async () => {
    const plugin = open({ wasmPath: fx.path('echo'), id: 'states' });
    const changes: string[] = [];
    plugin.onDidChangeState(({ from, to }) => changes.push(`${from}→${to}`));
    const closed = new Promise<void>((resolve) => plugin.onDidClose(resolve));
    await plugin.loaded;
    expect((await plugin.call({ action: 'x' }, ctx)).ok).toBe(true);
    const early = plugin.call({ action: 'x' }, ctx);
    await plugin.close();
    await closed;
    expect(changes).toEqual(['loading→ready', 'ready→unloaded']);
    const refused = { ok: false, errorKind: 'disabled', error: 'plugin was unloaded' };
    expect(await early).toMatchObject(refused);
    expect(await plugin.call({ action: 'x' }, ctx)).toMatchObject(refused);
    expect(plugin.snapshot().state).toBe('unloaded');
  });

  it('a plugin closed while loading never becomes ready', async () => {
    const plugin = open({ wasmPath: fx.path('echo'), id: 'closed-early' });
    const states: string[] = [];
    const phases: string[] = [];
    plugin.onDidChangeState(({ to }) => states.push(to));
    plugin.onDidLifecycle((e) => phases.push(e.phase));
    await plugin.close();
    await plugin.loaded;
    expect(states).toEqual(['unloaded']);
    expect(phases).toEqual(['unload']);
    expect(plugin.snapshot()).toMatchObject({ state: 'unloaded', reason: null });
    expect(plugin.pid).toBeUndefined();
  });

  it('delivers what the plugin asks for (midi_send) through onDidHostEvent, before the call resolves', async () => {
    const plugin = await load({ wasmPath: cFixture('caps'), id: 'caps-events', grants: ['midi'] });
    const seen: unknown[] = [];
    plugin.onDidHostEvent((event) => seen.push(event));
    const r = await plugin.call({ action: 'midi', note: 62 }, ctx);
    expect(r).toMatchObject({ ok: true });
    expect(seen).toEqual([{ kind: 'midi', bytes: [0x90, 62, 100], port: null }]);
    await plugin.close();
  });
});

describe('the crash breaker on an injected clock', () => {
  it('counts sandbox deaths only within its window of clock time, and disables on the last one', async () => {
    const clock = new ManualClock();
    const plugin = createPlugin({ wasmPath: fx.path('minimal'), id: 'breaker' }, { pool, clock, breaker: { maxFailures: 2, windowMs: 10_000 } });
    opened.push(plugin);
    await plugin.loaded;
    const crash = async (): Promise<LifecycleEvent> => {
      if ((await plugin.callRaw('{}')).ok !== true) throw new Error('the plugin did not answer');
      const crashed = next(plugin, 'crash');
      process.kill(plugin.pid ?? -1, 'SIGKILL');
      return crashed;
    };
    expect((await crash()).at).toBe(clock.now());
    await clock.advance(10_000); // the first death leaves the window
    await crash();
    expect(plugin.snapshot()).toMatchObject({ state: 'ready', stats: { crashes: 2 } });
    const disabled = next(plugin, 'disabled');
    await crash();
    expect((await disabled).detail).toBe('disabled after 2 crashes or timeouts within 10 s (last: sandbox process died while idle)');
    expect(plugin.snapshot()).toMatchObject({ state: 'disabled', stats: { crashes: 3 } });
    plugin.reset();
    expect((await plugin.callRaw('{}')).ok).toBe(true);
  });
});
