// Test support: a stand-in for the Spotify Web API (player endpoints) and accounts service (OAuth 2 + PKCE), a real HTTP
// server on 127.0.0.1 with state, tokens on a clock the test controls, injectable failures and a request log. Tests only.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/** The scopes the player endpoints check: reading the player, and changing it. */
export const SCOPE_READ = 'user-read-playback-state';
export const SCOPE_MODIFY = 'user-modify-playback-state';

export type RepeatState = 'off' | 'context' | 'track';

export interface StandinDevice {
  id: string;
  name: string;
  type: string;
  /** null: a device whose volume cannot be set (Spotify reports null then). */
  volume_percent: number | null;
}

/** The account's player, as the test sees and changes it. `device: null` = no active device. */
export interface PlayerState {
  premium: boolean;
  device: StandinDevice | null;
  is_playing: boolean;
  shuffle_state: boolean;
  repeat_state: RepeatState;
  /** Index into the stand-in's queue of tracks (next/previous move it). */
  track: number;
  progress_ms: number;
}

export interface IssuedToken {
  access_token: string;
  refresh_token: string;
  scope: string[];
  client_id: string;
  /** On the stand-in's clock (ms). */
  issued_at: number;
  expires_at: number;
  /** true once revoked (a refresh rotates the old access token out only when `rotateOnRefresh`). */
  revoked: boolean;
  /** How it came: 'direct' (issueToken), 'authorization_code' or 'refresh_token'. */
  grant: 'direct' | 'authorization_code' | 'refresh_token';
}

export interface LoggedRequest {
  method: string;
  /** Path without the query, e.g. /v1/me/player/volume. */
  path: string;
  query: Record<string, string>;
  /** Request headers (lower-case names). */
  headers: Record<string, string>;
  body: string;
  status: number;
  /** performance.now() when the request arrived and when the answer was sent. */
  receivedAt: number;
  answeredAt: number;
  /** Whether this request changed the player state. */
  changedState: boolean;
}

export interface InjectedFailure {
  /** HTTP status: 429 (with retryAfter) or any 4xx/5xx. */
  status: number;
  /** Seconds, sent as Retry-After. */
  retryAfter?: number;
  /** Spotify's error message; a sensible one by status otherwise. */
  message?: string;
  reason?: string;
  /** Only requests whose path starts with this (default: any /v1/ request). */
  pathPrefix?: string;
}

export interface SpotifyStandinOptions {
  /** The registered app's client id (default "standin-client-id"). */
  clientId?: string;
  /**
   * Registered redirect URIs (default: http://127.0.0.1/callback). A loopback one (127.0.0.1 or [::1]) matches any port
   * (RFC 8252 §7.3); any other must match exactly.
   */
  redirectUris?: string[];
  /** Lifetime of access tokens in seconds (default 3600, as Spotify). */
  tokenLifetimeS?: number;
  /** Whether a refresh issues a new refresh token and revokes the old one (default false: Spotify usually keeps it). */
  rotateOnRefresh?: boolean;
  /** The player at start (merged over the default: premium, a device at 50 %, paused, shuffle off, repeat off). */
  player?: Partial<PlayerState>;
}

/** How /authorize answers a valid request: approve (redirect with a code) or deny (redirect with access_denied). */
export type AuthorizeDecision = 'approve' | 'deny';

interface PendingCode {
  code: string;
  client_id: string;
  redirect_uri: string;
  code_challenge: string;
  scope: string[];
  expires_at: number;
  used: boolean;
}

const TRACKS = ['Track A', 'Track B', 'Track C', 'Track D', 'Track E'];
const CODE_LIFETIME_MS = 10 * 60_000;
const MAX_BODY = 64 * 1024;

function defaultPlayer(): PlayerState {
  return {
    premium: true,
    device: { id: 'standin-device-1', name: 'Stand-in speaker', type: 'Computer', volume_percent: 50 },
    is_playing: false,
    shuffle_state: false,
    repeat_state: 'off',
    track: 0,
    progress_ms: 0,
  };
}

