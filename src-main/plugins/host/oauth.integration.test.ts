// Host-mediated OAuth with PKCE (issue #14) against the Spotify stand-in: Connect (authorize redirect with state and
// S256 challenge, one-shot loopback listener, code exchange), tokens kept sealed and never shown, the plugin getting only
// a current access token, refresh when it expires or is refused (the call runs once more), Disconnect, timeout.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { watBytes } from '../../../plugins/fixtures';
import { SpotifyStandin } from '../../../plugins/official/test-support/spotify-standin';
import { PluginManager } from './manager';

let dir: string;
let standin: SpotifyStandin;
let manager: PluginManager;
let wasm: Uint8Array;
const CTX = { trigger: 'test', mode: 'Default', timestamp: 0 };

beforeAll(async () => {
  wasm = await watBytes('oauth');
});

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'conductor-oauth-'));
  standin = new SpotifyStandin({ clientId: 'my-client' });
  await standin.start();
  const plugins = join(dir, 'plugins');
  await mkdir(plugins);
  writeFileSync(join(plugins, 'oauth-demo.wasm'), wasm);
  writeFileSync(
    join(plugins, 'oauth-demo.plugin.toml'),
    [
      'name = "oauth-demo"',
      'capabilities = ["network"]',
      '[[settings]]',
      'name = "client_id"',
      '[[settings]]',
      'name = "accounts_base"',
      'type = "url"',
      '[oauth]',
      'provider = "Spotify"',
      'authorize_url = "{accounts_base}/authorize"',
      'token_url = "{accounts_base}/api/token"',
      'client_id_setting = "client_id"',
      'scopes = ["user-read-playback-state", "user-modify-playback-state"]',
      '',
    ].join('\n'),
  );
  manager = await PluginManager.open({
    pluginsDir: plugins,
    trustedKeysPath: join(dir, 'trusted_keys.toml'),
    grantsPath: join(dir, 'grants.toml'),
    settingsPath: join(dir, 'settings.json'),
    secretsPath: join(dir, 'secrets.json'),
    officialKeyPath: null,
    policy: { requireSignature: false, allowSelfSigned: false },
    host: { spareSandboxes: 0 },
  });
  await manager.discover();
});

