// Issue #11 item 9: a refused capability is a host-side fact. Plugins using exception handling catch the refusal
// and return 0, yet the entry (start, init, execute, shutdown) reports it — in real sandbox processes and runtimes.
// The sandbox cases run twice: in processes of their own, and as worker threads of one shared sandbox process.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorMessage } from '../../src-shared/errors';
import { DEFAULT_LIMITS, type CallResult, type Capability, type PluginHostEvent, type PluginLimits } from '../../src-shared/plugin';
import { watBytes, watToWasm } from '../../plugins/fixtures';
import { defaultSandboxEntry, forkSpawner, SandboxProcess } from './host/sandbox-process';
import { SandboxPool } from './host/sandbox-pool';
import { PluginRuntime } from './sandbox/runtime';
import type { RuntimeConfig } from './common/protocol';

const NOTIFY_REFUSED = 'conductor.notify needs the "systemcontrol" capability, which is not granted';
const EXEC_REFUSED = 'conductor.exec needs the "subprocess" capability, which is not granted';
const SMALL_FUEL = 1_000_000;
const ISOLATIONS = ['process', 'shared'] as const;

describe.each(ISOLATIONS)('a caught refusal through a real sandbox (%s; fixture caught-refusal.wat)', (isolation) => {
    let dir: string;
    let wasmPath: string;
    let sha256: string;
    const sandboxes: SandboxProcess[] = [];
    /** Shared: every sandbox of this block is a worker thread of this pool's shared process. */
    let pool: SandboxPool;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'conductor-refusal-'));
      const bytes = await watBytes('caught-refusal');
      wasmPath = join(dir, 'caught-refusal.wasm');
      writeFileSync(wasmPath, bytes);
      sha256 = createHash('sha256').update(bytes).digest('hex');
      pool = new SandboxPool({ spareSandboxes: 0 });
    });
    afterEach(async () => {
      for (const s of sandboxes.splice(0)) await s.exit(0);
    });
    afterAll(async () => {
      await pool.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    async function sandbox(grants: Capability[], limits: Partial<PluginLimits> = {}): Promise<{ sandbox: SandboxProcess; events: PluginHostEvent[] }> {
      const s = isolation === 'shared' ? pool.take('test', 'shared') : new SandboxProcess(forkSpawner(defaultSandboxEntry()));
      sandboxes.push(s);
      await s.ready;
      expect(s.shared).toBe(isolation === 'shared');
      if (isolation === 'shared') expect(s.pid).toBe(pool.sharedProcess?.pid);
      const events: PluginHostEvent[] = [];
      s.onEvent((e) => events.push(e));
      const config = { limits: { ...DEFAULT_LIMITS, ...limits }, grants, dataDir: null };
      const reply = await s.request({ type: 'load', name: 'caught-refusal', wasmPath, sha256, config }, 30_000);
      expect(reply.type).toBe('loaded');
      return { sandbox: s, events };
    }

    async function execute(s: SandboxProcess, action: string): Promise<CallResult> {
      const reply = await s.request({ type: 'execute', input: JSON.stringify({ action }) }, 30_000);
      if (reply.type !== 'result') throw new Error(`unexpected reply ${reply.type}`);
      return reply.result;
    }

    it('reports the refused capability although the plugin caught it and returned 0', async () => {
      const { sandbox: s, events } = await sandbox([]);
      const r = await execute(s, 'notify');
      // code 0 is what the plugin returned; the result is still a capability failure, and the log is the plugin's.
      expect(r).toMatchObject({ ok: false, code: 0, errorKind: 'capability', error: NOTIFY_REFUSED, log: ['[info] caught'] });
      expect(events).toEqual([]);
      // Reset per entry: a call that asks for nothing succeeds, and the next refusal is reported again.
      expect(await execute(s, 'quiet')).toMatchObject({ ok: true, code: 0, error: null, errorKind: null, log: ['[info] quiet'] });
      expect(await execute(s, 'notify')).toMatchObject({ ok: false, errorKind: 'capability', error: NOTIFY_REFUSED });
    });

    it('behaves normally with the capability granted', async () => {
      const { sandbox: s, events } = await sandbox(['systemcontrol']);
      const r = await execute(s, 'notify');
      expect(r).toMatchObject({ ok: true, code: 0, error: null, errorKind: null, log: ['[info] notified'] });
      expect(events).toEqual([{ kind: 'notify', title: 'Scene saved', body: '' }]);
    });

    it('charges fuel inside a catch handler: an endless loop there runs out of fuel, and the plugin recovers', async () => {
      // A bystander with the capability granted: in the shared variant, a worker of the same process.
      const { sandbox: bystander, events } = await sandbox(['systemcontrol']);
      const { sandbox: s } = await sandbox([], { fuelPerCall: SMALL_FUEL });
      if (isolation === 'shared') expect(bystander.pid).toBe(s.pid);
      else expect(bystander.pid).not.toBe(s.pid);
      const r = await execute(s, 'spin');
      expect(r).toMatchObject({ ok: false, errorKind: 'out-of-fuel', error: `out of fuel (limit ${SMALL_FUEL})`, log: ['[info] spinning'] });
      expect(r.fuelConsumed).toBe(SMALL_FUEL);
      expect(await execute(s, 'quiet')).toMatchObject({ ok: true, code: 0 });
      // The refusal and the spin were the other sandbox's: the bystander's grant still works, and only its own events came.
      expect(await execute(bystander, 'notify')).toMatchObject({ ok: true, errorKind: null, log: ['[info] notified'] });
      expect(events).toEqual([{ kind: 'notify', title: 'Scene saved', body: '' }]);
      expect([bystander.alive, s.alive]).toEqual([true, true]);
    });

    it('keeps grants per sandbox: a refused plugin and a granted one side by side, each seeing only its own', async () => {
      const granted = await sandbox(['systemcontrol']);
      const refused = await sandbox([]);
      // Interleaved, so that in the shared variant the two workers' calls alternate in one process.
      for (let i = 0; i < 3; i++) {
        expect(await execute(refused.sandbox, 'notify')).toMatchObject({ ok: false, errorKind: 'capability', error: NOTIFY_REFUSED });
        expect(await execute(granted.sandbox, 'notify')).toMatchObject({ ok: true, errorKind: null });
      }
      expect(refused.events).toEqual([]);
      expect(granted.events).toHaveLength(3);
    });
});

