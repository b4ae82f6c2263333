// Triggers, actions and MIDI messages in words ("Note C1 (36), channel 1"): the one wording for the UI, the CLI and the
// engine's events. Presentation only: pure functions — never validates (src-main/config/schema.ts does), never imports Node or DOM.
import { DEFAULT_TIMING, type Action, type Condition, type TimingConfig, type Trigger } from './config';
import { DEFAULT_TRIGGER_THRESHOLD, GAMEPAD_AXES, GAMEPAD_TRIGGERS, gamepadButtonName } from './gamepad';
import { midiMessageFromConfig, noteName, type MidiMessage } from './midi';

/**
 * 'short' (the UI): a WasmPlugin action as its file name and `action` param. 'full' (`conductor config check`):
 * the plugin path as written and all its params, and the config's own 0-based channel and mode numbers.
 */
export type DescribeDetail = 'short' | 'full';

export interface DescribeOptions {
  /** Default 'short'. */
  detail?: DescribeDetail;
}

/** "C1 (36)". */
export function noteLabel(n: number): string {
  return `${noteName(n)} (${n})`;
}

/** "a/b/spotify.wasm" → "spotify.wasm" (either slash). */
export function fileName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** "Wait 5 ms" → "wait 5 ms" inside a sentence; an abbreviation ("CC 7 = 100") stays as it is. */
function lowerFirst(s: string): string {
  return /^[A-Z]{2}/.test(s) ? s : s.charAt(0).toLowerCase() + s.slice(1);
}

/** "channel 2", and in full detail the value as the config file has it: "channel 2 (channel = 1)". */
function channelWords(channel: number, detail: DescribeDetail): string {
  return `channel ${channel + 1}${detail === 'full' ? ` (channel = ${channel})` : ''}`;
}

function triggerChannel(t: { channel?: number }, detail: DescribeDetail): string {
  return t.channel === undefined ? '' : `, ${channelWords(t.channel, detail)}`;
}

/** E.g. "Note C1 (36), velocity ≥ 10", "Hold D1 (38) for 2000 ms, channel 2", "Turn CC 1 clockwise". */
export function describeTrigger(t: Trigger, timing: TimingConfig = DEFAULT_TIMING, options: DescribeOptions = {}): string {
  const ch = triggerChannel(t, options.detail ?? 'short');
  switch (t.type) {
    case 'Note':
      return `Note ${noteLabel(t.note)}${t.velocityMin === undefined ? '' : `, velocity ≥ ${t.velocityMin}`}${ch}`;
    case 'VelocityRange':
      return `Note ${noteLabel(t.note)} at velocity ${t.minVelocity}–${t.maxVelocity}${t.level ? ` (${t.level})` : ''}${ch}`;
    case 'LongPress':
      return `Hold ${noteLabel(t.note)} for ${t.minDurationMs ?? timing.holdThresholdMs} ms${ch}`;
    case 'DoubleTap':
      return `Double-tap ${noteLabel(t.note)} within ${t.maxIntervalMs ?? timing.doubleTapTimeoutMs} ms${ch}`;
    case 'NoteChord':
      return `Chord ${t.notes.map(noteLabel).join(' + ')} within ${t.maxIntervalMs ?? timing.chordTimeoutMs} ms${ch}`;
    case 'CC':
      return `CC ${t.cc}${t.valueMin === undefined ? '' : ` at value ≥ ${t.valueMin}`}${ch}`;
    case 'EncoderTurn':
      return `Turn CC ${t.cc} ${t.direction === undefined ? 'either way' : t.direction === 'Clockwise' ? 'clockwise' : 'counter-clockwise'}${t.encoding ? ` (${t.encoding})` : ''}${ch}`;
    case 'Aftertouch': {
      const range = t.minPressure === undefined && t.maxPressure === undefined ? '' : `, pressure ${t.minPressure ?? 0}–${t.maxPressure ?? 127}`;
      return `Aftertouch${t.note === undefined ? '' : ` on ${noteLabel(t.note)}`}${range}${ch}`;
    }
    case 'PitchBend':
      return `Pitch bend ${t.minValue}–${t.maxValue}${t.centerDeadzone === undefined ? '' : ` (dead zone ±${t.centerDeadzone})`}${ch}`;
    case 'GamepadButton':
      return `Gamepad ${gamepadButtonName(t.button)} (${t.button})${t.velocityMin === undefined ? '' : `, pressed ≥ ${t.velocityMin}`}`;
    case 'GamepadButtonChord':
      return `Gamepad ${t.buttons.map(gamepadButtonName).join(' + ')} within ${t.maxIntervalMs ?? timing.chordTimeoutMs} ms`;
    case 'GamepadAnalogStick': {
      const name = GAMEPAD_AXES[t.axis] ?? `axis ${t.axis}`;
      const vertical = t.axis === 129 || t.axis === 131;
      const way = t.direction === undefined ? 'either way' : t.direction === 'Clockwise' ? (vertical ? 'up' : 'right') : vertical ? 'down' : 'left';
      return `Gamepad ${name} (${t.axis}) pushed ${way}`;
    }
    case 'GamepadTrigger':
      return `Gamepad ${GAMEPAD_TRIGGERS[t.trigger] ?? `trigger ${t.trigger}`} past ${t.threshold ?? DEFAULT_TRIGGER_THRESHOLD}`;
  }
}

