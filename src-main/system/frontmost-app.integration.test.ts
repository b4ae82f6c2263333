// Real X windows under Xvfb: the app source reads _NET_ACTIVE_WINDOW, the window's properties and /proc as it would on
// a desktop. Focus is moved by setting _NET_ACTIVE_WINDOW on the root window, as a window manager does.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemTimer } from '../common/clock';
import { createAppSource } from './app-source';
import { AppSourceError, anyMatches, matchesApp, type AppInfo, type AppSource } from './frontmost-app';
import { LinuxAppReader } from './linux';
import { systemRunTool, type RunTool } from './run-tool';
import { X_SKIP_MESSAGE, XDisplay, onPath, xToolsAvailable, type XWindow } from './test-support/x-display';

const available = xToolsAvailable();
if (!available) console.warn(X_SKIP_MESSAGE);

/** Collects a source's change events; `next(predicate)` waits for the first event after the last one taken that fits. */
class Changes {
  private readonly seen: (AppInfo | null)[] = [];
  private taken = 0;
  private wake: (() => void) | null = null;
  constructor(source: AppSource) {
    source.onChange((app) => {
      this.seen.push(app);
      this.wake?.();
    });
  }
  async next(what: string, fits: (app: AppInfo | null) => boolean, timeoutMs = 30_000): Promise<AppInfo | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.taken < this.seen.length) {
        const app = this.seen[this.taken++] as AppInfo | null;
        if (fits(app)) return app;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no change to ${what} within ${timeoutMs} ms; saw ${JSON.stringify(this.seen.map((a) => a?.name ?? null))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = null;
    }
  }
}

describe.skipIf(!available)('frontmost app on X11 (Xvfb, real windows)', () => {
  let x: XDisplay;
  let dir: string;
  let scratchpad: string;
  let alpha: XWindow;
  let beta: XWindow;
  let source: AppSource;

  beforeAll(async () => {
    x = await XDisplay.start(90);
    // A second application: xmessage under another executable name (its own process, executable and WM_CLASS instance).
    dir = mkdtempSync(join(tmpdir(), 'conductor-x11-'));
    scratchpad = join(dir, 'conductor-scratchpad');
    copyFileSync(onPath('xmessage') as string, scratchpad);
    alpha = await x.openWindow('xmessage', 'Alpha document', 'alpha');
    beta = await x.openWindow(scratchpad, 'Beta – ünï', 'beta');
    await x.setPid(beta.id, beta.pid);
    source = createAppSource({ platform: 'linux', env: x.env, timer: systemTimer, intervalMs: 100 });
  });

  afterAll(async () => {
    source?.dispose();
    await x?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reports each window as focus moves between two applications, then none when the front one closes', async () => {
    expect(await source.status()).toEqual({ available: true, via: 'xprop' });
    const changes = new Changes(source);
    // No window manager has set _NET_ACTIVE_WINDOW yet: nothing is in front.
    expect(await changes.next('nothing in front', (app) => app === null)).toBeNull();

    await x.activate(alpha.id);
    const a = await changes.next('xmessage', (app) => app?.windowClass?.instance === 'xmessage');
    expect(a).toMatchObject({ name: 'Xmessage', title: 'Alpha document', windowClass: { instance: 'xmessage', className: 'Xmessage' }, pid: null });
    expect(matchesApp('xmessage', a as AppInfo)).toBe(true);
    expect(matchesApp('conductor-scratchpad', a as AppInfo)).toBe(false);
    expect(await source.frontmost()).toMatchObject({ title: 'Alpha document' });

    await x.activate(beta.id);
    const b = await changes.next('conductor-scratchpad', (app) => app?.windowClass?.instance === 'conductor-scratchpad');
    expect(b).toMatchObject({ name: 'Xmessage', executable: 'conductor-scratchpad', path: scratchpad, pid: beta.pid, title: 'Beta – ünï' });
    expect(matchesApp('Conductor-Scratchpad', b as AppInfo)).toBe(true);

    await x.activate(alpha.id);
    expect(await changes.next('xmessage again', (app) => app?.windowClass?.instance === 'xmessage')).toMatchObject({ title: 'Alpha document' });
    await x.activate(beta.id);
    await changes.next('conductor-scratchpad again', (app) => app?.pid === beta.pid);

    // The front window's application quits while _NET_ACTIVE_WINDOW still names its window.
    await x.close(beta);
    expect(await changes.next('nothing after close', (app) => app === null)).toBeNull();
  });

  it.skipIf(onPath('xdotool') === null)('reads the same through xdotool when xprop is missing', async () => {
    await x.announceActiveWindow();
    const real = systemRunTool({ env: x.env });
    // The machine's tools, as if x11-utils were not installed.
    const withoutXprop: RunTool = (argv) => (argv[0] === 'xprop' ? Promise.reject(new AppSourceError('no-tool', 'xprop is not installed')) : real(argv));
    const reader = new LinuxAppReader({ env: x.env, runTool: withoutXprop });
    expect(await reader.status()).toEqual({ available: true, via: 'xdotool' });
    await x.activate(alpha.id);
    expect(await reader.frontmost()).toMatchObject({ title: 'Alpha document', pid: null });
    const gamma = await x.openWindow(scratchpad, 'Gamma', 'gamma');
    await x.setPid(gamma.id, gamma.pid);
    await x.activate(gamma.id);
    expect(await reader.frontmost()).toMatchObject({ executable: 'conductor-scratchpad', pid: gamma.pid, title: 'Gamma' });
    expect(matchesApp('conductor-scratchpad', (await reader.frontmost()) as AppInfo)).toBe(true);
    await x.close(gamma);
  });

  it('runs tools without a shell: a missing one is "no-tool", a failing one reports its exit code and output', async () => {
    const run = systemRunTool({ env: x.env });
    await expect(run(['conductor-no-such-tool'])).rejects.toMatchObject({ reason: 'no-tool' });
    const bad = await run(['xprop', '-id', '0x7fffff7', 'WM_CLASS']);
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).toContain('BadWindow');
    expect((await run(['xprop', '-root', '_NET_ACTIVE_WINDOW'])).exitCode).toBe(0);
  });

  it('lists the running applications from /proc', async () => {
    const running = await source.running();
    expect(running.some((app) => app.pid === alpha.pid && app.executable === 'xmessage')).toBe(true);
    expect(running.some((app) => app.pid === process.pid)).toBe(true);
    expect(anyMatches('xmessage', running)).toBe(true);
    expect(anyMatches('no-such-app-conductor', running)).toBe(false);
  });
});
