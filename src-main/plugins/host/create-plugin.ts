// The plugin host's entry: `createPlugin(manifest, options)` starts one plugin in its own sandbox process and hands
// back its handle (call, reset, close, events). Never runs plugin code in this process; refuses impossible options.
import { basename, resolve } from 'node:path';
import { DEFAULT_LIMITS, isCapability, ISOLATION_MODES, type Capability, type PluginLimits, type SettingValue } from '../../../src-shared/plugin';
import { systemClock, type Clock } from '../../common/clock';
import { pluginDataDir } from '../../common/paths';
import type { AuthorizeHook, VerifyHook } from '../../trust/hooks';
import { breakerProblem, CrashBreaker, DEFAULT_BREAKER, type BreakerLimits } from './crash-breaker';
import { PluginHandle } from './plugin-handle';
import { SandboxPool, type SandboxPoolOptions } from './sandbox-pool';
import type { SandboxSpawner } from './sandbox-process';

export type { PluginHandle } from './plugin-handle';
import type { OAuthTokenHook } from './plugin-handle';

/** One plugin: its file, its limits, and what it may use. Defaults deny: no grants unless given or authorized. */
export interface PluginManifest {
  wasmPath: string;
  /** Defaults to the file name without `.wasm`. */
  id?: string;
  /** Units are in the names (`memoryBytes`, `callTimeoutMs`…); the rest are DEFAULT_LIMITS. */
  limits?: Partial<PluginLimits>;
  /** Fixed grants (e.g. `conductor plugin run --grant`). Not together with `authorize`. */
  grants?: Capability[];
  /** Decides the grants from the plugin's verification and metadata (the app's grant store). Not with `grants`. */
  authorize?: AuthorizeHook;
  /** The signature check (default: none, tier 'unchecked'). */
  verify?: VerifyHook;
  /** The plugin's data directory; default: the per-platform plugin-data/<id> (DESIGN §6). */
  dataDir?: string;
  /** The user's values for the settings the plugin declares (secrets included; never logged). Change with setSettings. */
  settings?: Readonly<Record<string, SettingValue>>;
  /** Where the plugin's OAuth access token comes from (the manager); without it, `oauth_token` answers "not set". */
  oauthToken?: OAuthTokenHook;
}

/** How the plugins of one host run: the sandbox processes and the crash breaker (the manager's `host` option). */
export interface PluginHostOptions extends SandboxPoolOptions {
  /** Crashes/timeouts within `windowMs` that disable a plugin (default 3 in 60 s). */
  breaker?: BreakerLimits;
  /** The crash breaker's and the lifecycle events' time (default: the system clock). */
  clock?: Clock;
}

export interface CreatePluginOptions {
  /** A shared pool of started sandboxes; without one the plugin starts its own process and stops it on close. */
  pool?: SandboxPool;
  /** Without a pool: how the plugin's process is started (default: child_process.fork). Not together with `pool`. */
  spawner?: SandboxSpawner;
  /** Without a pool: the built sandbox entry script (default: dist/sandbox.js). Not together with `pool`. */
  sandboxEntry?: string;
  /** Without a pool: where instrumented modules are cached (default none). Not together with `pool` (give it to the pool). */
  moduleCacheDir?: string;
  breaker?: BreakerLimits;
  clock?: Clock;
}

/** Options that cannot work together or at all; thrown by createPlugin before anything starts. */
export class PluginOptionsError extends TypeError {
  override readonly name = 'PluginOptionsError';
}

const unchecked: VerifyHook = async () => ({
  ok: true,
  tier: 'unchecked',
  detail: 'no signature verifier is configured',
  signer: null,
  trustedKeyName: null,
  failedCheck: null,
});

/**
 * Creates a plugin and starts loading it (verify → sandbox → init); returns its handle at once. Await `loaded` for
 * the outcome (see its state); calls made before that wait for it. Throws PluginOptionsError for impossible options.
 */
export function createPlugin(manifest: PluginManifest, options: CreatePluginOptions = {}): PluginHandle {
  const problem = manifestProblem(manifest) ?? optionsProblem(options);
  if (problem !== null) throw new PluginOptionsError(problem);
  const pool = options.pool ?? new SandboxPool({ spareSandboxes: 0, ...ownPoolOptions(options) });
  const clock = options.clock ?? systemClock;
  const id = manifest.id ?? basename(manifest.wasmPath).replace(/\.wasm$/i, '');
  const handle = new PluginHandle(
    {
      id,
      wasmPath: resolve(manifest.wasmPath),
      limits: { ...DEFAULT_LIMITS, ...manifest.limits },
      grants: manifest.grants ? [...new Set(manifest.grants)] : null,
      dataDir: manifest.dataDir ?? pluginDataDir(id),
      settings: { ...manifest.settings },
    },
    {
      sandboxes: pool,
      verify: manifest.verify ?? unchecked,
      authorize: manifest.authorize ?? null,
      breaker: new CrashBreaker(options.breaker ?? DEFAULT_BREAKER, clock),
      clock,
      oauthToken: manifest.oauthToken ?? null,
    },
  );
  if (!options.pool) handle.onDidClose(() => void pool.dispose());
  return handle;
}

/** The spawner and entry of a plugin's own pool (when no shared pool is given). */
function ownPoolOptions(options: CreatePluginOptions): SandboxPoolOptions {
  return {
    ...(options.spawner ? { spawner: options.spawner } : {}),
    ...(options.sandboxEntry ? { sandboxEntry: options.sandboxEntry } : {}),
    ...(options.moduleCacheDir ? { moduleCacheDir: options.moduleCacheDir } : {}),
  };
}

function manifestProblem(manifest: PluginManifest): string | null {
  if (!manifest.wasmPath) return 'the manifest names no wasmPath';
  if (manifest.grants && manifest.authorize) return 'the manifest gives both fixed grants and an authorize hook: give one of them';
  const unknown = (manifest.grants ?? []).find((g) => !isCapability(g));
  if (unknown !== undefined) return `unknown capability "${unknown}" in grants`;
  for (const [name, value] of Object.entries(manifest.limits ?? {})) {
    if (name === 'isolation') {
      if (!(ISOLATION_MODES as readonly unknown[]).includes(value)) return `limits.isolation must be one of ${ISOLATION_MODES.join(', ')}, got ${String(value)}`;
      continue;
    }
    if (!(name in DEFAULT_LIMITS)) return `unknown limit "${name}"`;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) return `limits.${name} must be a positive whole number, got ${value}`;
  }
  return null;
}

function optionsProblem(options: CreatePluginOptions): string | null {
  if (options.pool && (options.spawner || options.sandboxEntry || options.moduleCacheDir)) {
    return 'options give a pool and a spawner or sandbox entry or module cache: the pool starts the processes, so give those to the pool';
  }
  return options.breaker ? breakerProblem(options.breaker) : null;
}
