// One mapping's card (description, the trigger led by its control's name, the action, its problems, Edit/Duplicate/
// Move/Delete, and its editor when open), shared by the Mappings list and the controller's inspector. Edits the draft only.
import type { Mapping } from '../../src-shared/config';
import { Icon } from '../components/Icon';
import { MappingCardNotes, type DraftChecks } from '../editors/MappingChecks';
import { MappingEditor } from '../editors/MappingEditor';
import { describeAction } from '../format';
import { useApp } from '../store/context';
import type { IssueIndex } from '../store/issues';
import { useTriggerWords } from '../editors/shown-layout';

export interface MappingRowProps {
  mkey: string;
  mapping: Mapping;
  /** Its place in its list (mode or global), for Move up/down. */
  index: number;
  count: number;
  issues: IssueIndex;
  checks: DraftChecks;
  /** Mark it as a global mapping (the inspector lists them beside the mode's own). */
  global?: boolean;
}

export function MappingRow({ mkey, mapping, index, count, issues, checks, global = false }: MappingRowProps) {
  const editing = useApp((s) => s.editingKey === mkey);
  const setEditing = useApp((s) => s.setEditing);
  const duplicate = useApp((s) => s.duplicateMapping);
  const remove = useApp((s) => s.deleteMapping);
  const move = useApp((s) => s.moveMapping);
  const timing = useApp((s) => s.draft?.timing);
  const triggerWords = useTriggerWords(mapping.trigger, timing);
  const rowIssues = issues.byMapping.get(mkey);
  const editorId = `editor-${mkey.replace(/[^a-z0-9]/gi, '-')}`;
  return (
    <li className={`mapping ${editing ? 'is-editing' : ''} ${rowIssues ? 'has-issues' : ''}`}>
      <div className="mapping-row" data-testid="mapping-row" data-key={mkey}>
        <div className="mapping-summary">
          <div className="mapping-desc">
            {global ? (
              <span className="badge mapping-global" data-testid="mapping-global" title="A global mapping: works in every mode">
                <Icon name="globe" /> Global
              </span>
            ) : null}
            {mapping.description || <span className="muted">(no description)</span>}
          </div>
          <div className="mapping-words">
            <span className="trigger-words" data-testid="mapping-trigger-words">{triggerWords}</span>
            <span className="arrow" aria-label="runs">
              →
            </span>
            <span className="action-words">{describeAction(mapping.action)}</span>
          </div>
          {rowIssues && !editing ? (
            <div className="row-issues" role="alert" data-testid="mapping-row-issues">
              {rowIssues.length} problem{rowIssues.length === 1 ? '' : 's'}: {rowIssues.map((i) => i.message).join('; ')}
            </div>
          ) : null}
          <MappingCardNotes mkey={mkey} checks={checks} />
        </div>
        <div className="row-buttons">
          <button type="button" aria-expanded={editing} aria-controls={editing ? editorId : undefined} onClick={() => setEditing(editing ? null : mkey)} data-testid="mapping-edit">
            {editing ? 'Close' : 'Edit'}
          </button>
          <button type="button" onClick={() => duplicate(mkey)} data-testid="mapping-duplicate">
            Duplicate
          </button>
          <button type="button" className="small-button" disabled={index === 0} onClick={() => move(mkey, -1)} aria-label="Move up">
            ↑
          </button>
          <button type="button" className="small-button" disabled={index === count - 1} onClick={() => move(mkey, 1)} aria-label="Move down">
            ↓
          </button>
          <button type="button" className="danger" onClick={() => remove(mkey)} data-testid="mapping-delete">
            Delete
          </button>
        </div>
      </div>
      {editing ? (
        <div id={editorId}>
          <MappingEditor mappingKey={mkey} mapping={mapping} issues={rowIssues} onClose={() => setEditing(null)} />
        </div>
      ) : null}
    </li>
  );
}
