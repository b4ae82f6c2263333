// THE contract between the UI and the main process: every request/reply call with its argument schema and reply
// type, and every main → renderer event stream with its payload. Electron IPC (preload) and browser mode
// (WebSocket) both carry exactly this. Pure types + zod schemas — never imports Node, Electron or DOM APIs.
import { z } from 'zod';
import { CALL_NAMES, EVENT_NAMES, type CallName, type EventName } from './contract-names';
import type { ApprovalRequest, GrantStatus } from './capabilities';
import type { AppConfig, ConfigIssue, Trigger } from './config';
import type { EngineEvent } from './engine';
import type { DeviceInfo, MidiBackendStatus, VirtualLayout } from './midi';
import type { CallResult, Capability, PluginSnapshot } from './plugin';

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

export interface TrustedKeyInfo {
  publicKey: string;
  name: string;
  email: string;
  addedAt: string;
}

// ── argument schemas (main validates every request with these; the renderer is not trusted) ───────────────

const midiByte = z.number().int().min(0).max(127);
const capability = z.enum(['network', 'midi', 'filesystem', 'subprocess', 'systemcontrol']);
const jsonObject = z.record(z.string(), z.unknown());

export const CALL_ARGS = {
  'app.info': z.tuple([]),
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
  'plugins.uninstall': z.tuple([z.string().min(1).max(512)]),
  'plugins.decide': z.tuple([z.string().min(1).max(512), capability, z.enum(['granted', 'denied', 'pending'])]),
  'trust.listKeys': z.tuple([]),
  'trust.addKey': z.tuple([z.string().min(1).max(256), z.string().min(1).max(256), z.string().max(256).optional()]),
  'trust.removeKey': z.tuple([z.string().min(1).max(256)]),
  'trust.getPolicy': z.tuple([]),
  'trust.setPolicy': z.tuple([z.object({ requireSignature: z.boolean(), allowSelfSigned: z.boolean() })]),
} as const satisfies Record<CallName, z.ZodType>;

/** Reply type of each call. */
export interface CallReplies {
  'app.info': AppInfo;
  'devices.list': DevicesState;
  'devices.connect': CommandResult;
  'devices.disconnect': CommandResult;
  'virtual.press': CommandResult;
  'virtual.release': CommandResult;
  'virtual.knob': CommandResult;
  'config.get': ConfigState;
  'config.save': SaveConfigResult;
  'engine.state': EngineState;
  'engine.setMode': CommandResult;
  'engine.recentEvents': EngineEvent[];
  'learn.start': { sessionId: number; timeoutMs: number };
  'learn.cancel': CommandResult;
  'plugins.list': PluginInfo[];
  'plugins.test': CallResult;
  'plugins.install': { ok: true; plugin: PluginInfo; action: 'installed' | 'updated' } | { ok: false; error: string };
  'plugins.uninstall': CommandResult;
  'plugins.decide': { ok: true; plugin: PluginInfo } | { ok: false; error: string };
  'trust.listKeys': TrustedKeyInfo[];
  'trust.addKey': { ok: true; key: TrustedKeyInfo } | { ok: false; error: string };
  'trust.removeKey': CommandResult;
  'trust.getPolicy': { requireSignature: boolean; allowSelfSigned: boolean };
  'trust.setPolicy': { ok: true; plugins: PluginInfo[] } | { ok: false; error: string };
}

/** Argument types, as the caller passes them (from the schemas). */
export type CallArgs<N extends CallName> = z.input<(typeof CALL_ARGS)[N]>;

/** Main → renderer event streams and their payloads. */
export interface EventPayloads {
  'engine.event': EngineEvent;
  'devices.changed': DevicesState;
  'config.changed': ConfigState;
  'learn': LearnEvent;
  'plugins.changed': PluginInfo[];
  'plugins.approvalRequest': ApprovalRequest;
  'plugins.notification': { pluginId: string; title: string; body: string };
}


/** What the renderer sees: one method per call, one subscription per event stream. */
export interface ConductorApi {
  call<N extends CallName>(name: N, ...args: CallArgs<N>): Promise<CallReplies[N]>;
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
}

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

// ── browser mode: the same contract over a local WebSocket (docs/browser-mode.md) ───────────────────────────

