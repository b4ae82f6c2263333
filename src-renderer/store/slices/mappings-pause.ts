// Mappings-pause slice: whether the core fires mappings (the tray's and Settings' Pause), from app.paused and the
// app.didChangePaused event (bridge.ts). Only app.setPaused changes it; never the console's own `paused`.
import type { ConductorApi, PauseState } from '../../../src-shared/contract';
import { guarded } from '../guard';
import type { AppState, MappingsPauseSlice, SliceCreator } from '../types';

/** The store fields for the core's pause state (the load, the event and a setPaused reply alike). */
export function applyPauseState(state: PauseState): Pick<AppState, 'mappingsPaused'> {
  return { mappingsPaused: state.paused };
}

export const createMappingsPauseSlice =
  (api: ConductorApi): SliceCreator<MappingsPauseSlice> =>
  (set, get) => ({
    mappingsPaused: false,
    settingMappingsPaused: false,
    async setMappingsPaused(paused) {
      set({ settingMappingsPaused: true });
      try {
        const reply = await guarded(get, paused ? 'Pause mappings' : 'Resume mappings', () => api.app.setPaused(paused));
        if (reply) set(applyPauseState(reply));
      } finally {
        set({ settingMappingsPaused: false });
      }
    },
  });
