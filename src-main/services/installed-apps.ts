// The installed applications the Launch editor's app picker offers (system.apps): Linux XDG desktop entries, macOS
// .app bundles, Windows Start Menu shortcuts; listed once per run (refresh on request). Only lists; never starts anything.
import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, posix, win32 } from 'node:path';
import type { InstalledApp, InstalledApps } from '../../src-shared/contract';
import { booleanValue, entryName, execArgv, parseDesktopEntry, unescapeValue } from './desktop-entry';

export interface InstalledAppsOptions {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  /** The user's home directory. */
  home: string;
}

/** Bounds, so a huge or looping tree cannot stall the list: entries read per run, file size, folder depth. */
const MAX_FILES = 5000;
const MAX_ENTRY_BYTES = 256 * 1024;
const MAX_DEPTH = 4;

/** The `applications/` folders to read, highest priority first: XDG_DATA_HOME, then XDG_DATA_DIRS in order. */
export function xdgApplicationDirs(env: InstalledAppsOptions['env'], home: string): string[] {
  const dataHome = env.XDG_DATA_HOME?.trim() || posix.join(home, '.local', 'share');
  const dataDirs = (env.XDG_DATA_DIRS?.trim() || '/usr/local/share:/usr/share').split(':').filter((d) => d.trim() !== '');
  return [...new Set([dataHome, ...dataDirs].map((d) => posix.join(d, 'applications')))];
}

/** macOS folders holding .app bundles. */
export function macApplicationDirs(home: string): string[] {
  return ['/Applications', '/Applications/Utilities', posix.join(home, 'Applications'), '/System/Applications', '/System/Applications/Utilities'];
}

/** The Start Menu's Programs folders (all users, then this user). */
export function windowsStartMenuDirs(env: InstalledAppsOptions['env']): string[] {
  const programs = ['Microsoft', 'Windows', 'Start Menu', 'Programs'];
  return [env.ProgramData ?? env.ALLUSERSPROFILE, env.APPDATA].filter((d): d is string => typeof d === 'string' && d !== '').map((d) => win32.join(d, ...programs));
}

async function entriesOf(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch {
    return []; // missing or unreadable: nothing there
  }
}

/** Files under `dir` (depth-limited, symlinks followed by stat) whose name ends with `suffix`, as [relative path, full path]. */
async function filesUnder(dir: string, suffix: string, budget: { left: number }, depth = 0, prefix = ''): Promise<[string, string][]> {
  const found: [string, string][] = [];
  const entries = (await entriesOf(dir)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (budget.left <= 0) break;
    const full = join(dir, e.name);
    const rel = prefix === '' ? e.name : `${prefix}/${e.name}`;
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    if (e.isSymbolicLink()) {
      const s = await stat(full).catch(() => null);
      isDir = s?.isDirectory() ?? false;
      isFile = s?.isFile() ?? false;
    }
    if (isFile && e.name.toLowerCase().endsWith(suffix)) {
      budget.left--;
      found.push([rel, full]);
    } else if (isDir && depth < MAX_DEPTH) {
      found.push(...(await filesUnder(full, suffix, budget, depth + 1, rel)));
    }
  }
  return found;
}

/**
 * One desktop entry → an app, or null when it is not one to offer: not an Application, Hidden (deleted), NoDisplay,
 * run in a terminal (Launch starts no terminal), without a usable name or Exec, or not a desktop entry at all.
 */
export function appFromDesktopEntry(text: string, lang: string): InstalledApp | null {
  const entry = parseDesktopEntry(text);
  if (!entry) return null;
  if ((entry.get('Type') ?? '').trim() !== 'Application') return null;
  if (booleanValue(entry, 'Hidden') || booleanValue(entry, 'NoDisplay') || booleanValue(entry, 'Terminal')) return null;
  const name = entryName(entry, lang);
  const exec = entry.get('Exec');
  const argv = exec === undefined ? null : execArgv(exec);
  if (!name || !argv) return null;
  const [program, ...args] = argv;
  if (!program) return null;
  const icon = entry.get('Icon');
  return { name, launch: program, args, icon: icon === undefined || icon.trim() === '' ? null : unescapeValue(icon).trim() };
}

