// conductor.system (the systemcontrol grant) in a real PluginRuntime against real peers the test starts: a private
// system bus with python3-dbusmock's logind, a session bus with a mocked ScreenSaver, a headless PipeWire with a null sink.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { watToWasm } from '../../../plugins/fixtures';
import type { CallResult } from '../../../src-shared/plugin';
import { HOST_ERROR } from '../common/import-catalogue';
import { OUT_AT, pluginLoader } from './test-support/plugin-loader';
import { audioPeersMissing, busCall, dbusPeersMissing, mockCalls, pactlState, Peers } from './test-support/system-peers';

const { load, shutdownAll } = pluginLoader();
afterEach(shutdownAll);

/** A module whose `execute` passes its input to conductor.system and logs the response (code 0), or returns the code. */
function systemProbe(outCap = 65536): Promise<Uint8Array> {
  return watToWasm(`(module
    (import "conductor" "system" (func $system (param i32 i32 i32 i32) (result i32)))
    (import "conductor" "log" (func $log (param i32 i32 i32)))
    (memory (export "memory") 64)
    (func (export "alloc") (param i32) (result i32) (i32.const 65536))
    (func (export "execute") (param i32 i32) (result i32) (local $rc i32)
      (local.set $rc (call $system (local.get 0) (local.get 1) (i32.const ${OUT_AT}) (i32.const ${outCap})))
      (if (i32.gt_s (local.get $rc) (i32.const 0))
        (then (call $log (i32.const 1) (i32.const ${OUT_AT}) (local.get $rc)) (return (i32.const 0))))
      (local.get $rc)))`);
}

let probe: Uint8Array;

/** Runs one request through the runtime; returns the response JSON the plugin received. */
async function system(request: object, limits?: { callTimeoutMs: number }): Promise<Record<string, unknown>> {
  const p = await load(probe, ['systemcontrol'], limits ? { limits } : {});
  const r = p.runtime.execute(JSON.stringify(request));
  return responseOf(r);
}

function responseOf(r: CallResult): Record<string, unknown> {
  expect(r, JSON.stringify(r.log)).toMatchObject({ ok: true, code: 0 });
  const line = r.log.find((l) => l.startsWith('[info] {'));
  if (!line) throw new Error(`no response in the log: ${JSON.stringify(r.log)}`);
  return JSON.parse(line.slice('[info] '.length)) as Record<string, unknown>;
}

const ENV_KEYS = ['DBUS_SYSTEM_BUS_ADDRESS', 'DBUS_SESSION_BUS_ADDRESS', 'XDG_RUNTIME_DIR', 'PULSE_SERVER', 'CONDUCTOR_BACKLIGHT_DIR', 'PATH'] as const;
const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
function setEnv(values: Partial<Record<(typeof ENV_KEYS)[number], string | undefined>>): void {
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}
function restoreEnv(): void {
  setEnv(savedEnv);
}

/** A PATH holding only links to the named tools (to test the fallbacks when the preferred tool is missing). */
function pathWith(dir: string, tools: string[]): string {
  const bin = join(dir, `bin-${tools.join('-')}`);
  mkdirSync(bin, { recursive: true });
  for (const tool of tools) {
    for (const prefix of ['/usr/bin', '/bin']) {
      try {
        symlinkSync(join(prefix, tool), join(bin, tool));
        break;
      } catch {
        // not there (or already linked)
      }
    }
  }
  return bin;
}

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'conductor-system-'));
  probe = await systemProbe();
});
afterAll(() => {
  restoreEnv();
  rmSync(dir, { recursive: true, force: true });
});

