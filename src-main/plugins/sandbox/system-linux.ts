// conductor.system on Linux: logind over D-Bus (busctl, else dbus-send) for lock/sleep/brightness, sysfs to read the
// backlight, pactl (else wpctl) for volume. Never uses a shell, never writes sysfs itself (logind does, for the session).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  conciseText,
  SystemFailure,
  targetPercent,
  type LevelAction,
  type SystemRequest,
  type SystemResponse,
} from './system-request';
import type { ToolCommand, ToolOutcome, ToolRunner } from './system-tools';

/** Where backlight devices are read; CONDUCTOR_BACKLIGHT_DIR (in the process running the plugin) overrides it for tests and diagnosis. */
export const BACKLIGHT_DIR = '/sys/class/backlight';

const LOGIND = 'org.freedesktop.login1';
const LOGIND_PATH = '/org/freedesktop/login1';
const LOGIND_MANAGER = 'org.freedesktop.login1.Manager';
const LOGIND_SESSION = 'org.freedesktop.login1.Session';

/** One D-Bus argument: the type letter and its value as text. */
export type DbusArg = { type: 's' | 'b' | 'u'; value: string };

export interface DbusCall {
  bus: 'system' | 'session';
  destination: string;
  path: string;
  iface: string;
  method: string;
  args: readonly DbusArg[];
}

/** `busctl call` argv (systemd's D-Bus tool). */
export function busctlArgv(c: DbusCall): ToolCommand {
  const args = [c.bus === 'system' ? '--system' : '--user', 'call', c.destination, c.path, c.iface, c.method];
  if (c.args.length > 0) args.push(c.args.map((a) => a.type).join(''), ...c.args.map((a) => a.value));
  return { program: 'busctl', args };
}

/** `dbus-send` argv (the reference implementation's tool), for systems without systemd's busctl. */
export function dbusSendArgv(c: DbusCall): ToolCommand {
  const typeName = { s: 'string', b: 'boolean', u: 'uint32' } as const;
  return {
    program: 'dbus-send',
    args: [
      c.bus === 'system' ? '--system' : '--session',
      '--print-reply',
      `--dest=${c.destination}`,
      c.path,
      `${c.iface}.${c.method}`,
      ...c.args.map((a) => `${typeName[a.type]}:${a.value}`),
    ],
  };
}

/** The object path in a reply: busctl prints `o "/…"`, dbus-send `   object path "/…"`. */
export function objectPathInReply(stdout: string): string | null {
  const m = /(?:^|\s)(?:o|object path)\s+"(\/[A-Za-z0-9_/]*)"/m.exec(stdout);
  return m?.[1] ?? null;
}

/** Reads a D-Bus failure the way a user can act on it. `service` names who was called ("logind"). */
export function dbusFailureText(service: string, bus: 'system' | 'session', stderr: string): string {
  const text = conciseText(stderr.replace(/^Call failed:\s*/m, '').replace(/^Error org\.freedesktop\.DBus\.Error\.\w+:\s*/m, ''), 'no error text');
  if (/was not provided by any \.service files|ServiceUnknown|name .* has no owner|not activatable/i.test(stderr)) return `${service} is not running (${text})`;
  if (/Failed to connect to bus|Failed to set bus address|Unable to autolaunch|Failed to open connection|Could not connect/i.test(stderr)) {
    return `no D-Bus ${bus} bus (${text})`;
  }
  return `${service}: ${text}`;
}

/** The highest channel's percentage in `pactl get-sink-volume` output (`front-left: 24248 /  37% / -25.91 dB, …`). */
export function parsePactlVolume(stdout: string): number | null {
  const values = [...stdout.matchAll(/\/\s*(\d+)%\s*\//g)].map((m) => Number(m[1]));
  return values.length > 0 ? Math.max(...values) : null;
}

/** `Mute: yes` / `Mute: no`. */
export function parsePactlMute(stdout: string): boolean | null {
  const m = /Mute:\s*(yes|no)\b/.exec(stdout);
  return m ? m[1] === 'yes' : null;
}

/** `wpctl get-volume` output: `Volume: 0.37` or `Volume: 0.37 [MUTED]`. */
export function parseWpctlVolume(stdout: string): { volume: number; muted: boolean } | null {
  const m = /Volume:\s*(\d+(?:\.\d+)?)(\s*\[MUTED\])?/.exec(stdout);
  return m ? { volume: Math.round(Number(m[1]) * 100), muted: m[2] !== undefined } : null;
}

/** Backlight kinds in the order desktops prefer them (firmware interfaces know the panel best). */
const BACKLIGHT_TYPES = ['firmware', 'platform', 'raw'];

export interface Backlight {
  name: string;
  brightness: number;
  max: number;
}

/** The backlight to use: by `type` (firmware, platform, raw, other), then by name. Throws SystemFailure when there is none. */
export function findBacklight(root: string): Backlight {
  let names: string[];
  try {
    names = readdirSync(root).sort();
  } catch {
    names = [];
  }
  const read = (name: string, file: string): string | null => {
    try {
      return readFileSync(join(root, name, file), 'utf8').trim();
    } catch {
      return null;
    }
  };
  const rank = (name: string) => {
    const i = BACKLIGHT_TYPES.indexOf(read(name, 'type') ?? '');
    return i < 0 ? BACKLIGHT_TYPES.length : i;
  };
  const usable = names.filter((n) => /^[A-Za-z0-9_.:-]+$/.test(n) && read(n, 'max_brightness') !== null);
  if (usable.length === 0) throw new SystemFailure(`no backlight device found (in ${root})`);
  const name = usable.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1))[0] ?? '';
  const max = Number(read(name, 'max_brightness'));
  const brightness = Number(read(name, 'brightness'));
  if (!Number.isInteger(max) || max <= 0 || !Number.isInteger(brightness) || brightness < 0) {
    throw new SystemFailure(`backlight ${name} reports no usable brightness (brightness ${brightness}, max_brightness ${max})`);
  }
  return { name, brightness, max };
}

