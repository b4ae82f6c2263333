// The obs-websocket 5 client of the OBS Studio plugin: connect + Hello/Identify (with authentication), requests and
// their responses, over the host's WebSocket functions. Must never log or return the password, nor wait without a bound.
import { JsonValue, PluginError, WebSocket, jsonQuote, log, parseJson } from "../../../sdk/assemblyscript/conductor";
import { authenticationString } from "./auth";

/** The longest wait for one message from OBS (Hello, Identified, a response), in ms. */
export const RESPONSE_TIMEOUT_MS: i32 = 2000;

/** execute's return codes (1 and 2 are the SDK's: a generic failure, unreadable input). */
export const CODE_BAD_PARAMS: i32 = 3;
export const CODE_UNREACHABLE: i32 = 4;
export const CODE_AUTH: i32 = 5;
export const CODE_REFUSED: i32 = 6;
export const CODE_NO_ANSWER: i32 = 7;

/** obs-websocket 5 opcodes. */
const OP_HELLO: i32 = 0;
const OP_IDENTIFY: i32 = 1;
const OP_IDENTIFIED: i32 = 2;
const OP_REQUEST: i32 = 6;
const OP_REQUEST_RESPONSE: i32 = 7;

/** obs-websocket 5 close code: the authentication string was wrong. */
const CLOSE_AUTHENTICATION_FAILED: i32 = 4009;

/** Where to find OBS and how to log in (from the plugin's settings). */
export class Target {
  /** host:port as a URL writes it, e.g. `127.0.0.1:4455` or `[::1]:4455`. */
  address: string;
  password: string;

  constructor(address: string, password: string) {
    this.address = address;
    this.password = password;
  }

  get url(): string {
    return "ws://" + this.address;
  }
}

/** The answer to one request: `ok` with `data` (responseData, or an empty object), or OBS's status code and comment. */
export class Response {
  ok: bool = false;
  /** requestStatus.code (100 = success; 500 output running, 501 not running, 600 not found, …). */
  code: i32 = 0;
  comment: string = "";
  data: JsonValue = JsonValue.newObject();
}

/** A request's outcome: the response, or a PluginError when there was none (not reachable, auth, no answer). */
export class Outcome {
  response: Response | null = null;
  error: PluginError | null = null;

  static of(response: Response): Outcome {
    const o = new Outcome();
    o.response = response;
    return o;
  }

  static failed(error: PluginError): Outcome {
    const o = new Outcome();
    o.error = error;
    return o;
  }
}

/** The connection kept between calls (the host keeps the socket while the plugin is idle). */
let socket: WebSocket | null = null;
/** What `socket` was identified with: url + "\n" + password (so a changed setting reconnects). */
let socketKey: string = "";
/** Makes requestIds unique within this instance. */
let nextRequest: i32 = 1;

function notReachable(target: Target): PluginError {
  return new PluginError(
    "OBS is not reachable at " + target.address + " (is OBS running with its WebSocket server on?)",
    CODE_UNREACHABLE,
  );
}

function dropSocket(): void {
  const s = socket;
  socket = null;
  socketKey = "";
  if (s !== null && s.isOpen) s.close();
}

/** The next text message parsed as an obs-websocket frame object, or why there is none. */
class Frame {
  json: JsonValue | null = null;
  timedOut: bool = false;
  closed: bool = false;
  closeCode: i32 = 0;
  closeReason: string = "";
}

function nextFrame(s: WebSocket, timeoutMs: i32): Frame {
  const f = new Frame();
  // Binary messages and text that is not a JSON object are not obs-websocket frames: skip them (bounded by the count).
  for (let skipped = 0; skipped < 1000; skipped++) {
    const m = s.recv(timeoutMs);
    if (m.isClosed) {
      f.closed = true;
      f.closeCode = m.hostError !== null ? 1006 : m.code;
      f.closeReason = m.hostError !== null ? "the connection is gone" : m.reason;
      return f;
    }
    if (m.isTimeout) {
      f.timedOut = true;
      return f;
    }
    if (!m.isText) continue;
    const parsed = parseJson(m.text);
    const v = parsed.value;
    if (v !== null && v.isObject) {
      f.json = v;
      return f;
    }
  }
  f.timedOut = true;
  return f;
}

function opOf(frame: JsonValue): i32 {
  const op = frame.get("op");
  return op !== null && op.isInteger ? <i32>op.integerValue : -1;
}

function member(obj: JsonValue | null, key: string): JsonValue | null {
  return obj !== null && obj.isObject ? obj.get(key) : null;
}

function stringOf(v: JsonValue | null): string {
  return v !== null && v.isString ? v.stringValue : "";
}

