// The implementations behind the `conductor` host functions (exec, midi_send, notify, http_request, ws_*, setting,
// system): guest-memory I/O, return codes, per-call budgets, host events. Gating is the runtime's job —
// it links these only for granted capabilities; this module must never be reached for an ungranted one.
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { splitMidiBytes } from '../../../src-shared/midi-bytes';
import type { PluginHostEvent } from '../../../src-shared/plugin';
import { HOST_ERROR, HOST_ERROR_MIN, HOST_LIMITS } from '../common/import-catalogue';
import { parseExecRequest, runProgram } from './exec';
import { BlockingHttpClient, parseHttpRequest } from './http-client';
import { parseSystemRequest, runSystemRequest } from './system-control';
import { parseWsOpenRequest, WsClient } from './ws-client';
import { osModule } from './builtins';
import type { SandboxSettings } from '../common/settings';

/** How much of the call's wall-clock budget a blocking host function leaves unused, so the call can still return. */
export function deadlineMarginMs(callTimeoutMs: number): number {
  return Math.min(500, Math.max(50, callTimeoutMs / 10));
}

/** Which hosts http_request may reach: a list (empty = any public host), or a reason every request is refused. */
export type HostPolicy = { hosts: readonly string[] } | { refused: string };

/** What the host functions need from the runtime. */
export interface GuestAccess {
  /** A bounds-checked view of guest memory; throws (failing the call as a trap) when out of bounds. */
  bytes(ptr: number, len: number, what: string): Uint8Array;
  /** A message in the plugin's call log (2 = warn). */
  log(level: number, text: string): void;
  /** performance.now() value at which the current call's wall-clock budget ends. */
  deadline(): number;
  callTimeoutMs(): number;
  /** Where exec runs programs: the plugin's data dir when it has the filesystem grant, else null. */
  workDir(): string | null;
  hostPolicy(): HostPolicy;
  /** The plugin's settings as the host last sent them (values with defaults filled in, declared names). */
  settings(): SandboxSettings;
  /** The plugin says its OAuth token was refused: the call's result asks the host to refresh it and run the call again. */
  tokenRefused(): void;
  /** Delivers a host event; null when nothing receives them in this runtime. */
  readonly emit: ((event: PluginHostEvent) => void) | null;
}

type Impl = (...args: number[]) => number;

const encoder = new TextEncoder();
const strict = new TextDecoder('utf-8', { fatal: true });

/** Thrown inside an implementation to return a negative code (after logging the reason). */
class HostCallError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export class ConductorImports {
  private readonly http = new BlockingHttpClient();
  private readonly ws = new WsClient();
  private events = 0;
  private midiBytes = 0;

  constructor(private readonly guest: GuestAccess) {}

  /** Resets the per-call budgets; the runtime calls it before every entry into the guest. */
  beginCall(): void {
    this.events = 0;
    this.midiBytes = 0;
  }

  /** Closes the plugin's WebSockets (the instance is being replaced: a trap, out of fuel); handles become unknown. */
  closeConnections(): void {
    this.ws.closeAll(1001, 'plugin reset');
  }

  /** Stops the HTTP worker, if one was started, and closes the WebSockets and their worker. */
  close(): void {
    this.http.close();
    this.ws.shutdown();
  }

