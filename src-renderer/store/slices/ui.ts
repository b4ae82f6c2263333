// UI slice: current view, theme, toasts, which mapping list is shown (as the controller or a list), the selected control,
// "follow the controller", and which mapping's editor is open. No IPC here.
import type { SliceCreator, UiSlice } from '../types';

/** At most this many toasts at once; the oldest go first. */
export const MAX_TOASTS = 5;

export const createUiSlice = (): SliceCreator<UiSlice> => {
  let nextToast = 1;
  let nextFocus = 1;
  return (set) => ({
    // Without a view in the URL the app opens on Mappings: the controller (and, on a first run, the guide) at once.
    view: 'mappings',
    theme: 'system',
    toasts: [],
    selectedScope: 'm0',
    editingKey: null,
    setView: (view) => set({ view }),
    setTheme: (theme) => set({ theme }),
    toast: (tone, text, group) =>
      set((s) => ({ toasts: [...s.toasts.filter((t) => group === undefined || t.group !== group), { id: nextToast++, tone, text, group: group ?? null }].slice(-MAX_TOASTS) })),
    dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
    selectScope: (key) => set({ selectedScope: key, editingKey: null }),
    setEditing: (key) => set({ editingKey: key }),
    focusRequest: null,
    goToMappingField: (key, field) => {
      const scope = key.split(':')[0] ?? 'g';
      set({ view: 'mappings', selectedScope: scope, editingKey: key, focusRequest: { key, field, seq: nextFocus++ } });
    },
    clearFocusRequest: () => set({ focusRequest: null }),
    mappingsPane: 'controller',
    setMappingsPane: (pane) => set({ mappingsPane: pane }),
    selectedControl: null,
    selectControl: (id) => set({ selectedControl: id }),
    drawnInputId: null,
    setDrawnInput: (id) => set({ drawnInputId: id, selectedControl: null }),
    followController: true,
    setFollowController: (on) => set({ followController: on }),
  });
};
