// conductor.ws_open/ws_send/ws_recv/ws_close (capability `network`): request parsing, the http_request host and address
// rules, and WebSockets kept by a persistent worker thread between calls. Never connects to an address the policy refuses.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { HOST_LIMITS } from '../common/import-catalogue';
import { BlockingWorker } from './blocking-worker';
import { checkAddresses, type Address, type ResolveJob, type ResolveReply } from './http-client';
import { NETWORK_WORKER_HELPERS } from './network-worker-source';

export interface WsOpenRequest {
  url: URL;
  protocols: string[];
}

const OPEN_KEYS = new Set(['url', 'protocols']);
/** RFC 6455 §4.1: each subprotocol is an HTTP token. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** More subprotocols than any real server offers; keeps the handshake header small. */
const MAX_PROTOCOLS = 16;
/** How long a close handshake may take before the socket is dropped (the worker's own timer, not the plugin's). */
const CLOSE_TIMEOUT_MS = 1000;
/** What a queued message counts against wsBufferedBytes beyond its size, so a flood of tiny messages is bounded too. */
const QUEUED_MESSAGE_OVERHEAD_BYTES = 128;
/** How long shutdown waits for the close handshakes before the worker (and any socket left) is stopped. */
const SHUTDOWN_WAIT_MS = 300;

/** Parses and checks the ws_open request JSON; returns the request or why it is invalid or refused. */
export function parseWsOpenRequest(text: string): WsOpenRequest | { invalid: string } | { denied: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { invalid: 'request is not valid JSON' };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { invalid: 'request must be a JSON object' };
  const r = raw as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    if (!OPEN_KEYS.has(key)) return { invalid: `unknown field "${key}" (expected "url", "protocols")` };
  }
  if (typeof r.url !== 'string') return { invalid: '"url" must be a string' };
  let url: URL;
  try {
    url = new URL(r.url);
  } catch {
    return { invalid: `"url" is not a valid absolute URL: ${r.url}` };
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return { denied: `only ws: and wss: URLs are allowed, not ${url.protocol}` };
  if (url.username || url.password) return { invalid: '"url" must not contain credentials' };
  if (url.hash) return { invalid: '"url" must not contain a fragment (#…)' };
  const protocols: string[] = [];
  if (r.protocols !== undefined) {
    if (!Array.isArray(r.protocols)) return { invalid: '"protocols" must be an array of strings' };
    if (r.protocols.length > MAX_PROTOCOLS) return { invalid: `more than ${MAX_PROTOCOLS} "protocols"` };
    for (const p of r.protocols as unknown[]) {
      if (typeof p !== 'string' || !TOKEN.test(p)) return { invalid: `"protocols" entry ${JSON.stringify(p)} is not a valid subprotocol name` };
      if (protocols.includes(p)) return { invalid: `"protocols" names "${p}" twice` };
      protocols.push(p);
    }
  }
  return { url, protocols };
}

/**
 * The URL the host rules see: ws: as http:, wss: as https: (the same default ports), so an allowed_hosts entry
 * `example.com:443` matches `wss://example.com/` exactly as it matches `https://example.com/`.
 */
function asHttpUrl(url: URL): URL {
  const copy = new URL(url.href);
  copy.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  return copy;
}

/* The worker's handler (plain JavaScript, see BlockingWorker), preceded by `const WS_PATH = …`. The worker keeps every
 * socket the plugin opened between calls; incoming messages wait in a per-socket queue until ws_recv takes them.
 * "resolve" looks a name up (never connects); "open" connects to the URL's IP literal or, for a name, only to the
 * addresses it is given (its `lookup` returns those and nothing else — the plugin's thread checked them). */