  /** Implementations by catalogue name (the runtime links only the granted ones). */
  implementations(): Record<string, Impl> {
    return {
      exec: (reqPtr = 0, reqLen = 0, outPtr = 0, outCap = 0) =>
        this.guard('exec', () => {
          const out = this.outBuffer('exec', outPtr, outCap);
          const req = parseExecRequest(this.requestText('exec', reqPtr, reqLen));
          if (typeof req === 'string') throw new HostCallError(HOST_ERROR.invalid, req);
          const dir = this.guest.workDir();
          const cwd = dir !== null && existsSync(dir) ? dir : osModule().tmpdir();
          const response = runProgram(req, { cwd, timeoutMs: this.timeLeft(), graceMs: deadlineMarginMs(this.guest.callTimeoutMs()) / 2 });
          return this.respond(out, response);
        }),
      midi_send: (ptr = 0, len = 0) =>
        this.guard('midi_send', () => {
          const n = len >>> 0;
          if (n > HOST_LIMITS.midiMessageBytes) throw new HostCallError(HOST_ERROR.tooLarge, `${n} bytes (limit ${HOST_LIMITS.midiMessageBytes})`);
          const bytes = this.guest.bytes(ptr >>> 0, n, 'conductor.midi_send bytes');
          const frames = splitMidiBytes(bytes);
          if (!frames.ok) throw new HostCallError(HOST_ERROR.invalid, `not valid MIDI: ${frames.error}`);
          if (this.midiBytes + n > HOST_LIMITS.midiBytesPerCall) {
            throw new HostCallError(HOST_ERROR.limit, `more than ${HOST_LIMITS.midiBytesPerCall} bytes of MIDI in one call`);
          }
          this.emitEvent({ kind: 'midi', bytes: Array.from(bytes), port: null });
          this.midiBytes += n;
          return 0;
        }),
      notify: (titlePtr = 0, titleLen = 0, bodyPtr = 0, bodyLen = 0) =>
        this.guard('notify', () => {
          const title = this.text('notify', 'title', titlePtr, titleLen, HOST_LIMITS.notifyTitleBytes);
          const body = this.text('notify', 'body', bodyPtr, bodyLen, HOST_LIMITS.notifyBodyBytes);
          if (title.trim() === '') throw new HostCallError(HOST_ERROR.invalid, 'the title is empty');
          this.emitEvent({ kind: 'notify', title, body });
          return 0;
        }),
      setting: (namePtr = 0, nameLen = 0, outPtr = 0, outCap = 0) =>
        this.guard('setting', () => {
          const out = this.outBuffer('setting', outPtr, outCap);
          const name = this.text('setting', 'name', namePtr, nameLen, 64);
          const { values, declared } = this.guest.settings();
          if (!declared.includes(name)) throw new HostCallError(HOST_ERROR.invalid, `the metadata declares no setting ${JSON.stringify(name)}`);
          const value = values[name];
          if (value === undefined) return HOST_ERROR.notSet; // not an error worth a log line: optional and unset
          return this.respond(out, { name, value });
        }),
      oauth_token: (flags = 0, outPtr = 0, outCap = 0) =>
        this.guard('oauth_token', () => {
          const out = this.outBuffer('oauth_token', outPtr, outCap);
          if ((flags & 1) !== 0) {
            this.guest.tokenRefused();
            return 0;
          }
          const token = this.guest.settings().oauthToken;
          if (!token) return HOST_ERROR.notSet; // not connected: the plugin says so in its own words
          return this.respond(out, token);
        }),
      http_request: (reqPtr = 0, reqLen = 0, outPtr = 0, outCap = 0) =>
        this.guard('http_request', () => {
          const out = this.outBuffer('http_request', outPtr, outCap);
          const req = parseHttpRequest(this.requestText('http_request', reqPtr, reqLen));
          if ('invalid' in req) throw new HostCallError(HOST_ERROR.invalid, req.invalid);
          if ('denied' in req) throw new HostCallError(HOST_ERROR.denied, req.denied);
          if (req.body !== null && Buffer.byteLength(req.body) > HOST_LIMITS.httpBodyBytes) {
            throw new HostCallError(HOST_ERROR.tooLarge, `request body is larger than ${HOST_LIMITS.httpBodyBytes} bytes`);
          }
          const policy = this.guest.hostPolicy();
          if ('refused' in policy) throw new HostCallError(HOST_ERROR.denied, policy.refused);
          const margin = deadlineMarginMs(this.guest.callTimeoutMs());
          const response = this.http.request(req, policy.hosts, this.timeLeft(), margin / 2);
          if ('denied' in response) throw new HostCallError(HOST_ERROR.denied, response.denied);
          return this.respond(out, response);
        }),
      ws_open: (reqPtr = 0, reqLen = 0, outPtr = 0, outCap = 0) =>
        this.guard('ws_open', () => {
          const out = this.outBuffer('ws_open', outPtr, outCap);
          const req = parseWsOpenRequest(this.requestText('ws_open', reqPtr, reqLen));
          if ('invalid' in req) throw new HostCallError(HOST_ERROR.invalid, req.invalid);
          if ('denied' in req) throw new HostCallError(HOST_ERROR.denied, req.denied);
          const policy = this.guest.hostPolicy();
          if ('refused' in policy) throw new HostCallError(HOST_ERROR.denied, policy.refused);
          const opened = this.ws.open(req, policy.hosts, this.timeLeft(), this.graceMs());
          if ('denied' in opened) throw new HostCallError(HOST_ERROR.denied, opened.denied);
          if ('limit' in opened) throw new HostCallError(HOST_ERROR.limit, opened.limit);
          if ('error' in opened) return this.respond(out, { error: opened.error.length >= 8 ? opened.error : `failed: ${opened.error || 'no reason given'}` });
          const code = this.respond(out, opened);
          if (code < 0) this.ws.close(opened.handle, this.quickWaitMs()); // the plugin never learns the handle
          return code;
        }),
      ws_send: (handle = 0, kind = 0, ptr = 0, len = 0) =>
        this.guard('ws_send', () => {
          if (kind !== 0 && kind !== 1) throw new HostCallError(HOST_ERROR.invalid, `kind ${kind} is neither 0 (text) nor 1 (binary)`);
          const n = len >>> 0;
          if (n > HOST_LIMITS.wsMessageBytes) throw new HostCallError(HOST_ERROR.tooLarge, `message of ${n} bytes (limit ${HOST_LIMITS.wsMessageBytes})`);
          const bytes = this.guest.bytes(ptr >>> 0, n, 'conductor.ws_send message');
          if (kind === 0) {
            try {
              strict.decode(bytes);
            } catch {
              throw new HostCallError(HOST_ERROR.invalid, 'a text message must be valid UTF-8 (send it as binary, kind 1)');
            }
          }
          const sent = this.ws.send(handle, kind === 1, bytes, Math.max(0, this.timeLeft()), this.graceMs());
          if (sent === 'closed') throw new HostCallError(HOST_ERROR.closed, `handle ${handle} is not an open WebSocket`);
          if (sent !== 'sent') throw new HostCallError(HOST_ERROR.limit, sent.limit);
          return 0;
        }),
      ws_recv: (handle = 0, timeoutMs = 0, outPtr = 0, outCap = 0) =>
        this.guard('ws_recv', () => {
          const out = this.outBuffer('ws_recv', outPtr, outCap);
          if (timeoutMs < 0) throw new HostCallError(HOST_ERROR.invalid, `timeout_ms ${timeoutMs} is negative`);
          const waitMs = Math.max(0, Math.min(timeoutMs, this.timeLeft()));
          const received = this.ws.recv(handle, waitMs, out.cap, this.graceMs());
          if (received === 'closed') throw new HostCallError(HOST_ERROR.closed, `handle ${handle} is not an open WebSocket`);
          if ('needed' in received) return -received.needed;
          if (received.bytes.byteLength > out.cap) throw new Error('ws_recv: the worker ignored the out buffer size');
          this.guest.bytes(out.ptr, received.bytes.byteLength, 'out buffer').set(received.bytes);
          return received.bytes.byteLength;
        }),
      system: (reqPtr = 0, reqLen = 0, outPtr = 0, outCap = 0) =>
        this.guard('system', () => {
          const out = this.outBuffer('system', outPtr, outCap);
          const req = parseSystemRequest(this.requestText('system', reqPtr, reqLen));
          if (typeof req === 'string') throw new HostCallError(HOST_ERROR.invalid, req);
          const done = runSystemRequest(req, { timeLeftMs: () => this.timeLeft(), note: (text) => this.guest.log(1, `conductor.system: ${text}`) });
          if ('unavailable' in done) throw new HostCallError(HOST_ERROR.unavailable, done.unavailable);
          return this.respond(out, done);
        }),
      ws_close: (handle = 0) =>
        this.guard('ws_close', () => {
          if (this.ws.close(handle, this.quickWaitMs()) === 'closed') throw new HostCallError(HOST_ERROR.closed, `handle ${handle} is not an open WebSocket`);
          return 0;
        }),
    };
  }

