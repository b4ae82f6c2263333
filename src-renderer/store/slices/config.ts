// Config slice: the running config, the draft the Mappings view edits, undo/redo, save with issues, discard.
// Edits go through the pure functions of draft.ts and are recorded in history.ts; only saveDraft talks to main.
import type { AppConfig } from '../../../src-shared/config';
import type { ConductorApi, ConfigState } from '../../../src-shared/contract';
import * as D from '../draft';
import { guarded } from '../guard';
import { EMPTY_HISTORY, recordEdit, redoStep, undoStep } from '../history';
import type { AppState, ConfigSlice, SliceCreator } from '../types';

/**
 * State after main reports its config (config.get reply or config.onDidChange event). A draft without unsaved changes
 * follows the new config; one with changes is kept and flagged when the file changed under it.
 */
export function applyConfigState(s: Pick<AppState, 'draft' | 'baseline' | 'history'>, c: ConfigState): Partial<AppState> {
  if (!s.draft || !s.baseline || !D.hasUnsavedChanges(s.draft, s.baseline)) {
    // Following a config that changed elsewhere: the undo steps were made on the old one and would revert it.
    const history = s.baseline && D.deepEqual(c.config, s.baseline) ? s.history : EMPTY_HISTORY;
    return { configState: c, draft: c.config, baseline: c.config, externalChange: false, history };
  }
  return { configState: c, externalChange: !D.deepEqual(c.config, s.baseline) };
}

/** True when two configs have the same modes and the same number of mappings in each list (issue paths still point right). */
function sameShape(a: AppConfig, b: AppConfig): boolean {
  return a.modes.length === b.modes.length && a.globalMappings.length === b.globalMappings.length && a.modes.every((m, i) => m.mappings.length === b.modes[i]?.mappings.length);
}

/** The selected scope key after the modes changed, kept valid ("m<i>" within range, else the first mode or "g"). */
export function validScope(key: string, config: AppConfig): string {
  const m = /^m(\d+)$/.exec(key);
  if (m && Number(m[1]) < config.modes.length) return key;
  if (key === 'g') return key;
  return config.modes.length > 0 ? 'm0' : 'g';
}

export const createConfigSlice =
  (api: ConductorApi, now: () => number): SliceCreator<ConfigSlice> =>
  (set, get) => {
    /** The draft becomes `next`, the old one an undo step (merged with the previous step of the same `group`). */
    const commit = (next: AppConfig, extra: Partial<AppState> = {}, group: string | null = null) => {
      const { draft, history } = get();
      if (!draft || next === draft) return;
      set({ ...extra, draft: next, history: recordEdit(history, draft, group, now()) });
    };
    /** Applies a draft edit; `structural` edits move indices, so the last save's issues no longer point right. */
    const edit = (fn: (c: AppConfig) => AppConfig, structural = false, group: string | null = null) => {
      const draft = get().draft;
      if (!draft) return;
      commit(fn(draft), structural ? { saveIssues: [], editingKey: null } : {}, group);
    };
    /** Shows an earlier or undone draft; the selected mode and open editor stay when they still exist. */
    const travel = (step: { draft: AppConfig; history: AppState['history'] } | null) => {
      const s = get();
      if (!step || !s.draft) return;
      const { draft } = step;
      const editing = s.editingKey ? D.parseLocationKey(s.editingKey) : null;
      set({
        draft,
        history: step.history,
        saveIssues: sameShape(draft, s.draft) ? s.saveIssues : [],
        editingKey: editing && D.getMapping(draft, editing) ? s.editingKey : null,
        selectedScope: validScope(s.selectedScope, draft),
      });
    };
    return {
      configState: null,
      draft: null,
      baseline: null,
      history: EMPTY_HISTORY,
      saveIssues: [],
      saving: false,
      externalChange: false,
      editDraft: (fn, group) => edit(fn, false, group ?? null),
      addMapping(scope, mapping) {
        const draft = get().draft;
        if (!draft) return null;
        const { config, location } = D.addMapping(draft, scope, mapping);
        const key = D.locationKey(location);
        commit(config, { editingKey: key });
        return key;
      },
      updateMapping(key, fn) {
        const loc = D.parseLocationKey(key);
        // Typing in one mapping's fields is one undo step per pause, not one per key.
        if (loc) edit((c) => D.updateMapping(c, loc, fn), false, `mapping:${key}`);
      },
      duplicateMapping(key) {
        const loc = D.parseLocationKey(key);
        const draft = get().draft;
        if (!loc || !draft) return null;
        const { config, location } = D.duplicateMapping(draft, loc);
        const newKey = D.locationKey(location);
        commit(config, { saveIssues: [], editingKey: newKey });
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
        commit(next, { selectedScope: `m${index}`, editingKey: null });
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
        const draft = get().draft;
        if (!running || !draft) return;
        // Undoable: the discarded edits come back with Undo (as unsaved changes against the running config).
        set((s) => ({
          draft: running,
          baseline: running,
          saveIssues: [],
          externalChange: false,
          editingKey: null,
          selectedScope: validScope(s.selectedScope, running),
          history: D.deepEqual(draft, running) ? s.history : recordEdit(s.history, draft, null, now()),
        }));
      },
      undo() {
        const draft = get().draft;
        if (draft) travel(undoStep(get().history, draft));
      },
      redo() {
        const draft = get().draft;
        if (draft) travel(redoStep(get().history, draft));
      },
    };
  };
