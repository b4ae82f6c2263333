// Undo/redo of the draft config: a bounded list of earlier drafts and of undone ones, with consecutive edits of one
// field group (typing in one mapping) merged into one step. Pure; never touches IPC or the running config.
import type { AppConfig } from '../../src-shared/config';

/** How many undo steps are kept (the oldest go first). */
export const HISTORY_LIMIT = 200;
/** Edits of the same group closer together than this are one undo step (typing a word is one step, not five). */
export const COALESCE_MS = 1000;

export interface DraftHistory {
  /** Earlier drafts, oldest first. */
  past: readonly AppConfig[];
  /** Undone drafts, the next redo last. */
  future: readonly AppConfig[];
  /** The group and time of the last recorded edit (null group = never merged). */
  lastGroup: string | null;
  lastAt: number;
}

export const EMPTY_HISTORY: DraftHistory = Object.freeze({ past: [], future: [], lastGroup: null, lastAt: 0 });

/**
 * The history after the draft changed from `before` by an edit of `group` at `now`: `before` becomes an undo step,
 * unless the previous edit was of the same (non-null) group within COALESCE_MS; redo steps are dropped.
 */
export function recordEdit(h: DraftHistory, before: AppConfig, group: string | null, now: number): DraftHistory {
  const merge = group !== null && h.lastGroup === group && now - h.lastAt <= COALESCE_MS && h.past.length > 0 && h.future.length === 0;
  if (merge) return { ...h, lastAt: now };
  const past = [...h.past, before];
  return { past: past.length > HISTORY_LIMIT ? past.slice(past.length - HISTORY_LIMIT) : past, future: [], lastGroup: group, lastAt: now };
}

/** Undo: the draft to show and the history after it, or null when there is nothing to undo. */
export function undoStep(h: DraftHistory, current: AppConfig): { draft: AppConfig; history: DraftHistory } | null {
  const draft = h.past[h.past.length - 1];
  if (!draft) return null;
  return { draft, history: { past: h.past.slice(0, -1), future: [...h.future, current], lastGroup: null, lastAt: 0 } };
}

/** Redo: the inverse of undoStep, or null when nothing was undone since the last edit. */
export function redoStep(h: DraftHistory, current: AppConfig): { draft: AppConfig; history: DraftHistory } | null {
  const draft = h.future[h.future.length - 1];
  if (!draft) return null;
  return { draft, history: { past: [...h.past, current], future: h.future.slice(0, -1), lastGroup: null, lastAt: 0 } };
}
