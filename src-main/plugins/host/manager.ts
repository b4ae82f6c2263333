// Installed plugins: discovery of the plugins dir, install/update/uninstall, and the trust wiring of the host
// (signature policy → verify hook, grant store → authorize hook, user decisions → restart with the new grants).
// The one place the CLI, the engine and the UI go through for plugins; never runs plugin code itself.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import type { GrantDecision, GrantStatus } from '../../../src-shared/capabilities';
import { errorCode, errorMessage } from '../../../src-shared/errors';
import { DEFAULT_LIMITS, EDITABLE_LIMITS, type Capability, type PluginLimitOverrides, type PluginLimits, type PluginOAuthSpec, type PluginSettingsForm, type PluginSnapshot, type SettingValue } from '../../../src-shared/plugin';
import { writeFileAtomically } from '../../fs/atomic-write';
import { configPath, expandHome, grantsPath, pluginSecretsPath, pluginSettingsPath, pluginsDir, trustedKeysPath } from '../../common/paths';
import { decisionOf, GrantStore, type GrantRecord } from '../../trust/grant-store';
import type { AuthorizeHook, VerifyHook } from '../../trust/hooks';
import { trustOfficialKeyOnFirstRun } from '../../trust/official-key';
import { createVerifier, readWasmSettings, type SignaturePolicy } from '../../trust/policy';
import { TrustedKeyStore } from '../../trust/trusted-keys';
import type { PluginHandle } from './plugin-handle';
import { PluginEvents } from './plugin-events';
import { createPlugin, type CreatePluginOptions, type PluginHostOptions } from './create-plugin';
import { PluginLoadError, sidecarPaths } from './plugin-load';
import { SandboxPool } from './sandbox-pool';
import { PluginSettingsStore, type SecretSealer } from './settings-store';
import { OAUTH_REFRESH_MARGIN_MS, OAuthError, providerUrl, refreshTokens, startConnect, type PendingConnect } from './oauth';
import type { OAuthTokenHook } from './plugin-handle';
import { resolveSettings } from '../common/settings';
import { Emitter, type Event } from '../../../src-shared/emitter';

export interface PluginManagerOptions {
  /** Where installed plugins live (default ~/.conductor/wasm-plugins, env CONDUCTOR_PLUGINS_DIR). */
  pluginsDir?: string;
  trustedKeysPath?: string;
  grantsPath?: string;
  /** config.toml whose [wasm] table holds the signature policy; ignored when `policy` is given. */
  configPath?: string;
  policy?: SignaturePolicy;
  /** The official public key file trusted on first run; null = none (tests). Default: the shipped one. */
  officialKeyPath?: string | null;
  /** Per-plugin limits by plugin id (config.toml `[wasm.limits]`); see `setLimits`. */
  limits?: Record<string, PluginLimitOverrides>;
  /** How plugins run: sandbox processes (spawner, entry, spares) and the crash breaker. */
  host?: PluginHostOptions;
  /** The user's plugin settings and secrets (defaults: plugin_settings.json / plugin_secrets.json in the config dir). */
  settingsPath?: string;
  secretsPath?: string;
  /** How secrets are sealed: the desktop app passes the OS keychain (safeStorage); default a 0600 file. */
  secretSealer?: SecretSealer;
  /** How long an OAuth Connect waits for the browser (default 5 minutes). */
  oauthConnectTimeoutMs?: number;
}



/** An installed plugin as discovery sees it: its files and its host snapshot (state, verification, grants). */
export interface InstalledPlugin {
  id: string;
  wasmPath: string;
  signaturePath: string | null;
  sidecarPath: string | null;
  snapshot: PluginSnapshot;
}

export interface InstallOptions {
  /** Replace an installed plugin of the same name (re-verifies; newly requested capabilities are asked again). */
  update?: boolean;
}

export interface InstallResult {
  plugin: InstalledPlugin;
  /** 'installed' or 'updated' (with the version it replaced). */
  action: 'installed' | 'updated';
  previousVersion: string | null;
}

/** Refused install/uninstall/decision: the message says why and what to do. Nothing was changed. */
export class PluginInstallError extends Error {
  override readonly name = 'PluginInstallError';
}

