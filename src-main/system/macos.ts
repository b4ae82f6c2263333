// macOS: the frontmost and the running applications from System Events, asked through osascript. Only reads; never
// activates, launches or quits an application (the scripts below only `get`).
import { AppSourceError, appInfo, type AppInfo, type AppReader, type AppSourceStatus } from './frontmost-app';
import { lastLine, type RunTool } from './run-tool';

/**
 * The frontmost application process: one line of tab-separated fields — name, displayed name, unix id, bundle
 * identifier, POSIX path of its application file, front window's name. Each is tried alone (a helper process may
 * have no bundle; the window title needs the Accessibility permission), so a missing one prints "missing value".
 */
export const FRONTMOST_SCRIPT = [
  'tell application "System Events"',
  '  set p to first application process whose frontmost is true',
  '  set n to name of p',
  '  set d to n',
  '  try',
  '    set d to displayed name of p',
  '  end try',
  '  set i to unix id of p',
  '  set b to missing value',
  '  try',
  '    set b to bundle identifier of p',
  '  end try',
  '  set f to missing value',
  '  try',
  '    set f to POSIX path of (application file of p)',
  '  end try',
  '  set t to missing value',
  '  try',
  '    set t to name of front window of p',
  '  end try',
  'end tell',
  'return n & tab & d & tab & (i as text) & tab & (b as text) & tab & (f as text) & tab & (t as text)',
];

/** Every application process: one line each, tab-separated name, displayed name, unix id, bundle identifier. */
export const RUNNING_SCRIPT = [
  'set out to ""',
  'tell application "System Events"',
  '  set {ns, ds, ids, bs} to {name, displayed name, unix id, bundle identifier} of every application process',
  'end tell',
  'repeat with k from 1 to count of ns',
  '  set out to out & (item k of ns) & tab & (item k of ds) & tab & ((item k of ids) as text) & tab & ((item k of bs) as text) & linefeed',
  'end repeat',
  'return out',
];

function field(text: string | undefined): string | null {
  if (text === undefined) return null;
  const t = text.trim();
  return t === '' || t === 'missing value' ? null : t;
}

function pidOf(text: string | undefined): number | null {
  const t = field(text);
  return t !== null && /^\d+$/.test(t) && Number(t) > 0 ? Number(t) : null;
}

/** The POSIX path of an .app bundle ("/Applications/Safari.app/") without its trailing slash. */
function bundlePath(text: string | undefined): string | null {
  const t = field(text);
  return t === null ? null : t.replace(/\/+$/, '');
}

/** FRONTMOST_SCRIPT's output → the app, or null when it printed nothing. */
export function parseMacFrontmost(stdout: string): AppInfo | null {
  const line = stdout.replace(/\r?\n$/, '');
  if (line.trim() === '') return null;
  const [name, displayed, pid, bundleId, path, title] = line.split('\t');
  const processName = field(name);
  if (processName === null) return null;
  return appInfo({ name: field(displayed) ?? processName, executable: processName, pid: pidOf(pid), bundleId: field(bundleId), path: bundlePath(path), title: field(title) });
}

/** RUNNING_SCRIPT's output → the apps. */
export function parseMacRunning(stdout: string): AppInfo[] {
  const apps: AppInfo[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const [name, displayed, pid, bundleId] = line.split('\t');
    const processName = field(name);
    if (processName === null) continue;
    apps.push(appInfo({ name: field(displayed) ?? processName, executable: processName, pid: pidOf(pid), bundleId: field(bundleId) }));
  }
  return apps;
}

function scriptArgv(lines: readonly string[]): string[] {
  return ['osascript', ...lines.flatMap((l) => ['-e', l])];
}

export class MacAppReader implements AppReader {
  constructor(private readonly runTool: RunTool) {}

  private async run(lines: readonly string[]): Promise<string> {
    const out = await this.runTool(scriptArgv(lines));
    if (out.exitCode !== 0) {
      // -1743: the user has not allowed this app to control System Events (Privacy & Security → Automation).
      const why = lastLine(out.stderr) || `exit code ${out.exitCode}`;
      throw new AppSourceError('failed', /-1743|not allowed/i.test(why) ? `System Events refused (allow Conductor under Privacy & Security → Automation): ${why}` : `osascript failed: ${why}`);
    }
    return out.stdout;
  }

  async frontmost(): Promise<AppInfo | null> {
    return parseMacFrontmost(await this.run(FRONTMOST_SCRIPT));
  }

  async running(): Promise<AppInfo[]> {
    return parseMacRunning(await this.run(RUNNING_SCRIPT));
  }

  async status(): Promise<AppSourceStatus> {
    try {
      await this.runTool(['osascript', '-e', 'return 1']);
      return { available: true, via: 'osascript' };
    } catch (err) {
      const e = err instanceof AppSourceError ? err : new AppSourceError('failed', String(err));
      return { available: false, reason: e.reason, message: e.reason === 'no-tool' ? 'frontmost app needs osascript (macOS); not found on PATH' : e.message };
    }
  }
}
