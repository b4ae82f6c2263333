import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import type { CommandResult, PluginStatsChange } from '../src-shared/contract';
import { CALL_NAMES, EVENT_NAMES } from '../src-shared/contract-names';
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

const NAMESPACES = ['app', 'config', 'devices', 'engine', 'gamepads', 'layouts', 'learn', 'plugins', 'profiles', 'system', 'trust', 'virtual'];

describe('the exposed API', () => {
  it('without file paths (browser-like), exposes one frozen namespace of verbs per contract prefix, and nothing else', () => {
    const api = createConductorApi(fakeTransport().transport);
    expect(Object.keys(api).sort()).toEqual(NAMESPACES);
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.keys(api.plugins).sort()).toEqual([
      'decide',
      'install',
      'installFiles',
      'list',
      'oauthConnect',
      'oauthDisconnect',
      'onDidChange',
      'onDidChangeStats',
      'onDidNotify',
      'onDidRequestApproval',
      'saveSettings',
      'setLimits',
      'settings',
      'test',
      'uninstall',
    ]);
    for (const ns of NAMESPACES) expect(Object.isFrozen((api as unknown as Record<string, object>)[ns]), ns).toBe(true);
    // every call and event of the contract is a verb, and only those
    const verbs = NAMESPACES.flatMap((ns) => Object.keys((api as unknown as Record<string, object>)[ns] ?? {}).map((v) => `${ns}.${v}`));
    expect(verbs).toHaveLength(CALL_NAMES.length + EVENT_NAMES.length);
  });

  it('with file paths (Electron), adds plugins.installFromDisk: a .wasm with a path installs from disk, anything else is null', async () => {
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
    expect(Object.keys(api).sort()).toEqual(NAMESPACES);
    expect(Object.keys(api.plugins)).toContain('installFromDisk');
    await expect(api.plugins.installFromDisk?.('dropped', { update: true })).resolves.toEqual({ ok: true, action: 'installed' });
    expect(transport.invoke).toHaveBeenCalledWith('plugins.install', ['/home/me/Downloads/spotify.wasm', { update: true }]);
    for (const file of ['notes', 'constructed', { not: 'a file' }]) await expect(api.plugins.installFromDisk?.(file, {})).resolves.toBeNull();
    expect(transport.invoke).toHaveBeenCalledTimes(1);
  });

  it('a verb sends its call name with its arguments and returns the value', async () => {
    const { transport } = fakeTransport({ ok: true, value: { ok: true } });
    const api = createConductorApi(transport);
    await expect(api.virtual.press(36, 100)).resolves.toEqual({ ok: true });
    expect(transport.invoke).toHaveBeenLastCalledWith('virtual.press', [36, 100]);
    await api.plugins.install('/p/a.wasm', { update: true });
    expect(transport.invoke).toHaveBeenLastCalledWith('plugins.install', ['/p/a.wasm', { update: true }]);
    await api.app.info();
    expect(transport.invoke).toHaveBeenLastCalledWith('app.info', []);
  });

  it('has no verb for a name outside the contract: a type error, and at run time nothing to call and nothing sent', () => {
    const { transport } = fakeTransport();
    const api = createConductorApi(transport);
    const loose = api as unknown as Record<string, Record<string, unknown> | undefined>;
    expect(loose.fs).toBeUndefined();
    expect(loose.call).toBeUndefined();
    expect(loose.devices?.format).toBeUndefined();
    expect(() => (loose.devices?.format as () => unknown)()).toThrow(TypeError);
    expect(() => {
      (loose.plugins as Record<string, unknown>).format = () => 'mine';
    }).toThrow(TypeError); // frozen: no verb can be added or replaced
    expect(() => {
      (loose.plugins as Record<string, unknown>).install = () => 'mine';
    }).toThrow(TypeError);
    expect(transport.invoke).not.toHaveBeenCalled();
    // Type level (checked by tsc): names outside the contract are no members; arguments and replies are the contract's.
    expectTypeOf(api).not.toHaveProperty('fs');
    expectTypeOf(api).not.toHaveProperty('call');
    expectTypeOf(api.devices).not.toHaveProperty('format');
    expectTypeOf(api.plugins).not.toHaveProperty('didChange');
    expectTypeOf(api.virtual.press).parameters.toEqualTypeOf<[number, number]>();
    expectTypeOf(api.plugins.uninstall).returns.toEqualTypeOf<Promise<CommandResult>>();
    expectTypeOf(api.plugins.onDidChangeStats).parameter(0).parameter(0).toEqualTypeOf<PluginStatsChange>();
  });

  it('rethrows main-process errors with their name and message', async () => {
    const { transport } = fakeTransport({ ok: false, error: { name: 'InvalidRequestError', message: 'virtual.press: invalid arguments' } });
    const api = createConductorApi(transport);
    const error = await api.virtual.press(36, 100).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('InvalidRequestError');
    expect((error as Error).message).toBe('virtual.press: invalid arguments');
  });

  it('delivers only payloads of known events to their onDidX listeners, until unsubscribed', () => {
    const { transport, send } = fakeTransport();
    const api = createConductorApi(transport);
    const learn = vi.fn();
    const engine = vi.fn();
    const offLearn = api.learn.onDidChange(learn);
    api.engine.onDidEmitEvent(engine);
    expect(transport.listen).toHaveBeenCalledTimes(1);

    send('learn.didChange', { kind: 'started', sessionId: 1, timeoutMs: 10_000 });
    send('not.an.event', { secret: true });
    send(42, {});
    expect(learn).toHaveBeenCalledExactlyOnceWith({ kind: 'started', sessionId: 1, timeoutMs: 10_000 });
    expect(engine).not.toHaveBeenCalled();

    offLearn();
    send('learn.didChange', { kind: 'cancelled', sessionId: 1, reason: 'user' });
    expect(learn).toHaveBeenCalledTimes(1);
  });

  it('keeps delivering when one listener throws, and allows the same listener twice', () => {
    const { transport, send } = fakeTransport();
    const api = createConductorApi(transport);
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const good = vi.fn();
    api.devices.onDidChange(() => {
      throw new Error('boom');
    });
    const off1 = api.devices.onDidChange(good);
    api.devices.onDidChange(good);
    send('devices.didChange', { devices: [] });
    expect(good).toHaveBeenCalledTimes(2);
    off1();
    send('devices.didChange', { devices: [] });
    expect(good).toHaveBeenCalledTimes(3);
    expect(error).toHaveBeenCalled();
    error.mockRestore();
  });

  it('refuses non-function listeners', () => {
    const api = createConductorApi(fakeTransport().transport);
    const onDidChange = api.learn.onDidChange as (listener: unknown) => () => void;
    expect(() => onDidChange('not a function')).toThrow(/listener must be a function/);
  });
});