const WS_HANDLER = `
const WebSocket = require(WS_PATH);
${NETWORK_WORKER_HELPERS}
const sockets = new Map();
const encoder = new TextEncoder();
/* Ends a socket: a close frame when it is open, else drop it. The close handshake is bounded by closeTimeout. */
function end(entry, code, reason) {
  try {
    if (entry.ws.readyState === WebSocket.CONNECTING) entry.ws.terminate();
    else entry.ws.close(code, reason);
  } catch {
    entry.ws.terminate();
  }
}
/* Marks the socket closed for the plugin (the first reason wins) and wakes a waiting ws_recv. */
function closed(entry, code, reason) {
  if (!entry.closeInfo) entry.closeInfo = { code, reason };
  wake(entry);
}
function wake(entry) {
  if (entry.waiter) entry.waiter();
}
function open(job) {
  if (sockets.size >= job.maxSockets) return { kind: 'limit' };
  return new Promise((done) => {
    const url = new URL(job.url);
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    const options = { perMessageDeflate: false, followRedirects: false, maxPayload: job.maxMessage, closeTimeout: job.closeTimeoutMs };
    if (job.addresses !== null) options.lookup = pinnedLookup(host, job.addresses);
    let ws;
    try {
      ws = new WebSocket(job.url, job.protocols, options);
    } catch (err) {
      done({ kind: 'failed', error: describe(err) });
      return;
    }
    const entry = { ws, queue: [], queuedBytes: 0, waiter: null, closeInfo: null, error: null };
    let settled = false;
    const settle = (reply) => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      done(reply);
      return true;
    };
    const timer = setTimeout(() => {
      if (settle({ kind: 'failed', error: timedOut(job.timeoutMs) })) ws.terminate();
    }, job.timeoutMs);
    ws.on('open', () => {
      if (!settle({ kind: 'open', protocol: ws.protocol })) return;
      sockets.set(job.handle, entry);
    });
    ws.on('error', (err) => {
      if (settle({ kind: 'failed', error: describe(err) })) { ws.terminate(); return; }
      if (err && err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        closed(entry, 1009, 'a message was larger than ' + job.maxMessage + ' bytes (the host closed the socket)');
      } else if (!entry.error) {
        entry.error = describe(err);
      }
    });
    ws.on('message', (data, isBinary) => {
      if (entry.closeInfo) return;
      let bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      // A small message may be a view into a large read buffer: keep a copy, not the whole chunk.
      if (bytes.buffer.byteLength > bytes.byteLength) {
        const copy = Buffer.allocUnsafeSlow(bytes.byteLength);
        bytes.copy(copy);
        bytes = copy;
      }
      const cost = bytes.byteLength + job.messageOverhead;
      if (entry.queuedBytes + cost > job.maxBuffered) {
        closed(entry, 1008, 'more than ' + job.maxBuffered + ' bytes of messages were waiting for ws_recv (the host closed the socket)');
        end(entry, 1008, 'receive queue full');
        return;
      }
      entry.queue.push({ text: !isBinary, data: bytes, json: null, cost });
      entry.queuedBytes += cost;
      wake(entry);
    });
    ws.on('close', (code, reason) => {
      const text = reason.toString();
      closed(entry, code, text !== '' ? text : entry.error !== null ? entry.error : code === 1006 ? 'the connection was lost' : '');
    });
  });
}
function send(job) {
  const entry = sockets.get(job.handle);
  if (!entry || entry.closeInfo || entry.ws.readyState !== WebSocket.OPEN) return { kind: 'closed' };
  const fits = () => entry.ws.bufferedAmount + job.data.byteLength <= job.maxBuffered;
  const go = () => {
    entry.ws.send(job.data, { binary: job.binary }, () => {});
    return { kind: 'sent' };
  };
  if (fits()) return go();
  return new Promise((done) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (entry.closeInfo || entry.ws.readyState !== WebSocket.OPEN) { clearInterval(poll); done({ kind: 'closed' }); }
      else if (fits()) { clearInterval(poll); done(go()); }
      else if (Date.now() - started >= job.waitMs) { clearInterval(poll); done({ kind: 'full', buffered: entry.ws.bufferedAmount }); }
    }, 5);
  });
}
function encodeMessage(m) {
  if (m.json === null) {
    const body = m.text ? { type: 'text', data: m.data.toString('utf8') } : { type: 'binary', data: m.data.toString('base64') };
    m.json = encoder.encode(JSON.stringify(body));
  }
  return m.json;
}
function recv(job) {
  const entry = sockets.get(job.handle);
  if (!entry) return { kind: 'closed' };
  const take = () => {
    const head = entry.queue[0];
    if (head) {
      const bytes = encodeMessage(head);
      if (bytes.byteLength > job.cap) return { kind: 'needed', needed: bytes.byteLength };
      entry.queue.shift();
      entry.queuedBytes -= head.cost;
      return { kind: 'message', bytes };
    }
    if (entry.closeInfo) {
      const bytes = encoder.encode(JSON.stringify({ type: 'closed', code: entry.closeInfo.code, reason: entry.closeInfo.reason }));
      if (bytes.byteLength > job.cap) return { kind: 'needed', needed: bytes.byteLength };
      sockets.delete(job.handle);
      end(entry, 1000, '');
      return { kind: 'message', bytes };
    }
    return null;
  };
  const timeout = () => {
    const bytes = encoder.encode('{"type":"timeout"}');
    return bytes.byteLength > job.cap ? { kind: 'needed', needed: bytes.byteLength } : { kind: 'message', bytes };
  };
  const now = take();
  if (now) return now;
  if (job.waitMs <= 0) return timeout();
  return new Promise((done) => {
    const timer = setTimeout(() => { entry.waiter = null; done(timeout()); }, job.waitMs);
    entry.waiter = () => {
      const reply = take();
      if (!reply) return;
      clearTimeout(timer);
      entry.waiter = null;
      done(reply);
    };
  });
}
function close(job) {
  const entry = sockets.get(job.handle);
  if (!entry) return { kind: 'closed' };
  sockets.delete(job.handle);
  end(entry, 1000, '');
  return { kind: 'ok' };
}
function closeAll(job) {
  const entries = [...sockets.values()];
  sockets.clear();
  const ended = entries.map((entry) => new Promise((ok) => {
    if (entry.ws.readyState === WebSocket.CLOSED) return ok();
    entry.ws.once('close', ok);
    end(entry, job.code, job.reason);
  }));
  if (job.waitMs <= 0) return { kind: 'ok', count: entries.length };
  return withDeadline(job.waitMs, () => Promise.all(ended)).then(
    () => ({ kind: 'ok', count: entries.length }),
    () => ({ kind: 'ok', count: entries.length }),
  );
}
function handle(job) {
  switch (job.type) {
    case 'resolve': return resolve(job);
    case 'open': return open(job);
    case 'send': return send(job);
    case 'recv': return recv(job);
    case 'close': return close(job);
    case 'closeAll': return closeAll(job);
  }
  throw new Error('unknown job ' + job.type);
}
`;

