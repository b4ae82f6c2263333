// Real C plugins (compiled with clang + wasi-libc, committed in plugins/fixtures/c) in real sandboxes:
// the well-behaved "counter" and the hostile corpus, each attack contained while a bystander keeps working.
// Runs twice: every plugin in a sandbox process of its own, then every plugin (attacker and bystander alike) as a
// worker thread of the one shared sandbox process (issue #16), where an attack must end only the attacker's worker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cFixture } from '../../plugins/fixtures';
import { createPlugin, type PluginHandle, type PluginManifest } from './host/create-plugin';
import { SandboxPool } from './host/sandbox-pool';

const ctx = { trigger: 'Note', note: 60, velocity: 100, channel: 0, mode: 'Default', timestamp: 1732500000000 };
const ISOLATIONS = ['process', 'shared'] as const;
describe.each(ISOLATIONS)('C plugins in %s sandboxes', (isolation) => {
  let pool: SandboxPool;
  let base: string;
  const opened: PluginHandle[] = [];

  /** Loads a plugin from this file's pool, placed by `isolation`; every one is closed after all tests. */
  function load(manifest: PluginManifest): Promise<PluginHandle> {
    // Generous breaker: the hostile corpus causes several deliberate timeouts.
    const placed = { ...manifest, limits: { ...manifest.limits, isolation } };
    const plugin = createPlugin(placed, { pool, breaker: { maxFailures: 50, windowMs: 60_000 } });
    opened.push(plugin);
    return plugin.loaded;
  }

  /** Shared: each one is a worker thread of the shared sandbox process. Process: each has a process to itself. */
  function expectPlacement(plugins: readonly PluginHandle[]): void {
    const sharedPid = pool.sharedProcess?.pid;
    for (const p of plugins) expect(p.snapshot().isolation).toMatchObject({ mode: isolation, override: isolation });
    if (isolation === 'shared') {
      expect(sharedPid).toBeGreaterThan(0);
      for (const p of plugins) expect(p.pid).toBe(sharedPid);
    } else {
      expect(sharedPid).toBeUndefined();
      expect(new Set(plugins.map((p) => p.pid)).size).toBe(plugins.length);
    }
  }

  beforeAll(() => {
    pool = new SandboxPool();
    base = mkdtempSync(join(tmpdir(), 'conductor-c-'));
  });

  afterAll(async () => {
    await Promise.all(opened.map((p) => p.close()));
    await pool.dispose();
    rmSync(base, { recursive: true, force: true });
  });

  describe('the well-behaved C plugin (counter)', () => {
    let good: PluginHandle;
    let dataDir: string;

    beforeAll(async () => {
      dataDir = join(base, 'counter-data');
      good = await load({ wasmPath: cFixture('good'), id: 'counter', grants: ['filesystem'], dataDir });
    });

    it('loads with metadata from init() -> i64', () => {
      const s = good.snapshot();
      expect(s.state).toBe('ready');
      expectPlacement([good]);
      expect(s.metadata).toMatchObject({ name: 'counter', source: 'init', capabilities: ['filesystem'] });
      expect(s.metadata?.actions.map((a) => a.name)).toEqual(expect.arrayContaining(['hello', 'count', 'time', 'random', 'echo', 'fail']));
    });

    it('reads its JSON input and context, prints and logs', async () => {
      const r = await good.call({ action: 'hello' }, ctx);
      expect(r).toMatchObject({ ok: true, code: 0 });
      expect(r.log).toEqual(['Hello from counter! trigger=Note note=60 velocity=100', '[info] hello action ran']);
    });

    it('keeps a counter in its data directory', async () => {
      expect((await good.call({ action: 'count', step: 2 }, ctx)).log).toEqual(['count: 2']);
      expect((await good.call({ action: 'count', step: 3 }, ctx)).log).toEqual(['count: 5']);
      expect(readFileSync(join(dataDir, 'counter.txt'), 'utf8')).toBe('5\n');
    });

    it('has working clocks and randomness', async () => {
      const t = await good.call({ action: 'time' }, ctx);
      const m = /realtime=(\d+)\.\d+ monotonic=(\d+)\.\d+/.exec(t.log[0] ?? '');
      expect(Math.abs(Number(m?.[1]) - Date.now() / 1000)).toBeLessThan(60);
      const r1 = await good.call({ action: 'random' }, ctx);
      const r2 = await good.call({ action: 'random' }, ctx);
      expect(r1.log[0]).toMatch(/^random: entropy=[0-9a-f]{32} arc4random=[0-9a-f]{8}$/);
      expect(r1.log[0]).not.toBe(r2.log[0]);
    });

    it('reports a plugin error code without resetting its state', async () => {
      const r = await good.call({ action: 'fail' }, ctx);
      expect(r).toMatchObject({ ok: false, code: 7, errorKind: 'plugin-error', error: 'plugin returned error code 7' });
      expect((await good.call({ action: 'count' }, ctx)).log).toEqual(['count: 6']);
    });

    it('sees no filesystem without the filesystem capability', async () => {
      const dir = join(base, 'nofs-data');
      mkdirSync(dir);
      const p = await load({ wasmPath: cFixture('good'), id: 'counter-nofs', dataDir: dir });
      const r = await p.call({ action: 'count' }, ctx);
      expect(r).toMatchObject({ ok: false, code: 2 });
      expect(readdirSync(dir)).toEqual([]);
      await p.close();
    });

    it('calls shutdown on unload', async () => {
      const p = await load({ wasmPath: cFixture('good'), id: 'counter-bye', grants: [] });
      const details: string[] = [];
      const off = p.onDidLifecycle((e) => e.pluginId === 'counter-bye' && e.phase === 'shutdown' && details.push(e.detail ?? ''));
      await p.close();
      off();
      expect(details).toEqual(['[info] bye']);
    });
  });

  describe('C plugins with hostile metadata', () => {
    it('refuses metadata over 1 MiB and a metadata pointer outside memory, with the reason', async () => {
      const sharedPid = pool.sharedProcess?.pid;
      const huge = await load({ wasmPath: cFixture('hugemeta'), id: 'hugemeta' });
      expect(huge.snapshot()).toMatchObject({ state: 'failed', reason: expect.stringMatching(/metadata of \d+ bytes \(limit 1048576\)/) });
      const bad = await load({ wasmPath: cFixture('badmeta'), id: 'badmeta' });
      expect(bad.snapshot()).toMatchObject({ state: 'failed', reason: expect.stringMatching(/init\(\) metadata is out of bounds/) });
      await Promise.all([huge.close(), bad.close()]);
      // A refused load ends at most its own worker, never the shared process.
      expect(pool.sharedProcess?.pid).toBe(sharedPid);
    });
  });

  describe('the hostile C plugin', () => {
    let hostile: PluginHandle;
    let bystander: PluginHandle;
    let sleeper: PluginHandle;
    let bystanderPid: number | undefined;
    let sharedPid: number | undefined;
    let dataDir: string;
    const outsideDir = () => join(base, 'outside');

    beforeAll(async () => {
      dataDir = join(base, 'hostile-data');
      mkdirSync(dataDir, { recursive: true });
      mkdirSync(outsideDir(), { recursive: true });
      writeFileSync(join(base, 'secret.txt'), 'TOP SECRET\n');
      writeFileSync(join(outsideDir(), 'secret.txt'), 'TOP SECRET\n');
      // Host-placed symlinks inside the data dir that point outside it (absolute targets).
      symlinkSync(outsideDir(), join(dataDir, 'hostlink'));
      symlinkSync(join(base, 'secret.txt'), join(dataDir, 'hostfile'));
      hostile = await load({
        wasmPath: cFixture('hostile'),
        id: 'hostile',
        grants: ['filesystem'],
        dataDir,
        // A generous deadline: every attack here ends by fuel, a trap or a limit, never by the wall clock — except
        // `sleep`, which runs in `sleeper` below with a short one.
        limits: { callTimeoutMs: 60_000, fuelPerCall: 200_000_000 },
      });
      bystander = await load({ wasmPath: cFixture('good'), id: 'bystander' });
      sleeper = await load({ wasmPath: cFixture('hostile'), id: 'sleeper', limits: { callTimeoutMs: 1000 } });
      bystanderPid = bystander.pid;
      sharedPid = pool.sharedProcess?.pid;
    });

    const attack = (action: string, extra: Record<string, string> = {}) => hostile.call({ action, ...extra }, ctx);

    /**
     * The bystander answers from the sandbox it had before the attack, never having crashed or restarted; in the
     * shared variant that also means the shared process (the attacker's too) is the same one.
     */
    async function expectBystanderUnharmed(): Promise<void> {
      expect((await bystander.call({ action: 'fail' }, ctx)).code).toBe(7);
      expect(bystander.pid).toBe(bystanderPid);
      expect(bystander.snapshot().stats.crashes).toBe(0);
      expect(pool.sharedProcess?.pid).toBe(sharedPid);
    }

    /** The attacker's sandbox after its restart: still a worker of the same shared process, or a process of its own. */
    function expectStillPlaced(attacker: PluginHandle): void {
      if (isolation === 'shared') expect(attacker.pid).toBe(sharedPid);
      else expect(attacker.pid).not.toBe(bystanderPid);
    }

    afterAll(() => {
      // Nothing outside the data dir was created or changed.
      expect(readFileSync(join(base, 'secret.txt'), 'utf8')).toBe('TOP SECRET\n');
      expect(existsSync(join(base, 'x.txt'))).toBe(false);
    });

    it('loads with metadata from its custom section', () => {
      expect(hostile.snapshot().state).toBe('ready');
      expectPlacement([hostile, bystander, sleeper]);
      expect(hostile.snapshot().metadata).toMatchObject({ name: 'hostile', source: 'custom-section' });
    });

    for (const action of ['dotdot', 'absolute', 'symlink', 'hostlink', 'hardlink', 'rename_out']) {
      it(`contains the ${action} escape`, async () => {
        const r = await attack(action);
        expect(r.log.join('\n')).not.toMatch(/ESCAPED/);
        expect(r.code, r.log.join('\n')).toBe(0);
        expect(r.log.some((l) => l.startsWith('refused'))).toBe(true);
        await expectBystanderUnharmed();
      });
    }

    it('left the host-placed links and outside files alone', () => {
      expect(lstatSync(join(dataDir, 'hostlink')).isSymbolicLink()).toBe(true);
      expect(readFileSync(join(outsideDir(), 'secret.txt'), 'utf8')).toBe('TOP SECRET\n');
      expect(readdirSync(base).sort()).toEqual(['counter-data', 'hostile-data', 'nofs-data', 'outside', 'secret.txt'].sort());
    });

    const cases: Array<[string, Record<string, unknown>, RegExp | null]> = [
      ['loop', { errorKind: 'out-of-fuel', error: 'out of fuel (limit 200000000)' }, null],
      [
        'sleep',
        {
          errorKind: 'timeout',
          error: `timed out after 1000 ms; ${isolation === 'shared' ? "the plugin's sandbox worker was stopped" : 'the sandbox process was killed'}`,
        },
        null,
      ],
      ['recurse', { errorKind: 'stack-overflow' }, null],
      ['stackbomb', { errorKind: 'trap' }, /out of bounds/],
      ['trap', { errorKind: 'trap' }, /unreachable/],
      ['abort', { errorKind: 'trap' }, /unreachable/],
      ['exit', { errorKind: 'exit', code: 3, error: 'plugin exited with code 3 (proc_exit)' }, null],
      ['logbomb_host', { errorKind: 'trap' }, /conductor.log message is out of bounds/],
    ];
    for (const [action, expected, message] of cases) {
      it(`contains ${action}`, async () => {
        const r =
          action === 'sleep' ? await sleeper.call({ action }, ctx) : await attack(action, action === 'logbomb_host' ? { part: 'oob' } : {});
        expect(r).toMatchObject({ ok: false, ...expected });
        if (message) expect(r.error).toMatch(message);
        // Other plugins keep running, and so does this one (a fresh instance, worker or process).
        await expectBystanderUnharmed();
        expect((await attack('nothing-at-all')).code).toBe(1);
        expectStillPlaced(hostile);
        if (action === 'sleep') {
          expect((await sleeper.call({ action: 'nothing-at-all' }, ctx)).code).toBe(1);
          expectStillPlaced(sleeper);
        }
      });
    }

    it('contains a memory bomb at the memory limit', async () => {
      const r = await attack('membomb');
      expect(r.code).toBe(0);
      const got = Number(/membomb: got (\d+) MiB/.exec(r.log.join('\n'))?.[1]);
      expect(got).toBeGreaterThan(100);
      expect(got).toBeLessThan(128);
      expect(r.memoryBytes).toBeLessThanOrEqual(128 * 1024 * 1024);
      await expectBystanderUnharmed();
    });

    it('bounds a log flood and a 16 MiB log message', async () => {
      // Its own instance with a small fuel budget, so the flood ends by fuel rather than by the wall clock.
      const flooder = await load({ wasmPath: cFixture('hostile'), id: 'flooder', limits: { fuelPerCall: 20_000_000, callTimeoutMs: 20_000 } });
      expectStillPlaced(flooder);
      const flood = await flooder.call({ action: 'logflood' }, ctx);
      await flooder.close();
      expect(flood.errorKind).toBe('out-of-fuel');
      expect(flood.log.reduce((n, l) => n + l.length + 1, 0)).toBeLessThanOrEqual(64 * 1024 + 200);
      expect(flood.log.at(-1)).toMatch(/log truncated: \d+ bytes over the 65536-byte limit dropped/);
      const big = await attack('logbomb_host', { part: 'big' });
      expect(big.code).toBe(0);
      expect(big.log.at(-1)).toMatch(/log truncated/);
      await expectBystanderUnharmed();
    });
  });
});
