// AssemblyScript SDK for Conductor plugins — everything a plugin imports: `import { … } from "./conductor"`.
// Must stay a list of re-exports (no code of its own), so that what the SDK offers is readable in one place.

// The ABI exports: re-export these four from your plugin's entry file, and call `register` at its top level.
export { alloc, dealloc, execute, init, register, Handler } from "./abi";
export { PluginError, fail } from "./errors";
export { Input, Context, Params, Box, NONE } from "./input";
export { log, logAt, LEVEL_DEBUG, LEVEL_INFO, LEVEL_WARN, LEVEL_ERROR } from "./log";
export {
  DEFAULT_CAPACITY,
  HostError,
  HostErrorKind,
  HttpResponse,
  ExecResult,
  httpRequest,
  httpGet,
  exec,
  midiSend,
  noteOn,
  noteOff,
  controlChange,
  notify,
  SystemResult,
  lockScreen,
  sleep,
  getBrightness,
  setBrightness,
  changeBrightness,
  getVolume,
  setVolume,
  changeVolume,
  mute,
  unmute,
  SYSTEM_CAPACITY,
  WebSocket,
  WsMessage,
  WsMessageType,
  WsOpenResult,
  WS_RECV_CAPACITY,
} from "./host";
export { settings, settingValue } from "./settings";
export { oauthToken, OAUTH_REFUSED } from "./oauth";
export { JsonValue, JsonKind, JsonParseResult, parseJson, jsonQuote, JSON_MAX_DEPTH } from "./json";
