// Red-team cases that exist only because plugins share one sandbox process (issue #16): an attacker and its neighbour
// as two worker threads of that process. Every attack must end at most the attacker's worker; the neighbour answers
// during and after it from the same process, never restarted. Waits on lifecycle events and results, never on time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LifecycleEvent, LifecyclePhase } from '../../src-shared/plugin';
import { cFixture } from '../../plugins/fixtures';
import { createPlugin, type PluginHandle, type PluginManifest } from './host/create-plugin';
import { SandboxPool } from './host/sandbox-pool';

const ctx = { trigger: 'Note', note: 60, velocity: 100, channel: 0, mode: 'Default', timestamp: 1732500000000 };
const linux = process.platform === 'linux';

let pool: SandboxPool;
let base: string;
const opened: PluginHandle[] = [];

/** Loads a plugin as a worker thread of the shared sandbox process (forced, whatever its tier). */
function load(manifest: PluginManifest): Promise<PluginHandle> {
  const plugin = createPlugin(
    { ...manifest, limits: { ...manifest.limits, isolation: 'shared' } },
    // Generous breaker: these attacks fail many calls on purpose.
    { pool, breaker: { maxFailures: 100, windowMs: 60_000 } },
  );
  opened.push(plugin);
  return plugin.loaded;
}

function next(plugin: PluginHandle, phase: LifecyclePhase): Promise<LifecycleEvent> {
  return new Promise((resolve) => {
    const off = plugin.onDidLifecycle((e) => {
      if (e.phase !== phase) return;
      off();
      resolve(e);
    });
  });
}

/** The C `good` plugin as the neighbour: `fail` answers with code 7 and no side effects. */
async function neighbourAnswers(neighbour: PluginHandle, times = 1): Promise<void> {
  for (let i = 0; i < times; i++) expect((await neighbour.call({ action: 'fail' }, ctx)).code).toBe(7);
}

/** The neighbour never crashed or restarted, and the shared process is the one it started in. */
function expectUntouched(neighbour: PluginHandle, sharedPid: number | undefined): void {
  expect(sharedPid).toBeGreaterThan(0);
  expect(pool.sharedProcess?.pid).toBe(sharedPid);
  expect(neighbour.pid).toBe(sharedPid);
  expect(neighbour.snapshot().stats.crashes).toBe(0);
  expect(neighbour.snapshot().state).toBe('ready');
}

/** Open file descriptors of a process (Linux). */
function openFds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

beforeAll(() => {
  pool = new SandboxPool({ spareSandboxes: 0 });
  base = mkdtempSync(join(tmpdir(), 'conductor-shared-hostile-'));
});

afterAll(async () => {
  await Promise.all(opened.map((p) => p.close()));
  await pool.dispose();
  rmSync(base, { recursive: true, force: true });
});

