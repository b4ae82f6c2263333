// Per-app profiles' rules on a real Engine with a stand-in app source (FakeAppSource), and over a polling source on a
// manual timer; the `apps` key of [[modes]] read, refused and written back.
import { afterEach, describe, expect, it } from 'vitest';
import type { AppConfig } from '../../src-shared/config';
import type { ProfilesState } from '../../src-shared/app-profiles';
import { appToUse, describeProfileReason } from '../../src-shared/app-profiles';
import { parseConfigText } from '../config/schema';
import { serializeConfig } from '../config/write';
import { Engine } from '../engine/engine';
import { midi } from '../engine/test-support/test-config';
import { flushMicrotasks, ManualClock } from '../common/test-support/manual-clock';
import { appInfo, PollingAppSource, type AppInfo, type AppReader } from '../system/frontmost-app';
import { FakeAppSource } from '../system/test-support/fake-app-source';
import { AppProfiles, appPatternMatches, modeForApp } from './app-profiles';

const CONFIG = `
[[modes]]
name = "Default"

[[modes]]
name = "Editing"
apps = ["code", "Visual Studio Code"]

[[modes]]
name = "Design"
apps = ["*Adobe*", "gimp"]

[[modes]]
name = "Mixer"

[[modes]]
name = "Editing twice"
apps = ["code"]
`;

function configOf(text: string): AppConfig {
  const { config, issues } = parseConfigText(text);
  if (!config) throw new Error(JSON.stringify(issues));
  return config;
}

const SELF_PID = 4242;
let engine: Engine | null = null;
let profiles: AppProfiles | null = null;

afterEach(async () => {
  profiles?.dispose();
  profiles = null;
  await engine?.dispose();
  engine = null;
});

function setup(initial: { frontmost?: string | null; config?: string } = {}): { source: FakeAppSource; engine: Engine; profiles: AppProfiles; states: ProfilesState[] } {
  const config = configOf(initial.config ?? CONFIG);
  const source = new FakeAppSource({ frontmost: initial.frontmost ?? null });
  engine = new Engine({ config });
  profiles = new AppProfiles({ source, engine, config, selfPid: SELF_PID });
  const states: ProfilesState[] = [];
  profiles.onDidChange((s) => states.push(s));
  return { source, engine, profiles, states };
}

const conductor = { name: 'Conductor', executable: 'conductor', pid: SELF_PID };

describe('app patterns', () => {
  const photoshop = appInfo({ name: 'Adobe Photoshop 2024', executable: 'Photoshop.exe' });
  const code = appInfo({ name: 'Code', executable: 'code', windowClass: { instance: 'code', className: 'Code' } });

  it('matches names as AppFrontmost does, and * as any run of characters, case-insensitively', () => {
    expect(appPatternMatches('code', code)).toBe(true);
    expect(appPatternMatches('CODE', code)).toBe(true);
    expect(appPatternMatches('cod', code)).toBe(false); // whole names only
    expect(appPatternMatches('*adobe*', photoshop)).toBe(true);
    expect(appPatternMatches('Adobe*', photoshop)).toBe(true);
    expect(appPatternMatches('*2024', photoshop)).toBe(true);
    expect(appPatternMatches('photo*', photoshop)).toBe(true); // the executable, ".exe" dropped
    expect(appPatternMatches('*shop', photoshop)).toBe(true);
    expect(appPatternMatches('*gimp*', photoshop)).toBe(false);
    expect(appPatternMatches('*', photoshop)).toBe(false);
    expect(appPatternMatches('a.b*', appInfo({ name: 'axb-tool' }))).toBe(false); // regex characters are literal
  });

  it('takes the first mode in file order that lists the app', () => {
    const { modes } = configOf(CONFIG);
    expect(modeForApp(modes, code)?.name).toBe('Editing');
    expect(modeForApp(modes, photoshop)?.name).toBe('Design');
    expect(modeForApp(modes, appInfo({ name: 'firefox' }))).toBeNull();
  });
});

