// Settings: about; Device ([device]: which MIDI input, auto-connect/reconnect) and Timing ([advanced_settings]) edited on
// the draft and saved with the same config.save as mappings; background (pause, close, login); trusted keys and the signature policy; appearance.
import { useEffect, useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { DEFAULT_TIMING, type AppConfig } from '../../src-shared/config';
import { FieldShell, IssueList, Spinner, TextField, CheckboxField, SelectField, describedBy } from '../components/fields';
import { useApp } from '../store/context';
import {
  deviceNameProblem,
  deviceSelection,
  FIRST_INPUT,
  inputChoices,
  NAME_CONTAINS,
  nameForSelection,
  otherSectionIssues,
  revertSettings,
  settingsChanges,
  settingsIssues,
  TIMING_FIELDS,
  timingBoundsText,
  timingProblem,
  withDefaultTiming,
  withDevice,
  withTiming,
  parseMs,
  type SettingsIssues,
  type TimingField,
  type TimingKey,
} from './settings-form';
import { TrustedKeysPanel } from './TrustedKeys';
import { BackgroundPanel } from './BackgroundPanel';
import { LedPanel } from './LedPanel';

/** What the user typed that is not (yet) in the draft because it cannot be saved. */
interface LocalEdits {
  /** Timing fields whose text is invalid (valid text goes straight into the draft). */
  timing: Partial<Record<TimingKey, string>>;
  /** "Name contains…" is chosen (also while its text is still blank). */
  contains: boolean;
  /** The "name contains" text while it is blank (else the draft's name is shown). */
  name: string | null;
}
const NO_EDITS: LocalEdits = { timing: {}, contains: false, name: null };

function hasInvalid(edits: LocalEdits): boolean {
  const timingBad = TIMING_FIELDS.some((f) => edits.timing[f.key] !== undefined && timingProblem(f, edits.timing[f.key] ?? '') !== null);
  return timingBad || (edits.contains && edits.name !== null && deviceNameProblem(edits.name) !== null);
}

function AboutPanel() {
  const info = useApp((s) => s.appInfo);
  return (
    <section className="panel">
      <h2>About</h2>
      {info ? (
        <dl className="plugin-facts">
          <dt>Version</dt>
          <dd>{info.version}</dd>
          <dt>Running as</dt>
          <dd>{info.shell === 'electron' ? 'Desktop app' : 'Browser mode'} on {info.platform}</dd>
          <dt>Config file</dt>
          <dd>
            <code>{info.configPath}</code>
          </dd>
          <dt>Plugins folder</dt>
          <dd>
            <code>{info.pluginsDir}</code>
          </dd>
        </dl>
      ) : (
        <p className="muted">Not connected.</p>
      )}
    </section>
  );
}

/** Unsaved-changes state, Revert and Save for Device and Timing (Save writes the whole draft, like the Mappings view's). */
function SettingsSaveBar({ edits, onRevert }: { edits: LocalEdits; onRevert: () => void }) {
  const changes = useApp(useShallow((s) => settingsChanges(s.draft, s.baseline)));
  const saving = useApp((s) => s.saving);
  const save = useApp((s) => s.saveDraft);
  const connected = useApp((s) => s.connection.status === 'connected');
  const invalid = hasInvalid(edits);
  const ours = changes.device || changes.timing || changes.led;
  const dirty = ours || changes.elsewhere;
  const canSave = dirty && !saving && connected && !invalid;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
        e.preventDefault();
        if (canSave) void save();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [canSave, save]);
  const parts = [changes.device ? 'Device' : null, changes.timing ? 'Timing' : null, changes.led ? 'LED feedback' : null].filter((p): p is string => p !== null);
  const what = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : parts.join('');
  const status = invalid
    ? 'Fix the marked values to save'
    : ours
      ? `● Unsaved changes: ${what}${changes.elsewhere ? ' (and mappings)' : ''}`
      : changes.elsewhere
        ? '● Unsaved mapping changes'
        : 'All changes saved';
  return (
    <div className="save-bar" role="region" aria-label="Save device and timing">
      <span className={`unsaved ${dirty || invalid ? 'is-dirty' : ''}`} data-testid="settings-unsaved" data-dirty={ours || invalid || undefined} aria-live="polite">
        {status}
      </span>
      <button type="button" disabled={(!ours && !invalid) || saving} onClick={onRevert} data-testid="settings-revert" title="Undo the unsaved Device and Timing changes">
        Revert
      </button>
      <button
        type="button"
        className="primary"
        disabled={!canSave}
        onClick={() => void save()}
        data-testid="settings-save-config"
        title={changes.elsewhere ? 'Save (Ctrl+S) — also saves the unsaved mapping changes' : 'Save (Ctrl+S)'}
      >
        {saving ? <Spinner label="Saving" /> : null} Save
      </button>
    </div>
  );
}

