// The built Spotify plugin (resources/plugins/spotify.wasm) in the real sandbox against the Web API stand-in
// (../test-support/spotify-standin.ts) on 127.0.0.1: every action's exact requests and state change, and every error path.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { CallResult } from '../../../src-shared/plugin';
import { createPlugin, type PluginHandle } from '../../../src-main/plugins/host/create-plugin';
import { SpotifyStandin, type PlayerState } from '../test-support/spotify-standin';

const WASM = fileURLToPath(new URL('../../../resources/plugins/spotify.wasm', import.meta.url));

let standin: SpotifyStandin;
let plugin: PluginHandle;
let token = '';
let dataDir: string;
/** Round trips by action: call start → the stand-in answered the request that changed its state (ms). */
const roundTrips: Record<string, number[]> = {};

function initialPlayer(): PlayerState {
  return {
    premium: true,
    device: { id: 'standin-device-1', name: 'Stand-in speaker', type: 'Computer', volume_percent: 50 },
    is_playing: false,
    shuffle_state: false,
    repeat_state: 'off',
    track: 2,
    progress_ms: 0,
  };
}

async function call(params: Record<string, string | number | boolean>, label = String(params.action), handle = plugin): Promise<{ result: CallResult; ms: number; requests: string[] }> {
  standin.resetLog();
  const t0 = performance.now();
  const result = await handle.call({ action: String(params.action), ...params }, { trigger: 'test', mode: 'Default', timestamp: Date.now() });
  const ms = performance.now() - t0;
  const changed = standin.requests.find((r) => r.changedState);
  if (result.ok && changed) (roundTrips[label] ??= []).push(Math.round((changed.answeredAt - t0) * 10) / 10);
  const requests = standin.requests.map((r) => `${r.method} ${r.path}${Object.keys(r.query).length ? `?${new URLSearchParams(r.query)}` : ''} ${r.status}`);
  return { result, ms, requests };
}

/** Runs an action that must succeed; returns its log. */
async function ok(params: Record<string, string | number | boolean>, requests: string[]): Promise<string[]> {
  const r = await call(params);
  expect(r.result, JSON.stringify(r.result)).toMatchObject({ ok: true, code: 0 });
  expect(r.requests).toEqual(requests);
  return r.result.log;
}

/** Runs an action that must fail; returns its error line. */
async function refused(params: Record<string, string | number | boolean>, code: number): Promise<{ line: string; ms: number; requests: string[] }> {
  const r = await call(params);
  expect(r.result.ok, JSON.stringify(r.result)).toBe(false);
  expect(r.result.code).toBe(code);
  const errors = r.result.log.filter((l) => l.startsWith('[error] '));
  expect(errors).toHaveLength(1);
  return { line: (errors[0] ?? '').slice('[error] '.length), ms: r.ms, requests: r.requests };
}

beforeAll(async () => {
  standin = new SpotifyStandin();
  await standin.start();
  token = standin.issueToken().access_token;
  dataDir = mkdtempSync(join(tmpdir(), 'conductor-spotify-'));
  plugin = createPlugin({ wasmPath: WASM, grants: ['network'], dataDir, settings: { api_base: standin.url, accounts_base: standin.url, access_token: token } });
  await plugin.loaded;
});

afterAll(async () => {
  await plugin?.close();
  await standin?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  // One JSON line: ms from call start to the stand-in answering the request that changed its state.
  console.log(JSON.stringify({ spotifyRoundTripsMs: roundTrips }));
});

beforeEach(() => {
  standin.player = initialPlayer();
  standin.clearFailures();
  plugin.setSettings({ api_base: standin.url, accounts_base: standin.url, access_token: token });
});

