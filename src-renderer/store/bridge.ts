// The one place IPC events enter the store: subscribes to every event stream and to the connection state,
// loads everything after each (re)connection, and writes through setState. Views never subscribe to IPC.
import type { ConductorClient } from '../ipc/client';
import { errorMessage } from '../format';
import { applyConfigState, validScope } from './slices/config';
import { applyDevicesState, applyLight } from './slices/devices';
import { applyEngineEvents, applyEngineState } from './slices/engine';
import { applyUiState } from './slices/first-run';
import { applyLearnEvent } from './slices/learn';
import { applyPauseState } from './slices/mappings-pause';
import { applyApprovalRequest, applyPluginStats, applyPlugins } from './slices/plugins';
import type { AppStore } from './types';

export interface BridgeOptions {
  now?: () => number;
}

/** Starts feeding the store; returns a function that stops it. */
export function startBridge(store: AppStore, client: ConductorClient, options: BridgeOptions = {}): () => void {
  const now = options.now ?? (() => Date.now());
  const { api } = client;
  const set = store.setState;
  const toast = (tone: 'error' | 'info', text: string, group?: string) => store.getState().toast(tone, text, group);
  let generation = 0;

  async function loadAll(): Promise<void> {
    const gen = ++generation;
    set({ loaded: false });
    void store.getState().loadProfiles(); // per-app profiles: not part of the load's toast (a missing state shows where it is used)
    void store.getState().loadGamepads(); // whether the window reports its game controllers (src-renderer/gamepad/)
    const [info, devices, config, engine, plugins, events, layouts, uiState, pause] = await Promise.allSettled([
      api.app.info(),
      api.devices.list(),
      api.config.get(),
      api.engine.state(),
      api.plugins.list(),
      api.engine.recentEvents(store.getState().lastSeq),
      api.layouts.get(),
      api.app.uiState(),
      api.app.paused(),
    ]);
    if (gen !== generation) return;
    const failed: string[] = [];
    if (info.status === 'fulfilled') set({ appInfo: info.value });
    else failed.push(`app info (${errorMessage(info.reason)})`);
    if (devices.status === 'fulfilled') set(applyDevicesState(devices.value));
    else failed.push(`devices (${errorMessage(devices.reason)})`);
    if (config.status === 'fulfilled') {
      set((s) => applyConfigState(s, config.value));
      set((s) => (s.draft ? { selectedScope: validScope(s.selectedScope, s.draft) } : {}));
    } else failed.push(`config (${errorMessage(config.reason)})`);
    if (engine.status === 'fulfilled') set(applyEngineState(engine.value));
    else failed.push(`engine state (${errorMessage(engine.reason)})`);
    if (plugins.status === 'fulfilled') set((s) => ({ ...applyPlugins(s, plugins.value), pluginsLoaded: true }));
    else failed.push(`plugins (${errorMessage(plugins.reason)})`);
    if (events.status === 'fulfilled') set((s) => applyEngineEvents(s, events.value));
    else failed.push(`recent events (${errorMessage(events.reason)})`);
    if (layouts.status === 'fulfilled') {
      store.getState().layoutsChanged(layouts.value.state);
      if (layouts.value.problem !== null) toast('error', layouts.value.problem, 'layouts-file');
    }
    else failed.push(`controller layouts (${errorMessage(layouts.reason)})`);
    if (uiState.status === 'fulfilled') set(applyUiState(uiState.value));
    else set({ uiStateLoaded: true }); // without it the guide stays hidden and the MIDI notice shows; nothing to toast
    if (pause.status === 'fulfilled') set(applyPauseState(pause.value));
    else failed.push(`pause state (${errorMessage(pause.reason)})`);
    set({ loaded: true });
    if (failed.length > 0) toast('error', `Could not load ${failed.join(', ')}`, 'load');
  }

  const stops = [
    api.engine.onDidEmitEvent((e) => set((s) => applyEngineEvents(s, [e]))),
    api.devices.onDidChange((d) => set(applyDevicesState(d))),
    api.virtual.onDidChangeLight((change) => set((s) => applyLight(s, change))),
    api.config.onDidChange((c) => {
      set((s) => applyConfigState(s, c));
      set((s) => (s.draft ? { selectedScope: validScope(s.selectedScope, s.draft) } : {}));
    }),
    api.learn.onDidChange((ev) => set((s) => applyLearnEvent(s, ev, now()))),
    api.plugins.onDidChange((plugins) => {
      set((s) => ({ ...applyPlugins(s, plugins), pluginsLoaded: true }));
      // A Connect that finished or failed changes only the plugin's settings form (its OAuth state): read it again.
      void store.getState().refreshPluginOAuth();
    }),
    api.plugins.onDidChangeStats((change) => set((s) => applyPluginStats(s, change))),
    api.plugins.onDidRequestApproval((r) => {
      set((s) => applyApprovalRequest(s, r));
      if (r.pending.length > 0) toast('info', `${r.name} ${r.version} is waiting for your approval of: ${r.pending.join(', ')} (see Plugins)`, `approval:${r.pluginId}`);
    }),
    api.plugins.onDidNotify((n) => toast('info', `${n.title}: ${n.body}`)),
    api.layouts.onDidChange((state) => store.getState().layoutsChanged(state)),
    api.app.onDidChangePaused((state) => set(applyPauseState(state))),
    api.profiles.onDidChange((profiles) => set({ profiles, profilesProblem: null })),
    api.gamepads.onDidChange((state) => store.getState().gamepadsChanged(state)),
    client.onConnection((connection) => {
      set({ connection });
      if (connection.status === 'connected') void loadAll();
    }),
  ];

  set({ connection: client.connection() });
  if (client.connection().status === 'connected') void loadAll();

  return () => {
    generation++;
    for (const stop of stops) stop();
  };
}
