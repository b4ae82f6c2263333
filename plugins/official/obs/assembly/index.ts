// The official OBS Studio plugin: its metadata and its actions (scenes, recording, streaming, mute, source visibility),
// each one obs-websocket 5 request to OBS. Runs sandboxed; must never log the password nor reach anything but OBS.
import { Input, PluginError, fail, jsonQuote, log, register, settings } from "../../../sdk/assemblyscript/conductor";
import { CODE_BAD_PARAMS, CODE_REFUSED, Response, Target, request } from "./obs";

// The plugin ABI: the host calls these.
export { alloc, dealloc, execute, init } from "../../../sdk/assemblyscript/conductor";

const METADATA = `{
  "name": "obs-studio",
  "version": "1.0.0",
  "description": "Controls OBS Studio through its WebSocket server (obs-websocket 5, OBS 28 or newer): scenes, recording, streaming, mute and source visibility",
  "author": "Conductor",
  "license": "MIT",
  "type": "action",
  "capabilities": ["network"],
  "allowed_hosts": ["127.0.0.1", "localhost", "[::1]"],
  "settings": [
    { "name": "host", "type": "host", "default": "127.0.0.1", "description": "The computer OBS runs on (this one by default); may include :port" },
    { "name": "port", "type": "number", "default": 4455, "description": "OBS WebSocket server port (OBS: Tools → WebSocket Server Settings)" },
    { "name": "password", "type": "secret", "required": false, "description": "OBS WebSocket server password (leave empty if authentication is off)" }
  ],
  "actions": [
    { "name": "switch_scene", "description": "Switches OBS's program output to a scene",
      "parameters": [{ "name": "scene_name", "type": "string", "required": true, "description": "The scene to show" }] },
    { "name": "start_recording", "description": "Starts recording", "parameters": [] },
    { "name": "stop_recording", "description": "Stops recording", "parameters": [] },
    { "name": "toggle_recording", "description": "Starts recording, or stops it if it is running", "parameters": [] },
    { "name": "start_streaming", "description": "Starts streaming", "parameters": [] },
    { "name": "stop_streaming", "description": "Stops streaming", "parameters": [] },
    { "name": "toggle_streaming", "description": "Starts streaming, or stops it if it is running", "parameters": [] },
    { "name": "toggle_mute", "description": "Mutes an audio input, or unmutes it if it is muted",
      "parameters": [{ "name": "input_name", "type": "string", "required": true, "description": "The audio input (source), e.g. Mic/Aux" }] },
    { "name": "set_mute", "description": "Mutes or unmutes an audio input",
      "parameters": [
        { "name": "input_name", "type": "string", "required": true, "description": "The audio input (source), e.g. Mic/Aux" },
        { "name": "muted", "type": "bool", "required": true, "description": "true to mute, false to unmute" }
      ] },
    { "name": "toggle_source", "description": "Shows a source in a scene, or hides it if it is shown",
      "parameters": [
        { "name": "scene_name", "type": "string", "required": true, "description": "The scene that holds the source" },
        { "name": "source_name", "type": "string", "required": true, "description": "The source to show or hide" }
      ] }
  ]
}`;

/** The default port of OBS's WebSocket server. */
const DEFAULT_PORT: i64 = 4455;

/** Set by `target()` when the settings do not make an address. */
let settingsProblem: PluginError | null = null;

/** host:port from the settings: `host` may carry its own port (then `port` is ignored); a bare IPv6 address gets []. */
function target(): Target | null {
  settingsProblem = null;
  let host = settings.string("host", "127.0.0.1").trim();
  if (host.length == 0) host = "127.0.0.1";
  const port = settings.int("port", DEFAULT_PORT);
  const password = settings.string("password", "");
  let hasPort = false;
  if (host.startsWith("[")) {
    hasPort = host.includes("]:");
  } else {
    const first = host.indexOf(":");
    if (first >= 0 && host.lastIndexOf(":") == first) hasPort = true;
    else if (first >= 0) host = "[" + host + "]"; // a bare IPv6 address
  }
  if (hasPort) return new Target(host, password);
  if (port < 1 || port > 65535) {
    settingsProblem = fail("setting port must be between 1 and 65535", CODE_BAD_PARAMS);
    return null;
  }
  return new Target(host + ":" + port.toString(), password);
}

