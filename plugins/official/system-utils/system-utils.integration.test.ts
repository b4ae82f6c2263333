// The official System Utilities plugin (issue #14) as the app runs it: resources/plugins/system-utils.wasm in a real
// sandbox process (createPlugin), against real peers the test starts — a private system bus with python3-dbusmock's
// logind, a fake backlight, a headless PipeWire with a null sink — each action checked on the peer, timed.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionParams, CallResult, PluginHostEvent } from '../../../src-shared/plugin';
import { createPlugin, type PluginHandle } from '../../../src-main/plugins/host/create-plugin';
import { audioPeersMissing, busCall, dbusPeersMissing, mockCalls, pactlState, Peers } from '../../../src-main/plugins/sandbox/test-support/system-peers';

const WASM = fileURLToPath(new URL('../../../resources/plugins/system-utils.wasm', import.meta.url));
const missing = dbusPeersMissing() ?? audioPeersMissing();
if (missing) console.warn(`System Utilities tests skipped: ${missing}`);

const ENV_KEYS = ['DBUS_SYSTEM_BUS_ADDRESS', 'DBUS_SESSION_BUS_ADDRESS', 'XDG_RUNTIME_DIR', 'PULSE_SERVER', 'CONDUCTOR_BACKLIGHT_DIR'] as const;
const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));

