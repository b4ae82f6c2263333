import { describe, expect, it, vi } from 'vitest';
import { parseCall } from '../../src-shared/contract';
import { APP_ENTRY_URL } from './app-origin';
import { createCallGuard, UntrustedSenderError, type Dispatch } from './ipc-guard';

/** Stands in for the services' dispatch: validates with parseCall (as it does), then answers. */
function fakeDispatch(answer: (name: string, args: unknown[]) => unknown): Dispatch & ReturnType<typeof vi.fn> {
  return vi.fn(async (name: unknown, args: unknown) => {
    const call = parseCall(name, args);
    return answer(call.name, call.args);
  });
}

describe('createCallGuard', () => {
  it('dispatches calls from our renderer and wraps the reply', async () => {
    const dispatch = fakeDispatch((name, args) => ({ name, args }));
    const guard = createCallGuard({ dispatch, onRefused: () => {} });
    await expect(guard(APP_ENTRY_URL, 'virtual.press', [36, 100])).resolves.toEqual({
      ok: true,
      value: { name: 'virtual.press', args: [36, 100] },
    });
    expect(dispatch).toHaveBeenCalledWith('virtual.press', [36, 100]);
  });

  it.each([[undefined], [null], ['https://example.com/'], ['file:///tmp/x.html'], ['about:blank'], ['conductor://other/']])(
    'drops requests from %s without dispatching',
    async (url) => {
      const dispatch = fakeDispatch(() => 'nope');
      const onRefused = vi.fn();
      const guard = createCallGuard({ dispatch, onRefused });
      await expect(guard(url, 'app.info', [])).rejects.toBeInstanceOf(UntrustedSenderError);
      expect(dispatch).not.toHaveBeenCalled();
      expect(onRefused).toHaveBeenCalledWith(url, 'app.info');
    },
  );

  it('returns validation failures as an error reply naming the call', async () => {
    const guard = createCallGuard({ dispatch: fakeDispatch(() => 'unreachable'), onRefused: () => {} });
    const reply = await guard(APP_ENTRY_URL, 'virtual.press', [300, 0]);
    expect(reply.ok).toBe(false);
    if (reply.ok) throw new Error('unreachable');
    expect(reply.error.name).toBe('InvalidRequestError');
    expect(reply.error.message).toMatch(/^virtual\.press: invalid arguments/);

    const unknown = await guard(APP_ENTRY_URL, 'fs.readFile', ['/etc/passwd']);
    expect(unknown).toEqual({ ok: false, error: { name: 'InvalidRequestError', message: 'unknown call "fs.readFile"' } });
  });

  it('returns handler failures as name + message only', async () => {
    const guard = createCallGuard({
      dispatch: fakeDispatch(() => {
        const error = new Error('plugin not installed');
        error.name = 'PluginInstallError';
        throw error;
      }),
      onRefused: () => {},
    });
    await expect(guard(APP_ENTRY_URL, 'plugins.uninstall', ['x'])).resolves.toEqual({
      ok: false,
      error: { name: 'PluginInstallError', message: 'plugin not installed' },
    });
  });

  it('accepts a custom sender check', async () => {
    const guard = createCallGuard({ dispatch: fakeDispatch(() => 1), isTrustedSender: (url) => url === 'x://y/', onRefused: () => {} });
    await expect(guard('x://y/', 'app.info', [])).resolves.toEqual({ ok: true, value: 1 });
    await expect(guard(APP_ENTRY_URL, 'app.info', [])).rejects.toBeInstanceOf(UntrustedSenderError);
  });
});
