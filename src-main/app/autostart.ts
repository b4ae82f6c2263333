// Start at login on Linux: an XDG autostart entry (`$XDG_CONFIG_HOME/autostart/conductor.desktop`) written atomically
// or removed — Electron's login-item API does nothing there. Never touches any other file in that folder.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from '../fs/atomic-write';

/** The argument the autostart entry (and the macOS/Windows login item) passes: start with the window hidden. */
export const HIDDEN_ARG = '--hidden';

export interface AutostartPlace {
  /** The environment (XDG_CONFIG_HOME). */
  env: Readonly<Record<string, string | undefined>>;
  /** The user's home folder (XDG_CONFIG_HOME's default is ~/.config). */
  home: string;
}

/** `$XDG_CONFIG_HOME/autostart/conductor.desktop` (a relative XDG_CONFIG_HOME is ignored, as the spec says). */
export function autostartPath(place: AutostartPlace): string {
  const xdg = place.env.XDG_CONFIG_HOME;
  const base = xdg && xdg.startsWith('/') ? xdg : join(place.home, '.config');
  return join(base, 'autostart', 'conductor.desktop');
}

/** One Exec argument: quoted when it holds a reserved character (with \" \` \$ \\ escapes inside), % doubled. */
function execArg(arg: string): string {
  const escaped = arg.replace(/%/g, '%%');
  if (escaped !== '' && !/[\s"'\\><~|&;$*?#()`]/.test(escaped)) return escaped;
  return `"${escaped.replace(/(["`$\\])/g, '\\$1')}"`;
}

/** A string value as the desktop entry spec escapes it (\\ for a backslash, \n \t \r for those characters). */
function escapeValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r');
}

/** The autostart entry's text for the command `argv` (the app's executable and its arguments) and an icon path. */
export function autostartEntry(argv: readonly string[], icon: string | null): string {
  if (argv.length === 0) throw new Error('the autostart entry needs a command');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Conductor',
    'Comment=MIDI controllers as macro pads (started at login; remove in Conductor’s Settings → Background)',
    `Exec=${escapeValue(argv.map(execArg).join(' '))}`,
    ...(icon ? [`Icon=${escapeValue(icon)}`] : []),
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Writes (enabled) or removes (disabled) the autostart entry; removing one that is not there is no error. */
export async function setXdgAutostart(enabled: boolean, place: AutostartPlace, argv: readonly string[], icon: string | null = null): Promise<void> {
  const path = autostartPath(place);
  if (enabled) await writeFileAtomically(path, autostartEntry(argv, icon));
  else await rm(path, { force: true });
}

/** True when the autostart entry exists and is ours (its Name is Conductor). */
export async function xdgAutostartEnabled(place: AutostartPlace): Promise<boolean> {
  try {
    return /^Name=Conductor$/m.test(await readFile(autostartPath(place), 'utf8'));
  } catch {
    return false;
  }
}

/** The part of Electron's `app` that start-at-login uses on macOS and Windows. */
export interface LoginItems {
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[] }): void;
}

export interface StartAtLoginOptions {
  platform: NodeJS.Platform;
  /** Electron's `app` (macOS, Windows). */
  loginItems: LoginItems;
  /** Where the XDG entry goes (Linux and other freedesktop systems). */
  place: AutostartPlace;
  /** The command that starts the app (executable first; HIDDEN_ARG is added). */
  argv: readonly string[];
  /** An icon file the desktop can read (not one inside app.asar), or null. */
  icon: string | null;
}

/**
 * Turns start at login on or off the platform's way: Electron's login items on macOS and Windows (which start the app
 * with HIDDEN_ARG on Windows; macOS reports `wasOpenedAtLogin`), an XDG autostart entry elsewhere.
 */
export async function applyStartAtLogin(enabled: boolean, options: StartAtLoginOptions): Promise<void> {
  if (options.platform === 'darwin' || options.platform === 'win32') {
    options.loginItems.setLoginItemSettings({ openAtLogin: enabled, ...(options.platform === 'win32' ? { args: [HIDDEN_ARG] } : {}) });
    return;
  }
  await setXdgAutostart(enabled, options.place, [...options.argv, HIDDEN_ARG], options.icon);
}
