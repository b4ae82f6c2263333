// Linux: the frontmost app from X11's _NET_ACTIVE_WINDOW (read with xprop from x11-utils, else xdotool), the running
// processes from /proc. Only reads; never changes focus, a window property or a process. No X, no guess (Wayland).
import type { Dirent } from 'node:fs';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { posix } from 'node:path';
import { AppSourceError, WAYLAND_MESSAGE, appInfo, type AppInfo, type AppReader, type AppSourceStatus } from './frontmost-app';
import { lastLine, type RunTool, type ToolOutput } from './run-tool';

// ---- xprop output ----

/** A quoted xprop string value → text: `\"`, `\\`, `\n` and octal escapes (`\342\200\223`, bytes of UTF-8) undone. */
export function unquoteXprop(quoted: string): string {
  const bytes: number[] = [];
  const body = quoted.startsWith('"') && quoted.endsWith('"') && quoted.length >= 2 ? quoted.slice(1, -1) : quoted;
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c === '\\' && i + 1 < body.length) {
      const octal = /^[0-7]{1,3}/.exec(body.slice(i + 1, i + 4));
      if (octal) {
        bytes.push(parseInt(octal[0], 8) & 0xff);
        i += octal[0].length;
        continue;
      }
      const next = body[i + 1] as string;
      bytes.push(...Buffer.from(next === 'n' ? '\n' : next === 't' ? '\t' : next, 'utf8'));
      i++;
      continue;
    }
    const cp = body.codePointAt(i) ?? 0;
    const ch = String.fromCodePoint(cp);
    bytes.push(...Buffer.from(ch, 'utf8'));
    i += ch.length - 1;
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The quoted strings of a value like `"navigator", "Firefox"`. */
function quotedStrings(value: string): string[] {
  return [...value.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => unquoteXprop(`"${m[1] ?? ''}"`));
}

/** `NAME(TYPE) = value` lines of xprop's output → name → raw value; "not found" / "no such atom" lines are left out. */
export function parseXpropLines(stdout: string): Map<string, string> {
  const props = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\(([^)]*)\)\s*(?:=|:)\s?(.*)$/.exec(line.trimEnd());
    if (m) props.set(m[1] as string, (m[3] as string).trim());
  }
  return props;
}

/**
 * `xprop -root _NET_ACTIVE_WINDOW` → the window id, or null when no window is active (0, none, or the property not
 * set). Reads "window id # 0x1e00007" (a WM's WINDOW type) as well as a plain number (CARDINAL, decimal or hex).
 */
