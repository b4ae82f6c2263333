// The official OBS Studio plugin (resources/plugins/obs-studio.wasm) in the real runtime against a REAL OBS Studio
// (Xvfb, obs-websocket 5), its effects checked through an independent obs-websocket-js client. Never uses a user's OBS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { OBSWebSocket, type OBSEventTypes } from 'obs-websocket-js';
import type { ActionParams, CallResult, SettingValue } from '../../../src-shared/plugin';
import { createPlugin, type PluginHandle } from '../../../src-main/plugins/host/create-plugin';
import { OBS_SKIP_MESSAGE, ObsServer, obsAvailable } from '../test-support/obs-server';

const WASM = fileURLToPath(new URL('../../../resources/plugins/obs-studio.wasm', import.meta.url));
const PASSWORD = 'conductor-test-pw';
const available = obsAvailable();
if (!available) console.log(OBS_SKIP_MESSAGE);

let obsServer: ObsServer;
let client: OBSWebSocket;
let dataDir: string;
const plugins: PluginHandle[] = [];
/** Per action: call start → OBS's event that shows the change, in ms (printed as one JSON line at the end). */
const roundTrips: Record<string, number[]> = {};
/** Per action: call start → plugin.call resolved (the whole call as the app sees it), in ms. */
const callWallMs: Record<string, number[]> = {};
/** Per action: the call's own durationMs inside the sandbox. */
const callMs: Record<string, number[]> = {};

function context() {
  return { trigger: 'test', mode: 'Default', timestamp: Date.now() };
}

async function openPlugin(settings: Record<string, SettingValue>): Promise<PluginHandle> {
  const plugin = createPlugin({ wasmPath: WASM, grants: ['network'], dataDir, settings });
  plugins.push(plugin);
  await plugin.loaded;
  return plugin;
}

async function connectClient(): Promise<OBSWebSocket> {
  const c = new OBSWebSocket();
  await c.connect(obsServer.url, PASSWORD);
  return c;
}

/**
 * Calls the plugin and waits for OBS's event `event` matching `match`; records the round trip (call start → event
 * arrival at the independent client). Resolves with the call's result.
 */
