// The app picker's list, read from real files in temp dirs: XDG desktop entries (hidden/NoDisplay/terminal ones out,
// field codes stripped, localized names only as a fallback, broken files skipped, user entries overriding system
// ones), macOS .app bundles and Windows Start Menu shortcuts; cached per run with a refresh.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { entryName, execArgv, parseDesktopEntry } from './desktop-entry';
import { appFromDesktopEntry, InstalledAppsCatalog, listMacApps, listWindowsApps, windowsStartMenuDirs, xdgApplicationDirs } from './installed-apps';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'conductor-apps-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function write(path: string, text: string | Buffer): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

const entry = (lines: string[]) => ['[Desktop Entry]', 'Type=Application', ...lines, ''].join('\n');

describe('desktop entries', () => {
  it('reads only the [Desktop Entry] group, with escapes', () => {
    const keys = parseDesktopEntry('# c\n[Desktop Entry]\nName = My\\sApp\nExec=a\n[Desktop Action new]\nName=Other\nExec=b\n');
    expect(keys?.get('Name')).toBe('My\\sApp');
    expect(keys?.get('Exec')).toBe('a');
    expect(parseDesktopEntry('[Something Else]\nName=x\n')).toBeNull();
  });

  it('splits Exec into argv: quotes, escapes, field codes gone, %% kept as %', () => {
    expect(execArgv('firefox %u')).toEqual(['firefox']);
    expect(execArgv('code --new-window %F')).toEqual(['code', '--new-window']);
    expect(execArgv('"/opt/My App/bin/app" --flag "a \\"quoted\\" word" %U')).toEqual(['/opt/My App/bin/app', '--flag', 'a "quoted" word']);
    expect(execArgv('flatpak run --branch=stable org.gimp.GIMP @@ %F @@')).toEqual(['flatpak', 'run', '--branch=stable', 'org.gimp.GIMP', '@@', '@@']);
    expect(execArgv('app --progress=100%% %i %c %k')).toEqual(['app', '--progress=100%']);
    expect(execArgv('app --file=%f')).toEqual(['app', '--file=']);
    expect(execArgv('"unclosed')).toBeNull();
    expect(execArgv('  %U ')).toBeNull();
  });

  it('takes Name; a localized Name[xx] only when it is the only name (the one for LANG first)', () => {
    expect(entryName(parseDesktopEntry('[Desktop Entry]\nName[de]=Rechner\nName=Calculator\n') ?? new Map(), 'de_DE.UTF-8')).toBe('Calculator');
    expect(entryName(parseDesktopEntry('[Desktop Entry]\nName[fr]=Calculatrice\nName[de]=Rechner\n') ?? new Map(), 'de_DE.UTF-8')).toBe('Rechner');
    expect(entryName(parseDesktopEntry('[Desktop Entry]\nName[fr]=Calculatrice\nName[de]=Rechner\n') ?? new Map(), 'C')).toBe('Calculatrice');
    expect(entryName(parseDesktopEntry('[Desktop Entry]\nExec=x\n') ?? new Map(), '')).toBeNull();
  });

  it('offers only visible, non-terminal applications with a name and a command', () => {
    expect(appFromDesktopEntry(entry(['Name=Ok', 'Exec=ok %U', 'Icon=ok-icon']), '')).toEqual({ name: 'Ok', launch: 'ok', args: [], icon: 'ok-icon' });
    expect(appFromDesktopEntry(entry(['Name=Hidden', 'Exec=h', 'Hidden=true']), '')).toBeNull();
    expect(appFromDesktopEntry(entry(['Name=NoDisplay', 'Exec=n', 'NoDisplay=true']), '')).toBeNull();
    expect(appFromDesktopEntry(entry(['Name=Term', 'Exec=htop', 'Terminal=true']), '')).toBeNull();
    expect(appFromDesktopEntry(entry(['Name=NoExec']), '')).toBeNull();
    expect(appFromDesktopEntry('[Desktop Entry]\nType=Link\nName=L\nURL=https://example.com\n', '')).toBeNull();
  });
});

