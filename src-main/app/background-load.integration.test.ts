// Core.start with loadPluginsInBackground (as the app and browser mode start it): the installed plugins load after
// start resolves; `pluginsLoaded` says when they have; a plugin asked for meanwhile is the one being loaded, not a
// second copy; and a press for it waits for its load instead of failing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { watBytes } from '../../plugins/fixtures';
import { startTestCore, type TestCore } from '../services/test-support/test-core';

const ctx = { trigger: 'Note', note: 60, velocity: 100, channel: 0, mode: 'Default', timestamp: 1732500000000 };

let running: TestCore | null = null;
let pluginsDir: string | null = null;

afterEach(async () => {
  await running?.stop();
  running = null;
  if (pluginsDir) rmSync(pluginsDir, { recursive: true, force: true });
  pluginsDir = null;
});

describe('Core: plugins loading in the background', () => {
  it('resolves start without waiting for the plugins, and every plugin is loaded once', async () => {
    pluginsDir = mkdtempSync(join(tmpdir(), 'conductor-background-'));
    for (const name of ['alpha', 'beta', 'gamma']) writeFileSync(join(pluginsDir, `${name}.wasm`), await watBytes('echo'));
    running = await startTestCore({ core: { pluginsDir, pluginHost: { spareSandboxes: 0, moduleCacheDir: null }, loadPluginsInBackground: true } });
    const { core } = running;
    // Asked for while the scan may still run: the scan's own handle (or the only one), and a call waits for its load.
    const beta = await core.plugins.ensureLoaded(join(pluginsDir, 'beta.wasm'));
    const result = await beta.call({ action: 'ping' }, ctx);
    expect(result).toMatchObject({ ok: true, code: 0 });
    await core.pluginsLoaded;
    const list = await core.plugins.list();
    expect(list.map((p) => p.id).sort()).toEqual(['alpha', 'beta', 'gamma']);
    expect(list.map((p) => p.snapshot.state)).toEqual(['ready', 'ready', 'ready']);
    expect(core.plugins.get('beta')).toBe(beta);
  });
});