const exists = (path: string): Promise<boolean> => stat(path).then(() => true, () => false);

export class PluginManager {
  /** The events of every loaded plugin (lifecycle, approval requests, host events, finished calls). */
  readonly events = new PluginEvents();
  private readonly oauthChanges = new Emitter<{ id: string; connected: boolean; error: string | null }>();
  /** A Connect finished (connected) or failed (error says why), or the tokens were dropped. */
  readonly onDidChangeOAuth: Event<{ id: string; connected: boolean; error: string | null }> = this.oauthChanges.event;
  private readonly pendingConnects = new Map<string, PendingConnect>();
  /** Why the last Connect (or refresh) of a plugin failed; cleared by the next success or Disconnect. */
  private readonly oauthErrors = new Map<string, string>();
  private readonly oauthTimeoutMs: number | undefined;
  readonly trustedKeys: TrustedKeyStore;
  readonly grants: GrantStore;
  readonly settings: PluginSettingsStore;
  readonly pluginsDir: string;
  private policyValue: SignaturePolicy;
  private limitOverrides: Record<string, PluginLimitOverrides>;
  /** Serialises install/uninstall/discover so two never interleave on the plugins dir. */
  private chain: Promise<unknown> = Promise.resolve();
  private readonly pool: SandboxPool;
  private readonly pluginOptions: CreatePluginOptions;
  private readonly verify: VerifyHook;
  /** The loaded plugins by id, and the same by resolved .wasm path (what a mapping names: one lookup per press). */
  private readonly byId = new Map<string, PluginHandle>();
  private readonly byPath = new Map<string, PluginHandle>();
  /** ensureLoaded's cache: a path as the config spells it → the handle it resolved to (checked against byPath on use). */
  private readonly byConfigPath = new Map<string, PluginHandle>();
  private closed = false;

  private constructor(options: PluginManagerOptions, policy: SignaturePolicy) {
    this.pluginsDir = resolve(options.pluginsDir ?? pluginsDir());
    this.trustedKeys = new TrustedKeyStore(options.trustedKeysPath ?? trustedKeysPath());
    this.grants = new GrantStore(options.grantsPath ?? grantsPath());
    this.oauthTimeoutMs = options.oauthConnectTimeoutMs;
    this.settings = new PluginSettingsStore(options.settingsPath ?? pluginSettingsPath(), options.secretsPath ?? pluginSecretsPath(), options.secretSealer);
    this.policyValue = policy;
    this.limitOverrides = cloneLimits(options.limits ?? {});
    const { breaker, clock, ...pool } = options.host ?? {};
    this.pool = new SandboxPool({ lazySpares: true, ...pool });
    this.pluginOptions = { pool: this.pool, ...(breaker ? { breaker } : {}), ...(clock ? { clock } : {}) };
    this.verify = createVerifier(this.trustedKeys, () => this.policyValue);
  }

  /** Reads the policy, trusts the official key on first run, starts the host. Does not load plugins (see `discover`). */
  static async open(options: PluginManagerOptions = {}): Promise<PluginManager> {
    // Without an explicit policy, [wasm] of config.toml gives the policy and (unless given) the per-plugin limits.
    const settings = options.policy ? null : await readWasmSettings(options.configPath ?? configPath());
    const policy = options.policy ?? (settings as { policy: SignaturePolicy }).policy;
    const manager = new PluginManager({ ...options, limits: options.limits ?? settings?.limits ?? {} }, policy);
    if (options.officialKeyPath !== null) await trustOfficialKeyOnFirstRun(manager.trustedKeys, options.officialKeyPath);
    await manager.settings.load();
    return manager;
  }

  get policy(): SignaturePolicy {
    return { ...this.policyValue };
  }

  /** Changes the signature policy and re-verifies every installed plugin under it. */
  async setPolicy(policy: SignaturePolicy): Promise<InstalledPlugin[]> {
    this.policyValue = { ...policy };
    return this.reloadAll();
  }

  /** Per-plugin limits as set (only what differs from the defaults), by plugin id. */
  get limits(): Record<string, PluginLimitOverrides> {
    return cloneLimits(this.limitOverrides);
  }

