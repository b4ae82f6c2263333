// The renderer's one IPC client: the preload's `window.conductor`, else browser mode's WebSocket behind the same verb
// API (buildApi). Raw transport lives here only; never imports Node or Electron.
import { buildApi } from '../../src-shared/api';
import { Emitter, EmitterMap } from '../../src-shared/emitter';
import type { CallName, EventName } from '../../src-shared/contract-names';
import type { ConductorApi } from '../../src-shared/contract';
import { errorMessage } from '../../src-shared/errors';
import { decodeWire, encodeWire, WIRE_PATH, type WireRequest } from '../../src-shared/wire';

export type ConnectionStatus = 'connecting' | 'connected' | 'disconnected';

export interface ConnectionInfo {
  status: ConnectionStatus;
  transport: 'electron' | 'websocket';
  /** Why it is disconnected, in words; null when connected. */
  detail: string | null;
  /** When disconnected: ms until the next attempt. */
  retryInMs: number | null;
}

export interface ConductorClient {
  api: ConductorApi;
  connection(): ConnectionInfo;
  onConnection(listener: (info: ConnectionInfo) => void): () => void;
  close(): void;
}

// ── wire format (browser mode; docs/browser-mode.md) ───────────────────────────────────────────────────────────
// client → server {"id", "call", "args"}; server → client {"id", "ok": true, "reply"} | {"id", "ok": false, "error"};
// pushes {"event", "payload"}. The codec (bigint/Date tags, `$` key escaping) is the contract's own.

export type WireIncoming =
  | { type: 'reply'; id: number; ok: true; reply: unknown }
  | { type: 'reply'; id: number; ok: false; error: string }
  | { type: 'event'; event: string; payload: unknown };

export { decodeWire, encodeWire };

/** Classifies one server message; null when it is not one of the known shapes. */
export function parseIncoming(text: string): WireIncoming | null {
  let msg: unknown;
  try {
    msg = decodeWire(text);
  } catch (err) {
    // A reply whose payload cannot be decoded still fails its call instead of leaving it waiting.
    try {
      const raw = JSON.parse(text) as { id?: unknown };
      if (typeof raw.id === 'number') return { type: 'reply', id: raw.id, ok: false, error: `unreadable reply: ${errorMessage(err)}` };
    } catch {
      // not JSON at all
    }
    return null;
  }
  if (msg === null || typeof msg !== 'object') return null;
  const m = msg as Record<string, unknown>;
  if (typeof m.event === 'string') return { type: 'event', event: m.event, payload: m.payload };
  if (typeof m.id === 'number' && m.ok === true) return { type: 'reply', id: m.id, ok: true, reply: m.reply };
  if (typeof m.id === 'number' && m.ok === false) return { type: 'reply', id: m.id, ok: false, error: typeof m.error === 'string' ? m.error : 'request failed' };
  return null;
}

/** `ws://host/ws?token=…` from the page location; the token comes from `#token=…`. */
export function webSocketUrl(location: { protocol: string; host: string; hash: string }): string {
  const token = new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}${WIRE_PATH}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}

/** Reconnect delay after `attempt` failures: 0.5 s, 1 s, 2 s … capped at 10 s. */
export function backoffMs(attempt: number): number {
  return Math.min(500 * 2 ** Math.max(0, attempt), 10_000);
}

/** What the WebSocket client needs from a socket (the DOM's WebSocket fits; tests pass a fake). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

export interface WebSocketClientOptions {
  url: string;
  createSocket: (url: string) => SocketLike;
  /** Calls without a reply after this long fail (plugin tests and installs can take a while). */
  callTimeoutMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** Said instead of "cannot reach Conductor" when a connection attempt fails (e.g. the URL has no token). */
  failureHint?: string;
}

