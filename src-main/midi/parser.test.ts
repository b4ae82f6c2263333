// Byte-level tests of the streaming MIDI parser: every channel voice message, running status, real-time bytes,
// SysEx, system common and stray data bytes, fed whole and in arbitrary chunks.
import { describe, expect, it } from 'vitest';
import type { MidiMessage } from '../../src-shared/midi';
import { MidiParser, parseMidiBytes } from './parser';

const hex = (text: string): number[] => Array.from(Buffer.from(text.replace(/\s/g, ''), 'hex'));
const parse = (text: string): MidiMessage[] => parseMidiBytes(hex(text));

describe('channel voice messages', () => {
  it.each<[string, string, MidiMessage]>([
    ['note-on', '93 3C 64', { type: 'noteOn', channel: 3, note: 60, velocity: 100 }],
    ['note-off', '80 24 40', { type: 'noteOff', channel: 0, note: 36, velocity: 64 }],
    ['note-on with velocity 0 is a note-off', '9F 24 00', { type: 'noteOff', channel: 15, note: 36, velocity: 0 }],
    ['poly aftertouch', 'A1 30 55', { type: 'polyAftertouch', channel: 1, note: 48, pressure: 85 }],
    ['control change', 'B2 07 7F', { type: 'controlChange', channel: 2, controller: 7, value: 127 }],
    ['program change', 'C4 05', { type: 'programChange', channel: 4, program: 5 }],
    ['channel aftertouch', 'D5 20', { type: 'channelAftertouch', channel: 5, pressure: 32 }],
    ['pitch bend centre', 'E0 00 40', { type: 'pitchBend', channel: 0, value: 8192 }],
    ['pitch bend minimum', 'E0 00 00', { type: 'pitchBend', channel: 0, value: 0 }],
    ['pitch bend maximum', 'EE 7F 7F', { type: 'pitchBend', channel: 14, value: 16383 }],
  ])('%s', (_name, bytes, expected) => {
    expect(parse(bytes)).toEqual([expected]);
  });

  it('reads pitch bend as LSB first, then MSB', () => {
    // LSB 0x01, MSB 0x02 → (2 << 7) | 1 = 257; the swapped reading would be (1 << 7) | 2 = 130.
    expect(parse('E0 01 02')).toEqual([{ type: 'pitchBend', channel: 0, value: 257 }]);
  });

  it('parses several messages in one chunk, in order', () => {
    expect(parse('90 24 7F B0 01 10 80 24 00').map((m) => m.type)).toEqual(['noteOn', 'controlChange', 'noteOff']);
  });
});

describe('running status', () => {
  it('applies the last channel status to following data bytes', () => {
    expect(parse('90 24 64 25 65 26 00')).toEqual([
      { type: 'noteOn', channel: 0, note: 36, velocity: 100 },
      { type: 'noteOn', channel: 0, note: 37, velocity: 101 },
      { type: 'noteOff', channel: 0, note: 38, velocity: 0 },
    ]);
  });

  it('works for one-data-byte messages', () => {
    expect(parse('C1 01 02 03').map((m) => (m.type === 'programChange' ? m.program : -1))).toEqual([1, 2, 3]);
  });

  it('survives chunk boundaries anywhere, byte by byte', () => {
    const parser = new MidiParser();
    const out: MidiMessage[] = [];
    for (const byte of hex('B0 01 10 02 20 03 30')) out.push(...parser.feed([byte]));
    expect(out).toEqual([
      { type: 'controlChange', channel: 0, controller: 1, value: 16 },
      { type: 'controlChange', channel: 0, controller: 2, value: 32 },
      { type: 'controlChange', channel: 0, controller: 3, value: 48 },
    ]);
  });

  it('keeps running status between separate feeds', () => {
    const parser = new MidiParser();
    expect(parser.feed(hex('94 30 40'))).toHaveLength(1);
    expect(parser.feed(hex('31 41'))).toEqual([{ type: 'noteOn', channel: 4, note: 49, velocity: 65 }]);
  });

  it('is replaced by a new status byte, and a partial message is abandoned (and counted)', () => {
    const parser = new MidiParser();
    expect(parser.feed(hex('90 24 B0 07 64'))).toEqual([{ type: 'controlChange', channel: 0, controller: 7, value: 100 }]);
    expect(parser.droppedBytes).toBe(1);
  });

  it('is forgotten by reset()', () => {
    const parser = new MidiParser();
    parser.feed(hex('90 24 64'));
    parser.reset();
    expect(parser.feed(hex('25 65'))).toEqual([]);
  });
});