/** A required string parameter, or null after setting `paramProblem`. */
let paramProblem: PluginError | null = null;

function requiredString(input: Input, name: string): string | null {
  const v = input.params.getString(name);
  if (v === null || v.length == 0) {
    paramProblem = fail(input.action + ' needs the parameter "' + name + '" (a non-empty string)', CODE_BAD_PARAMS);
    return null;
  }
  return v;
}

/** OBS's comment in parentheses, when it has one. */
function because(r: Response): string {
  return r.comment.length > 0 ? " (OBS: " + r.comment + ")" : "";
}

/** A refused request as a plain message: what OBS refused, its comment and code. */
function refused(what: string, r: Response): PluginError {
  return fail(
    "OBS refused to " + what + ": " + (r.comment.length > 0 ? r.comment : "no reason given") + " (code " + r.code.toString() + ")",
    CODE_REFUSED,
  );
}

/** obs-websocket 5 request status codes the actions explain in their own words. */
const OUTPUT_RUNNING: i32 = 500;
const OUTPUT_NOT_RUNNING: i32 = 501;
const RESOURCE_NOT_FOUND: i32 = 600;
const INVALID_RESOURCE_STATE: i32 = 604;

function switchScene(t: Target, input: Input): PluginError | null {
  const scene = requiredString(input, "scene_name");
  if (scene === null) return paramProblem;
  const o = request(t, "SetCurrentProgramScene", '{"sceneName":' + jsonQuote(scene) + "}");
  if (o.error !== null) return o.error;
  const r = o.response!;
  if (!r.ok) {
    if (r.code == RESOURCE_NOT_FOUND) return fail('OBS has no scene "' + scene + '"', CODE_REFUSED);
    return refused('switch to scene "' + scene + '"', r);
  }
  log.info('OBS: switched to scene "' + scene + '"');
  return null;
}

/** Start/stop/toggle of an output: `what` is "recording" or "streaming", `noun` "Record" or "Stream". */
function output(t: Target, verb: string, what: string, noun: string): PluginError | null {
  const o = request(t, verb + noun);
  if (o.error !== null) return o.error;
  const r = o.response!;
  if (!r.ok) {
    if (r.code == OUTPUT_RUNNING) return fail("OBS is already " + what + because(r), CODE_REFUSED);
    if (r.code == OUTPUT_NOT_RUNNING) return fail("OBS is not " + what + because(r), CODE_REFUSED);
    return refused(verb.toLowerCase() + " " + what, r);
  }
  if (verb == "Toggle") {
    const active = r.data.get("outputActive");
    if (active !== null && active.isBool) log.info("OBS: " + what + (active.boolValue ? " started" : " stopped"));
    else log.info("OBS: " + what + " toggled");
  } else {
    log.info("OBS: " + what + (verb == "Start" ? " starting" : " stopping"));
  }
  return null;
}

function inputRefused(inputName: string, what: string, r: Response): PluginError {
  if (r.code == RESOURCE_NOT_FOUND) return fail('OBS has no input "' + inputName + '"', CODE_REFUSED);
  if (r.code == INVALID_RESOURCE_STATE) return fail('OBS input "' + inputName + '" has no audio to mute' + because(r), CODE_REFUSED);
  return refused(what + ' input "' + inputName + '"', r);
}

function toggleMute(t: Target, input: Input): PluginError | null {
  const name = requiredString(input, "input_name");
  if (name === null) return paramProblem;
  const o = request(t, "ToggleInputMute", '{"inputName":' + jsonQuote(name) + "}");
  if (o.error !== null) return o.error;
  const r = o.response!;
  if (!r.ok) return inputRefused(name, "toggle mute of", r);
  const muted = r.data.get("inputMuted");
  log.info('OBS: input "' + name + '" ' + (muted !== null && muted.isBool ? (muted.boolValue ? "muted" : "unmuted") : "mute toggled"));
  return null;
}

