// The main-process core, wired in one place: config store → MIDI devices → engine → plugins. Used by the
// headless `conductor run` (and, later, the Electron main process and browser mode). Never imports Electron.
//
//   MIDI event:  DeviceManager.onDidMidiEvent → Engine.handle → mapping's action (src-main/actions)
//   plugin call: WasmPlugin action → PluginManager.ensureLoaded(path) (a map lookup) → PluginHandle.call → sandbox
//   plugin asks: PluginManager.events.onDidPluginEvent (midi_send, notify) → device outputs (failure → engine event) / notifications
import type { AppConfig, ConfigIssue, WasmPolicyConfig } from '../../src-shared/config';
import { EDITABLE_LIMITS, type PluginHostEvent, type PluginLimitOverrides } from '../../src-shared/plugin';
import { ConfigStore } from '../config/store';
import { systemClock, systemTimer, type Clock } from '../common/clock';
import { Emitter, type Event } from '../../src-shared/emitter';
import { Engine } from '../engine';
import { createDeviceManager, type DeviceManager, type DeviceManagerOptions } from '../midi/device-manager';
import type { PluginHostOptions } from '../plugins/host/create-plugin';
import { PluginManager } from '../plugins/host/manager';
import type { SecretSealer } from '../plugins/host/settings-store';
import { installBundledPlugins } from '../plugins/host/bundled';
import { bundledRecordPath, instrumentedCacheDir } from '../common/paths';
import { errorMessage } from '../../src-shared/errors';
import { configureLog, log, type LogSettings } from '../common/log';
import { LedFeedback } from '../led/feedback';
import { JoydevSource } from '../gamepad/joydev-source';
import { WindowGamepadSource } from '../gamepad/window-source';
import type { GamepadEvent } from '../../src-shared/gamepad';
import { createAppSource } from '../system/app-source';
import { appQueryOf, type AppSource } from '../system/frontmost-app';
import { AppProfiles } from './app-profiles';

export interface CoreOptions {
  /** config.toml (default: the per-platform config dir; first run writes the default config). */
  configPath?: string;
  /** Installed plugins (default ~/.conductor/wasm-plugins, env CONDUCTOR_PLUGINS_DIR). */
  pluginsDir?: string;
  clock?: Clock;
  /** Options for the device manager (tests pass backends; the default uses @julusian/midi + the virtual controller). */
  devices?: DeviceManagerOptions;
  /** Watch config.toml for external edits (default true). */
  watchConfig?: boolean;
  /**
   * Plugin host process options: the Electron app passes the utilityProcess spawner and the unpacked sandbox entry.
   * `moduleCacheDir` defaults to instrumentedCacheDir() (null: no cache).
   */
  pluginHost?: Pick<PluginHostOptions, 'spawner' | 'sandboxEntry' | 'spareSandboxes' | 'moduleCacheDir'>;
  /** How plugin secrets are sealed: the desktop app passes the OS keychain; default a 0600 file in the config dir. */
  secretSealer?: SecretSealer;
  /**
   * The app's own plugins (resources/plugins/) to install on first run and update after an app update; the app and
   * browser mode pass it, tests and the headless CLI do not.
   */
  bundledPluginsDir?: string | null;
  /**
   * Load the installed plugins in the background: `start` resolves before they have loaded, so the UI comes up at
   * once and shows them "loading" (the app and browser mode). Default false: `start` resolves once every plugin has
   * loaded (the CLI, tests). Either way `pluginsLoaded` resolves when the scan is done, and a press meanwhile waits
   * for its plugin's load.
   */
  loadPluginsInBackground?: boolean;
  /**
   * Where Conditional's AppRunning / AppFrontmost and per-app profiles look: default the platform's source
   * (src-main/system, disposed by stop); tests pass a stand-in (FakeAppSource), which stays theirs.
   */
  apps?: AppSource;
  /**
   * Game controllers (Linux: the joystick interface, /dev/input/jsN; docs/gamepads.md): where to look (tests: a folder
   * of stand-in devices), or false for none. Default: /dev/input on Linux, none elsewhere (not built yet).
   */
  gamepads?: { devDir?: string; sysDir?: string; rescanMs?: number } | false;
  /**
   * Game controllers the app window reports through its Gamepad API (gamepads.input; only while the window is
   * visible). Default: on where main reads none itself (not Linux, or `gamepads: false`); the environment variable
   * CONDUCTOR_WINDOW_GAMEPADS=1 / 0 turns it on / off (browser-mode e2e tests on Linux).
   */
  windowGamepads?: boolean;
}

