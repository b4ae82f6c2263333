import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execArgv, parseDesktopEntry, unescapeValue } from '../services/desktop-entry';
import { applyStartAtLogin, autostartEntry, autostartPath, HIDDEN_ARG, setXdgAutostart, xdgAutostartEnabled } from './autostart';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'conductor-autostart-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('autostartPath', () => {
  it('is under XDG_CONFIG_HOME, else ~/.config; a relative XDG_CONFIG_HOME is ignored', () => {
    expect(autostartPath({ env: { XDG_CONFIG_HOME: '/x/cfg' }, home: '/home/u' })).toBe('/x/cfg/autostart/conductor.desktop');
    expect(autostartPath({ env: {}, home: '/home/u' })).toBe('/home/u/.config/autostart/conductor.desktop');
    expect(autostartPath({ env: { XDG_CONFIG_HOME: 'rel' }, home: '/home/u' })).toBe('/home/u/.config/autostart/conductor.desktop');
  });
});

describe('autostartEntry', () => {
  it('is a desktop entry whose Exec reads back as the same command, odd characters included', () => {
    const argv = ['/opt/My Apps/conductor', '/path/with "quotes" and $HOME\\x', '100%', HIDDEN_ARG];
    const entry = parseDesktopEntry(autostartEntry(argv, '/opt/icon.png'));
    expect(entry).not.toBeNull();
    expect(entry?.get('Type')).toBe('Application');
    expect(entry?.get('Name')).toBe('Conductor');
    expect(entry?.get('X-GNOME-Autostart-enabled')).toBe('true');
    expect(unescapeValue(entry?.get('Icon') ?? '')).toBe('/opt/icon.png');
    expect(execArgv(entry?.get('Exec') ?? '')).toEqual(argv);
  });

  it('leaves plain arguments unquoted', () => {
    expect(autostartEntry(['/usr/bin/conductor', '--hidden'], null)).toContain('\nExec=/usr/bin/conductor --hidden\n');
    expect(autostartEntry(['/usr/bin/conductor'], null)).not.toContain('Icon=');
  });
});

describe('setXdgAutostart', () => {
  it('writes the entry under the temp XDG_CONFIG_HOME (creating autostart/), then removes it; removing twice is fine', async () => {
    const place = { env: { XDG_CONFIG_HOME: join(home, 'cfg') }, home };
    const path = join(home, 'cfg', 'autostart', 'conductor.desktop');
    expect(await xdgAutostartEnabled(place)).toBe(false);
    await setXdgAutostart(true, place, ['/usr/bin/conductor', HIDDEN_ARG]);
    expect(readFileSync(path, 'utf8')).toBe(autostartEntry(['/usr/bin/conductor', HIDDEN_ARG], null));
    expect(readdirSync(join(home, 'cfg', 'autostart'))).toEqual(['conductor.desktop']); // no temp file left behind
    expect(await xdgAutostartEnabled(place)).toBe(true);
    await setXdgAutostart(false, place, ['/usr/bin/conductor']);
    expect(existsSync(path)).toBe(false);
    await setXdgAutostart(false, place, ['/usr/bin/conductor']);
    expect(await xdgAutostartEnabled(place)).toBe(false);
  });

  it('uses ~/.config without XDG_CONFIG_HOME, replaces an older entry and leaves other entries alone', async () => {
    const dir = join(home, '.config', 'autostart');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'other.desktop'), '[Desktop Entry]\nName=Other\n');
    writeFileSync(join(dir, 'conductor.desktop'), '[Desktop Entry]\nName=Conductor\nExec=/old/conductor\n');
    await setXdgAutostart(true, { env: {}, home }, ['/new/conductor']);
    expect(readFileSync(join(dir, 'conductor.desktop'), 'utf8')).toContain('Exec=/new/conductor\n');
    await setXdgAutostart(false, { env: {}, home }, ['/new/conductor']);
    expect(readdirSync(dir)).toEqual(['other.desktop']);
  });

  it('does not count a foreign file of the same name as ours', async () => {
    const dir = join(home, '.config', 'autostart');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'conductor.desktop'), '[Desktop Entry]\nName=Some other conductor\n');
    expect(await xdgAutostartEnabled({ env: {}, home })).toBe(false);
  });
});

describe('applyStartAtLogin', () => {
  const recorder = () => {
    const calls: unknown[] = [];
    return { calls, loginItems: { setLoginItemSettings: (s: { openAtLogin: boolean; args?: string[] }) => void calls.push(s) } };
  };

  it('uses Electron login items on macOS and Windows (Windows passes --hidden), and writes no file', async () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const { calls, loginItems } = recorder();
      const place = { env: {}, home };
      await applyStartAtLogin(true, { platform, loginItems, place, argv: ['/app'], icon: null });
      await applyStartAtLogin(false, { platform, loginItems, place, argv: ['/app'], icon: null });
      expect(calls).toEqual(platform === 'win32' ? [{ openAtLogin: true, args: [HIDDEN_ARG] }, { openAtLogin: false, args: [HIDDEN_ARG] }] : [{ openAtLogin: true }, { openAtLogin: false }]);
      expect(existsSync(autostartPath(place))).toBe(false);
    }
  });

  it('writes and removes the XDG entry on Linux, starting the app hidden', async () => {
    const { calls, loginItems } = recorder();
    const place = { env: { XDG_CONFIG_HOME: join(home, 'xdg') }, home };
    await applyStartAtLogin(true, { platform: 'linux', loginItems, place, argv: ['/opt/Conductor/conductor'], icon: null });
    expect(execArgv(parseDesktopEntry(readFileSync(autostartPath(place), 'utf8'))?.get('Exec') ?? '')).toEqual(['/opt/Conductor/conductor', HIDDEN_ARG]);
    await applyStartAtLogin(false, { platform: 'linux', loginItems, place, argv: ['/opt/Conductor/conductor'], icon: null });
    expect(existsSync(autostartPath(place))).toBe(false);
    expect(calls).toEqual([]);
  });
});