describe('conductor.system: requests and codes', () => {
  it('refuses a malformed request with -1 and names the reason in the log', async () => {
    const p = await load(probe, ['systemcontrol']);
    for (const [req, reason] of [
      ['{"op":"reboot"}', '"op" must be one of'],
      ['{"op":"volume","set":150}', '"set" must be an integer from 0 to 100'],
      ['not json', 'request is not valid JSON'],
    ] as const) {
      const r = p.runtime.execute(req);
      expect(r.code, req).toBe(HOST_ERROR.invalid);
      expect(r.log.join('\n')).toContain(`[warn] conductor.system: ${reason}`);
    }
  });

  it('needs the systemcontrol grant', async () => {
    const p = await load(probe, ['subprocess']);
    const r = p.runtime.execute('{"op":"sleep"}');
    expect(r).toMatchObject({ ok: false, errorKind: 'capability' });
    expect(r.error).toContain('conductor.system needs the "systemcontrol" capability');
  });

  it('reads a backlight from sysfs (CONDUCTOR_BACKLIGHT_DIR), preferring the firmware interface', async () => {
    const root = join(dir, 'backlight');
    for (const [name, type, value, max] of [
      ['intel_backlight', 'raw', '400', '1000'],
      ['acpi_video0', 'firmware', '7', '10'],
    ] as const) {
      mkdirSync(join(root, name), { recursive: true });
      writeFileSync(join(root, name, 'type'), `${type}\n`);
      writeFileSync(join(root, name, 'brightness'), `${value}\n`);
      writeFileSync(join(root, name, 'max_brightness'), `${max}\n`);
    }
    setEnv({ CONDUCTOR_BACKLIGHT_DIR: root });
    try {
      expect(await system({ op: 'brightness' })).toEqual({ ok: true, op: 'brightness', brightness: 70 });
      setEnv({ CONDUCTOR_BACKLIGHT_DIR: join(dir, 'no-backlight') });
      expect(await system({ op: 'brightness' })).toEqual({ ok: false, op: 'brightness', error: `no backlight device found (in ${join(dir, 'no-backlight')})` });
    } finally {
      restoreEnv();
    }
  });

  it('reports a tool that outlives the deadline as a timeout in the response; the call still returns', async () => {
    const bin = join(dir, 'slow-bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'busctl'), '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 });
    setEnv({ PATH: `${bin}:${savedEnv.PATH ?? ''}` });
    try {
      const t0 = performance.now();
      const res = await system({ op: 'sleep' }, { callTimeoutMs: 1000 });
      const ms = performance.now() - t0;
      expect(res).toMatchObject({ ok: false, op: 'sleep' });
      const m = /^timed out after (\d+) ms \(the call's deadline\); busctl was killed$/.exec(String(res.error));
      expect(Number(m?.[1]), String(res.error)).toBeGreaterThan(500); // 1000 ms minus the margin (100 ms) minus time spent
      expect(Number(m?.[1])).toBeLessThanOrEqual(900);
      expect(ms).toBeLessThan(3000);
    } finally {
      restoreEnv();
    }
  });
});

const dbusMissing = dbusPeersMissing();
if (dbusMissing) console.warn(`skipping conductor.system D-Bus tests: ${dbusMissing}`);