describe('AppProfiles', () => {
  it('switches to the mode listing the app in front, and back to the mode from before when none lists it', async () => {
    const { source, engine, profiles } = setup({ frontmost: 'firefox' });
    engine.setMode('Mixer'); // the user's mode before any app was followed
    await flushMicrotasks();
    expect(profiles.state).toMatchObject({ follow: true, used: true, frontmost: { name: 'firefox', self: false }, reason: { kind: 'default', mode: 'Mixer', app: 'firefox' } });

    source.setFrontmost('code');
    expect(engine.currentMode).toBe('Editing');
    expect(profiles.state.reason).toEqual({ kind: 'app', mode: 'Editing', app: 'code' });
    expect(describeProfileReason(profiles.state.reason)).toBe('Mode Editing because code is in front');

    source.setFrontmost({ name: 'Adobe Illustrator', executable: 'Illustrator.exe' });
    expect(engine.currentMode).toBe('Design');
    source.setFrontmost('firefox');
    expect(engine.currentMode).toBe('Mixer'); // the mode from before the first automatic switch
    expect(profiles.state.reason).toEqual({ kind: 'default', mode: 'Mixer', app: 'firefox' });
    source.setFrontmost(null);
    expect(engine.currentMode).toBe('Mixer');
    expect(profiles.state.reason).toEqual({ kind: 'default', mode: 'Mixer', app: null });
  });

  it("keeps the mode while Conductor's own window is in front", async () => {
    const { source, engine, profiles } = setup({ frontmost: 'code' });
    await flushMicrotasks();
    expect(engine.currentMode).toBe('Editing');
    source.setFrontmost(conductor);
    expect(engine.currentMode).toBe('Editing');
    expect(profiles.state.reason).toEqual({ kind: 'self', mode: 'Editing' });
    expect(profiles.state.frontmost).toMatchObject({ name: 'Conductor', self: true });
    // "Use the current app" offers the app before Conductor.
    const reply = await profiles.frontmost();
    expect(reply).toMatchObject({ ok: true, app: { name: 'Conductor', self: true }, lastOther: { name: 'code' } });
    expect(appToUse(reply)?.name).toBe('code');
  });

  it('a mode chosen by hand holds while the same app stays in front (Conductor in between too), until another app comes', async () => {
    const { source, engine, profiles } = setup({ frontmost: 'code' });
    await flushMicrotasks();
    expect(engine.currentMode).toBe('Editing');
    // The user opens Conductor and picks Mixer (the UI and the tray call Engine.setMode).
    source.setFrontmost(conductor);
    engine.setMode('Mixer');
    expect(profiles.state.reason).toEqual({ kind: 'manual', mode: 'Mixer', app: 'code' });
    source.setFrontmost('code'); // back to the editor: the choice holds
    expect(engine.currentMode).toBe('Mixer');
    source.setFrontmost('firefox'); // another app: no mode lists it, the mode chosen by hand stays
    expect(engine.currentMode).toBe('Mixer');
    expect(profiles.state.reason).toEqual({ kind: 'default', mode: 'Mixer', app: 'firefox' });
    source.setFrontmost('gimp');
    expect(engine.currentMode).toBe('Design');
    source.setFrontmost('firefox');
    expect(engine.currentMode).toBe('Mixer'); // back to the mode chosen by hand
  });

  it('a ModeChange action counts as a choice by hand', async () => {
    const config = configOf(`${CONFIG}
[[global_mappings]]
trigger = { type = "Note", note = 36 }
action = { type = "ModeChange", mode = "Mixer" }
`);
    const source = new FakeAppSource({ frontmost: 'code' });
    engine = new Engine({ config });
    profiles = new AppProfiles({ source, engine, config, selfPid: SELF_PID });
    await flushMicrotasks();
    expect(engine.currentMode).toBe('Editing');
    const pad = midi({ now: () => 0 });
    engine.handle(pad.on(36));
    engine.handle(pad.off(36));
    await engine.idle();
    expect(engine.currentMode).toBe('Mixer');
    expect(profiles.state.reason).toMatchObject({ kind: 'manual', mode: 'Mixer' });
  });

  it('turning following off stops watching and leaves the mode; turning it on applies the app in front', async () => {
    const { source, engine, profiles, states } = setup({ frontmost: 'code' });
    await flushMicrotasks();
    expect(source.listenerCount).toBe(1);
    profiles.setFollow(false);
    expect(source.listenerCount).toBe(0);
    expect(profiles.state).toEqual({ follow: false, used: true, frontmost: null, reason: { kind: 'off' } });
    expect(states.at(-1)).toEqual(profiles.state);
    source.setFrontmost('gimp');
    expect(engine.currentMode).toBe('Editing');
    profiles.setFollow(true);
    await flushMicrotasks();
    expect(engine.currentMode).toBe('Design');
    // setFollow(true) while following ends a manual choice.
    engine.setMode('Mixer');
    expect(profiles.state.reason.kind).toBe('manual');
    profiles.setFollow(true);
    expect(engine.currentMode).toBe('Design');
  });

  it('watches nothing while no mode lists an app; a config that adds apps starts it and applies at once', async () => {
    const plain = configOf('[[modes]]\nname = "Default"\n\n[[modes]]\nname = "Editing"\n');
    const source = new FakeAppSource({ frontmost: 'code' });
    engine = new Engine({ config: plain });
    profiles = new AppProfiles({ source, engine, config: plain, selfPid: SELF_PID });
    expect(source.listenerCount).toBe(0);
    expect(profiles.state).toEqual({ follow: true, used: false, frontmost: null, reason: { kind: 'unused' } });
    const next = configOf('[[modes]]\nname = "Default"\n\n[[modes]]\nname = "Editing"\napps = ["Code"]\n');
    engine.setConfig(next);
    profiles.setConfig(next);
    expect(source.listenerCount).toBe(1);
    await flushMicrotasks();
    expect(engine.currentMode).toBe('Editing');
    // A config dropping the app's mode list: the watch stops.
    engine.setConfig(plain);
    profiles.setConfig(plain);
    expect(source.listenerCount).toBe(0);
  });

  it('reports a source that cannot read the app in front', async () => {
    const { source, profiles } = setup({ frontmost: 'code' });
    await flushMicrotasks();
    source.setUnavailable('wayland', 'frontmost app unavailable on Wayland without X');
    expect(profiles.state.reason).toEqual({ kind: 'unavailable', message: 'frontmost app unavailable on Wayland without X' });
    expect(await profiles.frontmost()).toEqual({ ok: false, error: 'frontmost app unavailable on Wayland without X' });
    // Following off and on again: the source does not repeat its error, the profiles ask it why.
    profiles.setFollow(false);
    profiles.setFollow(true);
    await flushMicrotasks();
    expect(profiles.state.reason).toEqual({ kind: 'unavailable', message: 'frontmost app unavailable on Wayland without X' });
  });

  it('over a polling source: the mode changes at the first reading after the app changes', async () => {
    const clock = new ManualClock();
    let front: AppInfo | null = appInfo({ name: 'firefox' });
    const reader: AppReader = {
      frontmost: () => Promise.resolve(front),
      running: () => Promise.resolve([]),
      status: () => Promise.resolve({ available: true, via: 'test' }),
    };
    const source = new PollingAppSource(reader, { timer: clock, intervalMs: 1000 });
    const config = configOf(CONFIG);
    engine = new Engine({ config, clock, timer: clock });
    profiles = new AppProfiles({ source, engine, config, selfPid: SELF_PID });
    await clock.advance(0);
    expect(profiles.state.frontmost?.name).toBe('firefox');
    front = appInfo({ name: 'Code', executable: 'code' });
    await clock.advance(999);
    expect(engine.currentMode).toBe('Default');
    await clock.advance(1);
    expect(engine.currentMode).toBe('Editing');
    profiles.setFollow(false);
    expect(clock.pendingCount).toBe(0); // no more polling
    source.dispose();
  });
});