/** A plugin's notification request (systemcontrol `notify`), for whoever shows notifications (the app, the CLI log). */
export interface PluginNotification {
  pluginId: string;
  title: string;
  body: string;
}

export class Core {
  private readonly disposers: Array<() => void> = [];
  // A listener that throws never stops the others. A notification listener's error is logged (one stderr line);
  // config-issue and plugin-change listeners' errors are dropped.
  private readonly notifications = new Emitter<PluginNotification>();
  private readonly configFailures = new Emitter<readonly ConfigIssue[]>({ onListenerError: () => undefined });
  private readonly pluginChanges = new Emitter<void>({ onListenerError: () => undefined });
  private readonly pauseChanges = new Emitter<boolean>({ onListenerError: () => undefined });
  // Mappings fire only while neither paused (the user, tray or UI) nor held off by a MIDI-learn session.
  private pausedByUser = false;
  private heldByLearn = false;
  /** LED feedback (docs/led.md): the schemes on the device's and the virtual controller's pads. */
  private leds: LedFeedback | null = null;
  /** The game controllers read (null: none on this platform or turned off). */
  gamepads: JoydevSource | null = null;
  /** The game controllers the app window reports (null: window input is off). */
  windowGamepads: WindowGamepadSource | null = null;
  private readonly gamepadEvents = new Emitter<GamepadEvent>();
  /** Every game controller's input, from either source (the engine and MIDI-learn listen here). */
  readonly onDidGamepad: Event<GamepadEvent> = this.gamepadEvents.event;

  /** A plugin asked for a notification (systemcontrol `notify`). */
  readonly onDidRequestNotification: Event<PluginNotification> = this.notifications.event;
  /** config.toml changed on disk but could not be applied (the app keeps the last good config). */
  readonly onDidFailToLoadConfig: Event<readonly ConfigIssue[]> = this.configFailures.event;
  /**
   * Someone changed the installed plugins or their trust through `plugins` (install, uninstall, a capability decision,
   * trusted keys, the signature policy); listeners re-read `plugins.list()`. Lifecycle events are on `plugins.events`.
   */
  readonly onDidChangePlugins: Event<void> = this.pluginChanges.event;
  /** Mappings were paused (true) or resumed (false) through setPaused. */
  readonly onDidChangePaused: Event<boolean> = this.pauseChanges.event;
  /**
   * What the Learner turns off while a session runs, in place of the engine itself: a session that ends does not
   * resume mappings the user paused. MIDI still reaches the event stream (the monitor) and the learner either way.
   */
  readonly learnGate: { setMatching(enabled: boolean): void } = {
    setMatching: (enabled) => {
      this.heldByLearn = !enabled;
      this.applyMatching();
    },
  };

  private constructor(
    readonly config: ConfigStore,
    readonly devices: DeviceManager,
    readonly plugins: PluginManager,
    readonly engine: Engine,
    /** Resolves once the installed plugins have been scanned and loaded (see `loadPluginsInBackground`). */
    readonly pluginsLoaded: Promise<void>,
    /** Per-app profiles: the mode follows the frontmost app (docs/per-app.md). */
    readonly profiles: AppProfiles,
    private readonly ownAppSource: AppSource | null,
  ) {}

