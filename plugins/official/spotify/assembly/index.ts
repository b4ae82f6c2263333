// The official Spotify plugin: its metadata and its actions (play, pause, tracks, volume, shuffle, repeat), each one or two
// Spotify Web API requests on the user's active device. Runs sandboxed; must never log a token nor reach other hosts.
import { Input, JsonValue, PluginError, fail, log, register } from "../../../sdk/assemblyscript/conductor";
import { CODE_BAD_PARAMS, CODE_REFUSED, NO_DEVICE, Reply, Spotify } from "./spotify";

// The plugin ABI: the host calls these.
export { alloc, dealloc, execute, init } from "../../../sdk/assemblyscript/conductor";

const METADATA = `{
  "name": "spotify",
  "version": "1.0.0",
  "description": "Controls Spotify playback on your active device through the Spotify Web API: play, pause, tracks, volume, shuffle and repeat (Spotify Premium)",
  "author": "Conductor",
  "license": "MIT",
  "type": "action",
  "capabilities": ["network"],
  "allowed_hosts": ["api.spotify.com", "accounts.spotify.com"],
  "settings": [
    { "name": "client_id", "type": "string", "description": "The client ID of your Spotify app (developer.spotify.com → Dashboard → your app), used by Connect" },
    { "name": "api_base", "type": "url", "default": "https://api.spotify.com", "description": "Spotify Web API address (change only for a proxy or tests)" },
    { "name": "accounts_base", "type": "url", "default": "https://accounts.spotify.com", "description": "Spotify accounts address for Connect (change only for a proxy or tests)" },
    { "name": "access_token", "type": "secret", "description": "An access token, for command-line runs without Connect (Connect's token wins when connected)" }
  ],
  "oauth": {
    "provider": "Spotify",
    "authorize_url": "{accounts_base}/authorize",
    "token_url": "{accounts_base}/api/token",
    "client_id_setting": "client_id",
    "scopes": ["user-read-playback-state", "user-modify-playback-state"]
  },
  "actions": [
    { "name": "play", "description": "Starts or resumes playback", "parameters": [] },
    { "name": "pause", "description": "Pauses playback", "parameters": [] },
    { "name": "play_pause", "description": "Pauses if playing, else plays", "parameters": [] },
    { "name": "next_track", "description": "Skips to the next track", "parameters": [] },
    { "name": "previous_track", "description": "Goes back to the previous track", "parameters": [] },
    { "name": "volume_up", "description": "Raises the device's volume",
      "parameters": [{ "name": "step", "type": "number", "required": false, "description": "Percentage points (1-100, default 10)" }] },
    { "name": "volume_down", "description": "Lowers the device's volume",
      "parameters": [{ "name": "step", "type": "number", "required": false, "description": "Percentage points (1-100, default 10)" }] },
    { "name": "set_volume", "description": "Sets the device's volume",
      "parameters": [{ "name": "percent", "type": "number", "required": true, "description": "Volume 0-100" }] },
    { "name": "shuffle", "description": "Turns shuffle on or off, or toggles it",
      "parameters": [{ "name": "state", "type": "bool", "required": false, "description": "true or false; leave out to toggle" }] },
    { "name": "repeat", "description": "Sets the repeat mode, or cycles off → context → track → off",
      "parameters": [{ "name": "state", "type": "string", "required": false, "description": "track, context or off; leave out to cycle" }] }
  ]
}`;

/** Set by the parameter readers when a parameter is wrong. */
let paramProblem: PluginError | null = null;

/** An integer parameter in lo..hi (a JSON number or a numeric string); `dflt` when missing, -1 with paramProblem when wrong. */
function intParam(input: Input, name: string, dflt: i32, lo: i32, hi: i32): i32 {
  paramProblem = null;
  const v = input.params.raw(name);
  if (v === null || v.isNull) {
    if (dflt >= 0) return dflt;
    paramProblem = fail(input.action + ' needs the parameter "' + name + '" (' + lo.toString() + "-" + hi.toString() + ")", CODE_BAD_PARAMS);
    return -1;
  }
  let n: f64 = NaN;
  if (v.isNumber) n = v.numberValue;
  else if (v.isString && v.stringValue.trim().length > 0) n = parseFloat(v.stringValue.trim());
  if (isNaN(n) || n != Math.floor(n) || n < <f64>lo || n > <f64>hi) {
    paramProblem = fail(input.action + ': "' + name + '" must be a whole number from ' + lo.toString() + " to " + hi.toString(), CODE_BAD_PARAMS);
    return -1;
  }
  return <i32>n;
}

/** The player state (GET /v1/me/player); NO_DEVICE when Spotify answers 204 (no active device). */
function player(s: Spotify): Reply {
  const r = s.send("GET", "/v1/me/player");
  if (r.error === null && r.json === null) {
    const out = new Reply();
    out.error = fail(NO_DEVICE, CODE_REFUSED);
    return out;
  }
  return r;
}

