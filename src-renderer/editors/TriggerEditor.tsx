// Trigger editor: the trigger type and its fields, with MIDI-learn (10 s countdown, Cancel, the learned trigger
// in words, "make it a velocity range"). Edits go to the draft through onChange.
import { useEffect, useState, type ReactNode } from 'react';
import { DEFAULT_TRIGGER_THRESHOLD, GAMEPAD_AXES, GAMEPAD_BUTTONS, GAMEPAD_TRIGGERS, gamepadButtonName } from '../../src-shared/gamepad';
import { DEFAULT_TIMING, TRIGGER_TYPES, VELOCITY_LEVELS, type TimingConfig, type Trigger, type TriggerType, type VelocityLevel } from '../../src-shared/config';
import { ChannelField, FieldIssues, NoteField, NumberField, NumberListField, SelectField, Spinner } from '../components/fields';
import { TRIGGER_LABELS } from '../format';
import { useApp } from '../store/context';
import { defaultTrigger, levelOfVelocity, normaliseVelocityRange, toVelocityRange } from '../store/draft';
import { messagesFor, type FieldIssue } from '../store/issues';
import { useControlName } from './shown-layout';

interface Props {
  mappingKey: string;
  trigger: Trigger;
  onChange: (t: Trigger) => void;
  issues: readonly FieldIssue[] | undefined;
  timing?: TimingConfig;
}

function Countdown({ deadline }: { deadline: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 200);
    return () => clearInterval(t);
  }, []);
  const left = Math.max(0, Math.ceil((deadline - now) / 1000));
  return (
    <span className="countdown" data-testid="learn-countdown" aria-live="off">
      {left} s
    </span>
  );
}

function LearnPanel({ mappingKey, trigger, onChange }: Pick<Props, 'mappingKey' | 'trigger' | 'onChange'>) {
  const learn = useApp((s) => s.learn);
  const start = useApp((s) => s.startLearn);
  const cancel = useApp((s) => s.cancelLearn);
  const connected = useApp((s) => s.connection.status === 'connected');
  const mine = learn.target === mappingKey;
  const active = mine && (learn.phase === 'starting' || learn.phase === 'listening');
  const otherActive = !mine && (learn.phase === 'starting' || learn.phase === 'listening');
  const velocity = mine && learn.phase === 'learned' ? learn.result?.velocity ?? null : null;
  const level: VelocityLevel | null = velocity === null ? null : levelOfVelocity(velocity);
  // The learned control by the drawn layout's name ("Pad 5"), as the controller and the cards name it.
  const learnedControl = useControlName(mine && learn.result ? learn.result.trigger : trigger);
  return (
    <div className="learn" aria-live="polite">
      {active ? (
        <div className="learn-active" data-testid="learn-active">
          {learn.phase === 'starting' ? <Spinner label="Starting learn" /> : <span className="pulse" aria-hidden="true" />}
          <span>Press a pad, key or knob on your controller (or the virtual one)…</span>
          {learn.deadline !== null ? <Countdown deadline={learn.deadline} /> : null}
          <button type="button" onClick={() => void cancel()} data-testid="learn-cancel">
            Cancel
          </button>
        </div>
      ) : (
        <button type="button" className="primary" disabled={!connected || otherActive} onClick={() => void start(mappingKey)} data-testid="learn-button" title="Listen for 10 seconds and fill the trigger from what you press">
          Learn
        </button>
      )}
      {mine && learn.phase === 'learned' && learn.result ? (
        <div className="learn-result" data-testid="learn-result">
          Learned: {learnedControl ? <strong data-testid="learn-result-control">{learnedControl} · </strong> : null}
          <strong>{learn.result.description}</strong>
          {velocity !== null ? <span className="muted"> · velocity {velocity}</span> : null}
          {velocity !== null && level !== null && trigger.type === 'Note' ? (
            <button type="button" onClick={() => onChange(toVelocityRange(trigger, velocity))} data-testid="learn-make-velocity-range">
              Make it a velocity range ({level}: {VELOCITY_LEVELS[level][0]}–{VELOCITY_LEVELS[level][1]})
            </button>
          ) : null}
        </div>
      ) : null}
      {mine && (learn.phase === 'cancelled' || learn.phase === 'error') && learn.message ? (
        <div className="muted" data-testid="learn-message">
          Learn stopped: {learn.message}
        </div>
      ) : null}
    </div>
  );
}