  /** Loads the config (the last good one if the file is broken), starts devices, discovers plugins, wires the engine. */
  static async start(options: CoreOptions = {}): Promise<Core> {
    const clock = options.clock ?? systemClock;
    const store = new ConfigStore({ ...(options.configPath ? { path: options.configPath } : {}), watch: options.watchConfig ?? true });
    const { config } = await store.load();
    configureLog(logSettingsOf(config));
    const plugins = await PluginManager.open({
      policy: policyOf(config.wasm),
      limits: config.wasm.limits ?? {},
      ...(options.pluginsDir ? { pluginsDir: options.pluginsDir } : {}),
      host: { moduleCacheDir: instrumentedCacheDir(), ...options.pluginHost },
      ...(options.secretSealer ? { secretSealer: options.secretSealer } : {}),
    });
    if (options.bundledPluginsDir) {
      // A failure here (a read-only plugins folder) must not stop the app: it runs without the official plugins.
      await installBundledPlugins(options.bundledPluginsDir, plugins.pluginsDir, bundledRecordPath()).catch((err: unknown) => {
        log.error(`could not install the bundled plugins: ${errorMessage(err)}`);
      });
    }
    const scan = plugins.discover().then(
      () => undefined,
      (err: unknown) => {
        // One plugin's load failing shows on that plugin; this is the scan itself failing (an unreadable folder).
        log.error(`could not load the installed plugins: ${errorMessage(err)}`);
      },
    );
    if (options.loadPluginsInBackground !== true) await scan;
    const devices = createDeviceManager(config.device, { now: () => clock.now(), ...options.devices });
    const ownAppSource = options.apps ? null : createAppSource({ platform: process.platform, env: process.env, timer: systemTimer });
    const apps = options.apps ?? (ownAppSource as AppSource);
    const engine = new Engine({ config, plugins, midiOut: devices.outputs, clock, apps: appQueryOf(apps) });
    const profiles = new AppProfiles({ source: apps, engine, config });
    const core = new Core(store, devices, plugins, engine, scan, profiles, ownAppSource);
    core.leds = new LedFeedback(config, engine.currentMode, { devices, clock, timer: systemTimer });
    if (options.gamepads !== false && (options.gamepads !== undefined || process.platform === 'linux')) {
      core.gamepads = new JoydevSource({ clock, timer: systemTimer, ...(options.gamepads ?? {}) });
    }
    if (options.windowGamepads ?? windowGamepadsByDefault(core.gamepads !== null)) core.windowGamepads = new WindowGamepadSource({ clock });
    core.wire();
    core.gamepads?.start();
    void engine.preloadPlugins();
    return core;
  }

  /** Problems in config.toml on disk (the running config is the last good one). */
  get configIssues(): readonly ConfigIssue[] {
    return this.config.issues;
  }

  /** Announces a change of the installed plugins or their trust (onDidChangePlugins; the UI services call this after each one). */
  pluginsChanged(): void {
    this.pluginChanges.fire();
  }

  /** True while mappings are paused: MIDI is still shown and learnable, but no mapping fires. */
  get paused(): boolean {
    return this.pausedByUser;
  }

  /** Pauses (true) or resumes (false) every mapping; a change fires onDidChangePaused. Not saved: a start is never paused. */
  setPaused(paused: boolean): void {
    if (paused === this.pausedByUser) return;
    this.pausedByUser = paused;
    this.applyMatching();
    this.pauseChanges.fire(paused);
  }

  private applyMatching(): void {
    this.engine.setMatching(!this.pausedByUser && !this.heldByLearn);
  }

  /** Stops everything: engine (running actions), devices, plugin sandboxes, the config watcher. */
  async stop(): Promise<void> {
    for (const d of this.disposers.splice(0)) d();
    this.profiles.dispose();
    this.ownAppSource?.dispose();
    this.gamepads?.dispose();
    this.windowGamepads?.dispose();
    this.gamepadEvents.dispose();
    await this.engine.dispose();
    this.leds?.dispose();
    this.devices.dispose();
    this.config.dispose();
    await this.plugins.shutdown();
  }

