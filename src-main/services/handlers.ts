// The main side of the UI contract: one handler per call of src-shared/contract.ts, run against the real Core.
// Arguments arrive already validated (dispatch.ts); every failure a user can cause is returned as a value, never thrown.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppConfig, ConfigIssue, WasmPolicyConfig } from '../../src-shared/config';
import { errorMessage } from '../../src-shared/errors';
import type { CallHandlers, CommandResult, DevicesState, GamepadsState, PluginInfo, TrustedKeyInfo } from '../../src-shared/contract';
import { DEFAULT_LIMITS, EDITABLE_LIMITS, failedCall, ISOLATION_MODES, LIMIT_NAMES, limitProblem, type ActionParams, type PluginLimitOverrides } from '../../src-shared/plugin';
import { ConfigSaveError } from '../config/store';
import { configFromTemplate, listTemplates, readTemplate } from '../config/templates';
import type { Core } from '../app/core';
import type { Learner } from '../engine/learn';
import type { PluginHandle } from '../plugins/host/create-plugin';
import { limitKeyOf, type InstalledPlugin } from '../plugins/host/manager';
import { expandHome } from '../common/paths';
import { configShapeIssues } from './config-shape';
import { InstalledAppsCatalog } from './installed-apps';
import { UiStateStore, uiStatePath } from './ui-state-store';
import type { UiState } from '../../src-shared/ui-state';
import { ControllerLayoutStore, controllerLayoutsPath } from './controller-layouts';

export interface HandlerInfo {
  shell: 'electron' | 'browser';
  /** The app's version (default: package.json's). */
  version?: string;
  /** Clock for the timestamp of a plugin test call (default Date.now). */
  now?: () => number;
  /** Opens a URL in the system browser (the desktop app: Electron's shell); absent in browser mode (the page opens a tab). */
  openExternal?: (url: string) => Promise<void>;
  /** The installed apps for system.apps (default: this platform's, read from the process environment). */
  apps?: InstalledAppsCatalog;
  /** Called with the new state after each saved app.setUiState (the desktop app applies the background settings). */
  onDidSetUiState?: (state: UiState) => void;
}

/** An installed plugin as the UI lists it. */
export function pluginInfo(plugin: InstalledPlugin): PluginInfo {
  return { id: plugin.id, wasmPath: plugin.wasmPath, signaturePath: plugin.signaturePath, snapshot: plugin.snapshot };
}

/** The devices as the UI shows them (devices.list and devices.didChange alike): backend status, list, virtual controller and its lights. */
export function devicesState(core: Core): DevicesState {
  const virtual = core.devices.virtualDevice;
  return { status: core.devices.status, devices: core.devices.devices(), virtualLayout: virtual.layout, lights: virtual.padLights() };
}

/** gamepads.state: whether the window reports its controllers, and the controllers of both sources. */
export function gamepadsState(core: Core): GamepadsState {
  return {
    windowInput: core.windowGamepads !== null,
    controllers: [
      ...(core.gamepads?.controllers ?? []).map((c) => ({ id: c.id, name: c.name, source: 'joydev' as const })),
      ...(core.windowGamepads?.controllers ?? []).map((c) => ({ id: c.id, name: c.name, source: 'window' as const })),
    ],
  };
}

/** The installed (and loaded) plugins for the UI (an install's verification probe is never listed). */
export async function listPluginInfos(core: Core): Promise<PluginInfo[]> {
  return (await core.plugins.list()).map(pluginInfo);
}

let cachedVersion: string | null = null;

/** package.json's version: beside the bundle (dist/ → ..), or from sources (src-main/services → ../..). */
export function appVersion(): string {
  if (cachedVersion !== null) return cachedVersion;
  for (const url of [new URL('../package.json', import.meta.url), new URL('../../package.json', import.meta.url)]) {
    try {
      const pkg = JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'conductor-desktop' && typeof pkg.version === 'string') return (cachedVersion = pkg.version);
    } catch {
      // not here; try the next place
    }
  }
  return (cachedVersion = '0.0.0');
}

/** A problem of the whole config (no place in it). */
function issue(message: string): ConfigIssue {
  return { path: '', segments: [], message, line: null, column: null };
}

const ok = (): CommandResult => ({ ok: true });

/**
 * The handlers for every call (see CallHandlers); `learn` is the core's Learner, `layouts` the saved controller layouts
 * (default: controller-layouts.json beside the core's config.toml).
 */
