// conductor.system (capability `systemcontrol`): lock screen, sleep, brightness and volume through each platform's
// standard tools, within the call's deadline. Gating is the runtime's job; this must never be reached without the grant.
import { macArgv, parseMacVolume, parseWindowsBrightness, windowsArgv } from './system-argv';
import { BACKLIGHT_DIR, LinuxSystem } from './system-linux';
import {
  conciseText,
  SystemFailure,
  SystemUnavailable,
  targetPercent,
  type SystemRequest,
  type SystemResponse,
} from './system-request';
import { ToolRunner, type ToolCommand } from './system-tools';

export { parseSystemRequest, type SystemRequest, type SystemResponse } from './system-request';

export interface SystemContext {
  /** Milliseconds left for tools (the call's deadline minus the margin); read before each tool runs. */
  timeLeftMs: () => number;
  /** An informational line for the plugin's log (e.g. which fallback was used). */
  note: (text: string) => void;
  platform?: NodeJS.Platform;
  /** Where the environment allow-list and CONDUCTOR_BACKLIGHT_DIR are read (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

/**
 * Carries out the request. Returns the response JSON ({"ok":true,…} or {"ok":false,"error":…} when the operation was
 * tried and failed), or `{ unavailable }` when this platform has no way to do it (the code `unavailable`).
 */
export function runSystemRequest(req: SystemRequest, ctx: SystemContext): SystemResponse | { unavailable: string } {
  const platform = ctx.platform ?? process.platform;
  const env = ctx.env ?? process.env;
  const tools = new ToolRunner(ctx.timeLeftMs, env, platform);
  try {
    switch (platform) {
      case 'linux':
        return new LinuxSystem(tools, ctx.note, env.CONDUCTOR_BACKLIGHT_DIR || BACKLIGHT_DIR).run(req);
      case 'darwin':
        return runMac(req, tools);
      case 'win32':
        return runWindows(req, tools);
      default:
        throw new SystemUnavailable(`conductor.system does not support this platform (${platform})`);
    }
  } catch (err) {
    if (err instanceof SystemUnavailable) return { unavailable: err.message };
    if (err instanceof SystemFailure) return { ok: false, op: req.op, error: conciseText(err.message, 'failed') };
    throw err;
  }
}

/** Runs a tool that must succeed; returns its stdout. */
function must(tools: ToolRunner, command: ToolCommand): string {
  const r = tools.run(command);
  if (r.kind === 'missing') throw new SystemFailure(`${command.program} was not found on PATH`);
  if (r.kind === 'broken') throw new SystemFailure(r.reason);
  if (r.status !== 0) throw new SystemFailure(`${command.program}: ${conciseText(r.stderr || r.stdout, `exit status ${r.status}`)}`);
  return r.stdout;
}

function runMac(req: SystemRequest, tools: ToolRunner): SystemResponse {
  switch (req.op) {
    case 'lock_screen':
      must(tools, macArgv.lockScreen());
      return { ok: true, op: req.op };
    case 'sleep':
      must(tools, macArgv.sleep());
      return { ok: true, op: req.op };
    case 'brightness':
      return macArgv.brightness();
    case 'volume': {
      const read = () => {
        const text = must(tools, macArgv.volumeGet());
        const v = parseMacVolume(text);
        if (v === null) throw new SystemFailure(`could not read the volume (${conciseText(text, 'no output')})`);
        return v;
      };
      const now = read();
      const a = req.action;
      if (a.kind === 'get') return { ok: true, op: 'volume', ...now };
      if (a.kind === 'mute') must(tools, macArgv.volumeMute(a.mute));
      else must(tools, macArgv.volumeSet(Math.min(100, targetPercent(a, now.volume))));
      return { ok: true, op: 'volume', ...read() };
    }
  }
}

function runWindows(req: SystemRequest, tools: ToolRunner): SystemResponse {
  switch (req.op) {
    case 'lock_screen':
      must(tools, windowsArgv.lockScreen());
      return { ok: true, op: req.op };
    case 'sleep':
      must(tools, windowsArgv.sleep());
      return { ok: true, op: req.op };
    case 'brightness': {
      const text = must(tools, windowsArgv.brightnessGet());
      const now = parseWindowsBrightness(text);
      if (now === null) throw new SystemFailure(`no built-in display brightness to read (${conciseText(text, 'no output')})`);
      if (req.action.kind === 'get') return { ok: true, op: 'brightness', brightness: now };
      const target = targetPercent(req.action, now);
      must(tools, windowsArgv.brightnessSet(target));
      return { ok: true, op: 'brightness', brightness: target };
    }
    case 'volume':
      return windowsArgv.volume();
  }
}
