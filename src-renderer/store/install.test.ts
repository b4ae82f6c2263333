// Installing from picked or dropped files in the store: uploads in browser mode, installs from disk in the desktop
// app (the preload's plugins.installFromDisk) with upload as the fallback, the panel's Update box, the install error.
import { afterEach, describe, expect, it } from 'vitest';
import type { CallReplies } from '../../src-shared/contract';
import { FakeApi, FakeClient, flush, loadHandlers, samplePlugin } from '../test-support/fake-api';
import { startBridge } from './bridge';
import { createAppStore } from './index';
import type { AppStore } from './types';

let stop: (() => void) | null = null;
afterEach(() => {
  stop?.();
  stop = null;
});

type InstallReply = CallReplies['plugins.install'];
const installed: InstallReply = { ok: true, plugin: samplePlugin('dropped'), action: 'installed' };

/** With the desktop preload's extra verb (plugins.installFromDisk), recording what it was asked. */
class DesktopApi extends FakeApi {
  readonly fromDisk: { file: unknown; update: boolean | undefined }[];
  constructor(diskReply: InstallReply | null) {
    const fromDisk: { file: unknown; update: boolean | undefined }[] = [];
    super(
      { ...loadHandlers(), 'plugins.installFiles': () => installed, 'plugins.list': () => [] },
      {
        installFromDisk: (file, options) => {
          fromDisk.push({ file, update: options.update });
          return Promise.resolve(diskReply);
        },
      },
    );
    this.fromDisk = fromDisk;
  }
}

async function storeOn(api: FakeApi): Promise<AppStore> {
  const store = createAppStore(api.api, { now: () => 1000 });
  stop = startBridge(store, new FakeClient(api));
  await flush();
  return store;
}

const wasm = new File([new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])], 'dropped.wasm');
const toml = new File(['name = "dropped"\n'], 'plugin.toml');

describe('installing picked or dropped files', () => {
  it('browser mode: uploads every file (base64) with the Update box of the install panel', async () => {
    const api = new FakeApi({ ...loadHandlers(), 'plugins.installFiles': () => installed, 'plugins.list': () => [] });
    const store = await storeOn(api);
    store.getState().setInstallUpdate(true);
    expect(await store.getState().installPluginFiles([wasm, toml])).toBeNull();
    expect(api.callsOf('plugins.installFiles')).toEqual([
      [
        [
          { name: 'dropped.wasm', base64: 'AGFzbQEAAAA=' },
          { name: 'plugin.toml', base64: Buffer.from('name = "dropped"\n').toString('base64') },
        ],
        { update: true },
      ],
    ]);
    expect(store.getState().installError).toBeNull();
  });

  it('desktop: one .wasm installs from disk (its .sig and plugin.toml come from beside it), nothing is uploaded', async () => {
    const api = new DesktopApi(installed);
    const store = await storeOn(api);
    expect(await store.getState().installPluginFiles([wasm, toml], false)).toBeNull();
    expect(api.fromDisk).toEqual([{ file: wasm, update: false }]);
    expect(api.callsOf('plugins.installFiles')).toEqual([]);
  });

  it('desktop: a file without a path on disk falls back to the upload', async () => {
    const api = new DesktopApi(null);
    const store = await storeOn(api);
    expect(await store.getState().installPluginFiles([wasm], false)).toBeNull();
    expect(api.fromDisk).toHaveLength(1);
    expect(api.callsOf('plugins.installFiles')).toHaveLength(1);
  });

  it('a refusal is kept as the install error (shown in the panel, wherever the drop happened) until the next install works', async () => {
    const refusal = 'pick exactly one .wasm file (got 0), optionally with its .wasm.sig and a plugin.toml';
    const api = new FakeApi({ ...loadHandlers(), 'plugins.installFiles': () => ({ ok: false, error: refusal }), 'plugins.list': () => [] });
    const store = await storeOn(api);
    expect(await store.getState().installPluginFiles([toml])).toBe(refusal);
    expect(store.getState().installError).toBe(refusal);
    api.handlers['plugins.installFiles'] = () => installed;
    expect(await store.getState().installPluginFiles([wasm])).toBeNull();
    expect(store.getState().installError).toBeNull();
  });
});
