// Browser mode's server against a real Core: a real HTTP server on 127.0.0.1:0 and a real `ws` client — the token,
// Origin and Host refusals, calls and pushed events, bad frames, static files, traversal and the CSP.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { decodeWire, encodeWire, type CallName, type WireReply } from '../../src-shared/contract';
import { countedEndpoint, startTestCore, type TestCore } from '../services/test-support/test-core';
import { CONTENT_SECURITY_POLICY, startBrowserServer, type BrowserServer } from './ws-server';

let t: TestCore;
let server: BrowserServer;
let staticRoot: string;
let staticDir: string;
let calls: CallName[];

const INDEX = '<!doctype html><title>Conductor</title><script type="module" src="/assets/app.js"></script>';

beforeAll(async () => {
  t = await startTestCore({ services: { shell: 'browser' } });
  staticRoot = mkdtempSync(join(tmpdir(), 'conductor-static-'));
  staticDir = join(staticRoot, 'renderer');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), INDEX);
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log("ui");\n');
  writeFileSync(join(staticDir, 'assets', 'app.css'), 'body { margin: 0 }\n');
  writeFileSync(join(staticDir, 'assets', 'icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(staticDir, '.env'), 'SECRET=1');
  writeFileSync(join(staticRoot, 'secret.txt'), 'TOP SECRET');
  symlinkSync(join(staticRoot, 'secret.txt'), join(staticDir, 'assets', 'link.txt'));
  calls = [];
  server = await startBrowserServer({ services: countedEndpoint(t.services, (name) => calls.push(name)), staticDir });
});
afterAll(async () => {
  await server.close();
  await t.stop();
  rmSync(staticRoot, { recursive: true, force: true });
});
beforeEach(() => {
  calls = [];
});

interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request (the path is sent exactly as given; fetch would normalise it and forbids a Host header). */
function http(path: string, options: { method?: string; headers?: Record<string, string>; port?: number } = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: options.port ?? server.port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

const origin = (): string => `http://127.0.0.1:${server.port}`;

/** Opens a WebSocket; resolves with the open socket, or with the HTTP status the server refused it with. */
function connect(options: { token?: string | null; origin?: string | null; host?: string; path?: string } = {}): Promise<{ ws: WebSocket } | { status: number }> {
  const token = options.token === undefined ? server.token : options.token;
  const path = options.path ?? '/ws';
  const url = `ws://127.0.0.1:${server.port}${path}${token === null ? '' : `?token=${encodeURIComponent(token)}`}`;
  const originHeader = options.origin === undefined ? origin() : options.origin;
  const ws = new WebSocket(url, { ...(originHeader === null ? {} : { origin: originHeader }), ...(options.host ? { headers: { Host: options.host } } : {}) });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

async function open(): Promise<WebSocket> {
  const result = await connect();
  if (!('ws' in result)) throw new Error(`refused with ${result.status}`);
  return result.ws;
}

/** Every frame a socket receives, decoded, and a way to wait for one. */
function inbox(ws: WebSocket): { frames: unknown[]; next: (test: (m: Record<string, unknown>) => boolean) => Promise<Record<string, unknown>> } {
  const frames: unknown[] = [];
  const waiters: { test: (m: Record<string, unknown>) => boolean; resolve: (m: Record<string, unknown>) => void }[] = [];
  ws.on('message', (data: Buffer) => {
    const message = decodeWire(data.toString('utf8')) as Record<string, unknown>;
    frames.push(message);
    for (const w of [...waiters]) {
      if (!w.test(message)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(message);
    }
  });
  return {
    frames,
    next: (test) =>
      new Promise((resolve, reject) => {
        const seen = frames.find((f) => test(f as Record<string, unknown>));
        if (seen) return resolve(seen as Record<string, unknown>);
        const timer = setTimeout(() => reject(new Error('no such frame')), 10_000);
        waiters.push({ test, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      }),
  };
}

function call(ws: WebSocket, box: ReturnType<typeof inbox>, id: number | string, name: string, args: unknown[]): Promise<WireReply> {
  ws.send(encodeWire({ id, call: name, args }));
  return box.next((m) => m.id === id) as Promise<unknown> as Promise<WireReply>;
}

describe('browser mode: who may connect', () => {
  it('gives a loopback URL with a 32-character base64url token in the fragment', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('refuses a missing or wrong token with 403, and no handler runs', async () => {
    expect(await connect({ token: null })).toEqual({ status: 403 });
    expect(await connect({ token: 'A'.repeat(32) })).toEqual({ status: 403 });
    expect(await connect({ token: `${server.token}x` })).toEqual({ status: 403 });
    expect(server.connectionCount).toBe(0);
    expect(calls).toEqual([]);
  });

  it('refuses a foreign or missing Origin with 403, even with the right token', async () => {
    expect(await connect({ origin: 'http://evil.example' })).toEqual({ status: 403 });
    expect(await connect({ origin: `http://127.0.0.1:${server.port + 1}` })).toEqual({ status: 403 });
    expect(await connect({ origin: `https://127.0.0.1:${server.port}` })).toEqual({ status: 403 });
    expect(await connect({ origin: 'null' })).toEqual({ status: 403 });
    expect(await connect({ origin: null })).toEqual({ status: 403 });
    expect(calls).toEqual([]);
  });

  it('refuses a foreign Host header (DNS rebinding) with 403, for WebSocket and HTTP', async () => {
    expect(await connect({ host: `evil.example:${server.port}`, origin: `http://evil.example:${server.port}` })).toEqual({ status: 403 });
    expect(await connect({ host: `evil.example:${server.port}` })).toEqual({ status: 403 });
    const page = await http('/', { headers: { Host: `evil.example:${server.port}` } });
    expect(page.status).toBe(403);
    expect(page.body).not.toContain('Conductor</title>');
    expect((await http('/', { headers: { Host: `127.0.0.1:${server.port + 1}` } })).status).toBe(403);
    expect(calls).toEqual([]);
  });

  it('refuses HTTP requests from a foreign Origin; accepts localhost as well as 127.0.0.1', async () => {
    expect((await http('/', { headers: { Origin: 'http://evil.example' } })).status).toBe(403);
    expect((await http('/', { headers: { Host: `localhost:${server.port}` } })).status).toBe(200);
    const viaLocalhost = await connect({ host: `localhost:${server.port}`, origin: `http://localhost:${server.port}` });
    expect('ws' in viaLocalhost).toBe(true);
    if ('ws' in viaLocalhost) viaLocalhost.ws.close();
  });

  it('answers 404 for another WebSocket path', async () => {
    expect(await connect({ path: '/socket' })).toEqual({ status: 404 });
  });

  it('refuses to listen anywhere but loopback', async () => {
    await expect(startBrowserServer({ host: '0.0.0.0', staticDir })).rejects.toThrow(/127\.0\.0\.1 only/);
    await expect(startBrowserServer({ token: 'short', staticDir })).rejects.toThrow(/token/);
  });
});

describe('browser mode: the contract over the WebSocket', () => {
  it('round-trips calls against the real core', async () => {
    const ws = await open();
    const box = inbox(ws);
    expect(await call(ws, box, 1, 'app.info', [])).toEqual({ id: 1, ok: true, reply: expect.objectContaining({ shell: 'browser', configPath: t.configPath }) });
    expect(await call(ws, box, 'two', 'engine.state', [])).toEqual({ id: 'two', ok: true, reply: { mode: 'Default', modes: ['Default', 'Performance'] } });
    expect(calls).toEqual(['app.info', 'engine.state']);
    ws.close();
  });

  it('pushes engine events after virtual.press', async () => {
    const ws = await open();
    const box = inbox(ws);
    expect(await call(ws, box, 1, 'virtual.press', [37, 90])).toMatchObject({ ok: true, reply: { ok: true } });
    const pushed = await box.next((m) => m.event === 'engine.didEmitEvent' && (m.payload as { kind?: string }).kind === 'midi');
    expect(pushed).toEqual({
      event: 'engine.didEmitEvent',
      payload: expect.objectContaining({ kind: 'midi', event: expect.objectContaining({ deviceId: 'virtual:Virtual Controller', message: { type: 'noteOn', channel: 0, note: 37, velocity: 90 } }) }),
    });
    await call(ws, box, 2, 'virtual.release', [37]);
    ws.close();
  });

  it('answers invalid arguments, unknown calls and malformed frames with error replies, and stays usable', async () => {
    const ws = await open();
    const box = inbox(ws);
    expect(await call(ws, box, 1, 'virtual.press', [36, 500])).toEqual({ id: 1, ok: false, error: expect.stringMatching(/^virtual\.press: invalid arguments: argument 1/), errorName: 'InvalidRequestError' });
    expect(await call(ws, box, 2, 'system.shutdown', [])).toEqual({ id: 2, ok: false, error: 'unknown call "system.shutdown"', errorName: 'InvalidRequestError' });
    ws.send(encodeWire({ id: 3, call: 'engine.state' })); // no args
    expect(await box.next((m) => m.id === 3)).toMatchObject({ ok: false, error: expect.stringMatching(/expected an array/) });
    ws.send('{"id": 4, "call": ');
    expect(await box.next((m) => m.id === null && typeof m.error === 'string' && m.error.startsWith('malformed message'))).toMatchObject({ ok: false, errorName: 'InvalidRequestError' });
    ws.send('[1, 2, 3]');
    ws.send(encodeWire({ call: 'app.info', args: [] }));
    ws.send(encodeWire({ id: { nested: true }, call: 'app.info', args: [] }));
    ws.send('{"id": 5, "call": "app.info", "args": [], "x": {"$bigint": "12a"}}');
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await box.next(() => box.frames.filter((f) => (f as { id?: unknown }).id === null).length >= 6);
    expect(box.frames.filter((f) => (f as { id?: unknown }).id === null)).toHaveLength(6);
    expect(await call(ws, box, 6, 'engine.state', [])).toMatchObject({ ok: true });
    expect(calls).toEqual(['engine.state']);
    ws.close();
  });

  it('closes the connection on a frame over the size limit (4 MiB)', async () => {
    const ws = await open();
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(encodeWire({ id: 1, call: 'engine.setMode', args: ['x'.repeat(5 * 1024 * 1024)] }));
    expect(await closed).toBe(1009);
    expect(calls).toEqual([]);
  });

  it('carries bigint and TOML date-times of the config both ways without changing them', async () => {
    const text = readFileSync(t.configPath, 'utf8');
    writeFileSync(t.configPath, `big = 9007199254740993\nwhen = 1979-05-27\nat = 07:32:00.5\nstamp = 1979-05-27T07:32:00Z\n${text}`);
    await t.core.config.load();
    const ws = await open();
    const raw: string[] = [];
    ws.on('message', (data: Buffer) => raw.push(data.toString('utf8')));
    const box = inbox(ws);
    const got = await call(ws, box, 1, 'config.get', []);
    expect(raw.join('')).toContain('"big":{"$bigint":"9007199254740993"}');
    expect(raw.join('')).toContain('"when":{"$date":"1979-05-27"}');
    const config = (got as { reply: { config: { extra: Record<string, unknown> } } }).reply.config;
    expect(config.extra.big).toBe(9007199254740993n);
    expect(config.extra.when).toBeInstanceOf(Date);
    const saved = await call(ws, box, 2, 'config.save', [config]);
    expect(saved).toMatchObject({ ok: true, reply: { ok: true } });
    const written = readFileSync(t.configPath, 'utf8');
    expect(written).toContain('big = 9007199254740993');
    expect(written).toContain('when = 1979-05-27\n');
    // The same values, whether the save kept the file's own spelling or wrote them in full.
    expect(written).toMatch(/^at = 07:32:00\.5(00)?$/m);
    expect(written).toMatch(/^stamp = 1979-05-27T07:32:00(\.000)?Z$/m);
    ws.close();
  });
});

describe('browser mode: the UI files', () => {
  it('serves index.html for / and files with their content types and the CSP', async () => {
    const page = await http('/');
    expect(page.status).toBe(200);
    expect(page.body).toBe(INDEX);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self' ws://127.0.0.1:*; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect((await http('/assets/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await http('/assets/app.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    const svg = await http('/assets/icon.svg?v=1');
    expect([svg.status, svg.headers['content-type']]).toEqual([200, 'image/svg+xml']);
    const head = await http('/assets/app.js', { method: 'HEAD' });
    expect([head.status, head.body, head.headers['content-length']]).toEqual([200, '', String('console.log("ui");\n'.length)]);
  });

  it('answers 404 for missing files, directories and dotfiles; 405 for other methods; 426 for a plain GET of /ws', async () => {
    expect((await http('/nope.js')).status).toBe(404);
    expect((await http('/assets')).status).toBe(404);
    expect((await http('/.env')).status).toBe(404);
    expect((await http('/', { method: 'POST' })).status).toBe(405);
    expect((await http('/ws')).status).toBe(426);
    const missing = await http('/nope.js');
    expect(missing.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  it('never serves a file outside the UI folder (dot-dot, encoded, backslash, symlink)', async () => {
    for (const path of ['/../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/assets/..%2F..%2Fsecret.txt', '/%2e%2e%2fsecret.txt', '/..%5csecret.txt', '/assets/link.txt', '/%00index.html', '/%E0%A4%A']) {
      const res = await http(path);
      expect([400, 403, 404], path).toContain(res.status);
      expect(res.body, path).not.toContain('TOP SECRET');
    }
    expect((await http('/../secret.txt')).status).toBe(403);
    expect((await http('/assets/link.txt')).status).toBe(403);
  });

  it('shows a clear 503 page when the UI is not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'conductor-unbuilt-'));
    const bare = await startBrowserServer({ staticDir: empty });
    try {
      const res = await http('/', { port: bare.port });
      expect(res.status).toBe(503);
      expect(res.body).toContain('the UI is not built: run <code>npm run build</code>');
      expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    } finally {
      await bare.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('close() disconnects clients and stops listening', async () => {
    const other = await startBrowserServer({ staticDir });
    const result = await new Promise<{ ws: WebSocket }>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${other.port}/ws?token=${other.token}`, { origin: `http://127.0.0.1:${other.port}` });
      ws.once('open', () => resolve({ ws }));
      ws.once('error', reject);
    });
    const closed = new Promise<void>((resolve) => result.ws.once('close', () => resolve()));
    const box = inbox(result.ws);
    expect(await call(result.ws, box, 1, 'app.info', [])).toEqual({ id: 1, ok: false, error: expect.stringMatching(/without a Conductor core/), errorName: 'Error' });
    await other.close();
    await closed;
    await expect(http('/', { port: other.port })).rejects.toThrow(/ECONNREFUSED/);
  });
});
