// Installed-apps slice: the list the Launch editor's app picker offers (system.apps), fetched when a picker first
// opens and again on Refresh. Never starts an app; main only lists them.
import type { ConductorApi } from '../../../src-shared/contract';
import { errorMessage } from '../../format';
import type { AppsSlice, SliceCreator } from '../types';

export const createAppsSlice =
  (api: ConductorApi): SliceCreator<AppsSlice> =>
  (set, get) => ({
    installedApps: null,
    installedAppsLoading: false,
    installedAppsError: null,
    async loadInstalledApps(refresh = false) {
      if (get().installedAppsLoading || (get().installedApps !== null && !refresh)) return;
      set({ installedAppsLoading: true, installedAppsError: null });
      try {
        set({ installedApps: await (refresh ? api.system.apps({ refresh: true }) : api.system.apps()) });
      } catch (error) {
        set({ installedAppsError: errorMessage(error) });
      } finally {
        set({ installedAppsLoading: false });
      }
    },
  });