export function createHandlers(core: Core, learn: Learner, info: HandlerInfo, layouts: ControllerLayoutStore = new ControllerLayoutStore(controllerLayoutsPath(core.config.path))): CallHandlers {
  const now = info.now ?? Date.now;
  const version = info.version ?? appVersion();
  const apps = info.apps ?? new InstalledAppsCatalog({ platform: process.platform, env: process.env, home: homedir() });
  const uiState = new UiStateStore(uiStatePath(core.config.path), { firstRun: () => core.config.createdOnLoad });
  const virtual = (play: () => void): CommandResult => {
    try {
      play();
      return ok();
    } catch (error) {
      return { ok: false, error: errorMessage(error) };
    }
  };

  return {
    'app.info': () => ({ version, shell: info.shell, platform: process.platform, configPath: core.config.path, pluginsDir: core.plugins.pluginsDir }),

    'app.uiState': () => uiState.get(),
    'app.setUiState': async (patch) => {
      try {
        const state = await uiState.set(patch);
        info.onDidSetUiState?.(state);
        return { ok: true, state };
      } catch (error) {
        return { ok: false, error: `the UI state was not saved: ${errorMessage(error)}` };
      }
    },
    'app.paused': () => ({ paused: core.paused }),
    'app.setPaused': (paused) => {
      core.setPaused(paused);
      return { paused: core.paused };
    },

    'devices.list': () => devicesState(core),
    'devices.connect': (id) => core.devices.connect(id),
    'devices.disconnect': (id) => core.devices.disconnect(id),
    'virtual.press': (note, velocity) => virtual(() => core.devices.virtualDevice.pressPad(note, velocity)),
    'virtual.release': (note) => virtual(() => core.devices.virtualDevice.releasePad(note)),
    'virtual.knob': (cc, value) => virtual(() => core.devices.virtualDevice.turnKnob(cc, value)),

    'config.get': () => ({ config: core.config.config, issues: [...core.config.issues], path: core.config.path }),
    'config.save': async (candidate) => {
      const shape = configShapeIssues(candidate);
      if (shape.length > 0) return { ok: false, issues: shape };
      try {
        return { ok: true, config: await core.config.save(candidate as unknown as AppConfig) };
      } catch (error) {
        if (error instanceof ConfigSaveError) return { ok: false, issues: error.issues };
        return { ok: false, issues: [issue(`the config was not saved: ${errorMessage(error)}`)] };
      }
    },

    'config.templates': () => listTemplates(),
    'config.applyTemplate': async (id) => {
      try {
        const { config, info } = await readTemplate(id);
        return { ok: true, config: configFromTemplate(config, core.config.config), template: info };
      } catch (error) {
        return { ok: false, error: errorMessage(error) };
      }
    },

    'engine.state': () => ({ mode: core.engine.currentMode, modes: core.engine.modeNames }),
    'engine.setMode': (name) => {
      const result = core.engine.setMode(name);
      return result.ok ? ok() : { ok: false, error: result.error };
    },
    'engine.recentEvents': (afterSeq) => core.engine.recentEvents(afterSeq),

    'learn.start': (timeoutMs) => {
      const effective = timeoutMs ?? 10_000;
      return { sessionId: learn.start(effective), timeoutMs: effective };
    },
    /** Idempotent: cancelling when no session runs is fine (the dialog may close after a result). */
    'learn.cancel': () => {
      learn.cancel();
      return ok();
    },

    'plugins.list': () => listPluginInfos(core),
    'plugins.test': async (path, params) => {
      let handle: PluginHandle;
      try {
        handle = await core.plugins.ensureLoaded(path);
      } catch (error) {
        return failedCall('load', `cannot load ${path}: ${errorMessage(error)}`);
      } finally {
        core.pluginsChanged(); // a plugin outside the plugins dir may have been loaded just now
      }
      return handle.call(params as ActionParams, { trigger: 'test', mode: core.engine.currentMode ?? '', timestamp: now() });
    },
    'plugins.install': async (path, options) => {
      try {
        const result = await core.plugins.install(expandHome(path), { update: options?.update === true });
        return { ok: true, plugin: pluginInfo(result.plugin), action: result.action };
      } catch (error) {
        return { ok: false, error: errorMessage(error) };
      } finally {
        core.pluginsChanged();
      }
    },
    'plugins.installFiles': async (files, options) => {
      const staged = await stageUploadedPlugin(files).catch((error: unknown) => ({ error: errorMessage(error) }));
      if ('error' in staged) return { ok: false, error: staged.error };
      try {
        const result = await core.plugins.install(staged.wasmPath, { update: options?.update === true });
        return { ok: true, plugin: pluginInfo(result.plugin), action: result.action };
      } catch (error) {
        return { ok: false, error: errorMessage(error) };
      } finally {
        await rm(staged.dir, { recursive: true, force: true });
        core.pluginsChanged();
      }
    },
    'plugins.uninstall': async (idOrName) => {
      try {
        await core.plugins.uninstall(idOrName);
        return ok();
      } catch (error) {
        return { ok: false, error: errorMessage(error) };
      } finally {
        core.pluginsChanged();
      }
    },
    'plugins.decide': async (idOrName, capability, status) => {
      try {
        return { ok: true, plugin: pluginInfo(await core.plugins.decide(idOrName, capability, status)) };
      } catch (error) {
        return { ok: false, error: errorMessage(error) };
      } finally {
        core.pluginsChanged();
      }
    },

    'plugins.setLimits': async (idOrName, overrides) => {
      const handle = core.plugins.get(idOrName);
      if (!handle) return { ok: false, error: `no installed plugin is called "${idOrName}"` };
      const wanted: PluginLimitOverrides = {};
      for (const limit of EDITABLE_LIMITS) {
        const value = overrides?.[limit];
        if (value === undefined) continue;
        const problem = limitProblem(limit, value);
        if (problem) return { ok: false, error: `${LIMIT_NAMES[limit]} ${problem}` };
        if (value !== DEFAULT_LIMITS[limit]) wanted[limit] = value;
      }
      const isolation = overrides?.isolation;
      if (isolation !== undefined) {
        if (!ISOLATION_MODES.includes(isolation)) return { ok: false, error: `isolation must be one of ${ISOLATION_MODES.join(', ')} (or absent for the policy), got ${JSON.stringify(isolation)}` };
        wanted.isolation = isolation;
      }
      const refused = configIssuesRefusal(core, 'the limits');
      if (refused) return refused;
      const key = limitKeyOf(handle.snapshot().wasmPath);
      const next = core.plugins.limits;
      if (Object.keys(wanted).length > 0) next[key] = wanted;
      else delete next[key];
      const running = core.config.config;
      const wasm: WasmPolicyConfig = { ...running.wasm, limits: next };
      if (Object.keys(next).length === 0) delete wasm.limits;
      try {
        await core.config.save({ ...running, wasm });
      } catch (error) {
        const why = error instanceof ConfigSaveError ? error.issues.map((i) => i.message).join('; ') : errorMessage(error);
        return { ok: false, error: `the limits were not changed: config.toml could not be saved: ${why}` };
      }
      try {
        const plugins = await core.plugins.setLimits(next);
        const reloaded = plugins.find((p) => p.id === handle.id);
        return reloaded ? { ok: true, plugin: pluginInfo(reloaded) } : { ok: false, error: `"${idOrName}" is no longer loaded` };
      } catch (error) {
        return { ok: false, error: `the limits were saved, but reloading the plugin failed: ${errorMessage(error)}` };
      } finally {
        core.pluginsChanged();
      }
    },

    'plugins.settings': async (idOrName) => {
      try {
        return { ok: true, form: core.plugins.settingsForm(idOrName) };
      } catch (error) {
        return { ok: false, error: errorMessage(error) };
      }
    },

    'plugins.saveSettings': async (idOrName, changes) => {
      try {
        return { ok: true, form: await core.plugins.saveSettings(idOrName, changes) };
      } catch (error) {
        // The message names the setting, never its value (SettingValueError / SettingsStoreError).
        return { ok: false, error: errorMessage(error) };
      }
    },

    'plugins.oauthConnect': async (idOrName) => {
      try {
        const { authorizeUrl } = await core.plugins.oauthConnect(idOrName);
        if (!info.openExternal) return { ok: true, authorizeUrl, opened: false };
        await info.openExternal(authorizeUrl);
        return { ok: true, authorizeUrl, opened: true };
      } catch (error) {
        return { ok: false, error: errorMessage(error) };
      }
    },

    'plugins.oauthDisconnect': async (idOrName) => {
      try {
        return { ok: true, form: await core.plugins.oauthDisconnect(idOrName) };
      } catch (error) {
        return { ok: false, error: errorMessage(error) };
      } finally {
        core.pluginsChanged();
      }
    },

    /** A malformed trusted_keys.toml is thrown (the message names the file, line and column): the list has no error value. */
    'trust.listKeys': async (): Promise<TrustedKeyInfo[]> => core.plugins.trustedKeys.list(),
    'trust.addKey': async (publicKey, name, email) => {
      let key: TrustedKeyInfo;
      try {
        key = await core.plugins.trustedKeys.add({ publicKey, name, ...(email === undefined ? {} : { email }) });
      } catch (error) {
        return { ok: false, error: errorMessage(error) };
      }
      await reloadAfterTrustChange(core);
      return { ok: true, key };
    },
    'trust.removeKey': async (publicKey) => {
      try {
        await core.plugins.trustedKeys.remove(publicKey);
      } catch (error) {
        return { ok: false, error: errorMessage(error) };
      }
      await reloadAfterTrustChange(core);
      return ok();
    },
    'system.apps': (options) => apps.list(options?.refresh === true),

    'trust.getPolicy': () => core.plugins.policy,
    'trust.setPolicy': async (policy) => {
      const refused = configIssuesRefusal(core, 'the policy');
      if (refused) return refused;
      const previous = core.plugins.policy;
      const running = core.config.config;
      // The policy first (setPolicy takes it at once and re-verifies in the background), then the file: the store's
      // change event then finds the policy already applied and does not re-verify a second time.
      const reverify = core.plugins.setPolicy(policy);
      try {
        await core.config.save({ ...running, wasm: { ...running.wasm, requireSignature: policy.requireSignature, allowSelfSigned: policy.allowSelfSigned } });
      } catch (error) {
        await reverify.catch(() => undefined);
        await core.plugins.setPolicy(previous).catch(() => undefined);
        core.pluginsChanged();
        const why = error instanceof ConfigSaveError ? error.issues.map((i) => i.message).join('; ') : errorMessage(error);
        return { ok: false, error: `the policy was not changed: config.toml could not be saved: ${why}` };
      }
      try {
        await reverify;
        return { ok: true, plugins: await listPluginInfos(core) };
      } catch (error) {
        return { ok: false, error: `the policy was saved, but re-checking the plugins failed: ${errorMessage(error)}` };
      } finally {
        core.pluginsChanged();
      }
    },

    'layouts.get': async () => {
      const state = await layouts.get();
      return { state, problem: layouts.problem === null ? null : `${layouts.path} is not used: ${layouts.problem}. Learned layouts start empty; the file is kept until layouts are saved again.` };
    },
    'layouts.save': (state) => layouts.save(state),
    'profiles.state': () => core.profiles.state,
    'profiles.setFollow': (follow) => {
      core.profiles.setFollow(follow);
      return core.profiles.state;
    },
    'profiles.frontmost': () => core.profiles.frontmost(),
    'gamepads.state': () => gamepadsState(core),
    'gamepads.input': (report) => core.windowGamepads?.report(report) ?? { ok: false, error: 'game controller input from the window is off here (main reads the controllers itself)' },
  };
}

