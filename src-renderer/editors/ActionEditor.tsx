// Action editor for every action type; Sequence and Repeat nest further action editors. Field paths
// ("action.actions[1].command") match issue paths, so a failed save shows each problem at its field.
import type { ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ACTION_TYPES, type Action, type ActionType, type SendMidiMessage } from '../../src-shared/config';
import { ChannelField, CheckboxField, FieldIssues, NoteField, NumberField, SelectField, TextField } from '../components/fields';
import { ACTION_LABELS, describeAction } from '../format';
import { useApp } from '../store/context';
import { defaultAction } from '../store/draft';
import { messagesFor, type FieldIssue } from '../store/issues';
import { AppPicker } from './AppPicker';
import { ConditionEditor } from './ConditionEditor';
import { KeystrokeEditor } from './KeystrokeEditor';
import { SendMidiPortField } from './SendMidiPortField';
import { WasmPluginEditor } from './WasmPluginEditor';

interface Props {
  action: Action;
  onChange: (a: Action) => void;
  issues: readonly FieldIssue[] | undefined;
  /** Field path of this action: "action", "action.actions[0]", "action.action"… */
  prefix: string;
  mappingKey: string;
  depth?: number;
}

const TYPE_OPTIONS = ACTION_TYPES.map((t) => ({ value: t, label: ACTION_LABELS[t] }));
const MIDI_TYPES: readonly SendMidiMessage['type'][] = ['NoteOn', 'NoteOff', 'CC', 'ProgramChange', 'PitchBend', 'Aftertouch'];

function defaultMessage(type: SendMidiMessage['type'], channel: number): SendMidiMessage {
  switch (type) {
    case 'NoteOn':
      return { type, channel, note: 36, velocity: 100 };
    case 'NoteOff':
      return { type, channel, note: 36, velocity: 0 };
    case 'CC':
      return { type, channel, controller: 1, value: 127 };
    case 'ProgramChange':
      return { type, channel, program: 0 };
    case 'PitchBend':
      return { type, channel, value: 8192 };
    case 'Aftertouch':
      return { type, channel, pressure: 64 };
  }
}

function without<T extends object>(o: T, key: keyof T): T {
  const copy = { ...o };
  delete copy[key];
  return copy;
}

type ModeChangeKind = 'name' | 'next' | 'previous' | 'relative' | 'index';

function modeChangeKind(a: Extract<Action, { type: 'ModeChange' }>): ModeChangeKind {
  if (a.relative === true) return Number(a.mode) === 1 ? 'next' : Number(a.mode) === -1 ? 'previous' : 'relative';
  return typeof a.mode === 'number' ? 'index' : 'name';
}

function ModeChangeEditor({ action, onChange, at }: { action: Extract<Action, { type: 'ModeChange' }>; onChange: (a: Action) => void; at: (f: string) => string[] }) {
  const modeNames = useApp(useShallow((s) => s.draft?.modes.map((m) => m.name) ?? []));
  const kind = modeChangeKind(action);
  return (
    <div className="field-grid">
      <SelectField<ModeChangeKind>
        label="Switch to"
        value={kind}
        issues={at('relative')}
        options={[
          { value: 'name', label: 'A mode by name' },
          { value: 'next', label: 'The next mode' },
          { value: 'previous', label: 'The previous mode' },
          { value: 'relative', label: 'N modes forward/back' },
          { value: 'index', label: 'A mode by position' },
        ]}
        onChange={(k) => {
          if (k === 'name') onChange({ type: 'ModeChange', mode: modeNames[0] ?? '' });
          else if (k === 'next') onChange({ type: 'ModeChange', mode: 1, relative: true });
          else if (k === 'previous') onChange({ type: 'ModeChange', mode: -1, relative: true });
          else if (k === 'relative') onChange({ type: 'ModeChange', mode: 2, relative: true });
          else onChange({ type: 'ModeChange', mode: 0 });
        }}
        testId="mode-change-kind"
      />
      {kind === 'name' ? (
        <SelectField
          label="Mode"
          value={String(action.mode)}
          issues={at('mode')}
          options={[...(modeNames.includes(String(action.mode)) ? [] : [{ value: String(action.mode), label: `(missing) ${String(action.mode)}` }]), ...modeNames.map((n) => ({ value: n, label: n }))]}
          onChange={(v) => onChange({ type: 'ModeChange', mode: v })}
          testId="mode-change-mode"
        />
      ) : kind === 'relative' ? (
        <NumberField label="Steps (negative = back)" value={Number(action.mode)} issues={at('mode')} onChange={(v) => v !== undefined && onChange({ type: 'ModeChange', mode: v, relative: true })} />
      ) : kind === 'index' ? (
        <NumberField label="Position (1 = first mode)" min={1} max={Math.max(1, modeNames.length)} value={Number(action.mode) + 1} issues={at('mode')} onChange={(v) => v !== undefined && onChange({ type: 'ModeChange', mode: v - 1 })} />
      ) : null}
    </div>
  );
}

