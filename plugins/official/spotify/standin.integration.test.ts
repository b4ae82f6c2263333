// The Spotify stand-in itself (../test-support/spotify-standin.ts), over real HTTP with fetch: the OAuth endpoints
// (authorize + PKCE token exchange, refresh), token checks on the clock, player state and injected failures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pkceChallenge, SCOPE_MODIFY, SCOPE_READ, SpotifyStandin } from '../test-support/spotify-standin';

const REDIRECT = 'http://127.0.0.1:43210/callback';
const VERIFIER = 'a'.repeat(20) + '-._~' + 'Z9'.repeat(12);
let standin: SpotifyStandin;

async function authorize(params: Record<string, string>): Promise<Response> {
  const q = new URLSearchParams({
    client_id: standin.clientId,
    response_type: 'code',
    redirect_uri: REDIRECT,
    code_challenge_method: 'S256',
    code_challenge: pkceChallenge(VERIFIER),
    state: 'st-1',
    scope: `${SCOPE_READ} ${SCOPE_MODIFY}`,
    ...params,
  });
  return fetch(`${standin.url}/authorize?${q}`, { redirect: 'manual' });
}

async function token(form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${standin.url}/api/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function api(method: string, path: string, accessToken: string): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(`${standin.url}${path}`, { method, headers: { authorization: `Bearer ${accessToken}` } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

beforeAll(async () => {
  standin = new SpotifyStandin({ redirectUris: ['http://127.0.0.1/callback'] });
  await standin.start();
});

afterAll(async () => {
  await standin.stop();
});

describe('Spotify stand-in: accounts (OAuth 2 authorization code + PKCE)', () => {
  it('authorize → code → token → API; refresh; code single use', async () => {
    const res = await authorize({});
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('st-1');
    const code = location.searchParams.get('code') ?? '';
    expect(code).not.toBe('');

    const wrongVerifier = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: standin.clientId, code_verifier: 'b'.repeat(43) });
    expect(wrongVerifier).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'code_verifier was incorrect' } });

    const ok = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: standin.clientId, code_verifier: VERIFIER });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: `${SCOPE_READ} ${SCOPE_MODIFY}` });
    const access = String(ok.body.access_token);
    const refresh = String(ok.body.refresh_token);
    expect((await api('GET', '/v1/me/player', access)).status).toBe(200);

    const again = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: standin.clientId, code_verifier: VERIFIER });
    expect(again.body.error).toBe('invalid_grant');
    expect((await api('GET', '/v1/me/player', access)).status).toBe(401); // reuse of a code revokes what it issued

    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: refresh, client_id: standin.clientId });
    expect(refreshed.body.error).toBe('invalid_grant'); // … including its refresh token
  });

  it('refresh_token grant; expiry by the test clock', async () => {
    const t = standin.issueToken();
    expect((await api('GET', '/v1/me/player', t.access_token)).status).toBe(200);
    standin.advanceClock(3601_000);
    const expired = await api('GET', '/v1/me/player', t.access_token);
    expect(expired).toMatchObject({ status: 401, body: { error: { status: 401, message: 'The access token expired' } } });
    const r = await token({ grant_type: 'refresh_token', refresh_token: t.refresh_token, client_id: standin.clientId });
    expect(r.status).toBe(200);
    expect(r.body.refresh_token).toBeUndefined(); // not rotated by default
    expect((await api('GET', '/v1/me/player', String(r.body.access_token))).status).toBe(200);
    standin.expireTokens(String(r.body.access_token));
    expect((await api('GET', '/v1/me/player', String(r.body.access_token))).status).toBe(401);
  });

  it('refuses bad authorize requests: client and redirect as an error page, the rest as a redirect with error', async () => {
    expect((await authorize({ client_id: 'nope' })).status).toBe(400);
    expect((await authorize({ redirect_uri: 'http://evil.example/callback' })).status).toBe(400);
    expect((await authorize({ redirect_uri: 'http://localhost:43210/callback' })).status).toBe(400);
    for (const [params, error] of [
      [{ code_challenge_method: 'plain' }, 'invalid_request'],
      [{ code_challenge: 'short' }, 'invalid_request'],
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ scope: '' }, 'invalid_scope'],
    ] as const) {
      const res = await authorize(params);
      expect(res.status).toBe(302);
      expect(new URL(res.headers.get('location') ?? '').searchParams.get('error')).toBe(error);
    }
    standin.authorizeDecision = 'deny';
    const denied = new URL((await authorize({})).headers.get('location') ?? '');
    standin.authorizeDecision = 'approve';
    expect(Object.fromEntries(denied.searchParams)).toEqual({ error: 'access_denied', state: 'st-1' });
    expect((await token({ grant_type: 'password', client_id: standin.clientId })).body.error).toBe('unsupported_grant_type');
    expect((await token({ grant_type: 'refresh_token', refresh_token: 'x', client_id: 'other' })).body.error).toBe('invalid_client');
  });
});

describe('Spotify stand-in: Web API player', () => {
  it('state, scope, failures', async () => {
    const t = standin.issueToken();
    expect((await api('PUT', '/v1/me/player/play', t.access_token)).status).toBe(204);
    expect(standin.player.is_playing).toBe(true);
    expect((await api('PUT', '/v1/me/player/volume?volume_percent=101', t.access_token)).status).toBe(400);
    standin.failNext({ status: 429, retryAfter: 3 });
    const limited = await api('POST', '/v1/me/player/next', t.access_token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    standin.failNext({ status: 503 });
    expect((await api('POST', '/v1/me/player/next', t.access_token)).status).toBe(503);
    expect(standin.player.track).toBe(0);
    const readOnly = standin.issueToken({ scope: [SCOPE_READ] });
    expect((await api('POST', '/v1/me/player/next', readOnly.access_token)).body).toEqual({ error: { status: 403, message: 'Insufficient client scope' } });
    standin.player.device = null;
    expect((await api('GET', '/v1/me/player', t.access_token)).status).toBe(204);
    expect((await api('PUT', '/v1/me/player/pause', t.access_token)).body).toMatchObject({ error: { reason: 'NO_ACTIVE_DEVICE' } });
    expect((await api('GET', '/v1/me/player', 'unknown')).body).toEqual({ error: { status: 401, message: 'Invalid access token' } });
    expect(standin.apiRequests().at(-1)).toMatchObject({ method: 'GET', path: '/v1/me/player', status: 401 });
  });
});
