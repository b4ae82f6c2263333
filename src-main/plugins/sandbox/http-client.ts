// conductor.http_request (capability `network`): request parsing, the allowed_hosts check, and a blocking fetch
// run by a worker thread while the plugin's thread waits on Atomics. Never connects to a host the policy refuses,
// never follows redirects (each hop would need its own check), never reads more than the body cap.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { HOST_LIMITS } from '../host-functions';

export const HTTP_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export interface HttpRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string | null;
}

export interface HttpResponse {
  /** HTTP status; null when no response arrived (refused, DNS failure, timed out). */
  status: number | null;
  /** Response headers, names lower-case; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Response body as UTF-8 text (invalid sequences become U+FFFD). */
  body: string;
  /** Set when the body was cut at the cap. */
  truncated?: true;
  error?: string;
}

const REQUEST_KEYS = new Set(['method', 'url', 'headers', 'body']);

/** Parses and checks the request JSON; returns the request or the reason it is invalid. */
export function parseHttpRequest(text: string): HttpRequest | { invalid: string } | { denied: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { invalid: 'request is not valid JSON' };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { invalid: 'request must be a JSON object' };
  const r = raw as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    if (!REQUEST_KEYS.has(key)) return { invalid: `unknown field "${key}" (expected "method", "url", "headers", "body")` };
  }
  const method = r.method === undefined ? 'GET' : typeof r.method === 'string' ? r.method.toUpperCase() : '';
  if (!HTTP_METHODS.has(method)) return { invalid: `"method" must be one of ${[...HTTP_METHODS].join(', ')}` };
  if (typeof r.url !== 'string') return { invalid: '"url" must be a string' };
  let url: URL;
  try {
    url = new URL(r.url);
  } catch {
    return { invalid: `"url" is not a valid absolute URL: ${r.url}` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { denied: `only http: and https: URLs are allowed, not ${url.protocol}` };
  if (url.username || url.password) return { invalid: '"url" must not contain credentials; send an Authorization header instead' };
  const headers: Record<string, string> = {};
  if (r.headers !== undefined) {
    if (r.headers === null || typeof r.headers !== 'object' || Array.isArray(r.headers)) return { invalid: '"headers" must be an object of strings' };
    for (const [name, value] of Object.entries(r.headers as Record<string, unknown>)) {
      if (typeof value !== 'string') return { invalid: `header "${name}" must be a string` };
      if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) return { invalid: `"${name}" is not a valid header name` };
      if (/[\r\n\0]/.test(value)) return { invalid: `header "${name}" contains CR, LF or NUL` };
      if (name.toLowerCase() === 'host') return { invalid: 'the "host" header is set from the URL' };
      headers[name] = value;
    }
  }
  if (r.body !== undefined && typeof r.body !== 'string') return { invalid: '"body" must be a string' };
  const body = typeof r.body === 'string' ? r.body : null;
  if (body !== null && (method === 'GET' || method === 'HEAD')) return { invalid: `a ${method} request cannot have a body` };
  return { method, url, headers, body };
}

/**
 * Whether `url` may be requested under `allowedHosts`. Empty list = any host. Entries are host names or IP
 * addresses (`api.example.com`, `127.0.0.1`, `[::1]`), optionally with `:port` (then only that port), or
 * `*.example.com` (any subdomain, not example.com itself), or `*` (anything). Case-insensitive; entries that
 * cannot be parsed match nothing.
 */
export function hostAllowed(url: URL, allowedHosts: readonly string[]): boolean {
  if (allowedHosts.length === 0) return true;
  const host = url.hostname.toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return allowedHosts.some((raw) => {
    const entry = parseHostEntry(raw);
    if (!entry) return false;
    if (entry.any) return true;
    if (entry.port !== null && entry.port !== port) return false;
    return entry.wildcard ? host.endsWith(`.${entry.host}`) : host === entry.host;
  });
}

