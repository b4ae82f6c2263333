// Validates the raw MIDI a plugin hands to conductor.midi_send before it becomes a host event.
// Pure byte checks; never sends anything and never accepts a partial, running-status or undefined message.

/** Bytes of a message by status byte (data bytes included); 0 = undefined/not allowed as a message start. */
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
      return 0; // F0 handled separately; F4, F5, F7, F9, FD undefined alone
  }
}

/**
 * Returns null when `bytes` is one or more complete MIDI messages, each starting with its status byte
 * (channel voice/mode, system common, real-time, or a SysEx F0 … F7 with 7-bit data); otherwise the reason.
 */
export function midiProblem(bytes: Uint8Array): string | null {
  if (bytes.byteLength === 0) return 'no bytes';
  let i = 0;
  while (i < bytes.byteLength) {
    const status = bytes[i] ?? 0;
    if (status < 0x80) return `byte ${i} (0x${hex(status)}) is a data byte where a status byte must start a message (running status is not accepted)`;
    if (status === 0xf0) {
      let j = i + 1;
      while (j < bytes.byteLength && (bytes[j] ?? 0) < 0x80) j++;
      if (j >= bytes.byteLength) return `SysEx starting at byte ${i} has no closing F7`;
      if (bytes[j] !== 0xf7) return `SysEx starting at byte ${i} contains status byte 0x${hex(bytes[j] ?? 0)} at byte ${j} before its F7`;
      i = j + 1;
      continue;
    }
    const len = messageLength(status);
    if (len === 0) return `byte ${i} (0x${hex(status)}) is not a status byte that can start a message`;
    if (i + len > bytes.byteLength) return `message 0x${hex(status)} at byte ${i} is incomplete (needs ${len} bytes)`;
    for (let k = i + 1; k < i + len; k++) {
      if ((bytes[k] ?? 0) >= 0x80) return `message 0x${hex(status)} at byte ${i} has a status byte 0x${hex(bytes[k] ?? 0)} where a data byte must be`;
    }
    i += len;
  }
  return null;
}

const hex = (b: number): string => b.toString(16).toUpperCase().padStart(2, '0');
