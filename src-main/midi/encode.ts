// What goes onto the MIDI wire: MidiMessage → bytes, validation of messages, and framing raw bytes into messages.
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

/** Total bytes of a non-SysEx message by its status byte; 0 = cannot start a message (F4, F5, F7, F9, FD). */
function messageLength(status: number): number {
  if (status >= 0x80 && status <= 0xef) {
    const kind = status & 0xf0;
    return kind === 0xc0 || kind === 0xd0 ? 2 : 3;
  }
  if (status === 0xf2) return 3;
  if (status === 0xf1 || status === 0xf3) return 2;
  if (status === 0xf6 || status === 0xf8 || (status >= 0xfa && status <= 0xfc) || status === 0xfe || status === 0xff) return 1;
  return 0;
}

export type MidiFrames = { ok: true; messages: number[][] } | { ok: false; error: string };

/**
 * Splits raw bytes into whole messages, one per array, so each can be sent on its own (some OS APIs send one
 * message per call). Every message must start with its status byte (no running status) and be complete; SysEx
 * must be F0 … F7 with 7-bit data. The first problem is returned as an error naming the byte.
 */
export function splitMidiBytes(bytes: ArrayLike<number>): MidiFrames {
  if (bytes.length === 0) return { ok: false, error: 'no MIDI bytes to send' };
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (typeof b !== 'number' || !Number.isInteger(b) || b < 0 || b > 255) return { ok: false, error: `byte ${i} (${String(b)}) is not an integer 0–255` };
  }
  const at = (i: number): number => bytes[i] ?? 0;
  const messages: number[][] = [];
  let i = 0;
  while (i < bytes.length) {
    const status = at(i);
    if (status < 0x80) return { ok: false, error: `byte ${i} (${hex(status)}) is a data byte where a status byte must start a message` };
    let end: number;
    if (status === 0xf0) {
      end = i + 1;
      while (end < bytes.length && at(end) < 0x80) end++;
      if (end >= bytes.length) return { ok: false, error: `SysEx starting at byte ${i} has no closing F7` };
      if (at(end) !== 0xf7) return { ok: false, error: `SysEx starting at byte ${i} is interrupted by ${hex(at(end))} at byte ${end}` };
      end++;
    } else {
      const length = messageLength(status);
      if (length === 0) return { ok: false, error: `byte ${i} (${hex(status)}) cannot start a message` };
      end = i + length;
      if (end > bytes.length) return { ok: false, error: `message ${hex(status)} at byte ${i} is incomplete (needs ${length} bytes)` };
      for (let k = i + 1; k < end; k++) {
        if (at(k) >= 0x80) return { ok: false, error: `message ${hex(status)} at byte ${i} has status byte ${hex(at(k))} where a data byte must be` };
      }
    }
    messages.push(Array.from({ length: end - i }, (_, k) => at(i + k)));
    i = end;
  }
  return { ok: true, messages };
}

const hex = (b: number): string => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;
