// Browser mode's server (DESIGN §9): the built renderer over HTTP and the UI contract over a WebSocket, on loopback
// only, behind a per-run token and Host/Origin checks. Never binds a non-loopback address, never serves outside staticDir.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { decodeWire, encodeWire, InvalidRequestError, WIRE_MAX_MESSAGE_BYTES, WIRE_PATH, type WirePush, type WireReply } from '../../src-shared/contract';
import { errorMessage } from '../../src-shared/errors';
import type { ServiceEndpoint } from '../services/setup';
import { contentTypeOf, uiContentSecurityPolicy } from '../services/ui-assets';

/** Sent with every HTTP response: only our own scripts, styles (inline allowed for React style props) and socket. */
export const CONTENT_SECURITY_POLICY = uiContentSecurityPolicy('ws://127.0.0.1:*');

const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
});

/** A slow client whose unsent data passes this is disconnected (it reconnects and re-reads the state). */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
const MAX_ID_LENGTH = 128;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);

export interface BrowserServerOptions {
  /**
   * The services of the running core (setupServices(core, { shell: 'browser' })): calls go to its dispatch, its
   * events to every client. Without them the server only serves files and every call fails with a clear error.
   */
  services?: ServiceEndpoint;
  /** 0 = any free port (default). */
  port?: number;
  /** '127.0.0.1' (default) or 'localhost' (also bound to 127.0.0.1); anything else is refused. */
  host?: string;
  /** The built renderer (default: defaultStaticDir(), i.e. dist/renderer). */
  staticDir?: string;
  /** The per-run secret (default: 24 random bytes, base64url). Only A–Z a–z 0–9 - _ allowed, at least 16 characters. */
  token?: string;
  /** Largest accepted WebSocket frame (default WIRE_MAX_MESSAGE_BYTES, 4 MiB); larger ones close the connection. */
  maxMessageBytes?: number;
}

export interface BrowserServer {
  /** `http://127.0.0.1:PORT/#token=…`: what the user opens. */
  url: string;
  token: string;
  port: number;
  /** Clients connected to the WebSocket now. */
  readonly connectionCount: number;
  /** Disconnects every client, stops listening, unsubscribes from the services (they and the core keep running). */
  close(): Promise<void>;
}

/** dist/renderer: beside the bundle (dist/serve.js → dist/renderer) or from sources (src-main/transport → ../../dist). */
export function defaultStaticDir(): string {
  const candidates = [new URL('./renderer', import.meta.url), new URL('../../dist/renderer', import.meta.url)].map((u) => fileURLToPath(u));
  return candidates.find((dir) => existsSync(resolve(dir, 'index.html'))) ?? (candidates[0] as string);
}

/** A fresh per-run token: 24 random bytes, base64url (32 characters). */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

function sameToken(given: string | null, expected: string): boolean {
  return given !== null && timingSafeEqual(digest(given), digest(expected));
}

