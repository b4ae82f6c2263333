// The instrumented-module cache end to end: plugins loaded through createPlugin into real sandbox processes
// (dist/sandbox.js) whose pool names a cache directory — miss, hit, corrupt, truncated and stale entries, an entry
// without metering, a directory that cannot be written. Metering is checked by running out of fuel after each.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWatFixtures } from '../../../plugins/fixtures';
import { INSTRUMENTER_VERSION } from '../common/wasm/instrument';
import { decodeEntry, encodeEntry } from '../sandbox/module-cache';
import type { PluginHandle } from './plugin-handle';
import { createPlugin } from './create-plugin';
import { SandboxPool } from './sandbox-pool';

const ctx = { trigger: 'Note', note: 60, velocity: 100, channel: 0, mode: 'Default', timestamp: 1732500000000 };
/** tight-loop runs ~20 million iterations: far past this, so a metered load stops with out-of-fuel. */
const LOW_FUEL = { fuelPerCall: 10_000 };

let fx: Awaited<ReturnType<typeof buildWatFixtures>>;
let root: string;
let cacheDir: string;
let pool: SandboxPool | null = null;
const opened: PluginHandle[] = [];

async function load(cache: string, name = 'tight-loop'): Promise<PluginHandle> {
  pool ??= new SandboxPool({ spareSandboxes: 0, moduleCacheDir: cache });
  const plugin = createPlugin({ wasmPath: fx.path(name), id: `cache-${name}`, limits: LOW_FUEL, grants: [] }, { pool });
  opened.push(plugin);
  await plugin.loaded;
  expect(plugin.state, plugin.snapshot().reason ?? '').toBe('ready');
  return plugin;
}

/** Loads, checks the cache state and that the plugin is metered (runs out of fuel), closes. */
async function loadExpecting(state: 'miss' | 'hit' | 'rebuilt', cache = cacheDir): Promise<string | null> {
  const plugin = await load(cache);
  const report = plugin.report;
  expect(report?.moduleCache.state).toBe(state);
  if (state === 'hit') expect(report?.moduleCache.note).toBeNull();
  const r = await plugin.call({ action: 'spin' }, ctx);
  expect(r).toMatchObject({ ok: false, errorKind: 'out-of-fuel' });
  await plugin.close();
  return report?.moduleCache.note ?? null;
}

const entries = (): string[] => readdirSync(cacheDir).filter((f) => /^[0-9a-f]{64}$/.test(f));

beforeAll(async () => {
  fx = await buildWatFixtures();
  root = mkdtempSync(join(tmpdir(), 'conductor-cache-it-'));
});
afterAll(() => {
  fx.cleanup();
  rmSync(root, { recursive: true, force: true });
});
beforeEach(() => {
  cacheDir = mkdtempSync(join(root, 'cache-'));
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((p) => p.close()));
  await pool?.dispose();
  pool = null;
});

describe('instrumented-module cache in real sandboxes', () => {
  it('misses and writes one entry, then hits without instrumenting; the plugin is metered either way', async () => {
    expect(await loadExpecting('miss')).toBeNull();
    const [entry] = entries();
    expect(entries()).toHaveLength(1);
    const decoded = decodeEntry(new Uint8Array(readFileSync(join(cacheDir, entry as string))), entry as string);
    expect(decoded).toHaveProperty('bytes');
    await loadExpecting('hit');
    await loadExpecting('hit');
    expect(entries()).toEqual([entry]);
  });

  it('a flipped byte or a truncated entry is detected, deleted, rebuilt, and the plugin still runs out of fuel', async () => {
    await loadExpecting('miss');
    const path = join(cacheDir, entries()[0] as string);
    const sound = readFileSync(path);
    const flipped = Buffer.from(sound);
    flipped[Math.floor(flipped.length / 2)] = (flipped[Math.floor(flipped.length / 2)] as number) ^ 0xff;
    writeFileSync(path, flipped);
    expect(await loadExpecting('rebuilt')).toMatch(/corrupt entry/);
    expect(readFileSync(path).equals(sound)).toBe(true);
    writeFileSync(path, sound.subarray(0, sound.length >> 1));
    expect(await loadExpecting('rebuilt')).toMatch(/truncated entry/);
    await loadExpecting('hit');
  });

  it('a stale entry (another instrumenter version) under the same key is rebuilt', async () => {
    await loadExpecting('miss');
    const key = entries()[0] as string;
    const decoded = decodeEntry(new Uint8Array(readFileSync(join(cacheDir, key))), key) as { bytes: Uint8Array };
    writeFileSync(join(cacheDir, key), encodeEntry(key, decoded.bytes, INSTRUMENTER_VERSION + 1));
    expect(await loadExpecting('rebuilt')).toBe(`stale entry (instrumenter version ${INSTRUMENTER_VERSION + 1}, expected ${INSTRUMENTER_VERSION})`);
    await loadExpecting('hit');
  });

  it('an entry with sound checksums but the un-metered original inside is never run', async () => {
    await loadExpecting('miss');
    const key = entries()[0] as string;
    writeFileSync(join(cacheDir, key), encodeEntry(key, new Uint8Array(readFileSync(fx.path('tight-loop')))));
    expect(await loadExpecting('rebuilt')).toBe('corrupt entry (no fuel counter)');
  });

  it('a cache directory that cannot be created: every load instruments, works and says why nothing was saved', async () => {
    const notADir = join(root, 'a-file');
    writeFileSync(notADir, 'not a directory');
    const blocked = join(notADir, 'instrumented');
    expect(await loadExpecting('miss', blocked)).toMatch(/^not saved: /);
    expect(await loadExpecting('miss', blocked)).toMatch(/^not saved: /);
  });

  it('no cache directory: state off', async () => {
    pool = new SandboxPool({ spareSandboxes: 0 });
    const plugin = await load(cacheDir);
    expect(plugin.report?.moduleCache).toEqual({ state: 'off', note: null });
  });
});