type WsJob =
  | ResolveJob
  | {
      type: 'open';
      handle: number;
      url: string;
      protocols: string[];
      /** null: the URL's host is an IP literal (already checked), connect to it. */
      addresses: Address[] | null;
      timeoutMs: number;
      maxSockets: number;
      maxMessage: number;
      maxBuffered: number;
      messageOverhead: number;
      closeTimeoutMs: number;
    }
  | { type: 'send'; handle: number; binary: boolean; data: Uint8Array; waitMs: number; maxBuffered: number }
  | { type: 'recv'; handle: number; waitMs: number; cap: number }
  | { type: 'close'; handle: number }
  | { type: 'closeAll'; code: number; reason: string; waitMs: number };

type WsReply =
  | { addresses: Address[]; error: string | null }
  | { kind: 'open'; protocol: string }
  | { kind: 'failed'; error: string }
  | { kind: 'limit' }
  | { kind: 'sent' }
  | { kind: 'full'; buffered: number }
  | { kind: 'closed' }
  | { kind: 'message'; bytes: Uint8Array }
  | { kind: 'needed'; needed: number }
  | { kind: 'ok'; count?: number };

/** What ws_open gets: a handle, a failure the plugin reads (`error`), or a refusal / limit (an error code). */
export type WsOpenResult = { handle: number; protocol: string } | { error: string } | { denied: string } | { limit: string };
/** What ws_send gets: sent (handed to the socket), the handle is not an open socket, or the outgoing buffer stayed full. */
export type WsSendResult = 'sent' | 'closed' | { limit: string };
/** What ws_recv gets: the response JSON to write, the size it needs (the message stays queued), or an unknown handle. */
export type WsRecvResult = { bytes: Uint8Array } | { needed: number } | 'closed';

export interface WsClientOptions {
  /** Fixed DNS answers by host name instead of the system resolver (tests); they go through the same address check. */
  dnsAnswers?: Readonly<Record<string, readonly string[]>>;
}

/** Where the `ws` package is, for the worker to require (from sources under vitest and from dist/sandbox.js alike). */
function wsPackagePath(): string {
  return createRequire(import.meta.url).resolve('ws');
}

/**
 * The WebSockets of one plugin runtime, in a lazily started worker that keeps them (and receives on them) between
 * calls. Every method blocks the calling thread, never past the wait it is given (+ `graceMs`).
 */
export class WsClient {
  private worker: BlockingWorker<WsJob, WsReply> | null = null;
  private nextHandle = 1;

  constructor(private readonly options: WsClientOptions = {}) {}

