// Mappings: modes (add, rename, remove, make current), each mode's and the global mappings on the drawn controller or as a
// list, edited on a draft with an unsaved-changes indicator; Save sends the draft (config.save), issues shown at their fields.
import { useEffect, useMemo, useState } from 'react';
import { FirstRunGuide } from '../components/FirstRunGuide';
import { IssueList, Spinner } from '../components/fields';
import { UndoRedo } from '../components/UndoRedo';
import { saveBlockedReason, useDraftChecks } from '../editors/MappingChecks';
import { ModeColorField, ModeColourDot } from '../editors/ModeColorField';
import { ModeApps } from '../editors/ModeApps';
import { ModeLeds } from '../editors/ModeLeds';
import { lastPressedControl, newMappingFor } from '../editors/new-mapping';
import { useApp, useAppStore } from '../store/context';
import { countChanges, hasUnsavedChanges, locationKey, type MappingScope } from '../store/draft';
import { indexIssues, type IssueIndex } from '../store/issues';
import type { MappingsPane } from '../store/types';
import { ControllerPane } from './ControllerPane';
import { MappingRow } from './MappingCard';

function scopeOf(key: string): MappingScope {
  const m = /^m(\d+)$/.exec(key);
  return m ? { kind: 'mode', modeIndex: Number(m[1]) } : { kind: 'global' };
}

/** "Controller | List": the controller with its inspector, or the list of mapping cards (kept in the URL hash). */
function PaneSwitch({ pane, onChange }: { pane: MappingsPane; onChange: (pane: MappingsPane) => void }) {
  const options: { value: MappingsPane; label: string }[] = [
    { value: 'controller', label: 'Controller' },
    { value: 'list', label: 'List' },
  ];
  return (
    <div className="segmented pane-switch" role="group" aria-label="Show mappings as">
      {options.map((o) => (
        <button key={o.value} type="button" aria-pressed={pane === o.value} className={pane === o.value ? 'is-on' : ''} onClick={() => onChange(o.value)} data-testid={`mappings-pane-${o.value}`}>
          {o.label}
        </button>
      ))}
    </div>
  );
}

function SaveBar() {
  const dirty = useApp((s) => hasUnsavedChanges(s.draft, s.baseline));
  const changes = useApp((s) => (s.draft && s.baseline ? countChanges(s.draft, s.baseline) : 0));
  const saving = useApp((s) => s.saving);
  const save = useApp((s) => s.saveDraft);
  const discard = useApp((s) => s.discardDraft);
  const connected = useApp((s) => s.connection.status === 'connected');
  // A required plugin parameter left empty holds Save back; the mapping's card says which.
  const blocked = saveBlockedReason(useDraftChecks());
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
        e.preventDefault();
        if (dirty && !saving && connected && blocked === null) void save();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [dirty, saving, connected, blocked, save]);
  return (
    <div className="save-bar" role="region" aria-label="Save">
      <span className={`unsaved ${dirty ? 'is-dirty' : ''}`} data-testid="unsaved-indicator" aria-live="polite">
        {dirty ? `● Unsaved changes${changes > 0 ? ` (${changes})` : ''}` : 'All changes saved'}
      </span>
      <UndoRedo />
      <button type="button" disabled={!dirty || saving} onClick={discard} data-testid="discard-config">
        Discard
      </button>
      {blocked !== null && dirty ? (
        <span className="save-blocked" role="status" data-testid="save-blocked">
          {blocked}
        </span>
      ) : null}
      <button type="button" className="primary" disabled={!dirty || saving || !connected || blocked !== null} onClick={() => void save()} data-testid="save-config" title={blocked ?? 'Save (Ctrl+S)'}>
        {saving ? <Spinner label="Saving" /> : null} Save
      </button>
    </div>
  );
}

function ModePanel({ index, issues }: { index: number; issues: IssueIndex }) {
  const name = useApp((s) => s.draft?.modes[index]?.name ?? '');
  const current = useApp((s) => s.mode);
  const running = useApp((s) => s.modes);
  const rename = useApp((s) => s.renameMode);
  const remove = useApp((s) => s.removeMode);
  const setMode = useApp((s) => s.setMode);
  const settingMode = useApp((s) => s.settingMode);
  const modeCount = useApp((s) => s.draft?.modes.length ?? 0);
  const [text, setText] = useState(name);
  const [shown, setShown] = useState(name);
  if (shown !== name) {
    setShown(name);
    setText(name);
  }
  const commit = () => {
    const t = text.trim();
    if (t && t !== name) rename(index, t);
    else setText(name);
  };
  const modeIssues = issues.byMode.get(index) ?? [];
  const isCurrent = current === name;
  const isRunning = running.includes(name);
  return (
    <div className="mode-panel">
      <div className="field field-inline-wide">
        <label htmlFor={`mode-name-${index}`}>Mode name</label>
        <input
          id={`mode-name-${index}`}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
            if (e.key === 'Escape') setText(name);
          }}
          aria-invalid={modeIssues.length > 0 || undefined}
          data-testid="mode-name"
        />
      </div>
      <ModeColorField index={index} />
      {isCurrent ? (
        <span className="badge badge-ok" data-testid="mode-is-current">
          Current mode
        </span>
      ) : (
        <button type="button" disabled={!isRunning || settingMode} title={isRunning ? 'Make this the current mode' : 'Save first: the running config has no mode with this name'} onClick={() => void setMode(name)} data-testid="mode-make-current">
          {settingMode ? <Spinner label="Switching mode" /> : null} Make current
        </button>
      )}
      <button type="button" className="danger" disabled={modeCount <= 1} title={modeCount <= 1 ? 'A config needs at least one mode' : 'Remove this mode and its mappings (until you Save, Discard brings it back)'} onClick={() => remove(index)} data-testid="mode-remove">
        Remove mode
      </button>
      <ModeApps index={index} />
      <ModeLeds index={index} />
      <IssueList title="Problems with this mode" issues={modeIssues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message))} />
    </div>
  );
}

