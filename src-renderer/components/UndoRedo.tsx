// Undo and Redo buttons for the draft config (the same steps as Ctrl/Cmd+Z and Ctrl/Cmd+Shift+Z, see draft-keys.ts).
// Buttons only: the steps themselves are kept by the config slice.
import { useApp } from '../store/context';

const MOD = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl+';

export function UndoRedo() {
  const canUndo = useApp((s) => s.history.past.length > 0);
  const canRedo = useApp((s) => s.history.future.length > 0);
  const undo = useApp((s) => s.undo);
  const redo = useApp((s) => s.redo);
  return (
    <span className="undo-redo" role="group" aria-label="Undo and redo">
      <button type="button" disabled={!canUndo} onClick={undo} title={`Undo the last edit (${MOD}Z)`} data-testid="undo">
        Undo
      </button>
      <button type="button" disabled={!canRedo} onClick={redo} title={`Redo (${MOD}Shift+Z)`} data-testid="redo">
        Redo
      </button>
    </span>
  );
}
