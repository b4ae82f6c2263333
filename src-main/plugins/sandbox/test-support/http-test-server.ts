// Test helper: a real HTTP server on 127.0.0.1 in a worker thread, counting connections and recording requests.
// Used only by *.test.ts files; never imported by product code, never listens on anything but 127.0.0.1.
import { Worker } from 'node:worker_threads';

/**
 * The server runs in a worker thread: a plugin's calls block the calling thread (as they block the sandbox
 * process's), so a server on that thread could not answer them. Routes: /hello, /echo (the request body back,
 * status 201), /big (body over the cap), /redirect (302 to localhost), /gzip (a gzip-encoded body), /hang (never
 * answers).
 */
const SERVER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const zlib = require('node:zlib');
let connections = 0;
const seen = [];
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString();
    seen.push({ method: req.method, url: req.url, headers: req.headers, body });
    const port = server.address().port;
    switch (req.url) {
      case '/hello': return res.writeHead(200, { 'content-type': 'text/plain', 'x-test': 'yes' }).end('hello from the server');
      case '/echo': return res.writeHead(201).end(body);
      case '/big': return res.writeHead(200).end('z'.repeat(workerData.bigBytes));
      case '/redirect': return res.writeHead(302, { location: 'http://localhost:' + port + '/hello' }).end();
      case '/gzip': return res.writeHead(200, { 'content-encoding': 'gzip' }).end(zlib.gzipSync('unzipped ✓'));
      case '/hang': return;
      default: return res.writeHead(404).end();
    }
  });
});
server.on('connection', () => connections++);
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ type: 'listening', port: server.address().port }));
parentPort.on('message', (m) => {
  if (m === 'stats') parentPort.postMessage({ type: 'stats', connections, seen });
  if (m === 'close') { server.closeAllConnections(); server.close(() => parentPort.close()); }
});
`;

export interface ServerStats {
  connections: number;
  seen: Array<{ method: string; url: string; headers: Record<string, string>; body: string }>;
}

export interface TestHttpServer {
  port: number;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  stats(): Promise<ServerStats>;
  close(): Promise<void>;
}

/** Starts the server; `bigBytes` is the length of the /big body. */
export async function startTestHttpServer(bigBytes: number): Promise<TestHttpServer> {
  const server = new Worker(SERVER_SOURCE, { eval: true, workerData: { bigBytes } });
  const next = (type: string) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const on = (m: Record<string, unknown>) => {
        if (m.type !== type) return;
        server.off('message', on);
        resolve(m);
      };
      server.on('message', on);
    });
  const port = Number((await next('listening')).port);
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    stats: async () => {
      const reply = next('stats');
      server.postMessage('stats');
      return (await reply) as unknown as ServerStats;
    },
    close: async () => {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.postMessage('close');
      await exited;
    },
  };
}
