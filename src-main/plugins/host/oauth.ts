// OAuth 2.0 authorization code with PKCE (RFC 7636), run by the host for a plugin (issue #14): the authorize URL with a
// checked `state`, a one-shot loopback listener for the redirect, the code exchange and refreshes. Never gives a plugin
// the refresh token, never logs a token, and never talks to a provider URL that is neither https nor loopback.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorMessage } from '../../../src-shared/errors';
import type { SettingValue } from '../../../src-shared/plugin';

export interface OAuthTokens {
  accessToken: string;
  /** Epoch ms. */
  expiresAt: number;
  refreshToken: string | null;
}

/** Why connecting or refreshing failed, in words for the Plugins view (never containing a token). */
export class OAuthError extends Error {
  override readonly name = 'OAuthError';
}

/** How long a Connect waits for the browser to come back. */
export const OAUTH_CONNECT_TIMEOUT_MS = 5 * 60 * 1000;
/** A token this close to its expiry is refreshed before a call. */
export const OAUTH_REFRESH_MARGIN_MS = 60 * 1000;
const EXCHANGE_TIMEOUT_MS = 15_000;

const base64url = (bytes: Buffer): string => bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** A PKCE verifier (43 characters from 32 random bytes) and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = base64url(randomBytes(32));
  return { verifier, challenge: base64url(createHash('sha256').update(verifier).digest()) };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * A provider URL from the plugin's template, `{setting}` replaced by that setting's value; it must be https, or http to
 * this computer (a test stand-in, a local proxy).
 */
export function providerUrl(template: string, settings: Readonly<Record<string, SettingValue>>): URL {
  const text = template.replace(/\{([A-Za-z_][A-Za-z0-9_.-]*)\}/g, (whole, name: string) => {
    const v = settings[name];
    if (v === undefined) throw new OAuthError(`the plugin's OAuth URL uses the setting "${name}", which has no value`);
    return String(v).replace(/\/+$/, '');
  });
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new OAuthError(`the plugin's OAuth URL is not a valid URL`);
  }
  if (url.username || url.password) throw new OAuthError('the OAuth URL must not contain a user name or password');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new OAuthError(`the OAuth URL must be https (or http to this computer), not ${url.protocol}//${url.host}`);
  }
  return url;
}

/** POSTs a form to the token endpoint and reads an OAuth token response (RFC 6749 §5). */
async function tokenRequest(tokenUrl: URL, form: Record<string, string>, now: () => number, previousRefresh: string | null): Promise<OAuthTokens> {
  let response: Response;
  try {
    response = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
      redirect: 'error',
      signal: AbortSignal.timeout(EXCHANGE_TIMEOUT_MS),
    });
  } catch (err) {
    throw new OAuthError(`the token endpoint (${tokenUrl.host}) could not be reached: ${errorMessage(err)}`);
  }
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  } catch {
    // handled below: no access_token
  }
  if (!response.ok) {
    const code = typeof body.error === 'string' ? body.error : `HTTP ${response.status}`;
    const why = typeof body.error_description === 'string' ? `: ${body.error_description.slice(0, 200)}` : '';
    throw new OAuthError(`the provider refused (${code}${why})`);
  }
  if (typeof body.access_token !== 'string' || body.access_token === '') throw new OAuthError('the provider answered without an access token');
  const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 3600;
  return {
    accessToken: body.access_token,
    expiresAt: now() + expiresIn * 1000,
    refreshToken: typeof body.refresh_token === 'string' && body.refresh_token !== '' ? body.refresh_token : previousRefresh,
  };
}

/** A refresh_token grant; keeps the old refresh token when the provider does not rotate it. */
export function refreshTokens(tokenUrl: URL, clientId: string, refreshToken: string, now: () => number = Date.now): Promise<OAuthTokens> {
  return tokenRequest(tokenUrl, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId }, now, refreshToken);
}