  /**
   * Replaces the per-plugin limits. Every loaded plugin whose effective limits change is reloaded with them (its
   * sandbox restarts; grants stay, being stored by the grant store); the others are left alone. Lists the plugins.
   */
  setLimits(limits: Record<string, PluginLimitOverrides>): Promise<InstalledPlugin[]> {
    return this.serial(async () => {
      this.limitOverrides = cloneLimits(limits);
      for (const handle of [...this.byId.values()]) {
        const wanted = this.limitsFor(handle.wasmPath);
        if (EDITABLE_LIMITS.every((l) => handle.limits[l] === wanted[l]) && handle.limits.isolation === wanted.isolation) continue;
        await handle.close();
        await this.load(handle.wasmPath, handle.id);
      }
      return this.list();
    });
  }

  /** The limits a plugin file is loaded with: the defaults, then its `[wasm.limits.<id>]` entry (with `isolation` when set). */
  limitsFor(wasmPath: string): PluginLimits {
    return { ...DEFAULT_LIMITS, ...this.limitOverrides[idOf(wasmPath)] };
  }

  /** A plugin's settings form: what it declares, the plain values, which secrets are set (never their values). */
  settingsForm(idOrName: string): PluginSettingsForm {
    const handle = this.loaded(idOrName);
    const metadata = handle.snapshot().metadata;
    return { id: handle.id, specs: metadata?.settings ?? [], ...this.settings.view(handle.id), oauth: this.oauthView(handle.id, metadata?.oauth ?? null) };
  }

  /**
   * Starts connecting a plugin's OAuth provider: returns the URL to open in a browser; the host listens on a one-shot
   * loopback port for the redirect (5 minutes), exchanges the code and keeps the tokens (refresh token sealed with the
   * secrets). `onDidChangeOAuth` fires when it is done or failed. A new Connect cancels the previous one.
   */
  async oauthConnect(idOrName: string): Promise<{ authorizeUrl: string }> {
    const handle = this.loaded(idOrName);
    const { spec, values, clientId } = this.oauthContext(handle.id);
    this.pendingConnects.get(handle.id)?.cancel();
    const pending = await startConnect({
      authorizeUrl: providerUrl(spec.authorizeUrl, values),
      tokenUrl: providerUrl(spec.tokenUrl, values),
      clientId,
      scopes: spec.scopes,
      provider: spec.provider,
      ...(this.oauthTimeoutMs ? { timeoutMs: this.oauthTimeoutMs } : {}),
    });
    this.pendingConnects.set(handle.id, pending);
    this.oauthErrors.delete(handle.id);
    const done = (error: string | null): void => {
      if (this.pendingConnects.get(handle.id) === pending) this.pendingConnects.delete(handle.id);
      if (error === null) this.oauthErrors.delete(handle.id);
      else this.oauthErrors.set(handle.id, error);
      this.oauthChanges.fire({ id: handle.id, connected: this.settings.oauthTokens(handle.id) !== null, error });
    };
    pending.tokens.then(
      async (tokens) => {
        await this.settings.setOAuthTokens(handle.id, tokens);
        done(null);
      },
      (err: unknown) => done(errorMessage(err)),
    );
    return { authorizeUrl: pending.authorizeUrl };
  }

  /** Forgets a plugin's OAuth tokens (the plugin then gets no token until the user connects again). */
  async oauthDisconnect(idOrName: string): Promise<PluginSettingsForm> {
    const handle = this.loaded(idOrName);
    const pending = this.pendingConnects.get(handle.id);
    this.pendingConnects.delete(handle.id);
    pending?.cancel();
    this.oauthErrors.delete(handle.id);
    await this.settings.setOAuthTokens(handle.id, null);
    this.oauthChanges.fire({ id: handle.id, connected: false, error: null });
    return this.settingsForm(handle.id);
  }

