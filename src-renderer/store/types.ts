// The shape of the renderer's one zustand store: one interface per slice, combined into AppState.
// Types only; the slices are in slices/, IPC events enter through bridge.ts.
import type { StateCreator, StoreApi } from 'zustand/vanilla';
import type { ApprovalRequest } from '../../src-shared/capabilities';
import type { AppConfig, ConfigIssue, Mapping } from '../../src-shared/config';
import type { AppInfo, CallReplies, ConfigState, InstalledApps, LearnResult, PluginInfo, TrustedKeyInfo } from '../../src-shared/contract';
import type { EngineEvent, EngineEventKind } from '../../src-shared/engine';
import type { DeviceInfo, MidiBackendStatus, VirtualLayout } from '../../src-shared/midi';
import type { ActionParams, CallResult, Capability, PluginLimitOverrides, PluginSettingsForm, SettingValue } from '../../src-shared/plugin';
import type { ControllerLayout, ControllerLayoutsState } from '../../src-shared/controller-layout';
import type { BackgroundSettings, FirstRunGuideState, UiState } from '../../src-shared/ui-state';
import type { ConnectionInfo } from '../ipc/client';
import type { ConsoleFilter } from './console';
import type { MappingScope } from './draft';
import type { DraftHistory } from './history';
import type { GamepadsSlice } from './slices/gamepads';
import type { ProfilesSlice } from './slices/profiles';
import type { TemplatesSlice } from './slices/templates';

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
  /**
   * LED feedback: the last note-on velocity Conductor sent to the virtual controller's output, by note (a note-off or
   * velocity 0 removes it). Drawn on the on-screen controller as a real pad would light.
   */
  padLights: Record<number, number>;
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
  /** Any draft edit; edits with the same `group` in quick succession (a colour being dragged) are one undo step. */
  editDraft(fn: (config: AppConfig) => AppConfig, group?: string): void;
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
  /** Back to the running config; undoable. */
  discardDraft(): void;
  /** Earlier and undone drafts (store/history.ts): every draft edit, learn result and discard is one undo step. */
  history: DraftHistory;
  undo(): void;
  redo(): void;
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

export interface LayoutsSlice {
  /** Learned layouts and the layouts chosen by hand, as main stored them (layouts.get / layouts.didChange). */
  controllerLayouts: ControllerLayoutsState;
  layoutsLoaded: boolean;
  /** Main's state arrived (layouts.get after a connection, layouts.didChange); edits still being saved stay shown on top. */
  layoutsChanged(state: ControllerLayoutsState): void;
  /** Chooses the layout drawn for a device (null = choose automatically again); saved by main. Null = done, else the error. */
  chooseLayout(deviceName: string, layoutId: string | null): Promise<string | null>;
  /** Saves (adds or replaces by id) a learned or rearranged layout. Null = done, else the error. */
  saveCustomLayout(layout: ControllerLayout): Promise<string | null>;
  removeCustomLayout(id: string): Promise<string | null>;
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
  /** The Mappings view shows the controller with its inspector, or the list of mapping cards (#/mappings/list). */
  mappingsPane: MappingsPane;
  setMappingsPane(pane: MappingsPane): void;
  /** The control selected on the drawn controller (a ControlDef id of the layout shown), null = none. */
  selectedControl: string | null;
  selectControl(id: string | null): void;
  /** A field the Mappings view should bring into view and focus once its mapping's editor shows (config health's links). */
  focusRequest: FocusRequest | null;
  /** Opens the mapping's editor (in the Mappings view) and asks it to focus `field` (an issue field path, '' = the editor). */
  goToMappingField(key: string, field: string): void;
  clearFocusRequest(): void;
  /** The input the Mappings view draws, picked by hand (a DeviceInfo id); null = the one in use (automatic). */
  drawnInputId: string | null;
  setDrawnInput(id: string | null): void;
  /** "Follow the controller": a press on the device drawn selects its control. */
  followController: boolean;
  setFollowController(on: boolean): void;
}

export interface FocusRequest {
  /** The mapping's location key ("m0:2"). */
  key: string;
  /** Issue field path ("trigger.note", "action.params.fade_ms"); '' = the editor as a whole. */
  field: string;
  /** Grows with every request, so asking twice for the same field focuses it twice. */
  seq: number;
}

export type MappingsPane = 'controller' | 'list';
export const MAPPINGS_PANES: readonly MappingsPane[] = ['controller', 'list'];

/** The installed applications the Launch editor's picker offers (system.apps). */
export interface AppsSlice {
  /** Null until first loaded. */
  installedApps: InstalledApps | null;
  installedAppsLoading: boolean;
  installedAppsError: string | null;
  /** Loads the list once (later calls do nothing unless `refresh`, which has main read it again). */
  loadInstalledApps(refresh?: boolean): Promise<void>;
}

/** The first run: the three-step guide and the one MIDI notice, kept between runs by main (app.uiState / app.setUiState). */
export interface FirstRunSlice {
  /** ui_state.json as main last confirmed it (with the guide's newest ticks shown at once); null until read. */
  uiState: UiState | null;
  /** app.uiState answered (or failed): the MIDI notice waits for it so a notice the user closed does not flash. */
  uiStateLoaded: boolean;
  /** Shows and saves a new guide state (the first-run tracker calls it when a step ticks). */
  setGuide(guide: FirstRunGuideState): Promise<void>;
  /** "Skip the guide": it goes away for good. */
  skipGuide(): Promise<void>;
  /** Closes the MIDI notice for its current reason. */
  dismissMidiNotice(): Promise<void>;
  /** Shows and saves background settings (Settings → Background: keep running when closed, start at login). */
  setBackground(patch: Partial<BackgroundSettings>): Promise<void>;
}

/** Pause/resume of every mapping (app.paused / app.setPaused / app.didChangePaused); not the console's `paused`. */
export interface MappingsPauseSlice {
  /** Mappings are paused in the core: MIDI still shows and can be learned, nothing fires. */
  mappingsPaused: boolean;
  /** A setPaused call is in flight. */
  settingMappingsPaused: boolean;
  /** Pauses (true) or resumes (false) every mapping; the core's answer (and its event) becomes the state. */
  setMappingsPaused(paused: boolean): Promise<void>;
}

export type AppState = ConnectionSlice & DevicesSlice & ConfigSlice & EngineSlice & LearnSlice & PluginsSlice & TrustSlice & UiSlice & LayoutsSlice & AppsSlice & FirstRunSlice & MappingsPauseSlice & ProfilesSlice & TemplatesSlice & GamepadsSlice;
export type AppStore = StoreApi<AppState>;
export type SliceCreator<T> = StateCreator<AppState, [], [], T>;
