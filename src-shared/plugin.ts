// Plugin domain types shared by main, preload and renderer: limits, metadata, call results, lifecycle.
// Pure types and constants only — never imports Node, Electron or DOM APIs.

/** Capabilities a plugin may request (DESIGN §6). */
export type Capability = 'network' | 'midi' | 'filesystem' | 'subprocess' | 'systemcontrol';
export const CAPABILITIES: readonly Capability[] = ['network', 'midi', 'filesystem', 'subprocess', 'systemcontrol'];

export function isCapability(value: string): value is Capability {
  return (CAPABILITIES as readonly string[]).includes(value);
}

/** Per-plugin limits (DESIGN §5). Units are in the names. */
export interface PluginLimits {
  /** Fuel (≈ WebAssembly instructions) per call, including alloc/dealloc around it. */
  fuelPerCall: number;
  /** Cap on linear memory, bytes (rounded down to whole 64 KiB pages). */
  memoryBytes: number;
  /** Cap on table elements. */
  tableElements: number;
  /** Wall-clock deadline per call; past it the sandbox process is killed and restarted. */
  callTimeoutMs: number;
  /** Calls waiting or running per plugin; one more fails fast with "plugin busy". */
  maxQueuedCalls: number;
  /** Bytes of log (stdout, stderr, conductor.log) kept per call; the rest is dropped and counted. */
  logBytesPerCall: number;
  /** Where the plugin runs, overriding the isolation policy (`[wasm.limits.<plugin>] isolation`); absent = the policy decides. */
  isolation?: IsolationMode;
}

/**
 * `process`: a sandbox process of its own; `shared`: a worker thread (own isolate, own metered instance) in a sandbox
 * process shared with other plugins (docs/isolation.md says what each protects against).
 */
export type IsolationMode = 'process' | 'shared';
export const ISOLATION_MODES: readonly IsolationMode[] = ['process', 'shared'];

/** Where a plugin's current sandbox runs and why (host/isolation.ts decides). */
export interface PluginIsolation {
  mode: IsolationMode;
  /** Plain-language reason, e.g. "unsigned plugins run in a process of their own". */
  reason: string;
  /** The user's `isolation` override when one is set (it wins over the policy), else null. */
  override: IsolationMode | null;
}

export const DEFAULT_LIMITS: Readonly<PluginLimits> = Object.freeze({
  fuelPerCall: 100_000_000,
  memoryBytes: 128 * 1024 * 1024,
  tableElements: 10_000,
  callTimeoutMs: 5_000,
  maxQueuedCalls: 32,
  logBytesPerCall: 64 * 1024,
});

/** The limits a user may set per plugin (config.toml `[wasm.limits.<plugin>]`, the Plugins view). */
export type EditableLimit = 'fuelPerCall' | 'memoryBytes' | 'tableElements' | 'callTimeoutMs';
export const EDITABLE_LIMITS: readonly EditableLimit[] = ['fuelPerCall', 'memoryBytes', 'tableElements', 'callTimeoutMs'];
/** A plugin's own limits where they differ from DEFAULT_LIMITS (absent = the default). */
export type PluginLimitOverrides = Partial<Pick<PluginLimits, EditableLimit>> & { isolation?: IsolationMode };

/** What each editable limit is called in messages and the UI. */
export const LIMIT_NAMES: Readonly<Record<EditableLimit, string>> = Object.freeze({
  fuelPerCall: 'fuel per call',
  memoryBytes: 'memory',
  tableElements: 'table elements',
  callTimeoutMs: 'timeout per call (ms)',
});

const MIB = 1024 * 1024;
/**
 * Sane bounds of each editable limit (inclusive), enforced by the config reader and the UI alike: low enough ends
 * that a plugin still loads and answers, high enough ends that one plugin cannot take the machine (wasm32 memory
 * cannot exceed 4 GiB anyway; past 60 s a MIDI action is a hang, not work).
 */
export const LIMIT_BOUNDS: Readonly<Record<EditableLimit, readonly [number, number]>> = Object.freeze({
  fuelPerCall: [1_000_000, 10_000_000_000],
  memoryBytes: [1 * MIB, 4096 * MIB],
  tableElements: [100, 1_000_000],
  callTimeoutMs: [100, 60_000],
});

