// Windows: the foreground window's process (user32 GetForegroundWindow through a small inline Add-Type) and the
// running processes (Get-Process), asked through PowerShell as JSON. Only reads; never focuses or stops a process.
import { AppSourceError, appInfo, type AppInfo, type AppReader, type AppSourceStatus } from './frontmost-app';
import { lastLine, type RunTool } from './run-tool';

/** Prints the foreground window's process as one JSON object {Name, Id, Path, Title}, or nothing. */
export const FOREGROUND_SCRIPT = `
[Console]::OutputEncoding = [System.Text.Encoding]::UTF8
Add-Type -TypeDefinition @'
using System;
using System.Runtime.InteropServices;
using System.Text;
public static class ConductorForeground {
  [DllImport("user32.dll")] public static extern IntPtr GetForegroundWindow();
  [DllImport("user32.dll")] public static extern uint GetWindowThreadProcessId(IntPtr hWnd, out uint processId);
  [DllImport("user32.dll", CharSet = CharSet.Unicode)] public static extern int GetWindowText(IntPtr hWnd, StringBuilder text, int count);
}
'@
$h = [ConductorForeground]::GetForegroundWindow()
if ($h -eq [IntPtr]::Zero) { exit 0 }
$fpid = [uint32]0
[void][ConductorForeground]::GetWindowThreadProcessId($h, [ref]$fpid)
$sb = New-Object System.Text.StringBuilder 1024
[void][ConductorForeground]::GetWindowText($h, $sb, $sb.Capacity)
$p = Get-Process -Id $fpid -ErrorAction SilentlyContinue
if ($null -eq $p) { exit 0 }
[pscustomobject]@{ Name = $p.ProcessName; Id = $p.Id; Path = $p.Path; Title = $sb.ToString() } | ConvertTo-Json -Compress
`;

/** Prints every process as a JSON array of {Name, Id, Path, Title}. */
export const PROCESSES_SCRIPT = `
[Console]::OutputEncoding = [System.Text.Encoding]::UTF8
@(Get-Process | ForEach-Object { [pscustomobject]@{ Name = $_.ProcessName; Id = $_.Id; Path = $_.Path; Title = $_.MainWindowTitle } }) | ConvertTo-Json -Compress
`;

/** The argv running `script` in PowerShell (`program` is powershell or pwsh), encoded so no quoting can break it. */
export function powershellArgv(program: string, script: string): string[] {
  return [program, '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', Buffer.from(script, 'utf16le').toString('base64')];
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** One process object of the scripts' JSON → AppInfo (its name the process name, as Task Manager's Details shows it). */
function appFromJson(value: unknown): AppInfo | null {
  if (typeof value !== 'object' || value === null) return null;
  const o = value as Record<string, unknown>;
  const name = text(o.Name);
  if (name === null) return null;
  const path = text(o.Path);
  const executable = path !== null ? (path.split(/[\\/]/).pop() ?? null) : `${name}.exe`;
  const id = typeof o.Id === 'number' && Number.isSafeInteger(o.Id) && o.Id > 0 ? o.Id : null;
  return appInfo({ name, executable, path, pid: id, title: text(o.Title) });
}

function parseJson(stdout: string): unknown {
  const t = stdout.replace(/^\uFEFF/, '').trim();
  if (t === '') return null;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    throw new AppSourceError('failed', `PowerShell printed something that is not JSON: ${t.slice(0, 200)}`);
  }
}

/** FOREGROUND_SCRIPT's output → the app, or null when no window is in front. */
export function parseWindowsForeground(stdout: string): AppInfo | null {
  return appFromJson(parseJson(stdout));
}

/** PROCESSES_SCRIPT's output → the apps (ConvertTo-Json prints one process as an object, not an array). */
export function parseWindowsProcesses(stdout: string): AppInfo[] {
  const value = parseJson(stdout);
  const list = Array.isArray(value) ? value : value === null ? [] : [value];
  return list.map(appFromJson).filter((a): a is AppInfo => a !== null);
}

export class WindowsAppReader implements AppReader {
  constructor(private readonly runTool: RunTool) {}

  /** Runs `script` with Windows PowerShell, else PowerShell 7 (pwsh). */
  private async run(script: string): Promise<string> {
    for (const program of ['powershell', 'pwsh']) {
      let out;
      try {
        out = await this.runTool(powershellArgv(program, script));
      } catch (err) {
        if (err instanceof AppSourceError && err.reason === 'no-tool') continue;
        throw err;
      }
      if (out.exitCode !== 0) throw new AppSourceError('failed', `${program} failed: ${lastLine(out.stderr) || `exit code ${out.exitCode}`}`);
      return out.stdout;
    }
    throw new AppSourceError('no-tool', 'frontmost app needs PowerShell (powershell.exe or pwsh.exe); not found on PATH');
  }

  async frontmost(): Promise<AppInfo | null> {
    return parseWindowsForeground(await this.run(FOREGROUND_SCRIPT));
  }

  async running(): Promise<AppInfo[]> {
    return parseWindowsProcesses(await this.run(PROCESSES_SCRIPT));
  }

  async status(): Promise<AppSourceStatus> {
    try {
      await this.run('exit 0');
      return { available: true, via: 'powershell' };
    } catch (err) {
      const e = err instanceof AppSourceError ? err : new AppSourceError('failed', String(err));
      return { available: false, reason: e.reason, message: e.message };
    }
  }
}
