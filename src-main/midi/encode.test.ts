// Encoder tests: exact bytes per message type, the parse(encode(m)) = m property and validation (byte framing: src-shared/midi-bytes.test.ts).
import { describe, expect, it } from 'vitest';
import type { MidiMessage } from '../../src-shared/midi';
import { encodeMidiMessage, midiMessageProblem } from './encode';
import { MidiParser, parseMidiBytes } from './parser';

describe('encodeMidiMessage', () => {
  it.each<[MidiMessage, number[]]>([
    [{ type: 'noteOn', channel: 0, note: 60, velocity: 100 }, [0x90, 60, 100]],
    [{ type: 'noteOff', channel: 9, note: 36, velocity: 0 }, [0x89, 36, 0]],
    [{ type: 'polyAftertouch', channel: 1, note: 40, pressure: 5 }, [0xa1, 40, 5]],
    [{ type: 'controlChange', channel: 15, controller: 64, value: 127 }, [0xbf, 64, 127]],
    [{ type: 'programChange', channel: 2, program: 10 }, [0xc2, 10]],
    [{ type: 'channelAftertouch', channel: 3, pressure: 99 }, [0xd3, 99]],
    [{ type: 'pitchBend', channel: 0, value: 8192 }, [0xe0, 0x00, 0x40]],
    [{ type: 'pitchBend', channel: 4, value: 257 }, [0xe4, 0x01, 0x02]],
  ])('%j → %j', (message, bytes) => {
    expect(encodeMidiMessage(message)).toEqual(bytes);
  });

  it('encodes a note-on with velocity 0 as given (receivers read it as a note-off)', () => {
    const bytes = encodeMidiMessage({ type: 'noteOn', channel: 0, note: 36, velocity: 0 });
    expect(bytes).toEqual([0x90, 36, 0]);
    expect(parseMidiBytes(bytes)).toEqual([{ type: 'noteOff', channel: 0, note: 36, velocity: 0 }]);
  });

  it.each<[MidiMessage, string]>([
    [{ type: 'noteOn', channel: 16, note: 60, velocity: 100 }, 'noteOn: channel must be an integer 0–15, got 16'],
    [{ type: 'noteOn', channel: 0, note: 128, velocity: -1 }, 'noteOn: note must be an integer 0–127, got 128; velocity must be an integer 0–127, got -1'],
    [{ type: 'controlChange', channel: 0, controller: 1.5, value: 0 }, 'controlChange: controller must be an integer 0–127, got 1.5'],
    [{ type: 'pitchBend', channel: 0, value: 16384 }, 'pitchBend: value must be an integer 0–16383, got 16384'],
    [{ type: 'programChange', channel: 0, program: Number.NaN }, 'programChange: program must be an integer 0–127, got NaN'],
  ])('rejects %j', (message, problem) => {
    expect(midiMessageProblem(message)).toBe(problem);
    expect(() => encodeMidiMessage(message)).toThrow(RangeError);
  });

  it('rejects an unknown type without throwing from the check', () => {
    const message = { type: 'sysex', channel: 0 } as unknown as MidiMessage;
    expect(midiMessageProblem(message)).toBe('unknown MIDI message type "sysex"');
  });
});

describe('parse(encode(m)) = m', () => {
  /** Every canonical message over a grid of values (a note-on has velocity ≥ 1: velocity 0 is a note-off). */
  function* canonicalMessages(): Generator<MidiMessage> {
    const data = [0, 1, 63, 64, 100, 127];
    for (const channel of [0, 1, 9, 15]) {
      for (const a of data) {
        for (const b of data) {
          if (b > 0) yield { type: 'noteOn', channel, note: a, velocity: b };
          yield { type: 'noteOff', channel, note: a, velocity: b };
          yield { type: 'polyAftertouch', channel, note: a, pressure: b };
          yield { type: 'controlChange', channel, controller: a, value: b };
        }
        yield { type: 'programChange', channel, program: a };
        yield { type: 'channelAftertouch', channel, pressure: a };
      }
      for (const value of [0, 1, 127, 128, 8191, 8192, 8193, 16256, 16383]) yield { type: 'pitchBend', channel, value };
    }
  }

  it('holds for every message one at a time', () => {
    let checked = 0;
    for (const message of canonicalMessages()) {
      expect(parseMidiBytes(encodeMidiMessage(message))).toEqual([message]);
      checked++;
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('holds for the whole stream concatenated through one parser', () => {
    const messages = [...canonicalMessages()];
    const parser = new MidiParser();
    expect(parser.feed(messages.flatMap(encodeMidiMessage))).toEqual(messages);
  });
});
