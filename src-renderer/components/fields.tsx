// Labelled form controls with inline issues (from a failed save) and local input hints. Every control has a
// <label>; issues are linked by aria-describedby and mark the control aria-invalid.
import { useId, useState, type ReactNode } from 'react';
import { noteName } from '../../src-shared/midi';
import type { ParamValue } from '../../src-shared/plugin';
import { Icon } from './Icon';

export interface FieldShellProps {
  id: string;
  label: ReactNode;
  required?: boolean;
  hint?: ReactNode;
  issues?: readonly string[];
  local?: string | null;
  children: ReactNode;
  inline?: boolean;
}

/** A control's label (required marked), hint and issues; the control itself is the child. */
export function FieldShell({ id, label, required, hint, issues, local, children, inline }: FieldShellProps) {
  const problems = [...(issues ?? []), ...(local ? [local] : [])];
  return (
    <div className={`field${inline ? ' field-inline' : ''}${problems.length > 0 ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>
        {label}
        {required ? (
          <span className="required" aria-hidden="true">
            {' '}
            *
          </span>
        ) : null}
      </label>
      {children}
      {hint ? (
        <div className="field-hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
      <FieldIssues issues={problems} id={`${id}-issues`} />
    </div>
  );
}

/** Problems shown right at a field or a group of fields (role="alert"); nothing when there are none. */
export function FieldIssues({ issues, id }: { issues: readonly string[]; id?: string }) {
  if (issues.length === 0) return null;
  return (
    <ul className="field-issues" id={id} role="alert">
      {issues.map((p, i) => (
        <li key={i} className="with-icon">
          <Icon name="warning" /> {p}
        </li>
      ))}
    </ul>
  );
}

/** The aria-describedby of a control in a FieldShell: its hint and its issues, when shown. */
export function describedBy(id: string, hint: unknown, problems: boolean): string | undefined {
  const ids = [hint ? `${id}-hint` : null, problems ? `${id}-issues` : null].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

interface CommonProps {
  label: ReactNode;
  hint?: ReactNode;
  issues?: readonly string[];
  required?: boolean;
  testId?: string;
  disabled?: boolean;
}

export function TextField(props: CommonProps & { value: string; onChange: (v: string) => void; placeholder?: string; multiline?: boolean; onCommit?: () => void }) {
  const id = useId();
  const bad = (props.issues?.length ?? 0) > 0;
  const common = {
    id,
    value: props.value,
    placeholder: props.placeholder,
    disabled: props.disabled,
    'aria-invalid': bad || undefined,
    'aria-required': props.required || undefined,
    'aria-describedby': describedBy(id, props.hint, bad),
    'data-testid': props.testId,
    onBlur: props.onCommit,
  };
  return (
    <FieldShell id={id} label={props.label} hint={props.hint} issues={props.issues} required={props.required}>
      {props.multiline ? (
        <textarea {...common} rows={3} onChange={(e) => props.onChange(e.target.value)} />
      ) : (
        <input
          {...common}
          type="text"
          onChange={(e) => props.onChange(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && props.onCommit) props.onCommit();
          }}
        />
      )}
    </FieldShell>
  );
}

/**
 * The text a field shows for a draft value (`canonical`: that value's own text form). It follows the draft when the
 * value changes from outside (a load, an undo) and otherwise keeps what the user typed; `local` says why the text is
 * not sent yet. Call `sent(canonical form of what was sent)` after sending, so the draft's echo leaves the text alone.
 */
export function useDraftText(canonical: string): {
  text: string;
  setText: (t: string) => void;
  local: string | null;
  setLocal: (why: string | null) => void;
  sent: (canonicalSent: string) => void;
} {
  const [text, setText] = useState(canonical);
  const [shown, setShown] = useState(canonical);
  const [local, setLocal] = useState<string | null>(null);
  if (canonical !== shown) {
    setShown(canonical);
    setText(canonical);
    setLocal(null);
  }
  const sent = (canonicalSent: string): void => {
    setLocal(null);
    setShown(canonicalSent);
  };
  return { text, setText, local, setLocal, sent };
}

/**
 * A whole-number input. Keeps what the user typed while it is not a number (and says so); commits integers,
 * also out-of-range ones (with a hint), so the save reports the same problem main would.
 */
export function NumberField(
  props: CommonProps & { value: number | undefined; onChange: (v: number | undefined) => void; min?: number; max?: number; optional?: boolean; placeholder?: string; suffix?: ReactNode },
) {
  const id = useId();
  const { text, setText, local, setLocal, sent } = useDraftText(props.value === undefined ? '' : String(props.value));
  const range = props.min !== undefined && props.max !== undefined ? `${props.min}–${props.max}` : null;
  const change = (t: string) => {
    setText(t);
    const trimmed = t.trim();
    if (trimmed === '') {
      if (props.optional) {
        sent('');
        props.onChange(undefined);
      } else setLocal('Required');
      return;
    }
    const n = Number(trimmed);
    if (!Number.isInteger(n)) {
      setLocal(`Enter a whole number${range ? ` ${range}` : ''}`);
      return;
    }
    const outside = (props.min !== undefined && n < props.min) || (props.max !== undefined && n > props.max);
    sent(String(n));
    if (outside) setLocal(`Out of range${range ? ` (${range})` : ''}`);
    props.onChange(n);
  };
  const bad = (props.issues?.length ?? 0) > 0 || local !== null;
  return (
    <FieldShell id={id} label={props.label} hint={props.hint} issues={props.issues} local={(props.issues?.length ?? 0) > 0 && local?.startsWith('Out of range') ? null : local} required={props.required ?? !props.optional}>
      <div className="input-with-suffix">
        <input
          id={id}
          type="text"
          inputMode="numeric"
          value={text}
          placeholder={props.placeholder}
          disabled={props.disabled}
          aria-invalid={bad || undefined}
          aria-describedby={describedBy(id, props.hint, bad)}
          data-testid={props.testId}
          onChange={(e) => change(e.target.value)}
        />
        {props.suffix ? <span className="suffix">{props.suffix}</span> : null}
      </div>
    </FieldShell>
  );
}

/** A MIDI note number with its name ("C1") beside it. */
export function NoteField(props: CommonProps & { value: number | undefined; onChange: (v: number | undefined) => void; optional?: boolean }) {
  const v = props.value;
  return <NumberField {...props} min={0} max={127} suffix={v !== undefined && v >= 0 && v <= 127 ? noteName(v) : undefined} hint={props.hint ?? '0–127'} />;
}

export function SelectField<T extends string>(
  props: CommonProps & { value: T; onChange: (v: T) => void; options: readonly { value: T; label: string }[] },
) {
  const id = useId();
  const bad = (props.issues?.length ?? 0) > 0;
  return (
    <FieldShell id={id} label={props.label} hint={props.hint} issues={props.issues} required={props.required}>
      <select
        id={id}
        value={props.value}
        disabled={props.disabled}
        aria-invalid={bad || undefined}
        aria-describedby={describedBy(id, props.hint, bad)}
        data-testid={props.testId}
        onChange={(e) => props.onChange(e.target.value as T)}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

export function CheckboxField(props: CommonProps & { checked: boolean; onChange: (v: boolean) => void }) {
  const id = useId();
  const bad = (props.issues?.length ?? 0) > 0;
  return (
    <FieldShell id={id} label={props.label} hint={props.hint} issues={props.issues} inline>
      <input
        id={id}
        type="checkbox"
        checked={props.checked}
        disabled={props.disabled}
        aria-invalid={bad || undefined}
        aria-describedby={describedBy(id, props.hint, bad)}
        data-testid={props.testId}
        onChange={(e) => props.onChange(e.target.checked)}
      />
    </FieldShell>
  );
}

const CHANNEL_OPTIONS = [{ value: 'any', label: 'Any channel' }, ...Array.from({ length: 16 }, (_, i) => ({ value: String(i), label: `Channel ${i + 1}` }))];

/** MIDI channel shown 1–16, stored 0–15; `undefined` = any channel (or channel 1 when `required`). */
export function ChannelField(props: CommonProps & { value: number | undefined; onChange: (v: number | undefined) => void }) {
  const options = props.required ? CHANNEL_OPTIONS.slice(1) : CHANNEL_OPTIONS;
  return (
    <SelectField
      {...props}
      value={props.value === undefined ? (props.required ? '0' : 'any') : String(props.value)}
      options={options}
      onChange={(v) => props.onChange(v === 'any' ? undefined : Number(v))}
    />
  );
}

/** A list of whole numbers typed as "36, 40, 43". */
export function NumberListField(props: CommonProps & { value: readonly number[]; onChange: (v: number[]) => void; min?: number; max?: number }) {
  const id = useId();
  const { text, setText, local, setLocal, sent } = useDraftText(props.value.join(', '));
  const change = (t: string) => {
    setText(t);
    const parts = t.split(/[\s,]+/).filter(Boolean);
    const nums = parts.map(Number);
    if (nums.some((n) => !Number.isInteger(n))) {
      setLocal('Enter whole numbers separated by commas');
      return;
    }
    sent(nums.join(', '));
    props.onChange(nums);
  };
  const bad = (props.issues?.length ?? 0) > 0 || local !== null;
  return (
    <FieldShell id={id} label={props.label} hint={props.hint} issues={props.issues} local={local} required={props.required}>
      <input
        id={id}
        type="text"
        value={text}
        aria-invalid={bad || undefined}
        aria-describedby={describedBy(id, props.hint, bad)}
        data-testid={props.testId}
        onChange={(e) => change(e.target.value)}
      />
    </FieldShell>
  );
}

export function IssueList({ title, issues }: { title: ReactNode; issues: readonly string[] }) {
  if (issues.length === 0) return null;
  return (
    <div className="issue-list" role="alert">
      <strong>{title}</strong>
      <ul>
        {issues.map((m, i) => (
          <li key={i}>{m}</li>
        ))}
      </ul>
    </div>
  );
}

export function Spinner({ label = 'Working…' }: { label?: string }) {
  return <span className="spinner" role="status" aria-label={label} />;
}

/** A JSON value typed as text; commits when it parses (`objectOnly`: only a JSON object). */
export function JsonField(props: CommonProps & { value: ParamValue | undefined; onChange: (v: ParamValue | undefined) => void; objectOnly?: boolean }) {
  const id = useId();
  const { text, setText, local, setLocal, sent } = useDraftText(props.value === undefined ? '' : JSON.stringify(props.value));
  const change = (t: string) => {
    setText(t);
    if (t.trim() === '') {
      sent('');
      props.onChange(undefined);
      return;
    }
    try {
      const v = JSON.parse(t) as ParamValue;
      if (props.objectOnly && (v === null || typeof v !== 'object' || Array.isArray(v))) {
        setLocal('Enter a JSON object, e.g. {"volume": 50}');
        return;
      }
      sent(JSON.stringify(v));
      props.onChange(v);
    } catch {
      setLocal('Not valid JSON yet');
    }
  };
  const bad = (props.issues?.length ?? 0) > 0 || local !== null;
  return (
    <FieldShell id={id} label={props.label} hint={props.hint} issues={props.issues} local={local} required={props.required}>
      <textarea
        id={id}
        rows={2}
        value={text}
        disabled={props.disabled}
        aria-invalid={bad || undefined}
        aria-required={props.required || undefined}
        aria-describedby={describedBy(id, props.hint, bad)}
        data-testid={props.testId}
        onChange={(e) => change(e.target.value)}
      />
    </FieldShell>
  );
}