  /**
   * The access token a plugin's next call gets (the handle asks before each call): refreshed when it expires within a
   * minute, or when `force` (the provider refused it). Null when not connected or the refresh was refused (then the
   * tokens are forgotten: the user must connect again).
   */
  private readonly oauthToken: OAuthTokenHook = async (id, force) => {
    const tokens = this.settings.oauthTokens(id);
    if (!tokens) return null;
    if (!force && tokens.expiresAt - OAUTH_REFRESH_MARGIN_MS > Date.now()) return { access_token: tokens.accessToken, expires_at: tokens.expiresAt };
    if (!tokens.refreshToken) return force ? null : { access_token: tokens.accessToken, expires_at: tokens.expiresAt };
    try {
      const { spec, values, clientId } = this.oauthContext(id);
      const fresh = await refreshTokens(providerUrl(spec.tokenUrl, values), clientId, tokens.refreshToken);
      await this.settings.setOAuthTokens(id, fresh);
      return { access_token: fresh.accessToken, expires_at: fresh.expiresAt };
    } catch (err) {
      if (err instanceof OAuthError && /refused/.test(err.message)) {
        await this.settings.setOAuthTokens(id, null);
        this.oauthErrors.set(id, `${err.message}: connect again`);
        this.oauthChanges.fire({ id, connected: false, error: `${err.message}: connect again` });
      }
      return null;
    }
  };

  private oauthView(id: string, spec: PluginOAuthSpec | null): PluginSettingsForm['oauth'] {
    if (!spec) return null;
    const connected = this.settings.oauthTokens(id) !== null;
    return { provider: spec.provider, scopes: [...spec.scopes], connected, pending: this.pendingConnects.has(id), error: this.oauthErrors.get(id) ?? null };
  }

  /** The plugin's OAuth declaration, its settings with defaults (for the URL templates) and the client id. */
  private oauthContext(id: string): { spec: PluginOAuthSpec; values: Readonly<Record<string, SettingValue>>; clientId: string } {
    const metadata = this.byId.get(id)?.snapshot().metadata;
    const spec = metadata?.oauth;
    if (!metadata || !spec) throw new OAuthError(`plugin "${id}" declares no OAuth provider`);
    const values = resolveSettings(metadata.settings, this.settings.valuesFor(id)).sandbox.values;
    const clientId = values[spec.clientIdSetting];
    if (typeof clientId !== 'string' || clientId.trim() === '') {
      throw new OAuthError(`set ${spec.clientIdSetting} in the plugin's settings first (the client id of your ${spec.provider} app)`);
    }
    return { spec, values, clientId: clientId.trim() };
  }

  private loaded(idOrName: string): PluginHandle {
    const handle = this.get(idOrName);
    if (!handle) throw new PluginInstallError(`no plugin "${idOrName}" is loaded`);
    return handle;
  }

  /**
   * Saves settings for a plugin (a value sets, null clears; secrets sealed apart) and hands the plugin its new values:
   * its next call uses them, without a reload. Refuses undeclared names and values that do not fit their type.
   */
  async saveSettings(idOrName: string, changes: Readonly<Record<string, SettingValue | null>>): Promise<PluginSettingsForm> {
    const handle = this.loaded(idOrName);
    const metadata = handle.snapshot().metadata;
    const specs = metadata?.settings ?? [];
    const view = await this.settings.update(handle.id, specs, changes);
    handle.setSettings(this.settings.valuesFor(handle.id));
    return { id: handle.id, specs, ...view, oauth: this.oauthView(handle.id, metadata?.oauth ?? null) };
  }

  /** Re-verifies every installed plugin (after trusted keys or the policy changed). */
  reloadAll(): Promise<InstalledPlugin[]> {
    return this.serial(async () => {
      await Promise.all([...this.byId.values()].map((h) => h.close()));
      return this.syncDir();
    });
  }

  /** Scans the plugins dir: loads new `.wasm` files, reloads changed ones, unloads removed ones. Lists them all. */
  discover(): Promise<InstalledPlugin[]> {
    return this.serial(() => this.syncDir());
  }

  /** The plugins currently known (as of the last discover/install/uninstall). */
  list(): Promise<InstalledPlugin[]> {
    return Promise.all([...this.byId.values()].map((h) => this.describe(h)));
  }

  get(idOrName: string): PluginHandle | undefined {
    return this.byId.get(idOrName) ?? this.named(idOrName);
  }

