// The import catalogue: every function of WASI preview1, and every host function of the `conductor` module with its
// signature, the capability that gates it (DESIGN §6), its return codes and limits. Data only — never performs the calls itself.
import type { Capability } from '../../../src-shared/plugin';
import type { ValType } from './wasm/types';

export const CONDUCTOR_MODULE = 'conductor';

export interface HostFunctionSpec {
  name: string;
  /** null = available to every plugin. */
  capability: Capability | null;
  params: ValType[];
  results: ValType[];
  description: string;
}

/**
 * Negative return codes shared by the capability-gated host functions. Codes are -1 … -15; a function that
 * writes a response returns `-(bytes needed)` (always ≤ -16, as every response is at least 16 bytes) when the
 * plugin's out buffer is too small, and writes nothing.
 */
export const HOST_ERROR = Object.freeze({
  /** The request is malformed: not UTF-8 / JSON, a field of the wrong type, an unknown field, invalid MIDI. */
  invalid: -1,
  /** The request or message is larger than the function accepts. */
  tooLarge: -2,
  /** Refused by policy: a URL that is not http(s), a host not in `allowed_hosts`, a non-public address not named there. */
  denied: -3,
  /** A per-call budget is used up (host events per call, MIDI bytes per call). */
  limit: -4,
  /** The host cannot do it here (e.g. nothing receives host events in this runtime, the desktop lacks the service). */
  unavailable: -5,
  /** ws_send / ws_recv: the handle is not an open WebSocket (never opened, closed by either side, or dropped). */
  closed: -6,
  /** setting: the plugin declares the setting, but it has no value and no default. */
  notSet: -7,
});
/** The largest negative value that is an error code; anything below it means "out buffer too small". */
export const HOST_ERROR_MIN = -15;

/** Limits of the host functions (bytes unless named otherwise). */
export const HOST_LIMITS = Object.freeze({
  /** exec / http_request request JSON. */
  requestBytes: 2 * 1024 * 1024,
  /** exec: stdout and stderr are each cut here (the process is killed when it writes more). */
  execOutputBytes: 1024 * 1024,
  /** http_request: request body and response body are each capped here (a longer response body is cut). */
  httpBodyBytes: 1024 * 1024,
  /** midi_send: one message (a SysEx may be long). */
  midiMessageBytes: 64 * 1024,
  /** midi_send: total bytes per call. */
  midiBytesPerCall: 1024 * 1024,
  /** midi_send + notify: events per call. */
  eventsPerCall: 4096,
  notifyTitleBytes: 256,
  notifyBodyBytes: 4096,
  /** ws_send / ws_recv: one message either way (a larger incoming message closes the socket, code 1009). */
  wsMessageBytes: 1024 * 1024,
  /** ws_open: WebSockets a plugin holds at once (a handle counts until ws_close, or until ws_recv reported it closed). */
  wsSocketsPerPlugin: 8,
  /** Per socket: incoming messages waiting for ws_recv (more closes the socket, code 1008), and unsent outgoing bytes. */
  wsBufferedBytes: 4 * 1024 * 1024,
});

/**
 * The only environment variables a sandbox process and the programs conductor.exec starts receive: what is needed
 * to find and start programs. Everything else in the host's environment (tokens, proxies, HOME…) stays out.
 */
export function passedEnvKeys(platform: NodeJS.Platform): readonly string[] {
  return platform === 'win32' ? ['PATH', 'SystemRoot', 'PATHEXT'] : ['PATH'];
}

/**
 * The host environment `conductor.system`'s tools may see (the sandbox process gets these too, never the plugin):
 * how to find programs, the D-Bus buses, the sound server, the display, the home; CONDUCTOR_BACKLIGHT_DIR is the
 * test/diagnostic override of /sys/class/backlight.
 */
export const SYSTEM_ENV_KEYS = [
  'PATH',
  'DBUS_SESSION_BUS_ADDRESS',
  'DBUS_SYSTEM_BUS_ADDRESS',
  'XDG_RUNTIME_DIR',
  'PULSE_SERVER',
  'DISPLAY',
  'WAYLAND_DISPLAY',
  'HOME',
  'CONDUCTOR_BACKLIGHT_DIR',
] as const;

