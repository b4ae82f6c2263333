import { describe, expect, it } from 'vitest';
import { ManualClock } from '../common/test-support/manual-clock';
import { createAppSource } from './app-source';
import { AppSourceError } from './frontmost-app';
import type { RunTool } from './run-tool';

const noTools: RunTool = (argv) => Promise.reject(new AppSourceError('no-tool', `${argv[0]} is not installed`));

describe('createAppSource', () => {
  it('picks the platform reader: each says what it needs when its tool is missing', async () => {
    const timer = new ManualClock();
    const linux = createAppSource({ platform: 'linux', env: { DISPLAY: ':0' }, timer, runTool: noTools });
    expect(await linux.status()).toMatchObject({ available: false, reason: 'no-tool', message: expect.stringContaining('xprop') });
    const mac = createAppSource({ platform: 'darwin', env: {}, timer, runTool: noTools });
    expect(await mac.status()).toMatchObject({ available: false, reason: 'no-tool', message: expect.stringContaining('osascript') });
    const win = createAppSource({ platform: 'win32', env: {}, timer, runTool: noTools });
    expect(await win.status()).toMatchObject({ available: false, reason: 'no-tool', message: expect.stringContaining('PowerShell') });
  });

  it('a Wayland session without X is unavailable, by name', async () => {
    const source = createAppSource({ platform: 'linux', env: { WAYLAND_DISPLAY: 'wayland-0', XDG_SESSION_TYPE: 'wayland' }, timer: new ManualClock(), runTool: noTools });
    expect(await source.status()).toMatchObject({ available: false, reason: 'wayland', message: expect.stringContaining('frontmost app unavailable on Wayland without X') });
    await expect(source.frontmost()).rejects.toMatchObject({ reason: 'wayland' });
  });

  it('another platform is unsupported, with a typed error', async () => {
    const source = createAppSource({ platform: 'aix', env: {}, timer: new ManualClock() });
    expect(await source.status()).toMatchObject({ available: false, reason: 'unsupported-platform' });
    await expect(source.running()).rejects.toMatchObject({ reason: 'unsupported-platform' });
  });
});
