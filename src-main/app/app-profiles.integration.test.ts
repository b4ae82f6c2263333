// Per-app profiles on a real Core and its services: with a stand-in app source (through the contract: state, events,
// setFollow, frontmost, a saved config's `apps`), and under Xvfb with real windows whose focus switches the mode.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProfilesState } from '../../src-shared/app-profiles';
import type { AppConfig } from '../../src-shared/config';
import type { ContractEvent } from '../../src-shared/contract';
import { systemTimer } from '../common/clock';
import { startTestCore, type TestCore } from '../services/test-support/test-core';
import { createAppSource } from '../system/app-source';
import type { AppSource } from '../system/frontmost-app';
import { FakeAppSource } from '../system/test-support/fake-app-source';
import { buildTrayMenu, runTrayCommand, trayStateOf } from './tray-menu';
import { X_SKIP_MESSAGE, XDisplay, onPath, xToolsAvailable } from '../system/test-support/x-display';

const CONFIG = `[[modes]]
name = "Default"

[[modes]]
name = "Editing"
apps = ["code"]

[[modes]]
name = "Mixer"
`;

let t: TestCore | null = null;
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  await t?.stop();
  t = null;
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** Waits (on events, not time) until `check` holds; fails after `timeoutMs` saying what was last seen. */
async function until<T>(what: string, read: () => T, check: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms; last ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('per-app profiles on a real core, with a stand-in source', () => {
  it('switches modes as the app in front changes; reports state, events and the app in front through the contract', async () => {
    const apps = new FakeAppSource({ frontmost: 'firefox' });
    t = await startTestCore({ configText: CONFIG, core: { apps } });
    const { core, services } = t;
    const events: ContractEvent[] = [];
    services.onDidEmitEvent((e) => events.push(e));
    const state = (): Promise<ProfilesState> => services.dispatch('profiles.state', []) as Promise<ProfilesState>;

    await until('firefox read', () => core.profiles.state.frontmost?.name, (n) => n === 'firefox');
    expect(await state()).toEqual({ follow: true, used: true, frontmost: { name: 'firefox', executable: 'firefox', title: null, self: false }, reason: { kind: 'default', mode: 'Default', app: 'firefox' } });

    apps.setFrontmost('code');
    expect(core.engine.currentMode).toBe('Editing');
    expect((await state()).reason).toEqual({ kind: 'app', mode: 'Editing', app: 'code' });
    const profileEvents = (): ProfilesState[] => events.filter((e) => e.event === 'profiles.didChange').map((e) => e.payload as ProfilesState);
    expect(profileEvents().at(-1)?.reason).toEqual({ kind: 'app', mode: 'Editing', app: 'code' });
    expect(events.some((e) => e.event === 'engine.didEmitEvent' && e.payload.kind === 'mode-change' && e.payload.to === 'Editing')).toBe(true);

    // The UI's mode switch is a choice by hand: it holds while code stays in front.
    await services.dispatch('engine.setMode', ['Mixer']);
    expect((await state()).reason).toEqual({ kind: 'manual', mode: 'Mixer', app: 'code' });
    expect(await services.dispatch('profiles.frontmost', [])).toEqual({ ok: true, app: { name: 'code', executable: 'code', title: null, self: false }, lastOther: { name: 'code', executable: 'code', title: null, self: false } });

    // Following off: nothing switches; on again: the app in front decides.
    expect(await services.dispatch('profiles.setFollow', [false])).toMatchObject({ follow: false, reason: { kind: 'off' } });
    apps.setFrontmost('firefox');
    apps.setFrontmost('code');
    expect(core.engine.currentMode).toBe('Mixer');
    expect(await services.dispatch('profiles.setFollow', [true])).toMatchObject({ follow: true });
    await until('Editing again', () => core.engine.currentMode, (m) => m === 'Editing');
    await expect(services.dispatch('profiles.setFollow', ['yes'])).rejects.toThrow(/invalid arguments/);
  });

  it("a saved config's apps take effect at once, and are written to config.toml", async () => {
    const apps = new FakeAppSource({ frontmost: { name: 'Gimp', executable: 'gimp-2.10' } });
    t = await startTestCore({ configText: '[[modes]]\nname = "Default"\n\n[[modes]]\nname = "Design"\n', core: { apps } });
    const { core, services } = t;
    expect(core.profiles.state.reason).toEqual({ kind: 'unused' });
    expect(apps.listenerCount).toBe(0); // nothing lists an app: nothing is watched
    const config = structuredClone(core.config.config) as AppConfig;
    (config.modes[1] as AppConfig['modes'][number]).apps = ['gimp*'];
    expect(await services.dispatch('config.save', [config as unknown as Record<string, unknown>])).toMatchObject({ ok: true });
    await until('Design for gimp', () => core.engine.currentMode, (m) => m === 'Design');
    expect(core.profiles.state.reason).toEqual({ kind: 'app', mode: 'Design', app: 'Gimp' });
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(t.configPath, 'utf8')).toContain('name = "Design"\napps = ["gimp*"]\n');
  });
});

