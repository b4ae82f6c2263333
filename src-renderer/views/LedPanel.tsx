// Settings → LED feedback: `[device] led_feedback`, `[led_settings]` scheme and brightness and, under "Advanced (MIDI)",
// `[led_settings.midi]` — edited on the draft and saved with the Settings view's Save. Never saves or sends MIDI itself.
import { LED_SCHEMES, type LedSchemeName } from '../../src-shared/config';
import { CheckboxField, IssueList, SelectField } from '../components/fields';
import { LedNumberField } from '../editors/ModeLeds';
import {
  LED_DEFAULTS,
  ledFeedbackOn,
  ledNumber,
  reactiveColour,
  REACTIVE_FADE_DEFAULT_MS,
  setLedFeedback,
  setLedNumber,
  setLedScheme,
  setReactiveColour,
  setReactiveFade,
  type LedNumberKey,
  type ReactiveBand,
} from '../editors/led-settings';
import { useApp, useAppStore } from '../store/context';
import '../editors/leds.css';

const MIDI_FIELDS: readonly { key: LedNumberKey; label: string; hint: string }[] = [
  { key: 'noteOffset', label: 'Note offset', hint: '−127–127: added to a mapping’s note to find its pad’s LED note' },
  { key: 'channel', label: 'Channel', hint: '0–15 (0 = MIDI channel 1): the channel the lights go out on' },
  { key: 'onVelocity', label: 'On velocity', hint: '0–127: “lit” on devices with on/off LEDs' },
  { key: 'offVelocity', label: 'Off velocity', hint: '0–127: “dark” on devices with on/off LEDs' },
];

const BANDS: readonly { band: ReactiveBand; label: string }[] = [
  { band: 'softColor', label: 'Soft (velocity 1–40)' },
  { band: 'mediumColor', label: 'Medium (41–80)' },
  { band: 'hardColor', label: 'Hard (81–127)' },
];

/** `[led_settings.reactive]`: the three velocity colours (reactive, and the vumeter's segments) and the fade time. */
function ReactiveColours() {
  const draft = useApp((s) => s.draft);
  const editDraft = useApp((s) => s.editDraft);
  const store = useAppStore();
  if (!draft) return null;
  const reactive = draft.led?.reactive;
  return (
    <fieldset className="led-reactive" data-testid="led-reactive">
      <legend>Velocity colours (reactive and vumeter)</legend>
      <div className="led-panel-fields">
        {BANDS.map(({ band, label }) => (
          <div className="led-reactive-band" key={band}>
            <label>
              <span className="field-label">{label}</span>
              <input
                type="color"
                value={reactiveColour(draft, band)}
                onChange={(e) => editDraft((c) => setReactiveColour(c, band, e.target.value), `led:${band}`)}
                data-testid={`led-reactive-${band}`}
              />
            </label>
            {reactive?.[band] !== undefined ? (
              <button type="button" className="small-button" onClick={() => editDraft((c) => setReactiveColour(c, band, null))} data-testid={`led-reactive-${band}-default`}>
                Default
              </button>
            ) : null}
          </div>
        ))}
        <LedNumberField
          label="Fade after release (ms)"
          field="fadeDurationMs"
          value={reactive?.fadeDurationMs}
          onChange={(v) => {
            editDraft((c) => setReactiveFade(c, v), 'led:fade');
            return store.getState().draft?.led?.reactive?.fadeDurationMs;
          }}
          placeholder={`${REACTIVE_FADE_DEFAULT_MS} (default)`}
          hint="0–60000: how long a released pad takes to go back to the mode colour"
          testId="led-reactive-fade"
        />
      </div>
    </fieldset>
  );
}

export function LedPanel() {
  const draft = useApp((s) => s.draft);
  const saveIssues = useApp((s) => s.saveIssues);
  const editDraft = useApp((s) => s.editDraft);
  const store = useAppStore();
  if (!draft) return null;
  const on = ledFeedbackOn(draft);
  const scheme = draft.led?.scheme ?? LED_DEFAULTS.scheme;
  const number = (key: LedNumberKey) => (v: number | undefined) => {
    editDraft((c) => setLedNumber(c, key, v), `led:${key}`);
    const now = store.getState().draft;
    return now ? ledNumber(now, key) : undefined;
  };
  const issues = saveIssues.filter((i) => i.segments[0] === 'led_settings' || (i.segments[0] === 'device' && i.segments[1] === 'led_feedback'));
  const overrides = draft.modes.filter((m) => m.led?.scheme !== undefined).map((m) => m.name);
  return (
    <section className="panel settings-form" data-testid="settings-leds" aria-labelledby="settings-leds-title">
      <h2 id="settings-leds-title">LED feedback</h2>
      <p className="muted small">
        Lights the pads of your controller (and the on-screen pads) the way Conductor does. A mode can choose its own scheme and brightness in the Mappings view
        (the mode&rsquo;s &ldquo;Lights&rdquo;).
      </p>
      <CheckboxField
        label="Light the pads (LED feedback)"
        checked={on}
        onChange={(v) => editDraft((c) => setLedFeedback(c, v))}
        hint={draft.device.ledFeedback === undefined ? (on ? 'On because config.toml has [led_settings].' : 'Off: config.toml does not turn it on.') : undefined}
        testId="led-feedback"
      />
      <div className="led-panel-fields">
        <SelectField<LedSchemeName>
          label="Scheme"
          value={scheme}
          options={LED_SCHEMES.map((s) => ({ value: s, label: `${s}${s === LED_DEFAULTS.scheme ? ' (default)' : ''}` }))}
          onChange={(v) => editDraft((c) => setLedScheme(c, v))}
          hint={overrides.length > 0 ? `Modes with their own scheme: ${overrides.join(', ')}` : 'Every mode uses it unless it chooses its own.'}
          testId="led-scheme"
        />
        <LedNumberField
          label="Brightness"
          field="brightness"
          value={draft.led?.brightness}
          onChange={number('brightness')}
          placeholder={`${LED_DEFAULTS.brightness} (default)`}
          hint="0–255: applies to every light"
          testId="led-brightness"
        />
      </div>
      <ReactiveColours />
      {!on ? (
        <p className="muted small" data-testid="led-off-note">
          LED feedback is off: these settings apply once it is on.
        </p>
      ) : null}
      <details className="led-panel-advanced" data-testid="led-advanced">
        <summary>Advanced (MIDI)</summary>
        <div className="led-panel-fields">
          {MIDI_FIELDS.map((f) => (
            <LedNumberField
              key={f.key}
              label={f.label}
              field={f.key}
              value={ledNumber(draft, f.key)}
              onChange={number(f.key)}
              placeholder={`${LED_DEFAULTS[f.key]} (default)`}
              hint={f.hint}
              testId={`led-midi-${f.key}`}
            />
          ))}
        </div>
      </details>
      <IssueList title="Not saved — problems in LED feedback:" issues={issues.map((i) => `${i.path}: ${i.message}`)} />
    </section>
  );
}
