// conductor.system without running anything: request checks, the macOS/Windows argv, the readers of tool output,
// the tool environment, and the platforms/ops that are unavailable (answered before any tool would run).
import { describe, expect, it } from 'vitest';
import { macArgv, parseMacVolume, parseWindowsBrightness, windowsArgv } from './system-argv';
import { runSystemRequest } from './system-control';
import {
  busctlArgv,
  dbusFailureText,
  dbusSendArgv,
  objectPathInReply,
  parsePactlMute,
  parsePactlVolume,
  parseWpctlVolume,
  percentOf,
  rawOf,
  type DbusCall,
} from './system-linux';
import { conciseText, parseSystemRequest, SYSTEM_ERROR_CHARS, SYSTEM_ERROR_JSON_BYTES, targetPercent } from './system-request';
import { toolEnv } from './system-tools';

describe('parseSystemRequest', () => {
  it('accepts every documented form', () => {
    expect(parseSystemRequest('{"op":"lock_screen"}')).toEqual({ op: 'lock_screen' });
    expect(parseSystemRequest('{"op":"sleep"}')).toEqual({ op: 'sleep' });
    expect(parseSystemRequest('{"op":"brightness"}')).toEqual({ op: 'brightness', action: { kind: 'get' } });
    expect(parseSystemRequest('{"op":"brightness","set":0}')).toEqual({ op: 'brightness', action: { kind: 'set', percent: 0 } });
    expect(parseSystemRequest('{"op":"brightness","change":-100}')).toEqual({ op: 'brightness', action: { kind: 'change', delta: -100 } });
    expect(parseSystemRequest('{"op":"volume"}')).toEqual({ op: 'volume', action: { kind: 'get' } });
    expect(parseSystemRequest('{"op":"volume","set":100}')).toEqual({ op: 'volume', action: { kind: 'set', percent: 100 } });
    expect(parseSystemRequest('{"op":"volume","change":100}')).toEqual({ op: 'volume', action: { kind: 'change', delta: 100 } });
    expect(parseSystemRequest('{"op":"volume","mute":true}')).toEqual({ op: 'volume', action: { kind: 'mute', mute: true } });
    expect(parseSystemRequest('{"op":"volume","mute":false}')).toEqual({ op: 'volume', action: { kind: 'mute', mute: false } });
  });

  it('refuses anything else with a reason', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /not valid JSON/],
      ['[1]', /must be a JSON object/],
      ['null', /must be a JSON object/],
      ['{}', /"op" must be one of "lock_screen", "sleep", "brightness", "volume"/],
      ['{"op":"reboot"}', /"op" must be one of/],
      ['{"op":"LOCK_SCREEN"}', /"op" must be one of/],
      ['{"op":"lock_screen","force":true}', /unknown field "force" \("lock_screen" takes no other fields\)/],
      ['{"op":"sleep","set":1}', /unknown field "set"/],
      ['{"op":"brightness","mute":true}', /unknown field "mute" \("brightness" takes "set" or "change"\)/],
      ['{"op":"brightness","set":50,"change":1}', /at most one of "set", "change"/],
      ['{"op":"volume","set":50,"mute":false}', /at most one of "set", "change", "mute"/],
      ['{"op":"volume","set":101}', /"set" must be an integer from 0 to 100/],
      ['{"op":"volume","set":-1}', /"set" must be an integer/],
      ['{"op":"volume","set":12.5}', /"set" must be an integer/],
      ['{"op":"volume","set":"50"}', /"set" must be an integer/],
      ['{"op":"volume","set":null}', /"set" must be an integer/],
      ['{"op":"brightness","change":101}', /"change" must be an integer from -100 to 100/],
      ['{"op":"brightness","change":-101}', /"change" must be an integer/],
      ['{"op":"volume","mute":1}', /"mute" must be true or false/],
      ['{"op":"volume","mute":"yes"}', /"mute" must be true or false/],
    ];
    for (const [text, reason] of cases) expect(parseSystemRequest(text), text).toMatch(reason);
  });
});

