// THE contract between the UI and main: every call (argument schema, reply), every event stream (payload) and the
// verb API derived from them, carried by Electron IPC and browser mode alike. Never imports Node, Electron or DOM.
import { z } from 'zod';
import { CALL_NAMES, EVENT_NAMES, type CallName, type EventName } from './contract-names';
import type { ApprovalRequest, GrantStatus } from './capabilities';
import type { FrontmostReply, ProfilesState } from './app-profiles';
import type { AppConfig, ConfigIssue, Trigger } from './config';
import type { EngineEvent } from './engine';
import type { TemplateInfo } from './device-templates';
import type { ControllerLayoutsState } from './controller-layout';
import { controllerLayoutsStateSchema } from './controller-layout-schema';
import type { DeviceInfo, MidiBackendStatus, VirtualLayout } from './midi';
import type { CallResult, Capability, PluginSettingsForm, PluginSnapshot, PluginStats } from './plugin';
import { uiStatePatchSchema, type UiState } from './ui-state';

// ── payload types ────────────────────────────────────────────────────────────────────────────────────────────

export interface AppInfo {
  version: string;
  /** 'electron' in the desktop app, 'browser' in browser mode. */
  shell: 'electron' | 'browser';
  platform: string;
  configPath: string;
  pluginsDir: string;
}

export interface DevicesState {
  status: MidiBackendStatus;
  devices: DeviceInfo[];
  virtualLayout: VirtualLayout;
  /** LED feedback: the virtual controller's lit pads now, note → velocity of the note-on Conductor last sent to it. */
  lights: Record<number, number>;
}

/** One pad of the virtual controller lit or turned off by MIDI Conductor sent to it (velocity 0 = off). */
export interface VirtualLightChange {
  note: number;
  velocity: number;
}

export interface ConfigState {
  /** The running (last good) config. */
  config: AppConfig;
  /** Problems of the file on disk; empty when it is the running config. */
  issues: ConfigIssue[];
  path: string;
}

export type SaveConfigResult = { ok: true; config: AppConfig } | { ok: false; issues: ConfigIssue[] };

export interface EngineState {
  mode: string | null;
  modes: string[];
}

/** Whether mappings are paused (app.paused, app.setPaused, app.didChangePaused). */
export interface PauseState {
  paused: boolean;
}

export type CommandResult = { ok: true } | { ok: false; error: string };

/** An installed plugin as the UI lists it. */
export interface PluginInfo {
  id: string;
  wasmPath: string;
  signaturePath: string | null;
  snapshot: PluginSnapshot;
}

/** MIDI-learn: what the core inferred from the pads/knobs touched during a learn session. */
export interface LearnResult {
  trigger: Trigger;
  /** In words, e.g. "Pad C1 (note 36), channel 1". */
  description: string;
  /** The velocity of the (first) press, so the user can turn it into a VelocityRange. */
  velocity: number | null;
  deviceId: string;
}

export type LearnEvent =
  | { kind: 'started'; sessionId: number; timeoutMs: number }
  | { kind: 'learned'; sessionId: number; result: LearnResult }
  | { kind: 'cancelled'; sessionId: number; reason: 'user' | 'timeout' };

/** An installed application the Launch editor's picker offers (system.apps). */
export interface InstalledApp {
  /** What the user sees ("Firefox Web Browser"). */
  name: string;
  /** What goes into Launch's `app`: the program (Linux), the app's name for `open -a` (macOS), the shortcut's path (Windows). */
  launch: string;
  /** Arguments the app's launcher entry starts it with (Linux Exec without its field codes); goes into Launch's `args`. */
  args: string[];
  /** The entry's icon name or path, as the system gave it (not loaded by the UI). */
  icon: string | null;
}

/** system.apps: whether this platform has a list of installed apps, and the list (sorted by name). */
export interface InstalledApps {
  supported: boolean;
  apps: InstalledApp[];
}

