import { describe, expect, it } from 'vitest';
import { ManualClock } from '../common/test-support/manual-clock';
import { AppSourceError, PollingAppSource, anyMatches, appInfo, matchesApp, type AppInfo, type AppReader, type AppSourceStatus } from './frontmost-app';
import { FakeAppSource } from './test-support/fake-app-source';

const firefoxLinux = appInfo({
  name: 'firefox',
  executable: 'firefox-bin',
  path: '/usr/lib/firefox/firefox-bin',
  pid: 4242,
  title: 'Mozilla Firefox',
  windowClass: { instance: 'Navigator', className: 'firefox' },
});
const codeWindows = appInfo({ name: 'Code', executable: 'Code.exe', path: 'C:\\Users\\me\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe', pid: 9 });
const safari = appInfo({ name: 'Safari', executable: 'Safari', path: '/Applications/Safari.app', bundleId: 'com.apple.Safari', pid: 501 });

describe('matchesApp', () => {
  it('matches the name, executable, WM_CLASS instance and class, case-insensitively', () => {
    for (const name of ['firefox', 'Firefox', 'FIREFOX', 'firefox-bin', 'Navigator', 'navigator', ' firefox ']) expect(matchesApp(name, firefoxLinux), name).toBe(true);
  });
  it('matches an executable with or without its extension, and a path by its last segment', () => {
    for (const name of ['Code', 'code', 'Code.exe', 'code.EXE', 'C:\\Program Files\\Code.exe', '/opt/code']) expect(matchesApp(name, codeWindows), name).toBe(true);
  });
  it('matches the macOS app name, with or without .app, and its bundle identifier', () => {
    for (const name of ['Safari', 'safari.app', 'com.apple.safari']) expect(matchesApp(name, safari), name).toBe(true);
  });
  it('matches whole names only, and never an empty name', () => {
    for (const name of ['fire', 'firefox-b', 'Mozilla Firefox', '', '   ', 'firefox.exe.exe']) expect(matchesApp(name, firefoxLinux), JSON.stringify(name)).toBe(false);
    expect(matchesApp('Safari Technology Preview', safari)).toBe(false);
  });
  it('anyMatches looks through a running set', () => {
    expect(anyMatches('safari', [firefoxLinux, safari])).toBe(true);
    expect(anyMatches('obs', [firefoxLinux, safari])).toBe(false);
    expect(anyMatches('obs', [])).toBe(false);
  });
});

/** A reader whose answer the test sets; counts readings and can hold one open. */
class ScriptedReader implements AppReader {
  answer: AppInfo | null | AppSourceError = null;
  reads = 0;
  frontmost(): Promise<AppInfo | null> {
    this.reads++;
    return this.answer instanceof AppSourceError ? Promise.reject(this.answer) : Promise.resolve(this.answer);
  }
  running(): Promise<AppInfo[]> {
    return Promise.resolve([]);
  }
  status(): Promise<AppSourceStatus> {
    return Promise.resolve({ available: true, via: 'script' });
  }
}