describe.skipIf(missing !== null)('the System Utilities plugin against logind (dbusmock), a backlight and PipeWire', () => {
  let dir: string;
  let peers: Peers;
  let logindLog: string;
  let runtimeDir: string;
  let plugin: PluginHandle;
  const events: PluginHostEvent[] = [];
  const roundTrips: Record<string, number> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'conductor-system-utils-'));
    peers = new Peers(dir);
    const systemBus = await peers.bus('system-bus', 'system');
    const sessionBus = await peers.bus('session-bus', 'session');
    logindLog = join(dir, 'logind.log');
    await peers.dbusmock('logind', systemBus, 'org.freedesktop.login1', ['--template', 'logind', '--logfile', logindLog], 'system');
    const mock = 'org.freedesktop.DBus.Mock';
    busCall(systemBus, 'org.freedesktop.login1', '/org/freedesktop/login1', mock, 'AddSession', 'ssusb', 'c7', 'seat0', '1000', 'alice', 'true');
    busCall(systemBus, 'org.freedesktop.login1', '/org/freedesktop/login1', mock, 'AddMethod', 'sssss', 'org.freedesktop.login1.Manager', 'GetSession', 's', 'o', 'ret = "/org/freedesktop/login1/session/c7"');
    busCall(systemBus, 'org.freedesktop.login1', '/org/freedesktop/login1/session/c7', mock, 'AddMethod', 'sssss', 'org.freedesktop.login1.Session', 'SetBrightness', 'ssu', '', '');
    runtimeDir = join(dir, 'runtime');
    await peers.pipewire(runtimeDir, sessionBus);
    const backlight = join(dir, 'backlight', 'intel_backlight');
    mkdirSync(backlight, { recursive: true });
    writeFileSync(join(backlight, 'brightness'), '500\n');
    writeFileSync(join(backlight, 'max_brightness'), '1000\n');
    // The sandbox process takes these from the app's environment (sandboxEnv); the plugin itself sees none of them.
    Object.assign(process.env, { DBUS_SYSTEM_BUS_ADDRESS: systemBus, DBUS_SESSION_BUS_ADDRESS: sessionBus, XDG_RUNTIME_DIR: runtimeDir, CONDUCTOR_BACKLIGHT_DIR: join(dir, 'backlight') });
    delete process.env.PULSE_SERVER;
    plugin = createPlugin({ wasmPath: WASM, grants: ['systemcontrol'], dataDir: join(dir, 'data') });
    plugin.onDidHostEvent((e) => events.push(e));
    await plugin.loaded;
    expect(plugin.snapshot()).toMatchObject({ state: 'ready', metadata: { name: 'system-utils', capabilities: ['systemcontrol'] } });
  });

  afterAll(async () => {
    await plugin?.close();
    await peers?.stopAll();
    for (const [k, v] of Object.entries(savedEnv)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    if (Object.keys(roundTrips).length > 0) console.log(`system-utils round trips (ms, call → peer state seen): ${JSON.stringify(roundTrips)}`);
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs an action and records its round trip: from the call to the peer showing the change (`seen`). */
  async function act(params: ActionParams, seen: () => boolean): Promise<CallResult> {
    const t0 = performance.now();
    const result = await plugin.call(params, { trigger: 'test', mode: 'Default', timestamp: Date.now() });
    expect(result, JSON.stringify(result)).toMatchObject({ ok: true, code: 0 });
    expect(seen()).toBe(true);
    roundTrips[String(params.action)] = Math.round((performance.now() - t0) * 100) / 100;
    return result;
  }

  it('lock_screen and sleep reach logind', async () => {
    const before = mockCalls(logindLog).length;
    await act({ action: 'lock_screen' }, () => mockCalls(logindLog).slice(before).includes('LockSession "auto"'));
    await act({ action: 'sleep' }, () => mockCalls(logindLog).slice(before).includes('Suspend False'));
  });

  it('brightness: set, up and down go to the session\'s SetBrightness with raw values of the backlight', async () => {
    const before = mockCalls(logindLog).length;
    const r = await act({ action: 'set_brightness', percent: 30 }, () => mockCalls(logindLog).slice(before).includes('SetBrightness "backlight" "intel_backlight" 300'));
    expect(r.log).toContain('[info] set_brightness: brightness 30%');
    // The fake backlight still reads 500/1000 (logind writes sysfs on a real system): up 10 → 60 %, down 10 → 40 %.
    await act({ action: 'brightness_up' }, () => mockCalls(logindLog).slice(before).includes('SetBrightness "backlight" "intel_backlight" 600'));
    await act({ action: 'brightness_down', step: 10 }, () => mockCalls(logindLog).slice(before).includes('SetBrightness "backlight" "intel_backlight" 400'));
  });

  it('volume: set, up, down, mute and unmute change the default sink (read back with pactl)', async () => {
    await act({ action: 'set_volume', percent: 40 }, () => pactlState(runtimeDir).volume === 40);
    await act({ action: 'volume_up', step: 15 }, () => pactlState(runtimeDir).volume === 55);
    await act({ action: 'volume_down' }, () => pactlState(runtimeDir).volume === 45);
    await act({ action: 'mute' }, () => pactlState(runtimeDir).muted);
    await act({ action: 'unmute' }, () => !pactlState(runtimeDir).muted);
  });

  it('notify asks the host for a notification', async () => {
    await act({ action: 'notify', title: 'Scene saved', body: 'Scene 3 is stored' }, () =>
      events.some((e) => e.kind === 'notify' && e.title === 'Scene saved' && e.body === 'Scene 3 is stored'),
    );
  });

  it('bad parameters and unknown actions are plain errors', async () => {
    const ctx = { trigger: 'test', mode: 'Default', timestamp: Date.now() };
    expect(await plugin.call({ action: 'set_volume', percent: 140 }, ctx)).toMatchObject({ ok: false, code: 2 });
    expect(await plugin.call({ action: 'notify' }, ctx)).toMatchObject({ ok: false, code: 2, log: ['[error] notify needs a "title"'] });
    expect(await plugin.call({ action: 'reboot' }, ctx)).toMatchObject({ ok: false, code: 1, log: ['[error] unknown action "reboot"'] });
  });

  it('without the grant, nothing reaches the desktop', async () => {
    const denied = createPlugin({ wasmPath: WASM, grants: [], dataDir: join(dir, 'data2') });
    try {
      await denied.loaded;
      const r = await denied.call({ action: 'mute' }, { trigger: 'test', mode: 'Default', timestamp: Date.now() });
      expect(r).toMatchObject({ ok: false, errorKind: 'capability' });
      expect(readFileSync(logindLog, 'utf8')).not.toContain('Mute');
    } finally {
      await denied.close();
    }
  });
});