/** Opens a socket to OBS and goes through Hello → Identify → Identified. Null error: `socket` is ready. */
function connect(target: Target): PluginError | null {
  dropSocket();
  const opened = WebSocket.open(target.url, ["obswebsocket.json"]);
  const hostError = opened.hostError;
  if (hostError !== null) {
    if (hostError.code == -3) {
      return new PluginError(
        "the host refused to connect to OBS at " + target.address + " (not in the plugin's allowed hosts: set host in the plugin's settings)",
        CODE_UNREACHABLE,
      );
    }
    return new PluginError("could not open a WebSocket to OBS at " + target.address + ": " + hostError.toString(), CODE_UNREACHABLE);
  }
  const s = opened.socket;
  if (s === null) {
    const why = opened.error;
    log.warn("obs-studio: connecting to " + target.url + " failed: " + (why !== null ? why : "no reason given"));
    return notReachable(target);
  }

  const hello = nextFrame(s, RESPONSE_TIMEOUT_MS);
  if (hello.closed) return notReachable(target);
  const helloJson = hello.json;
  if (helloJson === null || opOf(helloJson) != OP_HELLO) {
    s.close();
    return new PluginError(
      "no obs-websocket 5 greeting from " + target.address + " within " + RESPONSE_TIMEOUT_MS.toString() + " ms (is it OBS 28 or newer?)",
      CODE_UNREACHABLE,
    );
  }
  const helloData = member(helloJson, "d");
  const auth = member(helloData, "authentication");

  let identify = '{"op":' + OP_IDENTIFY.toString() + ',"d":{"rpcVersion":1,"eventSubscriptions":0';
  if (auth !== null && auth.isObject) {
    if (target.password.length == 0) {
      s.close();
      return new PluginError("OBS needs a password: set password in the plugin's settings", CODE_AUTH);
    }
    const answer = authenticationString(target.password, stringOf(auth.get("salt")), stringOf(auth.get("challenge")));
    identify += ',"authentication":' + jsonQuote(answer);
  }
  identify += "}}";
  if (s.sendText(identify) !== null) {
    if (s.isOpen) s.close();
    return notReachable(target);
  }

  const identified = nextFrame(s, RESPONSE_TIMEOUT_MS);
  if (identified.closed) {
    if (identified.closeCode == CLOSE_AUTHENTICATION_FAILED) {
      return new PluginError("OBS refused the password (check the password setting)", CODE_AUTH);
    }
    return new PluginError(
      "OBS closed the connection while logging in (code " + identified.closeCode.toString() +
        (identified.closeReason.length > 0 ? ": " + identified.closeReason : "") + ")",
      CODE_AUTH,
    );
  }
  const identifiedJson = identified.json;
  if (identifiedJson === null || opOf(identifiedJson) != OP_IDENTIFIED) {
    s.close();
    return new PluginError("OBS did not confirm the login within " + RESPONSE_TIMEOUT_MS.toString() + " ms", CODE_NO_ANSWER);
  }
  socket = s;
  socketKey = target.url + "\n" + target.password;
  log.debug("obs-studio: connected to " + target.url);
  return null;
}

/** What one attempt at a request came to; `retry` means the connection turned out to be gone (reconnect, try again). */
class Attempt {
  retry: bool = false;
  outcome: Outcome | null = null;
}

function attempt(s: WebSocket, requestType: string, requestData: string | null): Attempt {
  const out = new Attempt();
  // Anything left from earlier calls (a late response, a close while idle): a queued close means OBS went away.
  for (let i = 0; i < 1000; i++) {
    const stale = s.recv(0);
    if (stale.isClosed) {
      out.retry = true;
      return out;
    }
    if (stale.isTimeout) break;
  }

  const id = "conductor-" + (nextRequest++).toString();
  let text = '{"op":' + OP_REQUEST.toString() + ',"d":{"requestType":' + jsonQuote(requestType) + ',"requestId":' + jsonQuote(id);
  if (requestData !== null) text += ',"requestData":' + requestData;
  text += "}}";
  if (s.sendText(text) !== null) {
    out.retry = !s.isOpen;
    if (!out.retry) out.outcome = Outcome.failed(new PluginError("could not send " + requestType + " to OBS", CODE_UNREACHABLE));
    return out;
  }

  for (let i = 0; i < 1000; i++) {
    const f = nextFrame(s, RESPONSE_TIMEOUT_MS);
    if (f.closed) {
      out.retry = true;
      return out;
    }
    const json = f.json;
    if (json === null) {
      out.outcome = Outcome.failed(
        new PluginError("OBS did not answer " + requestType + " within " + RESPONSE_TIMEOUT_MS.toString() + " ms", CODE_NO_ANSWER),
      );
      return out;
    }
    if (opOf(json) != OP_REQUEST_RESPONSE) continue; // events and anything else: not ours
    const d = member(json, "d");
    if (stringOf(member(d, "requestId")) != id) continue; // a late answer to an earlier request
    const r = new Response();
    const status = member(d, "requestStatus");
    const result = member(status, "result");
    r.ok = result !== null && result.isBool && result.boolValue;
    const code = member(status, "code");
    r.code = code !== null && code.isInteger ? <i32>code.integerValue : 0;
    r.comment = stringOf(member(status, "comment"));
    const data = member(d, "responseData");
    if (data !== null && data.isObject) r.data = data;
    out.outcome = Outcome.of(r);
    return out;
  }
  out.outcome = Outcome.failed(new PluginError("OBS sent too many other messages while " + requestType + " waited", CODE_NO_ANSWER));
  return out;
}

/**
 * Sends one request (`requestData`: a JSON object's text, or null) and waits for its response. Connects first if
 * needed (or if the settings changed); when the connection turns out to be gone (OBS restarted), reconnects once
 * and sends it again.
 */
export function request(target: Target, requestType: string, requestData: string | null = null): Outcome {
  for (let round = 0; round < 2; round++) {
    let s = socket;
    if (s === null || !s.isOpen || socketKey != target.url + "\n" + target.password) {
      const err = connect(target);
      if (err !== null) {
        dropSocket();
        return Outcome.failed(err);
      }
      s = socket;
    }
    const a = attempt(s!, requestType, requestData);
    const outcome = a.outcome;
    if (!a.retry && outcome !== null) return outcome;
    log.debug("obs-studio: the connection to OBS was closed; reconnecting");
    dropSocket();
  }
  // Closed again right after a fresh login: OBS is going away.
  return Outcome.failed(notReachable(target));
}
