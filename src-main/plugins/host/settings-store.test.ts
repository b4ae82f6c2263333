// The plugin settings store (issue #14): plain values and secrets in separate files (secrets 0600, sealed by the
// given sealer), views that never carry a secret, checked values, atomic saves that survive a reload.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PluginSettingSpec } from '../../../src-shared/plugin';
import { PluginSettingsStore, type SecretSealer } from './settings-store';

const SPECS: PluginSettingSpec[] = [
  { name: 'host', type: 'host', description: '', default: '127.0.0.1', required: false },
  { name: 'port', type: 'number', description: '', default: 4455, required: false },
  { name: 'password', type: 'secret', description: '', default: null, required: true },
];

let dir: string;
let values: string;
let secrets: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conductor-settings-store-'));
  values = join(dir, 'plugin_settings.json');
  secrets = join(dir, 'plugin_secrets.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('plugin settings store', () => {
  it('keeps secrets apart (0600), gives the host everything and the form no secret, and survives a reload', async () => {
    const store = new PluginSettingsStore(values, secrets);
    await store.load();
    const view = await store.update('obs', SPECS, { host: '192.168.1.20:4455', port: 4466, password: 'hunter2' });
    expect(view).toEqual({ values: { host: '192.168.1.20:4455', port: 4466 }, secretsSet: ['password'], secretStorage: 'file' });
    expect(JSON.stringify(view)).not.toContain('hunter2');
    expect(readFileSync(values, 'utf8')).not.toContain('hunter2');
    expect(statSync(secrets).mode & 0o777).toBe(0o600);
    const again = new PluginSettingsStore(values, secrets);
    await again.load();
    expect(again.valuesFor('obs')).toEqual({ host: '192.168.1.20:4455', port: 4466, password: 'hunter2' });
    expect(again.valuesFor('other')).toEqual({});
  });

  it('null or "" clears; an undeclared name or a bad value is refused and nothing is written', async () => {
    const store = new PluginSettingsStore(values, secrets);
    await store.load();
    await store.update('obs', SPECS, { port: 4466, password: 'x' });
    expect((await store.update('obs', SPECS, { port: null, password: '' })).values).toEqual({});
    expect(store.valuesFor('obs')).toEqual({});
    const before = readFileSync(values, 'utf8');
    await expect(store.update('obs', SPECS, { colour: 'red' })).rejects.toThrow(/declares no setting "colour"/);
    await expect(store.update('obs', SPECS, { port: 'many' })).rejects.toThrow(/setting port must be a number/);
    expect(readFileSync(values, 'utf8')).toBe(before);
  });

  it('seals secrets with the given sealer; one it cannot open counts as unset', async () => {
    const sealer: SecretSealer = { storage: 'keychain', seal: (s) => `sealed:${Buffer.from(s).toString('base64')}`, open: (s) => {
      if (!s.startsWith('sealed:')) throw new Error('not ours');
      return Buffer.from(s.slice(7), 'base64').toString();
    } };
    const store = new PluginSettingsStore(values, secrets, sealer);
    await store.load();
    expect((await store.update('obs', SPECS, { password: 'hunter2' })).secretStorage).toBe('keychain');
    expect(readFileSync(secrets, 'utf8')).not.toContain('hunter2');
    expect(store.valuesFor('obs')).toEqual({ password: 'hunter2' });
    writeFileSync(secrets, JSON.stringify({ obs: { password: 'from another machine' } }));
    await store.load();
    expect(store.valuesFor('obs')).toEqual({});
  });

  it('a broken file is reported with its path and left alone', async () => {
    writeFileSync(values, '{ not json');
    await expect(new PluginSettingsStore(values, secrets).load()).rejects.toThrow(/plugin_settings\.json: not valid settings JSON/);
    expect(readFileSync(values, 'utf8')).toBe('{ not json');
  });
});
