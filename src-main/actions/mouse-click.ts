// The MouseClick action through the platform's own tools: xdotool (X11), ydotool (Wayland), osascript's JavaScript
// with CoreGraphics events (macOS), PowerShell with user32 (Windows). Never goes through a shell; a missing tool is
// a clear error naming what to install.
import type { Action } from '../../src-shared/config';
import { findExecutable, runProcess } from './process';
import type { KeyActionDeps } from './keystroke';
import { failed, succeeded, type ActionOutcome, type Env } from './types';

export type MouseButton = 'left' | 'right' | 'middle';
export type MouseTool = 'xdotool' | 'ydotool' | 'osascript' | 'powershell';
export type MouseClickAction = Extract<Action, { type: 'MouseClick' }>;

/** The tools to look for, best first (Wayland first when WAYLAND_DISPLAY is set; xdotool then reaches XWayland only). */
export function candidateMouseTools(platform: NodeJS.Platform, env: Env): { tool: MouseTool; names: string[] }[] {
  if (platform === 'darwin') return [{ tool: 'osascript', names: ['osascript'] }];
  if (platform === 'win32') return [{ tool: 'powershell', names: ['powershell', 'pwsh'] }];
  const x11 = { tool: 'xdotool' as const, names: ['xdotool'] };
  const wayland = { tool: 'ydotool' as const, names: ['ydotool'] };
  return env.WAYLAND_DISPLAY ? [wayland, x11] : [x11, wayland];
}

export function missingMouseToolMessage(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'MouseClick needs osascript (macOS); not found on PATH';
  if (platform === 'win32') return 'MouseClick needs PowerShell (powershell.exe or pwsh.exe); not found on PATH';
  return 'MouseClick needs xdotool (X11) or ydotool (Wayland); none found on PATH';
}

const X_BUTTON: Record<MouseButton, string> = { left: '1', middle: '2', right: '3' };
/** ydotool 1.x click codes: 0x40 down | 0x80 up, with the button (0 left, 1 right, 2 middle). */
const YDOTOOL_CLICK: Record<MouseButton, string> = { left: '0xC0', right: '0xC1', middle: '0xC2' };
const MAC_EVENTS: Record<MouseButton, [string, string, string]> = {
  left: ['kCGEventLeftMouseDown', 'kCGEventLeftMouseUp', 'kCGMouseButtonLeft'],
  right: ['kCGEventRightMouseDown', 'kCGEventRightMouseUp', 'kCGMouseButtonRight'],
  middle: ['kCGEventOtherMouseDown', 'kCGEventOtherMouseUp', 'kCGMouseButtonCenter'],
};
/** user32 mouse_event flags: [down, up]. */
const WIN_FLAGS: Record<MouseButton, [number, number]> = { left: [0x02, 0x04], right: [0x08, 0x10], middle: [0x20, 0x40] };

/** The commands (run one after another) that click `button`, at (x, y) when given, else where the pointer is. */
export function mouseClickArgv(tool: MouseTool, program: string, action: Pick<MouseClickAction, 'button' | 'x' | 'y'>): string[][] {
  const { button, x, y } = action;
  const at = x !== undefined && y !== undefined ? { x, y } : null;
  switch (tool) {
    case 'xdotool':
      return [[program, ...(at ? ['mousemove', '--sync', String(at.x), String(at.y)] : []), 'click', X_BUTTON[button]]];
    case 'ydotool':
      return [...(at ? [[program, 'mousemove', '--absolute', '-x', String(at.x), '-y', String(at.y)]] : []), [program, 'click', YDOTOOL_CLICK[button]]];
    case 'osascript': {
      const [down, up, which] = MAC_EVENTS[button];
      const point = at ? `$.CGPointMake(${at.x}, ${at.y})` : '$.CGEventGetLocation($.CGEventCreate(null))';
      const script = [
        "ObjC.import('CoreGraphics');",
        `var p = ${point};`,
        `$.CGEventPost($.kCGHIDEventTap, $.CGEventCreateMouseEvent(null, $.${down}, p, $.${which}));`,
        `$.CGEventPost($.kCGHIDEventTap, $.CGEventCreateMouseEvent(null, $.${up}, p, $.${which}));`,
      ].join(' ');
      return [[program, '-l', 'JavaScript', '-e', script]];
    }
    case 'powershell': {
      const [downFlag, upFlag] = WIN_FLAGS[button];
      const script = [
        "Add-Type -Name U32 -Namespace Conductor -MemberDefinition '[DllImport(\"user32.dll\")] public static extern bool SetCursorPos(int x, int y); [DllImport(\"user32.dll\")] public static extern void mouse_event(uint f, uint x, uint y, uint d, System.UIntPtr e);';",
        at ? `[Conductor.U32]::SetCursorPos(${at.x}, ${at.y}) | Out-Null;` : '',
        `[Conductor.U32]::mouse_event(${downFlag}, 0, 0, 0, [System.UIntPtr]::Zero);`,
        `[Conductor.U32]::mouse_event(${upFlag}, 0, 0, 0, [System.UIntPtr]::Zero);`,
      ].join(' ');
      return [[program, '-NoProfile', '-NonInteractive', '-EncodedCommand', Buffer.from(script, 'utf16le').toString('base64')]];
    }
  }
}

export async function findMouseTool(platform: NodeJS.Platform, env: Env): Promise<{ tool: MouseTool; program: string } | null> {
  for (const candidate of candidateMouseTools(platform, env)) {
    for (const name of candidate.names) {
      const program = await findExecutable(name, env, platform);
      if (program) return { tool: candidate.tool, program };
    }
  }
  return null;
}

export async function mouseClick(action: MouseClickAction, deps: KeyActionDeps): Promise<ActionOutcome> {
  const found = await findMouseTool(deps.platform, deps.env);
  if (!found) return failed(missingMouseToolMessage(deps.platform));
  let last: Awaited<ReturnType<typeof runProcess>>['info'] | undefined;
  for (const argv of mouseClickArgv(found.tool, found.program, action)) {
    const { info, error } = await runProcess(argv, { timer: deps.timer, timeoutMs: deps.timeoutMs, signal: deps.signal, env: deps.env, platform: deps.platform });
    last = info;
    if (error !== null) return failed(`MouseClick: ${found.tool} ${error}`, { process: info });
  }
  const where = action.x !== undefined && action.y !== undefined ? ` at ${action.x}, ${action.y}` : '';
  return succeeded(`${action.button} click${where} via ${found.tool}`, last ? { process: last } : {});
}
