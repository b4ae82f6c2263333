// First-run slice: the UI state main keeps between runs (the guide's progress, the MIDI notice closed), and the tracker
// that ticks the guide's steps from the store (store/first-run.ts decides). Saves only through app.setUiState.
import type { ConductorApi } from '../../../src-shared/contract';
import { applyUiStatePatch, type UiState, type UiStatePatch } from '../../../src-shared/ui-state';
import { errorMessage } from '../../format';
import { advanceGuide, midiNoticeKey } from '../first-run';
import type { AppState, AppStore, FirstRunSlice, SliceCreator } from '../types';

/** The store fields after app.uiState answered (bridge.ts). */
export function applyUiState(state: UiState): Pick<AppState, 'uiState' | 'uiStateLoaded'> {
  return { uiState: state, uiStateLoaded: true };
}

export const createFirstRunSlice =
  (api: ConductorApi): SliceCreator<FirstRunSlice> =>
  (set, get) => {
    /** Shows the change at once, then saves it; main's reply becomes the state (a failure is toasted once). */
    const change = async (patch: UiStatePatch): Promise<void> => {
      const current = get().uiState;
      if (!current) return;
      set({ uiState: applyUiStatePatch(current, patch) });
      let error: string | null;
      try {
        const reply = await api.app.setUiState(patch);
        error = reply.ok ? null : reply.error;
      } catch (err) {
        error = errorMessage(err);
      }
      if (error !== null) get().toast('error', `Not remembered for the next start: ${error}`, 'ui-state');
    };
    return {
      uiState: null,
      uiStateLoaded: false,
      setGuide: (guide) => change({ guide }),
      skipGuide: async () => {
        const guide = get().uiState?.guide;
        if (guide) await change({ guide: { ...guide, status: 'skipped' } });
      },
      dismissMidiNotice: async () => {
        const status = get().midiStatus;
        if (status && !status.available) await change({ midiNoticeDismissed: midiNoticeKey(status) });
      },
      setBackground: (background) => change({ background }),
    };
  };

/**
 * Ticks the guide's steps while it is active, from the store alone: engine events (a press), the view (the Console),
 * the running config (a mapping saved on a pressed control). Each tick is saved; the last one closes the guide with a
 * toast. Returns the stop function.
 */
export function startFirstRunTracking(store: AppStore): () => void {
  let afterSeq = 0;
  const step = (s: AppState, prev: AppState | null): void => {
    const guide = s.uiState?.guide;
    // Without the running config a press cannot be fingerprinted: its events wait (afterSeq stays) until it loaded.
    if (!guide || guide.status !== 'active' || !s.configState) return;
    if (prev && prev.uiState === s.uiState && prev.events === s.events && prev.held === s.held && prev.view === s.view && prev.configState === s.configState) return;
    const events = s.held.length > 0 ? [...s.events, ...s.held] : s.events;
    const next = advanceGuide(guide, { events, afterSeq, view: s.view, config: s.configState.config });
    afterSeq = Math.max(afterSeq, events[events.length - 1]?.seq ?? 0);
    if (next === guide) return;
    void s.setGuide(next);
    if (next.status === 'done') s.toast('success', 'First steps done: you pressed a pad, watched it in the console and mapped it. The guide is closed.', 'first-run');
  };
  step(store.getState(), null);
  return store.subscribe((s, prev) => step(s, prev));
}
