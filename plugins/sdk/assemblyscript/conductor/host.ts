// AssemblyScript SDK for Conductor plugins — safe wrappers for the capability-gated host functions and their error codes.
// Must build every request with jsonQuote, never retry exec, and retry http_request only once and only for GET/HEAD/OPTIONS.
import * as raw from "./conductor";
import { PluginError } from "./errors";
import { jsonQuote, parseJson, JsonValue } from "./json";
import { log } from "./log";

/** Default size of the response buffer for exec and http_request (256 KiB). */
export const DEFAULT_CAPACITY: i32 = 256 * 1024;

/** The host functions' error codes. BufferTooSmall stands for every r <= -16 (−r bytes needed). */
export enum HostErrorKind {
  /** -1: the request is malformed (JSON, field types, unknown field), or the MIDI is not valid. */
  Invalid = -1,
  /** -2: the request or message is over the function's size limit. */
  TooLarge = -2,
  /** -3: refused by policy (a URL that is not http/https, a host not in allowed_hosts). */
  Denied = -3,
  /** -4: a per-call budget is used up (host events, MIDI bytes). */
  Limit = -4,
  /** -5: the host cannot do it here (no receiver for MIDI/notifications). */
  Unavailable = -5,
  /** -6 … -15: reserved codes this SDK does not know yet (see `HostError.code`). */
  Other = -6,
  /** r <= -16: the response buffer was too small; `needed` bytes are (nothing was written). */
  BufferTooSmall = -16,
}

/** A host function's error return. The host has already logged the reason as a warning. */
export class HostError {
  kind: HostErrorKind;
  /** The raw return value. */
  code: i32;
  /** For BufferTooSmall: the buffer size the response needs; 0 otherwise. */
  needed: i32;

  constructor(code: i32) {
    this.code = code;
    this.needed = 0;
    if (code <= -16) {
      this.kind = HostErrorKind.BufferTooSmall;
      this.needed = -code;
    } else if (code >= -5 && code <= -1) {
      this.kind = <HostErrorKind>code;
    } else {
      this.kind = HostErrorKind.Other;
    }
  }

  /** "Denied", "BufferTooSmall", … */
  get name(): string {
    switch (this.kind) {
      case HostErrorKind.Invalid:
        return "Invalid";
      case HostErrorKind.TooLarge:
        return "TooLarge";
      case HostErrorKind.Denied:
        return "Denied";
      case HostErrorKind.Limit:
        return "Limit";
      case HostErrorKind.Unavailable:
        return "Unavailable";
      case HostErrorKind.BufferTooSmall:
        return "BufferTooSmall";
      default:
        return "Other";
    }
  }

  /** e.g. `Denied (-3)` or `BufferTooSmall (needs 300123 bytes)`. */
  toString(): string {
    if (this.kind == HostErrorKind.BufferTooSmall) return "BufferTooSmall (needs " + this.needed.toString() + " bytes)";
    return this.name + " (" + this.code.toString() + ")";
  }

  /** A PluginError to return from your action: `<what> failed: <this>`, with the given code (default 1). */
  toPluginError(what: string, code: i32 = 1): PluginError {
    return new PluginError(what + " failed: " + this.toString(), code);
  }
}

/** An error return as a HostError, or null for success (r >= 0). */
function check(r: i32): HostError | null {
  return r >= 0 ? null : new HostError(r);
}

class RawResponse {
  error: HostError | null = null;
  json: JsonValue | null = null;
  /** Set when the response could not be read (should not happen: the host writes valid JSON). */
  unreadable: string | null = null;
}

/** Calls exec or http_request with the request text and a response buffer of `capacity` bytes. */
function callWithBuffer(http: bool, request: string, capacity: i32): RawResponse {
  const out = new RawResponse();
  const req = String.UTF8.encode(request); // jsonQuote escaped lone surrogates: always valid UTF-8
  const cap = <usize>(capacity < 16 ? 16 : capacity);
  const buf = heap.alloc(cap);
  const reqPtr = changetype<usize>(req);
  const reqLen = <usize>req.byteLength;
  const r = http ? raw.http_request(reqPtr, reqLen, buf, cap) : raw.exec(reqPtr, reqLen, buf, cap);
  if (r < 0) {
    heap.free(buf);
    out.error = new HostError(r);
    return out;
  }
  const text = String.UTF8.decodeUnsafe(buf, <usize>r);
  heap.free(buf);
  const parsed = parseJson(text);
  if (parsed.value === null || !parsed.value!.isObject) {
    out.unreadable = "unreadable response from the host: " + (parsed.value === null ? parsed.error : "not an object");
  } else {
    out.json = parsed.value;
  }
  return out;
}