function setMute(t: Target, input: Input): PluginError | null {
  const name = requiredString(input, "input_name");
  if (name === null) return paramProblem;
  let muted = false;
  const b = input.params.getBool("muted");
  if (b !== null) {
    muted = b.value;
  } else {
    const s = input.params.getString("muted");
    if (s !== null && (s == "true" || s == "false")) muted = s == "true";
    else return fail('set_mute needs the parameter "muted" (true or false)', CODE_BAD_PARAMS);
  }
  const o = request(t, "SetInputMute", '{"inputName":' + jsonQuote(name) + ',"inputMuted":' + (muted ? "true" : "false") + "}");
  if (o.error !== null) return o.error;
  const r = o.response!;
  if (!r.ok) return inputRefused(name, muted ? "mute" : "unmute", r);
  log.info('OBS: input "' + name + '" ' + (muted ? "muted" : "unmuted"));
  return null;
}

function toggleSource(t: Target, input: Input): PluginError | null {
  const scene = requiredString(input, "scene_name");
  if (scene === null) return paramProblem;
  const source = requiredString(input, "source_name");
  if (source === null) return paramProblem;
  const sceneJson = jsonQuote(scene);

  const idOutcome = request(t, "GetSceneItemId", '{"sceneName":' + sceneJson + ',"sourceName":' + jsonQuote(source) + "}");
  if (idOutcome.error !== null) return idOutcome.error;
  const idResponse = idOutcome.response!;
  if (!idResponse.ok) {
    if (idResponse.code == RESOURCE_NOT_FOUND) {
      // Not found: the scene, or the source in it? Ask for the scene's items to tell which.
      const list = request(t, "GetSceneItemList", '{"sceneName":' + sceneJson + "}");
      const lr = list.response;
      if (lr !== null && !lr.ok && lr.code == RESOURCE_NOT_FOUND) return fail('OBS has no scene "' + scene + '"', CODE_REFUSED);
      return fail('OBS scene "' + scene + '" has no source "' + source + '"', CODE_REFUSED);
    }
    return refused('find source "' + source + '" in scene "' + scene + '"', idResponse);
  }
  const idValue = idResponse.data.get("sceneItemId");
  if (idValue === null || !idValue.isInteger) return fail("OBS sent no sceneItemId for GetSceneItemId", CODE_REFUSED);
  const itemRef = '{"sceneName":' + sceneJson + ',"sceneItemId":' + idValue.integerValue.toString();

  const enabledOutcome = request(t, "GetSceneItemEnabled", itemRef + "}");
  if (enabledOutcome.error !== null) return enabledOutcome.error;
  const er = enabledOutcome.response!;
  if (!er.ok) return refused('read whether "' + source + '" is shown in scene "' + scene + '"', er);
  const enabled = er.data.get("sceneItemEnabled");
  if (enabled === null || !enabled.isBool) return fail("OBS sent no sceneItemEnabled for GetSceneItemEnabled", CODE_REFUSED);
  const show = !enabled.boolValue;

  const setOutcome = request(t, "SetSceneItemEnabled", itemRef + ',"sceneItemEnabled":' + (show ? "true" : "false") + "}");
  if (setOutcome.error !== null) return setOutcome.error;
  const sr = setOutcome.response!;
  if (!sr.ok) return refused((show ? "show" : "hide") + ' "' + source + '" in scene "' + scene + '"', sr);
  log.info('OBS: source "' + source + '" ' + (show ? "shown" : "hidden") + ' in scene "' + scene + '"');
  return null;
}

function run(input: Input): PluginError | null {
  const a = input.action;
  const known =
    a == "switch_scene" || a == "start_recording" || a == "stop_recording" || a == "toggle_recording" ||
    a == "start_streaming" || a == "stop_streaming" || a == "toggle_streaming" || a == "toggle_mute" ||
    a == "set_mute" || a == "toggle_source";
  if (!known) return fail('unknown action "' + a + '"', CODE_BAD_PARAMS);
  const t = target();
  if (t === null) return settingsProblem;
  if (a == "switch_scene") return switchScene(t, input);
  if (a == "start_recording") return output(t, "Start", "recording", "Record");
  if (a == "stop_recording") return output(t, "Stop", "recording", "Record");
  if (a == "toggle_recording") return output(t, "Toggle", "recording", "Record");
  if (a == "start_streaming") return output(t, "Start", "streaming", "Stream");
  if (a == "stop_streaming") return output(t, "Stop", "streaming", "Stream");
  if (a == "toggle_streaming") return output(t, "Toggle", "streaming", "Stream");
  if (a == "toggle_mute") return toggleMute(t, input);
  if (a == "set_mute") return setMute(t, input);
  return toggleSource(t, input);
}

register(METADATA, run);