/** A game controller main reads (joydev on Linux) or the app window reports (gamepads.state). */
export interface GamepadControllerInfo {
  /** The deviceId of its events, e.g. "gamepad:js0 Microsoft X-Box 360 pad", "gamepad:window0 Xbox Wireless Controller". */
  id: string;
  name: string;
  /** 'window' (the app window's Gamepad API) or 'joydev' (/dev/input/jsN). */
  source: 'window' | 'joydev';
}

/** gamepads.state: whether the window should report its controllers (gamepads.input), and the controllers known. */
export interface GamepadsState {
  windowInput: boolean;
  controllers: GamepadControllerInfo[];
}

export interface TrustedKeyInfo {
  publicKey: string;
  name: string;
  email: string;
  addedAt: string;
}

// ── argument schemas (main validates every request with these; the renderer is not trusted) ───────────────

/** One Conductor gamepad input from the window (ids as in src-shared/gamepad.ts; the source clamps the values). */
const gamepadInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('button'), id: z.number().int().min(128).max(255), pressed: z.boolean(), value: z.number().finite() }).strict(),
  z.object({ kind: z.literal('axis'), id: z.number().int().min(128).max(131), value: z.number().finite() }).strict(),
  z.object({ kind: z.literal('trigger'), id: z.number().int().min(132).max(133), value: z.number().finite() }).strict(),
]);

const midiByte = z.number().int().min(0).max(127);
const capability = z.enum(['network', 'midi', 'filesystem', 'subprocess', 'systemcontrol']);
const jsonObject = z.record(z.string(), z.unknown());

