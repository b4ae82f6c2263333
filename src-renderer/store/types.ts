// The shape of the renderer's one zustand store: one interface per slice, combined into AppState.
// Types only; the slices are in slices/, IPC events enter through bridge.ts.
import type { StateCreator, StoreApi } from 'zustand/vanilla';
import type { ApprovalRequest } from '../../src-shared/capabilities';
import type { AppConfig, ConfigIssue, Mapping } from '../../src-shared/config';
import type { AppInfo, CallReplies, ConfigState, LearnResult, PluginInfo, TrustedKeyInfo } from '../../src-shared/contract';
import type { EngineEvent, EngineEventKind } from '../../src-shared/engine';
import type { DeviceInfo, MidiBackendStatus, VirtualLayout } from '../../src-shared/midi';
import type { ActionParams, CallResult, Capability, PluginLimitOverrides, PluginSettingsForm, SettingValue } from '../../src-shared/plugin';
import type { ConnectionInfo } from '../ipc/client';
import type { ConsoleFilter } from './console';
import type { MappingScope } from './draft';

export interface ConnectionSlice {
  connection: ConnectionInfo;
  appInfo: AppInfo | null;
  /** True once everything was fetched after the (re)connection. */
  loaded: boolean;
}

export interface DevicesSlice {
  midiStatus: MidiBackendStatus | null;
  devices: DeviceInfo[];
  virtualLayout: VirtualLayout | null;
  /** Devices with a connect/disconnect in flight. */
  deviceBusy: Record<string, boolean>;
  /** Pads held down on the virtual controller: note → velocity. */
  pressedNotes: Record<number, number>;
  connectDevice(id: string): Promise<void>;
  disconnectDevice(id: string): Promise<void>;
  pressPad(note: number, velocity: number): Promise<void>;
  releasePad(note: number): Promise<void>;
  turnKnob(cc: number, value: number): Promise<void>;
}

export interface ConfigSlice {
  /** The running config and the problems of the file on disk, as main last reported them. */
  configState: ConfigState | null;
  /** What the user edits; saved with saveDraft. */
  draft: AppConfig | null;
  /** The config the draft started from (unsaved changes = draft ≠ baseline). */
  baseline: AppConfig | null;
  /** Issues of the last failed save (paths index the draft as it was sent). */
  saveIssues: ConfigIssue[];
  saving: boolean;
  /** The file changed on disk while the draft had unsaved changes. */
  externalChange: boolean;
  editDraft(fn: (config: AppConfig) => AppConfig): void;
  /** Returns the new mapping's location key. */
  addMapping(scope: MappingScope, mapping?: Mapping): string | null;
  updateMapping(key: string, fn: (m: Mapping) => Mapping): void;
  duplicateMapping(key: string): string | null;
  deleteMapping(key: string): void;
  moveMapping(key: string, delta: -1 | 1): void;
  /** Returns the new mode's index. */
  addMode(): number | null;
  renameMode(index: number, name: string): void;
  removeMode(index: number): void;
  saveDraft(): Promise<boolean>;
  discardDraft(): void;
}

export interface EngineSlice {
  mode: string | null;
  modes: string[];
  /** Console events in seq order, bounded (CONSOLE_LIMIT). */
  events: readonly EngineEvent[];
  /** Highest seq seen (also after Clear), for engine.recentEvents after a reconnect. */
  lastSeq: number;
  paused: boolean;
  /** Events that arrived while paused; shown on resume. */
  held: readonly EngineEvent[];
  consoleFilter: ConsoleFilter;
  settingMode: boolean;
  setMode(name: string): Promise<void>;
  setPaused(paused: boolean): void;
  clearConsole(): void;
  setFilterText(text: string): void;
  setKindVisible(kind: EngineEventKind, visible: boolean): void;
}

export type LearnPhase = 'idle' | 'starting' | 'listening' | 'learned' | 'cancelled' | 'error';

export interface LearnState {
  phase: LearnPhase;
  sessionId: number | null;
  /** The mapping (location key) the learned trigger goes to. */
  target: string | null;
  /** Epoch ms when the session times out (local clock). */
  deadline: number | null;
  result: LearnResult | null;
  /** Why it was cancelled or failed. */
  message: string | null;
}

export interface LearnSlice {
  learn: LearnState;
  startLearn(target: string, timeoutMs?: number): Promise<void>;
  cancelLearn(): Promise<void>;
  resetLearn(): void;
}

export interface PluginTestState {
  running: boolean;
  result: CallResult | null;
  error: string | null;
  /** The path and params the Test ran with: its result is stale once the action differs (editors/plugin-params.ts). */
  ranWith: { path: string; params: ActionParams } | null;
}