function base64url(bytes: Buffer): string {
  return bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The PKCE S256 challenge of a verifier: base64url(sha256(verifier)), no padding (RFC 7636 §4.2). */
export function pkceChallenge(verifier: string): string {
  return base64url(createHash('sha256').update(verifier, 'ascii').digest());
}

function defaultMessage(status: number): string {
  if (status === 429) return 'API rate limit exceeded';
  if (status === 500) return 'Server error.';
  if (status === 502) return 'Bad gateway.';
  if (status === 503) return 'Service unavailable';
  return `Error ${status}`;
}

function isLoopbackHost(hostname: string): boolean {
  return hostname === '127.0.0.1' || hostname === '[::1]';
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

/**
 * The stand-in. `await start()` listens on 127.0.0.1 (a free port); `url` is then its base (http://127.0.0.1:PORT),
 * serving both the API (`/v1/...`, use as api_base) and the accounts service (`/authorize`, `/api/token`, use as
 * accounts_base). Everything the test needs is a public field or method; the server never touches the filesystem.
 */
export class SpotifyStandin {
  readonly clientId: string;
  readonly redirectUris: string[];
  readonly tokenLifetimeS: number;
  readonly rotateOnRefresh: boolean;
  /** The player; tests may read and change it directly. */
  player: PlayerState;
  /** Every request, in order (OAuth ones included; token values are in the headers as sent). */
  readonly requests: LoggedRequest[] = [];
  /** Every token issued, in order. */
  readonly tokens: IssuedToken[] = [];
  /** How the next valid /authorize is answered. */
  authorizeDecision: AuthorizeDecision = 'approve';

  private server: Server | null = null;
  private baseUrl = '';
  private clockOffsetMs = 0;
  private readonly failures: InjectedFailure[] = [];
  private readonly codes = new Map<string, PendingCode>();
  /** The authorization code a token pair came from. */
  private readonly codeOf = new Map<IssuedToken, string>();

  constructor(options: SpotifyStandinOptions = {}) {
    this.clientId = options.clientId ?? 'standin-client-id';
    this.redirectUris = options.redirectUris ?? ['http://127.0.0.1/callback'];
    this.tokenLifetimeS = options.tokenLifetimeS ?? 3600;
    this.rotateOnRefresh = options.rotateOnRefresh ?? false;
    this.player = { ...defaultPlayer(), ...options.player };
  }

  /** Listens on 127.0.0.1 on a free port; resolves to the base URL. */
  async start(): Promise<string> {
    if (this.server) return this.baseUrl;
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.baseUrl;
  }

  /** Stops listening and drops open connections. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** http://127.0.0.1:PORT (after start()). */
  get url(): string {
    if (!this.baseUrl) throw new Error('SpotifyStandin: call start() first');
    return this.baseUrl;
  }

  // ---- clock and tokens ----

  /** The stand-in's clock in ms: wall-clock time plus what advanceClock() added. Tokens expire by it. */
  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** Moves the clock forward (e.g. past a token's expires_in). */
  advanceClock(ms: number): void {
    this.clockOffsetMs += ms;
  }

  /** Issues an access + refresh token directly (as if the user had connected), with both player scopes by default. */
  issueToken(options: { scope?: string[]; lifetimeS?: number } = {}): IssuedToken {
    return this.mint(options.scope ?? [SCOPE_READ, SCOPE_MODIFY], this.clientId, 'direct', options.lifetimeS);
  }

  /** Makes access tokens expired now: one (by its value) or every one. Refresh tokens stay valid. */
  expireTokens(accessToken?: string): void {
    const at = this.now() - 1;
    for (const t of this.tokens) if (accessToken === undefined || t.access_token === accessToken) t.expires_at = at;
  }

  /** Revokes a token pair (by access or refresh token value): both are then unknown to the API and the token endpoint. */
  revokeToken(value: string): void {
    for (const t of this.tokens) if (t.access_token === value || t.refresh_token === value) t.revoked = true;
  }

  /** The token record for an access token value, if the stand-in issued it. */
  tokenInfo(accessToken: string): IssuedToken | undefined {
    return this.tokens.find((t) => t.access_token === accessToken);
  }

  // ---- failures and log ----

  /** Queues a failure for the next matching API request (several calls queue several, answered in order). */
  failNext(failure: InjectedFailure): void {
    this.failures.push(failure);
  }

  /** Failures queued but not yet used. */
  get pendingFailures(): number {
    return this.failures.length;
  }

  /** Requests to the Web API only (paths under /v1/). */
  apiRequests(): LoggedRequest[] {
    return this.requests.filter((r) => r.path.startsWith('/v1/'));
  }

  /** Clears the request log (queued failures, state and tokens stay). */
  resetLog(): void {
    this.requests.length = 0;
  }

  /** Drops failures queued with failNext that no request has used. */
  clearFailures(): void {
    this.failures.length = 0;
  }

  /** The name of the current track in the stand-in's queue. */
  get trackName(): string {
    return TRACKS[((this.player.track % TRACKS.length) + TRACKS.length) % TRACKS.length] ?? '';
  }

  // ---- the server ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = performance.now();
    const parsed = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query: Record<string, string> = {};
    for (const [k, v] of parsed.searchParams) query[k] = v;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const entry: LoggedRequest = {
      method: req.method ?? 'GET',
      path: parsed.pathname,
      query,
      headers,
      body: '',
      status: 0,
      receivedAt,
      answeredAt: 0,
      changedState: false,
    };
    this.requests.push(entry);
    let status: number;
    let out: unknown;
    let outHeaders: Record<string, string> = {};
    try {
      entry.body = await readBody(req);
      const result = this.route(entry, parsed);
      status = result.status;
      out = result.body;
      outHeaders = result.headers ?? {};
    } catch (err) {
      if (err instanceof HttpError) {
        status = err.status;
        out = err.body;
        outHeaders = err.headers;
      } else {
        status = 500;
        out = { error: { status: 500, message: err instanceof Error ? err.message : String(err) } };
      }
    }
    entry.status = status;
    if (typeof out === 'string') {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...outHeaders });
      res.end(out);
    } else if (out === null) {
      res.writeHead(status, outHeaders);
      res.end();
    } else {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...outHeaders });
      res.end(JSON.stringify(out));
    }
    entry.answeredAt = performance.now();
  }

  private route(entry: LoggedRequest, url: URL): { status: number; body: unknown; headers?: Record<string, string> } {
    const { method, path } = entry;
    if (path === '/authorize') {
      if (method !== 'GET') throw new HttpError(405, 'method not allowed');
      return this.authorize(url);
    }
    if (path === '/api/token') {
      if (method !== 'POST') throw new HttpError(405, { error: 'invalid_request', error_description: 'use POST' });
      return this.token(entry);
    }
    if (!path.startsWith('/v1/')) throw new HttpError(404, apiError(404, 'Service not found'));

    // A PUT/POST must say how long its (possibly empty) body is, as Spotify's front end requires.
    if ((method === 'PUT' || method === 'POST') && entry.headers['content-length'] === undefined && entry.headers['transfer-encoding'] === undefined) {
      throw new HttpError(411, apiError(411, 'Length Required'));
    }
    // The Web API: token first (as Spotify: a bad token is 401 before anything else), then injected failures.
    const token = this.checkBearer(entry.headers.authorization);
    const failure = this.takeFailure(path);
    if (failure) {
      const headers: Record<string, string> = {};
      if (failure.retryAfter !== undefined) headers['retry-after'] = String(failure.retryAfter);
      const err: { status: number; message: string; reason?: string } = { status: failure.status, message: failure.message ?? defaultMessage(failure.status) };
      if (failure.reason) err.reason = failure.reason;
      throw new HttpError(failure.status, { error: err }, headers);
    }
    const p = this.player;
    const key = `${method} ${path}`;
    switch (key) {
      case 'GET /v1/me/player':
        requireScope(token, SCOPE_READ);
        if (!p.device) return { status: 204, body: null };
        return { status: 200, body: this.playbackState() };
      case 'PUT /v1/me/player/play':
        this.command(token);
        p.is_playing = true;
        break;
      case 'PUT /v1/me/player/pause':
        this.command(token);
        if (!p.is_playing) throw new HttpError(403, apiError(403, 'Player command failed: Restriction violated', 'UNKNOWN'));
        p.is_playing = false;
        break;
      case 'POST /v1/me/player/next':
        this.command(token);
        p.track += 1;
        p.progress_ms = 0;
        break;
      case 'POST /v1/me/player/previous':
        this.command(token);
        p.track = Math.max(0, p.track - 1);
        p.progress_ms = 0;
        break;
      case 'PUT /v1/me/player/volume': {
        const volume = intParam(entry.query.volume_percent);
        if (volume === null || volume < 0 || volume > 100) throw new HttpError(400, apiError(400, 'Invalid volume_percent'));
        this.command(token);
        const device = p.device as StandinDevice;
        if (device.volume_percent === null) throw new HttpError(403, apiError(403, 'Player command failed: Cannot control device volume', 'VOLUME_CONTROL_DISALLOW'));
        device.volume_percent = volume;
        break;
      }
      case 'PUT /v1/me/player/shuffle': {
        const state = entry.query.state;
        if (state !== 'true' && state !== 'false') throw new HttpError(400, apiError(400, 'Invalid state'));
        this.command(token);
        p.shuffle_state = state === 'true';
        break;
      }
      case 'PUT /v1/me/player/repeat': {
        const state = entry.query.state;
        if (state !== 'off' && state !== 'context' && state !== 'track') throw new HttpError(400, apiError(400, 'Invalid state'));
        this.command(token);
        p.repeat_state = state;
        break;
      }
      default:
        if (/^\/v1\/me\/player(\/|$)/.test(path)) throw new HttpError(405, apiError(405, 'Method not allowed'));
        throw new HttpError(404, apiError(404, 'Service not found'));
    }
    entry.changedState = true;
    return { status: 204, body: null };
  }

  /** The checks every player command makes after the token: scope, Premium, an active device. */
  private command(token: IssuedToken): void {
    requireScope(token, SCOPE_MODIFY);
    if (!this.player.premium) throw new HttpError(403, apiError(403, 'Player command failed: Premium required', 'PREMIUM_REQUIRED'));
    if (!this.player.device) throw new HttpError(404, apiError(404, 'Player command failed: No active device found', 'NO_ACTIVE_DEVICE'));
  }

  private playbackState(): unknown {
    const p = this.player;
    const d = p.device as StandinDevice;
    return {
      device: { id: d.id, is_active: true, is_private_session: false, is_restricted: false, name: d.name, type: d.type, volume_percent: d.volume_percent, supports_volume: d.volume_percent !== null },
      shuffle_state: p.shuffle_state,
      repeat_state: p.repeat_state,
      timestamp: this.now(),
      context: null,
      progress_ms: p.progress_ms,
      item: { type: 'track', id: `standin-track-${p.track}`, name: this.trackName, duration_ms: 200_000 },
      currently_playing_type: 'track',
      actions: { disallows: p.is_playing ? { resuming: true } : { pausing: true } },
      is_playing: p.is_playing,
    };
  }

  private checkBearer(header: string | undefined): IssuedToken {
    const m = /^Bearer (\S+)$/.exec(header ?? '');
    if (!m) throw new HttpError(401, apiError(401, header ? 'Only valid bearer authentication supported' : 'No token provided'), { 'www-authenticate': 'Bearer realm="spotify"' });
    const token = this.tokens.find((t) => t.access_token === m[1]);
    if (!token || token.revoked) throw new HttpError(401, apiError(401, 'Invalid access token'), { 'www-authenticate': 'Bearer realm="spotify", error="invalid_token"' });
    if (this.now() >= token.expires_at) throw new HttpError(401, apiError(401, 'The access token expired'), { 'www-authenticate': 'Bearer realm="spotify", error="invalid_token"' });
    return token;
  }

  private takeFailure(path: string): InjectedFailure | undefined {
    const i = this.failures.findIndex((f) => path.startsWith(f.pathPrefix ?? '/v1/'));
    if (i < 0) return undefined;
    return this.failures.splice(i, 1)[0];
  }

  // ---- accounts: authorization code with PKCE ----

  private redirectAllowed(uri: string): boolean {
    let u: URL;
    try {
      u = new URL(uri);
    } catch {
      return false;
    }
    for (const registered of this.redirectUris) {
      const r = new URL(registered);
      if (uri === registered) return true;
      if (r.protocol === 'http:' && isLoopbackHost(r.hostname) && u.protocol === 'http:' && u.hostname === r.hostname && u.pathname === r.pathname && u.search === r.search) return true;
    }
    return false;
  }

  private authorize(url: URL): { status: number; body: unknown; headers?: Record<string, string> } {
    const q = url.searchParams;
    const clientId = q.get('client_id');
    const redirectUri = q.get('redirect_uri');
    // As Spotify: a bad client or redirect URI is an error page (never a redirect to an unchecked URI).
    if (clientId !== this.clientId) throw new HttpError(400, 'INVALID_CLIENT: Invalid client');
    if (!redirectUri || !this.redirectAllowed(redirectUri)) throw new HttpError(400, 'INVALID_CLIENT: Invalid redirect URI');
    const back = (params: Record<string, string>): { status: number; body: unknown; headers: Record<string, string> } => {
      const target = new URL(redirectUri);
      for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
      return { status: 302, body: null, headers: { location: target.toString() } };
    };
    const state = q.get('state');
    const withState = (params: Record<string, string>): Record<string, string> => (state === null ? params : { ...params, state });
    if (q.get('response_type') !== 'code') return back(withState({ error: 'unsupported_response_type' }));
    const challenge = q.get('code_challenge');
    if (q.get('code_challenge_method') !== 'S256' || !challenge || !/^[A-Za-z0-9_-]{43}$/.test(challenge)) {
      return back(withState({ error: 'invalid_request', error_description: 'code_challenge_method must be S256 with a code_challenge' }));
    }
    if (!state) return back({ error: 'invalid_request', error_description: 'state is required by this stand-in' });
    const scope = (q.get('scope') ?? '').split(' ').filter((s) => s !== '');
    if (scope.length === 0) return back(withState({ error: 'invalid_scope' }));
    if (this.authorizeDecision === 'deny') return back(withState({ error: 'access_denied' }));
    const code = base64url(randomBytes(24));
    this.codes.set(code, { code, client_id: clientId, redirect_uri: redirectUri, code_challenge: challenge, scope, expires_at: this.now() + CODE_LIFETIME_MS, used: false });
    return back(withState({ code }));
  }

  private token(entry: LoggedRequest): { status: number; body: unknown } {
    const type = (entry.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') throw oauthError(400, 'invalid_request', 'content-type must be application/x-www-form-urlencoded');
    const form = new URLSearchParams(entry.body);
    const clientId = form.get('client_id');
    if (clientId !== this.clientId) throw oauthError(400, 'invalid_client', 'Invalid client');
    const grant = form.get('grant_type');
    if (grant === 'authorization_code') {
      const code = form.get('code') ?? '';
      const pending = this.codes.get(code);
      if (!pending || pending.used || this.now() >= pending.expires_at) {
        // A code used twice revokes what it issued (RFC 6749 §4.1.2).
        if (pending?.used) for (const t of this.tokens) if (this.codeOf.get(t) === code) t.revoked = true;
        throw oauthError(400, 'invalid_grant', 'Invalid authorization code');
      }
      if (form.get('redirect_uri') !== pending.redirect_uri) throw oauthError(400, 'invalid_grant', 'Invalid redirect URI');
      const verifier = form.get('code_verifier') ?? '';
      if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) throw oauthError(400, 'invalid_request', 'code_verifier is missing or malformed');
      if (pkceChallenge(verifier) !== pending.code_challenge) throw oauthError(400, 'invalid_grant', 'code_verifier was incorrect');
      pending.used = true;
      const t = this.mint(pending.scope, clientId, 'authorization_code', undefined, code);
      return { status: 200, body: tokenResponse(t, true, this.tokenLifetimeS) };
    }
    if (grant === 'refresh_token') {
      const value = form.get('refresh_token') ?? '';
      const old = [...this.tokens].reverse().find((t) => t.refresh_token === value);
      if (!old || old.revoked || old.client_id !== clientId) throw oauthError(400, 'invalid_grant', 'Invalid refresh token');
      const t = this.mint(old.scope, clientId, 'refresh_token');
      if (this.rotateOnRefresh) {
        old.revoked = true;
      } else {
        t.refresh_token = old.refresh_token;
      }
      return { status: 200, body: tokenResponse(t, this.rotateOnRefresh, this.tokenLifetimeS) };
    }
    throw oauthError(400, 'unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
  }

  private mint(scope: string[], clientId: string, grant: IssuedToken['grant'], lifetimeS?: number, code?: string): IssuedToken {
    const issued = this.now();
    const t: IssuedToken = {
      access_token: `BQ-standin-${base64url(randomBytes(18))}`,
      refresh_token: `AQ-standin-${base64url(randomBytes(18))}`,
      scope: [...scope],
      client_id: clientId,
      issued_at: issued,
      expires_at: issued + (lifetimeS ?? this.tokenLifetimeS) * 1000,
      revoked: false,
      grant,
    };
    this.tokens.push(t);
    if (code !== undefined) this.codeOf.set(t, code);
    return t;
  }
}

function tokenResponse(t: IssuedToken, withRefresh: boolean, lifetimeS: number): Record<string, unknown> {
  const out: Record<string, unknown> = { access_token: t.access_token, token_type: 'Bearer', expires_in: lifetimeS, scope: t.scope.join(' ') };
  if (withRefresh) out.refresh_token = t.refresh_token;
  return out;
}

function apiError(status: number, message: string, reason?: string): { error: { status: number; message: string; reason?: string } } {
  return reason === undefined ? { error: { status, message } } : { error: { status, message, reason } };
}

function oauthError(status: number, error: string, description: string): HttpError {
  return new HttpError(status, { error, error_description: description });
}

function requireScope(token: IssuedToken, scope: string): void {
  if (!token.scope.includes(scope)) throw new HttpError(403, apiError(403, 'Insufficient client scope'));
}

function intParam(value: string | undefined): number | null {
  if (value === undefined || !/^-?\d+$/.test(value)) return null;
  return Number(value);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, { error: { status: 413, message: 'Request entity too large' } }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
