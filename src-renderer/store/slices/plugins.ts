// Plugins slice: installed plugins (list, onDidChange, call figures by onDidChangeStats), approvals, install,
// uninstall, per-plugin limits and settings (with OAuth Connect / Disconnect), and "Test" runs (plugins.test). Main
// decides; this only asks. No token ever passes through here: main never sends one.
import type { ApprovalRequest } from '../../../src-shared/capabilities';
import type { CallReplies, ConductorApi, PluginInfo, PluginStatsChange } from '../../../src-shared/contract';
import type { PluginSettingsForm } from '../../../src-shared/plugin';
import { errorMessage } from '../../format';
import { guarded, succeeded } from '../guard';
import type { AppState, PluginsSlice, SliceCreator } from '../types';

/**
 * Keeps the latest request per plugin (one dialog per plugin, however often it asks) and pops the dialog up for it,
 * unless another plugin's dialog is open or the user closed this plugin's dialog ("decide later").
 */
export function applyApprovalRequest(s: Pick<AppState, 'approvals' | 'approvalDialog' | 'approvalsDismissed'>, r: ApprovalRequest): Partial<AppState> {
  const approvals = { ...s.approvals };
  if (r.pending.length === 0) {
    delete approvals[r.pluginId];
    return { approvals };
  }
  approvals[r.pluginId] = r;
  const show = s.approvalDialog === null && !s.approvalsDismissed[r.pluginId];
  return show ? { approvals, approvalDialog: r.pluginId } : { approvals };
}

/**
 * State after main reports plugins (a list, or one updated plugin): a listed plugin with nothing pending any more
 * loses its approval request (the badge stops counting it) and its "decide later" mark (a later request, e.g. after
 * an update asking for more, pops the dialog up again). Requests of plugins not in the list are kept: the list may
 * predate them. An open dialog stays open so the user sees the outcome.
 */
export function applyPlugins(s: Pick<AppState, 'plugins' | 'approvals' | 'approvalsDismissed'>, update: PluginInfo[] | PluginInfo): Partial<AppState> {
  const plugins = Array.isArray(update) ? update : s.plugins.map((p) => (p.id === update.id ? update : p));
  const settled = new Set(plugins.filter((p) => p.snapshot.pendingCapabilities.length === 0).map((p) => p.id));
  const approvals = Object.fromEntries(Object.entries(s.approvals).filter(([id]) => !settled.has(id)));
  const approvalsDismissed = Object.fromEntries(Object.entries(s.approvalsDismissed).filter(([id]) => !settled.has(id)));
  return { plugins, approvals, approvalsDismissed };
}

/** A plugin's changed call figures (plugins.didChangeStats) merged into its snapshot; unknown plugins are ignored. */
export function applyPluginStats(s: Pick<AppState, 'plugins'>, change: PluginStatsChange): Partial<AppState> {
  const index = s.plugins.findIndex((p) => p.id === change.pluginId);
  const plugin = s.plugins[index];
  if (!plugin) return {};
  const plugins = [...s.plugins];
  plugins[index] = { ...plugin, snapshot: { ...plugin.snapshot, stats: { ...plugin.snapshot.stats, ...change.stats } } };
  return { plugins };
}

/**
 * A form re-read for its OAuth state (after plugins.didChange, a Connect or a Disconnect) merged over the one the view
 * shows: while the settings themselves are unchanged, their objects are kept, so the form keeps what the user is
 * typing (views/PluginSettings.tsx starts its fields over only for new settings objects); otherwise the fresh form as
 * it is. The very same object when nothing changed at all.
 */
export function withOAuthFrom(current: PluginSettingsForm | undefined, fresh: PluginSettingsForm): PluginSettingsForm {
  const settingsPart = (f: PluginSettingsForm): string => JSON.stringify([f.id, f.specs, f.values, f.secretsSet, f.secretStorage]);
  if (!current || settingsPart(current) !== settingsPart(fresh)) return fresh;
  if (JSON.stringify(current.oauth) === JSON.stringify(fresh.oauth)) return current;
  return { ...current, oauth: fresh.oauth };
}

/** The next plugin still waiting whose dialog was not dismissed, if any. */
function nextApproval(s: Pick<AppState, 'approvals' | 'approvalsDismissed'>, except: string): string | null {
  return Object.keys(s.approvals).find((id) => id !== except && !s.approvalsDismissed[id]) ?? null;
}

