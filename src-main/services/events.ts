// The main → UI event streams of the contract (EventPayloads), fed from the Core and the Learner. Every transport
// (Electron IPC, browser mode, the in-memory test transport) forwards what this emits. Never changes any state.
import type { EventName, EventPayloads, PluginInfo } from '../../src-shared/contract';
import type { PluginStats } from '../../src-shared/plugin';
import type { Core } from '../app/core';
import type { Learner } from '../engine/learn';
import { devicesState, gamepadsState, listPluginInfos } from './handlers';
import { feedLights } from './light-feed';

export type EmitEvent = <E extends EventName>(event: E, payload: EventPayloads[E]) => void;

export interface BridgeOptions {
  /** Plugin list changes arriving within this window are sent as one `plugins.didChange` (default 25 ms). */
  pluginsDebounceMs?: number;
  /** After plugin calls, `plugins.didChangeStats` is sent at most once per this many ms for all plugins (default 500). */
  pluginStatsIntervalMs?: number;
  /** Virtual controller light changes after the first are coalesced per note within this window (default 30 ms). */
  lightsWindowMs?: number;
}

const STATS_KEYS = ['calls', 'errors', 'lastFuelConsumed', 'lastDurationMs', 'crashes', 'lastError'] as const satisfies readonly (keyof PluginStats)[];

/** The figures of `next` that differ from `sent` (all of them when nothing was sent yet). */
function changedStats(sent: PluginStats | undefined, next: PluginStats): Partial<PluginStats> {
  const changed: Partial<PluginStats> = {};
  for (const key of STATS_KEYS) {
    const same = sent !== undefined && (key === 'lastError' ? JSON.stringify(sent.lastError) === JSON.stringify(next.lastError) : sent[key] === next[key]);
    if (!same) Object.assign(changed, { [key]: next[key] });
  }
  return changed;
}

/** Subscribes to everything the UI follows and emits it; returns the function that unsubscribes it all. */
export function bridgeEvents(core: Core, learn: Learner, emit: EmitEvent, options: BridgeOptions = {}): () => void {
  const debounceMs = options.pluginsDebounceMs ?? 25;
  let disposed = false;
  const statsIntervalMs = options.pluginStatsIntervalMs ?? 500;
  let pluginsTimer: ReturnType<typeof setTimeout> | null = null;
  let statsTimer: ReturnType<typeof setTimeout> | null = null;
  /** Plugins whose calls finished since the last stats event. */
  const statsDirty = new Set<string>();
  /** The stats each plugin had when main last sent them (in a list or a stats event): what changes are measured against. */
  const statsSent = new Map<string, PluginStats>();

  const safeEmit: EmitEvent = (event, payload) => {
    if (disposed) return;
    try {
      emit(event, payload);
    } catch {
      // A transport that fails to send must not break the core's listeners.
    }
  };

  const sendList = (list: PluginInfo[]): void => {
    statsSent.clear();
    for (const p of list) statsSent.set(p.id, p.snapshot.stats);
    safeEmit('plugins.didChange', list);
  };

  /** The plugin list after a burst of changes (installs, reloads, decisions), read once the burst is over. */
  const pluginsChanged = (): void => {
    if (disposed || pluginsTimer !== null) return;
    pluginsTimer = setTimeout(() => {
      pluginsTimer = null;
      listPluginInfos(core).then(sendList, () => undefined);
    }, debounceMs);
  };

  /** Only the figures that changed, per plugin — never the whole list for a call. */
  const sendStats = (): void => {
    for (const pluginId of statsDirty) {
      const stats = core.plugins.get(pluginId)?.snapshot().stats;
      if (!stats) continue; // unloaded meanwhile: the list event that follows says so
      const changed = changedStats(statsSent.get(pluginId), stats);
      statsSent.set(pluginId, stats);
      if (Object.keys(changed).length > 0) safeEmit('plugins.didChangeStats', { pluginId, stats: changed });
    }
    statsDirty.clear();
  };

  /** Calls update stats (calls, fuel, last error): throttled so a busy pad cannot flood the UI. */
  const statsChanged = (pluginId: string): void => {
    if (disposed) return;
    statsDirty.add(pluginId);
    if (statsTimer !== null) return;
    statsTimer = setTimeout(() => {
      statsTimer = null;
      sendStats();
    }, statsIntervalMs);
  };

  const disposers = [
    core.engine.onDidEngineEvent((event) => safeEmit('engine.didEmitEvent', event)),
    core.devices.onDidChangeDevices(() => safeEmit('devices.didChange', devicesState(core))),
    core.config.onDidChange((config) => safeEmit('config.didChange', { config, issues: [], path: core.config.path })),
    core.config.onDidFailToLoad((issues) => safeEmit('config.didChange', { config: core.config.config, issues: [...issues], path: core.config.path })),
    learn.onDidLearn((event) => safeEmit('learn.didChange', event)),
    core.plugins.events.onDidRequestApproval((request) => {
      safeEmit('plugins.didRequestApproval', request);
      pluginsChanged(); // the plugin is waiting for approval now
    }),
    core.onDidRequestNotification((n) => safeEmit('plugins.didNotify', { pluginId: n.pluginId, title: n.title, body: n.body })),
    core.plugins.events.onDidLifecycle((event) => {
      if (event.phase !== 'execute') pluginsChanged();
    }),
    core.plugins.events.onDidFinishCall(({ pluginId }) => statsChanged(pluginId)),
    core.onDidChangePlugins(pluginsChanged),
    core.onDidChangePaused((paused) => safeEmit('app.didChangePaused', { paused })),
    core.profiles.onDidChange((state) => safeEmit('profiles.didChange', state)),
    core.gamepads?.onDidChangeControllers(() => safeEmit('gamepads.didChange', gamepadsState(core))) ?? (() => undefined),
    core.windowGamepads?.onDidChangeControllers(() => safeEmit('gamepads.didChange', gamepadsState(core))) ?? (() => undefined),
    feedLights(core.devices.virtualDevice.onDidChangeLight, (change) => safeEmit('virtual.didChangeLight', change), { windowMs: options.lightsWindowMs }),
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