export function percentOf(raw: number, max: number): number {
  return Math.round((raw * 100) / max);
}

/** The raw value for a percentage; a non-zero percentage never rounds down to 0 (which turns some panels off). */
export function rawOf(percent: number, max: number): number {
  const raw = Math.round((percent * max) / 100);
  return percent > 0 && raw === 0 ? 1 : raw;
}

export class LinuxSystem {
  constructor(
    private readonly tools: ToolRunner,
    private readonly note: (text: string) => void,
    private readonly backlightRoot: string,
  ) {}

  run(req: SystemRequest): SystemResponse {
    switch (req.op) {
      case 'lock_screen':
        this.lock();
        return { ok: true, op: 'lock_screen' };
      case 'sleep':
        this.logind({ path: LOGIND_PATH, iface: LOGIND_MANAGER, method: 'Suspend', args: [{ type: 'b', value: 'false' }] });
        return { ok: true, op: 'sleep' };
      case 'brightness':
        return { ok: true, op: 'brightness', brightness: this.brightness(req.action) };
      case 'volume':
        return { ok: true, op: 'volume', ...this.volume(req.action) };
    }
  }

  /** logind LockSession("auto"): the caller's session, else the user's graphical session; else the session bus's ScreenSaver.Lock. */
  private lock(): void {
    let logindError: string;
    try {
      this.logind({ path: LOGIND_PATH, iface: LOGIND_MANAGER, method: 'LockSession', args: [{ type: 's', value: 'auto' }] });
      return;
    } catch (err) {
      if (!(err instanceof SystemFailure)) throw err;
      logindError = err.message;
    }
    const call: DbusCall = {
      bus: 'session',
      destination: 'org.freedesktop.ScreenSaver',
      path: '/org/freedesktop/ScreenSaver',
      iface: 'org.freedesktop.ScreenSaver',
      method: 'Lock',
      args: [],
    };
    try {
      this.dbus(call, 'org.freedesktop.ScreenSaver');
    } catch (err) {
      if (!(err instanceof SystemFailure)) throw err;
      throw new SystemFailure(`${logindError}; ${err.message}`);
    }
    this.note(`locked through org.freedesktop.ScreenSaver on the session bus (${logindError})`);
  }

  private brightness(action: LevelAction): number {
    const light = findBacklight(this.backlightRoot);
    const current = percentOf(light.brightness, light.max);
    if (action.kind === 'get') return current;
    const raw = rawOf(targetPercent(action, current), light.max);
    const reply = this.logind({ path: LOGIND_PATH, iface: LOGIND_MANAGER, method: 'GetSession', args: [{ type: 's', value: 'auto' }] });
    const session = objectPathInReply(reply);
    if (session === null) throw new SystemFailure(`logind: no session object in the reply to GetSession (${conciseText(reply, 'empty')})`);
    this.logind({
      path: session,
      iface: LOGIND_SESSION,
      method: 'SetBrightness',
      args: [
        { type: 's', value: 'backlight' },
        { type: 's', value: light.name },
        { type: 'u', value: String(raw) },
      ],
    });
    return percentOf(raw, light.max);
  }

  private logind(c: Omit<DbusCall, 'bus' | 'destination'>): string {
    return this.dbus({ ...c, bus: 'system', destination: LOGIND }, 'logind');
  }

  /** One D-Bus method call through busctl, or dbus-send where busctl is not installed; returns the reply text. */
  private dbus(c: DbusCall, service: string): string {
    for (const argv of [busctlArgv(c), dbusSendArgv(c)]) {
      const r = this.tools.run(argv);
      if (r.kind === 'missing') continue;
      if (r.kind === 'broken') throw new SystemFailure(`${service}: ${r.reason}`);
      if (r.status !== 0) throw new SystemFailure(dbusFailureText(service, c.bus, r.stderr || r.stdout));
      return r.stdout;
    }
    throw new SystemFailure('neither busctl nor dbus-send is installed (Debian: systemd or dbus-bin)');
  }

