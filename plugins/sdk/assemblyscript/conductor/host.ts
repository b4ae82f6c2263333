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
  /** -6: the WebSocket handle is not an open socket (closed by either side, or dropped). */
  Closed = -6,
  /** Another code of -7 … -15 that this SDK does not know (see `HostError.code`). */
  Other = -15,
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
    } else if (code >= -6 && code <= -1) {
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
      case HostErrorKind.Closed:
        return "Closed";
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

// ---------------------------------------------------------------------------------------------------------------
// system (capability "systemcontrol"): lock screen, sleep, brightness, volume

/** The response buffer for system (1 KiB: the host keeps every response under it). */
export const SYSTEM_CAPACITY: i32 = 1024;

/**
 * What the system wrappers return. Check `hostError` (Unavailable: this platform cannot do it at all; Invalid: a
 * value out of range), then `error` (tried on this computer and failed, e.g. "no backlight device found …").
 */
export class SystemResult {
  hostError: HostError | null = null;
  /** Why the operation failed, as the host said it, or null. */
  error: string | null = null;
  /** Brightness in percent (0..100) after the operation; -1 if not a brightness operation. */
  brightness: i32 = -1;
  /** Output volume in percent (may be above 100 if the user set it so) after the operation; -1 if not a volume operation. */
  volume: i32 = -1;
  /** Whether the output is muted (volume operations). */
  muted: bool = false;

  get ok(): bool {
    return this.hostError === null && this.error === null;
  }

  /** A PluginError for a failed result (`<what> failed: …`), or null when ok. */
  toPluginError(what: string, code: i32 = 1): PluginError | null {
    const e = this.hostError;
    if (e !== null) return e.toPluginError(what, code);
    const msg = this.error;
    return msg !== null ? new PluginError(what + " failed: " + msg, code) : null;
  }
}

/** Calls system with a request built here (only fixed names and integers: no quoting needed). Never retried. */
function systemCall(request: string): SystemResult {
  const out = new SystemResult();
  const req = String.UTF8.encode(request);
  const buf = heap.alloc(<usize>SYSTEM_CAPACITY);
  const r = raw.system(changetype<usize>(req), <usize>req.byteLength, buf, <usize>SYSTEM_CAPACITY);
  if (r < 0) {
    heap.free(buf);
    out.hostError = new HostError(r);
    return out;
  }
  const text = String.UTF8.decodeUnsafe(buf, <usize>r);
  heap.free(buf);
  const parsed = parseJson(text);
  const json = parsed.value;
  if (json === null || !json.isObject) {
    out.error = "unreadable response from the host: " + (json === null ? parsed.error : "not an object");
    return out;
  }
  if (!boolMember(json, "ok")) {
    const error = stringMember(json, "error");
    out.error = error === null ? "failed (no reason given)" : error;
    return out;
  }
  const b = json.get("brightness");
  if (b !== null && b.isInteger) out.brightness = <i32>b.integerValue;
  const v = json.get("volume");
  if (v !== null && v.isInteger) out.volume = <i32>v.integerValue;
  out.muted = boolMember(json, "muted");
  return out;
}

/** Checks a level argument; out of range is Invalid (logged here, not sent). */
function levelRequest(op: string, field: string, value: i32, min: i32): SystemResult | null {
  if (value >= min && value <= 100) return null;
  log.warn("conductor: " + op + " " + field + " " + value.toString() + " is outside " + min.toString() + "..100 (not sent)");
  const out = new SystemResult();
  out.hostError = new HostError(HostErrorKind.Invalid);
  return out;
}

/** Locks the screen (`systemcontrol` capability). */
export function lockScreen(): SystemResult {
  return systemCall('{"op":"lock_screen"}');
}

/** Suspends the computer (sleep; not a pause of the plugin). The call may return just before the computer sleeps. */
export function sleep(): SystemResult {
  return systemCall('{"op":"sleep"}');
}

/** The display brightness in percent (`result.brightness`). */
export function getBrightness(): SystemResult {
  return systemCall('{"op":"brightness"}');
}

/** Sets the display brightness to `percent` (0..100). */
export function setBrightness(percent: i32): SystemResult {
  const bad = levelRequest("brightness", "set", percent, 0);
  return bad !== null ? bad : systemCall('{"op":"brightness","set":' + percent.toString() + "}");
}

/** Changes the display brightness by `delta` percentage points (-100..100), clamped to 0..100. */
export function changeBrightness(delta: i32): SystemResult {
  const bad = levelRequest("brightness", "change", delta, -100);
  return bad !== null ? bad : systemCall('{"op":"brightness","change":' + delta.toString() + "}");
}

/** The output volume in percent and whether it is muted (`result.volume`, `result.muted`). */
export function getVolume(): SystemResult {
  return systemCall('{"op":"volume"}');
}

/** Sets the output volume to `percent` (0..100). */
export function setVolume(percent: i32): SystemResult {
  const bad = levelRequest("volume", "set", percent, 0);
  return bad !== null ? bad : systemCall('{"op":"volume","set":' + percent.toString() + "}");
}

/** Changes the output volume by `delta` percentage points (-100..100); never past 0, nor further above 100. */
export function changeVolume(delta: i32): SystemResult {
  const bad = levelRequest("volume", "change", delta, -100);
  return bad !== null ? bad : systemCall('{"op":"volume","change":' + delta.toString() + "}");
}

/** Mutes the output. */
export function mute(): SystemResult {
  return systemCall('{"op":"volume","mute":true}');
}

/** Unmutes the output. */
export function unmute(): SystemResult {
  return systemCall('{"op":"volume","mute":false}');
}

// ---------------------------------------------------------------------------------------------------------------
// WebSocket: ws_open, ws_send, ws_recv, ws_close (capability "network")

/** What a WsMessage is. */
export enum WsMessageType {
  Text = 0,
  Binary = 1,
  /** Nothing arrived within the wait; the socket is still open. */
  Timeout = 2,
  /** The socket is closed (`code`, `reason`): reported once; the WebSocket is then closed for good. */
  Closed = 3,
}

/** What WebSocket.recv returns. Check `hostError` (e.g. Closed: the socket was already gone), then `type`. */
export class WsMessage {
  hostError: HostError | null = null;
  type: WsMessageType = WsMessageType.Timeout;
  /** Text: the message. */
  text: string = "";
  /** Binary: the message's bytes. */
  data: Uint8Array = new Uint8Array(0);
  /** Closed: the close code (1000 normal, 1006 connection lost, 1009 message over 1 MiB, 1008 too much queued). */
  code: i32 = 0;
  /** Closed: the reason. */
  reason: string = "";

  get isText(): bool {
    return this.hostError === null && this.type == WsMessageType.Text;
  }
  get isBinary(): bool {
    return this.hostError === null && this.type == WsMessageType.Binary;
  }
  get isTimeout(): bool {
    return this.hostError === null && this.type == WsMessageType.Timeout;
  }
  /** The socket is gone: a Closed message, or the host said the handle is not open. */
  get isClosed(): bool {
    const e = this.hostError;
    return e !== null ? e.kind == HostErrorKind.Closed : this.type == WsMessageType.Closed;
  }
}

/** What WebSocket.open returns. Check `hostError` (refused: Denied, Limit, Invalid), then `socket` (null: `error` says why). */
export class WsOpenResult {
  hostError: HostError | null = null;
  /** The open socket, or null. */
  socket: WebSocket | null = null;
  /** Why no socket was opened ("connect ECONNREFUSED …", a timeout, a refused handshake), or null. */
  error: string | null = null;
}

const WS_OPEN_CAPACITY: i32 = 4096;
/** Default buffer for WebSocket.recv (64 KiB); a larger message is taken with a second call of the size it needs. */
export const WS_RECV_CAPACITY: i32 = 64 * 1024;

/**
 * A WebSocket client (`network` capability; the http_request host rules: `allowed_hosts`, and local addresses only
 * when named there). The host keeps the socket between calls and queues what arrives: keep the object in a global
 * and reuse it (after a trap the instance is replaced, its globals reset, and the host closes its sockets).
 */
export class WebSocket {
  /** The host's handle (for the raw ws_* functions). */
  readonly handle: i32;
  /** The subprotocol the server chose ("" for none). */
  readonly protocol: string;
  /** False once closed: by close(), or after a Closed message or a Closed error. */
  isOpen: bool = true;

  constructor(handle: i32, protocol: string) {
    this.handle = handle;
    this.protocol = protocol;
  }

  /** Opens `url` (ws: or wss:), offering `protocols` (subprotocol names) to the server. */
  static open(url: string, protocols: string[] = []): WsOpenResult {
    const parts = new Array<string>();
    parts.push('{"url":');
    parts.push(jsonQuote(url));
    if (protocols.length > 0) {
      parts.push(',"protocols":[');
      for (let i = 0; i < protocols.length; i++) {
        if (i > 0) parts.push(",");
        parts.push(jsonQuote(protocols[i]));
      }
      parts.push("]");
    }
    parts.push("}");
    const req = String.UTF8.encode(parts.join(""));
    const out = new WsOpenResult();
    let cap = WS_OPEN_CAPACITY;
    let r: i32 = 0;
    let buf: usize = 0;
    // Too small a buffer: the host closed the socket it opened; opening again is safe.
    for (let attempt = 0; attempt < 2; attempt++) {
      buf = heap.alloc(<usize>cap);
      r = raw.ws_open(changetype<usize>(req), <usize>req.byteLength, buf, <usize>cap);
      if (r > -16 || attempt == 1) break;
      heap.free(buf);
      cap = -r;
    }
    if (r < 0) {
      heap.free(buf);
      out.hostError = new HostError(r);
      return out;
    }
    const text = String.UTF8.decodeUnsafe(buf, <usize>r);
    heap.free(buf);
    const parsed = parseJson(text);
    const json = parsed.value;
    if (json === null || !json.isObject) {
      out.error = "unreadable response from the host: " + (json === null ? parsed.error : "not an object");
      return out;
    }
    const handle = json.get("handle");
    if (handle !== null && handle.isInteger) {
      const protocol = stringMember(json, "protocol");
      out.socket = new WebSocket(<i32>handle.integerValue, protocol === null ? "" : protocol);
    } else {
      const error = stringMember(json, "error");
      out.error = error === null ? "no handle in the host's response" : error;
    }
    return out;
  }

  /** Sends a text message (lone surrogates become U+FFFD); at most 1 MiB of UTF-8. */
  sendText(text: string): HostError | null {
    const bytes = String.UTF8.encode(text, false, String.UTF8.ErrorMode.REPLACE);
    return this.sent(raw.ws_send(this.handle, 0, changetype<usize>(bytes), <usize>bytes.byteLength));
  }

  /** Sends a binary message; at most 1 MiB. */
  sendBinary(bytes: Uint8Array): HostError | null {
    return this.sent(raw.ws_send(this.handle, 1, bytes.dataStart, <usize>bytes.byteLength));
  }

  /**
   * The next message, waiting at most `timeoutMs` (0: do not wait; the host never waits past the call's deadline).
   * A message larger than `capacity` is taken with a second call of the size the host asks for (it stays queued).
   */
  recv(timeoutMs: i32 = 0, capacity: i32 = WS_RECV_CAPACITY): WsMessage {
    const out = new WsMessage();
    let cap = capacity < 32 ? 32 : capacity;
    let r: i32 = 0;
    let buf: usize = 0;
    for (let attempt = 0; attempt < 2; attempt++) {
      buf = heap.alloc(<usize>cap);
      r = raw.ws_recv(this.handle, attempt == 0 ? timeoutMs : 0, buf, <usize>cap);
      if (r > -16 || attempt == 1) break;
      heap.free(buf);
      cap = -r;
    }
    if (r < 0) {
      heap.free(buf);
      out.hostError = new HostError(r);
      if (r == HostErrorKind.Closed) this.isOpen = false;
      return out;
    }
    const text = String.UTF8.decodeUnsafe(buf, <usize>r);
    heap.free(buf);
    const parsed = parseJson(text);
    const json = parsed.value;
    const type = json !== null && json.isObject ? stringMember(json, "type") : null;
    if (json === null || type === null) {
      out.type = WsMessageType.Closed;
      out.code = 1006;
      out.reason = "unreadable response from the host";
      return out;
    }
    const data = stringMember(json, "data");
    if (type == "text") {
      out.type = WsMessageType.Text;
      out.text = data === null ? "" : data;
    } else if (type == "binary") {
      out.type = WsMessageType.Binary;
      out.data = decodeBase64(data === null ? "" : data);
    } else if (type == "closed") {
      out.type = WsMessageType.Closed;
      const code = json.get("code");
      out.code = code !== null && code.isInteger ? <i32>code.integerValue : 1006;
      const reason = stringMember(json, "reason");
      out.reason = reason === null ? "" : reason;
      this.isOpen = false;
    } else {
      out.type = WsMessageType.Timeout;
    }
    return out;
  }

  /** Closes the socket (queued messages are dropped). Closed if it was already gone. */
  close(): HostError | null {
    this.isOpen = false;
    return check(raw.ws_close(this.handle));
  }

  private sent(r: i32): HostError | null {
    if (r == HostErrorKind.Closed) this.isOpen = false;
    return check(r);
  }
}

/** The value of one base64 character, or -1. */
function base64Digit(c: i32): i32 {
  if (c >= 65 && c <= 90) return c - 65; // A-Z
  if (c >= 97 && c <= 122) return c - 71; // a-z
  if (c >= 48 && c <= 57) return c + 4; // 0-9
  if (c == 43) return 62; // +
  if (c == 47) return 63; // /
  return -1;
}

/** Decodes standard base64 (the host's encoding of binary messages); stops at "=" or any other character. */
function decodeBase64(s: string): Uint8Array {
  const out = new Uint8Array((s.length * 3) >> 2);
  let n = 0;
  let acc: u32 = 0;
  let bits = 0;
  for (let i = 0; i < s.length; i++) {
    const d = base64Digit(s.charCodeAt(i));
    if (d < 0) break;
    acc = (acc << 6) | <u32>d;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = <u8>((acc >> bits) & 0xff);
    }
  }
  return out.subarray(0, n);
}