describe('PollingAppSource', () => {
  it('polls on the injected timer and fires once per change of application, not of window title', async () => {
    const clock = new ManualClock();
    const reader = new ScriptedReader();
    const source = new PollingAppSource(reader, { timer: clock, intervalMs: 500 });
    const seen: (string | null)[] = [];
    reader.answer = firefoxLinux;
    source.onChange((app) => seen.push(app?.name ?? null));
    await clock.advance(0);
    expect(seen).toEqual(['firefox']);
    reader.answer = { ...firefoxLinux, title: 'Another tab' };
    await clock.advance(500);
    await clock.advance(500);
    expect(seen).toEqual(['firefox']);
    reader.answer = safari;
    await clock.advance(500);
    expect(seen).toEqual(['firefox', 'Safari']);
    reader.answer = null;
    await clock.advance(500);
    reader.answer = safari;
    await clock.advance(500);
    expect(seen).toEqual(['firefox', 'Safari', null, 'Safari']);
    expect(reader.reads).toBe(6);
    source.dispose();
  });

  it('does not poll before anyone listens, and stops when the last listener leaves or on dispose', async () => {
    const clock = new ManualClock();
    const reader = new ScriptedReader();
    const source = new PollingAppSource(reader, { timer: clock, intervalMs: 100 });
    await clock.advance(1000);
    expect(reader.reads).toBe(0);
    const off = source.onChange(() => {});
    await clock.advance(1000);
    const reads = reader.reads;
    expect(reads).toBeGreaterThanOrEqual(10);
    off();
    await clock.advance(1000);
    expect(reader.reads).toBe(reads);
    expect(clock.pendingCount).toBe(0);
    source.onChange(() => {});
    await clock.advance(100);
    expect(reader.reads).toBeGreaterThan(reads);
    source.dispose();
    const afterDispose = reader.reads;
    await clock.advance(1000);
    expect(reader.reads).toBe(afterDispose);
    expect(clock.pendingCount).toBe(0);
    expect(source.onChange(() => {})).toBeTypeOf('function');
    await clock.advance(1000);
    expect(reader.reads).toBe(afterDispose);
  });

  it('tells a listener who joins later the app already known, without repeating it to the others', async () => {
    const clock = new ManualClock();
    const reader = new ScriptedReader();
    reader.answer = safari;
    const source = new PollingAppSource(reader, { timer: clock, intervalMs: 100 });
    const first: string[] = [];
    const second: string[] = [];
    source.onChange((app) => first.push(app?.name ?? 'none'));
    await clock.advance(0);
    source.onChange((app) => second.push(app?.name ?? 'none'));
    await clock.advance(300);
    expect(first).toEqual(['Safari']);
    expect(second).toEqual(['Safari']);
    reader.answer = firefoxLinux;
    await clock.advance(100);
    expect(first).toEqual(['Safari', 'firefox']);
    expect(second).toEqual(['Safari', 'firefox']);
    source.dispose();
  });

  it('reports a reading error once per distinct message and keeps polling', async () => {
    const clock = new ManualClock();
    const reader = new ScriptedReader();
    reader.answer = new AppSourceError('wayland', 'frontmost app unavailable on Wayland without X');
    const source = new PollingAppSource(reader, { timer: clock, intervalMs: 100 });
    const errors: string[] = [];
    const apps: (string | null)[] = [];
    source.onError((e) => errors.push(`${e.reason}: ${e.message}`));
    source.onChange((app) => apps.push(app?.name ?? null));
    await clock.advance(1000);
    expect(errors).toEqual(['wayland: frontmost app unavailable on Wayland without X']);
    expect(apps).toEqual([]);
    reader.answer = safari;
    await clock.advance(100);
    expect(apps).toEqual(['Safari']);
    source.dispose();
  });

  it('passes readings through', async () => {
    const reader = new ScriptedReader();
    reader.answer = safari;
    const source = new PollingAppSource(reader, { timer: new ManualClock() });
    expect(await source.frontmost()).toBe(safari);
    expect(await source.running()).toEqual([]);
    expect(await source.status()).toEqual({ available: true, via: 'script' });
  });
});

describe('FakeAppSource', () => {
  it('answers what the test sets and fires on each change of frontmost app', async () => {
    const fake = new FakeAppSource({ frontmost: 'Ableton Live', running: ['obs'] });
    const seen: (string | null)[] = [];
    fake.onChange((app) => seen.push(app?.name ?? null));
    await Promise.resolve();
    expect(seen).toEqual(['Ableton Live']);
    fake.setFrontmost('Firefox');
    fake.setFrontmost('Firefox');
    fake.setFrontmost(null);
    expect(seen).toEqual(['Ableton Live', 'Firefox', null]);
    expect((await fake.running()).map((a) => a.name).sort()).toEqual(['Ableton Live', 'Firefox', 'obs']);
    expect(anyMatches('OBS', await fake.running())).toBe(true);
    fake.setUnavailable('wayland', 'frontmost app unavailable on Wayland without X');
    await expect(fake.frontmost()).rejects.toMatchObject({ reason: 'wayland' });
    expect(await fake.status()).toMatchObject({ available: false, reason: 'wayland' });
    fake.dispose();
  });
});
