// The Spotify plugin's Web API client: the token (host OAuth, else the access_token setting), one request at a time with
// Spotify's errors turned into plain messages, and 429 waits bounded by the call's budget. Must never log a token.
import { JsonValue, PluginError, fail, httpRequest, oauthToken, parseJson, settings } from "../../../sdk/assemblyscript/conductor";
import { nowMs, sleepMs } from "./wasi";

/** execute's return codes (as the README lists them). */
export const CODE_BAD_PARAMS: i32 = 3;
export const CODE_UNREACHABLE: i32 = 4;
export const CODE_TOKEN: i32 = 5;
export const CODE_REFUSED: i32 = 6;
export const CODE_RATE_LIMITED: i32 = 7;

/** What a call may spend, waits for Retry-After included (the host's deadline is 5 s by default; keep a margin). */
const BUDGET_MS: f64 = 4000;
/** Time kept for the request after a wait. */
const AFTER_WAIT_MS: f64 = 600;

export const NO_TOKEN = "connect Spotify in the plugin's settings (or set access_token)";
export const TOKEN_REFUSED = "Spotify refused the access token — reconnect Spotify in the plugin's settings";
export const NO_DEVICE = "open Spotify on a device first (no active device)";
export const NEEDS_PREMIUM = "this needs Spotify Premium";

/** One Web API answer: `error` set, or a 2xx `status` with its JSON body (null for 204 / an empty body). */
export class Reply {
  error: PluginError | null = null;
  status: i32 = 0;
  json: JsonValue | null = null;
}

function failed(message: string, code: i32): Reply {
  const r = new Reply();
  r.error = fail(message, code);
  return r;
}

/** The base URL of a url setting, without a trailing slash. */
function base(name: string, fallback: string): string {
  let b = settings.string(name, fallback).trim();
  if (b.length == 0) b = fallback;
  while (b.endsWith("/")) b = b.slice(0, b.length - 1);
  return b;
}

/** The client for one call: started when the action starts, so the 429 budget counts from there. */
export class Spotify {
  readonly started: f64;
  readonly api: string;
  token: string = "";
  /** Whether `token` came from the host's OAuth (then a 401 tells the host to refresh it). */
  fromOAuth: bool = false;

  constructor() {
    this.started = nowMs();
    this.api = base("api_base", "https://api.spotify.com");
  }

  /** Finds the token: the host's OAuth token, else the access_token setting; an error when neither is there. */
  authenticate(): PluginError | null {
    const t = oauthToken();
    if (t !== null) {
      this.token = t;
      this.fromOAuth = true;
      return null;
    }
    const s = settings.string("access_token", "").trim();
    if (s.length == 0) return fail(NO_TOKEN, CODE_TOKEN);
    this.token = s;
    this.fromOAuth = false;
    return null;
  }

  /** `method path` (path with its query) with the bearer token; waits out 429s while the budget allows. */
  send(method: string, path: string): Reply {
    const url = this.api + path;
    const headers = new Map<string, string>();
    headers.set("authorization", "Bearer " + this.token);
    headers.set("accept", "application/json");
    // PUT/POST without a body: an empty one, so the request carries content-length 0 (Spotify answers 411 otherwise).
    const body: string | null = method == "GET" ? null : "";
    for (;;) {
      const res = httpRequest(method, url, headers, body, 64 * 1024);
      const hostError = res.hostError;
      if (hostError !== null) return failed("the host refused the request to " + this.api + ": " + hostError.toString(), CODE_UNREACHABLE);
      if (!res.hasStatus) {
        const why = res.error;
        return failed("Spotify is not reachable at " + this.api + ": " + (why !== null ? why : "no response"), CODE_UNREACHABLE);
      }
      const status = res.status;
      if (status >= 200 && status < 300) {
        const out = new Reply();
        out.status = status;
        if (res.body.length > 0) {
          const parsed = parseJson(res.body);
          if (parsed.value === null || !parsed.value!.isObject) return failed("Spotify sent an unreadable answer to " + method + " " + path, CODE_REFUSED);
          out.json = parsed.value;
        }
        return out;
      }
      if (status == 429) {
        const seconds = retryAfter(res.headers.has("retry-after") ? res.headers.get("retry-after") : "");
        const left = BUDGET_MS - (nowMs() - this.started);
        if (<f64>seconds * 1000 + AFTER_WAIT_MS > left || !sleepMs(<f64>seconds * 1000)) {
          return failed("Spotify is rate-limiting: try again in " + seconds.toString() + " s", CODE_RATE_LIMITED);
        }
        continue;
      }
      return this.refused(status, res.body);
    }
  }

  /** A non-2xx answer other than 429 as a plain message. */
  private refused(status: i32, body: string): Reply {
    let message = "";
    let reason = "";
    const parsed = parseJson(body);
    const json = parsed.value;
    if (json !== null && json.isObject) {
      const e = json.get("error");
      if (e !== null && e.isObject) {
        message = str(e, "message");
        reason = str(e, "reason");
      } else if (e !== null && e.isString) {
        message = str(json, "error_description");
        if (message.length == 0) message = e.stringValue;
      }
    }
    if (status == 401) {
      if (this.fromOAuth) oauthToken(true); // the host refreshes the token and runs this call once more
      return failed(TOKEN_REFUSED, CODE_TOKEN);
    }
    if (status == 404 && reason == "NO_ACTIVE_DEVICE") return failed(NO_DEVICE, CODE_REFUSED);
    if (status == 403 && reason == "PREMIUM_REQUIRED") return failed(NEEDS_PREMIUM, CODE_REFUSED);
    if (message.length == 0) message = "no reason given";
    return failed("Spotify: " + message + " (HTTP " + status.toString() + ")", CODE_REFUSED);
  }
}

function str(obj: JsonValue, key: string): string {
  const v = obj.get(key);
  return v !== null && v.isString ? v.stringValue : "";
}

/** Retry-After in whole seconds (at least 1; a missing or unreadable value counts as 1). */
function retryAfter(value: string): i32 {
  const v = value.trim();
  if (v.length == 0 || v.length > 9) return v.length > 9 ? 999_999_999 : 1;
  let n: i32 = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return 1;
    n = n * 10 + (c - 48);
  }
  return n < 1 ? 1 : n;
}