export const CALL_ARGS = {
  'app.info': z.tuple([]),
  /** The UI's state between runs (first-run guide, closed MIDI notice): src-shared/ui-state.ts. */
  'app.uiState': z.tuple([]),
  /** Only the parts to change; main writes ui_state.json beside config.toml. */
  'app.setUiState': z.tuple([uiStatePatchSchema]),
  /** Whether mappings are paused (the tray's and the header's Pause): MIDI is still shown and learnable, nothing fires. */
  'app.paused': z.tuple([]),
  /** true pauses every mapping, false resumes them (not saved: Conductor always starts with mappings running). */
  'app.setPaused': z.tuple([z.boolean()]),
  'devices.list': z.tuple([]),
  'devices.connect': z.tuple([z.string().min(1).max(512)]),
  'devices.disconnect': z.tuple([z.string().min(1).max(512)]),
  /** note, velocity 1–127 */
  'virtual.press': z.tuple([midiByte, z.number().int().min(1).max(127)]),
  'virtual.release': z.tuple([midiByte]),
  /** cc, value */
  'virtual.knob': z.tuple([midiByte, midiByte]),
  'config.get': z.tuple([]),
  /** The whole config; checked deeply by the config module before anything is written. */
  'config.save': z.tuple([jsonObject]),
  /** The device templates this build ships (src-shared/device-templates.ts). */
  'config.templates': z.tuple([]),
  /** A template (by id) as a config for the draft: its device, modes and mappings; nothing is saved. */
  'config.applyTemplate': z.tuple([z.string().min(1).max(64)]),
  'engine.state': z.tuple([]),
  'engine.setMode': z.tuple([z.string().min(1).max(256)]),
  /** Events after this sequence number (0 = the whole recent buffer). */
  'engine.recentEvents': z.tuple([z.number().int().min(0)]),
  /** Starts a learn session of at most this many ms (default 10 s); results arrive as `learn` events. */
  'learn.start': z.tuple([z.number().int().min(1000).max(60_000).optional()]),
  'learn.cancel': z.tuple([]),
  'plugins.list': z.tuple([]),
  /** path (as in a mapping), params: runs the plugin once ("Test" button). */
  'plugins.test': z.tuple([z.string().min(1).max(4096), jsonObject]),
  'plugins.install': z.tuple([z.string().min(1).max(4096), z.object({ update: z.boolean().optional() }).optional()]),
  /**
   * Install from files the user picked or dropped (browser and Electron alike): one `.wasm`, optionally its
   * `.wasm.sig` and a `plugin.toml`; contents base64 (≤ 24 MiB each).
   */
  'plugins.installFiles': z.tuple([
    z.array(z.object({ name: z.string().min(1).max(255), base64: z.string().max(32 * 1024 * 1024) })).min(1).max(3),
    z.object({ update: z.boolean().optional() }).optional(),
  ]),
  'plugins.uninstall': z.tuple([z.string().min(1).max(512)]),
  'plugins.decide': z.tuple([z.string().min(1).max(512), capability, z.enum(['granted', 'denied', 'pending'])]),
  /**
   * A plugin's own limits (id or name; only the ones to change from the defaults; null = back to all defaults), and
   * its `isolation` override (absent = the policy decides; the whole set is replaced, so send it with the numbers).
   * Bounds (LIMIT_BOUNDS) are checked by the handler so the refusal can say which limit and why.
   */
  'plugins.setLimits': z.tuple([
    z.string().min(1).max(512),
    z
      .object({
        fuelPerCall: z.number().int().positive().optional(),
        memoryBytes: z.number().int().positive().optional(),
        tableElements: z.number().int().positive().optional(),
        callTimeoutMs: z.number().int().positive().optional(),
        /** Where it runs, overriding the isolation policy; absent = the policy decides (IsolationMode). */
        isolation: z.enum(['process', 'shared']).optional(),
      })
      .strict()
      .nullable(),
  ]),
  /** A plugin's settings form (id or name): declarations, plain values, which secrets are set — never a secret. */
  'plugins.settings': z.tuple([z.string().min(1).max(512)]),
  /** Changes to a plugin's settings: a value sets, null clears (types are checked against the declarations). */
  'plugins.saveSettings': z.tuple([
    z.string().min(1).max(512),
    z.record(z.string().min(1).max(64), z.union([z.string().max(4096), z.number().finite(), z.boolean(), z.null()])),
  ]),
  /**
   * Connect a plugin's OAuth provider: main starts a one-shot loopback listener and answers with the authorize URL; the
   * desktop app opens it in the system browser itself (`opened: true`), browser mode leaves it to the page (a new tab).
   */
  'plugins.oauthConnect': z.tuple([z.string().min(1).max(512)]),
  'plugins.oauthDisconnect': z.tuple([z.string().min(1).max(512)]),
  'trust.listKeys': z.tuple([]),
  'trust.addKey': z.tuple([z.string().min(1).max(256), z.string().min(1).max(256), z.string().max(256).optional()]),
  'trust.removeKey': z.tuple([z.string().min(1).max(256)]),
  'trust.getPolicy': z.tuple([]),
  'trust.setPolicy': z.tuple([z.object({ requireSignature: z.boolean(), allowSelfSigned: z.boolean() })]),
  /** The installed applications (read once per run; `refresh` reads them again). */
  'system.apps': z.tuple([z.object({ refresh: z.boolean().optional() }).strict().optional()]),
  'layouts.get': z.tuple([]),
  /** The whole state (learned layouts, chosen layouts); its limits are checked by the handler so the refusal says which. */
  'layouts.save': z.tuple([controllerLayoutsStateSchema]),
  /** Per-app profiles: following on/off, the app in front, the mode chosen and why (src-shared/app-profiles.ts). */
  'profiles.state': z.tuple([]),
  /** true: the mode follows the frontmost app again (ends a manual choice); false: modes change only by hand. */
  'profiles.setFollow': z.tuple([z.boolean()]),
  /** One reading of the app in front now, for "Use the current app". */
  'profiles.frontmost': z.tuple([]),
  /** Game controllers: whether the window reports its controllers (main has no reader of its own here) and the list. */
  'gamepads.state': z.tuple([]),
  /**
   * What changed on one of the window's controllers since its last report (`navigator.getGamepads()` index, its name;
   * `connected: false` when it went away). Ignored unless window input is on (gamepads.state); rate-limited by main.
   */
  'gamepads.input': z.tuple([
    z
      .object({
        index: z.number().int().min(0).max(15),
        name: z.string().max(512),
        connected: z.boolean(),
        inputs: z.array(gamepadInput).max(64),
      })
      .strict(),
  ]),
} as const satisfies Record<CallName, z.ZodType>;