export interface ConnectOptions {
  authorizeUrl: URL;
  tokenUrl: URL;
  clientId: string;
  scopes: readonly string[];
  provider: string;
  timeoutMs?: number;
  now?: () => number;
}

/** A Connect in progress: the URL to open in a browser, and the tokens once the user came back. */
export interface PendingConnect {
  authorizeUrl: string;
  tokens: Promise<OAuthTokens>;
  /** Stops waiting (a new Connect, the plugin unloaded); `tokens` rejects. */
  cancel(): void;
}

const page = (title: string, text: string): string =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font-family:sans-serif;margin:3em"><h1>${title}</h1><p>${text}</p></body>`;

/**
 * Starts a Connect: a loopback listener on 127.0.0.1 (a free port) for `/callback`, closed after one callback or
 * `timeoutMs`; the authorize URL with response_type=code, the PKCE S256 challenge and a random state. The callback's
 * state must match; then the code is exchanged at the token endpoint with the verifier.
 */
export async function startConnect(options: ConnectOptions): Promise<PendingConnect> {
  const now = options.now ?? Date.now;
  const { verifier, challenge } = pkcePair();
  const state = base64url(randomBytes(16));
  let settle!: { resolve: (t: OAuthTokens) => void; reject: (e: Error) => void };
  const tokens = new Promise<OAuthTokens>((resolve, reject) => (settle = { resolve, reject }));
  tokens.catch(() => undefined); // the caller may not wait for it
  let finished = false;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/callback' || finished) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    finished = true;
    const fail = (message: string): void => {
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' }).end(page(`${options.provider}: not connected`, message));
      close(new OAuthError(message));
    };
    if (url.searchParams.get('state') !== state) return fail('The answer did not match this connection request (state). Start again from Conductor.');
    const error = url.searchParams.get('error');
    if (error) return fail(`${options.provider} said: ${error.slice(0, 100)}`);
    const code = url.searchParams.get('code');
    if (!code) return fail('The answer carried no authorization code.');
    tokenRequest(options.tokenUrl, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: options.clientId, code_verifier: verifier }, now, null).then(
      (t) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(`Connected to ${options.provider}`, 'You can close this tab and go back to Conductor.'));
        close(null, t);
      },
      (err: unknown) => {
        res.writeHead(502, { 'content-type': 'text/html; charset=utf-8' }).end(page(`${options.provider}: not connected`, errorMessage(err)));
        close(err instanceof OAuthError ? err : new OAuthError(errorMessage(err)));
      },
    );
  });
  const timeoutMs = options.timeoutMs ?? OAUTH_CONNECT_TIMEOUT_MS;
  const waited = timeoutMs >= 60_000 ? `${Math.round(timeoutMs / 60_000)} min` : `${Math.max(1, Math.round(timeoutMs / 1000))} s`;
  const timer = setTimeout(() => close(new OAuthError(`the connection to ${options.provider} was not completed within ${waited}; start again`), undefined, true), timeoutMs);
  timer.unref();
  /** Stops listening; `hard` also drops open connections (timeout, cancel) — else the callback's page is still sent. */
  function close(error: Error | null, result?: OAuthTokens, hard = false): void {
    finished = true;
    clearTimeout(timer);
    server.close();
    if (hard) server.closeAllConnections();
    else server.closeIdleConnections();
    if (error) settle.reject(error);
    else if (result) settle.resolve(result);
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const redirectUri = `http://127.0.0.1:${port}/callback`;
  const authorize = new URL(options.authorizeUrl);
  authorize.search = new URLSearchParams({
    ...Object.fromEntries(options.authorizeUrl.searchParams),
    response_type: 'code',
    client_id: options.clientId,
    redirect_uri: redirectUri,
    code_challenge_method: 'S256',
    code_challenge: challenge,
    state,
    ...(options.scopes.length > 0 ? { scope: options.scopes.join(' ') } : {}),
  }).toString();
  return { authorizeUrl: authorize.toString(), tokens, cancel: () => close(new OAuthError('the connection was cancelled'), undefined, true) };
}