  /**
   * The loaded plugin for a mapping's `path` (`~` expanded): an installed one, or — for a path outside the plugins
   * dir — the file loaded through the same verify and grant checks. A plugin that failed to load is returned too
   * (its calls fail with the reason).
   */
  ensureLoaded(path: string): Promise<PluginHandle> {
    // Per press: the path as the config spells it → its handle, without resolving it again while that handle lives.
    const known = this.byConfigPath.get(path);
    if (known && this.byPath.get(known.wasmPath) === known) return Promise.resolve(known);
    const wasmPath = resolve(expandHome(path));
    const loaded = this.byPath.get(wasmPath);
    if (loaded) {
      this.byConfigPath.set(path, loaded);
      return Promise.resolve(loaded);
    }
    return this.serial(async () => {
      const again = this.byPath.get(wasmPath);
      if (again) return again;
      const stem = idOf(wasmPath);
      const id = this.byId.has(stem) ? `${stem}@${createHash('sha256').update(wasmPath).digest('hex').slice(0, 8)}` : stem;
      return this.load(wasmPath, id);
    });
  }

  /**
   * Installs a plugin from a path: verifies it under the current policy (its `.wasm.sig` beside it), reads its
   * metadata, refuses a name clash unless `update`, copies the .wasm, .wasm.sig and plugin.toml into the plugins
   * dir atomically, and loads it. Nothing is copied when any check fails.
   */
  install(source: string, options: InstallOptions = {}): Promise<InstallResult> {
    return this.serial(async () => {
      const wasmPath = resolve(source);
      if (extname(wasmPath).toLowerCase() !== '.wasm') throw new PluginInstallError(`${wasmPath}: a plugin file must end in .wasm`);
      const bytes = await readFile(wasmPath).catch((err: unknown) => {
        throw new PluginInstallError(`${wasmPath}: cannot read: ${errorCode(err) === 'ENOENT' ? 'no such file' : errorMessage(err)}`);
      });
      if (bytes.subarray(0, 4).toString('latin1') !== '\0asm') throw new PluginInstallError(`${wasmPath}: not a WebAssembly module (no \\0asm header)`);
      await this.syncDir(); // the installed plugins, for the name check
      const probe = await this.probe(wasmPath);
      const metadata = probe.metadata;
      if (!metadata) throw new PluginInstallError(`${wasmPath}: ${probe.reason ?? 'could not read the plugin metadata'}`);
      if (!probe.verification?.ok) throw new PluginInstallError(`${wasmPath}: ${probe.reason ?? 'signature check failed'}`);

      const existing = this.named(metadata.name);
      let target = join(this.pluginsDir, basename(wasmPath));
      let previousVersion: string | null = null;
      if (existing) {
        const old = existing.snapshot();
        if (!options.update) {
          throw new PluginInstallError(
            `a plugin named "${metadata.name}" is already installed (version ${old.metadata?.version ?? '?'}, ${old.wasmPath}); install it as an update to replace it (--update; in the app: tick "Update")`,
          );
        }
        const oldSigner = old.verification?.signer?.publicKey ?? null;
        const newSigner = probe.verification.signer?.publicKey ?? null;
        if (oldSigner !== null && oldSigner !== newSigner) {
          throw new PluginInstallError(
            `the update of "${metadata.name}" is ${newSigner ? `signed by a different key (${newSigner})` : 'not signed'}, but the installed version is signed by ${oldSigner}; uninstall it first if you trust the new file`,
          );
        }
        target = old.wasmPath;
        previousVersion = old.metadata?.version ?? null;
      } else {
        const clash = this.byPath.get(target);
        if (clash || (await exists(target))) {
          const other = clash?.snapshot().metadata?.name;
          throw new PluginInstallError(`${target} already exists${other ? ` (plugin "${other}")` : ''}; rename the file or uninstall that plugin first`);
        }
      }

      await mkdir(this.pluginsDir, { recursive: true });
      if (existing) await existing.close();
      try {
        await this.copyFiles(wasmPath, bytes, target);
      } catch (err) {
        // Each file is replaced atomically, so what is on disk is whole; load whatever is there again.
        if (existing) await this.load(target, idOf(target));
        throw new PluginInstallError(`could not copy ${wasmPath} into ${this.pluginsDir}: ${errorMessage(err)}`);
      }
      const handle = await this.load(target, idOf(target));
      return { plugin: await this.describe(handle), action: existing ? 'updated' : 'installed', previousVersion };
    });
  }

