// Installing from picked/dropped files (plugins.installFiles) against a real core: the files are staged in a temp
// dir with the usual layout, verified and installed; names that are not this plugin's files are refused.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildWatFixtures, cFixture } from '../../plugins/fixtures';
import { createHandlers } from './handlers';
import { startTestCore, type TestCore } from './test-support/test-core';

let t: TestCore;
let fx: Awaited<ReturnType<typeof buildWatFixtures>>;
const b64 = (path: string): string => readFileSync(path).toString('base64');

beforeEach(async () => {
  t = await startTestCore();
  fx = await buildWatFixtures();
});
afterEach(async () => {
  fx.cleanup();
  await t.stop();
});

describe('plugins.installFiles', () => {
  it('installs a picked .wasm with its plugin.toml, as the path-based install would', async () => {
    const handlers = createHandlers(t.core, t.learner, { shell: 'browser' });
    const toml = Buffer.from('name = "dropped"\nversion = "2.0.0"\ncapabilities = ["network"]\n').toString('base64');
    const reply = await handlers['plugins.installFiles']([{ name: 'dropped.wasm', base64: b64(fx.path('minimal')) }, { name: 'plugin.toml', base64: toml }], undefined);
    expect(reply).toMatchObject({ ok: true, action: 'installed', plugin: { id: 'dropped', snapshot: { state: 'ready', grants: ['network'], metadata: { name: 'dropped', version: '2.0.0' } } } });
    expect(readdirSync(t.pluginsDir).sort()).toEqual(['dropped.plugin.toml', 'dropped.wasm']);
  });

  it('refuses other file names, path tricks and a missing .wasm, writing nothing', async () => {
    const handlers = createHandlers(t.core, t.learner, { shell: 'browser' });
    const wasm = { name: 'counter.wasm', base64: b64(cFixture('good')) };
    for (const files of [
      [wasm, { name: '../evil.wasm.sig', base64: '' }],
      [wasm, { name: 'other.wasm.sig', base64: '' }],
      [{ name: 'notes.txt', base64: '' }],
      [wasm, { name: 'second.wasm', base64: wasm.base64 }],
    ]) {
      const reply = await handlers['plugins.installFiles'](files, undefined);
      expect(reply.ok).toBe(false);
    }
    expect(existsSync(join(t.pluginsDir, 'counter.wasm'))).toBe(false);
    const bad = await handlers['plugins.installFiles']([{ name: 'counter.wasm', base64: Buffer.from('hello').toString('base64') }], undefined);
    expect(bad).toMatchObject({ ok: false, error: expect.stringMatching(/not a WebAssembly module/) });
  });
});
