// The Keystroke action's editor: "Press the shortcut" key capture (key-capture.ts does the mapping), the key typed by
// name, modifier boxes and the chord as keycaps. While capturing it swallows every key, so no app shortcut fires.
import { useEffect, useId, useRef, useState } from 'react';
import type { Action } from '../../src-shared/config';
import { FieldIssues, TextField } from '../components/fields';
import { captureStep, keycaps, MODIFIER_ORDER, type ModifierName } from './key-capture';
import './editors.css';

type Keystroke = Extract<Action, { type: 'Keystroke' }>;

/** The browser's platform string ("MacIntel", "Linux x86_64", "Win32"): the keyboard being pressed is this machine's. */
function browserPlatform(): string {
  return typeof navigator === 'undefined' ? '' : navigator.platform;
}

function withModifiers(a: Keystroke, modifiers: readonly string[]): Keystroke {
  const next: Keystroke = { ...a, modifiers: [...modifiers] };
  if (modifiers.length === 0) delete next.modifiers;
  return next;
}

export function Keycaps({ caps, testId }: { caps: readonly string[]; testId?: string }) {
  return (
    <span className="keycaps" data-testid={testId}>
      {caps.map((c, i) => (
        <span key={i}>
          {i > 0 ? <span className="keycap-plus">+</span> : null}
          <kbd className="keycap">{c}</kbd>
        </span>
      ))}
    </span>
  );
}

export function KeystrokeEditor({ action, onChange, at }: { action: Keystroke; onChange: (a: Action) => void; at: (f: string) => string[] }) {
  const platform = browserPlatform();
  const hintId = useId();
  const [armed, setArmed] = useState(false);
  const [held, setHeld] = useState<ModifierName[]>([]);
  const [note, setNote] = useState<string | null>(null);
  // The capture listener outlives renders: it reads the latest action and onChange through refs.
  const latest = useRef({ action, onChange });
  latest.current = { action, onChange };
  const mods = action.modifiers ?? [];

  useEffect(() => {
    if (!armed) return;
    const onKey = (e: KeyboardEvent): void => {
      // Capture phase on window: before React's handlers and the app's own window shortcuts (Ctrl+S, Ctrl+Z).
      e.preventDefault();
      e.stopImmediatePropagation();
      if (e.repeat) return;
      const step = captureStep({ type: e.type === 'keyup' ? 'keyup' : 'keydown', key: e.key, code: e.code, ctrlKey: e.ctrlKey, shiftKey: e.shiftKey, altKey: e.altKey, metaKey: e.metaKey }, platform);
      if (step.kind === 'waiting') {
        setHeld(step.held);
        return;
      }
      if (step.kind === 'unsupported') {
        setHeld([]);
        setNote(step.why);
        return;
      }
      if (step.kind === 'done') {
        const { action: a, onChange: change } = latest.current;
        change(withModifiers({ ...a, keys: step.keys }, step.modifiers));
      }
      setArmed(false);
      setHeld([]);
      setNote(step.kind === 'cancel' ? 'Capture cancelled; nothing changed' : null);
    };
    window.addEventListener('keydown', onKey, true);
    window.addEventListener('keyup', onKey, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      window.removeEventListener('keyup', onKey, true);
    };
  }, [armed, platform]);

  const toggle = (m: string, on: boolean) => {
    onChange(withModifiers(action, on ? [...mods.filter((x) => x !== m), m] : mods.filter((x) => x !== m)));
  };
  const caps = armed ? held.length > 0 ? keycaps('…', held, platform) : [] : keycaps(action.keys, mods, platform);

  return (
    <div className="field-grid">
      <div className="field key-capture">
        <span className="field-label">Shortcut</span>
        <div className={`key-capture-box${armed ? ' is-armed' : ''}`}>
          {caps.length > 0 ? <Keycaps caps={caps} testId="keystroke-keycaps" /> : <span className="muted">{armed ? 'Waiting for keys…' : 'No key yet'}</span>}
          <button
            type="button"
            className={armed ? 'primary' : undefined}
            aria-pressed={armed}
            aria-describedby={hintId}
            onClick={() => {
              setNote(null);
              setHeld([]);
              setArmed(!armed);
            }}
            onBlur={() => {
              setArmed(false);
              setHeld([]);
            }}
            data-testid="keystroke-capture"
          >
            {armed ? 'Listening… (Esc cancels)' : 'Press the shortcut'}
          </button>
        </div>
        <div className="field-hint" id={hintId} role="status" data-testid="keystroke-capture-hint">
          {note ?? (armed ? 'Press the key combination now. Esc alone cancels; to capture Esc itself, type "escape" in Key.' : 'Click, then press the keys, e.g. Ctrl+Shift+K.')}
        </div>
      </div>
      <TextField label="Key" required value={action.keys} issues={at('keys')} hint='e.g. "space", "a", "f5", or "ctrl+shift+a"' onChange={(keys) => onChange({ ...action, keys })} testId="keystroke-keys" />
      <fieldset className="inline-group">
        <legend>Modifiers</legend>
        {MODIFIER_ORDER.map((m) => (
          <label key={m} className="check">
            <input type="checkbox" checked={mods.includes(m)} onChange={(e) => toggle(m, e.target.checked)} data-testid={`keystroke-mod-${m}`} />
            {m === 'cmd' ? 'cmd (⌘ on macOS, ctrl elsewhere)' : m}
          </label>
        ))}
        {mods
          .filter((m) => !(MODIFIER_ORDER as readonly string[]).includes(m))
          .map((m) => (
            <label key={m} className="check">
              <input type="checkbox" checked onChange={() => toggle(m, false)} />
              {m}
            </label>
          ))}
        <FieldIssues issues={at('modifiers')} />
      </fieldset>
    </div>
  );
}
