// Triggers, actions, MIDI messages and plugin call results in words, for mapping rows, the console and toasts.
// Presentation only: pure functions, no React, no store.
import { DEFAULT_TIMING, type Action, type SendMidiMessage, type TimingConfig, type Trigger } from '../src-shared/config';
import type { PluginCallInfo } from '../src-shared/engine';
import { noteName, type MidiMessage } from '../src-shared/midi';
import type { CallErrorKind } from '../src-shared/plugin';

export function noteLabel(n: number): string {
  return `${noteName(n)} (${n})`;
}

function channel(t: { channel?: number }): string {
  return t.channel === undefined ? '' : `, channel ${t.channel + 1}`;
}

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
};

/** E.g. "Note C1 (36)", "Hold D1 (38) for 2000 ms, channel 2". */
export function describeTrigger(t: Trigger, timing: TimingConfig = DEFAULT_TIMING): string {
  switch (t.type) {
    case 'Note':
      return `Note ${noteLabel(t.note)}${t.velocityMin === undefined ? '' : `, velocity ≥ ${t.velocityMin}`}${channel(t)}`;
    case 'VelocityRange':
      return `Note ${noteLabel(t.note)} at velocity ${t.minVelocity}–${t.maxVelocity}${t.level ? ` (${t.level})` : ''}${channel(t)}`;
    case 'LongPress':
      return `Hold ${noteLabel(t.note)} for ${t.minDurationMs ?? timing.holdThresholdMs} ms${channel(t)}`;
    case 'DoubleTap':
      return `Double-tap ${noteLabel(t.note)} within ${t.maxIntervalMs ?? timing.doubleTapTimeoutMs} ms${channel(t)}`;
    case 'NoteChord':
      return `Chord ${t.notes.map(noteLabel).join(' + ')} within ${t.maxIntervalMs ?? timing.chordTimeoutMs} ms${channel(t)}`;
    case 'CC':
      return `CC ${t.cc}${t.valueMin === undefined ? '' : ` at value ≥ ${t.valueMin}`}${channel(t)}`;
    case 'EncoderTurn':
      return `Turn CC ${t.cc} ${t.direction === 'Clockwise' ? 'clockwise' : 'counter-clockwise'}${t.encoding ? ` (${t.encoding})` : ''}${channel(t)}`;
    case 'Aftertouch': {
      const range = t.minPressure === undefined && t.maxPressure === undefined ? '' : `, pressure ${t.minPressure ?? 0}–${t.maxPressure ?? 127}`;
      return `Aftertouch${t.note === undefined ? '' : ` on ${noteLabel(t.note)}`}${range}${channel(t)}`;
    }
    case 'PitchBend':
      return `Pitch bend ${t.minValue}–${t.maxValue}${t.centerDeadzone === undefined ? '' : ` (dead zone ±${t.centerDeadzone})`}${channel(t)}`;
  }
}

function midiOut(m: SendMidiMessage): string {
  switch (m.type) {
    case 'NoteOn':
    case 'NoteOff':
      return `${m.type === 'NoteOn' ? 'note on' : 'note off'} ${noteLabel(m.note)} velocity ${m.velocity}`;
    case 'CC':
      return `CC ${m.controller} = ${m.value}`;
    case 'ProgramChange':
      return `program change ${m.program}`;
    case 'PitchBend':
      return `pitch bend ${m.value}`;
    case 'Aftertouch':
      return `aftertouch ${m.pressure}`;
  }
}

export function fileName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** E.g. `Run plugin spotify.wasm: play`, `Type "hello"`, `Sequence: wait 100 ms, then press ctrl+c`. */
export function describeAction(a: Action): string {
  switch (a.type) {
    case 'WasmPlugin': {
      const name = a.path ? fileName(a.pathAsWritten ?? a.path) : '(no plugin chosen)';
      const action = typeof a.params.action === 'string' ? `: ${a.params.action}` : '';
      const others = Object.keys(a.params).filter((k) => k !== 'action');
      return `Run plugin ${name}${action}${others.length > 0 ? ` (${others.join(', ')})` : ''}`;
    }
    case 'ModeChange':
      if (a.relative === true) {
        const n = Number(a.mode);
        if (n === 1) return 'Switch to the next mode';
        if (n === -1) return 'Switch to the previous mode';
        return `Move ${Math.abs(n)} modes ${n >= 0 ? 'forward' : 'back'}`;
      }
      return typeof a.mode === 'number' ? `Switch to mode #${a.mode + 1}` : `Switch to mode "${a.mode}"`;
    case 'SendMidi':
      return `Send ${midiOut(a.message)} on channel ${a.message.channel + 1}${a.port ? ` to "${a.port}"` : ''}`;
    case 'Sequence':
      return `Sequence: ${a.actions.map((x) => lowerFirst(describeAction(x))).join(', then ')}`;
    case 'Delay':
      return `Wait ${a.ms} ms`;
    case 'Repeat':
      return `Repeat ${a.count}×${a.delayBetweenMs === undefined ? '' : ` (${a.delayBetweenMs} ms apart)`}: ${lowerFirst(describeAction(a.action))}`;
    case 'Shell':
      return `Run ${a.command ? JSON.stringify(a.command) : '(no command)'}${a.shell ? ' in a shell' : ''}`;
    case 'Launch':
      return `Launch ${a.app ? JSON.stringify(a.app) : '(no app)'}${a.args && a.args.length > 0 ? ` ${a.args.join(' ')}` : ''}`;
    case 'Keystroke':
      return `Press ${[...(a.modifiers ?? []), a.keys || '?'].join('+')}`;
    case 'Text':
      return `Type ${JSON.stringify(a.text)}`;
  }
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

export function describeMidi(m: MidiMessage): string {
  const ch = `channel ${m.channel + 1}`;
  switch (m.type) {
    case 'noteOn':
      return `Note on ${noteLabel(m.note)} velocity ${m.velocity}, ${ch}`;
    case 'noteOff':
      return `Note off ${noteLabel(m.note)}, ${ch}`;
    case 'controlChange':
      return `CC ${m.controller} = ${m.value}, ${ch}`;
    case 'programChange':
      return `Program change ${m.program}, ${ch}`;
    case 'channelAftertouch':
      return `Aftertouch ${m.pressure}, ${ch}`;
    case 'polyAftertouch':
      return `Aftertouch ${noteLabel(m.note)} = ${m.pressure}, ${ch}`;
    case 'pitchBend':
      return `Pitch bend ${m.value}, ${ch}`;
  }
}

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

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : JSON.stringify(err);
}