/**
 * The XDG applications: every `*.desktop` under each dir's tree, its desktop-file id the relative path with `/` → `-`;
 * the first dir holding an id decides it (so a user's hidden copy hides the system's entry). Broken files are skipped.
 */
export async function listDesktopApps(dirs: readonly string[], lang: string): Promise<InstalledApp[]> {
  const budget = { left: MAX_FILES };
  const seen = new Set<string>();
  const apps: InstalledApp[] = [];
  for (const dir of dirs) {
    for (const [rel, full] of await filesUnder(dir, '.desktop', budget)) {
      const id = rel.replace(/\//g, '-');
      if (seen.has(id)) continue;
      seen.add(id);
      try {
        const s = await stat(full);
        if (s.size > MAX_ENTRY_BYTES) continue;
        const app = appFromDesktopEntry(await readFile(full, 'utf8'), lang);
        if (app) apps.push(app);
      } catch {
        // unreadable: skipped like any broken entry
      }
    }
  }
  return apps;
}

/** macOS: the `*.app` bundles in `dirs` (not inside other bundles), launched by name (`open -a Name`). */
export async function listMacApps(dirs: readonly string[]): Promise<InstalledApp[]> {
  const seen = new Set<string>();
  const apps: InstalledApp[] = [];
  for (const dir of dirs) {
    for (const e of await entriesOf(dir)) {
      if (!e.name.endsWith('.app') || e.name.startsWith('.')) continue;
      const name = e.name.slice(0, -'.app'.length);
      if (name === '' || seen.has(name)) continue;
      seen.add(name);
      apps.push({ name, launch: name, args: [], icon: null });
    }
  }
  return apps;
}

/** Windows: the Start Menu's `.lnk` shortcuts (uninstallers left out), launched by the shortcut's path. */
export async function listWindowsApps(dirs: readonly string[]): Promise<InstalledApp[]> {
  const budget = { left: MAX_FILES };
  const apps: InstalledApp[] = [];
  for (const dir of dirs) {
    for (const [rel, full] of await filesUnder(dir, '.lnk', budget)) {
      const name = (rel.split('/').pop() ?? rel).replace(/\.lnk$/i, '');
      if (/^uninstall\b/i.test(name)) continue;
      apps.push({ name, launch: full, args: [], icon: null });
    }
  }
  return apps;
}

function byName(a: InstalledApp, b: InstalledApp): number {
  return a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || a.launch.localeCompare(b.launch);
}

/** The installed apps of this platform, read once and kept until a refresh. */
export class InstalledAppsCatalog {
  #cached: Promise<InstalledApps> | null = null;

  constructor(private readonly options: InstalledAppsOptions) {}

  /** The list (read on first use; `refresh` reads it again). Never rejects: a failure is an empty list. */
  list(refresh = false): Promise<InstalledApps> {
    if (!this.#cached || refresh) this.#cached = this.#read().catch(() => ({ supported: true, apps: [] }));
    return this.#cached;
  }

  async #read(): Promise<InstalledApps> {
    const { platform, env, home } = this.options;
    let apps: InstalledApp[];
    if (platform === 'darwin') apps = await listMacApps(macApplicationDirs(home));
    else if (platform === 'win32') apps = await listWindowsApps(windowsStartMenuDirs(env));
    else if (platform === 'linux' || platform === 'freebsd' || platform === 'openbsd' || platform === 'netbsd') {
      apps = await listDesktopApps(xdgApplicationDirs(env, home), env.LC_ALL || env.LC_MESSAGES || env.LANG || '');
    } else return { supported: false, apps: [] };
    return { supported: true, apps: apps.sort(byName) };
  }
}