  /** Runs an implementation; a HostCallError becomes its code plus a warning in the plugin's log. */
  private guard(name: string, body: () => number): number {
    try {
      return body();
    } catch (err) {
      if (!(err instanceof HostCallError)) throw err;
      this.guest.log(2, `conductor.${name}: ${err.message} (returned ${err.code})`);
      return err.code;
    }
  }

  /** How long past its own timeout a blocking worker job may take to report (half the margin). */
  private graceMs(): number {
    return deadlineMarginMs(this.guest.callTimeoutMs()) / 2;
  }

  /** The wait for a worker job that answers at once (ws_close): up to the deadline minus half the margin. */
  private quickWaitMs(): number {
    return Math.max(0, this.timeLeft()) + this.graceMs();
  }

  /** Milliseconds a blocking operation may take: to the call's deadline, minus the margin. */
  private timeLeft(): number {
    return this.guest.deadline() - deadlineMarginMs(this.guest.callTimeoutMs()) - performance.now();
  }

  private outBuffer(name: string, ptr: number, cap: number): { ptr: number; cap: number } {
    const p = ptr >>> 0;
    const n = cap >>> 0;
    this.guest.bytes(p, n, `conductor.${name} out buffer`); // bounds check before doing anything
    return { ptr: p, cap: n };
  }