function DevicePanel({ edits, setEdits, issues, fileIssues }: { edits: LocalEdits; setEdits: (e: LocalEdits) => void; issues: SettingsIssues; fileIssues: SettingsIssues }) {
  const device = useApp((s) => s.draft?.device ?? null);
  const devices = useApp((s) => s.devices);
  const midiStatus = useApp((s) => s.midiStatus);
  const editDraft = useApp((s) => s.editDraft);
  if (!device) return null;
  const choices = inputChoices(devices);
  const selected = edits.contains ? NAME_CONTAINS : deviceSelection(device.name, choices);
  const nameText = edits.name ?? device.name ?? '';
  const nameProblem = selected === NAME_CONTAINS ? deviceNameProblem(nameText) : null;
  const at = (key: string) => issues.device[key] ?? [];
  const options = [
    { value: FIRST_INPUT, label: 'First hardware input' },
    ...choices.map((c) => ({ value: c.value, label: c.label })),
    { value: NAME_CONTAINS, label: 'Name contains…' },
  ];
  const choose = (value: string) => {
    const name = nameForSelection(value, choices);
    if (name === undefined) {
      // "Name contains…": start from the current name (blank when it was "first hardware input").
      setEdits({ ...edits, contains: true, name: device.name === null ? '' : null });
      return;
    }
    setEdits({ ...edits, contains: false, name: null });
    editDraft((c) => withDevice(c, { name }));
  };
  const typeName = (text: string) => {
    if (deviceNameProblem(text) !== null) {
      setEdits({ ...edits, contains: true, name: text });
      return;
    }
    setEdits({ ...edits, contains: true, name: null });
    editDraft((c) => withDevice(c, { name: text }));
  };
  const sectionProblems = [...otherSectionIssues(issues.device, ['name', 'auto_connect', 'auto_reconnect'])];
  const onDisk = otherSectionIssues(fileIssues.device, []);
  return (
    <section className="panel settings-form" data-testid="settings-device" aria-labelledby="settings-device-title">
      <h2 id="settings-device-title">Device</h2>
      <p className="muted">
        The MIDI input Conductor listens to (<code>[device]</code> in config.toml). The virtual controller is always connected as well.
      </p>
      {midiStatus && !midiStatus.available ? (
        <p className="muted" data-testid="device-midi-unavailable">
          No inputs can be listed right now (the status bar&rsquo;s MIDI item says why); you can still choose one by name.
        </p>
      ) : null}
      <div className="field-grid">
        <SelectField
          label="MIDI input"
          value={selected}
          options={options}
          onChange={choose}
          testId="device-input"
          hint={choices.length === 0 ? 'No hardware inputs are connected right now.' : `${choices.length} hardware input${choices.length === 1 ? '' : 's'} found.`}
        />
        {selected === NAME_CONTAINS ? (
          <TextField
            label="Name contains"
            value={nameText}
            onChange={typeName}
            placeholder="e.g. Maschine"
            testId="device-name"
            required
            hint="Any input whose name contains this, in any case."
            issues={[...(nameProblem ? [nameProblem] : []), ...at('name')]}
          />
        ) : null}
      </div>
      <div className="settings-checks">
        <CheckboxField
          label="Connect automatically"
          checked={device.autoConnect}
          onChange={(v) => editDraft((c) => withDevice(c, { autoConnect: v }))}
          testId="device-auto-connect"
          hint="Connect to this input when Conductor starts, or as soon as it is plugged in."
          issues={at('auto_connect')}
        />
        <CheckboxField
          label="Reconnect automatically"
          checked={device.autoReconnect}
          onChange={(v) => editDraft((c) => withDevice(c, { autoReconnect: v }))}
          testId="device-auto-reconnect"
          hint="Connect again when the input comes back after being unplugged."
          issues={at('auto_reconnect')}
        />
      </div>
      {device.port !== null ? (
        <p className="muted" data-testid="device-port-note">
          config.toml also picks port {device.port} among inputs with this name (<code>port</code>); it is kept.
        </p>
      ) : null}
      <div data-testid="device-issues">
        <IssueList title="Not saved — problems in [device]:" issues={sectionProblems} />
        <IssueList title="config.toml has problems in [device]; Conductor keeps the last good values:" issues={onDisk} />
      </div>
    </section>
  );
}