describe('spotify plugin: actions change the stand-in exactly', () => {
  it('play, pause, play_pause (GET then the opposite)', async () => {
    const first = await call({ action: 'play' }, 'play (first call: compiles the module)');
    expect(first.result.log).toEqual(['[info] Spotify: playing']);
    expect(first.requests).toEqual(['PUT /v1/me/player/play 204']);
    expect(standin.player).toEqual({ ...initialPlayer(), is_playing: true });
    standin.player.is_playing = false;
    expect(await ok({ action: 'play' }, ['PUT /v1/me/player/play 204'])).toEqual(['[info] Spotify: playing']);
    const sent = standin.requests[0];
    expect(sent?.headers.authorization).toBe(`Bearer ${token}`);
    expect(sent?.headers['content-length']).toBe('0');
    expect(await ok({ action: 'pause' }, ['PUT /v1/me/player/pause 204'])).toEqual(['[info] Spotify: paused']);
    expect(standin.player).toEqual(initialPlayer());
    expect(await ok({ action: 'play_pause' }, ['GET /v1/me/player 200', 'PUT /v1/me/player/play 204'])).toEqual(['[info] Spotify: playing']);
    expect(standin.player.is_playing).toBe(true);
    expect(await ok({ action: 'play_pause' }, ['GET /v1/me/player 200', 'PUT /v1/me/player/pause 204'])).toEqual(['[info] Spotify: paused']);
    expect(standin.player).toEqual(initialPlayer());
  });

  it('next_track, previous_track', async () => {
    expect(await ok({ action: 'next_track' }, ['POST /v1/me/player/next 204'])).toEqual(['[info] Spotify: next track']);
    expect(standin.player).toEqual({ ...initialPlayer(), track: 3 });
    await ok({ action: 'previous_track' }, ['POST /v1/me/player/previous 204']);
    await ok({ action: 'previous_track' }, ['POST /v1/me/player/previous 204']);
    expect(standin.player).toEqual({ ...initialPlayer(), track: 1 });
  });

  it('volume_up / volume_down (step, clamped to 0..100), set_volume', async () => {
    const vol = (): number | null | undefined => standin.player.device?.volume_percent;
    expect(await ok({ action: 'volume_up' }, ['GET /v1/me/player 200', 'PUT /v1/me/player/volume?volume_percent=60 204'])).toEqual(['[info] Spotify: volume 60%']);
    expect(vol()).toBe(60);
    await ok({ action: 'volume_down', step: 25 }, ['GET /v1/me/player 200', 'PUT /v1/me/player/volume?volume_percent=35 204']);
    await ok({ action: 'volume_up', step: '100' }, ['GET /v1/me/player 200', 'PUT /v1/me/player/volume?volume_percent=100 204']);
    expect(vol()).toBe(100);
    await ok({ action: 'set_volume', percent: 7 }, ['PUT /v1/me/player/volume?volume_percent=7 204']);
    await ok({ action: 'volume_down' }, ['GET /v1/me/player 200', 'PUT /v1/me/player/volume?volume_percent=0 204']);
    expect(vol()).toBe(0);
    expect(await ok({ action: 'set_volume', percent: '42' }, ['PUT /v1/me/player/volume?volume_percent=42 204'])).toEqual(['[info] Spotify: volume 42%']);
    expect(standin.player).toEqual({ ...initialPlayer(), device: { ...initialPlayer().device!, volume_percent: 42 } });
  });

  it('shuffle (state or toggle), repeat (state or cycle off → context → track → off)', async () => {
    expect(await ok({ action: 'shuffle' }, ['GET /v1/me/player 200', 'PUT /v1/me/player/shuffle?state=true 204'])).toEqual(['[info] Spotify: shuffle on']);
    expect(standin.player.shuffle_state).toBe(true);
    await ok({ action: 'shuffle' }, ['GET /v1/me/player 200', 'PUT /v1/me/player/shuffle?state=false 204']);
    await ok({ action: 'shuffle', state: true }, ['PUT /v1/me/player/shuffle?state=true 204']);
    await ok({ action: 'shuffle', state: 'false' }, ['PUT /v1/me/player/shuffle?state=false 204']);
    expect(standin.player.shuffle_state).toBe(false);
    const cycle: string[] = [];
    for (let i = 0; i < 3; i++) {
      await ok({ action: 'repeat' }, ['GET /v1/me/player 200', `PUT /v1/me/player/repeat?state=${['context', 'track', 'off'][i]} 204`]);
      cycle.push(standin.player.repeat_state);
    }
    expect(cycle).toEqual(['context', 'track', 'off']);
    expect(await ok({ action: 'repeat', state: 'track' }, ['PUT /v1/me/player/repeat?state=track 204'])).toEqual(['[info] Spotify: repeat track']);
    expect(standin.player).toEqual({ ...initialPlayer(), repeat_state: 'track' });
  });
});