  private wire(): void {
    this.disposers.push(
      this.devices.onDidMidiEvent((event) => this.engine.handle(event)),
      this.gamepads?.onDidGamepad((event) => this.gamepadEvents.fire(event)) ?? (() => undefined),
      this.windowGamepads?.onDidGamepad((event) => this.gamepadEvents.fire(event)) ?? (() => undefined),
      this.onDidGamepad((event) => this.engine.handleGamepad(event)),
      this.gamepads?.onDidFail((why) => log.warn(`game controller: ${why}`)) ?? (() => undefined),
      this.engine.onDidEngineEvent((e) => {
        if (e.kind === 'mode-change') this.leds?.setMode(e.to);
      }),
      this.config.onDidChange((config) => void this.apply(config)),
      this.config.onDidFailToLoad((issues) => {
        this.engine.reportConfigIssues(this.config.path, issues);
        this.configFailures.fire(issues);
      }),
      this.plugins.events.onDidPluginEvent(({ pluginId, event }) => this.onPluginEvent(pluginId, event)),
      // A finished (or failed) OAuth Connect changes what the Plugins view shows: it re-reads the plugin's form.
      this.plugins.onDidChangeOAuth(() => this.pluginsChanged()),
    );
  }

  private async apply(config: AppConfig): Promise<void> {
    configureLog(logSettingsOf(config));
    this.engine.setConfig(config);
    this.leds?.apply(config, this.engine.currentMode);
    this.profiles.setConfig(config);
    this.devices.setConfig(config.device);
    const policy = policyOf(config.wasm);
    const current = this.plugins.policy;
    if (policy.requireSignature !== current.requireSignature || policy.allowSelfSigned !== current.allowSelfSigned) {
      await this.plugins.setPolicy(policy);
    }
    if (!sameLimits(config.wasm.limits ?? {}, this.plugins.limits)) {
      await this.plugins.setLimits(config.wasm.limits ?? {});
      this.pluginsChanged();
    }
    void this.engine.preloadPlugins();
  }

  /** A plugin's `midi_send` goes out by the MIDI outputs' routing rule; a send that fails is an engine event. */
  private onPluginEvent(pluginId: string, event: PluginHostEvent): void {
    if (event.kind === 'notify') {
      this.notifications.fire({ pluginId, title: event.title, body: event.body });
      return;
    }
    const sent = this.devices.outputs.sendPluginBytes(event.bytes, event.port);
    if (!sent.ok) this.engine.reportPluginMidiFailure({ pluginId, port: sent.port, bytes: event.bytes, error: sent.error });
  }
}

/** Window gamepad input unless set: CONDUCTOR_WINDOW_GAMEPADS (1 / 0) if given, else on when main reads no controllers itself. */
function windowGamepadsByDefault(mainReads: boolean): boolean {
  const env = process.env.CONDUCTOR_WINDOW_GAMEPADS;
  if (env === '1' || env === '0') return env === '1';
  return !mainReads;
}

/** `[logging]` as the log applies it (none: info, to stderr). */
function logSettingsOf(config: AppConfig): LogSettings {
  return { level: config.logging?.level ?? 'info', file: config.logging?.file ?? null };
}

function policyOf(wasm: WasmPolicyConfig): { requireSignature: boolean; allowSelfSigned: boolean } {
  return { requireSignature: wasm.requireSignature, allowSelfSigned: wasm.allowSelfSigned };
}

function sameLimits(a: Record<string, PluginLimitOverrides>, b: Record<string, PluginLimitOverrides>): boolean {
  const ids = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...ids].every((id) => EDITABLE_LIMITS.every((l) => a[id]?.[l] === b[id]?.[l]) && a[id]?.isolation === b[id]?.isolation);
}