describe('an attacker and its neighbour as two workers of the shared sandbox process', () => {
  let neighbour: PluginHandle;
  let sharedPid: number | undefined;

  beforeAll(async () => {
    neighbour = await load({ wasmPath: cFixture('good'), id: 'neighbour' });
    sharedPid = pool.sharedProcess?.pid;
    expect(neighbour.pid).toBe(sharedPid);
  });

  it("a plugin asleep past its deadline: the neighbour answers meanwhile, only the sleeper's worker is stopped", async () => {
    const sleeper = await load({ wasmPath: cFixture('hostile'), id: 'sleeper', limits: { callTimeoutMs: 1500 } });
    expect(sleeper.pid).toBe(sharedPid);
    const executing = next(sleeper, 'execute');
    const sleeping = sleeper.call({ action: 'sleep' }, ctx);
    await executing;
    await neighbourAnswers(neighbour, 5);
    expect(await sleeping).toMatchObject({ ok: false, errorKind: 'timeout', error: "timed out after 1500 ms; the plugin's sandbox worker was stopped" });
    expect((await sleeper.call({ action: 'nothing-at-all' }, ctx)).code).toBe(1);
    expect(sleeper.pid).toBe(sharedPid);
    await neighbourAnswers(neighbour);
    expectUntouched(neighbour, sharedPid);
    await sleeper.close();
  });

  it('a plugin spinning with unlimited fuel: the neighbour answers during the loop, the deadline stops only the spinner', async () => {
    const spinner = await load({ wasmPath: cFixture('hostile'), id: 'spinner', limits: { fuelPerCall: 1e15, callTimeoutMs: 1500 } });
    const executing = next(spinner, 'execute');
    const spinning = spinner.call({ action: 'loop' }, ctx);
    await executing;
    await neighbourAnswers(neighbour, 5);
    expect(await spinning).toMatchObject({ ok: false, errorKind: 'timeout' });
    expect((await spinner.call({ action: 'nothing-at-all' }, ctx)).code).toBe(1);
    expect(spinner.pid).toBe(sharedPid);
    expectUntouched(neighbour, sharedPid);
    await spinner.close();
  });

  it('two plugins exhausting their memory limits at once: each stops at its own limit, the neighbour keeps answering', async () => {
    const limits = { memoryBytes: 64 * 1024 * 1024, callTimeoutMs: 60_000 };
    const bombs = await Promise.all(['membomb-a', 'membomb-b'].map((id) => load({ wasmPath: cFixture('hostile'), id, limits })));
    const [a, b] = await Promise.all([...bombs.map((p) => p.call({ action: 'membomb' }, ctx)), neighbourAnswers(neighbour, 3)]);
    for (const r of [a, b]) {
      expect(r?.code).toBe(0);
      const got = Number(/membomb: got (\d+) MiB/.exec(r?.log.join('\n') ?? '')?.[1]);
      expect(got).toBeGreaterThan(32);
      expect(got).toBeLessThan(64);
      expect(r?.memoryBytes).toBeLessThanOrEqual(64 * 1024 * 1024);
    }
    await neighbourAnswers(neighbour);
    expectUntouched(neighbour, sharedPid);
    await Promise.all(bombs.map((p) => p.close()));
  });

  it('a plugin trapping call after call (trap, abort, stack overflow, proc_exit): the neighbour never notices', async () => {
    const trapper = await load({ wasmPath: cFixture('hostile'), id: 'trapper', limits: { fuelPerCall: 200_000_000 } });
    const attacks = ['trap', 'abort', 'recurse', 'stackbomb', 'exit'];
    for (let round = 0; round < 4; round++) {
      for (const action of attacks) {
        const r = await trapper.call({ action }, ctx);
        expect(r.ok, `${action}: ${r.error ?? ''}`).toBe(false);
        expect(r.errorKind).toMatch(/^(trap|stack-overflow|exit)$/);
        await neighbourAnswers(neighbour);
      }
    }
    expect((await trapper.call({ action: 'nothing-at-all' }, ctx)).code).toBe(1);
    expect(trapper.pid).toBe(sharedPid);
    expectUntouched(neighbour, sharedPid);
    await trapper.close();
  });

  it("a plugin filling its log: bounded to its own call, and none of it reaches the neighbour's log", async () => {
    const flooder = await load({ wasmPath: cFixture('hostile'), id: 'flooder', limits: { fuelPerCall: 20_000_000, callTimeoutMs: 20_000 } });
    const executing = next(flooder, 'execute');
    const flooding = flooder.call({ action: 'logflood' }, ctx);
    await executing;
    // The neighbour's own calls while the flood runs: each log is exactly the neighbour's lines.
    for (let i = 0; i < 3; i++) {
      const hello = await neighbour.call({ action: 'hello' }, ctx);
      expect(hello.log).toEqual(['Hello from counter! trigger=Note note=60 velocity=100', '[info] hello action ran']);
    }
    const flood = await flooding;
    expect(flood.errorKind).toBe('out-of-fuel');
    expect(flood.log.reduce((n, l) => n + l.length + 1, 0)).toBeLessThanOrEqual(64 * 1024 + 200);
    expect(flood.log.at(-1)).toMatch(/log truncated: \d+ bytes over the 65536-byte limit dropped/);
    expect(flood.log.join('\n')).not.toMatch(/Hello from counter/);
    expectUntouched(neighbour, sharedPid);
    await flooder.close();
  });
});

