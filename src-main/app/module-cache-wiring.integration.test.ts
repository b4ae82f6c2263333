// The app's wiring of the instrumented-module cache: a Core (as the app and browser mode start it) caches under
// <data>/cache/instrumented, so a second start of the app loads its plugins without instrumenting them again.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watBytes } from '../../plugins/fixtures';
import { Core } from './core';

const ENV_KEYS = ['CONDUCTOR_CONFIG_DIR', 'CONDUCTOR_DATA_DIR', 'CONDUCTOR_MODULE_CACHE_DIR'] as const;

let root: string;
let saved: (readonly [string, string | undefined])[];
let core: Core | null = null;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'conductor-cache-wiring-'));
  saved = ENV_KEYS.map((key) => [key, process.env[key]] as const);
  process.env.CONDUCTOR_CONFIG_DIR = join(root, 'config');
  process.env.CONDUCTOR_DATA_DIR = join(root, 'data');
  delete process.env.CONDUCTOR_MODULE_CACHE_DIR;
  mkdirSync(join(root, 'config'), { recursive: true });
});

afterEach(async () => {
  await core?.stop();
  core = null;
  for (const [key, value] of saved) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  rmSync(root, { recursive: true, force: true });
});

/** Starts a core, loads the plugin at `wasm`, returns its cache state and stops the core. */
async function loadOnce(wasm: string): Promise<string | undefined> {
  core = await Core.start({
    configPath: join(root, 'config', 'config.toml'),
    pluginsDir: join(root, 'plugins'),
    watchConfig: false,
    devices: { backends: [], pollIntervalMs: 0, virtualPortName: null, log: () => undefined },
    pluginHost: { spareSandboxes: 0 },
  });
  const plugin = await core.plugins.ensureLoaded(wasm);
  await vi.waitFor(() => expect(plugin.state).toBe('ready'), { timeout: 20_000 });
  const state = plugin.report?.moduleCache.state;
  await core.stop();
  core = null;
  return state;
}

describe('Core: instrumented-module cache', () => {
  it('caches under <data>/cache/instrumented: a miss on the first start, a hit on the next', async () => {
    const wasm = join(root, 'minimal.wasm');
    writeFileSync(wasm, await watBytes('minimal'));
    expect(await loadOnce(wasm)).toBe('miss');
    expect(readdirSync(join(root, 'data', 'cache', 'instrumented')).filter((f) => /^[0-9a-f]{64}$/.test(f))).toHaveLength(1);
    expect(await loadOnce(wasm)).toBe('hit');
  });
});