function stringMember(obj: JsonValue, key: string): string | null {
  const v = obj.get(key);
  return v !== null && v.isString ? v.stringValue : null;
}

function boolMember(obj: JsonValue, key: string): bool {
  const v = obj.get(key);
  return v !== null && v.isBool && v.boolValue;
}

// ---------------------------------------------------------------------------------------------------------------
// http_request (capability "network")

/** What httpRequest returns. Check `hostError` (refused/failed call), then `error` (no response), then `status`. */
export class HttpResponse {
  /** Set when the host function returned an error code (e.g. Denied); nothing else is then set. */
  hostError: HostError | null = null;
  /** Whether a response arrived (`status` is meaningful); false when `error` says why not. */
  hasStatus: bool = false;
  /** The HTTP status (0 when there is none). */
  status: i32 = 0;
  /** Response headers, names in lower case (repeated headers joined with ", "). */
  headers: Map<string, string> = new Map<string, string>();
  /** The body, decoded as UTF-8. */
  body: string = "";
  /** The body was cut at the host's 1 MiB cap. */
  truncated: bool = false;
  /** Why there is no response (e.g. "connect ECONNREFUSED …", a timeout), or null. */
  error: string | null = null;

  /** A response with a 2xx status. */
  get ok(): bool {
    return this.hostError === null && this.hasStatus && this.status >= 200 && this.status < 300;
  }
}

function isIdempotent(method: string): bool {
  const m = method.toUpperCase();
  return m == "GET" || m == "HEAD" || m == "OPTIONS";
}

/**
 * A blocking HTTP(S) request (`network` capability). `headers`: string values; `body`: not for GET/HEAD.
 * The response buffer is `capacity` bytes (default 256 KiB); if the response is larger, a GET/HEAD/OPTIONS is sent
 * once more with the size the host asked for, anything else returns `hostError` BufferTooSmall (sending it again
 * could repeat its effect — call again yourself with `capacity` = `hostError.needed` if that is safe).
 */
export function httpRequest(
  method: string,
  url: string,
  headers: Map<string, string> | null = null,
  body: string | null = null,
  capacity: i32 = DEFAULT_CAPACITY,
): HttpResponse {
  const parts = new Array<string>();
  parts.push('{"method":');
  parts.push(jsonQuote(method));
  parts.push(',"url":');
  parts.push(jsonQuote(url));
  if (headers !== null) {
    parts.push(',"headers":{');
    const names = headers.keys();
    for (let i = 0; i < names.length; i++) {
      if (i > 0) parts.push(",");
      parts.push(jsonQuote(names[i]));
      parts.push(":");
      parts.push(jsonQuote(headers.get(names[i])));
    }
    parts.push("}");
  }
  if (body !== null) {
    parts.push(',"body":');
    parts.push(jsonQuote(body));
  }
  parts.push("}");
  const request = parts.join("");

  let res = callWithBuffer(true, request, capacity);
  const first = res.error;
  if (first !== null && first.kind == HostErrorKind.BufferTooSmall && isIdempotent(method)) {
    res = callWithBuffer(true, request, first.needed);
  }
  const out = new HttpResponse();
  if (res.error !== null) {
    out.hostError = res.error;
    return out;
  }
  if (res.json === null) {
    out.error = res.unreadable;
    return out;
  }
  const json = res.json!;
  const status = json.get("status");
  if (status !== null && status.isInteger) {
    out.hasStatus = true;
    out.status = <i32>status.integerValue;
  }
  const h = json.get("headers");
  if (h !== null && h.isObject) {
    for (let i = 0; i < h.keys.length; i++) {
      const v = h.values[i];
      if (v.isString) out.headers.set(h.keys[i], v.stringValue);
    }
  }
  const b = stringMember(json, "body");
  if (b !== null) out.body = b;
  out.truncated = boolMember(json, "truncated");
  out.error = stringMember(json, "error");
  return out;
}

/** httpRequest("GET", url, headers). */
export function httpGet(url: string, headers: Map<string, string> | null = null, capacity: i32 = DEFAULT_CAPACITY): HttpResponse {
  return httpRequest("GET", url, headers, null, capacity);
}

// ---------------------------------------------------------------------------------------------------------------
// exec (capability "subprocess")