describe('InstalledAppsCatalog on Linux (XDG_DATA_HOME, XDG_DATA_DIRS)', () => {
  it('lists the entries of every applications/ dir, sorted, the first dir holding an id deciding it', async () => {
    const home = join(root, 'home');
    const user = join(root, 'user-data');
    const sys1 = join(root, 'sys1');
    const sys2 = join(root, 'sys2');
    write(join(sys1, 'applications', 'firefox.desktop'), entry(['Name=Firefox Web Browser', 'Name[de]=Firefox-Webbrowser', 'Exec=firefox %u', 'Icon=firefox']));
    write(join(sys1, 'applications', 'kde', 'konsole-like.desktop'), entry(['Name=Nested App', 'Exec=/usr/bin/nested --start %F']));
    write(join(sys1, 'applications', 'secret.desktop'), entry(['Name=Secret', 'Exec=secret', 'NoDisplay=true']));
    write(join(sys1, 'applications', 'gone.desktop'), entry(['Name=Gone', 'Exec=gone', 'Hidden=true']));
    write(join(sys1, 'applications', 'broken.desktop'), 'this is not a desktop entry\n\u0000\u0001');
    write(join(sys1, 'applications', 'binary.desktop'), Buffer.from([0xff, 0xfe, 0x00, 0x5b, 0x00]));
    write(join(sys1, 'applications', 'unclosed.desktop'), entry(['Name=Unclosed', 'Exec="oops']));
    write(join(sys1, 'applications', 'localized.desktop'), entry(['Name[fr]=Éditeur', 'Exec=editor %f']));
    write(join(sys1, 'applications', 'notes.txt'), 'not an entry');
    // A user's copy of an id hides the system's; a later dir's copy of an id already seen is ignored.
    write(join(user, 'applications', 'calc.desktop'), entry(['Name=Calculator', 'Exec=calc', 'NoDisplay=true']));
    write(join(sys2, 'applications', 'calc.desktop'), entry(['Name=Calculator', 'Exec=calc']));
    write(join(sys2, 'applications', 'firefox.desktop'), entry(['Name=Old Firefox', 'Exec=firefox-old']));
    mkdirSync(join(sys2, 'applications', 'kde'), { recursive: true });
    const catalog = new InstalledAppsCatalog({ platform: 'linux', env: { XDG_DATA_HOME: user, XDG_DATA_DIRS: `${sys1}::${sys2}`, LANG: 'de_DE.UTF-8' }, home });
    const { supported, apps } = await catalog.list();
    expect(supported).toBe(true);
    expect(apps).toEqual([
      { name: 'Éditeur', launch: 'editor', args: [], icon: null },
      { name: 'Firefox Web Browser', launch: 'firefox', args: [], icon: 'firefox' },
      { name: 'Nested App', launch: '/usr/bin/nested', args: ['--start'], icon: null },
    ]);
  });

  it('defaults to ~/.local/share and /usr/local/share:/usr/share', () => {
    expect(xdgApplicationDirs({}, '/home/u')).toEqual(['/home/u/.local/share/applications', '/usr/local/share/applications', '/usr/share/applications']);
  });

  it('caches the list for the run and reads it again on refresh', async () => {
    const dir = join(root, 'data');
    const env = { XDG_DATA_HOME: join(root, 'nohome'), XDG_DATA_DIRS: dir };
    write(join(dir, 'applications', 'a.desktop'), entry(['Name=A', 'Exec=a']));
    const catalog = new InstalledAppsCatalog({ platform: 'linux', env, home: root });
    expect((await catalog.list()).apps.map((a) => a.name)).toEqual(['A']);
    write(join(dir, 'applications', 'b.desktop'), entry(['Name=B', 'Exec=b']));
    expect((await catalog.list()).apps.map((a) => a.name)).toEqual(['A']);
    expect((await catalog.list(true)).apps.map((a) => a.name)).toEqual(['A', 'B']);
  });

  it('an empty or missing dir is an empty list, not an error', async () => {
    const catalog = new InstalledAppsCatalog({ platform: 'linux', env: { XDG_DATA_HOME: join(root, 'x'), XDG_DATA_DIRS: join(root, 'y') }, home: root });
    expect(await catalog.list()).toEqual({ supported: true, apps: [] });
  });

  it('says when the platform has no list', async () => {
    expect(await new InstalledAppsCatalog({ platform: 'aix', env: {}, home: root }).list()).toEqual({ supported: false, apps: [] });
  });
});

describe('macOS and Windows listings', () => {
  it('macOS: .app bundles by name, first folder wins', async () => {
    const apps = join(root, 'Applications');
    const user = join(root, 'home', 'Applications');
    mkdirSync(join(apps, 'Safari.app', 'Contents'), { recursive: true });
    mkdirSync(join(apps, 'Visual Studio Code.app'), { recursive: true });
    mkdirSync(join(apps, 'Utilities'), { recursive: true });
    mkdirSync(join(user, 'Safari.app'), { recursive: true });
    mkdirSync(join(user, 'My Tool.app'), { recursive: true });
    write(join(apps, 'readme.txt'), 'x');
    const list = await listMacApps([apps, join(root, 'missing'), user]);
    expect(list.map((a) => [a.name, a.launch])).toEqual([
      ['Safari', 'Safari'],
      ['Visual Studio Code', 'Visual Studio Code'],
      ['My Tool', 'My Tool'],
    ]);
  });

  it('Windows: Start Menu shortcuts by path, uninstallers left out', async () => {
    const programs = join(root, 'Programs');
    write(join(programs, 'Notepad++.lnk'), 'lnk');
    write(join(programs, 'OBS Studio', 'OBS Studio (64bit).lnk'), 'lnk');
    write(join(programs, 'OBS Studio', 'Uninstall OBS Studio.lnk'), 'lnk');
    write(join(programs, 'desktop.ini'), 'ini');
    const list = await listWindowsApps([programs]);
    expect(list).toEqual([
      { name: 'Notepad++', launch: join(programs, 'Notepad++.lnk'), args: [], icon: null },
      { name: 'OBS Studio (64bit)', launch: join(programs, 'OBS Studio', 'OBS Studio (64bit).lnk'), args: [], icon: null },
    ]);
    expect(windowsStartMenuDirs({ ProgramData: 'C:\\ProgramData', APPDATA: 'C:\\Users\\u\\AppData\\Roaming' })).toEqual([
      'C:\\ProgramData\\Microsoft\\Windows\\Start Menu\\Programs',
      'C:\\Users\\u\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs',
    ]);
  });
});
