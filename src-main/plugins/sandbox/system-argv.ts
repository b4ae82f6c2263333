// conductor.system on macOS and Windows: the argv of each platform's standard tool for an operation, and readers of
// their output. Pure (unit-tested as argv; not run on this Linux host). Only integers checked here reach a script text.
import { SystemUnavailable } from './system-request';
import type { ToolCommand } from './system-tools';

function percentText(percent: number): string {
  if (!Number.isInteger(percent) || percent < 0 || percent > 100) throw new Error(`not a percentage: ${percent}`);
  return String(percent);
}

const osascript = (script: string): ToolCommand => ({ program: 'osascript', args: ['-e', script] });

/** macOS: osascript (AppleScript) and pmset. Brightness has no standard command there. */
export const macArgv = {
  /** The system's lock shortcut (⌃⌘Q); needs the Accessibility permission for the app (System Settings → Privacy). */
  lockScreen: (): ToolCommand => osascript('tell application "System Events" to keystroke "q" using {control down, command down}'),
  sleep: (): ToolCommand => ({ program: 'pmset', args: ['sleepnow'] }),
  /** Prints `output volume:50, input volume:75, alert volume:100, output muted:false`. */
  volumeGet: (): ToolCommand => osascript('get volume settings'),
  volumeSet: (percent: number): ToolCommand => osascript(`set volume output volume ${percentText(percent)}`),
  volumeMute: (mute: boolean): ToolCommand => osascript(`set volume output muted ${mute ? 'true' : 'false'}`),
  brightness: (): never => {
    throw new SystemUnavailable('macOS has no standard command to read or set the display brightness');
  },
};

/** Reads `get volume settings`; `output volume` is `missing value` when the output device has no volume control. */
export function parseMacVolume(stdout: string): { volume: number; muted: boolean } | null {
  const v = /output volume:\s*(\d+)/.exec(stdout);
  const m = /output muted:\s*(true|false)/.exec(stdout);
  return v && m ? { volume: Number(v[1]), muted: m[1] === 'true' } : null;
}

const powershell = (script: string): ToolCommand => ({
  program: 'powershell.exe',
  args: ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', script],
});

/** Windows: rundll32 and PowerShell (WMI for the brightness of built-in displays). Volume has no standard command. */
export const windowsArgv = {
  lockScreen: (): ToolCommand => ({ program: 'rundll32.exe', args: ['user32.dll,LockWorkStation'] }),
  /** SetSuspendState('Suspend', force=false, disableWakeEvent=false): sleep, not hibernate (rundll32 powrprof would hibernate when hibernation is on). */
  sleep: (): ToolCommand =>
    powershell("Add-Type -AssemblyName System.Windows.Forms; [void][System.Windows.Forms.Application]::SetSuspendState('Suspend', $false, $false)"),
  /** Prints the built-in display's brightness percentage (laptops; external monitors are not reachable through WMI). */
  brightnessGet: (): ToolCommand =>
    powershell('(Get-CimInstance -Namespace root/WMI -ClassName WmiMonitorBrightness -ErrorAction Stop | Select-Object -First 1).CurrentBrightness'),
  brightnessSet: (percent: number): ToolCommand =>
    powershell(
      'Get-CimInstance -Namespace root/WMI -ClassName WmiMonitorBrightnessMethods -ErrorAction Stop | Select-Object -First 1 | ' +
        `Invoke-CimMethod -MethodName WmiSetBrightness -Arguments @{Timeout=[uint32]0; Brightness=[byte]${percentText(percent)}} | Out-Null`,
    ),
  volume: (): never => {
    throw new SystemUnavailable('Windows has no standard command to read or set the volume');
  },
};

/** The first integer PowerShell printed (0…100), or null. */
export function parseWindowsBrightness(stdout: string): number | null {
  const m = /^\s*(\d{1,3})\s*$/m.exec(stdout);
  const n = m ? Number(m[1]) : NaN;
  return n >= 0 && n <= 100 ? n : null;
}