/** A message without its channel: "Note on C1 (36) velocity 100", "CC 7 = 100", "Aftertouch C1 (36) = 64". */
function messageWords(m: MidiMessage): string {
  switch (m.type) {
    case 'noteOn':
      return `Note on ${noteLabel(m.note)} velocity ${m.velocity}`;
    case 'noteOff':
      return `Note off ${noteLabel(m.note)} velocity ${m.velocity}`;
    case 'controlChange':
      return `CC ${m.controller} = ${m.value}`;
    case 'programChange':
      return `Program change ${m.program}`;
    case 'channelAftertouch':
      return `Aftertouch ${m.pressure}`;
    case 'polyAftertouch':
      return `Aftertouch ${noteLabel(m.note)} = ${m.pressure}`;
    case 'pitchBend':
      return `Pitch bend ${m.value}`;
  }
}

/** A received or sent MIDI message: "Note on C1 (36) velocity 100, channel 1". */
export function describeMidi(m: MidiMessage): string {
  return `${messageWords(m)}, ${channelWords(m.channel, 'short')}`;
}

/** Raw MIDI bytes as hex: "90 3D 64"; when `byteCount` says there were more than shown, "F0 7E … (120 bytes)". */
export function describeMidiBytes(bytes: readonly number[], byteCount: number = bytes.length): string {
  const hex = bytes.map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
  return byteCount > bytes.length ? `${hex} … (${byteCount} bytes)` : hex;
}

function describePlugin(a: Extract<Action, { type: 'WasmPlugin' }>, detail: DescribeDetail): string {
  const written = a.pathAsWritten ?? a.path;
  if (detail === 'full') {
    const params = Object.keys(a.params).length > 0 ? ` with ${JSON.stringify(a.params)}` : '';
    return `Run plugin ${written || '(no plugin chosen)'}${params}`;
  }
  const name = written ? fileName(written) : '(no plugin chosen)';
  const action = typeof a.params.action === 'string' ? `: ${a.params.action}` : '';
  const others = Object.keys(a.params).filter((k) => k !== 'action');
  return `Run plugin ${name}${action}${others.length > 0 ? ` (${others.join(', ')})` : ''}`;
}

function describeModeChange(a: Extract<Action, { type: 'ModeChange' }>, detail: DescribeDetail): string {
  if (a.relative === true) {
    const n = Number(a.mode);
    if (n === 1) return 'Switch to the next mode';
    if (n === -1) return 'Switch to the previous mode';
    return `Move ${Math.abs(n)} modes ${n >= 0 ? 'forward' : 'back'}`;
  }
  if (typeof a.mode === 'string') return `Switch to mode "${a.mode}"`;
  return `Switch to mode #${a.mode + 1}${detail === 'full' ? ` (mode = ${a.mode})` : ''}`;
}