const TYPE_OPTIONS = TRIGGER_TYPES.map((t) => ({ value: t, label: TRIGGER_LABELS[t] }));

type Direction = 'Clockwise' | 'CounterClockwise';

/** An encoder's or a stick's direction: Clockwise, CounterClockwise, or (absent) either way, in `words`. */
function DirectionField({ value, words, issues, onChange }: { value: Direction | undefined; words: [string, string]; issues: string[]; onChange: (d: Direction | undefined) => void }) {
  return (
    <SelectField
      label="Direction"
      value={value ?? 'either'}
      issues={issues}
      options={[
        { value: 'either', label: 'Either way' },
        { value: 'Clockwise', label: words[0] },
        { value: 'CounterClockwise', label: words[1] },
      ]}
      onChange={(v) => onChange(v === 'either' ? undefined : v)}
    />
  );
}

/** Conductor's named buttons (128–144), plus the given id when it is another one (a HOTAS's extra buttons). */
function gamepadButtonOptions(current: number): { value: string; label: string }[] {
  const named = Object.keys(GAMEPAD_BUTTONS).map(Number);
  const ids = named.includes(current) ? named : [...named, current];
  return ids.map((id) => ({ value: String(id), label: `${gamepadButtonName(id)} (${id})` }));
}

export function TriggerEditor({ mappingKey, trigger, onChange, issues, timing = DEFAULT_TIMING }: Props) {
  const at = (f: string) => messagesFor(issues, `trigger.${f}`);
  const set = <T extends Trigger>(t: T, patch: Partial<T>) => {
    const next = { ...t, ...patch } as Trigger;
    for (const [k, v] of Object.entries(patch)) if (v === undefined) delete (next as unknown as Record<string, unknown>)[k];
    onChange(next.type === 'VelocityRange' ? normaliseVelocityRange(next) : next);
  };
  const channel = <T extends Trigger>(t: T) => <ChannelField label="Channel" value={t.channel} issues={at('channel')} onChange={(v) => set<Trigger>(t, { channel: v })} testId="trigger-channel" />;
  let fields: ReactNode;
  const t = trigger;
  switch (t.type) {
    case 'Note':
      fields = (
        <>
          <NoteField label="Note" value={t.note} issues={at('note')} onChange={(v) => v !== undefined && set(t, { note: v })} testId="trigger-note" />
          <NumberField label="Minimum velocity" optional min={0} max={127} value={t.velocityMin} issues={at('velocityMin')} onChange={(v) => set(t, { velocityMin: v })} placeholder="any" hint="Empty = any velocity" />
          {channel(t)}
        </>
      );
      break;
    case 'VelocityRange':
      fields = (
        <>
          <NoteField label="Note" value={t.note} issues={at('note')} onChange={(v) => v !== undefined && set(t, { note: v })} testId="trigger-note" />
          <SelectField
            label="Level"
            value={t.level ?? 'custom'}
            issues={at('level')}
            options={[
              ...(Object.keys(VELOCITY_LEVELS) as VelocityLevel[]).map((l) => ({ value: l, label: `${l} (${VELOCITY_LEVELS[l][0]}–${VELOCITY_LEVELS[l][1]})` })),
              { value: 'custom', label: 'custom range' },
            ]}
            onChange={(v) => {
              if (v === 'custom') set(t, { level: undefined });
              else {
                const l = v as VelocityLevel;
                set(t, { level: l, minVelocity: VELOCITY_LEVELS[l][0], maxVelocity: VELOCITY_LEVELS[l][1] });
              }
            }}
          />
          <NumberField label="Minimum velocity" min={0} max={127} value={t.minVelocity} issues={at('minVelocity')} onChange={(v) => v !== undefined && set(t, { minVelocity: v })} />
          <NumberField label="Maximum velocity" min={0} max={127} value={t.maxVelocity} issues={at('maxVelocity')} onChange={(v) => v !== undefined && set(t, { maxVelocity: v })} />
          {channel(t)}
        </>
      );
      break;
    case 'LongPress':
      fields = (
        <>
          <NoteField label="Note" value={t.note} issues={at('note')} onChange={(v) => v !== undefined && set(t, { note: v })} testId="trigger-note" />
          <NumberField label="Hold for (ms)" optional min={1} max={60000} value={t.minDurationMs} placeholder={String(timing.holdThresholdMs)} hint={`Empty = ${timing.holdThresholdMs} ms (Settings)`} issues={at('minDurationMs')} onChange={(v) => set(t, { minDurationMs: v })} />
          {channel(t)}
        </>
      );
      break;
    case 'DoubleTap':
      fields = (
        <>
          <NoteField label="Note" value={t.note} issues={at('note')} onChange={(v) => v !== undefined && set(t, { note: v })} testId="trigger-note" />
          <NumberField label="Within (ms)" optional min={1} max={5000} value={t.maxIntervalMs} placeholder={String(timing.doubleTapTimeoutMs)} hint={`Empty = ${timing.doubleTapTimeoutMs} ms`} issues={at('maxIntervalMs')} onChange={(v) => set(t, { maxIntervalMs: v })} />
          {channel(t)}
        </>
      );
      break;
    case 'NoteChord':
      fields = (
        <>
          <NumberListField label="Notes" required value={t.notes} min={0} max={127} hint="Note numbers, e.g. 36, 40, 43 (2–16 notes)" issues={at('notes')} onChange={(v) => set(t, { notes: v })} testId="trigger-notes" />
          <NumberField label="Within (ms)" optional min={1} max={5000} value={t.maxIntervalMs} placeholder={String(timing.chordTimeoutMs)} hint={`Empty = ${timing.chordTimeoutMs} ms`} issues={at('maxIntervalMs')} onChange={(v) => set(t, { maxIntervalMs: v })} />
          {channel(t)}
        </>
      );
      break;
    case 'CC':
      fields = (
        <>
          <NumberField label="Controller (CC)" min={0} max={127} value={t.cc} issues={at('cc')} onChange={(v) => v !== undefined && set(t, { cc: v })} testId="trigger-cc" />
          <NumberField label="Minimum value" optional min={0} max={127} value={t.valueMin} placeholder="any" issues={at('valueMin')} onChange={(v) => set(t, { valueMin: v })} />
          {channel(t)}
        </>
      );
      break;
    case 'EncoderTurn':
      fields = (
        <>
          <NumberField label="Controller (CC)" min={0} max={127} value={t.cc} issues={at('cc')} onChange={(v) => v !== undefined && set(t, { cc: v })} testId="trigger-cc" />
          <DirectionField value={t.direction} words={['Clockwise', 'Counter-clockwise']} issues={at('direction')} onChange={(direction) => set(t, { direction })} />
          <SelectField
            label="Encoding"
            value={t.encoding ?? 'default'}
            issues={at('encoding')}
            options={[
              { value: 'default', label: 'Default' },
              { value: 'relative', label: 'Relative' },
              { value: 'absolute', label: 'Absolute' },
            ]}
            onChange={(v) => set(t, { encoding: v === 'default' ? undefined : v })}
          />
          {channel(t)}
        </>
      );
      break;
    case 'Aftertouch':
      fields = (
        <>
          <NoteField label="Note" optional value={t.note} issues={at('note')} hint="Empty = channel aftertouch (any note)" onChange={(v) => set(t, { note: v })} />
          <NumberField label="Minimum pressure" optional min={0} max={127} value={t.minPressure} placeholder="0" issues={at('minPressure')} onChange={(v) => set(t, { minPressure: v })} />
          <NumberField label="Maximum pressure" optional min={0} max={127} value={t.maxPressure} placeholder="127" issues={at('maxPressure')} onChange={(v) => set(t, { maxPressure: v })} />
          {channel(t)}
        </>
      );
      break;
    case 'PitchBend':
      fields = (
        <>
          <NumberField label="From" min={0} max={16383} value={t.minValue} hint="0–16383, 8192 = centre" issues={at('minValue')} onChange={(v) => v !== undefined && set(t, { minValue: v })} />
          <NumberField label="To" min={0} max={16383} value={t.maxValue} issues={at('maxValue')} onChange={(v) => v !== undefined && set(t, { maxValue: v })} />
          <NumberField label="Dead zone around centre" optional min={0} max={8192} value={t.centerDeadzone} issues={at('centerDeadzone')} onChange={(v) => set(t, { centerDeadzone: v })} />
          {channel(t)}
        </>
      );
      break;
    case 'GamepadButton':
      fields = (
        <>
          <SelectField<string> label="Button" value={String(t.button)} options={gamepadButtonOptions(t.button)} issues={at('button')} onChange={(v) => set(t, { button: Number(v) })} testId="trigger-gamepad-button" />
          <NumberField label="Pressed at least" optional min={0} max={127} value={t.velocityMin} hint="0–127, for analog buttons" issues={at('velocityMin')} onChange={(v) => set(t, { velocityMin: v })} />
        </>
      );
      break;
    case 'GamepadButtonChord':
      fields = (
        <>
          <NumberListField
            label="Buttons"
            required
            value={t.buttons}
            min={128}
            max={255}
            hint={`Ids 128–255, e.g. 136, 137 (${gamepadButtonName(136)} + ${gamepadButtonName(137)})`}
            issues={at('buttons')}
            onChange={(v) => set(t, { buttons: v })}
            testId="trigger-gamepad-buttons"
          />
          <NumberField label="Within (ms)" optional min={1} max={5000} value={t.maxIntervalMs} placeholder={String(timing.chordTimeoutMs)} issues={at('maxIntervalMs')} onChange={(v) => set(t, { maxIntervalMs: v })} />
        </>
      );
      break;
    case 'GamepadAnalogStick':
      fields = (
        <>
          <SelectField<string> label="Stick axis" value={String(t.axis)} options={Object.entries(GAMEPAD_AXES).map(([id, name]) => ({ value: id, label: `${name} (${id})` }))} issues={at('axis')} onChange={(v) => set(t, { axis: Number(v) })} />
          <DirectionField value={t.direction} words={['Right / up', 'Left / down']} issues={at('direction')} onChange={(direction) => set(t, { direction })} />
        </>
      );
      break;
    case 'GamepadTrigger':
      fields = (
        <>
          <SelectField<string> label="Trigger" value={String(t.trigger)} options={Object.entries(GAMEPAD_TRIGGERS).map(([id, name]) => ({ value: id, label: `${name} (${id})` }))} issues={at('trigger')} onChange={(v) => set(t, { trigger: Number(v) })} />
          <NumberField label="Threshold" optional min={0} max={127} value={t.threshold} placeholder={String(DEFAULT_TRIGGER_THRESHOLD)} issues={at('threshold')} onChange={(v) => set(t, { threshold: v })} />
        </>
      );
      break;
  }
  const general = messagesFor(issues, 'trigger');
  return (
    <fieldset className="editor-group" data-testid="trigger-editor">
      <legend>Trigger</legend>
      <FieldIssues issues={general} />
      <LearnPanel mappingKey={mappingKey} trigger={trigger} onChange={onChange} />
      <div className="field-grid">
        <SelectField<TriggerType> label="Type" value={trigger.type} options={TYPE_OPTIONS} issues={at('type')} onChange={(type) => onChange(defaultTrigger(type, trigger))} testId="trigger-type" />
        {fields}
      </div>
    </fieldset>
  );
}