describe.skipIf(dbusMissing !== null)('conductor.system: logind and ScreenSaver over D-Bus (dbusmock)', () => {
  const peers = () => new Peers(dir);
  let started: Peers;
  let systemBus: string;
  let sessionBus: string;
  let emptyBus: string;
  let logindLog: string;
  let saverLog: string;

  beforeAll(async () => {
    started = peers();
    [systemBus, sessionBus, emptyBus] = await Promise.all([started.bus('system-bus', 'system'), started.bus('session-bus', 'session'), started.bus('empty-bus', 'system')]);
    logindLog = join(dir, 'logind-calls.log');
    saverLog = join(dir, 'screensaver-calls.log');
    await Promise.all([
      started.dbusmock('logind', systemBus, 'org.freedesktop.login1', ['--template', 'logind', '--logfile', logindLog], 'system'),
      started.dbusmock('screensaver', sessionBus, 'org.freedesktop.ScreenSaver', ['--session', '--logfile', saverLog, 'org.freedesktop.ScreenSaver', '/org/freedesktop/ScreenSaver', 'org.freedesktop.ScreenSaver'], 'session'),
    ]);
    // The caller's session: logind resolves "auto" to it; the mock answers with c7, which has SetBrightness.
    const mock = 'org.freedesktop.DBus.Mock';
    busCall(systemBus, 'org.freedesktop.login1', '/org/freedesktop/login1', mock, 'AddSession', 'ssusb', 'c7', 'seat0', '1000', 'alice', 'true');
    busCall(systemBus, 'org.freedesktop.login1', '/org/freedesktop/login1', mock, 'AddMethod', 'sssss', 'org.freedesktop.login1.Manager', 'GetSession', 's', 'o', 'ret = "/org/freedesktop/login1/session/c7"');
    busCall(systemBus, 'org.freedesktop.login1', '/org/freedesktop/login1/session/c7', mock, 'AddMethod', 'sssss', 'org.freedesktop.login1.Session', 'SetBrightness', 'ssu', '', '');
    busCall(sessionBus, 'org.freedesktop.ScreenSaver', '/org/freedesktop/ScreenSaver', mock, 'AddMethod', 'sssss', '', 'Lock', '', '', '');
  });
  afterAll(() => started.stopAll());
  afterEach(restoreEnv);

  const useBuses = (system: string, session: string) => setEnv({ DBUS_SYSTEM_BUS_ADDRESS: system, DBUS_SESSION_BUS_ADDRESS: session });
  const newCalls = (log: string, before: number) => mockCalls(log).slice(before);

  it('lock_screen calls logind LockSession("auto") (the caller\'s session)', async () => {
    useBuses(systemBus, sessionBus);
    const before = mockCalls(logindLog).length;
    expect(await system({ op: 'lock_screen' })).toEqual({ ok: true, op: 'lock_screen' });
    expect(newCalls(logindLog, before)).toEqual(['LockSession "auto"']);
  });

  it('sleep calls logind Suspend(false)', async () => {
    useBuses(systemBus, sessionBus);
    const before = mockCalls(logindLog).length;
    expect(await system({ op: 'sleep' })).toEqual({ ok: true, op: 'sleep' });
    expect(newCalls(logindLog, before)).toEqual(['Suspend False']);
  });

  it('brightness set/change go to the session\'s SetBrightness("backlight", device, raw)', async () => {
    useBuses(systemBus, sessionBus);
    const root = join(dir, 'backlight-dbus');
    mkdirSync(join(root, 'intel_backlight'), { recursive: true });
    writeFileSync(join(root, 'intel_backlight', 'brightness'), '96000\n');
    writeFileSync(join(root, 'intel_backlight', 'max_brightness'), '120000\n');
    setEnv({ CONDUCTOR_BACKLIGHT_DIR: root });
    const before = mockCalls(logindLog).length;
    expect(await system({ op: 'brightness', set: 25 })).toEqual({ ok: true, op: 'brightness', brightness: 25 });
    expect(await system({ op: 'brightness', change: -90 })).toEqual({ ok: true, op: 'brightness', brightness: 0 }); // 80 − 90, clamped
    expect(await system({ op: 'brightness', change: 15 })).toEqual({ ok: true, op: 'brightness', brightness: 95 });
    expect(newCalls(logindLog, before)).toEqual([
      'GetSession "auto"',
      'SetBrightness "backlight" "intel_backlight" 30000',
      'GetSession "auto"',
      'SetBrightness "backlight" "intel_backlight" 0',
      'GetSession "auto"',
      'SetBrightness "backlight" "intel_backlight" 114000',
    ]);
  });

  it('works through dbus-send where busctl is not installed', async () => {
    useBuses(systemBus, sessionBus);
    setEnv({ PATH: pathWith(dir, ['dbus-send']) });
    const before = mockCalls(logindLog).length;
    expect(await system({ op: 'lock_screen' })).toEqual({ ok: true, op: 'lock_screen' });
    expect(await system({ op: 'sleep' })).toEqual({ ok: true, op: 'sleep' });
    expect(newCalls(logindLog, before)).toEqual(['LockSession "auto"', 'Suspend False']);
  });

  it('without logind, lock_screen falls back to org.freedesktop.ScreenSaver.Lock on the session bus and says so', async () => {
    useBuses(emptyBus, sessionBus);
    const before = mockCalls(saverLog).length;
    const p = await load(probe, ['systemcontrol']);
    const r = p.runtime.execute('{"op":"lock_screen"}');
    expect(responseOf(r)).toEqual({ ok: true, op: 'lock_screen' });
    expect(r.log.join('\n')).toMatch(/\[info\] conductor\.system: locked through org\.freedesktop\.ScreenSaver on the session bus \(logind is not running/);
    expect(newCalls(saverLog, before)).toEqual(['Lock']);
  });

  it('says plainly when logind is not running, or there is no bus at all', async () => {
    useBuses(emptyBus, emptyBus);
    expect(await system({ op: 'sleep' })).toEqual({
      ok: false,
      op: 'sleep',
      error: 'logind is not running (The name org.freedesktop.login1 was not provided by any .service files)',
    });
    const lock = await system({ op: 'lock_screen' });
    expect(lock).toMatchObject({ ok: false, op: 'lock_screen' });
    expect(String(lock.error)).toMatch(/^logind is not running \(.*\); org\.freedesktop\.ScreenSaver is not running \(/);
    useBuses(`unix:path=${join(dir, 'no-such-socket')}`, `unix:path=${join(dir, 'no-such-socket')}`);
    expect(await system({ op: 'sleep' })).toEqual({ ok: false, op: 'sleep', error: 'no D-Bus system bus (Failed to connect to bus: No such file or directory)' });
  });

  it('returns -(needed) when the out buffer is too small, and the full response with a big enough one', async () => {
    useBuses(systemBus, sessionBus);
    const small = await load(await systemProbe(16), ['systemcontrol']);
    const response = '{"ok":true,"op":"lock_screen"}';
    expect(small.runtime.execute('{"op":"lock_screen"}').code).toBe(-response.length);
    const exact = await load(await systemProbe(response.length), ['systemcontrol']);
    expect(responseOf(exact.runtime.execute('{"op":"lock_screen"}'))).toEqual(JSON.parse(response));
  });
});

const audioMissing = audioPeersMissing();
if (audioMissing) console.warn(`skipping conductor.system volume tests: ${audioMissing}`);

describe.skipIf(audioMissing !== null)('conductor.system: volume on a headless PipeWire (pactl, wpctl)', () => {
  let started: Peers;
  let runtimeDir: string;

  beforeAll(async () => {
    started = new Peers(dir);
    runtimeDir = join(dir, 'runtime');
    const sessionBus = await started.bus('audio-session-bus', 'session');
    await started.pipewire(runtimeDir, sessionBus);
  });
  afterAll(() => started.stopAll());
  beforeEach(() => setEnv({ XDG_RUNTIME_DIR: runtimeDir, PULSE_SERVER: undefined }));
  afterEach(restoreEnv);

  it('gets, sets, changes, mutes and unmutes the default sink; pactl reads back the same', async () => {
    expect(await system({ op: 'volume', set: 37 })).toEqual({ ok: true, op: 'volume', volume: 37, muted: false });
    expect(pactlState(runtimeDir)).toEqual({ volume: 37, muted: false });
    expect(await system({ op: 'volume' })).toEqual({ ok: true, op: 'volume', volume: 37, muted: false });
    expect(await system({ op: 'volume', change: -5 })).toEqual({ ok: true, op: 'volume', volume: 32, muted: false });
    expect(pactlState(runtimeDir).volume).toBe(32);
    expect(await system({ op: 'volume', change: 90 })).toEqual({ ok: true, op: 'volume', volume: 100, muted: false });
    expect(pactlState(runtimeDir).volume).toBe(100);
    expect(await system({ op: 'volume', mute: true })).toEqual({ ok: true, op: 'volume', volume: 100, muted: true });
    expect(pactlState(runtimeDir)).toEqual({ volume: 100, muted: true });
    expect(await system({ op: 'volume', mute: false })).toEqual({ ok: true, op: 'volume', volume: 100, muted: false });
    expect(await system({ op: 'volume', change: -100 })).toEqual({ ok: true, op: 'volume', volume: 0, muted: false });
    expect(pactlState(runtimeDir)).toEqual({ volume: 0, muted: false });
  });

  it('uses wpctl where pactl is not installed', async () => {
    setEnv({ PATH: pathWith(dir, ['wpctl']) });
    expect(await system({ op: 'volume', set: 55 })).toEqual({ ok: true, op: 'volume', volume: 55, muted: false });
    expect(await system({ op: 'volume', change: 5 })).toEqual({ ok: true, op: 'volume', volume: 60, muted: false });
    expect(await system({ op: 'volume', mute: true })).toEqual({ ok: true, op: 'volume', volume: 60, muted: true });
    expect(pactlState(runtimeDir)).toEqual({ volume: 60, muted: true });
    expect(await system({ op: 'volume', mute: false })).toMatchObject({ muted: false });
  });

  it('says plainly when there is no sound server, or no tool', async () => {
    setEnv({ XDG_RUNTIME_DIR: join(dir, 'empty-runtime') });
    mkdirSync(join(dir, 'empty-runtime'), { recursive: true });
    expect(await system({ op: 'volume' })).toEqual({
      ok: false,
      op: 'volume',
      error: 'no PulseAudio/PipeWire server (pactl: Connection failure: Connection refused)',
    });
    setEnv({ PATH: pathWith(dir, ['true']) });
    expect(await system({ op: 'volume', mute: true })).toEqual({
      ok: false,
      op: 'volume',
      error: 'neither pactl nor wpctl is installed (Debian: pulseaudio-utils or wireplumber)',
    });
  });
});