const specs: HostFunctionSpec[] = [
  {
    name: 'log',
    capability: null,
    params: ['i32', 'i32', 'i32'],
    results: [],
    description: 'log(level, ptr, len): append a UTF-8 message to the plugin log (0 debug, 1 info, 2 warn, 3 error)',
  },
  {
    name: 'exec',
    capability: 'subprocess',
    params: ['i32', 'i32', 'i32', 'i32'],
    results: ['i32'],
    description:
      'exec(req_ptr, req_len, out_ptr, out_cap) -> i32: run a program without a shell ({"program","args"?,"stdin"?} JSON); ' +
      'writes {"status","signal","stdout","stderr","error"?} JSON to out; returns its length, -(needed) if out_cap is too small, or an error code',
  },
  {
    name: 'midi_send',
    capability: 'midi',
    params: ['i32', 'i32'],
    results: ['i32'],
    description: 'midi_send(ptr, len) -> i32: send raw MIDI (complete channel/system messages or one SysEx F0…F7, ≤ 64 KiB); 0 or an error code',
  },
  {
    name: 'notify',
    capability: 'systemcontrol',
    params: ['i32', 'i32', 'i32', 'i32'],
    results: ['i32'],
    description: 'notify(title_ptr, title_len, body_ptr, body_len) -> i32: ask the host to show a desktop notification; 0 or an error code',
  },
  {
    name: 'http_request',
    capability: 'network',
    params: ['i32', 'i32', 'i32', 'i32'],
    results: ['i32'],
    description:
      'http_request(req_ptr, req_len, out_ptr, out_cap) -> i32: blocking HTTP(S) request ({"method","url","headers"?,"body"?} JSON), ' +
      'to public hosts (or only allowed_hosts) and to local addresses only when named there; writes {"status","headers","body","truncated"?,"error"?} JSON to out; returns its length, -(needed) or an error code',
  },
  {
    name: 'ws_open',
    capability: 'network',
    params: ['i32', 'i32', 'i32', 'i32'],
    results: ['i32'],
    description:
      'ws_open(req_ptr, req_len, out_ptr, out_cap) -> i32: open a WebSocket ({"url","protocols"?} JSON; ws/wss, the http_request host rules); ' +
      'writes {"handle","protocol"} or {"error"} JSON to out; returns its length, -(needed) or an error code. Handles outlive the call',
  },
  {
    name: 'ws_send',
    capability: 'network',
    params: ['i32', 'i32', 'i32', 'i32'],
    results: ['i32'],
    description: 'ws_send(handle, kind, ptr, len) -> i32: send one message (kind 0 text, 1 binary); 0 or an error code (closed: the socket is gone)',
  },
  {
    name: 'ws_recv',
    capability: 'network',
    params: ['i32', 'i32', 'i32', 'i32'],
    results: ['i32'],
    description:
      'ws_recv(handle, timeout_ms, out_ptr, out_cap) -> i32: wait for the next message, at most timeout_ms (and never past the call deadline); ' +
      'writes {"type":"text"|"binary"|"timeout"|"closed", …} JSON; returns its length, -(needed) (the message stays queued) or an error code',
  },
  {
    name: 'ws_close',
    capability: 'network',
    params: ['i32'],
    results: ['i32'],
    description: 'ws_close(handle) -> i32: close a WebSocket; 0 or an error code',
  },
  {
    name: 'setting',
    capability: null,
    params: ['i32', 'i32', 'i32', 'i32'],
    results: ['i32'],
    description:
      'setting(name_ptr, name_len, out_ptr, out_cap) -> i32: one of the settings the metadata declares, as {"name","value"} JSON (value "abc", 4455 or true); ' +
      'returns its length, -(needed), -1 for an undeclared name, or notSet (-7) when it has no value and no default',
  },
  {
    name: 'oauth_token',
    capability: 'network',
    params: ['i32', 'i32', 'i32'],
    results: ['i32'],
    description:
      'oauth_token(flags, out_ptr, out_cap) -> i32: the current OAuth access token of the provider the metadata names ("oauth"), as {"access_token","expires_at"} JSON; ' +
      'notSet (-7) while the user has not connected; flags 1 = the provider refused the token: the host refreshes it and runs this call once more after it returns',
  },
  {
    name: 'system',
    capability: 'systemcontrol',
    params: ['i32', 'i32', 'i32', 'i32'],
    results: ['i32'],
    description:
      'system(req_ptr, req_len, out_ptr, out_cap) -> i32: a system operation ({"op":"lock_screen"|"sleep"|"brightness"|"volume", …} JSON); ' +
      'writes {"ok":true, …} or {"error"} JSON to out; returns its length, -(needed) or an error code',
  },
];

export const HOST_FUNCTIONS: ReadonlyMap<string, HostFunctionSpec> = new Map(specs.map((s) => [s.name, s]));

/** Thrown (inside the sandbox) when a plugin calls a host function its grants do not cover. */
export class CapabilityError extends Error {
  override readonly name = 'CapabilityError';
  constructor(
    readonly functionName: string,
    readonly capability: Capability,
  ) {
    super(`${CONDUCTOR_MODULE}.${functionName} needs the "${capability}" capability, which is not granted`);
  }
}

/** The WASI module plugins may import. */
export const WASI_MODULE = 'wasi_snapshot_preview1';

/** Every function of wasi_snapshot_preview1; the import object provides exactly these. */
export const PREVIEW1_FUNCTIONS = [
  'args_get', 'args_sizes_get', 'environ_get', 'environ_sizes_get', 'clock_res_get', 'clock_time_get',
  'fd_advise', 'fd_allocate', 'fd_close', 'fd_datasync', 'fd_fdstat_get', 'fd_fdstat_set_flags',
  'fd_fdstat_set_rights', 'fd_filestat_get', 'fd_filestat_set_size', 'fd_filestat_set_times', 'fd_pread',
  'fd_prestat_get', 'fd_prestat_dir_name', 'fd_pwrite', 'fd_read', 'fd_readdir', 'fd_renumber', 'fd_seek',
  'fd_sync', 'fd_tell', 'fd_write', 'path_create_directory', 'path_filestat_get', 'path_filestat_set_times',
  'path_link', 'path_open', 'path_readlink', 'path_remove_directory', 'path_rename', 'path_symlink',
  'path_unlink_file', 'poll_oneoff', 'proc_exit', 'proc_raise', 'sched_yield', 'random_get', 'sock_accept',
  'sock_recv', 'sock_send', 'sock_shutdown',
] as const;

export type Preview1Function = (typeof PREVIEW1_FUNCTIONS)[number];
