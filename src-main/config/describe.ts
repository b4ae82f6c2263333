// Triggers, actions and whole configs in words, for `conductor config check` and logs ("note 36 (C1) → switch to mode …").
// Presentation only: never validates (schema.ts does) and never changes a config.
import { DEFAULT_TIMING, type Action, type AppConfig, type Mapping, type SendMidiMessage, type TimingConfig, type Trigger } from '../../src-shared/config';
import { noteName } from '../../src-shared/midi';

function note(n: number): string {
  return `note ${n} (${noteName(n)})`;
}

function channel(t: { channel?: number }): string {
  return t.channel === undefined ? '' : ` on MIDI channel ${t.channel + 1} (channel = ${t.channel})`;
}

/** E.g. "note 36 (C1), velocity ≥ 10", "hold note 37 (C#1) for 2000 ms", "turn CC 1 clockwise". */
export function describeTrigger(t: Trigger, timing: TimingConfig = DEFAULT_TIMING): string {
  switch (t.type) {
    case 'Note':
      return `${note(t.note)}${t.velocityMin === undefined ? '' : `, velocity ≥ ${t.velocityMin}`}${channel(t)}`;
    case 'VelocityRange':
      return `${note(t.note)} at velocity ${t.minVelocity}–${t.maxVelocity}${t.level ? ` (${t.level})` : ''}${channel(t)}`;
    case 'LongPress':
      return `hold ${note(t.note)} for ${t.minDurationMs ?? timing.holdThresholdMs} ms${channel(t)}`;
    case 'DoubleTap':
      return `double-tap ${note(t.note)} within ${t.maxIntervalMs ?? timing.doubleTapTimeoutMs} ms${channel(t)}`;
    case 'NoteChord':
      return `chord of ${t.notes.map(note).join(', ')} within ${t.maxIntervalMs ?? timing.chordTimeoutMs} ms${channel(t)}`;
    case 'CC':
      return `CC ${t.cc}${t.valueMin === undefined ? '' : ` at value ≥ ${t.valueMin}`}${channel(t)}`;
    case 'EncoderTurn':
      return `turn CC ${t.cc} ${t.direction === 'Clockwise' ? 'clockwise' : 'counter-clockwise'}${t.encoding ? ` (${t.encoding} encoder)` : ''}${channel(t)}`;
    case 'Aftertouch': {
      const range = t.minPressure === undefined && t.maxPressure === undefined ? '' : `, pressure ${t.minPressure ?? 0}–${t.maxPressure ?? 127}`;
      return `aftertouch${t.note === undefined ? '' : ` on ${note(t.note)}`}${range}${channel(t)}`;
    }
    case 'PitchBend':
      return `pitch bend ${t.minValue}–${t.maxValue}${t.centerDeadzone === undefined ? '' : ` (dead zone ±${t.centerDeadzone} around the centre)`}${channel(t)}`;
  }
}

function modeTarget(a: Extract<Action, { type: 'ModeChange' }>): string {
  if (a.relative === true) {
    const n = Number(a.mode);
    if (n === 1) return 'switch to the next mode';
    if (n === -1) return 'switch to the previous mode';
    return `move ${Math.abs(n)} modes ${n >= 0 ? 'forward' : 'back'}`;
  }
  return typeof a.mode === 'number' ? `switch to mode #${a.mode}` : `switch to mode "${a.mode}"`;
}

function midiMessage(m: SendMidiMessage): string {
  switch (m.type) {
    case 'NoteOn':
    case 'NoteOff':
      return `${m.type} ${note(m.note)} velocity ${m.velocity}`;
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

/** E.g. `run plugin ~/…/spotify.wasm with {"action":"play"}`, `type "hello"`, `sequence: a, then b`. */
export function describeAction(a: Action): string {
  switch (a.type) {
    case 'WasmPlugin': {
      const params = Object.keys(a.params).length > 0 ? ` with ${JSON.stringify(a.params)}` : '';
      return `run plugin ${a.pathAsWritten ?? a.path}${params}`;
    }
    case 'ModeChange':
      return modeTarget(a);
    case 'SendMidi': {
      const m = a.message;
      return `send ${midiMessage(m)} on MIDI channel ${m.channel + 1} to "${a.port}"`;
    }
    case 'Sequence':
      return `sequence: ${a.actions.map(describeAction).join(', then ')}`;
    case 'Delay':
      return `wait ${a.ms} ms`;
    case 'Repeat':
      return `repeat ${a.count}×${a.delayBetweenMs === undefined ? '' : ` (${a.delayBetweenMs} ms apart)`}: ${describeAction(a.action)}`;
    case 'Shell':
      return `run command ${JSON.stringify(a.command)}${a.shell ? ' in a shell' : ''}${a.timeoutMs === undefined ? '' : ` (timeout ${a.timeoutMs} ms)`}`;
    case 'Launch':
      return `launch ${JSON.stringify(a.app)}${a.args && a.args.length > 0 ? ` with ${a.args.map((x) => JSON.stringify(x)).join(' ')}` : ''}`;
    case 'Keystroke':
      return `press ${[...(a.modifiers ?? []), a.keys].join('+')}`;
    case 'Text':
      return `type ${JSON.stringify(a.text)}`;
  }
}

export interface MappingSummary {
  description: string;
  triggerType: Trigger['type'];
  trigger: string;
  actionType: Action['type'];
  action: string;
}

export interface ConfigSummary {
  device: { name: string | null; autoConnect: boolean; autoReconnect: boolean; port: number | null };
  wasm: { requireSignature: boolean; allowSelfSigned: boolean };
  timing: { holdThresholdMs: number; doubleTapTimeoutMs: number; chordTimeoutMs: number };
  modes: { name: string; color: string | null; mappings: MappingSummary[] }[];
  globalMappings: MappingSummary[];
  /** Mappings in all modes plus global ones. */
  mappingCount: number;
  /** Top-level tables and keys this version does not use (kept when saving). */
  unknownKeys: string[];
}

function summarizeMapping(m: Mapping, timing: TimingConfig): MappingSummary {
  return {
    description: m.description,
    triggerType: m.trigger.type,
    trigger: describeTrigger(m.trigger, timing),
    actionType: m.action.type,
    action: describeAction(m.action),
  };
}

export function summarizeConfig(config: AppConfig): ConfigSummary {
  const { device, wasm, timing } = config;
  const modes = config.modes.map((m) => ({ name: m.name, color: m.color, mappings: m.mappings.map((x) => summarizeMapping(x, timing)) }));
  const globalMappings = config.globalMappings.map((x) => summarizeMapping(x, timing));
  return {
    device: { name: device.name, autoConnect: device.autoConnect, autoReconnect: device.autoReconnect, port: device.port },
    wasm: { requireSignature: wasm.requireSignature, allowSelfSigned: wasm.allowSelfSigned },
    timing: { holdThresholdMs: timing.holdThresholdMs, doubleTapTimeoutMs: timing.doubleTapTimeoutMs, chordTimeoutMs: timing.chordTimeoutMs },
    modes,
    globalMappings,
    mappingCount: modes.reduce((n, m) => n + m.mappings.length, 0) + globalMappings.length,
    unknownKeys: Object.keys(config.extra ?? {}),
  };
}