  private requestText(name: string, ptr: number, len: number): string {
    const n = len >>> 0;
    if (n > HOST_LIMITS.requestBytes) throw new HostCallError(HOST_ERROR.tooLarge, `request of ${n} bytes (limit ${HOST_LIMITS.requestBytes})`);
    const bytes = this.guest.bytes(ptr >>> 0, n, `conductor.${name} request`);
    try {
      return strict.decode(bytes);
    } catch {
      throw new HostCallError(HOST_ERROR.invalid, 'request is not valid UTF-8');
    }
  }

  private text(name: string, what: string, ptr: number, len: number, limit: number): string {
    const n = len >>> 0;
    if (n > limit) throw new HostCallError(HOST_ERROR.tooLarge, `${what} of ${n} bytes (limit ${limit})`);
    const bytes = this.guest.bytes(ptr >>> 0, n, `conductor.${name} ${what}`);
    try {
      return strict.decode(bytes);
    } catch {
      throw new HostCallError(HOST_ERROR.invalid, `${what} is not valid UTF-8`);
    }
  }

  /** Writes the JSON response, or returns -(bytes needed) and writes nothing when it does not fit. */
  private respond(out: { ptr: number; cap: number }, response: object): number {
    const bytes = encoder.encode(JSON.stringify(response));
    if (bytes.byteLength <= -HOST_ERROR_MIN) throw new Error(`response of ${bytes.byteLength} bytes is too short to be told apart from an error code`);
    if (bytes.byteLength > out.cap) return -bytes.byteLength;
    this.guest.bytes(out.ptr, bytes.byteLength, 'out buffer').set(bytes);
    return bytes.byteLength;
  }

  private emitEvent(event: PluginHostEvent): void {
    const emit = this.guest.emit;
    if (!emit) throw new HostCallError(HOST_ERROR.unavailable, 'nothing receives host events in this runtime');
    if (this.events >= HOST_LIMITS.eventsPerCall) throw new HostCallError(HOST_ERROR.limit, `more than ${HOST_LIMITS.eventsPerCall} host events in one call`);
    this.events++;
    emit(event);
  }
}