function TimingInput({ field, value, text, issues, onChange }: { field: TimingField; value: number; text: string | undefined; issues: readonly string[]; onChange: (text: string) => void }) {
  const id = useId();
  const shown = text ?? String(value);
  const local = text === undefined ? null : timingProblem(field, text);
  const hint = timingBoundsText(field);
  const bad = local !== null || issues.length > 0;
  return (
    <FieldShell id={id} label={field.label} hint={hint} issues={issues} local={local} required>
      <div className="input-with-suffix">
        <input
          id={id}
          type="text"
          inputMode="numeric"
          value={shown}
          placeholder={String(DEFAULT_TIMING[field.key])}
          aria-invalid={bad || undefined}
          aria-describedby={describedBy(id, hint, bad)}
          data-testid={`timing-${field.toml}`}
          onChange={(e) => onChange(e.target.value)}
        />
        <span className="suffix">ms</span>
      </div>
      <div className="field-hint">{field.hint}</div>
    </FieldShell>
  );
}

function TimingPanel({ edits, setEdits, issues, fileIssues }: { edits: LocalEdits; setEdits: (e: LocalEdits) => void; issues: SettingsIssues; fileIssues: SettingsIssues }) {
  const timing = useApp((s) => s.draft?.timing ?? null);
  const editDraft = useApp((s) => s.editDraft);
  if (!timing) return null;
  const change = (field: TimingField, text: string) => {
    const n = parseMs(text);
    const rest = { ...edits.timing };
    delete rest[field.key];
    if (n === null || timingProblem(field, text) !== null) {
      setEdits({ ...edits, timing: { ...rest, [field.key]: text } });
      return;
    }
    setEdits({ ...edits, timing: rest });
    editDraft((c) => withTiming(c, field.key, n));
  };
  const atDefaults = TIMING_FIELDS.every((f) => timing[f.key] === DEFAULT_TIMING[f.key]) && Object.keys(edits.timing).length === 0;
  const reset = () => {
    setEdits({ ...edits, timing: {} });
    editDraft(withDefaultTiming);
  };
  const sectionProblems = otherSectionIssues(issues.timing, TIMING_FIELDS.map((f) => f.toml));
  const onDisk = otherSectionIssues(fileIssues.timing, []);
  return (
    <section className="panel settings-form" data-testid="settings-timing" aria-labelledby="settings-timing-title">
      <h2 id="settings-timing-title">Timing</h2>
      <p className="muted">
        The defaults of the timing triggers (<code>[advanced_settings]</code> in config.toml); a mapping that sets its own time keeps it.
      </p>
      <div className="field-grid">
        {TIMING_FIELDS.map((f) => (
          <TimingInput key={f.key} field={f} value={timing[f.key]} text={edits.timing[f.key]} issues={issues.timing[f.toml] ?? []} onChange={(t) => change(f, t)} />
        ))}
      </div>
      <div className="toolbar settings-actions">
        <button type="button" disabled={atDefaults} onClick={reset} data-testid="timing-reset">
          Reset to defaults
        </button>
        <span className="muted">
          Defaults: hold {DEFAULT_TIMING.holdThresholdMs.toLocaleString('en-US')} ms, double tap {DEFAULT_TIMING.doubleTapTimeoutMs} ms, chord {DEFAULT_TIMING.chordTimeoutMs} ms.
        </span>
      </div>
      <div data-testid="timing-issues">
        <IssueList title="Not saved — problems in [advanced_settings]:" issues={sectionProblems} />
        <IssueList title="config.toml has problems in [advanced_settings]; Conductor keeps the last good values:" issues={onDisk} />
      </div>
    </section>
  );
}