afterEach(async () => {
  await manager.shutdown();
  await standin.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** What the browser does: follow the authorize URL (the stand-in approves and redirects) to the loopback callback. */
async function browse(authorizeUrl: string): Promise<{ status: number; text: string }> {
  const first = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(first.status).toBe(302);
  const back = await fetch(first.headers.get('location') ?? '', { redirect: 'manual' });
  return { status: back.status, text: await back.text() };
}

const connected = (): Promise<{ connected: boolean; error: string | null }> =>
  new Promise((resolve) => {
    const off = manager.onDidChangeOAuth((e) => {
      off();
      resolve(e);
    });
  });

describe('OAuth Connect (PKCE) against the stand-in', () => {
  it('connects, gives the plugin only a current access token, refreshes when refused, and disconnects', async () => {
    const handle = manager.get('oauth-demo');
    expect(await handle?.call({ action: 'show' }, CTX)).toMatchObject({ ok: true, log: ['[info] not connected'] });
    await expect(manager.oauthConnect('oauth-demo')).rejects.toThrow(/set client_id in the plugin's settings first/);
    await manager.saveSettings('oauth-demo', { client_id: 'my-client', accounts_base: standin.url });

    const { authorizeUrl } = await manager.oauthConnect('oauth-demo');
    const url = new URL(authorizeUrl);
    expect(url.origin + url.pathname).toBe(`${standin.url}/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'my-client',
      code_challenge_method: 'S256',
      scope: 'user-read-playback-state user-modify-playback-state',
      redirect_uri: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/callback$/),
    });
    expect(url.searchParams.get('state')).toMatch(/^[\w-]{22}$/);
    expect(manager.settingsForm('oauth-demo').oauth).toMatchObject({ provider: 'Spotify', connected: false, pending: true });

    const done = connected();
    const page = await browse(authorizeUrl);
    expect(page).toMatchObject({ status: 200, text: expect.stringContaining('Connected to Spotify') });
    expect(await done).toEqual({ id: 'oauth-demo', connected: true, error: null });
    const form = manager.settingsForm('oauth-demo');
    expect(form.oauth).toEqual({ provider: 'Spotify', scopes: ['user-read-playback-state', 'user-modify-playback-state'], connected: true, pending: false, error: null });
    const issued = standin.tokens[0];
    expect(issued?.refresh_token).toBeTruthy();
    // The form and the stored files never show the tokens in the clear (the secrets file is 0600; here it is not sealed).
    expect(JSON.stringify(form)).not.toContain(issued?.access_token ?? '-');
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).not.toContain(issued?.access_token ?? '-');

    const shown = await handle?.call({ action: 'show' }, CTX);
    expect(JSON.parse((shown?.log[0] ?? '').replace('[info] ', ''))).toEqual({ access_token: issued?.access_token, expires_at: expect.any(Number) });
    expect(shown?.log.join('\n')).not.toContain(issued?.refresh_token ?? '-');

    // "refuse": the plugin says the token was refused; the host refreshes and runs the call once more, which succeeds.
    const retried = await handle?.call({ action: 'refuse' }, CTX);
    expect(standin.tokens.length).toBe(2); // a refresh_token grant issued a new access token
    expect(retried?.log[0]).toContain(standin.tokens[1]?.access_token);
    expect(retried).toMatchObject({ ok: false, code: 1 }); // the plugin refuses again on the retry (it always does)…
    expect(retried?.error).toMatch(/reconnect Spotify in the plugin's settings$/); // …so the user is told to reconnect

    await manager.oauthDisconnect('oauth-demo');
    expect(manager.settingsForm('oauth-demo').oauth).toMatchObject({ connected: false });
    expect(await handle?.call({ action: 'show' }, CTX)).toMatchObject({ log: ['[info] not connected'] });
  });

  it('an expired token is refreshed before the call; a refused refresh forgets the tokens', async () => {
    await manager.saveSettings('oauth-demo', { client_id: 'my-client', accounts_base: standin.url });
    const done = connected();
    await browse((await manager.oauthConnect('oauth-demo')).authorizeUrl);
    await done;
    // Make the stored token look expired: the host refreshes it (stand-in issues a second token) before the call.
    const secrets = JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')) as Record<string, Record<string, string>>;
    const stored = JSON.parse(secrets['oauth-demo']?.['oauth:tokens'] ?? '{}') as { expiresAt: number };
    stored.expiresAt = Date.now() - 1000;
    (secrets['oauth-demo'] as Record<string, string>)['oauth:tokens'] = JSON.stringify(stored);
    writeFileSync(join(dir, 'secrets.json'), JSON.stringify(secrets));
    await manager.settings.load();
    const r = await manager.get('oauth-demo')?.call({ action: 'show' }, CTX);
    expect(r?.log[0]).toContain(standin.tokens[1]?.access_token);

    standin.revokeToken(standin.tokens[0]?.refresh_token ?? '');
    const again = JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')) as Record<string, Record<string, string>>;
    const current = JSON.parse(again['oauth-demo']?.['oauth:tokens'] ?? '{}') as { expiresAt: number };
    current.expiresAt = Date.now() - 1000;
    (again['oauth-demo'] as Record<string, string>)['oauth:tokens'] = JSON.stringify(current);
    writeFileSync(join(dir, 'secrets.json'), JSON.stringify(again));
    await manager.settings.load();
    const refused = await manager.get('oauth-demo')?.call({ action: 'show' }, CTX);
    expect(refused?.log).toEqual(['[info] not connected']);
    expect(manager.settingsForm('oauth-demo').oauth).toMatchObject({ connected: false, error: expect.stringMatching(/refused.*connect again/) });
  });

  it('a wrong state is refused, and the listener serves one callback only', async () => {
    await manager.saveSettings('oauth-demo', { client_id: 'my-client', accounts_base: standin.url });
    const { authorizeUrl } = await manager.oauthConnect('oauth-demo');
    const redirect = new URL(new URL(authorizeUrl).searchParams.get('redirect_uri') ?? '');
    const done = connected();
    const forged = await fetch(`${redirect.href}?code=abc&state=forged`);
    expect(forged.status).toBe(400);
    expect(await done).toMatchObject({ connected: false, error: expect.stringMatching(/did not match this connection request/) });
    await expect(fetch(`${redirect.href}?code=abc&state=again`)).rejects.toThrow(); // closed after one use
    expect(standin.tokens).toHaveLength(0);
  });

  it('a Connect nobody finishes closes its listener after the timeout', async () => {
    await manager.shutdown();
    manager = await PluginManager.open({
      pluginsDir: join(dir, 'plugins'),
      trustedKeysPath: join(dir, 'trusted_keys.toml'),
      grantsPath: join(dir, 'grants.toml'),
      settingsPath: join(dir, 'settings.json'),
      secretsPath: join(dir, 'secrets.json'),
      officialKeyPath: null,
      policy: { requireSignature: false, allowSelfSigned: false },
      host: { spareSandboxes: 0 },
      oauthConnectTimeoutMs: 300,
    });
    await manager.discover();
    await manager.saveSettings('oauth-demo', { client_id: 'my-client', accounts_base: standin.url });
    const done = connected();
    const { authorizeUrl } = await manager.oauthConnect('oauth-demo');
    expect(await done).toMatchObject({ connected: false, error: expect.stringMatching(/was not completed within 1 s; start again/) });
    const redirect = new URL(authorizeUrl).searchParams.get('redirect_uri') ?? '';
    await expect(fetch(`${redirect}?code=x&state=y`)).rejects.toThrow();
  });
});
