// The official System Utilities plugin: notifications, lock screen, sleep, brightness and volume, each one host call
// (conductor.notify / conductor.system, capability systemcontrol). Never runs programs itself nor reaches the network.
import {
  Input,
  PluginError,
  SystemResult,
  changeBrightness,
  changeVolume,
  fail,
  lockScreen,
  log,
  mute,
  notify,
  register,
  setBrightness,
  setVolume,
  sleep,
  unmute,
} from "../../../sdk/assemblyscript/conductor";

// The plugin ABI: the host calls these.
export { alloc, dealloc, execute, init } from "../../../sdk/assemblyscript/conductor";

const METADATA = `{
  "name": "system-utils",
  "version": "1.0.0",
  "description": "Desktop notifications, lock screen, sleep, screen brightness and output volume",
  "author": "Conductor",
  "license": "MIT",
  "type": "action",
  "capabilities": ["systemcontrol"],
  "actions": [
    { "name": "notify", "description": "Shows a desktop notification",
      "parameters": [
        { "name": "title", "type": "string", "required": true, "description": "The notification's title" },
        { "name": "body", "type": "string", "required": false, "description": "Its text" }
      ] },
    { "name": "lock_screen", "description": "Locks the screen", "parameters": [] },
    { "name": "sleep", "description": "Puts the computer to sleep (suspend)", "parameters": [] },
    { "name": "set_brightness", "description": "Sets the screen brightness",
      "parameters": [{ "name": "percent", "type": "number", "required": true, "description": "0 to 100" }] },
    { "name": "brightness_up", "description": "Makes the screen brighter",
      "parameters": [{ "name": "step", "type": "number", "required": false, "description": "Percentage points (default 10)" }] },
    { "name": "brightness_down", "description": "Makes the screen darker",
      "parameters": [{ "name": "step", "type": "number", "required": false, "description": "Percentage points (default 10)" }] },
    { "name": "set_volume", "description": "Sets the output volume",
      "parameters": [{ "name": "percent", "type": "number", "required": true, "description": "0 to 100" }] },
    { "name": "volume_up", "description": "Turns the output volume up",
      "parameters": [{ "name": "step", "type": "number", "required": false, "description": "Percentage points (default 10)" }] },
    { "name": "volume_down", "description": "Turns the output volume down",
      "parameters": [{ "name": "step", "type": "number", "required": false, "description": "Percentage points (default 10)" }] },
    { "name": "mute", "description": "Mutes the output", "parameters": [] },
    { "name": "unmute", "description": "Unmutes the output", "parameters": [] }
  ]
}`;

/** A parameter the action needs is missing or out of range. */
const CODE_BAD_PARAMS: i32 = 2;
/** The host refused or the desktop could not do it. */
const CODE_FAILED: i32 = 3;

/** A required 0..100 integer parameter, or -1 when it is missing or out of range. */
function percent(input: Input, name: string): i32 {
  const v = input.params.int(name, -1);
  return v >= 0 && v <= 100 ? <i32>v : -1;
}

/** The optional step (1..100, default 10). */
function step(input: Input): i32 {
  const v = input.params.int("step", 10);
  return v >= 1 && v <= 100 ? <i32>v : -1;
}

/** Logs the outcome of a system call and turns a failure into the action's error. */
function finish(what: string, result: SystemResult): PluginError | null {
  const problem = result.toPluginError(what, CODE_FAILED);
  if (problem !== null) return problem;
  if (result.brightness >= 0) log.info(`${what}: brightness ${result.brightness}%`);
  else if (result.volume >= 0) log.info(`${what}: volume ${result.volume}%${result.muted ? " (muted)" : ""}`);
  else log.info(`${what}: done`);
  return null;
}

function run(input: Input): PluginError | null {
  const action = input.action;
  if (action == "notify") {
    const title = input.params.string("title", "");
    if (title.length == 0) return fail('notify needs a "title"', CODE_BAD_PARAMS);
    const problem = notify(title, input.params.string("body", ""));
    if (problem !== null) return problem.toPluginError("notify", CODE_FAILED);
    log.info("notify: sent");
    return null;
  }
  if (action == "lock_screen") return finish("lock_screen", lockScreen());
  if (action == "sleep") return finish("sleep", sleep());
  if (action == "set_brightness" || action == "set_volume") {
    const p = percent(input, "percent");
    if (p < 0) return fail(`${action} needs "percent" between 0 and 100`, CODE_BAD_PARAMS);
    return finish(action, action == "set_brightness" ? setBrightness(p) : setVolume(p));
  }
  if (action == "brightness_up" || action == "brightness_down" || action == "volume_up" || action == "volume_down") {
    const s = step(input);
    if (s < 0) return fail(`${action}: "step" must be between 1 and 100`, CODE_BAD_PARAMS);
    const delta = action.endsWith("_up") ? s : -s;
    return finish(action, action.startsWith("brightness") ? changeBrightness(delta) : changeVolume(delta));
  }
  if (action == "mute") return finish("mute", mute());
  if (action == "unmute") return finish("unmute", unmute());
  return fail(`unknown action "${action}"`);
}

register(METADATA, run);