  /**
   * Opens a WebSocket if `allowedHosts` lets it reach the host's addresses (else `{ denied }`, and nothing connects);
   * resolving and the handshake take at most `timeoutMs` in all (+ `graceMs` for the worker's own timeout to report).
   */
  open(req: WsOpenRequest, allowedHosts: readonly string[], timeoutMs: number, graceMs: number): WsOpenResult {
    const deadline = performance.now() + timeoutMs;
    let lost: string | null = null;
    const checked = checkAddresses(asHttpUrl(req.url), allowedHosts, timeoutMs, this.options.dnsAnswers, (job, waitMs) => {
      const outcome = this.run(job, waitMs + graceMs);
      if (!('lost' in outcome)) return outcome as ResolveReply;
      lost = outcome.lost; // the worker (and every socket) is gone: say so as it is
      return { lost: outcome.lost, timedOut: false };
    });
    if ('denied' in checked) return checked;
    if ('tooLate' in checked) return notOpened();
    if (lost !== null) return { error: lost };
    if ('timedOut' in checked) return { error: `timed out after ${Math.floor(timeoutMs)} ms (the call's deadline)` };
    if ('error' in checked) return checked;
    const { addresses } = checked;
    const left = deadline - performance.now();
    if (left < 1) return addresses === null ? notOpened() : { error: `timed out after ${Math.floor(timeoutMs)} ms (the call's deadline)` };
    const handle = this.nextHandle++;
    const reply = this.run(
      {
        type: 'open',
        handle,
        url: req.url.href,
        protocols: req.protocols,
        addresses,
        timeoutMs: Math.floor(left),
        maxSockets: HOST_LIMITS.wsSocketsPerPlugin,
        maxMessage: HOST_LIMITS.wsMessageBytes,
        maxBuffered: HOST_LIMITS.wsBufferedBytes,
        messageOverhead: QUEUED_MESSAGE_OVERHEAD_BYTES,
        closeTimeoutMs: CLOSE_TIMEOUT_MS,
      },
      left + graceMs,
    );
    if ('lost' in reply) return { error: reply.lost };
    if ('kind' in reply) {
      if (reply.kind === 'open') return { handle, protocol: reply.protocol };
      if (reply.kind === 'failed') return { error: reply.error };
      if (reply.kind === 'limit') return { limit: `${HOST_LIMITS.wsSocketsPerPlugin} WebSockets are open already (close one with ws_close)` };
    }
    throw new Error(`unexpected reply to ws open: ${JSON.stringify(reply)}`);
  }

  /** Sends one message; waits at most `waitMs` for room in the socket's outgoing buffer. */
  send(handle: number, binary: boolean, data: Uint8Array, waitMs: number, graceMs: number): WsSendResult {
    if (!this.worker) return 'closed';
    // A copy: a view would send the whole of guest memory to the worker.
    const job: WsJob = { type: 'send', handle, binary, data: data.slice(), waitMs: Math.max(0, Math.floor(waitMs)), maxBuffered: HOST_LIMITS.wsBufferedBytes };
    const reply = this.run(job, Math.max(0, waitMs) + graceMs);
    if ('lost' in reply) return 'closed';
    if ('kind' in reply && reply.kind === 'sent') return 'sent';
    if ('kind' in reply && reply.kind === 'full') {
      return { limit: `the socket's outgoing buffer holds ${reply.buffered} bytes (limit ${HOST_LIMITS.wsBufferedBytes}); the server is not reading` };
    }
    return 'closed';
  }

  /** The next message of `handle` as response JSON, if it fits in `cap` bytes; waits at most `waitMs` for one. */
  recv(handle: number, waitMs: number, cap: number, graceMs: number): WsRecvResult {
    if (!this.worker) return 'closed';
    const reply = this.run({ type: 'recv', handle, waitMs: Math.max(0, Math.floor(waitMs)), cap }, Math.max(0, waitMs) + graceMs);
    if ('lost' in reply) return 'closed';
    if ('kind' in reply && reply.kind === 'message') return { bytes: reply.bytes };
    if ('kind' in reply && reply.kind === 'needed') return { needed: reply.needed };
    return 'closed';
  }

  /** Closes `handle` (a close frame; the handshake finishes in the background). */
  close(handle: number, graceMs: number): 'ok' | 'closed' {
    if (!this.worker) return 'closed';
    const reply = this.run({ type: 'close', handle }, graceMs);
    return 'kind' in reply && reply.kind === 'ok' ? 'ok' : 'closed';
  }

  /** Closes every socket (close frame `code`, `reason`), e.g. when the plugin instance is replaced; handles become unknown. */
  closeAll(code: number, reason: string): void {
    this.worker?.run({ type: 'closeAll', code, reason, waitMs: 0 }, SHUTDOWN_WAIT_MS * 2);
  }

  /** Closes every socket, waits briefly for the close handshakes, and stops the worker. */
  shutdown(): void {
    if (!this.worker) return;
    this.worker.run({ type: 'closeAll', code: 1001, reason: 'plugin unloaded', waitMs: SHUTDOWN_WAIT_MS }, SHUTDOWN_WAIT_MS * 2);
    this.worker.close();
    this.worker = null;
  }

  private run(job: WsJob, waitMs: number): WsReply | { lost: string } {
    this.worker ??= new BlockingWorker<WsJob, WsReply>(`const WS_PATH = ${JSON.stringify(wsPackagePath())};\n${WS_HANDLER}`);
    const outcome = this.worker.run(job, waitMs);
    if (outcome.kind === 'reply') return outcome.reply;
    if (outcome.kind === 'failed') return { lost: `the WebSocket worker failed: ${outcome.error}` };
    // BlockingWorker dropped the stuck worker, and every socket with it.
    return { lost: "the WebSocket worker did not answer in time and was stopped (every socket was closed)" };
  }
}

function notOpened(): { error: string } {
  return { error: "not opened: no time left before the call's deadline" };
}
