// A plugin without `alloc` (issue #13, ABI item 1): its input goes on its own shadow stack (`__stack_pointer`), where
// no allocator reaches — the C fixture churns wasi-libc's malloc every call and checks its input never changes.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type PluginLimits } from '../../../src-shared/plugin';
import { cFixture, watBytes } from '../../../plugins/fixtures';
import { MAX_STACK_INPUT_BYTES, PluginRuntime } from './runtime';

const runtimes: PluginRuntime[] = [];
afterEach(() => {
  for (const r of runtimes.splice(0)) r.shutdown();
});

async function load(bytes: Uint8Array, limits: Partial<PluginLimits> = {}): Promise<PluginRuntime> {
  const { runtime, report } = await PluginRuntime.load(bytes, { limits: { ...DEFAULT_LIMITS, ...limits }, grants: [], dataDir: null });
  expect(report.abi.hasAlloc).toBe(false);
  runtimes.push(runtime);
  return runtime;
}

const noalloc = (): Uint8Array => new Uint8Array(readFileSync(cFixture('noalloc')));
const input = (data: string): string => JSON.stringify({ action: 'echo', data });

describe('a C plugin without alloc, churning wasi-libc malloc every call (fixture c/noalloc.c)', () => {
  it('gets its input intact on every one of 60 calls of varied sizes, and memory stops growing', async () => {
    const r = await load(noalloc());
    const sizes: number[] = [];
    for (let i = 0; i < 60; i++) {
      const text = input(`${i}:`.padEnd(1 + ((i * 7919) % 12_000), '*'));
      const res = r.execute(text);
      expect(res.code, `call ${i}: ${res.error ?? ''}`).toBe(0);
      expect(res.log).toContain(text);
      sizes.push(res.memoryBytes);
    }
    // malloc's heap reaches its peak within the first cycle of its block sizes; the input takes no memory of its own.
    expect(new Set(sizes.slice(10)).size).toBe(1);
  });

  it('an input over the stack bound fails that call clearly; the plugin keeps working', async () => {
    const r = await load(noalloc());
    const big = r.execute(input('z'.repeat(MAX_STACK_INPUT_BYTES)));
    expect(big).toMatchObject({ ok: false, errorKind: 'memory' });
    expect(big.error).toMatch(/^the input is \d+ bytes; a plugin without alloc gets its input on its stack, at most 16384 bytes — export alloc/);
    const next = r.execute(input('small after big'));
    expect(next).toMatchObject({ ok: true, code: 0 });
  });

  it('an empty input is passed as such', async () => {
    const r = await load(noalloc());
    expect(r.execute('').code).toBe(5);
  });
});

describe('a WAT plugin without alloc, with a named __stack_pointer and its own memory.grow heap (wat/no-alloc-stack.wat)', () => {
  const stackPlugin = async (limits: Partial<PluginLimits> = {}): Promise<PluginRuntime> => load(await watBytes('no-alloc-stack', { names: true }), limits);

  it('gets every input intact, never overlapping its heap, and memory stays at one heap page', async () => {
    const r = await stackPlugin();
    const sizes = new Set<number>();
    for (let i = 0; i < 40; i++) {
      const text = `{"n":${i},"pad":"${'x'.repeat((i * 379) % 15_000)}"}`;
      const res = r.execute(text);
      expect(res.code, `call ${i}: ${res.error ?? ''}`).toBe(0);
      expect(res.log).toEqual([`[info] ${text}`]);
      sizes.add(res.memoryBytes);
    }
    expect([...sizes]).toEqual([2 * 65536]); // its one page of heap; the input took none
  });

  it('the memory cap still holds: growing stops at the cap, and the next call runs normally', async () => {
    const r = await stackPlugin({ memoryBytes: 1024 * 1024 });
    expect(r.execute('{"before":"cap"}')).toMatchObject({ ok: true, code: 0 }); // its heap page exists from here on
    const grown = r.execute('g');
    expect(grown).toMatchObject({ ok: false, code: 3, memoryBytes: 1024 * 1024 });
    expect(r.execute('{"after":"cap"}')).toMatchObject({ ok: true, code: 0, log: ['[info] {"after":"cap"}'] });
  });
});

describe('a plugin without alloc and without a named stack pointer', () => {
  it('is refused at load, saying what to export', async () => {
    const wat = new Uint8Array(await watBytes('no-alloc'));
    await expect(PluginRuntime.load(wat, { limits: DEFAULT_LIMITS, grants: [], dataDir: null })).rejects.toThrow(
      /exports no "alloc" and has no "__stack_pointer" global to put its input on: export alloc\(size\) -> ptr/,
    );
  });
});