export interface PluginsSlice {
  plugins: PluginInfo[];
  pluginsLoaded: boolean;
  /** The latest approval request per plugin id. */
  approvals: Record<string, ApprovalRequest>;
  /** "Test" runs, by a key the editor chooses (its mapping location and action path). */
  pluginTests: Record<string, PluginTestState>;
  /** The plugin whose approval dialog is open (opened from an approval request or from its row). */
  approvalDialog: string | null;
  /** Plugins whose approval dialog the user closed ("decide later"); their requests do not pop it up again. */
  approvalsDismissed: Record<string, boolean>;
  /** Plugins (by id) with a decide/uninstall in flight; "install" while installing. */
  pluginBusy: Record<string, boolean>;
  /** Why the last install failed (shown in the install panel, wherever the install started); null after a success. */
  installError: string | null;
  /** The install panel's "Update" box: also applies to files dropped anywhere on the window. */
  installUpdate: boolean;
  setInstallUpdate(update: boolean): void;
  refreshPlugins(): Promise<void>;
  testPlugin(key: string, path: string, params: ActionParams): Promise<void>;
  /** Forgets a Test's result (its action or params changed); a run still going is left to finish, shown only if still current. */
  clearPluginTest(key: string): void;
  openApproval(pluginId: string): void;
  /** Closes the dialog without deciding: the capabilities stay pending. */
  closeApproval(): void;
  decideCapability(pluginId: string, capability: Capability, status: 'granted' | 'denied' | 'pending'): Promise<boolean>;
  /** Returns the error text on failure (also toasted), null on success. */
  installPlugin(path: string, update: boolean): Promise<string | null>;
  /**
   * Install from picked or dropped files (one .wasm, optionally its .wasm.sig and plugin.toml; `update` defaults to
   * the install panel's box); null = done, else the error.
   */
  installPluginFiles(files: readonly File[], update?: boolean): Promise<string | null>;
  uninstallPlugin(pluginId: string): Promise<boolean>;
  /** Sets a plugin's own limits (null = all defaults); main saves them in config.toml and reloads it. Null = done, else the error. */
  setPluginLimits(pluginId: string, limits: PluginLimitOverrides | null): Promise<string | null>;
  /** Settings forms by plugin id, as main last sent them (plain values and which secrets are set — never a secret). */
  pluginSettings: Record<string, PluginSettingsForm>;
  /** Fetches a plugin's settings form (plugins.settings). Null = done, else the error. */
  loadPluginSettings(pluginId: string): Promise<string | null>;
  /** Sends only the changed settings (a value sets, null clears); main checks them. Null = saved, else main's error. */
  savePluginSettings(pluginId: string, changes: Record<string, SettingValue | null>): Promise<string | null>;
  /**
   * Starts connecting a plugin's OAuth provider (plugins.oauthConnect). The reply says whether main opened the sign-in
   * page itself (desktop app); if not (browser mode), the caller opens `authorizeUrl` in a new tab. Never throws: a
   * failure is `{ok: false, error}`. The form is re-read after it (it then shows the Connect as pending).
   */
  connectPluginOAuth(pluginId: string): Promise<CallReplies['plugins.oauthConnect']>;
  /** Forgets a plugin's OAuth tokens (plugins.oauthDisconnect). Null = done, else the error. */
  disconnectPluginOAuth(pluginId: string): Promise<string | null>;
  /**
   * Re-reads the settings form of one plugin, or of every plugin whose loaded form has an OAuth provider (after
   * plugins.didChange: a Connect finished or failed), keeping what the user is typing in the form.
   */
  refreshPluginOAuth(pluginId?: string): Promise<void>;
}

export interface SignaturePolicy {
  requireSignature: boolean;
  allowSelfSigned: boolean;
}

export interface TrustSlice {
  trustedKeys: TrustedKeyInfo[];
  trustLoaded: boolean;
  trustError: string | null;
  policy: SignaturePolicy | null;
  /** Plugin ids the last policy change blocked (failed with verification.ok false), null before any change. */
  policyBlocked: string[] | null;
  trustBusy: boolean;
  loadTrust(): Promise<void>;
  /** Returns the main side's error, or null when the key was added. */
  addTrustedKey(publicKey: string, name: string, email: string): Promise<string | null>;
  removeTrustedKey(publicKey: string): Promise<boolean>;
  setPolicy(policy: SignaturePolicy): Promise<boolean>;
}

export type View = 'devices' | 'mappings' | 'plugins' | 'console' | 'settings';
export const VIEWS: readonly View[] = ['devices', 'mappings', 'plugins', 'console', 'settings'];
export type Theme = 'system' | 'light' | 'dark';
export type ToastTone = 'error' | 'info' | 'success';

export interface Toast {
  id: number;
  tone: ToastTone;
  text: string;
  /** A new toast of the same group replaces the old one (e.g. "Saved" replaces "Not saved"). */
  group: string | null;
}

export interface UiSlice {
  view: View;
  theme: Theme;
  toasts: Toast[];
  /** The mapping list shown: "g" (global) or "m<index>". */
  selectedScope: string;
  /** The mapping whose editor is open (location key). */
  editingKey: string | null;
  setView(view: View): void;
  setTheme(theme: Theme): void;
  toast(tone: ToastTone, text: string, group?: string): void;
  dismissToast(id: number): void;
  selectScope(key: string): void;
  setEditing(key: string | null): void;
}

export type AppState = ConnectionSlice & DevicesSlice & ConfigSlice & EngineSlice & LearnSlice & PluginsSlice & TrustSlice & UiSlice;
export type AppStore = StoreApi<AppState>;
export type SliceCreator<T> = StateCreator<AppState, [], [], T>;