function SendMidiEditor({ action, onChange, at }: { action: Extract<Action, { type: 'SendMidi' }>; onChange: (a: Action) => void; at: (f: string) => string[] }) {
  const m = action.message;
  const setMsg = (message: SendMidiMessage) => onChange({ ...action, message });
  return (
    <div className="field-grid">
      <SendMidiPortField port={action.port} issues={at('port')} onChange={(port) => onChange({ ...action, port })} />
      <SelectField label="Message" value={m.type} issues={at('messageType')} options={MIDI_TYPES.map((t) => ({ value: t, label: t }))} onChange={(t) => setMsg(defaultMessage(t, m.channel))} testId="send-midi-type" />
      <ChannelField label="Channel" required value={m.channel} issues={at('channel')} onChange={(c) => setMsg({ ...m, channel: c ?? 0 })} />
      {m.type === 'NoteOn' || m.type === 'NoteOff' ? (
        <>
          <NoteField label="Note" value={m.note} issues={at('note')} onChange={(v) => v !== undefined && setMsg({ ...m, note: v })} />
          <NumberField label="Velocity" min={0} max={127} value={m.velocity} issues={at('velocity')} onChange={(v) => v !== undefined && setMsg({ ...m, velocity: v })} />
        </>
      ) : null}
      {m.type === 'CC' ? (
        <>
          <NumberField label="Controller" min={0} max={127} value={m.controller} issues={at('controller')} onChange={(v) => v !== undefined && setMsg({ ...m, controller: v })} />
          <NumberField label="Value" min={0} max={127} value={m.value} issues={at('value')} onChange={(v) => v !== undefined && setMsg({ ...m, value: v })} />
        </>
      ) : null}
      {m.type === 'ProgramChange' ? <NumberField label="Program" min={0} max={127} value={m.program} issues={at('program')} onChange={(v) => v !== undefined && setMsg({ ...m, program: v })} /> : null}
      {m.type === 'PitchBend' ? <NumberField label="Value" min={0} max={16383} hint="8192 = centre" value={m.value} issues={at('value')} onChange={(v) => v !== undefined && setMsg({ ...m, value: v })} /> : null}
      {m.type === 'Aftertouch' ? <NumberField label="Pressure" min={0} max={127} value={m.pressure} issues={at('pressure')} onChange={(v) => v !== undefined && setMsg({ ...m, pressure: v })} /> : null}
    </div>
  );
}

function SequenceEditor({ action, onChange, issues, prefix, mappingKey, depth }: Props & { action: Extract<Action, { type: 'Sequence' }>; depth: number }) {
  const setAt = (i: number, a: Action) => onChange({ ...action, actions: action.actions.map((x, j) => (j === i ? a : x)) });
  const move = (i: number, d: -1 | 1) => {
    const to = i + d;
    if (to < 0 || to >= action.actions.length) return;
    const next = action.actions.slice();
    const [x] = next.splice(i, 1);
    if (x) next.splice(to, 0, x);
    onChange({ ...action, actions: next });
  };
  const general = messagesFor(issues, `${prefix}.actions`);
  return (
    <div className="sequence">
      <FieldIssues issues={general} />
      <ol className="step-list">
        {action.actions.map((a, i) => (
          <li key={i} className="step">
            <div className="step-header">
              <span>
                Step {i + 1}: <span className="muted">{describeAction(a)}</span>
              </span>
              <span className="row">
                <button type="button" className="small-button" disabled={i === 0} onClick={() => move(i, -1)} aria-label={`Move step ${i + 1} up`}>
                  ↑
                </button>
                <button type="button" className="small-button" disabled={i === action.actions.length - 1} onClick={() => move(i, 1)} aria-label={`Move step ${i + 1} down`}>
                  ↓
                </button>
                <button type="button" className="small-button danger" disabled={action.actions.length <= 1} onClick={() => onChange({ ...action, actions: action.actions.filter((_, j) => j !== i) })} aria-label={`Remove step ${i + 1}`}>
                  Remove
                </button>
              </span>
            </div>
            <ActionEditor action={a} onChange={(x) => setAt(i, x)} issues={issues} prefix={`${prefix}.actions[${i}]`} mappingKey={mappingKey} depth={depth + 1} />
          </li>
        ))}
      </ol>
      <button type="button" onClick={() => onChange({ ...action, actions: [...action.actions, { type: 'Delay', ms: 100 }] })} data-testid="sequence-add-step">
        Add step
      </button>
    </div>
  );
}