/** What exec returns. Check `hostError`, then `error` (did not run to completion), then `status`/`signal`. */
export class ExecResult {
  /** Set when the host function returned an error code (BufferTooSmall: the program HAS run). */
  hostError: HostError | null = null;
  /** Whether the program exited (`status` is its exit code); false if killed or never started. */
  hasStatus: bool = false;
  status: i32 = 0;
  /** The signal that ended it, e.g. "SIGKILL", or null. */
  signal: string | null = null;
  stdout: string = "";
  stderr: string = "";
  /** Output passed the host's 1 MiB cap and the process was killed. */
  truncated: bool = false;
  /** Why it did not run to completion ("program not found: …", a timeout), or null. */
  error: string | null = null;

  /** Exited with status 0. */
  get ok(): bool {
    return this.hostError === null && this.error === null && this.hasStatus && this.status == 0;
  }
}

/**
 * Runs `program` with `args` — no shell — outside the sandbox (`subprocess` capability), with `stdin` (or nothing).
 * The response buffer is `capacity` bytes (default 256 KiB). Never retried: if the output does not fit, `hostError`
 * is BufferTooSmall with `needed`, and calling again would run the program again.
 */
export function exec(program: string, args: string[] = [], stdin: string | null = null, capacity: i32 = DEFAULT_CAPACITY): ExecResult {
  const parts = new Array<string>();
  parts.push('{"program":');
  parts.push(jsonQuote(program));
  parts.push(',"args":[');
  for (let i = 0; i < args.length; i++) {
    if (i > 0) parts.push(",");
    parts.push(jsonQuote(args[i]));
  }
  parts.push("]");
  if (stdin !== null) {
    parts.push(',"stdin":');
    parts.push(jsonQuote(stdin));
  }
  parts.push("}");
  const res = callWithBuffer(false, parts.join(""), capacity);
  const out = new ExecResult();
  if (res.error !== null) {
    out.hostError = res.error;
    return out;
  }
  if (res.json === null) {
    out.error = res.unreadable;
    return out;
  }
  const json = res.json!;
  const status = json.get("status");
  if (status !== null && status.isInteger) {
    out.hasStatus = true;
    out.status = <i32>status.integerValue;
  }
  out.signal = stringMember(json, "signal");
  const so = stringMember(json, "stdout");
  if (so !== null) out.stdout = so;
  const se = stringMember(json, "stderr");
  if (se !== null) out.stderr = se;
  out.truncated = boolMember(json, "truncated");
  out.error = stringMember(json, "error");
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// midi_send (capability "midi") and notify (capability "systemcontrol")

/** Sends raw MIDI: one or more complete messages, each with its status byte (`midi` capability). */
export function midiSend(bytes: u8[]): HostError | null {
  const n = bytes.length;
  const buf = heap.alloc(n > 0 ? <usize>n : 1);
  for (let i = 0; i < n; i++) store<u8>(buf + <usize>i, bytes[i]);
  const r = raw.midi_send(buf, <usize>n);
  heap.free(buf);
  return check(r);
}

/** A channel message `status | channel, a, b`, after checking the ranges (0..15, 0..127). */
function channelMessage(what: string, status: i32, channel: i32, a: i32, b: i32): HostError | null {
  if (channel < 0 || channel > 15 || a < 0 || a > 127 || b < 0 || b > 127) {
    log.warn(
      "conductor: " + what + "(" + channel.toString() + ", " + a.toString() + ", " + b.toString() +
        "): channel must be 0..15 and data 0..127 (not sent)",
    );
    return new HostError(HostErrorKind.Invalid);
  }
  return midiSend([<u8>(status | channel), <u8>a, <u8>b]);
}

/** Note On: channel 0..15, note 0..127, velocity 0..127. */
export function noteOn(channel: i32, note: i32, velocity: i32): HostError | null {
  return channelMessage("noteOn", 0x90, channel, note, velocity);
}

/** Note Off: channel 0..15, note 0..127, release velocity 0..127 (default 0). */
export function noteOff(channel: i32, note: i32, velocity: i32 = 0): HostError | null {
  return channelMessage("noteOff", 0x80, channel, note, velocity);
}

/** Control Change: channel 0..15, controller 0..127, value 0..127. */
export function controlChange(channel: i32, cc: i32, value: i32): HostError | null {
  return channelMessage("controlChange", 0xb0, channel, cc, value);
}

/** Shows a desktop notification (`systemcontrol` capability). Title: non-empty, ≤ 256 bytes; body ≤ 4096 bytes. */
export function notify(title: string, body: string): HostError | null {
  const t = String.UTF8.encode(title, false, String.UTF8.ErrorMode.REPLACE);
  const b = String.UTF8.encode(body, false, String.UTF8.ErrorMode.REPLACE);
  return check(raw.notify(changetype<usize>(t), <usize>t.byteLength, changetype<usize>(b), <usize>b.byteLength));
}