describe('spotify plugin: errors', () => {
  it('no active device (404 NO_ACTIVE_DEVICE, or 204 from GET /v1/me/player)', async () => {
    standin.player.device = null;
    expect((await refused({ action: 'play' }, 6)).line).toBe('open Spotify on a device first (no active device)');
    expect(await refused({ action: 'volume_up' }, 6)).toMatchObject({ line: 'open Spotify on a device first (no active device)', requests: ['GET /v1/me/player 204'] });
    expect(await refused({ action: 'play_pause' }, 6)).toMatchObject({ requests: ['GET /v1/me/player 204', 'PUT /v1/me/player/play 404'] });
    expect(standin.player.is_playing).toBe(false);
  });

  it('Premium required (403 PREMIUM_REQUIRED); other refusals with Spotify message and status', async () => {
    standin.player.premium = false;
    expect((await refused({ action: 'next_track' }, 6)).line).toBe('this needs Spotify Premium');
    standin.player.premium = true;
    expect((await refused({ action: 'pause' }, 6)).line).toBe('Spotify: Player command failed: Restriction violated (HTTP 403)');
    standin.failNext({ status: 503 });
    expect((await refused({ action: 'play' }, 6)).line).toBe('Spotify: Service unavailable (HTTP 503)');
    standin.player.device!.volume_percent = null;
    expect((await refused({ action: 'volume_down' }, 6)).line).toBe('this Spotify device has no volume control');
    expect(standin.player).toEqual({ ...initialPlayer(), device: { ...initialPlayer().device!, volume_percent: null } });
  });

  it('401: an expired or unknown token', async () => {
    const short = standin.issueToken();
    plugin.setSettings({ api_base: standin.url, access_token: short.access_token });
    standin.expireTokens(short.access_token);
    const expired = await refused({ action: 'play' }, 5);
    expect(expired.line).toBe('Spotify refused the access token — reconnect Spotify in the plugin\'s settings');
    expect(expired.requests).toEqual(['PUT /v1/me/player/play 401']);
    plugin.setSettings({ api_base: standin.url, access_token: 'not-a-token' });
    expect((await refused({ action: 'shuffle' }, 5)).line).toBe('Spotify refused the access token — reconnect Spotify in the plugin\'s settings');
    expect(standin.player).toEqual(initialPlayer());
  });

  it('no token at all', async () => {
    plugin.setSettings({ api_base: standin.url });
    const r = await refused({ action: 'play' }, 5);
    expect(r).toMatchObject({ line: "connect Spotify in the plugin's settings (or set access_token)", requests: [] });
  });

  it('429 with a short Retry-After: waits, then succeeds', async () => {
    standin.failNext({ status: 429, retryAfter: 1 });
    const r = await call({ action: 'next_track' }, 'next_track after 429 (Retry-After: 1)');
    expect(r.result, JSON.stringify(r.result)).toMatchObject({ ok: true });
    expect(r.requests).toEqual(['POST /v1/me/player/next 429', 'POST /v1/me/player/next 204']);
    const [first, second] = standin.requests;
    expect((second?.receivedAt ?? 0) - (first?.answeredAt ?? 0)).toBeGreaterThanOrEqual(990);
    expect(r.ms).toBeLessThan(3000);
    expect(standin.player.track).toBe(3);
  });

  it('429 with a long Retry-After: a clear message at once, no wait', async () => {
    standin.failNext({ status: 429, retryAfter: 30 });
    const r = await refused({ action: 'next_track' }, 7);
    expect(r.line).toBe('Spotify is rate-limiting: try again in 30 s');
    expect(r.ms).toBeLessThan(1500);
    // Twice 2 s in a row: the first wait fits the ~4 s budget, the second does not.
    standin.failNext({ status: 429, retryAfter: 2 });
    standin.failNext({ status: 429, retryAfter: 2 });
    const twice = await refused({ action: 'play' }, 7);
    expect(twice.line).toBe('Spotify is rate-limiting: try again in 2 s');
    expect(twice.requests).toEqual(['PUT /v1/me/player/play 429', 'PUT /v1/me/player/play 429']);
    expect(twice.ms).toBeLessThan(4500);
    expect(standin.player).toEqual(initialPlayer());
  });

  it('bad parameters and unknown actions fail before any request', async () => {
    expect(await refused({ action: 'set_volume' }, 3)).toMatchObject({ line: 'set_volume needs the parameter "percent" (0-100)', requests: [] });
    expect((await refused({ action: 'set_volume', percent: 101 }, 3)).line).toBe('set_volume: "percent" must be a whole number from 0 to 100');
    expect((await refused({ action: 'volume_up', step: 0 }, 3)).line).toBe('volume_up: "step" must be a whole number from 1 to 100');
    expect((await refused({ action: 'repeat', state: 'all' }, 3)).line).toBe('repeat: "state" must be track, context or off (or left out to cycle)');
    expect((await refused({ action: 'shuffle', state: 'yes' }, 3)).line).toBe('shuffle: "state" must be true or false (or left out to toggle)');
    expect((await refused({ action: 'stop' }, 3)).line).toBe('unknown action "stop"');
    expect(standin.player).toEqual(initialPlayer());
  });
});