async function callAndObserve<K extends keyof OBSEventTypes>(
  plugin: PluginHandle,
  params: ActionParams & { action: string },
  event: K,
  match: (data: OBSEventTypes[K]) => boolean,
): Promise<CallResult> {
  let seenAt = 0;
  let off = (): void => {};
  const seen = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} from OBS within 10 s after ${params.action}`)), 10_000);
    const handler = ((data: OBSEventTypes[K]) => {
      if (!match(data)) return;
      seenAt = performance.now();
      clearTimeout(timer);
      resolve();
    }) as (...args: unknown[]) => void;
    client.on(event, handler as never);
    off = () => client.off(event, handler as never);
  });
  const t0 = performance.now();
  const result = await plugin.call(params, context());
  const returnedAt = performance.now();
  expect(result, JSON.stringify(result.log)).toMatchObject({ ok: true, code: 0 });
  try {
    await seen;
  } finally {
    off();
  }
  (roundTrips[params.action] ??= []).push(Math.round((seenAt - t0) * 10) / 10);
  (callWallMs[params.action] ??= []).push(Math.round((returnedAt - t0) * 10) / 10);
  (callMs[params.action] ??= []).push(Math.round(result.durationMs * 10) / 10);
  return result;
}

/** Calls the plugin expecting a failure; returns its error log line. */
async function callFailing(plugin: PluginHandle, params: ActionParams & { action: string }): Promise<{ result: CallResult; message: string }> {
  const result = await plugin.call(params, context());
  expect(result.ok, JSON.stringify(result.log)).toBe(false);
  const line = result.log.find((l) => l.startsWith('[error] ')) ?? '';
  return { result, message: line.replace(/^\[error\] /, '') };
}

async function waitForOutput(kind: 'Record' | 'Stream', active: boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const status = kind === 'Record' ? await client.call('GetRecordStatus') : await client.call('GetStreamStatus');
    if (status.outputActive === active) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`OBS ${kind} did not become ${active ? 'active' : 'inactive'}`);
}

/** The scenes, inputs and stream target the tests use, created through the independent client. */
async function setUpObs(): Promise<{ cardItemId: number }> {
  const { scenes } = await client.call('GetSceneList');
  const names = new Set(scenes.map((s) => String(s.sceneName)));
  for (const name of ['A', 'B']) if (!names.has(name)) await client.call('CreateScene', { sceneName: name });
  // A cut, so a scene switch shows at once (with OBS's default 300 ms fade, the change event comes after the fade).
  await client.call('SetCurrentSceneTransition', { transitionName: 'Cut' });
  await client.call('SetCurrentProgramScene', { sceneName: 'A' });
  const { inputs } = await client.call('GetInputList');
  const inputNames = new Set(inputs.map((i) => String(i.inputName)));
  // A media source: it has audio (so it can be muted) without needing a sound server under Xvfb.
  if (!inputNames.has('Mic')) await client.call('CreateInput', { sceneName: 'A', inputName: 'Mic', inputKind: 'ffmpeg_source', inputSettings: {} });
  if (!inputNames.has('Card')) {
    await client.call('CreateInput', { sceneName: 'A', inputName: 'Card', inputKind: 'color_source_v3', inputSettings: { color: 0xff00ff00 } });
  }
  if (!inputNames.has('Lamp')) await client.call('CreateInput', { sceneName: 'B', inputName: 'Lamp', inputKind: 'color_source_v3', inputSettings: {} });
  // Streaming needs somewhere to go: an MPEG-TS stream over UDP to the discard port goes out without any server.
  await client.call('SetStreamServiceSettings', {
    streamServiceType: 'rtmp_custom',
    streamServiceSettings: { server: 'udp://127.0.0.1:9', key: '' },
  });
  const { sceneItemId } = await client.call('GetSceneItemId', { sceneName: 'A', sourceName: 'Card' });
  return { cardItemId: sceneItemId };
}

describe.skipIf(!available)('obs-studio plugin against a real OBS', () => {
  let plugin: PluginHandle;
  let cardItemId = 0;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'conductor-obs-plugin-'));
    obsServer = await ObsServer.launch({ password: PASSWORD });
    client = await connectClient();
    ({ cardItemId } = await setUpObs());
    plugin = await openPlugin({ host: '127.0.0.1', port: obsServer.port, password: PASSWORD });
  }, 90_000);

  afterAll(async () => {
    console.log(JSON.stringify({ obsPluginRoundTripMs: roundTrips, obsPluginCallWallMs: callWallMs, obsPluginCallDurationMs: callMs }));
    await Promise.all(plugins.map((p) => p.close()));
    try {
      await client?.disconnect();
    } catch {
      // OBS may be gone already
    }
    await obsServer?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('switch_scene changes the program scene, and keeps its connection for the next call', async () => {
    const first = await callAndObserve(plugin, { action: 'switch_scene', scene_name: 'B' }, 'CurrentProgramSceneChanged', (e) => e.sceneName === 'B');
    expect(first.log).toContain('[debug] obs-studio: connected to ws://127.0.0.1:' + obsServer.port);
    expect((await client.call('GetCurrentProgramScene')).currentProgramSceneName).toBe('B');

    const second = await callAndObserve(plugin, { action: 'switch_scene', scene_name: 'A' }, 'CurrentProgramSceneChanged', (e) => e.sceneName === 'A');
    expect(second.log).toEqual(['[info] OBS: switched to scene "A"']); // no new connection
    expect((await client.call('GetCurrentProgramScene')).currentProgramSceneName).toBe('A');
    await callAndObserve(plugin, { action: 'switch_scene', scene_name: 'B' }, 'CurrentProgramSceneChanged', (e) => e.sceneName === 'B');
  });

  it('an unknown scene, input or source is a plain error', async () => {
    expect((await callFailing(plugin, { action: 'switch_scene', scene_name: 'Nope' })).message).toBe('OBS has no scene "Nope"');
    expect((await client.call('GetCurrentProgramScene')).currentProgramSceneName).toBe('B');
    expect((await callFailing(plugin, { action: 'toggle_mute', input_name: 'Nope' })).message).toBe('OBS has no input "Nope"');
    expect((await callFailing(plugin, { action: 'set_mute', input_name: 'Nope', muted: true })).message).toBe('OBS has no input "Nope"');
    expect((await callFailing(plugin, { action: 'toggle_source', scene_name: 'Nope', source_name: 'Card' })).message).toBe('OBS has no scene "Nope"');
    expect((await callFailing(plugin, { action: 'toggle_source', scene_name: 'A', source_name: 'Nope' })).message).toBe(
      'OBS scene "A" has no source "Nope"',
    );
    const missing = await callFailing(plugin, { action: 'switch_scene' });
    expect(missing.message).toBe('switch_scene needs the parameter "scene_name" (a non-empty string)');
    expect(missing.result.code).toBe(3);
    expect((await callFailing(plugin, { action: 'set_mute', input_name: 'Mic' })).message).toBe('set_mute needs the parameter "muted" (true or false)');
    expect((await callFailing(plugin, { action: 'dance' })).message).toBe('unknown action "dance"');
  });

  it('start/stop/toggle_recording drive OBS recording, and say plainly when it is already in that state', async () => {
    const started = (e: OBSEventTypes['RecordStateChanged']): boolean => e.outputState === 'OBS_WEBSOCKET_OUTPUT_STARTED';
    const stopped = (e: OBSEventTypes['RecordStateChanged']): boolean => e.outputState === 'OBS_WEBSOCKET_OUTPUT_STOPPED';
    await callAndObserve(plugin, { action: 'start_recording' }, 'RecordStateChanged', started);
    expect((await client.call('GetRecordStatus')).outputActive).toBe(true);
    const again = await callFailing(plugin, { action: 'start_recording' });
    expect(again.message).toBe('OBS is already recording');
    expect(again.result.code).toBe(6);
    await callAndObserve(plugin, { action: 'stop_recording' }, 'RecordStateChanged', stopped);
    await waitForOutput('Record', false);
    expect((await callFailing(plugin, { action: 'stop_recording' })).message).toBe('OBS is not recording');

    const on = await callAndObserve(plugin, { action: 'toggle_recording' }, 'RecordStateChanged', started);
    expect(on.log).toContain('[info] OBS: recording started');
    expect((await client.call('GetRecordStatus')).outputActive).toBe(true);
    const off = await callAndObserve(plugin, { action: 'toggle_recording' }, 'RecordStateChanged', stopped);
    expect(off.log).toContain('[info] OBS: recording stopped');
    await waitForOutput('Record', false);
  });

  it('start/stop/toggle_streaming drive OBS streaming', async () => {
    const started = (e: OBSEventTypes['StreamStateChanged']): boolean => e.outputState === 'OBS_WEBSOCKET_OUTPUT_STARTED';
    const stopped = (e: OBSEventTypes['StreamStateChanged']): boolean => e.outputState === 'OBS_WEBSOCKET_OUTPUT_STOPPED';
    await callAndObserve(plugin, { action: 'start_streaming' }, 'StreamStateChanged', started);
    expect((await client.call('GetStreamStatus')).outputActive).toBe(true);
    expect((await callFailing(plugin, { action: 'start_streaming' })).message).toBe('OBS is already streaming');
    await callAndObserve(plugin, { action: 'stop_streaming' }, 'StreamStateChanged', stopped);
    await waitForOutput('Stream', false);
    expect((await callFailing(plugin, { action: 'stop_streaming' })).message).toBe('OBS is not streaming');

    await callAndObserve(plugin, { action: 'toggle_streaming' }, 'StreamStateChanged', started);
    expect((await client.call('GetStreamStatus')).outputActive).toBe(true);
    await callAndObserve(plugin, { action: 'toggle_streaming' }, 'StreamStateChanged', stopped);
    await waitForOutput('Stream', false);
  });

  it('toggle_mute and set_mute change the input mute state', async () => {
    expect((await client.call('GetInputMute', { inputName: 'Mic' })).inputMuted).toBe(false);
    const muted = (want: boolean) => (e: OBSEventTypes['InputMuteStateChanged']) => e.inputName === 'Mic' && e.inputMuted === want;
    const t = await callAndObserve(plugin, { action: 'toggle_mute', input_name: 'Mic' }, 'InputMuteStateChanged', muted(true));
    expect(t.log).toContain('[info] OBS: input "Mic" muted');
    expect((await client.call('GetInputMute', { inputName: 'Mic' })).inputMuted).toBe(true);
    await callAndObserve(plugin, { action: 'toggle_mute', input_name: 'Mic' }, 'InputMuteStateChanged', muted(false));
    expect((await client.call('GetInputMute', { inputName: 'Mic' })).inputMuted).toBe(false);
    await callAndObserve(plugin, { action: 'set_mute', input_name: 'Mic', muted: true }, 'InputMuteStateChanged', muted(true));
    expect((await client.call('GetInputMute', { inputName: 'Mic' })).inputMuted).toBe(true);
    // Setting the state it already has succeeds and changes nothing.
    expect(await plugin.call({ action: 'set_mute', input_name: 'Mic', muted: true }, context())).toMatchObject({ ok: true });
    expect((await client.call('GetInputMute', { inputName: 'Mic' })).inputMuted).toBe(true);
    await callAndObserve(plugin, { action: 'set_mute', input_name: 'Mic', muted: false }, 'InputMuteStateChanged', muted(false));
    expect((await client.call('GetInputMute', { inputName: 'Mic' })).inputMuted).toBe(false);
  });

  it('toggle_source hides and shows a scene item', async () => {
    const enabled = async (): Promise<boolean> =>
      (await client.call('GetSceneItemEnabled', { sceneName: 'A', sceneItemId: cardItemId })).sceneItemEnabled;
    expect(await enabled()).toBe(true);
    const item = (want: boolean) => (e: OBSEventTypes['SceneItemEnableStateChanged']) =>
      e.sceneName === 'A' && e.sceneItemId === cardItemId && e.sceneItemEnabled === want;
    const hide = await callAndObserve(plugin, { action: 'toggle_source', scene_name: 'A', source_name: 'Card' }, 'SceneItemEnableStateChanged', item(false));
    expect(hide.log).toContain('[info] OBS: source "Card" hidden in scene "A"');
    expect(await enabled()).toBe(false);
    await callAndObserve(plugin, { action: 'toggle_source', scene_name: 'A', source_name: 'Card' }, 'SceneItemEnableStateChanged', item(true));
    expect(await enabled()).toBe(true);
  });

  it('a wrong or missing password is a clear error', async () => {
    const wrong = await openPlugin({ port: obsServer.port, password: 'not-the-password' });
    const w = await callFailing(wrong, { action: 'switch_scene', scene_name: 'A' });
    expect(w.message).toBe('OBS refused the password (check the password setting)');
    expect(w.result.code).toBe(5);
    expect(JSON.stringify(w.result.log)).not.toContain('not-the-password');
    const none = await openPlugin({ port: obsServer.port });
    expect((await callFailing(none, { action: 'switch_scene', scene_name: 'A' })).message).toBe(
      "OBS needs a password: set password in the plugin's settings",
    );
    expect((await client.call('GetCurrentProgramScene')).currentProgramSceneName).toBe('B');
  });

  it('OBS not running: a clear error', async () => {
    const nowhere = await openPlugin({ port: 1, password: PASSWORD });
    const r = await callFailing(nowhere, { action: 'start_recording' });
    expect(r.message).toBe('OBS is not reachable at 127.0.0.1:1 (is OBS running with its WebSocket server on?)');
    expect(r.result.code).toBe(4);
  });

  it('OBS restarted between calls: the next call reconnects and works', async () => {
    expect((await plugin.call({ action: 'switch_scene', scene_name: 'A' }, context())).ok).toBe(true);
    await obsServer.kill();
    await obsServer.start();
    client = await connectClient();
    ({ cardItemId } = await setUpObs()); // a killed OBS may not have saved the scenes
    await client.call('SetCurrentProgramScene', { sceneName: 'A' });
    const r = await callAndObserve(plugin, { action: 'switch_scene', scene_name: 'B' }, 'CurrentProgramSceneChanged', (e) => e.sceneName === 'B');
    expect(r.log).toContain('[debug] obs-studio: the connection to OBS was closed; reconnecting');
    expect(r.log).toContain('[debug] obs-studio: connected to ws://127.0.0.1:' + obsServer.port);
  }, 90_000);

  it('OBS killed mid-session: the next call fails clearly, and once OBS is back the call after reconnects', async () => {
    expect((await plugin.call({ action: 'switch_scene', scene_name: 'A' }, context())).ok).toBe(true);
    await obsServer.kill();
    const t0 = performance.now();
    const down = await callFailing(plugin, { action: 'switch_scene', scene_name: 'B' });
    const failMs = performance.now() - t0;
    expect(down.message).toBe(`OBS is not reachable at 127.0.0.1:${obsServer.port} (is OBS running with its WebSocket server on?)`);
    expect(failMs).toBeLessThan(3000);

    await obsServer.start();
    client = await connectClient();
    ({ cardItemId } = await setUpObs());
    const r = await callAndObserve(plugin, { action: 'switch_scene', scene_name: 'B' }, 'CurrentProgramSceneChanged', (e) => e.sceneName === 'B');
    expect(r.log).toContain('[debug] obs-studio: connected to ws://127.0.0.1:' + obsServer.port);
    expect((await client.call('GetCurrentProgramScene')).currentProgramSceneName).toBe('B');
  }, 90_000);
});
