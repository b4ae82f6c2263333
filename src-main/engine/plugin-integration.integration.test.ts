// The engine with the REAL plugin manager: a WasmPlugin mapping runs the C fixture plugin in a real sandbox
// process, driven by Note events; the event stream carries fuel, result code, error kind and the plugin's log.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActionErrorEvent, ActionFinishEvent, EngineEvent } from '../../src-shared/engine';
import { buildWatFixtures, cFixture } from '../../plugins/fixtures';
import { createPlugin } from '../plugins/host/create-plugin';
import { PluginManager } from '../plugins/host/manager';
import { DEFAULT_POLICY } from '../trust/policy';
import { systemTimer } from '../common/clock';
import { Engine } from './engine';
import { ManualClock } from '../common/test-support/manual-clock';
import { makeConfig, mapping, midi } from './test-support/test-config';

let root: string;
let manager: PluginManager;
let engine: Engine | null = null;
let savedDataDir: string | undefined;

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'conductor-engine-'));
  savedDataDir = process.env.CONDUCTOR_DATA_DIR;
  process.env.CONDUCTOR_DATA_DIR = join(root, 'data');
  manager = await PluginManager.open({
    pluginsDir: join(root, 'plugins'),
    trustedKeysPath: join(root, 'config', 'trusted_keys.toml'),
    grantsPath: join(root, 'config', 'plugin_grants.toml'),
    policy: DEFAULT_POLICY,
    officialKeyPath: null,
    host: { spareSandboxes: 0 },
  });
});

afterEach(async () => {
  await engine?.dispose();
  engine = null;
  await manager.shutdown();
  if (savedDataDir === undefined) delete process.env.CONDUCTOR_DATA_DIR;
  else process.env.CONDUCTOR_DATA_DIR = savedDataDir;
  rmSync(root, { recursive: true, force: true });
});

describe('WasmPlugin through the real plugin manager', () => {
  it('runs the plugin on Note events and reports fuel, code, errors and log; a failing call does not stop the engine', async () => {
    const wasm = join(root, 'counter.wasm');
    copyFileSync(cFixture('good'), wasm);
    const plugin = (action: string) => ({ type: 'WasmPlugin' as const, path: wasm, params: { action } });
    const config = makeConfig([
      {
        name: 'Live',
        mappings: [mapping('hello', { type: 'Note', note: 60 }, plugin('hello')), mapping('fail', { type: 'Note', note: 61 }, plugin('fail')), mapping('echo', { type: 'Note', note: 62 }, plugin('echo'))],
      },
    ]);
    const clock = new ManualClock();
    engine = new Engine({ config, plugins: manager, clock, timer: systemTimer });
    expect(await engine.preloadPlugins()).toEqual([wasm]);
    expect((await manager.list()).map((p) => [p.id, p.snapshot.state])).toEqual([['counter', 'waiting-approval']]);
    const events: EngineEvent[] = [];
    engine.onDidEngineEvent((e) => events.push(e));
    const finishes = () => events.filter((e): e is ActionFinishEvent => e.kind === 'action-finish');
    const errors = () => events.filter((e): e is ActionErrorEvent => e.kind === 'action-error');
    const m = midi(clock);

    // The fixture requests `filesystem`, so until the user decides, the call fails — as an event.
    engine.handle(m.on(60, 100));
    await engine.idle();
    expect(errors()).toHaveLength(1);
    expect(errors()[0]).toMatchObject({ action: 'WasmPlugin', mapping: { description: 'hello', mode: 'Live' }, plugin: { pluginId: 'counter', errorKind: 'approval', code: null } });
    expect(errors()[0]?.error).toBe('WasmPlugin counter: waiting for approval of: filesystem (medium risk)');

    await manager.decide('counter', 'filesystem', 'granted');
    engine.handle(m.on(60, 100));
    await engine.idle();
    expect(finishes()).toHaveLength(1);
    const ok = finishes()[0];
    expect(ok).toMatchObject({ action: 'WasmPlugin', summary: 'Run plugin counter.wasm: hello', plugin: { path: wasm, pluginId: 'counter', code: 0, errorKind: null, error: null } });
    expect(ok?.plugin?.fuelConsumed).toBeGreaterThan(0);
    expect(ok?.plugin?.log.join('\n')).toContain('Hello from counter! trigger=Note note=60 velocity=100');
    expect(ok?.plugin?.log.join('\n')).toContain('hello action ran');
    expect(ok?.detail).toMatch(/^returned 0, fuel \d+$/);

    engine.handle(m.on(61));
    await engine.idle();
    expect(errors()).toHaveLength(2);
    expect(errors()[1]).toMatchObject({ mapping: { description: 'fail' }, error: 'WasmPlugin counter: plugin returned error code 7', plugin: { code: 7, errorKind: 'plugin-error' } });
    expect(errors()[1]?.plugin?.fuelConsumed).toBeGreaterThan(0);

    // Still working after the failure; the plugin sees the trigger's context, mode included.
    engine.handle(m.on(62, 33, 4));
    await engine.idle();
    const echo = finishes()[1];
    expect(echo?.mapping.description).toBe('echo');
    const input = JSON.parse((echo?.plugin?.log ?? []).find((l) => l.includes('"context"'))?.replace(/^[^{]*/, '') ?? '{}') as { action?: string; context?: Record<string, unknown> };
    expect(input.action).toBe('echo');
    expect(input.context).toMatchObject({ trigger: 'Note', mode: 'Live', note: 62, velocity: 33, channel: 4, device: 'virtual:test', timestamp: clock.now() });
  });

  it('never drops a press silently: calls the real plugin refuses as busy are run-dropped events, counted per plugin', async () => {
    const fx = await buildWatFixtures();
    const handle = await createPlugin({ wasmPath: fx.path('minimal'), id: 'tiny', limits: { maxQueuedCalls: 2 } }).loaded;
    try {
      const pads = [60, 61, 62, 63, 64, 65];
      const config = makeConfig([{ name: 'Live', mappings: pads.map((n) => mapping(`pad ${n}`, { type: 'Note', note: n }, { type: 'WasmPlugin', path: '/tiny.wasm', params: { action: 'x' } })) }]);
      const clock = new ManualClock();
      engine = new Engine({ config, plugins: { ensureLoaded: () => Promise.resolve(handle) }, clock, timer: systemTimer });
      const events: EngineEvent[] = [];
      engine.onDidEngineEvent((e) => events.push(e));
      const m = midi(clock);
      // Six mappings fire at once; their calls reach the plugin before any answer can (an answer needs an I/O turn).
      for (const n of pads) engine.handle(m.on(n));
      await engine.idle();
      const finished = events.filter((e) => e.kind === 'action-finish').length;
      const busy = events.filter((e): e is ActionErrorEvent => e.kind === 'action-error' && e.plugin?.errorKind === 'busy').map((e) => e.runId);
      const dropped = events.filter((e) => e.kind === 'run-dropped');
      expect(finished).toBe(2);
      expect(busy).toHaveLength(4);
      expect(dropped.map((e) => e.kind === 'run-dropped' && [e.runId, e.cause, e.pluginId])).toEqual(busy.map((runId) => [runId, 'plugin-busy', 'tiny']));
      expect(engine.drops).toMatchObject({ total: 4, byCause: { 'plugin-busy': 4 }, byPlugin: { tiny: 4 } });
    } finally {
      await handle.close();
      fx.cleanup();
    }
  });
});
