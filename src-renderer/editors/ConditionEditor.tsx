// Editor of a Conditional action's condition (Conductor's conditions): each type's fields, And / Or lists and Not
// nesting further condition editors. Field paths ("action.condition.conditions[1].start") match issue paths.
import { CONDITION_TYPES, type Condition, type ConditionType } from '../../src-shared/config';
import { CheckboxField, FieldIssues, SelectField, TextField } from '../components/fields';
import { messagesFor, type FieldIssue } from '../store/issues';

export const CONDITION_LABELS: Record<ConditionType, string> = {
  Always: 'Always',
  Never: 'Never',
  TimeRange: 'Time of day',
  DayOfWeek: 'Day of the week',
  AppRunning: 'An app is running',
  AppFrontmost: 'An app is in front',
  ModeIs: 'The mode is',
  And: 'All of',
  Or: 'Any of',
  Not: 'Not',
};
const TYPE_OPTIONS = CONDITION_TYPES.map((t) => ({ value: t, label: CONDITION_LABELS[t] }));
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** A new condition of `type`, filled with something valid to start from. */
export function defaultCondition(type: ConditionType, modeNames: readonly string[]): Condition {
  switch (type) {
    case 'Always':
    case 'Never':
      return { type };
    case 'TimeRange':
      return { type, start: '09:00', end: '17:00' };
    case 'DayOfWeek':
      return { type, days: [1, 2, 3, 4, 5] };
    case 'AppRunning':
    case 'AppFrontmost':
      return { type, appName: '' };
    case 'ModeIs':
      return { type, mode: modeNames[0] ?? 'Default' };
    case 'And':
    case 'Or':
      return { type, conditions: [{ type: 'Always' }] };
    case 'Not':
      return { type, condition: { type: 'Always' } };
  }
}

interface Props {
  condition: Condition;
  onChange: (c: Condition) => void;
  issues: readonly FieldIssue[] | undefined;
  /** Field path of this condition: "action.condition", "action.condition.conditions[0]"… */
  prefix: string;
  modeNames: readonly string[];
  depth?: number;
}

export function ConditionEditor({ condition, onChange, issues, prefix, modeNames, depth = 0 }: Props) {
  const at = (f: string) => messagesFor(issues, `${prefix}.${f}`);
  const c = condition;
  let body = null;
  switch (c.type) {
    case 'Always':
    case 'Never':
      break;
    case 'TimeRange':
      body = (
        <div className="field-grid">
          <TextField label="From (HH:MM)" required value={c.start} issues={at('start')} hint="24-hour, inclusive" onChange={(start) => onChange({ ...c, start })} testId="condition-start" />
          <TextField label="Until (HH:MM)" required value={c.end} issues={at('end')} hint="Exclusive; before the start crosses midnight" onChange={(end) => onChange({ ...c, end })} testId="condition-end" />
        </div>
      );
      break;
    case 'DayOfWeek':
      body = (
        <div className="field-grid">
          {WEEKDAYS.map((name, i) => (
            <CheckboxField
              key={name}
              label={name}
              checked={c.days.includes(i + 1)}
              onChange={(on) => onChange({ ...c, days: on ? [...c.days, i + 1].sort((a, b) => a - b) : c.days.filter((d) => d !== i + 1) })}
            />
          ))}
          <FieldIssues issues={at('days')} />
        </div>
      );
      break;
    case 'AppRunning':
    case 'AppFrontmost':
      body = (
        <div className="field-grid">
          <TextField label="App name" required value={c.appName} issues={at('appName')} hint="As the system names it, e.g. firefox or Safari (any case)" onChange={(appName) => onChange({ ...c, appName })} testId="condition-app" />
        </div>
      );
      break;
    case 'ModeIs':
      body = (
        <div className="field-grid">
          <SelectField<string> label="Mode" value={c.mode} issues={at('mode')} options={(modeNames.includes(c.mode) ? modeNames : [c.mode, ...modeNames]).map((m) => ({ value: m, label: m }))} onChange={(mode) => onChange({ ...c, mode })} />
        </div>
      );
      break;
    case 'And':
    case 'Or':
      body = (
        <ol className="condition-list">
          {c.conditions.map((inner, i) => (
            <li key={i}>
              <ConditionEditor condition={inner} onChange={(x) => onChange({ ...c, conditions: c.conditions.map((y, j) => (j === i ? x : y)) })} issues={issues} prefix={`${prefix}.conditions[${i}]`} modeNames={modeNames} depth={depth + 1} />
              <button type="button" className="small-button danger" disabled={c.conditions.length <= 1} onClick={() => onChange({ ...c, conditions: c.conditions.filter((_, j) => j !== i) })} aria-label={`Remove condition ${i + 1}`}>
                Remove
              </button>
            </li>
          ))}
          <li>
            <button type="button" onClick={() => onChange({ ...c, conditions: [...c.conditions, { type: 'Always' }] })}>
              Add condition
            </button>
          </li>
        </ol>
      );
      break;
    case 'Not':
      body = <ConditionEditor condition={c.condition} onChange={(x) => onChange({ ...c, condition: x })} issues={issues} prefix={`${prefix}.condition`} modeNames={modeNames} depth={depth + 1} />;
      break;
  }
  return (
    <div className="nested-editor" data-testid={depth === 0 ? 'condition-editor' : undefined}>
      <FieldIssues issues={messagesFor(issues, prefix)} />
      <div className="field-grid">
        <SelectField<ConditionType> label={depth === 0 ? 'When' : 'Condition'} value={c.type} options={TYPE_OPTIONS} onChange={(type) => onChange(defaultCondition(type, modeNames))} testId={depth === 0 ? 'condition-type' : undefined} />
      </div>
      {body}
    </div>
  );
}