describe('real-time bytes', () => {
  it('are skipped in the middle of a note-on without disturbing it', () => {
    expect(parse('90 F8 24 FE 64')).toEqual([{ type: 'noteOn', channel: 0, note: 36, velocity: 100 }]);
  });

  it('are skipped between messages and do not clear running status', () => {
    expect(parse('B0 01 10 F8 FA FB FC F9 FD FF 01 11')).toEqual([
      { type: 'controlChange', channel: 0, controller: 1, value: 16 },
      { type: 'controlChange', channel: 0, controller: 1, value: 17 },
    ]);
  });

  it('alone produce nothing', () => {
    const parser = new MidiParser();
    expect(parser.feed(hex('F8 F8 F8 FE FE FA FC'))).toEqual([]);
    expect(parser.droppedBytes).toBe(0);
  });

  it('inside a chunked message still let it complete', () => {
    const parser = new MidiParser();
    expect(parser.feed(hex('E3 00'))).toEqual([]);
    expect(parser.feed(hex('F8'))).toEqual([]);
    expect(parser.feed(hex('40'))).toEqual([{ type: 'pitchBend', channel: 3, value: 8192 }]);
  });
});

describe('SysEx', () => {
  it('is skipped, and the message after F7 is parsed', () => {
    expect(parse('F0 7E 7F 06 01 F7 90 24 64')).toEqual([{ type: 'noteOn', channel: 0, note: 36, velocity: 100 }]);
  });

  it('clears running status: data after F7 without a status byte is dropped', () => {
    expect(parse('90 24 64 F0 01 02 F7 25 65')).toEqual([{ type: 'noteOn', channel: 0, note: 36, velocity: 100 }]);
  });

  it('spanning many chunks is skipped, with real-time bytes inside it', () => {
    const parser = new MidiParser();
    expect(parser.feed(hex('F0 00 20 29'))).toEqual([]);
    expect(parser.feed(hex('02 F8 0D'))).toEqual([]);
    expect(parser.feed(hex('0E 01 F7 B0 10 7F'))).toEqual([{ type: 'controlChange', channel: 0, controller: 16, value: 127 }]);
    expect(parser.droppedBytes).toBe(0);
  });

  it('interrupted by a channel status byte ends there, and that message is parsed', () => {
    expect(parse('F0 01 02 03 90 24 64')).toEqual([{ type: 'noteOn', channel: 0, note: 36, velocity: 100 }]);
  });

  it('left unterminated swallows only data bytes, with constant memory', () => {
    const parser = new MidiParser();
    const huge = new Array<number>(1_000_000).fill(0x55);
    expect(parser.feed([0xf0, ...huge.slice(0, 10)])).toEqual([]);
    expect(parser.feed(huge)).toEqual([]);
    expect(parser.feed(hex('C0 07'))).toEqual([{ type: 'programChange', channel: 0, program: 7 }]);
  });

  it('an empty SysEx (F0 F7) is fine', () => {
    expect(parse('F0 F7 D0 10')).toEqual([{ type: 'channelAftertouch', channel: 0, pressure: 16 }]);
  });
});

describe('system common and stray bytes', () => {
  it.each([
    ['MTC quarter frame', 'F1 23'],
    ['song position', 'F2 10 20'],
    ['song select', 'F3 05'],
    ['undefined F4', 'F4'],
    ['undefined F5', 'F5'],
    ['tune request', 'F6'],
    ['a lone EOX', 'F7'],
  ])('%s is skipped and clears running status', (_name, bytes) => {
    // A running-status note-on before it, data bytes after it that must not be read as note-ons.
    expect(parse(`90 24 64 ${bytes} 25 65 91 26 66`)).toEqual([
      { type: 'noteOn', channel: 0, note: 36, velocity: 100 },
      { type: 'noteOn', channel: 1, note: 38, velocity: 102 },
    ]);
  });

  it('drops data bytes that arrive before any status byte and counts them', () => {
    const parser = new MidiParser();
    expect(parser.feed(hex('24 64 01 90 24 64'))).toEqual([{ type: 'noteOn', channel: 0, note: 36, velocity: 100 }]);
    expect(parser.droppedBytes).toBe(3);
  });

  it('drops a trailing incomplete message until it is completed', () => {
    const parser = new MidiParser();
    expect(parser.feed(hex('B0 07'))).toEqual([]);
    expect(parser.feed(hex('40'))).toEqual([{ type: 'controlChange', channel: 0, controller: 7, value: 64 }]);
  });

  it('never throws on any byte sequence and only ever emits in-range values', () => {
    let seed = 12345;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed & 0xff;
    };
    const parser = new MidiParser();
    let count = 0;
    for (let round = 0; round < 200; round++) {
      const chunk = Array.from({ length: 1 + (random() % 64) }, random);
      for (const message of parser.feed(chunk)) {
        count++;
        expect(message.channel).toBeGreaterThanOrEqual(0);
        expect(message.channel).toBeLessThanOrEqual(15);
        const values = Object.entries(message).filter(([key]) => key !== 'type' && key !== 'channel').map(([, v]) => v as number);
        for (const v of values) expect(v).toBeLessThanOrEqual(message.type === 'pitchBend' ? 16383 : 127);
      }
    }
    expect(count).toBeGreaterThan(0);
  });

  it('takes values outside 0–255 modulo 256 rather than failing', () => {
    expect(parseMidiBytes([0x190, 0x24, 0x64])).toEqual([{ type: 'noteOn', channel: 0, note: 36, velocity: 100 }]);
  });
});
