// Test helper: a real WebSocket server (the `ws` package) on 127.0.0.1 in a worker thread, counting connections and
// recording messages and closes. Used only by *.test.ts files; never imported by product code, never listens beyond 127.0.0.1.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The server runs in a worker thread, because a plugin's calls block the calling thread (as they block the sandbox
 * process's). It echoes every message back (same type), except the text "quiet", which it only records, and
 * "delay:<ms>", which it echoes that much later. Subprotocol:
 * the first offered one of `obswebsocket.json`, `chat`; none otherwise.
 */
const SERVER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { WebSocketServer } = require(workerData.wsPath);
let connections = 0;
const received = [];
const closes = [];
const protocols = [];
const clients = new Set();
const server = http.createServer((req, res) => res.writeHead(404).end());
server.on('connection', () => connections++);
const wss = new WebSocketServer({
  server,
  perMessageDeflate: false,
  maxPayload: 64 * 1024 * 1024,
  handleProtocols: (offered) => ['obswebsocket.json', 'chat'].find((p) => offered.has(p)) || false,
});
wss.on('connection', (ws, req) => {
  clients.add(ws);
  protocols.push(ws.protocol);
  ws.on('message', (data, isBinary) => {
    const text = isBinary ? null : data.toString();
    received.push(isBinary ? { type: 'binary', data: data.toString('base64') } : { type: 'text', data: text });
    const delay = text !== null && text.startsWith('delay:') ? Number(text.slice(6)) : 0;
    if (delay > 0) setTimeout(() => ws.send(data, { binary: false }), delay);
    else if (text !== 'quiet') ws.send(data, { binary: isBinary });
  });
  ws.on('close', (code, reason) => {
    clients.delete(ws);
    closes.push({ code, reason: reason.toString() });
  });
  ws.on('error', () => {});
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ type: 'listening', port: server.address().port }));
function reply(m, extra) {
  parentPort.postMessage({ type: 'done', id: m.id, ...extra });
}
parentPort.on('message', (m) => {
  switch (m.op) {
    case 'stats':
      return reply(m, { stats: { connections, open: clients.size, received, closes, protocols } });
    case 'send': {
      const data = m.binary ? Buffer.from(m.data, 'base64') : m.data;
      let pending = 0;
      for (const ws of clients) {
        for (let i = 0; i < (m.times || 1); i++) {
          pending++;
          ws.send(data, { binary: !!m.binary }, () => { if (--pending === 0) reply(m, {}); });
        }
      }
      if (pending === 0) reply(m, {});
      return;
    }
    case 'drop':
      for (const ws of clients) ws._socket.destroy();
      return reply(m, {});
    case 'close':
      for (const ws of clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      server.close(() => parentPort.close());
      return;
  }
});
`;

export interface WsServerStats {
  /** TCP connections accepted (including any that never became a WebSocket). */
  connections: number;
  /** WebSockets open now. */
  open: number;
  received: Array<{ type: 'text' | 'binary'; data: string }>;
  closes: Array<{ code: number; reason: string }>;
  /** The subprotocol of each WebSocket, in connection order ('' for none). */
  protocols: string[];
}

export interface TestWsServer {
  port: number;
  /** `ws://127.0.0.1:<port>` */
  url: string;
  stats(): Promise<WsServerStats>;
  /** Sends to every connected client (`times` copies); resolves when written. Binary data is given as base64. */
  send(data: string, options?: { binary?: boolean; times?: number }): Promise<void>;
  /** Destroys every client's TCP connection without a close frame (the plugin sees 1006). */
  drop(): Promise<void>;
  /** Waits until `check` holds for the stats (polling), or throws after `timeoutMs`. */
  until(check: (s: WsServerStats) => boolean, timeoutMs?: number): Promise<WsServerStats>;
  close(): Promise<void>;
}

export async function startTestWsServer(): Promise<TestWsServer> {
  const wsPath = createRequire(import.meta.url).resolve('ws');
  const worker = new Worker(SERVER_SOURCE, { eval: true, workerData: { wsPath } });
  let nextId = 1;
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('error', reject);
    const on = (m: { type: string; port?: number }) => {
      if (m.type !== 'listening') return;
      worker.off('message', on);
      resolve(Number(m.port));
    };
    worker.on('message', on);
  });
  const ask = <T>(op: Record<string, unknown>): Promise<T> =>
    new Promise((resolve) => {
      const id = nextId++;
      const on = (m: { type: string; id?: number }) => {
        if (m.type !== 'done' || m.id !== id) return;
        worker.off('message', on);
        resolve(m as T);
      };
      worker.on('message', on);
      worker.postMessage({ ...op, id });
    });
  const stats = async () => (await ask<{ stats: WsServerStats }>({ op: 'stats' })).stats;
  return {
    port,
    url: `ws://127.0.0.1:${port}`,
    stats,
    send: async (data, options = {}) => {
      await ask({ op: 'send', data, binary: options.binary ?? false, times: options.times ?? 1 });
    },
    drop: async () => {
      await ask({ op: 'drop' });
    },
    until: async (check, timeoutMs = 5000) => {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const s = await stats();
        if (check(s)) return s;
        if (Date.now() > end) throw new Error(`server state not reached in ${timeoutMs} ms: ${JSON.stringify({ ...s, received: s.received.length })}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: async () => {
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage({ op: 'close' });
      await exited;
    },
  };
}
