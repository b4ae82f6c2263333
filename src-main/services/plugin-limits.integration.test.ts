// Per-plugin limits end to end under Node: `[wasm.limits.<plugin>]` in config.toml (read with bounds and positions,
// written back), the plugin manager reloading exactly the plugins whose limits changed, and `plugins.setLimits`
// against a real core: a plugin out of fuel at the default runs once its fuel limit is raised; the isolation override.
import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_LIMITS, limitProblem } from '../../src-shared/plugin';
import { buildWatFixtures } from '../../plugins/fixtures';
import { parseConfigText } from '../config/schema';
import { serializeConfig } from '../config/write';
import { createHandlers } from './handlers';
import { startTestCore, type TestCore } from './test-support/test-core';

const MIB = 1024 * 1024;
let t: TestCore | null = null;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  await t?.stop();
  t = null;
  for (const c of cleanups.splice(0)) c();
});

describe('[wasm.limits] in config.toml', () => {
  it('reads each limit in its file unit and writes it back unchanged', () => {
    const text = [
      '[wasm]',
      'require_signature = false',
      '',
      '[wasm.limits.spotify]',
      'max_fuel = 200000000',
      'max_memory_mb = 256',
      '',
      '[wasm.limits."tight loop"]',
      'timeout_ms = 10000',
      'max_table_elements = 20000',
      '',
    ].join('\n');
    const { config, issues } = parseConfigText(text);
    expect(issues).toEqual([]);
    expect(config?.wasm.limits).toEqual({
      spotify: { fuelPerCall: 200_000_000, memoryBytes: 256 * MIB },
      'tight loop': { callTimeoutMs: 10_000, tableElements: 20_000 },
    });
    const written = serializeConfig(config!);
    expect(written).toContain('[wasm.limits.spotify]\nmax_fuel = 200000000\nmax_memory_mb = 256\n');
    expect(written).toContain('[wasm.limits."tight loop"]\n');
    expect(parseConfigText(written).config?.wasm.limits).toEqual(config?.wasm.limits);
  });

  it('reports out-of-bounds values, wrong types and unknown keys with their path and line', () => {
    const text = [
      '[wasm.limits.a]',
      'max_fuel = 5', // line 2
      'max_memory_mb = 100000',
      'max_fule = 3',
      '[wasm.limits.b]',
      'timeout_ms = "long"',
      '',
    ].join('\n');
    const { config, issues } = parseConfigText(text);
    expect(config).toBeNull();
    expect(issues).toEqual([
      { path: 'wasm.limits.a.max_fuel', segments: ['wasm', 'limits', 'a', 'max_fuel'], message: 'expected 1000000–10000000000, got 5', line: 2, column: 1 },
      { path: 'wasm.limits.a.max_memory_mb', segments: ['wasm', 'limits', 'a', 'max_memory_mb'], message: 'expected 1–4096, got 100000', line: 3, column: 1 },
      expect.objectContaining({ path: 'wasm.limits.a.max_fule', message: expect.stringMatching(/unknown field.*did you mean "max_fuel"/), line: 4 }),
      expect.objectContaining({ path: 'wasm.limits.b.timeout_ms', message: 'expected an integer 100–60000, got "long"', line: 6 }),
    ]);
  });

  it('limitProblem names the bound in the unit the user sees', () => {
    expect(limitProblem('fuelPerCall', 100)).toBe('must be 1,000,000–10,000,000,000, got 100');
    expect(limitProblem('memoryBytes', 8192 * MIB)).toBe('must be 1–4,096 MiB, got 8,192 MiB');
    expect(limitProblem('memoryBytes', MIB + 1)).toMatch(/whole MiB/);
    expect(limitProblem('callTimeoutMs', 1.5)).toMatch(/whole number/);
    expect(limitProblem('tableElements', DEFAULT_LIMITS.tableElements)).toBeNull();
  });
});

