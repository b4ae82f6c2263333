// UI slice: current view, theme, toasts, which mapping list is shown and which mapping's editor is open.
// No IPC here.
import type { SliceCreator, UiSlice } from '../types';

/** At most this many toasts at once; the oldest go first. */
export const MAX_TOASTS = 5;

export const createUiSlice = (): SliceCreator<UiSlice> => {
  let nextToast = 1;
  return (set) => ({
    view: 'devices',
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
  });
};
