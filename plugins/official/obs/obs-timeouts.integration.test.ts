// The OBS plugin against a fake obs-websocket server on 127.0.0.1 that misbehaves (silent, slow, chatty), checking
// that every wait is bounded and stray messages are skipped. Never a real OBS; the server listens on 127.0.0.1 only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import type { CallResult } from '../../../src-shared/plugin';
import { createPlugin, type PluginHandle } from '../../../src-main/plugins/host/create-plugin';

const WASM = fileURLToPath(new URL('../../../resources/plugins/obs-studio.wasm', import.meta.url));

/**
 * silent: accepts the WebSocket, never says Hello · mute: logs in, never answers a request · late: answers each
 * request 2.5 s late, after an unrelated event and a response to another requestId · prompt: answers at once.
 */
type Mode = 'silent' | 'mute' | 'late' | 'prompt';
let mode: Mode = 'prompt';
const requests: { requestType: string; requestId: string; requestData?: unknown }[] = [];

let wss: WebSocketServer;
let port = 0;
let dataDir: string;
let plugin: PluginHandle;

function answer(ws: WebSocket, d: { requestType: string; requestId: string }): void {
  ws.send(JSON.stringify({ op: 7, d: { requestType: d.requestType, requestId: d.requestId, requestStatus: { result: true, code: 100 } } }));
}

function onConnection(ws: WebSocket): void {
  if (mode === 'silent') return;
  ws.send(JSON.stringify({ op: 0, d: { obsWebSocketVersion: '5.1.0', rpcVersion: 1 } }));
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as { op: number; d: { requestType: string; requestId: string; requestData?: unknown } };
    if (msg.op === 1) {
      ws.send(JSON.stringify({ op: 2, d: { negotiatedRpcVersion: 1 } }));
      return;
    }
    if (msg.op !== 6) return;
    requests.push(msg.d);
    if (mode === 'prompt') {
      ws.send(JSON.stringify({ op: 5, d: { eventType: 'StudioModeStateChanged', eventIntent: 1, eventData: { studioModeEnabled: false } } }));
      ws.send(JSON.stringify({ op: 7, d: { requestType: msg.d.requestType, requestId: 'someone-else', requestStatus: { result: false, code: 600 } } }));
      ws.send('not json');
      answer(ws, msg.d);
    } else if (mode === 'late') {
      setTimeout(() => answer(ws, msg.d), 2500);
    }
  });
}

async function call(params: { action: string; [k: string]: string }): Promise<{ result: CallResult; ms: number }> {
  const t0 = performance.now();
  const result = await plugin.call(params, { trigger: 'test', mode: 'Default', timestamp: Date.now() });
  return { result, ms: performance.now() - t0 };
}

beforeAll(async () => {
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (offered) => (offered.has('obswebsocket.json') ? 'obswebsocket.json' : false) });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  port = (wss.address() as AddressInfo).port;
  wss.on('connection', onConnection);
  dataDir = mkdtempSync(join(tmpdir(), 'conductor-obs-fake-'));
  plugin = createPlugin({ wasmPath: WASM, grants: ['network'], dataDir, settings: { port } });
  await plugin.loaded;
});

afterAll(async () => {
  await plugin.close();
  for (const c of wss.clients) c.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('obs-studio plugin: bounded waits against a misbehaving server', () => {
  it('a server that never says Hello fails the call after ~2 s', async () => {
    mode = 'silent';
    const { result, ms } = await call({ action: 'switch_scene', scene_name: 'B' });
    expect(result.ok).toBe(false);
    expect(result.log).toContain(`[error] no obs-websocket 5 greeting from 127.0.0.1:${port} within 2000 ms (is it OBS 28 or newer?)`);
    expect(ms).toBeGreaterThan(1900);
    expect(ms).toBeLessThan(4500);
  });

  it('skips events, answers to other requestIds and non-JSON text; sends the request as obs-websocket 5 defines it', async () => {
    mode = 'prompt';
    requests.length = 0;
    const { result } = await call({ action: 'switch_scene', scene_name: 'Scène "1"' });
    expect(result, JSON.stringify(result.log)).toMatchObject({ ok: true });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ requestType: 'SetCurrentProgramScene', requestData: { sceneName: 'Scène "1"' } });
    expect(requests[0]?.requestId).toMatch(/^conductor-\d+$/);
  });

  it('a request OBS does not answer fails after ~2 s; its late answer is skipped by the next call', async () => {
    mode = 'late';
    requests.length = 0;
    const first = await call({ action: 'start_recording' });
    expect(first.result.ok).toBe(false);
    expect(first.result.log).toContain('[error] OBS did not answer StartRecord within 2000 ms');
    expect(first.ms).toBeLessThan(4500);
    await new Promise((r) => setTimeout(r, 1000)); // the late answer to StartRecord arrives meanwhile
    mode = 'prompt';
    const second = await call({ action: 'stop_recording' });
    expect(second.result, JSON.stringify(second.result.log)).toMatchObject({ ok: true });
    expect(requests.map((r) => r.requestType)).toEqual(['StartRecord', 'StopRecord']);
    expect(second.result.log).toEqual(['[info] OBS: recording stopping']);
  });

  it('a server that logs in but never answers: every call ends within the deadline', async () => {
    mode = 'mute';
    const { result, ms } = await call({ action: 'toggle_source', scene_name: 'A', source_name: 'B' });
    expect(result.ok).toBe(false);
    expect(result.log).toContain('[error] OBS did not answer GetSceneItemId within 2000 ms');
    expect(ms).toBeLessThan(4500);
  });
});