const xAvailable = xToolsAvailable();
if (!xAvailable) console.warn(X_SKIP_MESSAGE);

describe.skipIf(!xAvailable)('per-app profiles under Xvfb, real windows', () => {
  it('focusing a window switches to the mode that lists its app, and back', async () => {
    const x = await XDisplay.start(110);
    cleanup.push(() => x.stop());
    const dir = mkdtempSync(join(tmpdir(), 'conductor-profiles-x11-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    // A second application: xmessage under another executable name.
    const scratchpad = join(dir, 'conductor-scratchpad');
    copyFileSync(onPath('xmessage') as string, scratchpad);
    const alpha = await x.openWindow('xmessage', 'Alpha', 'alpha');
    const beta = await x.openWindow(scratchpad, 'Beta', 'beta');
    await x.setPid(beta.id, beta.pid);
    const source: AppSource = createAppSource({ platform: 'linux', env: x.env, timer: systemTimer, intervalMs: 100 });
    cleanup.push(() => source.dispose());

    // Both windows' WM_CLASS class is "Xmessage": the scratchpad's mode comes first, as the first mode listing an app wins.
    const config = `[[modes]]\nname = "Default"\n\n[[modes]]\nname = "Scratch"\napps = ["conductor-*"]\n\n[[modes]]\nname = "Messages"\napps = ["xmessage"]\n`;
    t = await startTestCore({ configText: config, core: { apps: source } });
    const { core } = t;
    const modes: string[] = [];
    core.engine.onDidEngineEvent((e) => {
      if (e.kind === 'mode-change' && e.to !== null) modes.push(e.to);
    });
    await until('nothing in front read', () => core.profiles.state.reason.kind, (k) => k === 'default');

    await x.activate(alpha.id);
    await until('Messages', () => core.engine.currentMode, (m) => m === 'Messages');
    expect(core.profiles.state).toMatchObject({ frontmost: { name: 'Xmessage', title: 'Alpha' }, reason: { kind: 'app', mode: 'Messages', app: 'Xmessage' } });

    await x.activate(beta.id);
    await until('Scratch', () => core.engine.currentMode, (m) => m === 'Scratch');
    expect(core.profiles.state.frontmost).toMatchObject({ executable: 'conductor-scratchpad', title: 'Beta' });

    await x.activate(0); // nothing in front: the mode from before comes back
    await until('Default', () => core.engine.currentMode, (m) => m === 'Default');
    expect(modes).toEqual(['Messages', 'Scratch', 'Default']);
  });
});

describe('per-app profiles in the tray', () => {
  it('the tray offers to stop following while profiles are used, and its command turns following off and on', async () => {
    const apps = new FakeAppSource({ frontmost: 'firefox' });
    t = await startTestCore({ configText: CONFIG, core: { apps } });
    const { core } = t;
    const target = { showWindow: () => undefined, openPath: () => undefined, quit: () => undefined };
    expect((await trayStateOf(core)).following).toBe(true);
    const follow = buildTrayMenu(await trayStateOf(core)).items.find((i) => i.id === 'follow');
    expect(follow).toMatchObject({ label: 'Stop following the frontmost app' });
    expect(runTrayCommand({ kind: 'set-follow', follow: false }, core, target)).toBeNull();
    expect(core.profiles.state.follow).toBe(false);
    expect((await trayStateOf(core)).following).toBe(false);
    runTrayCommand({ kind: 'set-follow', follow: true }, core, target);
    expect(core.profiles.state.follow).toBe(true);
  });
});
