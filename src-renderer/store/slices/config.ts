// Config slice: the running config, the draft the Mappings view edits, save with issues, discard.
// Edits go through the pure functions of draft.ts; only saveDraft talks to main (config.save).
import type { AppConfig } from '../../../src-shared/config';
import type { ConductorApi, ConfigState } from '../../../src-shared/contract';
import * as D from '../draft';
import { guarded } from '../guard';
import type { AppState, ConfigSlice, SliceCreator } from '../types';

/**
 * State after main reports its config (config.get reply or config.onDidChange event). A draft without unsaved changes
 * follows the new config; one with changes is kept and flagged when the file changed under it.
 */
export function applyConfigState(s: Pick<AppState, 'draft' | 'baseline'>, c: ConfigState): Partial<AppState> {
  if (!s.draft || !s.baseline || !D.hasUnsavedChanges(s.draft, s.baseline)) {
    return { configState: c, draft: c.config, baseline: c.config, externalChange: false };
  }
  return { configState: c, externalChange: !D.deepEqual(c.config, s.baseline) };
}

/** The selected scope key after the modes changed, kept valid ("m<i>" within range, else the first mode or "g"). */
export function validScope(key: string, config: AppConfig): string {
  const m = /^m(\d+)$/.exec(key);
  if (m && Number(m[1]) < config.modes.length) return key;
  if (key === 'g') return key;
  return config.modes.length > 0 ? 'm0' : 'g';
}

export const createConfigSlice =
  (api: ConductorApi): SliceCreator<ConfigSlice> =>
  (set, get) => {
    /** Applies a draft edit; `structural` edits move indices, so the last save's issues no longer point right. */
    const edit = (fn: (c: AppConfig) => AppConfig, structural = false) => {
      const draft = get().draft;
      if (!draft) return;
      const next = fn(draft);
      if (next === draft) return;
      set(structural ? { draft: next, saveIssues: [], editingKey: null } : { draft: next });
    };
    return {
      configState: null,
      draft: null,
      baseline: null,
      saveIssues: [],
      saving: false,
      externalChange: false,
      editDraft: (fn) => edit(fn),
      addMapping(scope, mapping) {
        const draft = get().draft;
        if (!draft) return null;
        const { config, location } = D.addMapping(draft, scope, mapping);
        const key = D.locationKey(location);
        set({ draft: config, editingKey: key });
        return key;
      },
      updateMapping(key, fn) {
        const loc = D.parseLocationKey(key);
        if (loc) edit((c) => D.updateMapping(c, loc, fn));
      },
      duplicateMapping(key) {
        const loc = D.parseLocationKey(key);
        const draft = get().draft;
        if (!loc || !draft) return null;
        const { config, location } = D.duplicateMapping(draft, loc);
        const newKey = D.locationKey(location);
        set({ draft: config, saveIssues: [], editingKey: newKey });
        return newKey;
      },
      deleteMapping(key) {
        const loc = D.parseLocationKey(key);
        if (loc) edit((c) => D.deleteMapping(c, loc), true);
      },
      moveMapping(key, delta) {
        const loc = D.parseLocationKey(key);
        if (loc) edit((c) => D.moveMapping(c, loc, delta), true);
      },
      addMode() {
        const draft = get().draft;
        if (!draft) return null;
        const next = D.addMode(draft);
        const index = next.modes.length - 1;
        set({ draft: next, selectedScope: `m${index}`, editingKey: null });
        return index;
      },
      renameMode: (index, name) => edit((c) => D.renameMode(c, index, name)),
      removeMode(index) {
        edit((c) => D.removeMode(c, index), true);
        const draft = get().draft;
        if (draft) set((s) => ({ selectedScope: validScope(s.selectedScope === `m${index}` ? `m${Math.max(0, index - 1)}` : s.selectedScope, draft) }));
      },
      async saveDraft() {
        const sent = get().draft;
        if (!sent || get().saving) return false;
        set({ saving: true });
        const { baseline, configState } = get();
        const toSave = baseline && configState ? D.rebaseDraft(sent, baseline, configState.config) : sent;
        // The contract types config.save's argument as a JSON object; AppConfig is one.
        const reply = await guarded(get, 'Save', () => api.config.save(toSave as unknown as Record<string, unknown>));
        set({ saving: false });
        if (!reply) return false;
        if (!reply.ok) {
          set({ saveIssues: reply.issues });
          get().toast('error', `Not saved: ${reply.issues.length} problem${reply.issues.length === 1 ? '' : 's'} in the config (shown at the fields)`, 'save');
          return false;
        }
        set((s) => ({
          saveIssues: [],
          externalChange: false,
          baseline: reply.config,
          // Edits made while saving stay in the draft (and stay unsaved).
          draft: s.draft === sent ? reply.config : s.draft,
          configState: s.configState ? { ...s.configState, config: reply.config, issues: [] } : s.configState,
        }));
        get().toast('success', 'Saved', 'save');
        return true;
      },
      discardDraft() {
        const running = get().configState?.config ?? get().baseline;
        if (!running) return;
        set((s) => ({ draft: running, baseline: running, saveIssues: [], externalChange: false, editingKey: null, selectedScope: validScope(s.selectedScope, running) }));
      },
    };
  };
