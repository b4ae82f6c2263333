// The instrumented-module cache: its key, its entry checks, and compileMetered against a real directory (miss, hit,
// corrupt, truncated, stale, forged un-metered payload, unwritable directory). The sandbox-level tests are in
// module-cache.integration.test.ts.
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INSTRUMENTER_VERSION, instrumentModule } from '../common/wasm/instrument';
import { buildModule } from '../common/wasm/test-support/wat-runner';
import { FUEL_EXPORT, type InstrumentOptions } from '../common/wasm/types';
import { compileMetered, decodeEntry, encodeEntry, ENTRY_HEADER_BYTES, moduleCacheKey } from './module-cache';

const OPTS: InstrumentOptions = { meterFuel: true, memoryMaxPages: 16, tableMaxElements: 10, startFuel: 1000n };

/**
 * Byte-exact (no WAT tool in between): a leaf `$inc(x) = x + 1`, and exported `f(x)` that loops `x = inc(x)` until
 * x ≥ 100 and returns x. A loop, a call and a leaf: the parts of the rewrite most likely to change.
 */
const MODULE = buildModule(
  [1, [0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f]],
  [3, [0x02, 0x00, 0x00]],
  [5, [0x01, 0x00, 0x01]],
  [7, [0x01, 0x01, 0x66, 0x00, 0x01]],
  [
    10,
    [
      0x02,
      0x07, 0x00, 0x20, 0x00, 0x41, 0x01, 0x6a, 0x0b,
      0x13, 0x00, 0x03, 0x40, 0x20, 0x00, 0x10, 0x00, 0x22, 0x00, 0x41, 0xe4, 0x00, 0x48, 0x0d, 0x00, 0x0b, 0x20, 0x00, 0x0b,
    ],
  ],
);
const SHA = createHash('sha256').update(MODULE).digest('hex');

describe('INSTRUMENTER_VERSION', () => {
  it('is bumped whenever the instrumenter output changes (tripwire on one fixed module)', () => {
    const output = createHash('sha256').update(instrumentModule(MODULE, OPTS)).digest('hex');
    // If this fails, the rewrite changed: bump INSTRUMENTER_VERSION in common/wasm/instrument.ts (so no cache entry of
    // the old output is used), then record the new version and hash here.
    expect({ version: INSTRUMENTER_VERSION, output }).toEqual({
      version: 2,
      output: 'edb3f409c1d1404dbd6fcce509a19ef6caf8a2059002c823730b9bcee39ae7c6',
    });
  });
});

describe('moduleCacheKey', () => {
  it('changes with the original, the instrumenter version and every option that changes the output', () => {
    const base = moduleCacheKey(SHA, OPTS);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(moduleCacheKey(SHA.toUpperCase(), OPTS)).toBe(base);
    const others = [
      moduleCacheKey('0'.repeat(64), OPTS),
      moduleCacheKey(SHA, OPTS, INSTRUMENTER_VERSION + 1),
      moduleCacheKey(SHA, { ...OPTS, meterFuel: false }),
      moduleCacheKey(SHA, { ...OPTS, memoryMaxPages: 17 }),
      moduleCacheKey(SHA, { ...OPTS, tableMaxElements: 11 }),
      moduleCacheKey(SHA, { ...OPTS, startFuel: 1001n }),
      moduleCacheKey(SHA, { meterFuel: true, memoryMaxPages: 16, tableMaxElements: 10 }), // default start fuel
    ];
    expect(new Set([base, ...others]).size).toBe(others.length + 1);
  });
});

describe('decodeEntry', () => {
  const key = moduleCacheKey(SHA, OPTS);
  const instrumented = instrumentModule(MODULE, OPTS);
  const entry = encodeEntry(key, instrumented);

  it('gives back the payload of a sound entry', () => {
    const decoded = decodeEntry(entry, key);
    expect(decoded).toHaveProperty('bytes');
    expect(Buffer.from((decoded as { bytes: Uint8Array }).bytes).equals(Buffer.from(instrumented))).toBe(true);
  });

  it('refuses a truncated entry, in the header or the payload', () => {
    expect(decodeEntry(entry.subarray(0, 20), key)).toEqual({ why: expect.stringMatching(/^truncated entry/) });
    expect(decodeEntry(entry.subarray(0, entry.length - 1), key)).toEqual({ why: expect.stringMatching(/^truncated entry/) });
    expect(decodeEntry(entry.subarray(0, ENTRY_HEADER_BYTES), key)).toEqual({ why: expect.stringMatching(/^truncated entry/) });
  });

  it('refuses any flipped byte: payload, stored hash, key, magic', () => {
    for (const at of [entry.length - 3, ENTRY_HEADER_BYTES, ENTRY_HEADER_BYTES - 10, 20, 0]) {
      const bad = entry.slice();
      bad[at] = (bad[at] as number) ^ 0x01;
      expect(decodeEntry(bad, key), `byte ${at}`).toHaveProperty('why');
    }
  });

  it('refuses an entry of another instrumenter version, or for another key', () => {
    expect(decodeEntry(encodeEntry(key, instrumented, INSTRUMENTER_VERSION + 1), key)).toEqual({
      why: `stale entry (instrumenter version ${INSTRUMENTER_VERSION + 1}, expected ${INSTRUMENTER_VERSION})`,
    });
    expect(decodeEntry(entry, moduleCacheKey(SHA, { ...OPTS, startFuel: 5n }))).toEqual({ why: expect.stringMatching(/key mismatch/) });
  });

  it('refuses a payload that is not a valid module even when its hash matches', () => {
    const garbage = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x0a, 0xff]);
    expect(decodeEntry(encodeEntry(key, garbage), key)).toEqual({ why: 'corrupt entry (payload is not a valid module)' });
  });
});