describe('spotify plugin: the host OAuth token (oauth_token)', () => {
  it('is preferred over access_token; a 401 flags it refused, the host refreshes and the call runs again', async () => {
    const pair = standin.issueToken();
    let current = pair.access_token;
    const asked: boolean[] = [];
    const oauthPlugin = createPlugin({
      wasmPath: WASM,
      grants: ['network'],
      dataDir,
      settings: { api_base: standin.url, accounts_base: standin.url, client_id: standin.clientId, access_token: 'ignored-when-connected' },
      oauthToken: async (_id, force) => {
        asked.push(force);
        if (force) {
          const res = await fetch(`${standin.url}/api/token`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: pair.refresh_token, client_id: standin.clientId }),
          });
          if (!res.ok) return null; // the refresh token was revoked: not connected any more
          current = String(((await res.json()) as { access_token: string }).access_token);
        }
        return { access_token: current, expires_at: Date.now() + 3600_000 };
      },
    });
    try {
      await oauthPlugin.loaded;
      const r1 = await call({ action: 'play' }, 'play (OAuth token)', oauthPlugin);
      expect(r1.result, JSON.stringify(r1.result)).toMatchObject({ ok: true });
      expect(standin.requests[0]?.headers.authorization).toBe(`Bearer ${pair.access_token}`);

      standin.expireTokens(pair.access_token);
      const r2 = await call({ action: 'next_track' }, 'next_track (401, refreshed, run again)', oauthPlugin);
      expect(r2.result, JSON.stringify(r2.result)).toMatchObject({ ok: true, log: ['[info] Spotify: next track'] });
      expect(r2.requests).toEqual(['POST /v1/me/player/next 401', 'POST /api/token 200', 'POST /v1/me/player/next 204']);
      expect(current).not.toBe(pair.access_token);
      expect(standin.requests[2]?.headers.authorization).toBe(`Bearer ${current}`);
      expect(asked.filter((f) => f)).toHaveLength(1);
      expect(standin.player).toEqual({ ...initialPlayer(), is_playing: true, track: 3 });

      standin.revokeToken(pair.refresh_token); // the access token and the refresh token: no refresh possible
      const r3 = await call({ action: 'pause' }, 'pause', oauthPlugin);
      expect(r3.result.ok).toBe(false);
      expect(r3.result.log).toContain("[error] Spotify refused the access token — reconnect Spotify in the plugin's settings");
      expect(r3.requests).toEqual(['PUT /v1/me/player/pause 401', 'POST /api/token 400']);
    } finally {
      await oauthPlugin.close();
    }
  });
});
