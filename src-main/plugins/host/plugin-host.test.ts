// The plugin host against real sandbox processes (dist/sandbox.js, built by `npm test`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LifecycleEvent } from '../../../src-shared/plugin';
import { buildWatFixtures, watToWasm } from '../../../plugins/fixtures';
import { buildExecuteInput, PluginHost } from './plugin-host';

const ctx = { trigger: 'Note', note: 60, velocity: 100, channel: 0, mode: 'Default', timestamp: 1732500000000 };
let fx: Awaited<ReturnType<typeof buildWatFixtures>>;
let host: PluginHost;
const events: LifecycleEvent[] = [];

beforeAll(async () => {
  fx = await buildWatFixtures();
  host = new PluginHost({ breaker: { maxFailures: 3, windowMs: 60_000 } });
  host.onDidLifecycle((e) => events.push(e));
});

afterAll(async () => {
  await host.shutdown();
  fx.cleanup();
});

describe('PluginHost', () => {
  it('passes params and the trigger context as the execute input', async () => {
    const p = await host.load({ wasmPath: fx.path('echo'), id: 'echo' });
    const r = await p.call({ action: 'play', volume: 7 }, ctx);
    expect(r).toMatchObject({ ok: true, code: 0, error: null });
    expect(r.log).toHaveLength(1);
    const logged = JSON.parse((r.log[0] ?? '').replace(/^\[info\] /, ''));
    expect(logged).toEqual({ action: 'play', volume: 7, parameters: { action: 'play', volume: 7 }, context: ctx });
    expect(r.fuelConsumed).toBeGreaterThan(0);
    await p.unload();
  });

  it('runs the lifecycle in order and keeps the instance warm across calls', async () => {
    events.length = 0;
    const p = await host.load({ wasmPath: fx.path('lifecycle'), id: 'lifecycle' });
    expect(p.snapshot().state).toBe('ready');
    expect(p.report?.initLog).toEqual(['[info] init']);
    expect((await p.callRaw('{}')).code).toBe(0);
    expect((await p.callRaw('{}')).code).toBe(102);
    expect((await p.callRaw('{}')).code).toBe(103);
    await p.unload();
    const phases = events.filter((e) => e.pluginId === 'lifecycle').map((e) => e.phase);
    expect(phases).toEqual(['load', 'verify', 'init', 'ready', 'execute', 'execute', 'execute', 'shutdown', 'unload']);
    expect(events.find((e) => e.phase === 'shutdown')?.detail).toContain('bye');
    expect(p.snapshot().state).toBe('unloaded');
  });

  it('reads metadata from init() -> i64', async () => {
    const p = await host.load({ wasmPath: fx.path('metadata'), id: 'metadata' });
    const m = p.snapshot().metadata;
    expect(m).toMatchObject({ name: 'meta-demo', version: '1.2.3', source: 'init', capabilities: ['network', 'filesystem'] });
    expect(m?.actions[0]?.parameters[0]).toEqual({ name: 'volume', type: 'number', required: false, description: '0-100' });
    await p.unload();
  });

  it('reads metadata from a sidecar plugin.toml when init() does not return it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conductor-sidecar-'));
    try {
      const wasm = join(dir, 'demo.wasm');
      writeFileSync(wasm, readFileSync(fx.path('minimal')));
      writeFileSync(join(dir, 'plugin.toml'), 'name = "sidecar-demo"\nversion = "0.3.0"\ncapabilities = ["midi"]\n[[actions]]\nname = "go"\ndescription = "Go"\n');
      const p = await host.load({ wasmPath: wasm, id: 'sidecar' });
      expect(p.snapshot().metadata).toMatchObject({ name: 'sidecar-demo', version: '0.3.0', source: 'plugin.toml', capabilities: ['midi'] });
      await p.unload();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('queues a call made while the plugin is still loading until the load has finished', async () => {
    const loading = host.load({ wasmPath: fx.path('echo'), id: 'early' });
    const handle = host.get('early');
    expect(handle?.snapshot().state).toBe('loading');
    const r = await handle!.call({ action: 'now' }, ctx);
    expect(r).toMatchObject({ ok: true, code: 0 });
    await (await loading).unload();
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
      const limited = await host.load({ wasmPath: wasm, id: 'hosts-limited', grants: ['network'] });
      expect(limited.snapshot().metadata).toMatchObject({ source: 'plugin.toml', allowedHosts: ['api.example.org'] });
      const refused = await limited.callRaw('{}');
      expect(refused.code).toBe(-3);
      expect(refused.log.join('\n')).toMatch(/127\.0\.0\.1/);
      await limited.unload();

      writeFileSync(join(dir, 'net.plugin.toml'), 'name = "net"\ncapabilities = ["network"]\nallowed_hosts = ["127.0.0.1"]\n');
      const allowed = await host.load({ wasmPath: wasm, id: 'hosts-allowed', grants: ['network'] });
      // Allowed: the request is made (port 9 refuses it), so the host writes a response and returns its length.
      expect((await allowed.callRaw('{}')).code).toBeGreaterThan(0);
      await allowed.unload();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails a load with the reason and keeps other plugins running', async () => {
    const good = await host.load({ wasmPath: fx.path('minimal'), id: 'bystander' });
    for (const [name, reason] of [
      ['missing-exports', /missing export "memory".*missing export "alloc"/],
      ['bad-init', /export "init" has type \(i32\) -> \(i32\)/],
      ['unknown-import', /unknown host import "env"\."system"/],
      ['big-memory', /initial memory.*exceeds the limit/],
      ['big-table', /initial table.*exceeds the limit/],
      ['huge-metadata', /metadata of 4294967295 bytes/],
      ['start-loop', /instantiation failed \(the start function trapped or used up its 100000000 fuel\)/],
    ] as const) {
      const p = await host.load({ wasmPath: fx.path(name), id: name });
      const s = p.snapshot();
      expect(s.state, name).toBe('failed');
      expect(s.reason, name).toMatch(reason);
      const r = await p.callRaw('{}');
      expect(r.errorKind).toBe('load');
      await p.unload();
    }
    expect((await good.callRaw('{}')).ok).toBe(true);
    await good.unload();
  });

  it('refuses to restart from a file that changed after it was verified', async () => {
    const file = join(fx.dir, 'swapped.wasm');
    writeFileSync(file, readFileSync(fx.path('bombs')));
    const p = await host.load({ wasmPath: file, id: 'swapped', limits: { fuelPerCall: 1e15, callTimeoutMs: 300 } });
    expect(p.snapshot().state).toBe('ready');
    writeFileSync(file, readFileSync(fx.path('echo')));
    expect((await p.call({ action: 'loop' }, ctx)).errorKind).toBe('timeout'); // the sandbox is gone
    const r = await p.call({ action: 'nothing' }, ctx);
    expect(r).toMatchObject({ ok: false, errorKind: 'load' });
    expect(r.error).toMatch(/swapped\.wasm changed after it was verified \(SHA-256 [0-9a-f]{64}, expected [0-9a-f]{64}\)/);
    expect(p.snapshot().state).toBe('failed');
    await p.unload();
  });

  it('rejects garbage bytes with a clear error', async () => {
    const file = join(fx.dir, 'garbage.wasm');
    writeFileSync(file, Buffer.from('this is not wasm at all'));
    const p = await host.load({ wasmPath: file, id: 'garbage' });
    expect(p.snapshot().state).toBe('failed');
    expect(p.snapshot().reason).toMatch(/not a WebAssembly module/);
    await p.unload();
  });

  it('contains fuel, memory, table, recursion, trap and log bombs, and recovers after each', async () => {
    const p = await host.load({ wasmPath: fx.path('bombs'), id: 'bombs' });
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
    await p.unload();
  });

  it('kills a call past its deadline, restarts the sandbox, and disables after repeated failures', async () => {
    const p = await host.load({ wasmPath: fx.path('bombs'), id: 'deadline', limits: { fuelPerCall: 1e15, callTimeoutMs: 300 } });
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
    p.enable();
    expect((await p.call({ action: 'nothing' }, ctx)).code).toBe(1);
    await p.unload();
  });

  it('fails the in-flight call when the sandbox process is killed, and comes back on the next call', async () => {
    const p = await host.load({ wasmPath: fx.path('bombs'), id: 'killed', limits: { fuelPerCall: 1e15, callTimeoutMs: 20_000 } });
    const pending = p.call({ action: 'loop' }, ctx);
    await new Promise((r) => setTimeout(r, 100));
    process.kill(p.pid ?? -1, 'SIGKILL');
    const r = await pending;
    expect(r).toMatchObject({ ok: false, errorKind: 'crash' });
    expect(r.error).toMatch(/sandbox process crashed \(signal SIGKILL\)/);
    expect((await p.call({ action: 'nothing' }, ctx)).code).toBe(1);
    expect(p.snapshot().stats.crashes).toBe(1);
    await p.unload();
  });

  it('bounds the queue: overflow fails fast with "plugin busy" while the main side stays responsive', async () => {
    const p = await host.load({ wasmPath: fx.path('bombs'), id: 'busy', limits: { fuelPerCall: 1e15, callTimeoutMs: 1_000, maxQueuedCalls: 2 } });
    const settled: string[] = [];
    const a = p.call({ action: 'loop' }, ctx).finally(() => settled.push('a'));
    const b = p.call({ action: 'nothing' }, ctx);
    const c = await p.call({ action: 'nothing' }, ctx);
    // The overflow was answered while the first call was still stuck in the plugin, not after it.
    expect(settled).toEqual([]);
    expect(c).toMatchObject({ ok: false, errorKind: 'busy', error: 'plugin busy: 2 calls already queued' });
    expect((await a).errorKind).toBe('timeout');
    expect((await b).code).toBe(1);
    await p.unload();
  });

  it('builds execute input with params first, then parameters and context', () => {
    expect(JSON.parse(buildExecuteInput({ action: 'x' }, ctx))).toEqual({ action: 'x', parameters: { action: 'x' }, context: ctx });
  });
});