function member(json: JsonValue | null, key: string): JsonValue | null {
  return json !== null && json.isObject ? json.get(key) : null;
}

/** One command; logs `done` on success. */
function command(s: Spotify, method: string, path: string, done: string): PluginError | null {
  const r = s.send(method, path);
  if (r.error !== null) return r.error;
  log.info("Spotify: " + done);
  return null;
}

function play(s: Spotify): PluginError | null {
  return command(s, "PUT", "/v1/me/player/play", "playing");
}

function pause(s: Spotify): PluginError | null {
  return command(s, "PUT", "/v1/me/player/pause", "paused");
}

function playPause(s: Spotify): PluginError | null {
  const r = s.send("GET", "/v1/me/player");
  if (r.error !== null) return r.error;
  if (r.json === null) return play(s); // 204: nothing playing — play (Spotify says so if there is no device)
  const playing = member(r.json, "is_playing");
  return playing !== null && playing.isBool && playing.boolValue ? pause(s) : play(s);
}

function setVolume(s: Spotify, percent: i32): PluginError | null {
  return command(s, "PUT", "/v1/me/player/volume?volume_percent=" + percent.toString(), "volume " + percent.toString() + "%");
}

function changeVolume(s: Spotify, input: Input, sign: i32): PluginError | null {
  const step = intParam(input, "step", 10, 1, 100);
  if (step < 0) return paramProblem;
  const r = player(s);
  if (r.error !== null) return r.error;
  const volume = member(member(r.json, "device"), "volume_percent");
  if (volume === null || !volume.isNumber) return fail("this Spotify device has no volume control", CODE_REFUSED);
  let v = <i32>Math.round(volume.numberValue) + sign * step;
  if (v < 0) v = 0;
  if (v > 100) v = 100;
  return setVolume(s, v);
}

function shuffle(s: Spotify, input: Input): PluginError | null {
  const p = input.params.raw("state");
  let on = false;
  if (p === null || p.isNull) {
    const r = player(s);
    if (r.error !== null) return r.error;
    const cur = member(r.json, "shuffle_state");
    on = !(cur !== null && cur.isBool && cur.boolValue);
  } else if (p.isBool) {
    on = p.boolValue;
  } else if (p.isString && (p.stringValue == "true" || p.stringValue == "false")) {
    on = p.stringValue == "true";
  } else {
    return fail('shuffle: "state" must be true or false (or left out to toggle)', CODE_BAD_PARAMS);
  }
  return command(s, "PUT", "/v1/me/player/shuffle?state=" + (on ? "true" : "false"), "shuffle " + (on ? "on" : "off"));
}

function repeat(s: Spotify, input: Input): PluginError | null {
  const p = input.params.raw("state");
  let state = "";
  if (p === null || p.isNull) {
    const r = player(s);
    if (r.error !== null) return r.error;
    const cur = member(r.json, "repeat_state");
    const now = cur !== null && cur.isString ? cur.stringValue : "off";
    state = now == "off" ? "context" : now == "context" ? "track" : "off";
  } else if (p.isString && (p.stringValue == "track" || p.stringValue == "context" || p.stringValue == "off")) {
    state = p.stringValue;
  } else {
    return fail('repeat: "state" must be track, context or off (or left out to cycle)', CODE_BAD_PARAMS);
  }
  return command(s, "PUT", "/v1/me/player/repeat?state=" + state, "repeat " + state);
}

function run(input: Input): PluginError | null {
  const a = input.action;
  const known =
    a == "play" || a == "pause" || a == "play_pause" || a == "next_track" || a == "previous_track" || a == "volume_up" ||
    a == "volume_down" || a == "set_volume" || a == "shuffle" || a == "repeat";
  if (!known) return fail('unknown action "' + a + '"', CODE_BAD_PARAMS);
  let percent: i32 = 0;
  if (a == "set_volume") {
    percent = intParam(input, "percent", -1, 0, 100);
    if (percent < 0) return paramProblem;
  }
  const s = new Spotify();
  const noToken = s.authenticate();
  if (noToken !== null) return noToken;
  if (a == "play") return play(s);
  if (a == "pause") return pause(s);
  if (a == "play_pause") return playPause(s);
  if (a == "next_track") return command(s, "POST", "/v1/me/player/next", "next track");
  if (a == "previous_track") return command(s, "POST", "/v1/me/player/previous", "previous track");
  if (a == "volume_up") return changeVolume(s, input, 1);
  if (a == "volume_down") return changeVolume(s, input, -1);
  if (a == "set_volume") return setVolume(s, percent);
  if (a == "shuffle") return shuffle(s, input);
  return repeat(s, input);
}

register(METADATA, run);
