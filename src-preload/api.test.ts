import { describe, expect, it, vi } from 'vitest';
import type { IpcReply } from '../src-shared/ipc-wire';
import { createConductorApi, type PreloadTransport } from './api';

function fakeTransport(reply: IpcReply = { ok: true, value: 'pong' }) {
  let handler: ((name: unknown, payload: unknown) => void) | null = null;
  const transport = {
    invoke: vi.fn<PreloadTransport['invoke']>(async () => reply),
    listen: vi.fn<PreloadTransport['listen']>((h) => {
      handler = h;
    }),
  };
  return { transport, send: (name: unknown, payload: unknown) => handler?.(name, payload) };
}

describe('the exposed API', () => {
  it('without file paths (browser-like), exposes only call and on, frozen', () => {
    const api = createConductorApi(fakeTransport().transport);
    expect(Object.keys(api).sort()).toEqual(['call', 'on']);
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('with file paths (Electron), adds installPluginFromDisk: a .wasm with a path installs from disk, anything else is null', async () => {
    const { transport } = fakeTransport({ ok: true, value: { ok: true, action: 'installed' } });
    const paths = new Map<unknown, string>([
      ['dropped', '/home/me/Downloads/spotify.wasm'],
      ['notes', '/home/me/notes.txt'],
      ['constructed', ''],
    ]);
    const api = createConductorApi({
      ...transport,
      pathForFile: (file) => {
        const path = paths.get(file);
        if (path === undefined) throw new TypeError('not a File');
        return path;
      },
    });
    expect(Object.keys(api).sort()).toEqual(['call', 'installPluginFromDisk', 'on']);
    expect(Object.isFrozen(api)).toBe(true);
    await expect(api.installPluginFromDisk?.('dropped', { update: true })).resolves.toEqual({ ok: true, action: 'installed' });
    expect(transport.invoke).toHaveBeenCalledWith('plugins.install', ['/home/me/Downloads/spotify.wasm', { update: true }]);
    for (const file of ['notes', 'constructed', { not: 'a file' }]) await expect(api.installPluginFromDisk?.(file, {})).resolves.toBeNull();
    expect(transport.invoke).toHaveBeenCalledTimes(1);
  });

  it('sends known calls with their arguments and returns the value', async () => {
    const { transport } = fakeTransport({ ok: true, value: { ok: true } });
    const api = createConductorApi(transport);
    await expect(api.call('virtual.press', 36, 100)).resolves.toEqual({ ok: true });
    expect(transport.invoke).toHaveBeenCalledWith('virtual.press', [36, 100]);
  });

  it('refuses unknown call names without sending anything', async () => {
    const { transport } = fakeTransport();
    const api = createConductorApi(transport);
    const call = api.call as (name: string, ...args: unknown[]) => Promise<unknown>;
    await expect(call('fs.readFile', '/etc/passwd')).rejects.toThrow(/unknown call "fs.readFile"/);
    await expect(call('__proto__')).rejects.toThrow(TypeError);
    await expect(call('toString')).rejects.toThrow(TypeError);
    expect(transport.invoke).not.toHaveBeenCalled();
  });

  it('rethrows main-process errors with their name and message', async () => {
    const { transport } = fakeTransport({ ok: false, error: { name: 'InvalidRequestError', message: 'virtual.press: invalid arguments' } });
    const api = createConductorApi(transport);
    const error = await api.call('virtual.press', 36, 100).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('InvalidRequestError');
    expect((error as Error).message).toBe('virtual.press: invalid arguments');
  });

  it('delivers only payloads of known events to their listeners, until unsubscribed', () => {
    const { transport, send } = fakeTransport();
    const api = createConductorApi(transport);
    const learn = vi.fn();
    const engine = vi.fn();
    const offLearn = api.on('learn', learn);
    api.on('engine.event', engine);
    expect(transport.listen).toHaveBeenCalledTimes(1);

    send('learn', { kind: 'started', sessionId: 1, timeoutMs: 10_000 });
    send('not.an.event', { secret: true });
    send(42, {});
    expect(learn).toHaveBeenCalledExactlyOnceWith({ kind: 'started', sessionId: 1, timeoutMs: 10_000 });
    expect(engine).not.toHaveBeenCalled();

    offLearn();
    send('learn', { kind: 'cancelled', sessionId: 1, reason: 'user' });
    expect(learn).toHaveBeenCalledTimes(1);
  });

  it('keeps delivering when one listener throws, and allows the same listener twice', () => {
    const { transport, send } = fakeTransport();
    const api = createConductorApi(transport);
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const good = vi.fn();
    api.on('devices.changed', () => {
      throw new Error('boom');
    });
    const off1 = api.on('devices.changed', good);
    api.on('devices.changed', good);
    send('devices.changed', { devices: [] });
    expect(good).toHaveBeenCalledTimes(2);
    off1();
    send('devices.changed', { devices: [] });
    expect(good).toHaveBeenCalledTimes(3);
    expect(error).toHaveBeenCalled();
    error.mockRestore();
  });

  it('refuses unknown event names and non-function listeners', () => {
    const api = createConductorApi(fakeTransport().transport);
    const on = api.on as (event: string, listener: unknown) => () => void;
    expect(() => on('conductor:call', () => {})).toThrow(/unknown event/);
    expect(() => on('learn', 'not a function')).toThrow(/listener must be a function/);
  });
});