  /** Unloads a plugin, removes its files and its capability decisions. Its data folder is kept (user data). */
  uninstall(idOrName: string): Promise<InstalledPlugin> {
    return this.serial(async () => {
      const handle = this.get(idOrName);
      if (!handle) throw new PluginInstallError(`no installed plugin is called "${idOrName}" (see \`conductor plugin list\`)`);
      const described = await this.describe(handle);
      const name = described.snapshot.metadata?.name ?? handle.id;
      await handle.close();
      for (const path of [described.wasmPath, `${described.wasmPath}.sig`, sidecarPaths(described.wasmPath)[0] as string]) {
        await rm(path, { force: true });
      }
      await this.grants.forget(name);
      return described;
    });
  }

  /**
   * The user's decision on one capability of an installed plugin: 'granted', 'denied', or 'pending' (revoke →
   * asked again). The plugin restarts with exactly its new granted set.
   */
  async decide(idOrName: string, capability: Capability, status: GrantStatus): Promise<InstalledPlugin> {
    const handle = this.get(idOrName);
    const name = handle?.snapshot().metadata?.name;
    if (!handle || !name) throw new PluginInstallError(`no loaded plugin is called "${idOrName}"`);
    await this.grants.decide(name, capability, status);
    await handle.reauthorize();
    return this.describe(handle);
  }

  /** Closes every plugin (calling their `shutdown`) and stops the spare sandboxes; later loads are refused. */
  async shutdown(): Promise<void> {
    await this.chain.catch(() => undefined);
    this.closed = true;
    for (const pending of this.pendingConnects.values()) pending.cancel();
    await Promise.all([...this.byId.values()].map((h) => h.close()));
    await this.pool.dispose();
    this.events.dispose();
    this.oauthChanges.dispose();
  }

  /** Loads a plugin file with the manager's trust hooks and indexes it (by id and path) until it closes. */
  private load(wasmPath: string, id: string): Promise<PluginHandle> {
    if (this.closed) return Promise.reject(new PluginLoadError('the plugin manager is shut down'));
    if (this.byId.has(id)) return Promise.reject(new PluginLoadError(`a plugin with id "${id}" is already loaded`));
    const manifest = { wasmPath, id, limits: this.limitsFor(wasmPath), verify: this.verify, authorize: this.authorize, settings: this.settings.valuesFor(id), oauthToken: this.oauthToken };
    const handle = createPlugin(manifest, this.pluginOptions);
    this.byId.set(id, handle);
    this.byPath.set(handle.wasmPath, handle);
    this.events.add(handle);
    handle.onDidClose(() => {
      if (this.byId.get(id) === handle) this.byId.delete(id);
      if (this.byPath.get(handle.wasmPath) === handle) this.byPath.delete(handle.wasmPath);
      for (const [path, known] of this.byConfigPath) if (known === handle) this.byConfigPath.delete(path);
    });
    return handle.loaded;
  }

  /** The loaded plugin whose metadata has this name. */
  private named(name: string): PluginHandle | undefined {
    for (const handle of this.byId.values()) if (handle.snapshot().metadata?.name === name) return handle;
    return undefined;
  }

  /** Authorize hook: the grant store's record for this plugin, reconciled with what it requests now. */
  private readonly authorize: AuthorizeHook = async ({ sha256, verification, metadata }) => {
    const signer = verification.signer?.publicKey ?? null;
    if (metadata === null) {
      // Before init: grant what was decided for exactly this binary; the rest is settled once metadata is known.
      const known = (await this.grants.list()).find((r: GrantRecord) => r.sha256 === sha256 && r.signer === signer);
      return known ? { ...decisionOf(known), pending: [] } : { granted: [], pending: [], denied: [] };
    }
    const record = await this.grants.reconcile({ name: metadata.name, sha256, signer }, metadata.capabilities);
    return decisionOf(record) satisfies GrantDecision;
  };

