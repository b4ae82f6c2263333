// Window-wide handling of the draft config: Ctrl/Cmd+Z undoes and Ctrl/Cmd+Shift+Z (or Ctrl+Y) redoes a draft edit,
// and leaving the page with unsaved edits asks first (`beforeunload`). Never saves or discards anything by itself.
import { useEffect } from 'react';
import { useAppStore } from '../store/context';
import { hasUnsavedChanges } from '../store/draft';

/** Where the browser's own text undo belongs: text being typed into a field (not checkboxes, buttons or selects). */
export function isTextEditing(target: EventTarget | null): boolean {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement) return true;
  if (!(target instanceof HTMLInputElement)) return false;
  return !['checkbox', 'radio', 'range', 'color', 'button', 'submit', 'reset', 'file'].includes(target.type);
}

/** What a key press asks for: 'undo', 'redo' or null. */
export function historyCommand(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): 'undo' | 'redo' | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return null;
  const key = e.key.toLowerCase();
  if (key === 'z') return e.shiftKey ? 'redo' : 'undo';
  if (key === 'y' && e.ctrlKey && !e.shiftKey) return 'redo';
  return null;
}

export function useDraftKeys(): void {
  const store = useAppStore();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const command = historyCommand(e);
      // Typing in a field keeps the browser's text undo; a dialog (e.g. capability approval) is not a draft edit.
      if (!command || e.defaultPrevented || isTextEditing(e.target) || store.getState().approvalDialog !== null) return;
      e.preventDefault();
      if (command === 'undo') store.getState().undo();
      else store.getState().redo();
    };
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      const s = store.getState();
      if (!hasUnsavedChanges(s.draft, s.baseline)) return;
      // The browser (or, in the desktop app, the window) asks whether to leave; the text is the browser's own.
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, [store]);
}
