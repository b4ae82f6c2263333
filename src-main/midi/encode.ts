// What goes onto the MIDI wire: MidiMessage → bytes and validation of messages (raw bytes are framed in src-shared/midi-bytes).
// Pure functions; never sends anything and never silently clamps an out-of-range value.
import type { MidiMessage } from '../../src-shared/midi';

const STATUS: Record<MidiMessage['type'], number> = {
  noteOff: 0x80,
  noteOn: 0x90,
  polyAftertouch: 0xa0,
  controlChange: 0xb0,
  programChange: 0xc0,
  channelAftertouch: 0xd0,
  pitchBend: 0xe0,
};

function rangeProblem(field: string, value: unknown, max: number): string | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max ? null : `${field} must be an integer 0–${max}, got ${String(value)}`;
}

/** Null when `message` can be encoded; otherwise what is wrong (channel 0–15, data 0–127, pitch bend 0–16383). */
export function midiMessageProblem(message: MidiMessage): string | null {
  if (!(message.type in STATUS)) return `unknown MIDI message type "${String(message.type)}"`;
  const problems = [rangeProblem('channel', message.channel, 15)];
  switch (message.type) {
    case 'noteOn':
    case 'noteOff':
      problems.push(rangeProblem('note', message.note, 127), rangeProblem('velocity', message.velocity, 127));
      break;
    case 'polyAftertouch':
      problems.push(rangeProblem('note', message.note, 127), rangeProblem('pressure', message.pressure, 127));
      break;
    case 'controlChange':
      problems.push(rangeProblem('controller', message.controller, 127), rangeProblem('value', message.value, 127));
      break;
    case 'programChange':
      problems.push(rangeProblem('program', message.program, 127));
      break;
    case 'channelAftertouch':
      problems.push(rangeProblem('pressure', message.pressure, 127));
      break;
    case 'pitchBend':
      problems.push(rangeProblem('value', message.value, 16383));
      break;
  }
  const found = problems.filter((p): p is string => p !== null);
  return found.length === 0 ? null : `${message.type}: ${found.join('; ')}`;
}

/**
 * The bytes of one message, status byte first (never running status). Pitch bend is LSB then MSB.
 * A note-on with velocity 0 is encoded as given (9n kk 00, which receivers treat as note-off).
 * Throws RangeError when midiMessageProblem() reports a problem.
 */
export function encodeMidiMessage(message: MidiMessage): number[] {
  const problem = midiMessageProblem(message);
  if (problem) throw new RangeError(problem);
  const status = (STATUS[message.type] ?? 0) | message.channel;
  switch (message.type) {
    case 'noteOn':
    case 'noteOff':
      return [status, message.note, message.velocity];
    case 'polyAftertouch':
      return [status, message.note, message.pressure];
    case 'controlChange':
      return [status, message.controller, message.value];
    case 'programChange':
      return [status, message.program];
    case 'channelAftertouch':
      return [status, message.pressure];
    case 'pitchBend':
      return [status, message.value & 0x7f, message.value >> 7];
  }
}
