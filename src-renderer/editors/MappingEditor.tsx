// One mapping's editor (description, trigger with MIDI-learn, action), editing the draft in place.
// Issues of a failed save appear at their fields; those without a field are listed at the top.
import { useEffect, useMemo, useRef } from 'react';
import type { Action, Mapping } from '../../src-shared/config';
import { IssueList, TextField } from '../components/fields';
import { useApp } from '../store/context';
import { editorFields, messagesFor, type FieldIssue } from '../store/issues';
import { ActionEditor } from './ActionEditor';
import { pluginActionOf } from './plugin-params';
import { TriggerEditor } from './TriggerEditor';

interface Props {
  mappingKey: string;
  mapping: Mapping;
  issues: readonly FieldIssue[] | undefined;
  onClose: () => void;
}

export function MappingEditor({ mappingKey, mapping, issues, onClose }: Props) {
  const update = useApp((s) => s.updateMapping);
  const timing = useApp((s) => s.draft?.timing);
  const plugins = useApp((s) => s.plugins);
  const shown = useMemo(
    () =>
      editorFields(mapping, (a) => ['action', ...(pluginActionOf(plugins, a)?.parameters.map((x) => x.name) ?? [])]),
    [mapping, plugins],
  );
  const unplaced = (issues ?? []).filter((i) => !shown.has(i.field)).map((i) => (i.field ? `${i.field}: ${i.message}` : i.message));
  const ref = useRef<HTMLDivElement>(null);
  const focusRequest = useApp((s) => (s.focusRequest?.key === mappingKey ? s.focusRequest : null));
  const clearFocusRequest = useApp((s) => s.clearFocusRequest);
  // Sent here by a problem's link (status bar): show the field that has the problem — the first one marked invalid —
  // else the editor's first field.
  useEffect(() => {
    const root = ref.current;
    if (!focusRequest || !root) return;
    const target = root.querySelector<HTMLElement>('[aria-invalid="true"]') ?? root.querySelector<HTMLElement>('input, select, textarea, button');
    target?.scrollIntoView({ block: 'center' });
    target?.focus({ preventScroll: true });
    clearFocusRequest();
  }, [focusRequest, clearFocusRequest]);
  return (
    <div ref={ref} className="mapping-editor" data-testid="mapping-editor" data-mapping-key={mappingKey} role="group" aria-label={`Edit mapping ${mapping.description || ''}`.trim()}>
      <IssueList title="Problems with this mapping" issues={unplaced} />
      <TextField
        label="Description"
        value={mapping.description}
        placeholder="What this pad does, e.g. Play / pause"
        issues={messagesFor(issues, 'description')}
        onChange={(description) => update(mappingKey, (m) => ({ ...m, description }))}
        testId="mapping-description"
      />
      <TriggerEditor mappingKey={mappingKey} trigger={mapping.trigger} issues={issues} timing={timing} onChange={(trigger) => update(mappingKey, (m) => ({ ...m, trigger }))} />
      <ActionEditor action={mapping.action} prefix="action" mappingKey={mappingKey} issues={issues} onChange={(action: Action) => update(mappingKey, (m) => ({ ...m, action }))} />
      <div className="row">
        <button type="button" onClick={onClose} data-testid="mapping-done">
          Done
        </button>
        <span className="muted small">Changes are kept in the draft until you Save.</span>
      </div>
    </div>
  );
}
