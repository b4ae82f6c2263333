// The app's own plugins (issue #14): installed on first run, updated after an app update only while the installed
// copy is still ours, never reinstalled after an uninstall, never written over a user's file of the same name.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundledResult } from '../../trust/policy';
import { installBundledPlugins } from './bundled';

let root: string;
let shipped: string;
let plugins: string;
let record: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'conductor-bundled-'));
  shipped = join(root, 'resources-plugins');
  plugins = join(root, 'plugins');
  record = join(root, 'config', 'bundled_plugins.json');
  mkdirSync(shipped);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const ship = (name: string, text: string): void => writeFileSync(join(shipped, name), `\0asm${text}`);
const installed = (name: string): string => readFileSync(join(plugins, name), 'utf8');

describe('bundled plugins', () => {
  it('installs on first run, then leaves things alone', async () => {
    ship('obs-studio.wasm', 'v1');
    ship('system-utils.wasm', 'v1');
    expect(await installBundledPlugins(shipped, plugins, record)).toEqual({ installed: ['obs-studio.wasm', 'system-utils.wasm'], updated: [] });
    expect(installed('obs-studio.wasm')).toBe('\0asmv1');
    expect(await installBundledPlugins(shipped, plugins, record)).toEqual({ installed: [], updated: [] });
  });

  it('an app update replaces the copy we installed; not one the user replaced', async () => {
    ship('obs-studio.wasm', 'v1');
    ship('system-utils.wasm', 'v1');
    await installBundledPlugins(shipped, plugins, record);
    writeFileSync(join(plugins, 'system-utils.wasm'), '\0asmmine');
    ship('obs-studio.wasm', 'v2');
    ship('system-utils.wasm', 'v2');
    expect(await installBundledPlugins(shipped, plugins, record)).toEqual({ installed: [], updated: ['obs-studio.wasm'] });
    expect(installed('obs-studio.wasm')).toBe('\0asmv2');
    expect(installed('system-utils.wasm')).toBe('\0asmmine');
  });

  it('an uninstalled one stays uninstalled; a user file of the same name is never overwritten', async () => {
    ship('obs-studio.wasm', 'v1');
    await installBundledPlugins(shipped, plugins, record);
    unlinkSync(join(plugins, 'obs-studio.wasm'));
    ship('obs-studio.wasm', 'v2');
    expect(await installBundledPlugins(shipped, plugins, record)).toEqual({ installed: [], updated: [] });
    expect(existsSync(join(plugins, 'obs-studio.wasm'))).toBe(false);
    writeFileSync(join(plugins, 'spotify.wasm'), '\0asmtheirs');
    ship('spotify.wasm', 'ours');
    expect(await installBundledPlugins(shipped, plugins, record)).toEqual({ installed: [], updated: [] });
    expect(installed('spotify.wasm')).toBe('\0asmtheirs');
  });

  it('no bundled folder: nothing to do', async () => {
    expect(await installBundledPlugins(join(root, 'none'), plugins, record)).toEqual({ installed: [], updated: [] });
  });

  it('a file whose SHA-256 is in the manifest is tier "bundled"; any other file is not', () => {
    const manifest = { 'obs-studio.wasm': 'ab'.repeat(32) };
    expect(bundledResult('ab'.repeat(32), manifest)).toMatchObject({ ok: true, tier: 'bundled', detail: expect.stringMatching(/^shipped with the app \(obs-studio\.wasm/) });
    expect(bundledResult('cd'.repeat(32), manifest)).toBeNull();
  });
});