/** Why a value is outside LIMIT_BOUNDS (or not a whole number), or null when it is fine. Memory must be whole MiB. */
export function limitProblem(limit: EditableLimit, value: number): string | null {
  const [min, max] = LIMIT_BOUNDS[limit];
  const n = (x: number): string => x.toLocaleString('en-US');
  if (!Number.isSafeInteger(value)) return `must be a whole number, got ${value}`;
  if (limit === 'memoryBytes') {
    if (value % MIB !== 0) return `must be whole MiB, got ${n(value)} bytes`;
    if (value < min || value > max) return `must be ${n(min / MIB)}–${n(max / MIB)} MiB, got ${n(value / MIB)} MiB`;
    return null;
  }
  if (value < min || value > max) return `must be ${n(min)}–${n(max)}, got ${n(value)}`;
  return null;
}

export interface PluginParameter {
  name: string;
  type: string;
  required: boolean;
  description: string;
}

export interface PluginAction {
  name: string;
  description: string;
  parameters: PluginParameter[];
}

/** Plugin metadata (DESIGN §4), normalised: every field present. */
/** The kinds of value a plugin setting holds (issue #14). `secret` is stored apart and never shown back or logged;
 *  a `url` or `host` the user enters is added to the plugin's allowed hosts. */
export const SETTING_TYPES = ['string', 'number', 'bool', 'secret', 'url', 'host'] as const;
export type PluginSettingType = (typeof SETTING_TYPES)[number];
export type SettingValue = string | number | boolean;

/** A setting the plugin's metadata declares; the user fills it in (Plugins view, or `plugin run --setting`). */
export interface PluginSettingSpec {
  name: string;
  type: PluginSettingType;
  description: string;
  /** Used when the user has set nothing; never for secrets. */
  default: SettingValue | null;
  /** A call fails with "set <name> in the plugin's settings" while a required setting has no value. */
  required: boolean;
}

/**
 * OAuth 2.0 (authorization code + PKCE) that the host runs for a plugin: the plugin names the provider; the user
 * connects in the Plugins view; the plugin only ever gets a current access token (`conductor.oauth_token`).
 * `{name}` in a URL is the value of that setting (e.g. `{accounts_base}/authorize`).
 */
export interface PluginOAuthSpec {
  provider: string;
  authorizeUrl: string;
  tokenUrl: string;
  /** The setting that holds the client id the user registered with the provider. */
  clientIdSetting: string;
  scopes: string[];
}

/** A plugin's settings as a form shows them: declarations, plain values, which secrets are set (never their values). */
export interface PluginSettingsForm {
  id: string;
  specs: PluginSettingSpec[];
  values: Record<string, SettingValue>;
  secretsSet: string[];
  /** Where secrets are kept: the OS keychain (desktop app) or a file only the user can read (browser/headless mode). */
  secretStorage: 'keychain' | 'file';
  /**
   * The plugin's OAuth provider, whether the user has connected it (never the tokens), whether a Connect is waiting
   * for the browser, and why the last one failed; null without a provider.
   */
  oauth: { provider: string; scopes: string[]; connected: boolean; pending: boolean; error: string | null } | null;
}

export interface PluginMetadata {
  name: string;
  version: string;
  description: string;
  author: string;
  license: string;
  type: string;
  capabilities: Capability[];
  actions: PluginAction[];
  allowedHosts: string[];
  settings: PluginSettingSpec[];
  oauth: PluginOAuthSpec | null;
  /** Where the metadata came from. */
  source: 'init' | 'plugin.toml' | 'custom-section' | 'none';
}

/** Why a call failed. `plugin-error` = the plugin ran and returned a non-zero code. */
export type CallErrorKind =
  | 'plugin-error'
  | 'out-of-fuel'
  | 'memory'
  | 'trap'
  | 'stack-overflow'
  | 'exit'
  | 'capability'
  | 'timeout'
  | 'crash'
  | 'busy'
  | 'disabled'
  | 'approval'
  /** A required setting has no value (the message names it). */
  | 'settings'
  | 'load';

/** The outcome of one plugin call. Never thrown: failures are values. */
export interface CallResult {
  /** Set when the plugin told the host its OAuth access token was refused (`oauth_token` flags 1): refresh and retry. */
  tokenRefused?: boolean;
  ok: boolean;
  /** The plugin's return code (or exit code for proc_exit); null when it never returned. */
  code: number | null;
  /** Human-readable reason naming the limit or fault; null on success. */
  error: string | null;
  errorKind: CallErrorKind | null;
  fuelConsumed: number;
  /** Time spent running the call inside the sandbox (ms). */
  durationMs: number;
  /** Linear memory size after the call (bytes); memory never shrinks, so this is the peak. */
  memoryBytes: number;
  log: string[];
}

