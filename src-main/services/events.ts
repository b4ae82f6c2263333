// The main → UI event streams of the contract (EventPayloads), fed from the Core and the Learner. Every transport
// (Electron IPC, browser mode, the in-memory test transport) forwards what this emits. Never changes any state.
import type { EventName, EventPayloads } from '../../src-shared/contract';
import type { Core } from '../app/core';
import type { Learner } from '../engine/learn';
import { listPluginInfos } from './handlers';

export type EmitEvent = <E extends EventName>(event: E, payload: EventPayloads[E]) => void;

export interface BridgeOptions {
  /** Plugin list changes arriving within this window are sent as one `plugins.changed` (default 25 ms). */
  pluginsDebounceMs?: number;
  /** After plugin calls (their stats changed), `plugins.changed` is sent at most once per this many ms (default 500). */
  pluginStatsIntervalMs?: number;
}

/** Subscribes to everything the UI follows and emits it; returns the function that unsubscribes it all. */
export function bridgeEvents(core: Core, learn: Learner, emit: EmitEvent, options: BridgeOptions = {}): () => void {
  const debounceMs = options.pluginsDebounceMs ?? 25;
  let disposed = false;
  const statsIntervalMs = options.pluginStatsIntervalMs ?? 500;
  let pluginsTimer: ReturnType<typeof setTimeout> | null = null;
  let statsTimer: ReturnType<typeof setTimeout> | null = null;

  const safeEmit: EmitEvent = (event, payload) => {
    if (disposed) return;
    try {
      emit(event, payload);
    } catch {
      // A transport that fails to send must not break the core's listeners.
    }
  };

  const devicesState = (): EventPayloads['devices.changed'] => ({
    status: core.devices.status,
    devices: core.devices.devices(),
    virtualLayout: core.devices.virtualDevice.layout,
  });

  /** The plugin list after a burst of changes (installs, reloads, decisions), read once the burst is over. */
  const pluginsChanged = (): void => {
    if (disposed || pluginsTimer !== null) return;
    pluginsTimer = setTimeout(() => {
      pluginsTimer = null;
      listPluginInfos(core).then(
        (list) => safeEmit('plugins.changed', list),
        () => undefined,
      );
    }, debounceMs);
  };

  /** Calls update stats (calls, fuel, last error): the list follows, throttled so a busy pad cannot flood the UI. */
  const statsChanged = (): void => {
    if (disposed || statsTimer !== null) return;
    statsTimer = setTimeout(() => {
      statsTimer = null;
      pluginsChanged();
    }, statsIntervalMs);
  };

  const disposers = [
    core.engine.onDidEngineEvent((event) => safeEmit('engine.event', event)),
    core.devices.onDidChangeDevices(() => safeEmit('devices.changed', devicesState())),
    core.config.onDidChange((config) => safeEmit('config.changed', { config, issues: [], path: core.config.path })),
    core.config.onDidFailToLoad((issues) => safeEmit('config.changed', { config: core.config.config, issues: [...issues], path: core.config.path })),
    learn.onDidLearn((event) => safeEmit('learn', event)),
    core.plugins.host.onDidRequestApproval((request) => {
      safeEmit('plugins.approvalRequest', request);
      pluginsChanged(); // the plugin is waiting for approval now
    }),
    core.onDidRequestNotification((n) => safeEmit('plugins.notification', { pluginId: n.pluginId, title: n.title, body: n.body })),
    core.plugins.host.onDidLifecycle((event) => {
      if (event.phase !== 'execute' && !event.pluginId.startsWith('install-probe:')) pluginsChanged();
    }),
    core.plugins.host.onDidFinishCall(({ pluginId }) => {
      if (!pluginId.startsWith('install-probe:')) statsChanged();
    }),
    core.onDidChangePlugins(pluginsChanged),
  ];

  return () => {
    if (disposed) return;
    disposed = true;
    if (pluginsTimer !== null) clearTimeout(pluginsTimer);
    if (statsTimer !== null) clearTimeout(statsTimer);
    pluginsTimer = null;
    statsTimer = null;
    for (const dispose of disposers.splice(0)) dispose();
  };
}