describe('caught refusals in every entry of a real PluginRuntime', () => {
  const runtimes: PluginRuntime[] = [];
  afterEach(() => {
    for (const r of runtimes.splice(0)) r.shutdown();
  });

  const config = (limits: Partial<PluginLimits> = {}): RuntimeConfig => ({ limits: { ...DEFAULT_LIMITS, ...limits }, grants: [], dataDir: null });

  /** A plugin importing log, exec and notify; `$refuse` calls exec and swallows whatever it throws. */
  const pluginWat = (extra: string): Promise<Uint8Array> =>
    watToWasm(`(module
      (import "conductor" "log" (func $log (param i32 i32 i32)))
      (import "conductor" "exec" (func $exec (param i32 i32 i32 i32) (result i32)))
      (import "conductor" "notify" (func $notify (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (data (i32.const 16) "still here")
      (func $refuse (try (do (drop (call $exec (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)))) (catch_all)))
      (func $say (call $log (i32.const 1) (i32.const 16) (i32.const 10)))
      (func (export "alloc") (param i32) (result i32) (i32.const 1024))
      ${extra})`);

  async function loadError(bytes: Uint8Array): Promise<string> {
    try {
      runtimes.push((await PluginRuntime.load(bytes, config())).runtime);
    } catch (err) {
      return errorMessage(err);
    }
    throw new Error('the plugin loaded');
  }

  it('fails the load when init() catches a refusal', async () => {
    const bytes = await pluginWat(`
      (func (export "init") (call $refuse))
      (func (export "execute") (param i32 i32) (result i32) (i32.const 0))`);
    expect(await loadError(bytes)).toBe(`plugin initialisation failed: ${EXEC_REFUSED}`);
  });

  it('fails the load when the start function catches a refusal', async () => {
    const bytes = await pluginWat(`
      (start $refuse)
      (func (export "execute") (param i32 i32) (result i32) (i32.const 0))`);
    expect(await loadError(bytes)).toBe(`instantiation failed: ${EXEC_REFUSED}`);
  });

  it('logs a refusal caught in shutdown()', async () => {
    const bytes = await pluginWat(`
      (func (export "execute") (param i32 i32) (result i32) (i32.const 0))
      (func (export "shutdown") (call $refuse) (call $say))`);
    const { runtime } = await PluginRuntime.load(bytes, config());
    expect(runtime.execute('{}')).toMatchObject({ ok: true });
    expect(runtime.shutdown()).toEqual(['[info] still here', `[error] shutdown failed: ${EXEC_REFUSED}`]);
  });

  it('reports the first refusal, the code the plugin returned, and what failed after it', async () => {
    // Refuses exec, then notify (both caught), logs, then by the input's length: 1 = loop forever, 3 = return 7, else 0.
    const bytes = await pluginWat(`
      (func (export "execute") (param i32) (param $len i32) (result i32)
        (call $refuse)
        (try (do (drop (call $notify (i32.const 16) (i32.const 10) (i32.const 0) (i32.const 0)))) (catch_all))
        (call $say)
        (if (i32.eq (local.get $len) (i32.const 1)) (then (loop $forever (br $forever))))
        (if (i32.eq (local.get $len) (i32.const 3)) (then (return (i32.const 7))))
        (i32.const 0))`);
    const { runtime } = await PluginRuntime.load(bytes, config({ fuelPerCall: SMALL_FUEL }));
    runtimes.push(runtime);
    const returned = runtime.execute('{}');
    expect(returned).toMatchObject({ ok: false, code: 0, errorKind: 'capability', error: EXEC_REFUSED, log: ['[info] still here'] });
    const errorCode = runtime.execute('[0]');
    expect(errorCode).toMatchObject({ ok: false, code: 7, errorKind: 'capability', error: EXEC_REFUSED });
    const spun = runtime.execute('1');
    expect(spun).toMatchObject({ ok: false, code: null, errorKind: 'capability', error: `${EXEC_REFUSED}; then out of fuel (limit ${SMALL_FUEL})` });
    expect(spun.fuelConsumed).toBe(SMALL_FUEL);
    // The out-of-fuel trap reset the instance; the refusal of the next call is reported afresh.
    expect(runtime.execute('{}')).toMatchObject({ code: 0, errorKind: 'capability', error: EXEC_REFUSED, log: ['[info] still here'] });
  });
});
