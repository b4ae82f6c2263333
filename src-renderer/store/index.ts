// The renderer's one zustand store, built from slices. The ConductorApi is injected (tests pass an in-memory
// fake); IPC events enter only through bridge.ts.
import { createStore } from 'zustand/vanilla';
import type { ConductorApi } from '../../src-shared/contract';
import { createAppsSlice } from './slices/apps';
import { createConfigSlice } from './slices/config';
import { createConnectionSlice } from './slices/connection';
import { createDevicesSlice } from './slices/devices';
import { createEngineSlice } from './slices/engine';
import { createFirstRunSlice } from './slices/first-run';
import { createLayoutsSlice } from './slices/layouts';
import { createLearnSlice } from './slices/learn';
import { createMappingsPauseSlice } from './slices/mappings-pause';
import { createPluginsSlice } from './slices/plugins';
import { createProfilesSlice } from './slices/profiles';
import { createTemplatesSlice } from './slices/templates';
import { createGamepadsSlice } from './slices/gamepads';
import { createTrustSlice } from './slices/trust';
import { createUiSlice } from './slices/ui';
import type { AppState, AppStore } from './types';

export interface StoreOptions {
  now?: () => number;
}

export function createAppStore(api: ConductorApi, options: StoreOptions = {}): AppStore {
  const now = options.now ?? (() => Date.now());
  return createStore<AppState>()((...a) => ({
    ...createConnectionSlice()(...a),
    ...createDevicesSlice(api)(...a),
    ...createConfigSlice(api, now)(...a),
    ...createEngineSlice(api)(...a),
    ...createLearnSlice(api, now)(...a),
    ...createPluginsSlice(api)(...a),
    ...createTrustSlice(api)(...a),
    ...createUiSlice()(...a),
    ...createLayoutsSlice(api)(...a),
    ...createAppsSlice(api)(...a),
    ...createFirstRunSlice(api)(...a),
    ...createMappingsPauseSlice(api)(...a),
    ...createProfilesSlice(api)(...a),
    ...createTemplatesSlice(api)(...a),
    ...createGamepadsSlice(api)(...a),
  }));
}

export type { AppState, AppStore } from './types';