export function createWebSocketClient(options: WebSocketClientOptions): ConductorClient {
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  const callTimeoutMs = options.callTimeoutMs ?? 120_000;
  const events = new EmitterMap<string>({ onListenerError: (err) => console.error('an event listener failed', err) });
  const connectionChanged = new Emitter<ConnectionInfo>({ onListenerError: (err) => console.error('a connection listener failed', err) });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: unknown }>();
  let info: ConnectionInfo = { status: 'connecting', transport: 'websocket', detail: null, retryInMs: null };
  let socket: SocketLike | null = null;
  let nextId = 1;
  let failures = 0;
  let retryTimer: unknown = null;
  let closed = false;

  function setInfo(next: ConnectionInfo): void {
    info = next;
    connectionChanged.fire(info);
  }

  function failPending(reason: string): void {
    for (const [id, p] of pending) {
      clearTimer(p.timer);
      p.reject(new Error(reason));
      pending.delete(id);
    }
  }

  function connect(): void {
    retryTimer = null;
    if (closed) return;
    setInfo({ ...info, status: 'connecting', retryInMs: null });
    let s: SocketLike;
    try {
      s = options.createSocket(options.url);
    } catch (err) {
      scheduleRetry(errorMessage(err));
      return;
    }
    socket = s;
    s.onopen = () => {
      failures = 0;
      setInfo({ ...info, status: 'connected', detail: null, retryInMs: null });
    };
    s.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return;
      const msg = parseIncoming(ev.data);
      if (!msg) return;
      if (msg.type === 'event') {
        events.fire(msg.event, msg.payload);
        return;
      }
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      clearTimer(p.timer);
      if (msg.ok) p.resolve(msg.reply);
      else p.reject(new Error(msg.error));
    };
    s.onerror = () => {
      // A close event follows; it carries the retry.
    };
    s.onclose = (ev) => {
      if (socket !== s) return;
      socket = null;
      failPending('connection to Conductor lost');
      scheduleRetry(ev.reason || (info.status === 'connected' ? 'connection closed' : (options.failureHint ?? 'cannot reach Conductor')));
    };
  }

  function scheduleRetry(reason: string): void {
    if (closed) return;
    const delay = backoffMs(failures);
    failures += 1;
    setInfo({ ...info, status: 'disconnected', detail: reason, retryInMs: delay });
    retryTimer = setTimer(connect, delay);
  }

  function request(name: CallName, args: unknown[]): Promise<unknown> {
    const s = socket;
    if (!s || info.status !== 'connected') return Promise.reject(new Error(`not connected to Conductor (${name})`));
    const id = nextId++;
    const req: WireRequest = { id, call: name, args };
    return new Promise((resolve, reject) => {
      const timer = setTimer(() => {
        pending.delete(id);
        reject(new Error(`${name}: no reply after ${Math.round(callTimeoutMs / 1000)} s`));
      }, callTimeoutMs);
      pending.set(id, { resolve, reject, timer });
      try {
        s.send(encodeWire(req));
      } catch (err) {
        pending.delete(id);
        clearTimer(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  connect();
  return {
    api: buildApi({ call: request, subscribe: (event: EventName, listener) => events.on(event, listener) }),
    connection: () => info,
    onConnection: connectionChanged.event,
    close() {
      closed = true;
      if (retryTimer !== null) clearTimer(retryTimer);
      failPending('client closed');
      socket?.close();
      socket = null;
    },
  };
}

/** The preload's API is always connected (the window and the main process live and die together). */
export function createElectronClient(api: ConductorApi): ConductorClient {
  const info: ConnectionInfo = { status: 'connected', transport: 'electron', detail: null, retryInMs: null };
  return { api, connection: () => info, onConnection: () => () => undefined, close: () => undefined };
}

/** Picks the transport for this page. */
export function createClient(): ConductorClient {
  if (window.conductor) return createElectronClient(window.conductor);
  const url = webSocketUrl(window.location);
  return createWebSocketClient({
    url,
    createSocket: (u) => new WebSocket(u) as unknown as SocketLike,
    ...(url.includes('?token=') ? {} : { failureHint: 'no #token=… in the page address (open the link that browser mode prints)' }),
  });
}

