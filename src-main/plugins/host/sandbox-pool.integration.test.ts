// The sandbox pool with the real fork spawner (dist/sandbox.js): spares are started and idle, `take` hands out the
// oldest live one (or starts a process), `refill` tops up, a spare that dies is dropped, `dispose` stops the idle ones.
import { afterEach, describe, expect, it } from 'vitest';
import { SandboxPool } from './sandbox-pool';
import type { ExitInfo, SandboxProcess } from './sandbox-process';

const taken: SandboxProcess[] = [];
const pools: SandboxPool[] = [];

function pool(spareSandboxes: number): SandboxPool {
  const p = new SandboxPool({ spareSandboxes });
  pools.push(p);
  return p;
}

function exited(sandbox: SandboxProcess): Promise<ExitInfo> {
  return new Promise((resolve) => sandbox.onExit((info) => resolve(info)));
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.dispose()));
  await Promise.all(taken.splice(0).map((s) => (s.kill(), s.exit(1000))));
});

describe('SandboxPool', () => {
  it('keeps spareSandboxes processes started, and hands out a booted spare', async () => {
    const p = pool(2);
    expect(p.idle).toHaveLength(2);
    const [first, second] = p.idle;
    await Promise.all(p.idle.map((s) => s.ready));
    const got = p.take('conductor-plugin-test');
    taken.push(got);
    expect(got).toBe(first);
    expect(p.idle).toEqual([second]);
    expect(got.alive).toBe(true);
    expect(got.pid).toBeGreaterThan(0);
  });

  it('refills to spareSandboxes once asked, not before', async () => {
    const p = pool(1);
    taken.push(p.take('a'));
    expect(p.idle).toHaveLength(0);
    p.refill();
    expect(p.idle).toHaveLength(1);
    await p.idle[0]?.ready;
    p.refill();
    expect(p.idle).toHaveLength(1);
  });

  it('with no spares, starts a new process on each take', async () => {
    const p = pool(0);
    expect(p.idle).toEqual([]);
    const a = p.take('a');
    const b = p.take('b');
    taken.push(a, b);
    expect(a).not.toBe(b);
    await Promise.all([a.ready, b.ready]);
    expect(a.pid).not.toBe(b.pid);
    p.refill();
    expect(p.idle).toEqual([]);
  });

  it('drops a spare that dies while idle, and never hands it out', async () => {
    const p = pool(1);
    const [spare] = p.idle;
    if (!spare) throw new Error('no spare');
    await spare.ready;
    const gone = exited(spare);
    process.kill(spare.pid ?? -1, 'SIGKILL');
    expect((await gone).signal).toBe('SIGKILL');
    expect(p.idle).toEqual([]);
    const got = p.take('after-death');
    taken.push(got);
    expect(got).not.toBe(spare);
    await got.ready;
    expect(got.alive).toBe(true);
  });

  it('dispose stops the idle spares, leaves taken ones alone, and refuses later takes', async () => {
    const p = pool(2);
    const mine = p.take('mine');
    taken.push(mine);
    const [spare] = p.idle;
    if (!spare) throw new Error('no spare');
    const gone = exited(spare);
    await p.dispose();
    await gone;
    expect(spare.alive).toBe(false);
    expect(p.idle).toEqual([]);
    await mine.ready;
    expect(mine.alive).toBe(true);
    expect(() => p.take('late')).toThrow('the sandbox pool is disposed');
    p.refill();
    expect(p.idle).toEqual([]);
  });

  it('with lazySpares, starts no spare until a plugin takes a process of its own', async () => {
    const p = new SandboxPool({ spareSandboxes: 1, lazySpares: true });
    pools.push(p);
    expect(p.idle).toEqual([]);
    const worker = p.take('shared-one', 'shared');
    taken.push(worker);
    await worker.ready;
    p.refill();
    expect(p.idle).toEqual([]); // only shared plugins so far: a spare would only cost memory
    taken.push(p.take('own', 'process'));
    p.refill();
    expect(p.idle).toHaveLength(1);
  });

  it("hands out workers of one shared process for 'shared', and stops that process on dispose", async () => {
    const p = pool(0);
    expect(p.sharedProcess).toBeNull();
    const a = p.take('a', 'shared');
    const b = p.take('b', 'shared');
    await Promise.all([a.ready, b.ready]);
    const shared = p.sharedProcess;
    expect(shared?.pid).toBeGreaterThan(0);
    expect([a.pid, b.pid]).toEqual([shared?.pid, shared?.pid]);
    expect(a.shared && b.shared).toBe(true);
    expect(shared?.size).toBe(2);
    const gone = exited(a);
    await p.dispose();
    expect((await gone).scope).toBe('shared-process');
    expect(shared?.alive).toBe(false);
    expect(() => process.kill(shared?.pid ?? -1, 0)).toThrow();
  });

  it('refuses a spare count that is not a whole number ≥ 0', () => {
    expect(() => new SandboxPool({ spareSandboxes: -1 })).toThrow(RangeError);
    expect(() => new SandboxPool({ spareSandboxes: 1.5 })).toThrow(/whole number/);
  });
});
