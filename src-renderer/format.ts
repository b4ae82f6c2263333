// Labels of trigger and action types, plugin call results, numbers and times in words, for the UI's rows, console and toasts.
// Presentation only: pure functions, no React, no store; never words triggers, actions or MIDI itself (src-shared/wording.ts does).
import type { Action, Trigger } from '../src-shared/config';
import type { PluginCallInfo } from '../src-shared/engine';
import type { CallErrorKind } from '../src-shared/plugin';

export { describeAction, describeMidi, describeMidiBytes, describeTrigger, fileName } from '../src-shared/wording';

export const TRIGGER_LABELS: Record<Trigger['type'], string> = {
  Note: 'Note (pad or key press)',
  VelocityRange: 'Velocity range (soft / medium / hard)',
  LongPress: 'Long press (hold)',
  DoubleTap: 'Double tap',
  NoteChord: 'Chord (several notes together)',
  CC: 'Control change (button, fader)',
  EncoderTurn: 'Encoder turn',
  Aftertouch: 'Aftertouch (pressure)',
  PitchBend: 'Pitch bend',
  GamepadButton: 'Gamepad button',
  GamepadButtonChord: 'Gamepad buttons together',
  GamepadAnalogStick: 'Gamepad stick',
  GamepadTrigger: 'Gamepad trigger (analog)',
};

export const ACTION_LABELS: Record<Action['type'], string> = {
  WasmPlugin: 'Run a plugin',
  ModeChange: 'Change mode',
  SendMidi: 'Send MIDI',
  Sequence: 'Sequence of actions',
  Delay: 'Wait',
  Repeat: 'Repeat an action',
  Shell: 'Run a command',
  Launch: 'Launch an app',
  Keystroke: 'Press keys',
  Text: 'Type text',
  MouseClick: 'Click the mouse',
  VolumeControl: 'System volume',
  Conditional: 'Only if… (condition)',
};

export const ERROR_KIND_WORDS: Record<CallErrorKind, string> = {
  'plugin-error': 'plugin returned an error',
  'out-of-fuel': 'out of fuel',
  memory: 'memory limit',
  trap: 'crashed (trap)',
  'stack-overflow': 'stack overflow',
  exit: 'plugin exited',
  capability: 'capability not granted',
  timeout: 'timed out',
  crash: 'sandbox crashed',
  busy: 'plugin busy',
  disabled: 'plugin disabled',
  approval: 'waiting for approval',
  settings: 'settings needed',
  load: 'could not load',
};

export function formatNumber(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms < 100 ? ms.toFixed(1) : Math.round(ms)} ms`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} B`;
}

/** "fuel 12,345 · 1.2 ms in sandbox · memory 1.1 MiB". */
export function describePluginCall(p: Pick<PluginCallInfo, 'fuelConsumed' | 'sandboxDurationMs' | 'memoryBytes'>): string {
  return `fuel ${formatNumber(p.fuelConsumed)} · ${formatMs(p.sandboxDurationMs)} in sandbox · memory ${formatBytes(p.memoryBytes)}`;
}

/** "12:03:04.567" in local time. */
export function formatClock(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

export { errorMessage } from '../src-shared/errors';