/** Settings saved into config.toml need a file without problems (the app never overwrites what the user must fix). */
function configIssuesRefusal(core: Core, what: string): { ok: false; error: string } | null {
  const first = core.config.issues[0];
  if (!first) return null;
  return { ok: false, error: `config.toml has problems (${first.path ? `${first.path}: ` : ''}${first.message}); fix them first so ${what} can be saved there` };
}

/** Plugins' tiers depend on the trusted keys: re-verify all of them (failures show on each plugin). */
async function reloadAfterTrustChange(core: Core): Promise<void> {
  try {
    await core.plugins.reloadAll();
  } catch {
    // A plugin that fails to reload shows its reason in its snapshot; the key change itself succeeded.
  } finally {
    core.pluginsChanged();
  }
}

/**
 * Writes picked/dropped plugin files into a fresh temp dir so the installer sees the usual layout (NAME.wasm,
 * NAME.wasm.sig, plugin.toml). Names must be plain file names of those three kinds; anything else is refused.
 */
export async function stageUploadedPlugin(files: readonly { name: string; base64: string }[]): Promise<{ dir: string; wasmPath: string }> {
  const wasm = files.filter((f) => /\.wasm$/i.test(f.name));
  if (wasm.length !== 1) throw new Error(`pick exactly one .wasm file (got ${wasm.length}), optionally with its .wasm.sig and a plugin.toml`);
  const wasmName = (wasm[0] as { name: string }).name;
  const allowed = new Set([wasmName, `${wasmName}.sig`, 'plugin.toml', `${wasmName.replace(/\.wasm$/i, '')}.plugin.toml`]);
  for (const f of files) {
    if (f.name !== basename(f.name) || f.name.includes('\\') || f.name.startsWith('.') || !allowed.has(f.name)) {
      throw new Error(`"${f.name}" is not a file of this plugin (expected ${[...allowed].join(', ')})`);
    }
  }
  const dir = await mkdtemp(join(tmpdir(), 'conductor-upload-'));
  try {
    for (const f of files) await writeFile(join(dir, f.name), Buffer.from(f.base64, 'base64'), { mode: 0o600 });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, wasmPath: join(dir, wasmName) };
}