/** Reply type of each call. */
export interface CallReplies {
  'app.info': AppInfo;
  'app.uiState': UiState;
  'app.setUiState': { ok: true; state: UiState } | { ok: false; error: string };
  'app.paused': PauseState;
  'app.setPaused': PauseState;
  'devices.list': DevicesState;
  'devices.connect': CommandResult;
  'devices.disconnect': CommandResult;
  'virtual.press': CommandResult;
  'virtual.release': CommandResult;
  'virtual.knob': CommandResult;
  'config.get': ConfigState;
  'config.save': SaveConfigResult;
  'config.templates': TemplateInfo[];
  /** The running config with the template's device, timing, modes and mappings (its signature policy kept). */
  'config.applyTemplate': { ok: true; config: AppConfig; template: TemplateInfo } | { ok: false; error: string };
  'engine.state': EngineState;
  'engine.setMode': CommandResult;
  'engine.recentEvents': EngineEvent[];
  'learn.start': { sessionId: number; timeoutMs: number };
  'learn.cancel': CommandResult;
  'plugins.list': PluginInfo[];
  'plugins.test': CallResult;
  'plugins.install': { ok: true; plugin: PluginInfo; action: 'installed' | 'updated' } | { ok: false; error: string };
  'plugins.installFiles': { ok: true; plugin: PluginInfo; action: 'installed' | 'updated' } | { ok: false; error: string };
  'plugins.uninstall': CommandResult;
  'plugins.decide': { ok: true; plugin: PluginInfo } | { ok: false; error: string };
  'plugins.setLimits': { ok: true; plugin: PluginInfo } | { ok: false; error: string };
  'plugins.settings': { ok: true; form: PluginSettingsForm } | { ok: false; error: string };
  'plugins.saveSettings': { ok: true; form: PluginSettingsForm } | { ok: false; error: string };
  'plugins.oauthConnect': { ok: true; authorizeUrl: string; opened: boolean } | { ok: false; error: string };
  'plugins.oauthDisconnect': { ok: true; form: PluginSettingsForm } | { ok: false; error: string };
  'trust.listKeys': TrustedKeyInfo[];
  'trust.addKey': { ok: true; key: TrustedKeyInfo } | { ok: false; error: string };
  'trust.removeKey': CommandResult;
  'trust.getPolicy': { requireSignature: boolean; allowSelfSigned: boolean };
  'trust.setPolicy': { ok: true; plugins: PluginInfo[] } | { ok: false; error: string };
  'system.apps': InstalledApps;
  /**
   * The saved layouts; `problem` says why controller-layouts.json could not be used (it then reads as empty and is kept
   * as it is until the next save, which keeps its old text beside it).
   */
  'layouts.get': { state: ControllerLayoutsState; problem: string | null };
  'layouts.save': { ok: true; state: ControllerLayoutsState } | { ok: false; error: string };
  'profiles.state': ProfilesState;
  'profiles.setFollow': ProfilesState;
  'profiles.frontmost': FrontmostReply;
  'gamepads.state': GamepadsState;
  'gamepads.input': CommandResult;
}

/** Argument types, as the caller passes them (from the schemas). */
export type CallArgs<N extends CallName> = z.input<(typeof CALL_ARGS)[N]>;

/**
 * A plugin's call statistics changed (calls, errors, fuel, duration, crashes, last error): only the figures that
 * changed since main last sent them (in `plugins.didChange` or here), as absolute values — never the whole list.
 */
export interface PluginStatsChange {
  pluginId: string;
  stats: Partial<PluginStats>;
}

/** Main → renderer event streams and their payloads. */
export interface EventPayloads {
  'engine.didEmitEvent': EngineEvent;
  'devices.didChange': DevicesState;
  'config.didChange': ConfigState;
  'learn.didChange': LearnEvent;
  'plugins.didChange': PluginInfo[];
  'plugins.didChangeStats': PluginStatsChange;
  'plugins.didRequestApproval': ApprovalRequest;
  'plugins.didNotify': { pluginId: string; title: string; body: string };
  /**
   * A note-on / note-off Conductor sent to the virtual controller changed a pad's light. Bursts are coalesced per note
   * (the last velocity of each note within a short window), so a flood of notes cannot flood the UI.
   */
  'virtual.didChangeLight': VirtualLightChange;
  /** The saved controller layouts changed (a save from any window). */
  'layouts.didChange': ControllerLayoutsState;
  /** Mappings were paused or resumed (from the UI, the tray or another window). */
  'app.didChangePaused': PauseState;
  /** Per-app profiles' state changed (the app in front, following, the mode chosen or why). */
  'profiles.didChange': ProfilesState;
  /** A game controller was plugged in or out (either source). */
  'gamepads.didChange': GamepadsState;
}