  private volume(action: LevelAction | { kind: 'mute'; mute: boolean }): { volume: number; muted: boolean } {
    const first = this.tools.run(pactl('get-sink-volume'));
    if (first.kind !== 'missing') return this.volumePactl(action, this.pactlOut(first));
    const wp = this.tools.run(wpctl('get-volume'));
    if (wp.kind === 'missing') throw new SystemFailure('neither pactl nor wpctl is installed (Debian: pulseaudio-utils or wireplumber)');
    return this.volumeWpctl(action, this.wpctlOut(wp));
  }

  private volumePactl(action: LevelAction | { kind: 'mute'; mute: boolean }, firstVolume: string): { volume: number; muted: boolean } {
    const read = (volumeText: string) => {
      const volume = parsePactlVolume(volumeText);
      const muted = parsePactlMute(this.pactlOut(this.tools.run(pactl('get-sink-mute'))));
      if (volume === null || muted === null) throw new SystemFailure(`pactl: could not read the volume (${conciseText(volumeText, 'no output')})`);
      return { volume, muted };
    };
    const now = read(firstVolume);
    if (action.kind === 'get') return now;
    if (action.kind === 'mute') {
      this.pactlOut(this.tools.run(pactl('set-sink-mute', action.mute ? '1' : '0')));
    } else {
      const delta = targetPercent(action, now.volume) - now.volume;
      // Absolute for set (every channel alike); relative for change, which keeps the balance between channels.
      if (action.kind === 'set') this.pactlOut(this.tools.run(pactl('set-sink-volume', `${action.percent}%`)));
      else if (delta !== 0) this.pactlOut(this.tools.run(pactl('set-sink-volume', `${delta > 0 ? '+' : '-'}${Math.abs(delta)}%`)));
    }
    return read(this.pactlOut(this.tools.run(pactl('get-sink-volume'))));
  }

  private volumeWpctl(action: LevelAction | { kind: 'mute'; mute: boolean }, firstVolume: string): { volume: number; muted: boolean } {
    const read = (text: string) => {
      const v = parseWpctlVolume(text);
      if (v === null) throw new SystemFailure(`wpctl: could not read the volume (${conciseText(text, 'no output')})`);
      return v;
    };
    const now = read(firstVolume);
    if (action.kind === 'get') return now;
    if (action.kind === 'mute') {
      this.wpctlOut(this.tools.run(wpctl('set-mute', action.mute ? '1' : '0')));
    } else {
      const delta = targetPercent(action, now.volume) - now.volume;
      if (action.kind === 'set') this.wpctlOut(this.tools.run(wpctl('set-volume', (action.percent / 100).toFixed(2))));
      else if (delta !== 0) this.wpctlOut(this.tools.run(wpctl('set-volume', `${Math.abs(delta)}%${delta > 0 ? '+' : '-'}`)));
    }
    return read(this.wpctlOut(this.tools.run(wpctl('get-volume'))));
  }

  private pactlOut(r: ToolOutcome): string {
    if (r.kind === 'missing') throw new SystemFailure('pactl is not installed (Debian: pulseaudio-utils)');
    if (r.kind === 'broken') throw new SystemFailure(`pactl: ${r.reason}`);
    if (r.status === 0) return r.stdout;
    const text = conciseText(r.stderr || r.stdout, `exit status ${r.status}`);
    if (/Connection failure|Connection refused|pa_context_connect|No such file or directory/i.test(r.stderr)) {
      throw new SystemFailure(`no PulseAudio/PipeWire server (pactl: ${text})`);
    }
    if (/No such entity/i.test(r.stderr)) throw new SystemFailure(`no default audio output (pactl: ${text})`);
    throw new SystemFailure(`pactl: ${text}`);
  }

  private wpctlOut(r: ToolOutcome): string {
    if (r.kind === 'missing') throw new SystemFailure('wpctl is not installed (Debian: wireplumber)');
    if (r.kind === 'broken') throw new SystemFailure(`wpctl: ${r.reason}`);
    if (r.status === 0) return r.stdout;
    const text = conciseText(r.stderr || r.stdout, `exit status ${r.status}`);
    if (/Could not connect to PipeWire/i.test(r.stderr)) throw new SystemFailure(`no PipeWire server (wpctl: ${text})`);
    throw new SystemFailure(`wpctl: ${text}`);
  }
}

/** pactl on the default sink; `--` so that a negative change (`-5%`) is not read as an option. */
function pactl(command: string, value?: string): ToolCommand {
  return { program: 'pactl', args: value === undefined ? [command, '@DEFAULT_SINK@'] : ['--', command, '@DEFAULT_SINK@', value] };
}

function wpctl(command: string, value?: string): ToolCommand {
  return { program: 'wpctl', args: value === undefined ? [command, '@DEFAULT_AUDIO_SINK@'] : [command, '@DEFAULT_AUDIO_SINK@', value] };
}
