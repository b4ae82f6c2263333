// Engine slice: current mode, mode list, and the event console (bounded, pausable, filterable).
// Events arrive through the bridge (applyEngineEvents); setMode is the only call it makes.
import type { ConductorApi, EngineState } from '../../../src-shared/contract';
import type { EngineEvent } from '../../../src-shared/engine';
import { CONSOLE_LIMIT, DEFAULT_FILTER, mergeEvents } from '../console';
import { guarded, succeeded } from '../guard';
import type { AppState, EngineSlice, SliceCreator } from '../types';

export function applyEngineState(e: EngineState): Partial<AppState> {
  return { mode: e.mode, modes: e.modes };
}

/** New engine events: into the console (or held while paused), and mode/config events update the mode state. */
export function applyEngineEvents(s: Pick<AppState, 'events' | 'held' | 'paused' | 'lastSeq' | 'mode' | 'modes'>, incoming: readonly EngineEvent[], limit = CONSOLE_LIMIT): Partial<AppState> {
  if (incoming.length === 0) return {};
  const out: Partial<AppState> = {};
  let lastSeq = s.lastSeq;
  for (const e of incoming) {
    if (e.seq > lastSeq) lastSeq = e.seq;
    if (e.kind === 'mode-change') out.mode = e.to;
    if (e.kind === 'config') out.modes = e.modes;
  }
  out.lastSeq = lastSeq;
  if (s.paused) out.held = mergeEvents(s.held, incoming, limit);
  else out.events = mergeEvents(s.events, incoming, limit);
  return out;
}

export const createEngineSlice =
  (api: ConductorApi): SliceCreator<EngineSlice> =>
  (set, get) => ({
    mode: null,
    modes: [],
    events: [],
    lastSeq: 0,
    paused: false,
    held: [],
    consoleFilter: DEFAULT_FILTER,
    settingMode: false,
    async setMode(name) {
      set({ settingMode: true });
      const reply = await guarded(get, `Switch to mode "${name}"`, () => api.engine.setMode(name));
      if (succeeded(get, `Switch to mode "${name}"`, reply)) set({ mode: name });
      set({ settingMode: false });
    },
    setPaused(paused) {
      if (paused) set({ paused: true });
      else set((s) => ({ paused: false, held: [], events: mergeEvents(s.events, s.held) }));
    },
    clearConsole: () => set({ events: [], held: [] }),
    setFilterText: (text) => set((s) => ({ consoleFilter: { ...s.consoleFilter, text } })),
    setKindVisible: (kind, visible) => set((s) => ({ consoleFilter: { ...s.consoleFilter, kinds: { ...s.consoleFilter.kinds, [kind]: visible } } })),
  });