/** One event of any stream, as main's services hand it to a transport. */
export type ContractEvent = { [E in EventName]: { event: E; payload: EventPayloads[E] } }[EventName];

// ── the verb API (what the renderer sees) ────────────────────────────────────────────────────────────────────

/** The API namespaces: the part of a call or event name before the dot (`plugins` of `plugins.install`). */
export type ApiNamespace = (CallName | EventName) extends infer N ? (N extends `${infer NS}.${string}` ? NS : never) : never;

/** `install` → `(...args) => Promise<reply>` for every call `NS.install`. */
type CallVerbs<NS extends string> = {
  readonly [N in CallName as N extends `${NS}.${infer V}` ? V : never]: (...args: CallArgs<N>) => Promise<CallReplies[N]>;
};

/** `didChange` → `onDidChange(listener) → unsubscribe` for every event `NS.didChange`. */
type EventVerbs<NS extends string> = {
  readonly [E in EventName as E extends `${NS}.${infer V}` ? `on${Capitalize<V>}` : never]: (listener: (payload: EventPayloads[E]) => void) => () => void;
};

/**
 * Desktop only (the Electron preload): installs a picked or dropped `.wasm` from where it lies on disk, so its
 * `.wasm.sig` and `plugin.toml` next to it are picked up (`plugins.install` with the file's path; the path stays in
 * the preload). Null when the file has no path on disk (then upload it with `plugins.installFiles`).
 * `file` is a DOM File (typed `unknown` here: src-shared has no DOM types).
 */
export type InstallFromDisk = (file: unknown, options: { update?: boolean }) => Promise<CallReplies['plugins.install'] | null>;

/**
 * What the renderer sees, derived from the names above: one namespace per name prefix, one verb per call
 * (`api.plugins.install(path, { update })`) and one `onDidX(listener) → unsubscribe` per event stream
 * (`api.plugins.onDidChange(list => …)`). Nothing else: no generic call, no transport. Built by buildApi()
 * (src-shared/api.ts) in the preload, the browser-mode client and the in-memory test transport alike.
 */
export type ConductorApi = {
  readonly [NS in ApiNamespace]: CallVerbs<NS> & EventVerbs<NS> & (NS extends 'plugins' ? { readonly installFromDisk?: InstallFromDisk } : unknown);
};

/** The main side: handlers for every call, given already-validated arguments. */
export type CallHandlers = {
  [N in CallName]: (...args: z.output<(typeof CALL_ARGS)[N]>) => Promise<CallReplies[N]> | CallReplies[N];
};

/** Thrown to the caller when a request's arguments fail the schema (the message names the call and the problem). */
export class InvalidRequestError extends Error {
  override readonly name = 'InvalidRequestError';
}

/** Validates a request from an untrusted sender; returns the parsed arguments or throws InvalidRequestError. */
export function parseCall(name: unknown, args: unknown): { name: CallName; args: unknown[] } {
  if (typeof name !== 'string' || !Object.hasOwn(CALL_ARGS, name)) throw new InvalidRequestError(`unknown call ${JSON.stringify(name)}`);
  const schema = CALL_ARGS[name as CallName];
  const parsed = schema.safeParse(Array.isArray(args) ? args : []);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.length ? `argument ${i.path.join('.')}: ` : ''}${i.message}`).join('; ');
    throw new InvalidRequestError(`${name}: invalid arguments: ${problems}`);
  }
  return { name: name as CallName, args: parsed.data as unknown[] };
}

export type { Capability, GrantStatus, CallName, EventName };
export { CALL_NAMES, EVENT_NAMES };

export * from './wire';