export const createPluginsSlice =
  (api: ConductorApi): SliceCreator<PluginsSlice> =>
  (set, get) => {
    type InstallReply = CallReplies['plugins.install'];
    /** One install flow for a path or picked files: busy flag, toast, refresh; null = done, else the error. */
    const install = async (request: () => Promise<InstallReply>): Promise<string | null> => {
      set((s) => ({ pluginBusy: { ...s.pluginBusy, install: true }, installError: null }));
      try {
        const reply = await request();
        if (!reply.ok) {
          get().toast('error', `Install: ${reply.error}`, 'install');
          set({ installError: reply.error });
          return reply.error;
        }
        get().toast('success', `${reply.plugin.snapshot.metadata?.name ?? reply.plugin.id} ${reply.action}`, 'install');
        await get().refreshPlugins();
        return null;
      } catch (err) {
        const message = errorMessage(err);
        get().toast('error', `Install: ${message}`, 'install');
        set({ installError: message });
        return message;
      } finally {
        set((s) => ({ pluginBusy: { ...s.pluginBusy, install: false } }));
      }
    };
    return {
      plugins: [],
      pluginsLoaded: false,
      approvals: {},
      pluginTests: {},
      approvalDialog: null,
      approvalsDismissed: {},
      pluginBusy: {},
      installError: null,
      installUpdate: false,
      pluginSettings: {},
      setInstallUpdate(update) {
        set({ installUpdate: update });
      },
      openApproval(pluginId) {
        set((s) => {
          const approvalsDismissed = { ...s.approvalsDismissed };
          delete approvalsDismissed[pluginId];
          return { approvalDialog: pluginId, approvalsDismissed };
        });
      },
      closeApproval() {
        set((s) => {
          if (s.approvalDialog === null) return {};
          // "Decide later" only means something while a request is pending; "Done" after deciding everything is not it.
          const approvalsDismissed = s.approvals[s.approvalDialog] ? { ...s.approvalsDismissed, [s.approvalDialog]: true } : s.approvalsDismissed;
          return { approvalsDismissed, approvalDialog: nextApproval({ approvals: s.approvals, approvalsDismissed }, s.approvalDialog) };
        });
      },
      async decideCapability(pluginId, capability, status) {
        set((s) => ({ pluginBusy: { ...s.pluginBusy, [pluginId]: true } }));
        // Revoking from the plugins list is the user's own doing: do not pop the dialog up for the request it causes.
        if (status === 'pending' && get().approvalDialog !== pluginId) set((s) => ({ approvalsDismissed: { ...s.approvalsDismissed, [pluginId]: true } }));
        try {
          const reply = await guarded(get, `Decide ${capability}`, () => api.plugins.decide(pluginId, capability, status));
          if (!succeeded(get, `Decide ${capability}`, reply)) return false;
          if (reply?.ok) {
            const plugin = reply.plugin;
            set((s) => applyPlugins(s, plugin));
          }
          return true;
        } finally {
          set((s) => ({ pluginBusy: { ...s.pluginBusy, [pluginId]: false } }));
        }
      },
      installPlugin(path, update) {
        return install(() => api.plugins.install(path, { update }));
      },
      installPluginFiles(files, updateArg) {
        const update = updateArg ?? get().installUpdate;
        return install(async () => {
          // Desktop: one .wasm installs from where it lies on disk, so the .sig and plugin.toml beside it come along
          // even when only the .wasm was dropped. Otherwise (browser mode, no path) the picked files are uploaded.
          const wasm = files.filter((f) => /\.wasm$/i.test(f.name));
          if (wasm.length === 1 && api.plugins.installFromDisk) {
            const fromDisk = await api.plugins.installFromDisk(wasm[0], { update });
            if (fromDisk) return fromDisk;
          }
          const payload = await Promise.all(files.map(async (f) => ({ name: f.name, base64: toBase64(new Uint8Array(await f.arrayBuffer())) })));
          return api.plugins.installFiles(payload, { update });
        });
      },
      async uninstallPlugin(pluginId) {
        set((s) => ({ pluginBusy: { ...s.pluginBusy, [pluginId]: true } }));
        try {
          const reply = await guarded(get, 'Uninstall', () => api.plugins.uninstall(pluginId));
          const done = succeeded(get, 'Uninstall', reply);
          if (done) {
            get().toast('success', `${pluginId} uninstalled`, 'install');
            set((s) => {
              const approvals = { ...s.approvals };
              delete approvals[pluginId];
              return { approvals, approvalDialog: s.approvalDialog === pluginId ? null : s.approvalDialog };
            });
            await get().refreshPlugins();
          }
          return done;
        } finally {
          set((s) => ({ pluginBusy: { ...s.pluginBusy, [pluginId]: false } }));
        }
      },
      async setPluginLimits(pluginId, limits) {
        set((s) => ({ pluginBusy: { ...s.pluginBusy, [pluginId]: true } }));
        try {
          const reply = await api.plugins.setLimits(pluginId, limits);
          if (!reply.ok) {
            get().toast('error', `Limits: ${reply.error}`, 'limits');
            return reply.error;
          }
          const plugin = reply.plugin;
          set((s) => applyPlugins(s, plugin));
          get().toast('success', `${plugin.snapshot.metadata?.name ?? plugin.id}: limits saved`, 'limits');
          return null;
        } catch (err) {
          const message = errorMessage(err);
          get().toast('error', `Limits: ${message}`, 'limits');
          return message;
        } finally {
          set((s) => ({ pluginBusy: { ...s.pluginBusy, [pluginId]: false } }));
        }
      },
      async loadPluginSettings(pluginId) {
        try {
          const reply = await api.plugins.settings(pluginId);
          if (!reply.ok) return reply.error;
          const form = reply.form;
          set((s) => ({ pluginSettings: { ...s.pluginSettings, [pluginId]: form } }));
          return null;
        } catch (err) {
          return errorMessage(err);
        }
      },
      async savePluginSettings(pluginId, changes) {
        set((s) => ({ pluginBusy: { ...s.pluginBusy, [pluginId]: true } }));
        try {
          const reply = await api.plugins.saveSettings(pluginId, changes);
          // Main's refusal names the setting, never a value: safe to show and toast.
          if (!reply.ok) {
            get().toast('error', `Settings: ${reply.error}`, 'settings');
            return reply.error;
          }
          const form = reply.form;
          set((s) => ({ pluginSettings: { ...s.pluginSettings, [pluginId]: form } }));
          const plugin = get().plugins.find((p) => p.id === pluginId);
          get().toast('success', `${plugin?.snapshot.metadata?.name ?? pluginId}: settings saved`, 'settings');
          return null;
        } catch (err) {
          const message = errorMessage(err);
          get().toast('error', `Settings: ${message}`, 'settings');
          return message;
        } finally {
          set((s) => ({ pluginBusy: { ...s.pluginBusy, [pluginId]: false } }));
        }
      },
      async connectPluginOAuth(pluginId) {
        set((s) => ({ pluginBusy: { ...s.pluginBusy, [pluginId]: true } }));
        try {
          const reply = await api.plugins.oauthConnect(pluginId);
          // Main waits for the browser now: the form shows it (pending). Not awaited: the caller may have a tab to open.
          if (reply.ok) void get().refreshPluginOAuth(pluginId);
          return reply;
        } catch (err) {
          return { ok: false, error: errorMessage(err) };
        } finally {
          set((s) => ({ pluginBusy: { ...s.pluginBusy, [pluginId]: false } }));
        }
      },
      async disconnectPluginOAuth(pluginId) {
        set((s) => ({ pluginBusy: { ...s.pluginBusy, [pluginId]: true } }));
        try {
          const reply = await api.plugins.oauthDisconnect(pluginId);
          if (!reply.ok) return reply.error;
          const form = reply.form;
          set((s) => ({ pluginSettings: { ...s.pluginSettings, [pluginId]: withOAuthFrom(s.pluginSettings[pluginId], form) } }));
          return null;
        } catch (err) {
          return errorMessage(err);
        } finally {
          set((s) => ({ pluginBusy: { ...s.pluginBusy, [pluginId]: false } }));
        }
      },
      async refreshPluginOAuth(pluginId) {
        const ids = pluginId !== undefined ? [pluginId] : Object.values(get().pluginSettings).filter((f) => f.oauth !== null).map((f) => f.id);
        await Promise.all(
          ids.map(async (id) => {
            try {
              const reply = await api.plugins.settings(id);
              if (!reply.ok) return; // e.g. uninstalled meanwhile: the list event says so
              const form = reply.form;
              set((s) => {
                const merged = withOAuthFrom(s.pluginSettings[id], form);
                return merged === s.pluginSettings[id] ? {} : { pluginSettings: { ...s.pluginSettings, [id]: merged } };
              });
            } catch {
              // Not connected right now: the next (re)connection loads again.
            }
          }),
        );
      },
      async refreshPlugins() {
        const list = await guarded(get, 'List plugins', () => api.plugins.list());
        if (list) set((s) => ({ ...applyPlugins(s, list), pluginsLoaded: true }));
      },
      async testPlugin(key, path, params) {
        const ranWith = { path, params };
        set((s) => ({ pluginTests: { ...s.pluginTests, [key]: { running: true, result: null, error: null, ranWith } } }));
        try {
          const result = await api.plugins.test(path, params);
          set((s) => ({ pluginTests: { ...s.pluginTests, [key]: { running: false, result, error: null, ranWith } } }));
        } catch (err) {
          set((s) => ({ pluginTests: { ...s.pluginTests, [key]: { running: false, result: null, error: errorMessage(err), ranWith } } }));
        }
      },
      clearPluginTest(key) {
        set((s) => {
          const test = s.pluginTests[key];
          if (!test || test.running) return {};
          const pluginTests = { ...s.pluginTests };
          delete pluginTests[key];
          return { pluginTests };
        });
      },
    };
  };

/** Bytes → base64 in chunks (String.fromCharCode on a whole plugin would overflow the argument limit). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