describe('plugins.setLimits (real core, real sandboxes)', () => {
  async function coreWith(...names: string[]): Promise<TestCore> {
    const fx = await buildWatFixtures();
    cleanups.push(fx.cleanup);
    const core = await startTestCore();
    mkdirSync(core.pluginsDir, { recursive: true });
    for (const name of names) copyFileSync(fx.path(name), join(core.pluginsDir, `${name}.wasm`));
    await core.core.plugins.discover();
    return core;
  }

  it('raises the fuel limit of an out-of-fuel plugin: saved in config.toml, plugin reloaded, the call then succeeds', async () => {
    t = await coreWith('heavy', 'echo');
    const handlers = createHandlers(t.core, t.learner, { shell: 'browser' });
    const path = join(t.pluginsDir, 'heavy.wasm');
    const before = await handlers['plugins.test'](path, {});
    expect(before).toMatchObject({ ok: false, errorKind: 'out-of-fuel' });
    const echoPid = t.core.plugins.get('echo')?.pid;
    expect(echoPid).toBeGreaterThan(0);
    const stuck = (await handlers['plugins.list']()).find((p) => p.id === 'heavy');
    expect(stuck?.snapshot.stats.lastError).toMatchObject({ kind: 'out-of-fuel', message: expect.stringContaining('out of fuel') });

    const reply = await handlers['plugins.setLimits']('heavy', { fuelPerCall: 200_000_000 });
    expect(reply).toMatchObject({ ok: true, plugin: { id: 'heavy', snapshot: { state: 'ready', limits: { fuelPerCall: 200_000_000 } } } });
    expect(readFileSync(t.configPath, 'utf8')).toMatch(/\[wasm\.limits\.heavy\]\nmax_fuel = 200000000\n/);
    expect(t.core.config.config.wasm.limits).toEqual({ heavy: { fuelPerCall: 200_000_000 } });
    // Only the plugin whose limits changed was restarted.
    expect(t.core.plugins.get('echo')?.pid).toBe(echoPid);

    const after = await handlers['plugins.test'](path, {});
    expect(after).toMatchObject({ ok: true });
    expect(after.fuelConsumed).toBeGreaterThan(DEFAULT_LIMITS.fuelPerCall);

    // null = back to the defaults: the entry leaves config.toml and the plugin runs out of fuel again.
    const reset = await handlers['plugins.setLimits']('heavy', null);
    expect(reset).toMatchObject({ ok: true, plugin: { snapshot: { limits: { fuelPerCall: DEFAULT_LIMITS.fuelPerCall } } } });
    expect(readFileSync(t.configPath, 'utf8')).not.toContain('[wasm.limits');
    expect(await handlers['plugins.test'](path, {})).toMatchObject({ ok: false, errorKind: 'out-of-fuel' });
  });

  it('refuses to save limits into a config.toml that has problems, naming the first one', async () => {
    const fx = await buildWatFixtures();
    cleanups.push(fx.cleanup);
    t = await startTestCore({ configText: '[device]\nname = 42\n' });
    mkdirSync(t.pluginsDir, { recursive: true });
    copyFileSync(fx.path('echo'), join(t.pluginsDir, 'echo.wasm'));
    await t.core.plugins.discover();
    const handlers = createHandlers(t.core, t.learner, { shell: 'browser' });
    const reply = await handlers['plugins.setLimits']('echo', { fuelPerCall: 2_000_000 });
    expect(reply).toMatchObject({ ok: false, error: expect.stringMatching(/^config\.toml has problems \(device\.name: expected a string.*fix them first so the limits can be saved/) });
    expect(readFileSync(t.configPath, 'utf8')).toBe('[device]\nname = 42\n');
    expect(t.core.plugins.get('echo')?.limits.fuelPerCall).toBe(DEFAULT_LIMITS.fuelPerCall);
  });

  it('refuses values outside the bounds and unknown plugins, changing nothing', async () => {
    t = await coreWith('echo');
    const handlers = createHandlers(t.core, t.learner, { shell: 'browser' });
    const original = readFileSync(t.configPath, 'utf8');
    expect(await handlers['plugins.setLimits']('echo', { memoryBytes: 8192 * MIB })).toEqual({
      ok: false,
      error: 'memory must be 1–4,096 MiB, got 8,192 MiB',
    });
    expect(await handlers['plugins.setLimits']('echo', { callTimeoutMs: 10 })).toMatchObject({ ok: false, error: expect.stringMatching(/^timeout per call/) });
    expect(await handlers['plugins.setLimits']('nope', { fuelPerCall: 2_000_000 })).toMatchObject({ ok: false, error: expect.stringContaining('"nope"') });
    expect(readFileSync(t.configPath, 'utf8')).toBe(original);
    expect(t.core.plugins.get('echo')?.limits).toEqual(DEFAULT_LIMITS);
  });

  it('sets and clears the isolation override: validated, saved as [wasm.limits.<id>] isolation, the plugin reloaded with it', async () => {
    t = await coreWith('echo');
    const handlers = createHandlers(t.core, t.learner, { shell: 'browser' });
    const original = readFileSync(t.configPath, 'utf8');
    const wrong = { isolation: 'sandbox' } as unknown as { isolation: 'process' };
    expect(await handlers['plugins.setLimits']('echo', wrong)).toEqual({ ok: false, error: 'isolation must be one of process, shared (or absent for the policy), got "sandbox"' });
    expect(readFileSync(t.configPath, 'utf8')).toBe(original);

    const before = t.core.plugins.get('echo');
    const reply = await handlers['plugins.setLimits']('echo', { ...DEFAULT_LIMITS, isolation: 'process' });
    expect(reply).toMatchObject({ ok: true, plugin: { id: 'echo', snapshot: { limits: { isolation: 'process' } } } });
    expect(readFileSync(t.configPath, 'utf8')).toMatch(/\[wasm\.limits\.echo\]\nisolation = "process"\n/);
    expect(t.core.config.config.wasm.limits).toEqual({ echo: { isolation: 'process' } });
    // Only the isolation changed, and still the plugin was reloaded with it.
    const after = t.core.plugins.get('echo');
    expect(after).not.toBe(before);
    expect(after?.limits.isolation).toBe('process');
    expect(after?.snapshot().isolation).toMatchObject({ mode: 'process', override: 'process' });
    expect(t.core.plugins.limitsFor(join(t.pluginsDir, 'echo.wasm'))).toEqual({ ...DEFAULT_LIMITS, isolation: 'process' });

    const cleared = await handlers['plugins.setLimits']('echo', null);
    expect(cleared).toMatchObject({ ok: true });
    expect(readFileSync(t.configPath, 'utf8')).not.toContain('[wasm.limits');
    expect(t.core.plugins.get('echo')).not.toBe(after);
    expect(t.core.plugins.get('echo')?.limits).toEqual(DEFAULT_LIMITS);
  });

  it('reloads a plugin whose isolation alone was edited in config.toml by hand', async () => {
    t = await coreWith('echo');
    const before = t.core.plugins.get('echo');
    const running = t.core.config.config;
    await t.core.config.save({ ...running, wasm: { ...running.wasm, limits: { echo: { isolation: 'shared' } } } });
    await expect.poll(() => t?.core.plugins.get('echo')?.limits.isolation, { timeout: 10_000 }).toBe('shared');
    expect(t.core.plugins.get('echo')).not.toBe(before);
    // The override wins over the policy (which keeps this unsigned fixture in a process of its own).
    await expect.poll(() => t?.core.plugins.get('echo')?.snapshot().isolation, { timeout: 10_000 }).toMatchObject({ mode: 'shared', override: 'shared' });
  });

  it('applies limits edited in config.toml by hand when the file is reloaded', async () => {
    t = await coreWith('echo');
    const running = t.core.config.config;
    await t.core.config.save({ ...running, wasm: { ...running.wasm, limits: { echo: { memoryBytes: 16 * MIB, callTimeoutMs: 2_000 } } } });
    await expect.poll(() => t?.core.plugins.get('echo')?.limits.memoryBytes, { timeout: 10_000 }).toBe(16 * MIB);
    const echo = t.core.plugins.get('echo');
    expect(echo?.limits.callTimeoutMs).toBe(2_000);
    await expect.poll(() => echo?.snapshot().state, { timeout: 10_000 }).toBe('ready');
  });
});
