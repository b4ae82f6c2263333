// Plugins slice: the installed plugins (plugins.list / plugins.changed), approval requests, and "Test" runs
// of a plugin action from the action editor (plugins.test). Never installs or grants anything.
import type { ApprovalRequest } from '../../../src-shared/capabilities';
import type { ConductorApi } from '../../../src-shared/contract';
import { errorMessage } from '../../format';
import { guarded } from '../guard';
import type { AppState, PluginsSlice, SliceCreator } from '../types';

export function applyApprovalRequest(s: Pick<AppState, 'approvals'>, r: ApprovalRequest): Partial<AppState> {
  const approvals = { ...s.approvals };
  if (r.pending.length === 0) delete approvals[r.pluginId];
  else approvals[r.pluginId] = r;
  return { approvals };
}

export const createPluginsSlice =
  (api: ConductorApi): SliceCreator<PluginsSlice> =>
  (set, get) => ({
    plugins: [],
    pluginsLoaded: false,
    approvals: {},
    pluginTests: {},
    async refreshPlugins() {
      const list = await guarded(get, 'List plugins', () => api.call('plugins.list'));
      if (list) set({ plugins: list, pluginsLoaded: true });
    },
    async testPlugin(key, path, params) {
      set((s) => ({ pluginTests: { ...s.pluginTests, [key]: { running: true, result: null, error: null } } }));
      try {
        const result = await api.call('plugins.test', path, params);
        set((s) => ({ pluginTests: { ...s.pluginTests, [key]: { running: false, result, error: null } } }));
      } catch (err) {
        set((s) => ({ pluginTests: { ...s.pluginTests, [key]: { running: false, result: null, error: errorMessage(err) } } }));
      }
    },
  });