describe('compileMetered with a cache directory', () => {
  let dir: string;
  const key = moduleCacheKey(SHA, OPTS);
  const run = (cacheDir = dir) => compileMetered(MODULE, OPTS, { dir: cacheDir, originalSha256: SHA });
  /** f(0) with a fuel limit: the loop's result, or 'out of fuel' when the metered code ran out. */
  const callF = (module: WebAssembly.Module, fuel: bigint): number | 'out of fuel' => {
    const exports = new WebAssembly.Instance(module).exports;
    const counter = exports[FUEL_EXPORT] as WebAssembly.Global;
    counter.value = fuel;
    try {
      return (exports.f as (x: number) => number)(0);
    } catch {
      return (counter.value as bigint) < 0n ? 'out of fuel' : NaN;
    }
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'conductor-module-cache-'));
  });
  afterEach(() => {
    chmodSync(dir, 0o700);
    rmSync(dir, { recursive: true, force: true });
  });

  it('without a cache: instruments, state off', async () => {
    const r = await compileMetered(MODULE, OPTS, null);
    expect(r.cache).toEqual({ state: 'off', note: null });
    expect(callF(r.module, 1_000_000n)).toBe(100);
  });

  it('misses, writes the entry, then hits; the cached module is the metered one', async () => {
    const first = await run();
    expect(first.cache).toEqual({ state: 'miss', note: null });
    expect(existsSync(join(dir, key))).toBe(true);
    const second = await run();
    expect(second.cache).toEqual({ state: 'hit', note: null });
    expect(callF(second.module, 1_000_000n)).toBe(100);
    expect(callF(second.module, 50n)).toBe('out of fuel');
  });

  it('a flipped byte or a truncation is detected, the entry deleted and rebuilt, and the result still metered', async () => {
    await run();
    const path = join(dir, key);
    const sound = readFileSync(path);
    const flipped = Buffer.from(sound);
    flipped[flipped.length - 5] = (flipped[flipped.length - 5] as number) ^ 0x40;
    for (const [damage, why] of [
      [flipped, /corrupt entry/],
      [sound.subarray(0, sound.length - 7), /truncated entry/],
      [Buffer.alloc(0), /truncated entry/],
    ] as const) {
      writeFileSync(path, damage);
      const r = await run();
      expect(r.cache.state).toBe('rebuilt');
      expect(r.cache.note).toMatch(why);
      expect(readFileSync(path).equals(sound)).toBe(true);
      expect(callF(r.module, 50n)).toBe('out of fuel');
      expect((await run()).cache.state).toBe('hit');
    }
  });

  it('a stale entry (other instrumenter version) under the current key is rebuilt', async () => {
    writeFileSync(join(dir, key), encodeEntry(key, instrumentModule(MODULE, OPTS), INSTRUMENTER_VERSION + 7));
    const r = await run();
    expect(r.cache).toEqual({ state: 'rebuilt', note: `stale entry (instrumenter version ${INSTRUMENTER_VERSION + 7}, expected ${INSTRUMENTER_VERSION})` });
    expect((await run()).cache.state).toBe('hit');
  });

  it('a well-formed entry holding un-metered code (no fuel counter) is never used', async () => {
    writeFileSync(join(dir, key), encodeEntry(key, MODULE));
    const r = await run();
    expect(r.cache).toEqual({ state: 'rebuilt', note: 'corrupt entry (no fuel counter)' });
    expect(callF(r.module, 50n)).toBe('out of fuel');
  });

  it.skipIf(process.getuid?.() === 0)('a directory that cannot be written: no cache, the load still works, the report says why', async () => {
    const readOnly = join(dir, 'ro');
    mkdirSync(readOnly);
    chmodSync(readOnly, 0o500);
    try {
      for (let i = 0; i < 2; i++) {
        const r = await run(readOnly);
        expect(r.cache.state).toBe('miss');
        expect(r.cache.note).toMatch(/^not saved: .*EACCES/);
        expect(callF(r.module, 1_000_000n)).toBe(100);
      }
    } finally {
      chmodSync(readOnly, 0o700);
    }
  });

  it.skipIf(process.platform !== 'linux')('a directory no one may create (under /proc, even as root): no cache, no crash', async () => {
    const r = await run('/proc/self/conductor-module-cache');
    expect(r.cache.state).toBe('miss');
    expect(r.cache.note).toMatch(/^not saved: /);
    expect(callF(r.module, 50n)).toBe('out of fuel');
  });

  it('a cache path that is a file, not a directory: no cache, no crash', async () => {
    const file = join(dir, 'file');
    writeFileSync(file, 'x');
    const r = await run(file);
    expect(r.cache.state).toBe('miss');
    expect(r.cache.note).toMatch(/^not saved: /);
  });
});