export function parseActiveWindow(stdout: string): number | null {
  const value = parseXpropLines(stdout).get('_NET_ACTIVE_WINDOW');
  if (value === undefined) return null;
  const m = /(0x[0-9a-fA-F]+|\d+)/.exec(value);
  if (!m) return null;
  const id = Number(m[1]);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

export interface XWindowProps {
  pid: number | null;
  windowClass: { instance: string; className: string } | null;
  title: string | null;
}

/** `xprop -id W _NET_WM_PID WM_CLASS _NET_WM_NAME WM_NAME` → pid, WM_CLASS and title (_NET_WM_NAME, else WM_NAME). */
export function parseWindowProps(stdout: string): XWindowProps {
  const props = parseXpropLines(stdout);
  const pidText = props.get('_NET_WM_PID');
  const pid = pidText !== undefined && /^\d+$/.test(pidText) ? Number(pidText) : null;
  const cls = quotedStrings(props.get('WM_CLASS') ?? '');
  const windowClass = cls.length >= 2 ? { instance: cls[0] as string, className: cls[1] as string } : cls.length === 1 ? { instance: cls[0] as string, className: cls[0] as string } : null;
  const titleValue = props.get('_NET_WM_NAME') ?? props.get('WM_NAME');
  const title = titleValue === undefined ? null : (quotedStrings(titleValue)[0] ?? null);
  return { pid: pid !== null && pid > 0 ? pid : null, windowClass, title };
}

/**
 * `xdotool getactivewindow getwindowname getwindowpid` → its lines: the title, then the pid (missing when the window
 * has no _NET_WM_PID: xdotool stops the chain there, exit code 1). Nothing printed: no active window. `classOutput` is
 * `xdotool getactivewindow getwindowclassname` (xdotool 3.2021 and later; older ones print nothing) → the class.
 */
export function parseXdotool(stdout: string, classOutput = ''): XWindowProps | null {
  if (stdout.trim() === '') return null;
  const [title, pidText] = stdout.replace(/\r?\n$/, '').split(/\r?\n/);
  const pid = pidText !== undefined && /^\d+$/.test(pidText.trim()) ? Number(pidText.trim()) : null;
  const className = classOutput.split(/\r?\n/)[0]?.trim() ?? '';
  return { pid: pid !== null && pid > 0 ? pid : null, windowClass: className === '' ? null : { instance: className, className }, title: title ?? null };
}

// ---- /proc ----

/** One process as /proc tells it: comm (15 characters at most), the executable's path if readable, argv[0]. */
export interface ProcEntry {
  pid: number;
  comm: string;
  exe: string | null;
  argv0: string | null;
}

function baseName(path: string): string {
  return posix.basename(path.replace(/ \(deleted\)$/, ''));
}

/** A process → AppInfo: the executable's name (from its path, else argv[0], else comm) is its name. */
export function appFromProc(entry: ProcEntry, extra: Partial<AppInfo> = {}): AppInfo {
  const exe = entry.exe === null ? null : entry.exe.replace(/ \(deleted\)$/, '');
  const fromArgv = entry.argv0 === null || entry.argv0 === '' ? null : baseName(entry.argv0.split(' ')[0] ?? entry.argv0);
  const executable = exe !== null ? baseName(exe) : fromArgv;
  return appInfo({ name: executable ?? entry.comm, executable: executable ?? entry.comm, path: exe, pid: entry.pid, ...extra });
}

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null; // gone, or not ours to read
  }
}

/** One process from `procRoot` (normally /proc), or null when it is gone or a kernel thread. */
export async function readProcEntry(procRoot: string, pid: number): Promise<ProcEntry | null> {
  const dir = posix.join(procRoot, String(pid));
  const comm = await readText(posix.join(dir, 'comm'));
  if (comm === null) return null;
  const cmdline = await readText(posix.join(dir, 'cmdline'));
  const exe = await readlink(posix.join(dir, 'exe')).catch(() => null);
  // Kernel threads have an empty command line and no executable.
  if (exe === null && (cmdline === null || cmdline === '')) return null;
  const argv0 = cmdline === null ? null : (cmdline.split('\0')[0] ?? null);
  return { pid, comm: comm.replace(/\n$/, ''), exe, argv0 };
}

/** Every user-space process under `procRoot`. */
export async function listProcesses(procRoot: string): Promise<AppInfo[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(procRoot, { withFileTypes: true });
  } catch (err) {
    throw new AppSourceError('failed', `cannot list processes in ${procRoot}: ${(err as Error).message}`);
  }
  const pids = entries.filter((e) => e.isDirectory() && /^\d+$/.test(e.name)).map((e) => Number(e.name));
  const apps: AppInfo[] = [];
  for (const pid of pids) {
    const entry = await readProcEntry(procRoot, pid);
    if (entry) apps.push(appFromProc(entry));
  }
  return apps;
}

// ---- the reader ----

function failure(tool: string, out: ToolOutput): AppSourceError {
  return new AppSourceError('failed', `${tool} failed (exit code ${out.exitCode}): ${lastLine(out.stderr) || 'no message'}`);
}

export interface LinuxReaderOptions {
  env: Readonly<Record<string, string | undefined>>;
  runTool: RunTool;
  /** Default /proc. */
  procRoot?: string;
}

/** Reads the frontmost app through X11 (xprop, else xdotool) and the running ones from /proc. */
export class LinuxAppReader implements AppReader {
  private readonly procRoot: string;

  constructor(private readonly options: LinuxReaderOptions) {
    this.procRoot = options.procRoot ?? '/proc';
  }

