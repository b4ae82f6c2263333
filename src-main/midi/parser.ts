// A streaming MIDI byte parser: turns arbitrary chunks of a MIDI byte stream into channel voice messages.
// Never throws on any input and never buffers SysEx or other skipped data (memory stays constant).
import type { MidiMessage } from '../../src-shared/midi';

/** Data bytes that follow a channel voice status byte (by its high nibble). */
function dataLength(status: number): 1 | 2 {
  const kind = status & 0xf0;
  return kind === 0xc0 || kind === 0xd0 ? 1 : 2;
}

/**
 * Parses a MIDI byte stream (MIDI 1.0 wire protocol) fed in chunks of any size:
 * - channel voice messages (8n–En) are emitted as MidiMessage; a note-on with velocity 0 is a note-off;
 * - running status: data bytes after a complete message reuse the last channel status byte, across chunks;
 * - real-time bytes (F8–FF) are ignored wherever they occur, even between the bytes of a message or
 *   inside SysEx, without disturbing what they interrupt;
 * - SysEx (F0 … F7) is skipped; F7 or any other non-real-time status byte ends it (that status byte then
 *   counts as usual); its contents are never stored, so an unterminated SysEx costs nothing;
 * - system common (F1–F6, and a lone F7) clear running status; their data bytes are dropped;
 * - data bytes with no status to apply to (at the start, after SysEx or system common) are dropped;
 * - a status byte in the middle of a message abandons the incomplete message.
 */
export class MidiParser {
  /** The channel status byte in force (running status), or 0 when none. */
  #status = 0;
  #inSysex = false;
  #data: number[] = [];
  #droppedBytes = 0;

  /** Bytes dropped so far: stray data bytes and abandoned partial messages (SysEx and real-time bytes not counted). */
  get droppedBytes(): number {
    return this.#droppedBytes;
  }

  /** Feeds a chunk; returns the messages completed by it, in order. Values outside 0–255 are taken modulo 256. */
  feed(chunk: ArrayLike<number>): MidiMessage[] {
    const out: MidiMessage[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const message = this.#byte((chunk[i] ?? 0) & 0xff);
      if (message) out.push(message);
    }
    return out;
  }

  /** Forgets running status, SysEx state and any partial message (e.g. after the port was reopened). */
  reset(): void {
    this.#status = 0;
    this.#inSysex = false;
    this.#data = [];
  }

  #byte(byte: number): MidiMessage | null {
    if (byte >= 0xf8) return null; // real-time: transparent
    if (byte >= 0x80) {
      this.#droppedBytes += this.#data.length;
      this.#data = [];
      this.#inSysex = byte === 0xf0;
      this.#status = byte < 0xf0 ? byte : 0; // F0–F7 clear running status
      return null;
    }
    if (this.#inSysex) return null;
    if (this.#status === 0) {
      this.#droppedBytes++;
      return null;
    }
    this.#data.push(byte);
    if (this.#data.length < dataLength(this.#status)) return null;
    const [d1 = 0, d2 = 0] = this.#data;
    this.#data = [];
    return toMessage(this.#status, d1, d2);
  }
}

function toMessage(status: number, d1: number, d2: number): MidiMessage {
  const channel = status & 0x0f;
  switch (status & 0xf0) {
    case 0x80:
      return { type: 'noteOff', channel, note: d1, velocity: d2 };
    case 0x90:
      return d2 === 0 ? { type: 'noteOff', channel, note: d1, velocity: 0 } : { type: 'noteOn', channel, note: d1, velocity: d2 };
    case 0xa0:
      return { type: 'polyAftertouch', channel, note: d1, pressure: d2 };
    case 0xb0:
      return { type: 'controlChange', channel, controller: d1, value: d2 };
    case 0xc0:
      return { type: 'programChange', channel, program: d1 };
    case 0xd0:
      return { type: 'channelAftertouch', channel, pressure: d1 };
    default:
      return { type: 'pitchBend', channel, value: d1 | (d2 << 7) }; // LSB first, then MSB
  }
}

/** Parses one self-contained byte sequence (no state kept between calls). */
export function parseMidiBytes(bytes: ArrayLike<number>): MidiMessage[] {
  return new MidiParser().feed(bytes);
}