describe('filesystem jails of two workers in one process', () => {
  it("an attacker's escapes towards its neighbour's data directory are refused while the neighbour writes there", async () => {
    const neighbourDir = join(base, 'neighbour-data');
    const hostileDir = join(base, 'hostile-data');
    mkdirSync(neighbourDir, { recursive: true });
    mkdirSync(hostileDir, { recursive: true });
    writeFileSync(join(neighbourDir, 'secret.txt'), 'NEIGHBOUR SECRET\n');
    // Host-placed links in the attacker's directory, leading into the neighbour's (whose directory fd is open in the
    // same process).
    symlinkSync(neighbourDir, join(hostileDir, 'hostlink'));
    symlinkSync(join(neighbourDir, 'secret.txt'), join(hostileDir, 'hostfile'));
    const neighbour = await load({ wasmPath: cFixture('good'), id: 'fs-neighbour', grants: ['filesystem'], dataDir: neighbourDir });
    const hostile = await load({
      wasmPath: cFixture('hostile'),
      id: 'fs-hostile',
      grants: ['filesystem'],
      dataDir: hostileDir,
      limits: { callTimeoutMs: 60_000, fuelPerCall: 200_000_000 },
    });
    const sharedPid = pool.sharedProcess?.pid;
    expect([neighbour.pid, hostile.pid]).toEqual([sharedPid, sharedPid]);
    let count = 0;
    for (const action of ['hostlink', 'hardlink', 'symlink', 'dotdot', 'absolute', 'rename_out']) {
      // Interleaved with the neighbour's own file writes, so its directory is in use in the same process.
      const [r, counted] = await Promise.all([hostile.call({ action }, ctx), neighbour.call({ action: 'count' }, ctx)]);
      expect(counted.log).toEqual([`count: ${++count}`]);
      expect(r.log.join('\n')).not.toMatch(/ESCAPED|NEIGHBOUR SECRET/);
      expect(r.code, r.log.join('\n')).toBe(0);
      expect(r.log.some((l) => l.startsWith('refused'))).toBe(true);
    }
    expect(readFileSync(join(neighbourDir, 'secret.txt'), 'utf8')).toBe('NEIGHBOUR SECRET\n');
    expect(readdirSync(neighbourDir).sort()).toEqual(['counter.txt', 'secret.txt']);
    expect(readFileSync(join(neighbourDir, 'counter.txt'), 'utf8')).toBe(`${count}\n`);
    expect(existsSync(join(base, 'x.txt'))).toBe(false);
    expectUntouched(neighbour, sharedPid);
    await Promise.all([neighbour.close(), hostile.close()]);
  });

  it('two plugins with one data directory, loading at the same time as two workers of one process: one gets it', async () => {
    const dataDir = join(base, 'contested');
    const manifest = (id: string): PluginManifest => ({
      wasmPath: cFixture('good'),
      id,
      grants: ['filesystem'],
      dataDir,
      limits: { callTimeoutMs: 2000 },
    });
    const both = await Promise.all([load(manifest('dir-first')), load(manifest('dir-second'))]);
    const sharedPid = pool.sharedProcess?.pid;
    const states = both.map((p) => p.snapshot().state).sort();
    expect(states).toEqual(['failed', 'ready']);
    const winner = both.find((p) => p.snapshot().state === 'ready');
    const loser = both.find((p) => p.snapshot().state === 'failed');
    expect(winner?.pid).toBe(sharedPid);
    // The holder is named by PID: here the loser's own (shared) process, since the winner is a thread of it.
    expect(loser?.snapshot().reason).toMatch(new RegExp(`data directory .* is in use by PID ${sharedPid} \\(another sandbox in this same shared sandbox process\\)`));
    expect((await winner?.call({ action: 'count' }, ctx))?.log).toEqual(['count: 1']);
    // Once the winner's worker is gone, a third sandbox of the directory gets it, in the same process.
    await winner?.close();
    const third = await load(manifest('dir-third'));
    expect(third.snapshot().state).toBe('ready');
    expect(third.pid).toBe(sharedPid);
    expect((await third.call({ action: 'count' }, ctx)).log).toEqual(['count: 2']);
    await Promise.all([loser?.close(), third.close()]);
  });

  it.runIf(linux)('a worker stopped at its deadline leaves none of its file descriptors open in the shared process', async () => {
    const dataDir = join(base, 'restarts');
    const sleeper = await load({
      wasmPath: cFixture('hostile'),
      id: 'fd-sleeper',
      grants: ['filesystem'],
      dataDir,
      limits: { callTimeoutMs: 1000 },
    });
    const sharedPid = pool.sharedProcess?.pid ?? -1;
    expect(sleeper.pid).toBe(sharedPid);
    const cycle = async (): Promise<void> => {
      expect((await sleeper.call({ action: 'sleep' }, ctx)).errorKind).toBe('timeout');
      // Back in a new worker (with its data directory open again) before counting.
      expect((await sleeper.call({ action: 'dotdot' }, ctx)).code).toBe(0);
    };
    await cycle();
    const before = openFds(sharedPid);
    for (let i = 0; i < 5; i++) await cycle();
    const after = openFds(sharedPid);
    expect(pool.sharedProcess?.pid).toBe(sharedPid);
    // Each stopped worker must take its host fds (data-directory handles, open files) with it; a few may differ with
    // what Node itself holds at the moment of counting, but not one or more per restart.
    expect(after - before, `open fds in the shared process: ${before} before five restarts, ${after} after`).toBeLessThan(5);
    await sleeper.close();
  });
});
