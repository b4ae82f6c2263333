// The {{name}} Conductor plugin: its metadata and its actions (the one file you edit; built with `npm run build`).
// Runs sandboxed: it may only reach the outside through the `conductor` SDK calls its metadata's capabilities allow.
import { Input, PluginError, NONE, fail, log, register } from "./conductor";

// The plugin ABI: the host calls these. Keep this line.
export { alloc, dealloc, execute, init } from "./conductor";

// What the app shows and checks: name, actions and their parameters, and the capabilities the plugin needs
// (e.g. "network", "midi", "subprocess", "systemcontrol" — then the SDK's httpRequest, noteOn, exec, notify work).
const METADATA = `{
  "name": "{{name}}",
  "version": "0.1.0",
  "description": "Says hello",
  "author": "Your Name",
  "license": "MIT",
  "type": "action",
  "capabilities": [],
  "actions": [
    {
      "name": "greet",
      "description": "Logs a greeting",
      "parameters": [
        { "name": "who", "type": "string", "required": false, "description": "Whom to greet (default: world)" }
      ]
    }
  ]
}`;

/** Runs one action. Return null when it worked, or fail("why") to fail the call (the message goes to the log). */
function run(input: Input): PluginError | null {
  if (input.action == "greet") {
    const who = input.params.string("who", "world");
    let line = `Hello, ${who}!`;
    if (input.context.note != NONE) line += ` (note ${input.context.note})`;
    log.info(line);
    return null;
  }
  return fail(`unknown action "${input.action}"`);
}

register(METADATA, run);
