// Core.start with loadPluginsInBackground (as the app and browser mode start it): the installed plugins load after
// start resolves; `pluginsLoaded` says when they have; a plugin asked for meanwhile is the one being loaded, not a
// second copy; and a press for it waits for its load instead of failing.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watBytes } from '../../plugins/fixtures';
import { Core } from './core';

const ENV_KEYS = ['CONDUCTOR_CONFIG_DIR', 'CONDUCTOR_DATA_DIR'] as const;
const ctx = { trigger: 'Note', note: 60, velocity: 100, channel: 0, mode: 'Default', timestamp: 1732500000000 };

let root: string;
let saved: (readonly [string, string | undefined])[];
let core: Core | null = null;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'conductor-background-'));
  saved = ENV_KEYS.map((key) => [key, process.env[key]] as const);
  process.env.CONDUCTOR_CONFIG_DIR = join(root, 'config');
  process.env.CONDUCTOR_DATA_DIR = join(root, 'data');
  mkdirSync(join(root, 'config'), { recursive: true });
  mkdirSync(join(root, 'plugins'), { recursive: true });
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

describe('Core: plugins loading in the background', () => {
  it('resolves start without waiting for the plugins, and every plugin is loaded once', async () => {
    for (const name of ['alpha', 'beta', 'gamma']) writeFileSync(join(root, 'plugins', `${name}.wasm`), await watBytes('echo'));
    core = await Core.start({
      configPath: join(root, 'config', 'config.toml'),
      pluginsDir: join(root, 'plugins'),
      watchConfig: false,
      devices: { backends: [], pollIntervalMs: 0, virtualPortName: null, log: () => undefined },
      pluginHost: { spareSandboxes: 0, moduleCacheDir: null },
      loadPluginsInBackground: true,
    });
    // Asked for while the scan may still run: the scan's own handle (or the only one), and a call waits for its load.
    const beta = await core.plugins.ensureLoaded(join(root, 'plugins', 'beta.wasm'));
    const result = await beta.call({ action: 'ping' }, ctx);
    expect(result).toMatchObject({ ok: true, code: 0 });
    await core.pluginsLoaded;
    const list = await core.plugins.list();
    expect(list.map((p) => p.id).sort()).toEqual(['alpha', 'beta', 'gamma']);
    expect(list.map((p) => p.snapshot.state)).toEqual(['ready', 'ready', 'ready']);
    expect(core.plugins.get('beta')).toBe(beta);
  });
});