function parseHostEntry(raw: string): { any: boolean; host: string; wildcard: boolean; port: string | null } | null {
  let s = raw.trim().toLowerCase();
  if (s === '*') return { any: true, host: '', wildcard: false, port: null };
  const wildcard = s.startsWith('*.');
  if (wildcard) s = s.slice(2);
  if (s === '' || /[/?#@\\*]/.test(s)) return null;
  let parsed: URL;
  try {
    parsed = new URL(`http://${s}`);
  } catch {
    return null;
  }
  const portMatch = /:(\d{1,5})$/.exec(s);
  return { any: false, host: parsed.hostname, wildcard, port: portMatch ? String(Number(portMatch[1])) : null };
}

/* The worker: plain JavaScript run with `eval`, so the same code works from sources and from the bundle.
 * It receives requests on a MessagePort, fetches, and posts the outcome back on the same port, then bumps the
 * shared counter and notifies the plugin's thread (which is blocked in Atomics.wait, so it cannot receive events:
 * it takes the message with receiveMessageOnPort). */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { port, signal } = workerData;
function finish(message) {
  port.postMessage(message);
  Atomics.store(signal, 0, message.id);
  Atomics.notify(signal, 0);
}
function describe(err) {
  const cause = err && err.cause;
  const detail = cause && (cause.code || cause.message);
  return String((err && err.message) || err) + (detail ? ': ' + detail : '');
}
async function run(m) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), m.timeoutMs);
  try {
    const res = await fetch(m.url, { method: m.method, headers: m.headers, body: m.body === null ? undefined : m.body, redirect: 'manual', signal: controller.signal });
    const headers = {};
    res.headers.forEach((value, name) => { headers[name] = value; });
    const chunks = [];
    let total = 0;
    let truncated = false;
    if (res.body) {
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (total + value.byteLength > m.maxBody) {
          chunks.push(value.subarray(0, m.maxBody - total));
          total = m.maxBody;
          truncated = true;
          await reader.cancel().catch(() => {});
          break;
        }
        chunks.push(value);
        total += value.byteLength;
      }
    }
    const body = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) { body.set(c, at); at += c.byteLength; }
    return { id: m.id, status: res.status, headers, body, truncated, error: null };
  } catch (err) {
    const error = controller.signal.aborted ? 'timed out after ' + m.timeoutMs + ' ms (the call\\'s deadline)' : describe(err);
    return { id: m.id, status: null, headers: {}, body: new Uint8Array(0), truncated: false, error };
  } finally {
    clearTimeout(timer);
  }
}
port.on('message', (m) => { run(m).then(finish); });
`;

interface WorkerReply {
  id: number;
  status: number | null;
  headers: Record<string, string>;
  body: Uint8Array;
  truncated: boolean;
  error: string | null;
}

const bodyDecoder = new TextDecoder('utf-8', { fatal: false });

/** A lazily started fetch worker owned by one plugin runtime. `request` blocks the calling thread. */
export class BlockingHttpClient {
  private worker: Worker | null = null;
  private port: MessagePort | null = null;
  private signal: Int32Array | null = null;
  private nextId = 1;

  /** Performs the request; waits at most `timeoutMs` (+ `graceMs` for the worker's own timeout to report). */
  request(req: HttpRequest, timeoutMs: number, graceMs: number): HttpResponse {
    if (timeoutMs < 1) return { status: null, headers: {}, body: '', error: "not sent: no time left before the call's deadline" };
    const { port, signal } = this.start();
    const id = this.nextId++;
    port.postMessage({
      id,
      method: req.method,
      url: req.url.href,
      headers: req.headers,
      body: req.body,
      timeoutMs: Math.floor(timeoutMs),
      maxBody: HOST_LIMITS.httpBodyBytes,
    });
    const deadline = performance.now() + timeoutMs + graceMs;
    for (;;) {
      const seen = Atomics.load(signal, 0);
      const reply = this.take(port, id);
      if (reply) return toResponse(reply);
      const left = deadline - performance.now();
      if (left <= 0) break;
      Atomics.wait(signal, 0, seen, left);
    }
    // The worker did not answer in time (stuck or dead): drop it, so nothing it still does can reach the plugin.
    this.close();
    return { status: null, headers: {}, body: '', error: `timed out after ${Math.floor(timeoutMs)} ms (the call's deadline)` };
  }

  close(): void {
    void this.worker?.terminate();
    this.port?.close();
    this.worker = null;
    this.port = null;
    this.signal = null;
  }

  private start(): { port: MessagePort; signal: Int32Array } {
    if (this.worker && this.port && this.signal) return { port: this.port, signal: this.signal };
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { port: port2, signal }, transferList: [port2] });
    worker.unref();
    // A worker that fails is replaced on the next request (the waiting call sees a timeout).
    worker.on('error', () => {
      if (this.worker === worker) this.close();
    });
    this.worker = worker;
    this.port = port1;
    this.signal = signal;
    return { port: port1, signal };
  }

  /** The reply to `id`, discarding stale replies to earlier requests; null if it has not arrived. */
  private take(port: MessagePort, id: number): WorkerReply | null {
    for (;;) {
      const received = receiveMessageOnPort(port);
      if (!received) return null;
      const reply = received.message as WorkerReply;
      if (reply.id === id) return reply;
    }
  }
}

function toResponse(reply: WorkerReply): HttpResponse {
  const response: HttpResponse = { status: reply.status, headers: reply.headers, body: bodyDecoder.decode(reply.body) };
  if (reply.truncated) response.truncated = true;
  if (reply.error !== null) response.error = reply.error;
  return response;
}