describe('[[modes]] apps in config.toml', () => {
  it('reads, writes and reads back the same', () => {
    const config = configOf(CONFIG);
    expect(config.modes.map((m) => m.apps ?? null)).toEqual([null, ['code', 'Visual Studio Code'], ['*Adobe*', 'gimp'], null, ['code']]);
    const text = serializeConfig(config);
    expect(text).toContain('name = "Editing"\napps = ["code", "Visual Studio Code"]\n');
    const again = configOf(text);
    expect(again.modes).toEqual(config.modes);
    expect(serializeConfig(again)).toBe(text);
  });

  it('refuses what is not a list of app names, with the path', () => {
    const issues = (text: string): Array<{ path: string; message: string }> => parseConfigText(text).issues.map(({ path, message }) => ({ path, message }));
    expect(issues('[[modes]]\nname = "A"\napps = "code"\n')).toEqual([{ path: 'modes[0].apps', message: 'expected an array of strings, got "code"' }]);
    expect(issues('[[modes]]\nname = "A"\napps = ["code", ""]\n')[0]).toMatchObject({ path: 'modes[0].apps[1]' });
    expect(issues('[[modes]]\nname = "A"\napps = ["code", "  "]\n')).toEqual([{ path: 'modes[0].apps[1]', message: 'expected an app name, got only spaces' }]);
    expect(issues('[[modes]]\nname = "A"\napps = ["**"]\n')[0]).toMatchObject({ path: 'modes[0].apps[0]' });
    expect(issues('[[modes]]\nname = "A"\napps = [1]\n')[0]).toMatchObject({ path: 'modes[0].apps[0]' });
  });

  it('an empty list reads as none and is not written', () => {
    const config = configOf('[[modes]]\nname = "A"\napps = []\n');
    expect(config.modes[0]?.apps).toBeUndefined();
    expect(serializeConfig(config)).not.toContain('apps');
  });
});

describe('the reason in words', () => {
  it('says which mode and why', () => {
    expect(describeProfileReason({ kind: 'default', mode: 'Default', app: 'firefox' })).toBe('Mode Default: no mode lists firefox');
    expect(describeProfileReason({ kind: 'default', mode: 'Default', app: null })).toBe('Mode Default: no app is in front');
    expect(describeProfileReason({ kind: 'manual', mode: 'Mixer', app: 'code' })).toBe('Mode Mixer chosen by hand: it holds until another app comes to the front');
    expect(describeProfileReason({ kind: 'self', mode: 'Editing' })).toBe('Mode Editing: Conductor is in front, the mode stays');
    expect(describeProfileReason({ kind: 'off' })).toMatch(/^Not following/);
  });
});