export async function startBrowserServer(options: BrowserServerOptions = {}): Promise<BrowserServer> {
  const hostOption = options.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(hostOption)) throw new Error(`browser mode listens on 127.0.0.1 only (got host "${hostOption}")`);
  const token = options.token ?? newToken();
  if (!/^[A-Za-z0-9_-]{16,256}$/.test(token)) throw new Error('the browser-mode token must be 16–256 characters of A–Z a–z 0–9 - _');
  const staticDir = resolve(options.staticDir ?? defaultStaticDir());
  const maxMessageBytes = options.maxMessageBytes ?? WIRE_MAX_MESSAGE_BYTES;

  const services = options.services ?? null;

  let port = 0;
  const allowedHosts = (): Set<string> => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = (): Set<string> => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  const hostOk = (host: string | undefined): boolean => host !== undefined && allowedHosts().has(host.toLowerCase());
  const originOk = (origin: string | undefined): boolean => origin !== undefined && allowedOrigins().has(origin.toLowerCase());

  const clients = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes, perMessageDeflate: false, clientTracking: false });

  const server = createServer((req, res) => {
    void handleHttp(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendText(res, 500, `internal error: ${errorMessage(error)}`);
      else res.destroy();
    });
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostOk(req.headers.host)) return sendText(res, 403, 'Forbidden: this server answers only to 127.0.0.1 and localhost (unexpected Host header).');
    if (req.headers.origin !== undefined && !originOk(req.headers.origin)) return sendText(res, 403, 'Forbidden: requests from other origins are refused.');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendText(res, 405, 'Method not allowed.');
    }
    const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
    if (rawPath === WIRE_PATH) return sendText(res, 426, 'This is the WebSocket endpoint.');
    await serveStatic(staticDir, rawPath, req.method === 'HEAD', res);
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const [path = '', query = ''] = (req.url ?? '').split('?', 2);
    if (!hostOk(req.headers.host)) return refuseUpgrade(socket, 403, 'unexpected Host header');
    if (!originOk(req.headers.origin)) return refuseUpgrade(socket, 403, 'foreign or missing Origin');
    if (path !== WIRE_PATH) return refuseUpgrade(socket, 404, 'no such endpoint');
    if (!sameToken(new URLSearchParams(query).get('token'), token)) return refuseUpgrade(socket, 403, 'wrong or missing token');
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws));
  });

  function accept(ws: WebSocket): void {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('error', () => clients.delete(ws));
    ws.on('message', (data: RawData, isBinary: boolean) => void onFrame(ws, data, isBinary));
  }

  function send(ws: WebSocket, message: WireReply): void {
    let text: string;
    try {
      text = encodeWire(message);
    } catch (error) {
      text = encodeWire({ id: message.id, ok: false, error: `the reply could not be encoded: ${errorMessage(error)}`, errorName: 'Error' } satisfies WireReply);
    }
    if (ws.readyState === ws.OPEN) ws.send(text);
  }

  async function onFrame(ws: WebSocket, data: RawData, isBinary: boolean): Promise<void> {
    const refuse = (id: WireReply['id'], error: string): void => send(ws, { id, ok: false, error, errorName: 'InvalidRequestError' });
    if (isBinary) return refuse(null, 'binary frames are not supported: send JSON text');
    let message: unknown;
    try {
      message = decodeWire(rawText(data));
    } catch (error) {
      return refuse(null, `malformed message: ${errorMessage(error)}`);
    }
    if (message === null || typeof message !== 'object' || Array.isArray(message)) return refuse(null, 'malformed message: expected {"id", "call", "args"}');
    const { id, call, args } = message as { id?: unknown; call?: unknown; args?: unknown };
    const validId = (typeof id === 'number' && Number.isFinite(id)) || (typeof id === 'string' && id.length <= MAX_ID_LENGTH);
    if (!validId) return refuse(null, 'malformed message: "id" must be a number or a short string');
    if (!services) return send(ws, { id, ok: false, error: 'browser mode was started without a Conductor core', errorName: 'Error' });
    try {
      const reply = await services.dispatch(call, args);
      send(ws, { id, ok: true, reply });
    } catch (error) {
      send(ws, { id, ok: false, error: errorMessage(error), errorName: error instanceof InvalidRequestError ? 'InvalidRequestError' : 'Error' });
    }
  }

  const unsubscribe = services
    ? services.onDidEmitEvent(({ event, payload }) => {
        if (clients.size === 0) return;
        let text: string;
        try {
          text = encodeWire({ event, payload } satisfies WirePush);
        } catch {
          return; // not representable; the UI re-reads the state on its next call
        }
        for (const ws of clients) {
          if (ws.readyState !== ws.OPEN) continue;
          if (ws.bufferedAmount > MAX_BUFFERED_BYTES) ws.terminate();
          else ws.send(text);
        }
      })
    : () => undefined;

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolveListen();
    });
  }).catch((error: unknown) => {
    unsubscribe();
    throw error;
  });
  port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    token,
    port,
    get connectionCount() {
      return clients.size;
    },
    close() {
      closing ??= (async () => {
        unsubscribe();
        for (const ws of clients) ws.terminate();
        clients.clear();
        wss.close();
        const closed = new Promise<void>((done) => server.close(() => done()));
        server.closeAllConnections();
        await closed;
      })();
      return closing;
    },
  };
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function refuseUpgrade(socket: Duplex, status: 403 | 404, reason: string): void {
  const statusText = status === 403 ? 'Forbidden' : 'Not Found';
  const body = `${statusText}: ${reason}\n`;
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${statusText}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Conductor — UI not built</title></head>
<body><h1>The UI is not built</h1><p>the UI is not built: run <code>npm run build</code>, then reload this page.</p></body></html>
`;

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

/** Serves one file of `root` for a raw request path: `/` = index.html; nothing outside root, no dotfiles, no directories. */
async function serveStatic(root: string, rawPath: string, headOnly: boolean, res: ServerResponse): Promise<void> {
  if (!(await isFile(resolve(root, 'index.html')))) {
    res.writeHead(503, { ...SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(NOT_BUILT_PAGE) });
    res.end(headOnly ? undefined : NOT_BUILT_PAGE);
    return;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return sendText(res, 400, 'Bad request: malformed path.');
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return sendText(res, 400, 'Bad request: malformed path.');
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const target = resolve(root, relative);
  if (!target.startsWith(`${root}${sep}`)) return sendText(res, 403, 'Forbidden: outside the UI folder.');
  if (relative.split('/').some((segment) => segment.startsWith('.'))) return sendText(res, 404, 'Not found.');
  let real: string;
  let realRoot: string;
  try {
    [real, realRoot] = await Promise.all([realpath(target), realpath(root)]);
  } catch {
    return sendText(res, 404, 'Not found.');
  }
  if (!real.startsWith(`${realRoot}${sep}`)) return sendText(res, 403, 'Forbidden: outside the UI folder.');
  const info = await stat(real).catch(() => null);
  if (!info?.isFile()) return sendText(res, 404, 'Not found.');
  const type = contentTypeOf(real);
  res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': info.size, 'Cache-Control': 'no-cache' });
  if (headOnly) {
    res.end();
    return;
  }
  const stream = createReadStream(real);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