export function ActionEditor({ action, onChange, issues, prefix, mappingKey, depth = 0 }: Props) {
  const modeNames = useApp(useShallow((s) => s.draft?.modes.map((m) => m.name) ?? []));
  const at = (f: string) => messagesFor(issues, `${prefix}.${f}`);
  const a = action;
  let body: ReactNode = null;
  switch (a.type) {
    case 'WasmPlugin':
      body = <WasmPluginEditor action={a} onChange={onChange} issues={issues} prefix={prefix} testKey={`${mappingKey}|${prefix}`} />;
      break;
    case 'ModeChange':
      body = <ModeChangeEditor action={a} onChange={onChange} at={at} />;
      break;
    case 'SendMidi':
      body = <SendMidiEditor action={a} onChange={onChange} at={at} />;
      break;
    case 'Sequence':
      body = <SequenceEditor action={a} onChange={onChange} issues={issues} prefix={prefix} mappingKey={mappingKey} depth={depth} />;
      break;
    case 'Delay':
      body = (
        <div className="field-grid">
          <NumberField label="Wait (ms)" min={0} max={600000} value={a.ms} issues={at('ms')} onChange={(v) => v !== undefined && onChange({ ...a, ms: v })} testId="delay-ms" />
        </div>
      );
      break;
    case 'Repeat':
      body = (
        <>
          <div className="field-grid">
            <NumberField label="Times" min={1} max={1000} value={a.count} issues={at('count')} onChange={(v) => v !== undefined && onChange({ ...a, count: v })} testId="repeat-count" />
            <NumberField label="Pause between (ms)" optional min={0} max={600000} value={a.delayBetweenMs} placeholder="0" issues={at('delayBetweenMs')} onChange={(v) => onChange(v === undefined ? without(a, 'delayBetweenMs') : { ...a, delayBetweenMs: v })} />
          </div>
          <div className="nested-action">
            <ActionEditor action={a.action} onChange={(x) => onChange({ ...a, action: x })} issues={issues} prefix={`${prefix}.action`} mappingKey={mappingKey} depth={depth + 1} />
          </div>
        </>
      );
      break;
    case 'Shell':
      body = (
        <div className="field-grid">
          <TextField label="Command" required value={a.command} issues={at('command')} hint={a.shell ? 'Runs in your shell' : 'Runs without a shell (split into words); tick "In a shell" for pipes and variables'} onChange={(command) => onChange({ ...a, command })} testId="shell-command" />
          <CheckboxField label="In a shell" checked={a.shell === true} issues={at('shell')} onChange={(v) => onChange(v ? { ...a, shell: true } : without(a, 'shell'))} />
          <NumberField label="Timeout (ms)" optional min={1} max={3600000} value={a.timeoutMs} placeholder="30000" issues={at('timeoutMs')} onChange={(v) => onChange(v === undefined ? without(a, 'timeoutMs') : { ...a, timeoutMs: v })} />
        </div>
      );
      break;
    case 'Launch':
      body = (
        <div className="field-grid">
          <TextField label="App" required value={a.app} issues={at('app')} hint="Program name or path" onChange={(app) => onChange({ ...a, app })} testId="launch-app" />
          <AppPicker onPick={(app) => onChange(app.args.length > 0 ? { ...a, app: app.launch, args: app.args } : without({ ...a, app: app.launch }, 'args'))} />
          <TextField
            label="Arguments"
            multiline
            value={(a.args ?? []).join('\n')}
            issues={at('args')}
            hint="One per line"
            onChange={(t) => {
              const args = t.split('\n');
              onChange(t === '' ? without(a, 'args') : { ...a, args });
            }}
          />
        </div>
      );
      break;
    case 'Keystroke':
      body = <KeystrokeEditor action={a} onChange={onChange} at={at} />;
      break;
    case 'Text':
      body = (
        <div className="field-grid">
          <TextField label="Text to type" required multiline value={a.text} issues={at('text')} onChange={(text) => onChange({ ...a, text })} testId="text-text" />
        </div>
      );
      break;
    case 'VolumeControl':
      body = (
        <div className="field-grid">
          <SelectField<'Up' | 'Down' | 'Mute' | 'Unmute' | 'Set'>
            label="Volume"
            value={a.operation}
            issues={at('operation')}
            options={[
              { value: 'Up', label: 'Up' },
              { value: 'Down', label: 'Down' },
              { value: 'Mute', label: 'Mute' },
              { value: 'Unmute', label: 'Unmute' },
              { value: 'Set', label: 'Set to' },
            ]}
            onChange={(operation) => onChange(operation === 'Mute' || operation === 'Unmute' ? without({ ...a, operation }, 'value') : operation === 'Set' ? { ...a, operation, value: a.value ?? 50 } : { ...a, operation })}
            testId="volume-operation"
          />
          {a.operation === 'Mute' || a.operation === 'Unmute' ? null : (
            <NumberField
              label={a.operation === 'Set' ? 'Level (%)' : 'Step (%)'}
              optional={a.operation !== 'Set'}
              min={a.operation === 'Set' ? 0 : 1}
              max={100}
              value={a.value}
              placeholder="5"
              issues={at('value')}
              onChange={(v) => onChange(v === undefined ? without(a, 'value') : { ...a, value: v })}
              testId="volume-value"
            />
          )}
        </div>
      );
      break;
    case 'MouseClick':
      body = (
        <div className="field-grid">
          <SelectField<'left' | 'right' | 'middle'>
            label="Button"
            value={a.button}
            issues={at('button')}
            options={[
              { value: 'left', label: 'Left' },
              { value: 'right', label: 'Right' },
              { value: 'middle', label: 'Middle' },
            ]}
            onChange={(button) => onChange({ ...a, button })}
            testId="mouse-button"
          />
          <NumberField label="X" optional min={0} max={100000} value={a.x} placeholder="pointer" issues={at('x')} onChange={(x) => onChange(x === undefined ? without(without(a, 'x'), 'y') : { ...a, x, y: a.y ?? 0 })} />
          <NumberField label="Y" optional min={0} max={100000} value={a.y} placeholder="pointer" issues={at('y')} onChange={(y) => onChange(y === undefined ? without(without(a, 'x'), 'y') : { ...a, y, x: a.x ?? 0 })} />
        </div>
      );
      break;
    case 'Conditional':
      body = (
        <>
          <ConditionEditor condition={a.condition} onChange={(condition) => onChange({ ...a, condition })} issues={issues} prefix={`${prefix}.condition`} modeNames={modeNames} />
          <div className="nested-action" data-testid="conditional-then">
            <strong>Then</strong>
            <ActionEditor action={a.thenAction} onChange={(x) => onChange({ ...a, thenAction: x })} issues={issues} prefix={`${prefix}.thenAction`} mappingKey={mappingKey} depth={depth + 1} />
          </div>
          <CheckboxField label="Otherwise, another action" checked={a.elseAction !== undefined} onChange={(on) => onChange(on ? { ...a, elseAction: { type: 'Text', text: '' } } : without(a, 'elseAction'))} />
          {a.elseAction ? (
            <div className="nested-action" data-testid="conditional-else">
              <strong>Otherwise</strong>
              <ActionEditor action={a.elseAction} onChange={(x) => onChange({ ...a, elseAction: x })} issues={issues} prefix={`${prefix}.elseAction`} mappingKey={mappingKey} depth={depth + 1} />
            </div>
          ) : null}
        </>
      );
      break;
  }
  const general = messagesFor(issues, prefix);
  const Wrapper = depth === 0 ? 'fieldset' : 'div';
  return (
    <Wrapper className={depth === 0 ? 'editor-group' : 'nested-editor'} data-testid={depth === 0 ? 'action-editor' : undefined}>
      {depth === 0 ? <legend>Action</legend> : null}
      <FieldIssues issues={general} />
      <div className="field-grid">
        <SelectField<ActionType>
          label={depth === 0 ? 'Type' : 'Action type'}
          value={a.type}
          options={TYPE_OPTIONS}
          issues={at('type')}
          onChange={(type) => onChange(defaultAction(type, modeNames))}
          testId={depth === 0 ? 'action-type' : undefined}
        />
      </div>
      {body}
    </Wrapper>
  );
}