describe('levels', () => {
  it('targetPercent: set as given, change clamped to 0…max(100, now)', () => {
    expect(targetPercent({ kind: 'set', percent: 30 }, 90)).toBe(30);
    expect(targetPercent({ kind: 'change', delta: 15 }, 90)).toBe(100);
    expect(targetPercent({ kind: 'change', delta: -30 }, 20)).toBe(0);
    expect(targetPercent({ kind: 'change', delta: 5 }, 120)).toBe(120); // above 100 (set by the user): never raised further
    expect(targetPercent({ kind: 'change', delta: -5 }, 120)).toBe(115);
    expect(targetPercent({ kind: 'get' }, 42)).toBe(42);
  });

  it('backlight raw values: rounding, and a non-zero percentage never gives 0', () => {
    expect(percentOf(7, 10)).toBe(70);
    expect(percentOf(1, 3)).toBe(33);
    expect(rawOf(50, 10)).toBe(5);
    expect(rawOf(1, 10)).toBe(1);
    expect(rawOf(0, 10)).toBe(0);
    expect(rawOf(100, 96000)).toBe(96000);
  });
});

describe('Linux tool output', () => {
  it('reads pactl volume (the loudest channel) and mute', () => {
    const stereo = 'Volume: front-left: 24248 /  37% / -25.91 dB,   front-right: 26214 /  40% / -23.88 dB\n        balance 0.07\n';
    expect(parsePactlVolume(stereo)).toBe(40);
    expect(parsePactlVolume('Volume: mono: 98304 / 150% / 10.57 dB\n')).toBe(150);
    expect(parsePactlVolume('garbage')).toBeNull();
    expect(parsePactlMute('Mute: yes\n')).toBe(true);
    expect(parsePactlMute('Mute: no\n')).toBe(false);
    expect(parsePactlMute('')).toBeNull();
  });

  it('reads wpctl volume', () => {
    expect(parseWpctlVolume('Volume: 0.37\n')).toEqual({ volume: 37, muted: false });
    expect(parseWpctlVolume('Volume: 1.20 [MUTED]\n')).toEqual({ volume: 120, muted: true });
    expect(parseWpctlVolume('Translate ID error')).toBeNull();
  });

  it('builds busctl and dbus-send argv, and reads an object path from either reply', () => {
    const call: DbusCall = {
      bus: 'system',
      destination: 'org.freedesktop.login1',
      path: '/org/freedesktop/login1/session/c2',
      iface: 'org.freedesktop.login1.Session',
      method: 'SetBrightness',
      args: [
        { type: 's', value: 'backlight' },
        { type: 's', value: 'intel_backlight' },
        { type: 'u', value: '480' },
      ],
    };
    expect(busctlArgv(call)).toEqual({
      program: 'busctl',
      args: ['--system', 'call', 'org.freedesktop.login1', '/org/freedesktop/login1/session/c2', 'org.freedesktop.login1.Session', 'SetBrightness', 'ssu', 'backlight', 'intel_backlight', '480'],
    });
    expect(dbusSendArgv(call)).toEqual({
      program: 'dbus-send',
      args: ['--system', '--print-reply', '--dest=org.freedesktop.login1', '/org/freedesktop/login1/session/c2', 'org.freedesktop.login1.Session.SetBrightness', 'string:backlight', 'string:intel_backlight', 'uint32:480'],
    });
    const lock: DbusCall = { bus: 'session', destination: 'org.freedesktop.ScreenSaver', path: '/org/freedesktop/ScreenSaver', iface: 'org.freedesktop.ScreenSaver', method: 'Lock', args: [] };
    expect(busctlArgv(lock).args).toEqual(['--user', 'call', 'org.freedesktop.ScreenSaver', '/org/freedesktop/ScreenSaver', 'org.freedesktop.ScreenSaver', 'Lock']);
    expect(dbusSendArgv(lock).args.slice(0, 2)).toEqual(['--session', '--print-reply']);
    expect(objectPathInReply('o "/org/freedesktop/login1/session/_32"\n')).toBe('/org/freedesktop/login1/session/_32');
    expect(objectPathInReply('method return time=1.2 sender=:1.3 -> destination=:1.9 serial=5 reply_serial=2\n   object path "/org/freedesktop/login1/session/c2"\n')).toBe(
      '/org/freedesktop/login1/session/c2',
    );
    expect(objectPathInReply('s "x"')).toBeNull();
  });

  it('explains D-Bus failures', () => {
    expect(dbusFailureText('logind', 'system', 'Call failed: The name org.freedesktop.login1 was not provided by any .service files\n')).toBe(
      'logind is not running (The name org.freedesktop.login1 was not provided by any .service files)',
    );
    expect(dbusFailureText('logind', 'system', 'Error org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.login1 was not provided by any .service files\n')).toMatch(
      /^logind is not running \(The name/,
    );
    expect(dbusFailureText('logind', 'system', 'Failed to connect to bus: No such file or directory\n')).toBe('no D-Bus system bus (Failed to connect to bus: No such file or directory)');
    expect(dbusFailureText('logind', 'system', 'Call failed: Access denied\n')).toBe('logind: Access denied');
  });

  it('keeps error text to one short line', () => {
    expect(conciseText('\n  first\n\nsecond\nthird\n', 'x')).toBe('first');
    expect(conciseText('', 'fallback')).toBe('fallback');
    expect(conciseText('y'.repeat(SYSTEM_ERROR_CHARS), 'x')).toBe('y'.repeat(SYSTEM_ERROR_CHARS));
    expect(conciseText('y'.repeat(5000), 'x')).toBe(`${'y'.repeat(SYSTEM_ERROR_CHARS - 1)}…`);
    expect(conciseText('a\u0000b\u001b[31mc', 'x')).toBe('a b [31mc');
    // Whatever the tool printed, the longest response still fits in 1 KiB.
    for (const unit of ['€', '\u{1F600}', '"', '\\', '\ud800', 'y']) {
      const error = conciseText(unit.repeat(2000), 'x');
      const response = JSON.stringify({ ok: false, op: 'lock_screen', error });
      expect(Buffer.byteLength(response), unit).toBeLessThanOrEqual(SYSTEM_ERROR_JSON_BYTES + 50);
      expect(Buffer.byteLength(response)).toBeLessThan(1024);
    }
  });
});

describe('macOS and Windows argv', () => {
  it('macOS: osascript and pmset', () => {
    expect(macArgv.lockScreen()).toEqual({ program: 'osascript', args: ['-e', 'tell application "System Events" to keystroke "q" using {control down, command down}'] });
    expect(macArgv.sleep()).toEqual({ program: 'pmset', args: ['sleepnow'] });
    expect(macArgv.volumeGet()).toEqual({ program: 'osascript', args: ['-e', 'get volume settings'] });
    expect(macArgv.volumeSet(35)).toEqual({ program: 'osascript', args: ['-e', 'set volume output volume 35'] });
    expect(macArgv.volumeMute(true)).toEqual({ program: 'osascript', args: ['-e', 'set volume output muted true'] });
    expect(macArgv.volumeMute(false)).toEqual({ program: 'osascript', args: ['-e', 'set volume output muted false'] });
    expect(() => macArgv.volumeSet(101)).toThrow(/not a percentage/);
    expect(() => macArgv.volumeSet(Number.NaN)).toThrow(/not a percentage/);
    expect(parseMacVolume('output volume:50, input volume:75, alert volume:100, output muted:false\n')).toEqual({ volume: 50, muted: false });
    expect(parseMacVolume('output volume:missing value, input volume:missing value, alert volume:100, output muted:missing value')).toBeNull();
  });

  it('Windows: rundll32 and PowerShell, integers only in scripts', () => {
    expect(windowsArgv.lockScreen()).toEqual({ program: 'rundll32.exe', args: ['user32.dll,LockWorkStation'] });
    const sleep = windowsArgv.sleep();
    expect(sleep.program).toBe('powershell.exe');
    expect(sleep.args.slice(0, 5)).toEqual(['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command']);
    expect(sleep.args[5]).toContain("SetSuspendState('Suspend', $false, $false)");
    expect(windowsArgv.brightnessGet().args[5]).toContain('WmiMonitorBrightness');
    expect(windowsArgv.brightnessSet(40).args[5]).toContain('Invoke-CimMethod -MethodName WmiSetBrightness -Arguments @{Timeout=[uint32]0; Brightness=[byte]40}');
    expect(() => windowsArgv.brightnessSet(-1)).toThrow(/not a percentage/);
    expect(parseWindowsBrightness('70\r\n')).toBe(70);
    expect(parseWindowsBrightness('\r\n')).toBeNull();
    expect(parseWindowsBrightness('Get-CimInstance : Not supported')).toBeNull();
  });
});

describe('runSystemRequest without tools', () => {
  const ctx = (platform: NodeJS.Platform) => ({ timeLeftMs: () => 1000, note: () => {}, platform, env: {} });
  it('is unavailable where the platform has no way to do it', () => {
    expect(runSystemRequest({ op: 'brightness', action: { kind: 'get' } }, ctx('darwin'))).toEqual({
      unavailable: 'macOS has no standard command to read or set the display brightness',
    });
    expect(runSystemRequest({ op: 'volume', action: { kind: 'mute', mute: true } }, ctx('win32'))).toEqual({
      unavailable: 'Windows has no standard command to read or set the volume',
    });
    expect(runSystemRequest({ op: 'sleep' }, ctx('freebsd'))).toEqual({ unavailable: 'conductor.system does not support this platform (freebsd)' });
  });

  it('answers "timed out" without running a tool when the deadline left no time', () => {
    const r = runSystemRequest({ op: 'sleep' }, { ...ctx('linux'), timeLeftMs: () => 0 });
    expect(r).toEqual({ ok: false, op: 'sleep', error: "timed out (the call's deadline) before busctl could run" });
  });
});

describe('toolEnv', () => {
  it('passes only the allow-list, in the C locale', () => {
    const source = {
      PATH: '/usr/bin',
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus',
      DBUS_SYSTEM_BUS_ADDRESS: 'unix:path=/x',
      XDG_RUNTIME_DIR: '/run/user/1000',
      PULSE_SERVER: 'unix:/p',
      DISPLAY: ':0',
      WAYLAND_DISPLAY: 'wayland-0',
      HOME: '/home/u',
      GITHUB_TOKEN: 'secret',
      LD_PRELOAD: '/evil.so',
      LANG: 'de_DE.UTF-8',
      CONDUCTOR_BACKLIGHT_DIR: '/tmp/b',
    };
    expect(toolEnv(source, 'linux')).toEqual({
      PATH: '/usr/bin',
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus',
      DBUS_SYSTEM_BUS_ADDRESS: 'unix:path=/x',
      XDG_RUNTIME_DIR: '/run/user/1000',
      PULSE_SERVER: 'unix:/p',
      DISPLAY: ':0',
      WAYLAND_DISPLAY: 'wayland-0',
      HOME: '/home/u',
      LC_ALL: 'C',
      LANG: 'C',
    });
    expect(toolEnv({ PATH: 'C:\\Windows', SystemRoot: 'C:\\Windows', PATHEXT: '.EXE', USERPROFILE: 'C:\\Users\\u' }, 'win32')).toEqual({
      PATH: 'C:\\Windows',
      SystemRoot: 'C:\\Windows',
      PATHEXT: '.EXE',
    });
  });
});
