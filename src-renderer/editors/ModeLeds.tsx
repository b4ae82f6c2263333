// "Lights" in the mode editor: this mode's LED scheme (or the device setting), idle and active brightness, and one line
// saying what the pads show and why — edited on the draft (led-settings.ts). Never saves, never sends MIDI itself.
import { useId, type ReactNode } from 'react';
import { LED_SCHEMES, type LedSchemeName } from '../../src-shared/config';
import { describedBy, FieldShell, SelectField, useDraftText } from '../components/fields';
import { useApp, useAppStore } from '../store/context';
import { effectiveModeLed, LED_DEFAULTS, ledFeedbackOn, parseLedNumber, setModeBrightness, setModeLedScheme, type LedFieldKey, type ModeBrightnessKey } from './led-settings';
import './leds.css';

/**
 * A whole number of the LED settings, blank = the default (shown as the placeholder). Text that is not a number in
 * range stays in the field with a message and never reaches the draft. `onChange` returns the value the draft now holds.
 */
export function LedNumberField(props: {
  label: ReactNode;
  field: LedFieldKey;
  value: number | undefined;
  onChange: (v: number | undefined) => number | undefined;
  placeholder: string;
  hint?: ReactNode;
  testId: string;
  disabled?: boolean;
}) {
  const id = useId();
  const { text, setText, local, setLocal, sent } = useDraftText(props.value === undefined ? '' : String(props.value));
  const change = (t: string) => {
    setText(t);
    const parsed = parseLedNumber(props.field, t);
    if ('problem' in parsed) {
      setLocal(parsed.problem);
      return;
    }
    const held = props.onChange(parsed.value);
    // A default where the file has none is not written: the field keeps the typed text over a blank draft value.
    sent(held === undefined ? '' : String(held));
  };
  const bad = local !== null;
  return (
    <FieldShell id={id} label={props.label} hint={props.hint} local={local}>
      <input
        id={id}
        type="text"
        inputMode="numeric"
        className="led-number"
        value={text}
        placeholder={props.placeholder}
        disabled={props.disabled}
        aria-invalid={bad || undefined}
        aria-describedby={describedBy(id, props.hint, bad)}
        data-testid={props.testId}
        onChange={(e) => change(e.target.value)}
      />
    </FieldShell>
  );
}

/** The select's value for "use the device setting" (no `led_scheme`). */
const DEVICE_SETTING = '';

export function ModeLeds({ index }: { index: number }) {
  const draft = useApp((s) => s.draft);
  const editDraft = useApp((s) => s.editDraft);
  const setView = useApp((s) => s.setView);
  const store = useAppStore();
  const mode = draft?.modes[index];
  if (!draft || !mode) return null;
  const summary = effectiveModeLed(draft, index);
  const deviceScheme = draft.led?.scheme ?? LED_DEFAULTS.scheme;
  const on = ledFeedbackOn(draft);
  const options: { value: LedSchemeName | typeof DEVICE_SETTING; label: string }[] = [
    { value: DEVICE_SETTING, label: `Use the device setting (${deviceScheme})` },
    ...LED_SCHEMES.map((s) => ({ value: s, label: s })),
  ];
  const brightness = (key: ModeBrightnessKey) => (v: number | undefined) => {
    editDraft((c) => setModeBrightness(c, index, key, v), `mode-led:${index}:${key}`);
    return store.getState().draft?.modes[index]?.led?.[key];
  };
  return (
    <section className="mode-leds" aria-label="Lights" data-testid="mode-leds">
      <div className="mode-leds-head">
        <span className="field-label">Lights</span>
        <span className="muted small">What this mode&rsquo;s pads show on the controller and on screen.</span>
      </div>
      <div className="mode-leds-fields">
        <SelectField
          label="Scheme"
          value={mode.led?.scheme ?? DEVICE_SETTING}
          options={options}
          onChange={(v) => editDraft((c) => setModeLedScheme(c, index, v === DEVICE_SETTING ? null : v))}
          testId="mode-led-scheme"
        />
        <LedNumberField
          label="Idle brightness"
          field="idleBrightness"
          value={mode.led?.idleBrightness}
          onChange={brightness('idleBrightness')}
          placeholder={`${LED_DEFAULTS.idleBrightness} (default)`}
          hint="0–255: pads at rest"
          testId="mode-led-idle"
        />
        <LedNumberField
          label="Active brightness"
          field="activeBrightness"
          value={mode.led?.activeBrightness}
          onChange={brightness('activeBrightness')}
          placeholder={`${LED_DEFAULTS.activeBrightness} (default)`}
          hint="0–255: pressed pads, animations’ peak"
          testId="mode-led-active"
        />
      </div>
      <p className="mode-leds-summary small" role="status" data-testid="mode-leds-summary" data-scheme={summary.scheme} data-source={summary.source}>
        <strong>{summary.source === 'off' ? 'Off' : summary.scheme}</strong> <span className="muted">({summary.why})</span>: {summary.text}
        {!on ? (
          <>
            {' '}
            <button type="button" className="link-button" onClick={() => setView('settings')} data-testid="mode-leds-open-settings">
              Open Settings
            </button>
          </>
        ) : null}
      </p>
    </section>
  );
}