  /**
   * Loads a file with no grants only to verify it and read its metadata; never touches the grant store, and is
   * neither listed nor announced (it is not an installed plugin).
   */
  private async probe(wasmPath: string): Promise<PluginSnapshot> {
    const manifest = { wasmPath, id: `install-probe:${wasmPath}`, grants: [], limits: this.limitsFor(wasmPath), verify: this.verify };
    const handle = await createPlugin(manifest, this.pluginOptions).loaded;
    const snapshot = handle.snapshot();
    await handle.close();
    return snapshot;
  }

  private async copyFiles(source: string, bytes: Uint8Array, target: string): Promise<void> {
    const sig = await readFile(`${source}.sig`).catch(() => null);
    const sidecars = sidecarPaths(source);
    let sidecar: Buffer | null = null;
    for (const path of sidecars) {
      sidecar = await readFile(path).catch(() => null);
      if (sidecar) break;
    }
    const targetSidecar = sidecarPaths(target)[0] as string;
    // Signature and sidecar first, binary last: a reader never sees the new binary with the old signature.
    if (sig) await writeFileAtomically(`${target}.sig`, sig);
    else await rm(`${target}.sig`, { force: true });
    if (sidecar) await writeFileAtomically(targetSidecar, sidecar);
    else await rm(targetSidecar, { force: true });
    await writeFileAtomically(target, bytes);
  }

  private async syncDir(): Promise<InstalledPlugin[]> {
    const names = await readdir(this.pluginsDir).catch((err: unknown) => {
      if (errorCode(err) === 'ENOENT') return [] as string[];
      throw err;
    });
    const files = names.filter((n) => n.toLowerCase().endsWith('.wasm')).map((n) => join(this.pluginsDir, n));
    for (const handle of [...this.byId.values()]) {
      if (!files.includes(handle.wasmPath)) await handle.close();
    }
    const toLoad: string[] = [];
    for (const file of files) {
      const loaded = this.byId.get(idOf(file));
      if (loaded) {
        const current = await readFile(file).catch(() => null);
        const sha = current ? createHash('sha256').update(current).digest('hex') : '';
        if (sha === loaded.snapshot().sha256 && loaded.state !== 'failed') continue;
        await loaded.close();
      }
      toLoad.push(file);
    }
    // Plugins load side by side (each in its own sandbox; a process boot is mostly waiting), at most LOAD_CONCURRENCY
    // at once, started in file order so the list keeps that order. A load that throws fails the scan after the others.
    let next = 0;
    const failures: unknown[] = [];
    const worker = async (): Promise<void> => {
      for (let file = toLoad[next++]; file !== undefined; file = toLoad[next++]) {
        await this.load(file, idOf(file)).catch((err: unknown) => failures.push(err));
      }
    };
    await Promise.all(Array.from({ length: Math.min(LOAD_CONCURRENCY, toLoad.length) }, worker));
    if (failures.length > 0) throw failures[0];
    return this.list();
  }

  private async describe(handle: PluginHandle): Promise<InstalledPlugin> {
    const snapshot = handle.snapshot();
    const sig = `${snapshot.wasmPath}.sig`;
    let sidecarPath: string | null = null;
    for (const path of sidecarPaths(snapshot.wasmPath)) {
      if (await exists(path)) {
        sidecarPath = path;
        break;
      }
    }
    return { id: handle.id, wasmPath: snapshot.wasmPath, signaturePath: (await exists(sig)) ? sig : null, sidecarPath, snapshot };
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work);
    this.chain = run.catch(() => undefined);
    return run;
  }
}

/** How many plugins `discover` loads at once. */
const LOAD_CONCURRENCY = 4;

function cloneLimits(limits: Record<string, PluginLimitOverrides>): Record<string, PluginLimitOverrides> {
  return Object.fromEntries(Object.entries(limits).map(([id, o]) => [id, { ...o }]));
}

/** The `[wasm.limits.<key>]` a plugin file's limits are stored under: its file name without `.wasm`. */
export function limitKeyOf(wasmPath: string): string {
  return idOf(wasmPath);
}

/** A plugin's id is its file name without `.wasm` (what a mapping's path names). */
function idOf(wasmPath: string): string {
  return basename(wasmPath).replace(/\.wasm$/i, '');
}