/** What a failed call measured before it failed; absent figures are zero (the plugin never ran) and the log empty. */
export type CallMeasurements = Partial<Pick<CallResult, 'code' | 'fuelConsumed' | 'durationMs' | 'memoryBytes' | 'log' | 'tokenRefused'>>;

/** The one way to build a failed CallResult: why it failed (kind and text), plus what the call measured, if it ran. */
export function failedCall(errorKind: CallErrorKind, error: string, measured: CallMeasurements = {}): CallResult {
  return { ok: false, code: null, error, errorKind, fuelConsumed: 0, durationMs: 0, memoryBytes: 0, log: [], ...measured };
}

/** `waiting-approval`: loaded, but medium/high capabilities it requests are still pending the user's decision. */
export type PluginState = 'loading' | 'ready' | 'waiting-approval' | 'restarting' | 'disabled' | 'failed' | 'unloaded';

/** Plugin lifecycle phases (spec "Plugin Lifecycle"), plus the sandbox's failure events. */
export type LifecyclePhase =
  | 'load'
  | 'verify'
  | 'init'
  | 'ready'
  | 'execute'
  | 'shutdown'
  | 'unload'
  | 'crash'
  | 'timeout'
  | 'restart'
  | 'disabled'
  | 'failed';

export interface LifecycleEvent {
  pluginId: string;
  phase: LifecyclePhase;
  /** Epoch milliseconds. */
  at: number;
  detail?: string;
}

/** What triggered a plugin call; becomes the `context` member of the execute input (DESIGN §4). */
export interface TriggerContext {
  trigger: string;
  mode: string;
  /** Epoch milliseconds. */
  timestamp: number;
  note?: number;
  velocity?: number;
  channel?: number;
  cc?: number;
  value?: number;
  [key: string]: string | number | boolean | undefined;
}

/** JSON-compatible parameter values from a mapping's `params` table. */
export type ParamValue = string | number | boolean | null | ParamValue[] | { [key: string]: ParamValue };
export type ActionParams = Record<string, ParamValue>;

/** Signature tier of a loaded plugin (DESIGN §7); 'unchecked' when no verifier is configured (plain CLI runs). */
/** `bundled`: shipped inside the (signed) app package, recognised by its SHA-256 in the app's own manifest. */
export type SignatureTier = 'unchecked' | 'unsigned' | 'self-signed' | 'trusted' | 'bundled';

/** Who signed a plugin, from its `.wasm.sig` (keys are lowercase hex). */
export interface SignerInfo {
  publicKey: string;
  name: string;
  email: string;
  /** RFC 3339, as written in the signature file. */
  signedAt: string;
}

export interface VerificationResult {
  /** False blocks loading. */
  ok: boolean;
  tier: SignatureTier;
  /** What was checked, or why loading is blocked. */
  detail: string;
  /** The signature's signer when the signature is valid (also when blocked only because the key is not trusted). */
  signer: SignerInfo | null;
  /** The name of the trusted key that matched (tier 'trusted'). */
  trustedKeyName: string | null;
  /** Which verification step failed, when one did (see docs/signing.md). */
  failedCheck: string | null;
}

/** Something a plugin asked the host to do through a capability-gated host function (e.g. send MIDI, notify). */
export type PluginHostEvent =
  | { kind: 'midi'; bytes: number[]; port: string | null }
  | { kind: 'notify'; title: string; body: string };

/** A loaded plugin as the UI and CLI see it. */
export interface PluginSnapshot {
  id: string;
  wasmPath: string;
  sha256: string;
  state: PluginState;
  /** Why the plugin is failed or disabled; null otherwise. */
  reason: string | null;
  metadata: PluginMetadata | null;
  verification: VerificationResult | null;
  limits: PluginLimits;
  /** Capabilities the sandbox has now. */
  grants: Capability[];
  /** Requested medium/high capabilities awaiting the user's decision; while any exist the plugin does not run. */
  pendingCapabilities: Capability[];
  /** Requested capabilities the user denied; the plugin runs without them. */
  deniedCapabilities: Capability[];
  dataDir: string | null;
  stats: PluginStats;
  /** Where the current sandbox runs and why; null while none has started (loading, failed before boot). */
  isolation: PluginIsolation | null;
}

/** Recent calls of a loaded plugin (since it was last loaded). */
export interface PluginStats {
  calls: number;
  errors: number;
  lastFuelConsumed: number | null;
  lastDurationMs: number | null;
  crashes: number;
  /** The most recent failed call (what the troubleshooting help keys on: out of fuel, memory, …). */
  lastError: { kind: CallErrorKind; message: string; at: number } | null;
}