/**
 * E.g. `Run plugin spotify.wasm: play` (short) or `Run plugin ~/…/spotify.wasm with {"action":"play"}` (full),
 * `Type "hello"`, `Sequence: wait 100 ms, then press ctrl+c`.
 */
export function describeAction(a: Action, options: DescribeOptions = {}): string {
  const detail = options.detail ?? 'short';
  const inner = (x: Action): string => lowerFirst(describeAction(x, options));
  switch (a.type) {
    case 'WasmPlugin':
      return describePlugin(a, detail);
    case 'ModeChange':
      return describeModeChange(a, detail);
    case 'SendMidi':
      return `Send ${lowerFirst(messageWords(midiMessageFromConfig(a.message)))} on ${channelWords(a.message.channel, detail)}${a.port ? ` to "${a.port}"` : ''}`;
    case 'Sequence':
      return `Sequence: ${a.actions.map(inner).join(', then ')}`;
    case 'Delay':
      return `Wait ${a.ms} ms`;
    case 'Repeat':
      return `Repeat ${a.count}×${a.delayBetweenMs === undefined ? '' : ` (${a.delayBetweenMs} ms apart)`}: ${inner(a.action)}`;
    case 'Shell':
      return `Run ${a.command ? JSON.stringify(a.command) : '(no command)'}${a.shell ? ' in a shell' : ''}${a.timeoutMs === undefined ? '' : ` (timeout ${a.timeoutMs} ms)`}`;
    case 'Launch':
      return `Launch ${a.app ? JSON.stringify(a.app) : '(no app)'}${a.args && a.args.length > 0 ? ` with ${a.args.map((x) => JSON.stringify(x)).join(' ')}` : ''}`;
    case 'Keystroke':
      return `Press ${[...(a.modifiers ?? []), a.keys || '?'].join('+')}`;
    case 'Text':
      return `Type ${JSON.stringify(a.text)}`;
    case 'VolumeControl':
      switch (a.operation) {
        case 'Up':
        case 'Down':
          return `Volume ${a.operation === 'Up' ? 'up' : 'down'} ${a.value ?? 5}%`;
        case 'Mute':
          return 'Mute the volume';
        case 'Unmute':
          return 'Unmute the volume';
        case 'Set':
          return `Set the volume to ${a.value ?? 0}%`;
      }
      break;
    case 'MouseClick':
      return `Click the ${a.button} mouse button${a.x !== undefined && a.y !== undefined ? ` at ${a.x}, ${a.y}` : ''}`;
    case 'Conditional':
      return `If ${describeCondition(a.condition)}: ${inner(a.thenAction)}${a.elseAction ? `; otherwise ${inner(a.elseAction)}` : ''}`;
  }
}

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** E.g. `it is 09:00–17:00`, `Firefox is in front`, `mode is "Edit" and not (it is Saturday or Sunday)`. */
export function describeCondition(c: Condition): string {
  const nested = (x: Condition): string => (x.type === 'And' || x.type === 'Or' ? `(${describeCondition(x)})` : describeCondition(x));
  switch (c.type) {
    case 'Always':
      return 'always';
    case 'Never':
      return 'never';
    case 'TimeRange':
      return `it is ${c.start}–${c.end}`;
    case 'DayOfWeek':
      return `it is ${c.days.map((d) => WEEKDAYS[d - 1] ?? `day ${d}`).join(' or ')}`;
    case 'AppRunning':
      return `${JSON.stringify(c.appName)} is running`;
    case 'AppFrontmost':
      return `${JSON.stringify(c.appName)} is in front`;
    case 'ModeIs':
      return `mode is ${JSON.stringify(c.mode)}`;
    case 'And':
      return c.conditions.map(nested).join(' and ');
    case 'Or':
      return c.conditions.map(nested).join(' or ');
    case 'Not':
      return `not ${nested(c.condition)}`;
  }
}