/** A refused save: how many problems, and those outside Device and Timing with a way to them. */
function SaveRefused({ issues, total }: { issues: SettingsIssues; total: number }) {
  const setView = useApp((s) => s.setView);
  if (total === 0) return null;
  return (
    <div className="banner banner-error" role="alert" data-testid="settings-save-refused">
      <strong>
        Not saved: {total} problem{total === 1 ? '' : 's'} in the config.
      </strong>{' '}
      {issues.elsewhere.length > 0 ? (
        <>
          {issues.elsewhere.length === total ? (total === 1 ? 'It is' : 'They are') : `${issues.elsewhere.length} of them ${issues.elsewhere.length === 1 ? 'is' : 'are'}`} outside Device and Timing —{' '}
          <button type="button" className="link-button" onClick={() => setView('mappings')} data-testid="settings-open-mappings">
            open Mappings
          </button>
          :
          <ul>
            {issues.elsewhere.map((i, n) => (
              <li key={n}>
                {i.path ? (
                  <>
                    <code>{i.path}</code>:{' '}
                  </>
                ) : null}
                {i.message}
              </li>
            ))}
          </ul>
        </>
      ) : (
        `${total === 1 ? 'It is' : 'They are'} marked at the fields below.`
      )}
    </div>
  );
}

function DeviceAndTiming({ edits, setEdits }: { edits: LocalEdits; setEdits: (e: LocalEdits) => void }) {
  const draft = useApp((s) => s.draft);
  const saveIssues = useApp((s) => s.saveIssues);
  const fileIssueList = useApp((s) => s.configState?.issues);
  const externalChange = useApp((s) => s.externalChange);
  const discard = useApp((s) => s.discardDraft);
  const loaded = useApp((s) => s.loaded);
  if (!draft) {
    return (
      <section className="panel">
        <h2>Device and Timing</h2>
        <p className="muted">{loaded ? 'The configuration could not be loaded.' : 'Loading configuration…'}</p>
      </section>
    );
  }
  const issues = settingsIssues(saveIssues);
  const fileIssues = settingsIssues(fileIssueList ?? []);
  return (
    <>
      {externalChange ? (
        <div className="banner banner-warn" role="status">
          config.toml changed on disk while you were editing. Save to overwrite it with your version, or{' '}
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setEdits(NO_EDITS);
              discard();
            }}
          >
            discard your changes
          </button>{' '}
          to load it.
        </div>
      ) : null}
      <SaveRefused issues={issues} total={saveIssues.length} />
      <DevicePanel edits={edits} setEdits={setEdits} issues={issues} fileIssues={fileIssues} />
      <TimingPanel edits={edits} setEdits={setEdits} issues={issues} fileIssues={fileIssues} />
    </>
  );
}

export function SettingsView() {
  const hasDraft = useApp((s) => s.draft !== null);
  const baseline = useApp((s) => s.baseline);
  const editDraft = useApp((s) => s.editDraft);
  const [edits, setEdits] = useState<LocalEdits>(NO_EDITS);
  const revert = () => {
    setEdits(NO_EDITS);
    if (baseline) editDraft((c: AppConfig) => revertSettings(c, baseline));
  };
  return (
    <div className="view">
      <header className="view-header">
        <h1>Settings</h1>
        {hasDraft ? <SettingsSaveBar edits={edits} onRevert={revert} /> : null}
      </header>
      <AboutPanel />
      <DeviceAndTiming edits={edits} setEdits={setEdits} />
      <LedPanel />
      <BackgroundPanel />
      <TrustedKeysPanel />
      <section className="panel">
        <h2>Appearance</h2>
        <p className="muted">Light, dark or follow the system: use the theme button at the bottom of the sidebar.</p>
      </section>
    </div>
  );
}
