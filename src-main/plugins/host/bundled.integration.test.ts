// The app's own plugins end to end (issue #14): installed from resources/plugins/ into an empty plugins folder, they
// load as tier "bundled" even when only trusted signatures are allowed — and a changed copy no longer does.
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_PLUGINS } from '../../trust/bundled-plugins';
import { installBundledPlugins } from './bundled';
import { PluginManager } from './manager';

const SHIPPED = fileURLToPath(new URL('../../../resources/plugins/', import.meta.url));
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'conductor-bundled-e2e-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bundled plugins in a fresh install', () => {
  it('are copied in and load as "bundled" under a trusted-keys-only policy; a modified copy is judged like any file', async () => {
    const plugins = join(dir, 'plugins');
    const installed = await installBundledPlugins(SHIPPED, plugins, join(dir, 'bundled_plugins.json'));
    expect(installed.installed).toEqual(Object.keys(BUNDLED_PLUGINS).sort());
    const open = () =>
      PluginManager.open({
        pluginsDir: plugins,
        trustedKeysPath: join(dir, 'trusted_keys.toml'),
        grantsPath: join(dir, 'grants.toml'),
        settingsPath: join(dir, 'settings.json'),
        secretsPath: join(dir, 'secrets.json'),
        officialKeyPath: null,
        policy: { requireSignature: true, allowSelfSigned: false },
        host: { spareSandboxes: 0 },
      });
    const manager = await open();
    try {
      const list = await manager.discover();
      expect(list.map((p) => [p.id, p.snapshot.verification?.tier, p.snapshot.state]).sort()).toEqual([
        ['obs-studio', 'bundled', 'ready'],
        ['spotify', 'bundled', 'ready'],
        ['system-utils', 'bundled', 'waiting-approval'], // systemcontrol is high risk: the user decides
      ]);
      expect(manager.settingsForm('obs-studio').specs.map((s) => s.name)).toEqual(['host', 'port', 'password']);
    } finally {
      await manager.shutdown();
    }
    appendFileSync(join(plugins, 'obs-studio.wasm'), Buffer.from([0]));
    const again = await open();
    try {
      const obs = (await again.discover()).find((p) => p.id === 'obs-studio');
      expect(obs?.snapshot).toMatchObject({ state: 'failed', verification: { tier: 'unsigned', ok: false } });
    } finally {
      await again.shutdown();
    }
  });
});
