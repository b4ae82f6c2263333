// Raw MIDI bytes → whole messages, for every place that sends raw bytes: MIDI outputs (src-main/midi) and a plugin's
// conductor.midi_send (the sandbox). Pure byte checks: never sends anything, never accepts a partial or running-status message.

/** Total bytes of a non-SysEx message by its status byte; 0 = cannot start a message (F0 is handled apart; F4, F5, F7, F9, FD). */
function messageLength(status: number): number {
  if (status >= 0x80 && status <= 0xef) {
    const kind = status & 0xf0;
    return kind === 0xc0 || kind === 0xd0 ? 2 : 3;
  }
  switch (status) {
    case 0xf1: // MTC quarter frame
    case 0xf3: // song select
      return 2;
    case 0xf2: // song position
      return 3;
    case 0xf6: // tune request
    case 0xf8: // clock
    case 0xfa: // start
    case 0xfb: // continue
    case 0xfc: // stop
    case 0xfe: // active sensing
    case 0xff: // reset
      return 1;
    default:
      return 0;
  }
}

export type MidiFrames = { ok: true; messages: number[][] } | { ok: false; error: string };

const hex = (b: number): string => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * Splits raw bytes into whole messages, one per array, so each can be sent on its own (some OS APIs send one
 * message per call). Every message must start with its status byte (channel voice/mode, system common, real-time;
 * no running status) and be complete; SysEx must be F0 … F7 with 7-bit data. The first problem is returned as an
 * error naming the byte.
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
    if (status < 0x80) {
      return { ok: false, error: `byte ${i} (${hex(status)}) is a data byte where a status byte must start a message (running status is not accepted)` };
    }
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