/** The WebSocket path on the browser-mode server; the per-run token goes in the query: `/ws?token=<token>`. */
export const WIRE_PATH = '/ws';
/** Larger frames close the connection (code 1009). */
export const WIRE_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/** Client → server: one call. `id` is chosen by the client and echoed in the reply. */
export interface WireRequest {
  id: number | string;
  call: string;
  args: unknown[];
}

/**
 * Server → client: the reply to a request. `id` is null when the frame was too malformed to carry one.
 * `errorName` is 'InvalidRequestError' for arguments the contract refused (or a malformed frame), else 'Error'.
 */
export type WireReply =
  | { id: number | string | null; ok: true; reply: unknown }
  | { id: number | string | null; ok: false; error: string; errorName: string };

/** Server → client: an event of one of the EVENT_NAMES streams. */
export interface WirePush {
  event: EventName;
  payload: unknown;
}

/** TOML date-times as @iarna/toml writes them: local date, local time, local or offset date-time. */
const TOML_DATETIME =
  /^(?:\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2})?)?|\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)$/;
const BIGINT_TEXT = /^-?\d{1,400}$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function defineMember(target: Record<string, unknown>, key: string, value: unknown): void {
  // defineProperty, not assignment: a member called "__proto__" stays a member and never becomes the prototype.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A date-time read from its TOML text; it writes itself back as exactly that text (like @iarna/toml's local types). */
function tomlDate(text: string): Date {
  const hasDate = text.includes('-');
  const hasTime = text.includes(':');
  if (hasDate && hasTime && /(?:[Zz]|[+-]\d{2}:\d{2})$/.test(text)) return new Date(text);
  const iso = !hasDate ? `1970-01-01T${text}Z` : !hasTime ? `${text}T00:00:00Z` : `${text.replace(/[t ]/, 'T')}Z`;
  const date = new Date(iso);
  Object.defineProperty(date, 'toISOString', { value: () => text, enumerable: false, configurable: true, writable: true });
  return date;
}

/**
 * JSON text for a browser-mode frame. Values JSON cannot carry are tagged with one-key objects: a bigint becomes
 * `{"$bigint":"123"}`, a Date `{"$date":"<its toISOString(): ISO, or the TOML text of a local date/time>"}`; an object
 * key that starts with `$` gets one more `$` in front (so data never looks like a tag).
 */
export function encodeWire(value: unknown): string {
  return JSON.stringify(value, function replacer(this: unknown, key: string, replaced: unknown): unknown {
    // JSON.stringify has already applied toJSON (a Date is a string by now): look at the holder's own value.
    const raw = (this as Record<string, unknown>)[key];
    if (typeof raw === 'bigint') return { $bigint: raw.toString() };
    if (raw instanceof Date) {
      try {
        return { $date: raw.toISOString() };
      } catch {
        return null; // an invalid Date has no text
      }
    }
    if (isPlainObject(replaced) && Object.keys(replaced).some((k) => k.startsWith('$'))) {
      const escaped: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(replaced)) defineMember(escaped, `${k.startsWith('$') ? '$' : ''}${k}`, v);
      return escaped;
    }
    return replaced;
  });
}

/**
 * Parses a frame written by encodeWire: `{"$bigint"}` → bigint, `{"$date"}` → Date (one that writes itself back as
 * the same text), `$$key` → `$key`. Throws SyntaxError on bad JSON or a malformed tag.
 */
export function decodeWire(text: string): unknown {
  return JSON.parse(text, (_key: string, value: unknown): unknown => {
    if (!isPlainObject(value)) return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === '$bigint' || keys[0] === '$date')) {
      const v = value[keys[0]];
      if (keys[0] === '$bigint' && typeof v === 'string' && BIGINT_TEXT.test(v)) return BigInt(v);
      if (keys[0] === '$date' && typeof v === 'string' && TOML_DATETIME.test(v)) return tomlDate(v);
      throw new SyntaxError(`malformed ${keys[0]} value`);
    }
    if (!keys.some((k) => k.startsWith('$$'))) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) defineMember(out, k.startsWith('$$') ? k.slice(1) : k, v);
    return out;
  });
}
