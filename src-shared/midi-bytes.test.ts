// Framing raw MIDI bytes into whole messages, as MIDI outputs and a plugin's conductor.midi_send both rely on:
// what is accepted (and how it is split) and the first problem named for what is not.
import { describe, expect, it } from 'vitest';
import { splitMidiBytes } from './midi-bytes';

const bytes = (hex: string): Uint8Array => new Uint8Array((hex.replace(/\s/g, '').match(/../g) ?? []).map((h) => parseInt(h, 16)));

describe('splitMidiBytes', () => {
  it('splits whole messages, including SysEx, system common and real-time', () => {
    expect(splitMidiBytes([0x90, 60, 100, 0xf0, 0x7e, 0x7f, 0xf7, 0xc0, 5, 0xf8, 0xf2, 0, 0])).toEqual({
      ok: true,
      messages: [[0x90, 60, 100], [0xf0, 0x7e, 0x7f, 0xf7], [0xc0, 5], [0xf8], [0xf2, 0, 0]],
    });
  });

  it.each([
    ['903C64', 'note-on'],
    ['803C00', 'note-off'],
    ['B0077F', 'control change'],
    ['C005', 'program change'],
    ['D040', 'channel pressure'],
    ['E00040', 'pitch bend'],
    ['F07E7F0601F7', 'SysEx'],
    ['F0F7', 'empty SysEx'],
    ['F8 FA FC FE FF', 'real-time'],
    ['F10F F20000 F301 F6', 'system common'],
    ['903C64 F07E7FF7 C001', 'several messages'],
  ])('accepts %s (%s) from a Uint8Array, as a plugin hands it over', (hex) => {
    const input = bytes(hex);
    const frames = splitMidiBytes(input);
    expect(frames.ok).toBe(true);
    expect(frames.ok && frames.messages.flat()).toEqual(Array.from(input));
  });

  it.each<[number[], string]>([
    [[], 'no MIDI bytes to send'],
    [[60, 100], 'byte 0 (0x3C) is a data byte where a status byte must start a message (running status is not accepted)'],
    [[0x90, 60, 100, 61, 100], 'byte 3 (0x3D) is a data byte where a status byte must start a message (running status is not accepted)'],
    [[0x90, 60], 'message 0x90 at byte 0 is incomplete (needs 3 bytes)'],
    [[0xc0], 'message 0xC0 at byte 0 is incomplete (needs 2 bytes)'],
    [[0x90, 60, 0xf8], 'message 0x90 at byte 0 has status byte 0xF8 where a data byte must be'],
    [[0xf0, 1, 2], 'SysEx starting at byte 0 has no closing F7'],
    [[0xf0, 1, 0x90, 0xf7], 'SysEx starting at byte 0 is interrupted by 0x90 at byte 2'],
    [[0xf7], 'byte 0 (0xF7) cannot start a message'],
    [[0xf4], 'byte 0 (0xF4) cannot start a message'],
    [[0xf5], 'byte 0 (0xF5) cannot start a message'],
    [[0xf9], 'byte 0 (0xF9) cannot start a message'],
    [[0xfd], 'byte 0 (0xFD) cannot start a message'],
    [[0x90, 256, 1], 'byte 1 (256) is not an integer 0–255'],
    [[0x90, 1.5, 1], 'byte 1 (1.5) is not an integer 0–255'],
  ])('rejects %j', (input, error) => {
    expect(splitMidiBytes(input)).toEqual({ ok: false, error });
  });

  it('names the same problems in a Uint8Array', () => {
    expect(splitMidiBytes(bytes('903C64 3C64'))).toEqual({ ok: false, error: 'byte 3 (0x3C) is a data byte where a status byte must start a message (running status is not accepted)' });
    expect(splitMidiBytes(bytes('F07E90F7'))).toEqual({ ok: false, error: 'SysEx starting at byte 0 is interrupted by 0x90 at byte 2' });
    expect(splitMidiBytes(bytes(''))).toEqual({ ok: false, error: 'no MIDI bytes to send' });
  });
});