  /** Why X cannot be asked, or null when DISPLAY is set. */
  private noX(): AppSourceError | null {
    const { env } = this.options;
    if (env.DISPLAY) return null;
    if (env.WAYLAND_DISPLAY || env.XDG_SESSION_TYPE === 'wayland') return new AppSourceError('wayland', WAYLAND_MESSAGE);
    return new AppSourceError('no-display', 'frontmost app unavailable: no desktop session (DISPLAY is not set)');
  }

  async frontmost(): Promise<AppInfo | null> {
    const noX = this.noX();
    if (noX) throw noX;
    let props: XWindowProps | null;
    try {
      props = await this.viaXprop();
    } catch (err) {
      if (!(err instanceof AppSourceError) || err.reason !== 'no-tool') throw err;
      props = await this.viaXdotool().catch((e: unknown) => {
        if (e instanceof AppSourceError && e.reason === 'no-tool') {
          throw new AppSourceError('no-tool', 'frontmost app needs xprop (Debian/Ubuntu package x11-utils) or xdotool; neither found on PATH');
        }
        throw e;
      });
    }
    if (props === null) return null;
    return this.describe(props);
  }

  private async viaXprop(): Promise<XWindowProps | null> {
    const root = await this.options.runTool(['xprop', '-root', '_NET_ACTIVE_WINDOW']);
    if (root.exitCode !== 0) throw failure('xprop', root);
    const win = parseActiveWindow(root.stdout);
    if (win === null) return null;
    const out = await this.options.runTool(['xprop', '-id', `0x${win.toString(16)}`, '_NET_WM_PID', 'WM_CLASS', '_NET_WM_NAME', 'WM_NAME']);
    // BadWindow: the window closed between the two reads, so nothing is in front for this instant.
    if (out.exitCode !== 0) {
      if (/BadWindow/.test(out.stderr)) return null;
      throw failure('xprop', out);
    }
    return parseWindowProps(out.stdout);
  }

  private async viaXdotool(): Promise<XWindowProps | null> {
    const out = await this.options.runTool(['xdotool', 'getactivewindow', 'getwindowname', 'getwindowpid']);
    if (out.exitCode !== 0 && out.stdout.trim() === '') {
      if (/open display/i.test(out.stderr)) throw failure('xdotool', out);
      return null; // no active window, or a window manager that does not announce _NET_ACTIVE_WINDOW
    }
    const cls = await this.options.runTool(['xdotool', 'getactivewindow', 'getwindowclassname']);
    return parseXdotool(out.stdout, cls.exitCode === 0 ? cls.stdout : '');
  }

  private async describe(props: XWindowProps): Promise<AppInfo> {
    const proc = props.pid === null ? null : await readProcEntry(this.procRoot, props.pid);
    const extra = { title: props.title, windowClass: props.windowClass };
    if (proc) {
      const app = appFromProc(proc, extra);
      return { ...app, name: props.windowClass?.className || app.name };
    }
    // No process and no WM_CLASS (an old xdotool on a window without _NET_WM_PID): the title is no application name.
    const name = props.windowClass?.className || props.windowClass?.instance || 'unknown';
    return appInfo({ name, pid: props.pid, ...extra });
  }

  running(): Promise<AppInfo[]> {
    return listProcesses(this.procRoot);
  }

  async status(): Promise<AppSourceStatus> {
    const noX = this.noX();
    if (noX) return { available: false, reason: noX.reason, message: noX.message };
    for (const argv of [['xprop', '-version'], ['xdotool', 'version']]) {
      try {
        await this.options.runTool(argv);
        return { available: true, via: argv[0] as string };
      } catch (err) {
        if (err instanceof AppSourceError && err.reason === 'no-tool') continue;
        return { available: true, via: argv[0] as string }; // it exists; it only failed to answer in time
      }
    }
    return { available: false, reason: 'no-tool', message: 'frontmost app needs xprop (Debian/Ubuntu package x11-utils) or xdotool; neither found on PATH' };
  }
}