export function MappingsView() {
  const draft = useApp((s) => s.draft);
  const configState = useApp((s) => s.configState);
  const saveIssues = useApp((s) => s.saveIssues);
  const externalChange = useApp((s) => s.externalChange);
  const selected = useApp((s) => s.selectedScope);
  const select = useApp((s) => s.selectScope);
  const current = useApp((s) => s.mode);
  const addMapping = useApp((s) => s.addMapping);
  const addMode = useApp((s) => s.addMode);
  const discard = useApp((s) => s.discardDraft);
  const loaded = useApp((s) => s.loaded);
  const pane = useApp((s) => s.mappingsPane);
  const setPane = useApp((s) => s.setMappingsPane);
  const issues = useMemo(() => indexIssues(saveIssues), [saveIssues]);
  const checks = useDraftChecks();
  const store = useAppStore();
  /** A new mapping starts from the control last pressed on a controller (else note 36), with a key press to change. */
  const addMappingHere = (scope: MappingScope) => {
    const s = store.getState();
    addMapping(scope, newMappingFor(lastPressedControl([...s.events, ...s.held])));
  };

  if (!draft) {
    return (
      <div className="view">
        <header className="view-header">
          <h1>Mappings</h1>
        </header>
        <p className="empty">{loaded ? 'The configuration could not be loaded.' : <><Spinner label="Loading configuration" /> Loading configuration…</>}</p>
      </div>
    );
  }
  const scope = scopeOf(selected);
  const list = scope.kind === 'global' ? draft.globalMappings : (draft.modes[scope.modeIndex]?.mappings ?? []);
  const scopeHasIssues = (key: string) => [...issues.byMapping.keys()].some((k) => k.startsWith(`${key}:`)) || (key.startsWith('m') && issues.byMode.has(Number(key.slice(1))));
  const tabs = [...draft.modes.map((m, i) => ({ key: `m${i}`, label: m.name || '(unnamed)', current: m.name === current, color: m.color })), { key: 'g', label: 'Global', current: false, color: null }];

  return (
    <div className="view">
      <header className="view-header sticky-header">
        <h1>Mappings</h1>
        <SaveBar />
      </header>
      <FirstRunGuide />
      {externalChange ? (
        <div className="banner banner-warn" role="status">
          config.toml changed on disk while you were editing. Save to overwrite it with your version, or{' '}
          <button type="button" className="link-button" onClick={discard}>
            discard your changes
          </button>{' '}
          to load it.
        </div>
      ) : null}
      {configState && configState.issues.length > 0 ? (
        <IssueList title={`${configState.path} has problems; Conductor keeps running the last good config:`} issues={configState.issues.map((i) => `${i.path ? `${i.path}: ` : ''}${i.message}${i.line !== null ? ` (line ${i.line})` : ''}`)} />
      ) : null}
      <div data-testid="save-issues-other">
        <IssueList title="Not saved — fix these problems:" issues={issues.other.map((i) => `${i.path ? `${i.path}: ` : ''}${i.message}`)} />
      </div>
      {saveIssues.length > 0 && issues.other.length === 0 ? (
        <div className="banner banner-error" role="alert">
          Not saved: {saveIssues.length} problem{saveIssues.length === 1 ? '' : 's'}, marked below at the mappings they belong to.
        </div>
      ) : null}

      <div className="mode-tabs" role="tablist" aria-label="Modes">
        {tabs.map((t) => (
          <button
            key={t.key}
            type="button"
            role="tab"
            aria-selected={selected === t.key}
            className={`tab ${scopeHasIssues(t.key) ? 'tab-issues' : ''}`}
            onClick={() => select(t.key)}
            data-testid={`mode-tab-${t.key}`}
          >
            {t.current ? (
              <span className="current-dot" title="Current mode" aria-label="current mode">
                ●
              </span>
            ) : null}
            <ModeColourDot color={t.color} />
            {t.label}
            {scopeHasIssues(t.key) ? <span className="badge badge-error">!</span> : null}
          </button>
        ))}
        <button type="button" className="tab-add" onClick={() => addMode()} data-testid="mode-add">
          + Add mode
        </button>
        <PaneSwitch pane={pane} onChange={setPane} />
      </div>

      <section className="panel" role="tabpanel" aria-label={scope.kind === 'global' ? 'Global mappings' : `Mode ${draft.modes[scope.modeIndex]?.name ?? ''}`}>
        {scope.kind === 'mode' ? <ModePanel index={scope.modeIndex} issues={issues} /> : <p className="muted">Global mappings work in every mode, after the current mode&rsquo;s own mappings.</p>}
        {pane === 'controller' ? (
          <ControllerPane issues={issues} checks={checks} />
        ) : (
          <>
            {list.length === 0 ? (
              <p className="empty" data-testid="mappings-empty">
                No mappings yet — click <strong>Add mapping</strong>, then <strong>Learn</strong> and press a pad.
              </p>
            ) : (
              <ul className="mapping-list">
                {list.map((m, i) => {
                  const key = locationKey({ scope, index: i });
                  return <MappingRow key={key} mkey={key} mapping={m} index={i} count={list.length} issues={issues} checks={checks} />;
                })}
              </ul>
            )}
            <button type="button" className="primary" onClick={() => addMappingHere(scope)} data-testid="mapping-add">
              Add mapping
            </button>
          </>
        )}
      </section>
    </div>
  );
}
