// Trigger conflicts in the draft — two mappings that fire on the same input in the same mode (or a mode mapping and a
// global one) — worded for the mapping cards. Informational only: never blocks a save (Conductor allows it). Pure.
import type { AppConfig, Mapping, Trigger } from '../../src-shared/config';
import { describeAction } from '../format';
import { locationKey, type MappingScope } from '../store/draft';

type Range = readonly [number, number];

function intersects(a: Range, b: Range): boolean {
  return a[0] <= b[1] && b[0] <= a[1];
}

function channelsOverlap(a: Trigger, b: Trigger): boolean {
  return a.channel === undefined || b.channel === undefined || a.channel === b.channel;
}

/** The velocities a Note or VelocityRange trigger fires on (a note-on has velocity ≥ 1). */
function velocities(t: Extract<Trigger, { type: 'Note' | 'VelocityRange' }>): Range {
  return t.type === 'Note' ? [Math.max(1, t.velocityMin ?? 1), 127] : [t.minVelocity, t.maxVelocity];
}

/**
 * Whether one MIDI input can fire both triggers. Different gestures on one control (press, long press, double tap,
 * chord) are separate triggers by design and never overlap; a CC and an encoder turn on the same controller do.
 */
export function triggersOverlap(a: Trigger, b: Trigger): boolean {
  if (!channelsOverlap(a, b)) return false;
  if ((a.type === 'Note' || a.type === 'VelocityRange') && (b.type === 'Note' || b.type === 'VelocityRange')) return a.note === b.note && intersects(velocities(a), velocities(b));
  if (a.type === 'LongPress' && b.type === 'LongPress') return a.note === b.note;
  if (a.type === 'DoubleTap' && b.type === 'DoubleTap') return a.note === b.note;
  if (a.type === 'NoteChord' && b.type === 'NoteChord') {
    const x = [...new Set(a.notes)].sort((p, q) => p - q);
    const y = [...new Set(b.notes)].sort((p, q) => p - q);
    return x.length === y.length && x.every((n, i) => n === y[i]);
  }
  if ((a.type === 'CC' || a.type === 'EncoderTurn') && (b.type === 'CC' || b.type === 'EncoderTurn')) {
    if (a.cc !== b.cc) return false;
    // A turn either way overlaps both directions.
    return a.type !== 'EncoderTurn' || b.type !== 'EncoderTurn' || a.direction === undefined || b.direction === undefined || a.direction === b.direction;
  }
  if (a.type === 'Aftertouch' && b.type === 'Aftertouch') {
    const notes = a.note === undefined || b.note === undefined || a.note === b.note;
    return notes && intersects([a.minPressure ?? 0, a.maxPressure ?? 127], [b.minPressure ?? 0, b.maxPressure ?? 127]);
  }
  if (a.type === 'PitchBend' && b.type === 'PitchBend') return intersects([a.minValue, a.maxValue], [b.minValue, b.maxValue]);
  if (a.type === 'GamepadButton' && b.type === 'GamepadButton') return a.button === b.button;
  if (a.type === 'GamepadButtonChord' && b.type === 'GamepadButtonChord') {
    const x = [...new Set(a.buttons)].sort((p, q) => p - q);
    const y = [...new Set(b.buttons)].sort((p, q) => p - q);
    return x.length === y.length && x.every((n, i) => n === y[i]);
  }
  if (a.type === 'GamepadAnalogStick' && b.type === 'GamepadAnalogStick') return a.axis === b.axis && (a.direction === undefined || b.direction === undefined || a.direction === b.direction);
  if (a.type === 'GamepadTrigger' && b.type === 'GamepadTrigger') return a.trigger === b.trigger;
  return false;
}

/** The control a trigger listens to, briefly: "Note 36", "Long press on note 36", "CC 7", "Chord 36 + 40 + 43". */
export function controlName(t: Trigger): string {
  const ch = t.channel === undefined ? '' : ` (channel ${t.channel + 1})`;
  switch (t.type) {
    case 'Note':
    case 'VelocityRange':
      return `Note ${t.note}${ch}`;
    case 'LongPress':
      return `Long press on note ${t.note}${ch}`;
    case 'DoubleTap':
      return `Double tap on note ${t.note}${ch}`;
    case 'NoteChord':
      return `Chord ${t.notes.join(' + ')}${ch}`;
    case 'CC':
      return `CC ${t.cc}${ch}`;
    case 'EncoderTurn':
      return `CC ${t.cc} ${t.direction === undefined ? 'either way' : t.direction === 'Clockwise' ? 'clockwise' : 'counter-clockwise'}${ch}`;
    case 'Aftertouch':
      return `Aftertouch${t.note === undefined ? '' : ` on note ${t.note}`}${ch}`;
    case 'PitchBend':
      return `Pitch bend${ch}`;
    case 'GamepadButton':
      return `Gamepad button ${t.button}`;
    case 'GamepadButtonChord':
      return `Gamepad buttons ${t.buttons.join(' + ')}`;
    case 'GamepadAnalogStick':
      return `Gamepad axis ${t.axis}${t.direction === undefined ? '' : t.direction === 'Clockwise' ? ' +' : ' −'}`;
    case 'GamepadTrigger':
      return `Gamepad trigger ${t.trigger}`;
  }
}

interface Located {
  key: string;
  scopeName: string;
  mapping: Mapping;
}

/** "Note 36 is already mapped in Default: Play / pause" (the other mapping's description, else its action in words). */
export function conflictMessage(trigger: Trigger, other: Located): string {
  return `${controlName(trigger)} is already mapped in ${other.scopeName}: ${other.mapping.description.trim() || describeAction(other.mapping.action)}`;
}

/**
 * Conflict notes by mapping location key ("m0:2", "g:1"); mappings without a conflict are absent. A mode's mapping is
 * compared with the other mappings of its mode and the global ones (those fire in every mode); a global mapping with
 * the other global ones and every mode's.
 */
export function findConflicts(config: AppConfig): Map<string, string[]> {
  const located = (scope: MappingScope, list: readonly Mapping[], scopeName: string): Located[] => list.map((mapping, index) => ({ key: locationKey({ scope, index }), scopeName, mapping }));
  const modes = config.modes.map((m, modeIndex) => located({ kind: 'mode', modeIndex }, m.mappings, m.name || `mode ${modeIndex + 1}`));
  const globals = located({ kind: 'global' }, config.globalMappings, 'Global');
  const out = new Map<string, string[]>();
  const note = (self: Located, others: readonly Located[]) => {
    const messages = others.filter((o) => o.key !== self.key && triggersOverlap(self.mapping.trigger, o.mapping.trigger)).map((o) => conflictMessage(self.mapping.trigger, o));
    if (messages.length > 0) out.set(self.key, messages);
  };
  for (const mode of modes) for (const self of mode) note(self, [...mode, ...globals]);
  for (const self of globals) note(self, [...globals, ...modes.flat()]);
  return out;
}
