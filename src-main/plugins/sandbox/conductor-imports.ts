// The implementations behind the capability-gated `conductor` host functions (exec, midi_send, notify,
// http_request): guest-memory I/O, return codes, per-call budgets, host events. Gating is the runtime's job —
// it links these only for granted capabilities; this module must never be reached for an ungranted one.
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { splitMidiBytes } from '../../../src-shared/midi-bytes';
import type { PluginHostEvent } from '../../../src-shared/plugin';
import { HOST_ERROR, HOST_ERROR_MIN, HOST_LIMITS } from '../common/import-catalogue';
import { parseExecRequest, runProgram } from './exec';
import { BlockingHttpClient, parseHttpRequest } from './http-client';

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
  private events = 0;
  private midiBytes = 0;

  constructor(private readonly guest: GuestAccess) {}

  /** Resets the per-call budgets; the runtime calls it before every entry into the guest. */
  beginCall(): void {
    this.events = 0;
    this.midiBytes = 0;
  }

  /** Stops the HTTP worker, if one was started. */
  close(): void {
    this.http.close();
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
          const cwd = dir !== null && existsSync(dir) ? dir : tmpdir();
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
